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

    /// x with I_x(a, b) = p for p ≤ ½, or nil when the iteration does not settle.
    private static func lowerTail(_ p: Double, _ a: Double, _ b: Double, _ lnB: Double) -> Double? {
        var lo = 0.0, hi = 1.0
        var x = start(p, a, b)
        for _ in 0..<100 {
            let cdf = regularisedIncompleteBeta(x, a, b, lnB)
            let error = cdf - p
            if error == 0 { return x }
            if error < 0 { lo = x } else { hi = x }
            let lnDensity = (a - 1) * Foundation.log(x) + (b - 1) * Foundation.log1p(-x) - lnB
            let density = Foundation.exp(lnDensity)
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
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            // Settled when the step is below a few units in the last place of x.
            if Swift.abs(next - x) <= 4 * Double.ulpOfOne * x { return next }
            if hi - lo <= 4 * Double.ulpOfOne * hi { return next }
            x = next
        }
        return nil
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
