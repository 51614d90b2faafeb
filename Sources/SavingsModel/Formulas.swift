import Foundation

/// The closed-form pieces of the savings model (MODEL.md), one function each, so every
/// formula can be tested on its own against an independent calculation.
public enum Formulas {

    // MARK: Discounting (MODEL.md §1)

    /// HM Treasury Green Book social time preference rate by year index: 3.5 % for years
    /// 0–30, 3.0 % for 31–75, 2.5 % for 76–125 and 2.0 % beyond (HM Treasury, The Green Book,
    /// 2022, Annex A6 on discounting: the declining long-term schedule).
    public static func greenBookRate(year t: Int) -> Double {
        switch t {
        case ...30: 0.035
        case 31...75: 0.030
        case 76...125: 0.025
        default: 0.020
        }
    }

    /// Discount factors DF(0) = 1, DF(t) = DF(t−1)/(1 + r(t)) for t = 0 … years−1.
    /// With the Green Book schedule DF(10) = 1.035⁻¹⁰ = 0.7089.
    ///
    /// Properties: DF is positive and strictly decreasing for positive rates; with a single
    /// rate r, DF(t) = (1 + r)⁻ᵗ.
    public static func discountFactors(years: Int, rate: (Int) -> Double) -> [Double] {
        var df = [Double](repeating: 1, count: years)
        for t in stride(from: 1, to: years, by: 1) { df[t] = df[t - 1] / (1 + rate(t)) }
        return df
    }

    // MARK: Joining and exit (MODEL.md §4, §11)

    /// The Bass (1969) cumulative adoption F(τ) = (1 − e^{−(p+q)τ}) / (1 + (q/p) e^{−(p+q)τ}),
    /// p = innovation, q = imitation coefficient.
    public static func bassCDF(_ tau: Double, p: Double, q: Double) -> Double {
        let e = Foundation.exp(-(p + q) * tau)
        return (1 - e) / (1 + (q / p) * e)
    }

    /// Inverse of `bassCDF`: τ = ln((1 + (q/p)·w) / (1 − w)) / (p + q) for w in [0, 1).
    public static func bassQuantile(_ w: Double, p: Double, q: Double) -> Double {
        Foundation.log((1 + (q / p) * w) / (1 - w)) / (p + q)
    }

    /// Join-year offset of a Bass joiner from its uniform v (MODEL.md §11): v ≥ ceiling
    /// means it never joins (nil); otherwise J = ⌊F⁻¹(v / ceiling)⌋.
    public static func bassJoinYear(v: Double, p: Double, q: Double, ceiling: Double) -> Int? {
        guard v < ceiling else { return nil }
        let tau = bassQuantile(v / ceiling, p: p, q: q)
        // τ is finite for v/ceiling < 1; cap it so absurd parameters cannot overflow Int.
        // NaN only for v = 0 with q/p infinite (p subnormal): the limit there is τ = 0.
        return tau.isNaN ? 0 : Int(Swift.max(0, Swift.min(tau.rounded(.down), 1e6)))
    }

    /// The Bass CDF at the year boundaries, `thresholds[k − 1] = F(k)` for k = 1 … count,
    /// for `bassJoinYear(v:p:q:ceiling:thresholds:)`; false (thresholds unusable) when the
    /// coefficients are outside the textbook range p > 0, q ≥ 0 with finite q/p.
    /// The computed thresholds never fall: in `bassCDF` e = exp(−(p + q)τ) does not rise as τ
    /// grows, and each later step (1 − e, 1 + (q/p)e, the quotient) is monotone in e under
    /// correct rounding. So counting the thresholds a uniform reaches is the same as scanning
    /// to the first it does not (`bassJoinYearsWithinHorizon`).
    public static func bassYearThresholds(p: Double, q: Double, into thresholds: UnsafeMutableBufferPointer<Double>) -> Bool {
        guard p > 0, q >= 0, (q / p).isFinite, (p + q).isFinite else { return false }
        for k in 0..<thresholds.count { thresholds[k] = bassCDF(Double(k + 1), p: p, q: q) }
        return true
    }

    /// `bassJoinYearWithinHorizon(v:ceiling:thresholds:)` for four uniforms at once, with no
    /// branch per threshold (which year a uniform falls in is unpredictable, and a mispredicted
    /// branch costs more than comparing against every threshold): J is the number of
    /// thresholds w = v/ceiling reaches. A lane that never joins (v ≥ ceiling) gives −1.
    @inline(__always)
    public static func bassJoinYearsWithinHorizon(v: SIMD4<Double>, ceiling: Double,
                                                  thresholds: UnsafeMutableBufferPointer<Double>) -> SIMD4<Int64> {
        let w = v / SIMD4(repeating: ceiling)
        var count = SIMD4<Int64>.zero
        for k in 0..<thresholds.count {
            count &+= SIMD4<Int64>.zero.replacing(with: 1, where: w .>= SIMD4(repeating: thresholds[k]))
        }
        return count.replacing(with: -1, where: .!(v .< SIMD4(repeating: ceiling)))
    }

    /// `bassJoinYear(v:p:q:ceiling:)` within the horizon, by comparisons instead of a
    /// logarithm per authority: F is increasing, so J = ⌊F⁻¹(w)⌋ ≥ k exactly when w ≥ F(k),
    /// and J is the number of year boundaries F(1), F(2), … that w = v/ceiling reaches.
    /// Returns nil (never joins), J < T, or T itself for any J ≥ T (T = thresholds.count):
    /// the caller takes the closed form for those when their exact year matters.
    @inline(__always)
    public static func bassJoinYearWithinHorizon(v: Double, ceiling: Double,
                                                 thresholds: UnsafeMutableBufferPointer<Double>) -> Int? {
        guard v < ceiling else { return nil }
        let w = v / ceiling
        var j = 0
        while j < thresholds.count && w >= thresholds[j] { j += 1 }
        return j
    }

    /// Failures before the first success of a Bernoulli(h) sequence, by inversion:
    /// G = ⌈ln(1 − u) / ln(1 − h)⌉ − 1, so P(G = g) = (1 − h)^g h and E[G] = (1 − h)/h.
    /// h = 0 never succeeds (nil); h = 1 gives 0.
    public static func geometricFailures(u: Double, hazard h: Double) -> Int? {
        if h <= 0 { return nil }
        if h >= 1 { return 0 }
        return geometricFailures(u: u, logSurvival: Foundation.log1p(-h))
    }

    /// `geometricFailures(u:hazard:)` for 0 < h < 1 given ln(1 − h) = `logSurvival`:
    /// G = ⌈ln(1 − u) / ln(1 − h)⌉ − 1 (MODEL.md §11, exits). The engine draws one hazard
    /// per iteration for every authority, so it takes the logarithm once, not per authority.
    @inline(__always) public static func geometricFailures(u: Double, logSurvival: Double) -> Int {
        let g = (Foundation.log1p(-u) / logSurvival).rounded(.up) - 1
        return Int(Swift.max(0, Swift.min(g, 1e6)))
    }

    /// The survival probabilities `thresholds[g − 1] = (1 − h)^g = exp(g ln(1 − h))` for
    /// g = 1 … count, for `geometricFailures(u:logSurvival:thresholds:)`.
    public static func survivalThresholds(logSurvival: Double, into thresholds: UnsafeMutableBufferPointer<Double>) {
        for g in 0..<thresholds.count { thresholds[g] = Foundation.exp(Double(g + 1) * logSurvival) }
    }

    /// `geometricFailures(u:logSurvival:)` within the horizon, by comparisons instead of a
    /// logarithm per authority: with L = ln(1 − u)/ln(1 − h) ≥ 0, G = ⌈L⌉ − 1 counts the
    /// g ≥ 1 with g < L, and g < L exactly when (1 − h)^g > 1 − u. Returns G, or
    /// thresholds.count for any G at least that large (an exit after the horizon, whose
    /// exact year no output uses).
    @inline(__always)
    public static func geometricFailuresWithinHorizon(u: Double, thresholds: UnsafeMutableBufferPointer<Double>) -> Int {
        let survivor = 1 - u
        let count = thresholds.count
        // Most members outlast the horizon: the thresholds fall, so when even the last one
        // exceeds 1 − u, all do — one comparison instead of `count`.
        if count > 0 && thresholds[count - 1] > survivor { return count }
        var g = 0
        while g < count && thresholds[g] > survivor { g += 1 }
        return g
    }

    // MARK: Savings (MODEL.md §5)

    /// Power-law scale economy: s = 1 − (Σ V)^β / Σ V^β over the members, given ΣV and
    /// ΣV^β. For n equal partners this is 1 − n^{β−1}; β = 1 gives no saving. s = 0 when
    /// Σ V^β = 0 (MODEL.md §11).
    ///
    /// Mathematically 0 ≤ s < 1 for β in (0, 1]; rounding in ΣV^β (e.g. computed as
    /// exp(β ln V)) must not turn "no economies" into a tiny saving, or a loss: β = 1 gives
    /// exactly 0, and s is never below 0.
    public static func scaleSaving(sumVolume: Double, sumVolumePowBeta: Double, beta: Double) -> Double {
        guard sumVolumePowBeta > 0, beta < 1 else { return 0 }
        return Swift.max(0, 1 - Foundation.pow(sumVolume, beta) / sumVolumePowBeta)
    }

    /// Linear ramp ρ = min(1, x / R) with x = k + 1 (k years since joining).
    @inline(__always) public static func linearRamp(yearsSinceJoining k: Int, years r: Double) -> Double {
        Swift.min(1, Double(k + 1) / r)
    }

    /// Logistic ramp ρ = 1 / (1 + e^{−κ(x − x₀)}) with x = k + 1.
    @inline(__always) public static func logisticRamp(yearsSinceJoining k: Int, midpoint: Double, steepness: Double) -> Double {
        1 / (1 + Foundation.exp(-steepness * (Double(k + 1) - midpoint)))
    }
}
