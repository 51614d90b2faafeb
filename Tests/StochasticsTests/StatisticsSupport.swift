// Small, independent statistics used by the Stochastics tests. Nothing here calls GSL or
// the code under test, so a test that compares the module against these cannot pass by
// sharing a mistake with it.
import Foundation

/// Sample moments of a set of draws, computed in two passes (mean first, then central
/// moments) so that large offsets such as £300,000 do not cost precision.
struct SampleMoments {
    let count: Int
    let mean: Double
    /// Unbiased sample variance (divides by n − 1).
    let variance: Double
    /// Fourth central moment estimated from the sample, m₄ = Σ(x − x̄)⁴ / n.
    let fourthCentral: Double

    init(_ xs: [Double]) {
        precondition(xs.count > 1)
        count = xs.count
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        var s2 = 0.0, s4 = 0.0
        for x in xs {
            let d = x - m
            let d2 = d * d
            s2 += d2
            s4 += d2 * d2
        }
        mean = m
        variance = s2 / (n - 1)
        fourthCentral = s4 / n
    }

    /// Standard error of the sample mean when the true standard deviation is `sd`: σ/√n.
    func standardErrorOfMean(sd: Double) -> Double { sd / Double(count).squareRoot() }

    /// Standard error of the sample variance, √((μ₄ − σ⁴)/n), with μ₄ and σ⁴ both
    /// estimated from this sample (m₄ and s⁴). Using the sample's own fourth moment keeps
    /// the tolerance honest for heavy tails (lognormal, gamma with shape < 1), where the
    /// variance estimate is much noisier than for a normal.
    var standardErrorOfVariance: Double {
        let n = Double(count)
        return Swift.max(0, fourthCentral - variance * variance).squareRoot() / n.squareRoot()
    }
}

/// One-sample Kolmogorov–Smirnov statistic D = sup |Fₙ(x) − F(x)| of `xs` against `cdf`.
func kolmogorovSmirnov(_ xs: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = xs.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(x)
        d = Swift.max(d, f - Double(i) / n, Double(i + 1) / n - f)
    }
    return d
}

/// The 1 % critical value of the one-sample KS statistic for large n, 1.628/√n
/// (asymptotic Kolmogorov distribution, K₀.₉₉ = 1.6276).
func ksCritical1Percent(_ n: Int) -> Double { 1.628 / Double(n).squareRoot() }

/// Ranks 1…n with ties given their average rank.
func ranks(_ xs: [Double]) -> [Double] {
    let order = xs.indices.sorted { xs[$0] < xs[$1] }
    var r = [Double](repeating: 0, count: xs.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && xs[order[j + 1]] == xs[order[i]] { j += 1 }
        let average = Double(i + j) / 2 + 1
        for k in i...j { r[order[k]] = average }
        i = j + 1
    }
    return r
}

/// Pearson's product-moment correlation.
func pearson(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count && x.count > 1)
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        let dx = x[i] - mx, dy = y[i] - my
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    }
    return sxy / (sxx * syy).squareRoot()
}

/// Spearman's rank correlation: Pearson's correlation of the ranks.
func spearman(_ x: [Double], _ y: [Double]) -> Double { pearson(ranks(x), ranks(y)) }

/// Standard normal CDF from the C library's erfc (not GSL): Φ(x) = erfc(−x/√2)/2.
func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// Standard normal density.
func standardNormalDensity(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }

/// Φ⁻¹(0.9), as published (e.g. scipy.stats.norm.ppf(0.9) = 1.2815515655446004).
let z90 = 1.2815515655446004

/// Mean and variance of Normal(m, s) truncated to [lo, hi], by composite Simpson's rule
/// on the density: an independent check on the closed forms in Distribution.swift.
/// Infinite bounds are replaced by m ± 14 s, beyond which the density is below 1e-43.
func truncatedNormalMoments(mean m: Double, sd s: Double, lower: Double, upper: Double) -> (mean: Double, variance: Double) {
    let a = Swift.max(lower, m - 14 * s), b = Swift.min(upper, m + 14 * s)
    let intervals = 40_000
    let h = (b - a) / Double(intervals)
    var z = 0.0, first = 0.0, second = 0.0
    for i in 0...intervals {
        let x = a + Double(i) * h
        let w: Double = (i == 0 || i == intervals) ? 1 : (i % 2 == 1 ? 4 : 2)
        let f = w * standardNormalDensity((x - m) / s)
        z += f
        first += f * x
        second += f * x * x
    }
    let mean = first / z
    return (mean, second / z - mean * mean)
}

/// Relative-or-absolute closeness for deterministic (not random) comparisons.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    abs(a - b) <= Swift.max(absolute, relative * Swift.max(abs(a), abs(b)))
}
