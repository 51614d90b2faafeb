import Foundation

/// The beta distribution's quantile, x with I_x(a, b) = p, where I is the regularised
/// incomplete beta function.
///
/// Why not GSL's `gsl_cdf_beta_Pinv` throughout: it recomputes ln B(a, b) (three log-gamma
/// functions) inside every CDF and density evaluation of its search, about 45 log-gammas a
/// call, and correlated PERT inputs take one quantile per iteration each. Here ln B(a, b) is
/// taken once (GSL's `gsl_sf_lnbeta`), then a safeguarded Halley iteration solves
/// I_x(a, b) = p:
///
/// - I_x(a, b) by its continued fraction (Abramowitz & Stegun 26.5.8), evaluated with the
///   modified Lentz method, on the side of the mean where it converges fast
///   (x < (a + 1)/(a + b + 2)), and through I_x(a, b) = 1 − I_{1−x}(b, a) on the other;
/// - the density f(x) = x^(a−1) (1−x)^(b−1) / B(a, b) and f'/f = (a−1)/x − (b−1)/(1−x)
///   give the Halley step;
/// - a bracket [lo, hi] with I(lo) ≤ p ≤ I(hi) is kept, and a step that leaves it is
///   replaced by bisection, so the search cannot wander off or cycle;
/// - the starting point is Abramowitz & Stegun 26.5.22 (a normal approximation).
///
/// Upper-tail probabilities (p > ½) are solved as the lower tail of the mirrored
/// distribution, x = 1 − Q_{b,a}(1 − p) (1 − p is exact there), so both tails are found
/// with full relative precision in the tail probability.
///
/// The fast path is used for 1 ≤ a, b ≤ 50: every PERT with λ ≤ 49 (its shapes lie in
/// [1, 1 + λ]) and the beta shapes people write; there the incomplete beta agrees with
/// GSL's CDF to 10⁻¹³ relative (BetaQuantileTests). Beyond 50 the front factor
/// x^a (1−x)^b loses digits as a + b grows; there, below 1 (an unbounded density), or if
/// the iteration does not settle, GSL's `gsl_cdf_beta_Pinv` answers as before. Tested
/// against closed forms (a = 1 or b = 1) and against GSL's independent CDF and quantile.
enum BetaQuantile {
    /// The quantile of Beta(a, b) at p in [0, 1].
    static func quantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        guard a >= 1, b >= 1, a <= 50, b <= 50, p > 0, p < 1 else { return GSLCDF.gslBetaQuantile(p, a, b) }
        let lnB = GSLCDF.lnBeta(a, b)
        let x: Double?
        if p > 0.5 {
            x = lowerTail(1 - p, b, a, lnB).map { 1 - $0 }
        } else {
            x = lowerTail(p, a, b, lnB)
        }
        return x ?? GSLCDF.gslBetaQuantile(p, a, b)
    }

    /// x with I_x(a, b) = p for p ≤ ½, or nil when the iteration does not settle. `from`
    /// is a tabulated starting point (BetaQuantileStarts), or nil for A&S 26.5.22.
    static func lowerTail(_ p: Double, _ a: Double, _ b: Double, _ lnB: Double, from tabulated: Double? = nil) -> Double? {
        var lo = 0.0, hi = 1.0
        var x = tabulated ?? start(p, a, b)
        for _ in 0..<100 {
            let cdf = regularisedIncompleteBeta(x, a, b, lnB)
            let error = cdf - p
            if error == 0 { return x }
            if error < 0 { lo = x } else { hi = x }
            let density = density(x, a, b, lnB)
            var next: Double
            if density > 0 && density.isFinite {
                // Halley: Newton's step t = error/f, corrected by the curvature f'/f.
                let t = error / density
                let curvature = (a - 1) / x - (b - 1) / (1 - x)
                let correction = 1 - 0.5 * Swift.min(Swift.max(t * curvature, -1), 1)
                next = x - t / correction
            } else {
                next = .nan
            }
            let halley = next > lo && next < hi
            if !halley { next = 0.5 * (lo + hi) }
            // Settled when the step is below a few units in the last place of x.
            if Swift.abs(next - x) <= 4 * Double.ulpOfOne * x { return next }
            // From a tabulated start the first Halley step is already tiny. Halley's method
            // converges cubically: after a step of relative size δ the relative error is of
            // order C·δ³, C about (a + b)² ≤ 10⁴ here, so δ ≤ 10⁻⁹ leaves ~10⁻²³, far below
            // one unit in the last place, and the evaluation that would confirm it is skipped.
            if tabulated != nil && halley && Swift.abs(next - x) <= 1e-9 * x { return next }
            if hi - lo <= 4 * Double.ulpOfOne * hi { return next }
            x = next
        }
        return nil
    }

    /// The density f(x) = x^(a−1) (1−x)^(b−1) / B(a, b) for 0 < x < 1, given ln B(a, b).
    @inline(__always)
    static func density(_ x: Double, _ a: Double, _ b: Double, _ lnB: Double) -> Double {
        Foundation.exp((a - 1) * Foundation.log(x) + (b - 1) * Foundation.log1p(-x) - lnB)
    }

    /// Starting point: Abramowitz & Stegun 26.5.22, x ≈ a / (a + b e^{2w}), with y the
    /// upper normal deviate of p; clamped into (0, 1).
    private static func start(_ p: Double, _ a: Double, _ b: Double) -> Double {
        let y = -GSLCDF.normalQuantile(p)
        let lambda = (y * y - 3) / 6
        let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        let w = y * (h + lambda).squareRoot() / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5.0 / 6 - 2 / (3 * h))
        let x = a / (a + b * Foundation.exp(2 * w))
        // h + λ < 0 (p near ½ with a or b near 1) or an overflow gives NaN: start at the mean.
        guard x > 0 && x < 1 else { return a / (a + b) }
        return x
    }

    /// I_x(a, b) for 0 < x < 1, given ln B(a, b).
    static func regularisedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double, _ lnB: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // x^a (1−x)^b / B(a, b), shared by both sides of the symmetry.
        let front = Foundation.exp(a * Foundation.log(x) + b * Foundation.log1p(-x) - lnB)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x, a, b) / a
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    /// The continued fraction of A&S 26.5.8, 1/(1 + d₁/(1 + d₂/(1 + …))) with
    /// d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)),
    /// by the modified Lentz method (tiny stands in for a zero denominator).
    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if Swift.abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...10_000 {
            let mm = Double(m), twoM = 2 * mm
            // Even step.
            var coefficient = mm * (b - mm) * x / ((a + twoM - 1) * (a + twoM))
            d = 1 + coefficient * d
            if Swift.abs(d) < tiny { d = tiny }
            c = 1 + coefficient / c
            if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            // Odd step.
            coefficient = -(a + mm) * (a + b + mm) * x / ((a + twoM) * (a + twoM + 1))
            d = 1 + coefficient * d
            if Swift.abs(d) < tiny { d = tiny }
            c = 1 + coefficient / c
            if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if Swift.abs(delta - 1) <= Double.ulpOfOne { break }
        }
        return f
    }
}

/// Starting points for the quantile of one Beta(a, b), tabulated once so that each quantile
/// afterwards needs one evaluation of the incomplete beta function instead of three or four.
///
/// Correlated inputs (and every beta or PERT input under Latin hypercube or Sobol sampling)
/// take one quantile per iteration; from the start of A&S 26.5.22 (`BetaQuantile`) that is
/// a Halley iteration of three or four steps, each a continued fraction — about a twentieth
/// of a large run's time. Here Q(p), Q′(p) = 1/f(Q) and Q″(p) = −(f′/f)(Q)·Q′² are
/// tabulated at p = k/N (N = 256, Q by `BetaQuantile.quantile` itself), and the quintic
/// Hermite interpolant between two of them starts the same safeguarded Halley iteration
/// close enough that one step lands far below a unit in the last place; the iteration stops
/// there (`BetaQuantile.lowerTail`). The first and last intervals, where Q′ is unbounded,
/// and any start outside (0, 1) take the ordinary start. Either way the answer is a root of
/// I_x(a, b) = p as exact as the incomplete beta function's own rounding allows (the tests
/// hold both paths to GSL's CDF); the two paths may differ in the last digits (tests: at
/// most 10⁻¹³ relative).
public final class BetaQuantileStarts: Sendable {
    /// Intervals of the table over p in [0, 1].
    static let intervals = 256
    let a: Double, b: Double, lnB: Double
    /// At p = k/N, k = 0 … N: Q, Q′·(1/N) and Q″·(1/N)² (scaled to one interval).
    let x: [Double], slope: [Double], curvature: [Double]

    /// The table for Beta(a, b), or nil outside the fast path's shapes (1 ≤ a, b ≤ 50).
    public init?(a: Double, b: Double) {
        guard a >= 1, b >= 1, a <= 50, b <= 50 else { return nil }
        self.a = a
        self.b = b
        lnB = GSLCDF.lnBeta(a, b)
        let n = Self.intervals
        var xs = [Double](repeating: 0, count: n + 1)
        var slopes = xs, curvatures = xs
        // k = 0 and N stay 0: their intervals are never interpolated.
        for k in 1..<n {
            let q = BetaQuantile.quantile(Double(k) / Double(n), a, b)
            let density = BetaQuantile.density(q, a, b, lnB)
            let m = 1 / (density * Double(n))
            xs[k] = q
            slopes[k] = m
            curvatures[k] = -((a - 1) / q - (b - 1) / (1 - q)) * m * m
        }
        x = xs
        slope = slopes
        curvature = curvatures
    }

    /// The start for p: quintic Hermite interpolation in the table, or nil in the first and
    /// last intervals or if the interpolant leaves (0, 1).
    func start(_ p: Double) -> Double? {
        let n = Self.intervals
        let position = p * Double(n)
        guard position >= 1 && position < Double(n - 1) else { return nil }
        let k = Int(position)
        let s = position - Double(k), s2 = s * s, s3 = s2 * s, s4 = s3 * s, s5 = s4 * s
        // The six quintic Hermite basis functions (value, slope, curvature at each end).
        let value1 = 10 * s3 - 15 * s4 + 6 * s5
        let guess = (1 - value1) * x[k] + value1 * x[k + 1]
            + (s - 6 * s3 + 8 * s4 - 3 * s5) * slope[k] + (-4 * s3 + 7 * s4 - 3 * s5) * slope[k + 1]
            + 0.5 * (s2 - 3 * s3 + 3 * s4 - s5) * curvature[k] + 0.5 * (s3 - 2 * s4 + s5) * curvature[k + 1]
        return guess > 0 && guess < 1 ? guess : nil
    }

    /// The quantile of Beta(a, b) at p: `BetaQuantile.quantile` from the tabulated start.
    public func quantile(_ p: Double) -> Double {
        guard p > 0, p < 1, let guess = start(p) else { return BetaQuantile.quantile(p, a, b) }
        let x: Double?
        if p > 0.5 {
            x = BetaQuantile.lowerTail(1 - p, b, a, lnB, from: 1 - guess).map { 1 - $0 }
        } else {
            x = BetaQuantile.lowerTail(p, a, b, lnB, from: guess)
        }
        return x ?? GSLCDF.gslBetaQuantile(p, a, b)
    }
}
