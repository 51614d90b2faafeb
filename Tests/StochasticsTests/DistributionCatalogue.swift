// Every family and form of MODEL.md §2, each with its mean and variance worked out here
// from textbook closed forms — deliberately not the formulas Distribution.swift uses, so
// that a slip in either shows up as a disagreement.
import Foundation
import Testing
@testable import Stochastics

struct DistributionCase: Sendable, CustomTestStringConvertible {
    let label: String
    let distribution: Distribution
    /// Closed-form mean and variance, computed in the test.
    let mean: Double
    let variance: Double
    /// A fixed seed per case, so every case draws its own numbers.
    let seed: UInt64

    var isContinuous: Bool {
        switch distribution {
        case .discrete, .bernoulli, .fixed: false
        default: true
        }
    }

    var testDescription: String { label }
}

private func make(_ build: () throws -> Distribution) -> Distribution {
    do { return try build() } catch { fatalError("test catalogue: \(error)") }
}

enum Catalogue {
    // PERT: mean (a + λm + b)/(λ + 2); as a beta with α + β = λ + 2 its variance is
    // (μ − a)(b − μ)/(λ + 3) (Vose 2008 §9.1.3 for λ = 4).
    static func pert(_ a: Double, _ m: Double, _ b: Double, lambda: Double? = nil, seed: UInt64) -> DistributionCase {
        let l = lambda ?? 4
        let mu = (a + l * m + b) / (l + 2)
        let d = make { if let lambda { try .pert(min: a, mode: m, max: b, lambda: lambda) } else { try .pert(min: a, mode: m, max: b) } }
        return DistributionCase(label: "pert{\(a), \(m), \(b)\(lambda.map { ", λ=\($0)" } ?? "")}",
                                distribution: d, mean: mu, variance: (mu - a) * (b - mu) / (l + 3), seed: seed)
    }

    // Triangular: E[X] = (a+b+c)/3, E[X²] = (a²+b²+c²+ab+ac+bc)/6.
    static func triangular(_ a: Double, _ c: Double, _ b: Double, seed: UInt64) -> DistributionCase {
        let mu = (a + b + c) / 3
        let ex2 = (a * a + b * b + c * c + a * b + a * c + b * c) / 6
        return DistributionCase(label: "triangular{\(a), \(c), \(b)}", distribution: make { try .triangular(min: a, mode: c, max: b) },
                                mean: mu, variance: ex2 - mu * mu, seed: seed)
    }

    // Beta on [lo, hi]: E[Y] = α/(α+β), E[Y²] = α(α+1)/((α+β)(α+β+1)), X = lo + (hi − lo)Y.
    static func beta(_ al: Double, _ be: Double, _ lo: Double = 0, _ hi: Double = 1, seed: UInt64) -> DistributionCase {
        let ey = al / (al + be)
        let ey2 = al * (al + 1) / ((al + be) * (al + be + 1))
        let d = (lo == 0 && hi == 1) ? make { try .beta(alpha: al, beta: be) } : make { try .beta(alpha: al, beta: be, min: lo, max: hi) }
        return DistributionCase(label: "beta{\(al), \(be), [\(lo), \(hi)]}", distribution: d,
                                mean: lo + (hi - lo) * ey, variance: (hi - lo) * (hi - lo) * (ey2 - ey * ey), seed: seed)
    }

    // Normal truncated to [lo, hi]: moments by numerical integration of the density.
    static func truncated(_ m: Double, _ s: Double, min lo: Double?, max hi: Double?, seed: UInt64) -> DistributionCase {
        let (mu, v) = truncatedNormalMoments(mean: m, sd: s, lower: lo ?? -.infinity, upper: hi ?? .infinity)
        return DistributionCase(label: "normal{\(m), \(s), min \(lo.map { "\($0)" } ?? "-"), max \(hi.map { "\($0)" } ?? "-")}",
                                distribution: make { try .normal(mean: m, sd: s, min: lo, max: hi) },
                                mean: mu, variance: v, seed: seed)
    }

    // Lognormal with log-scale μ, σ: mean e^{μ+σ²/2}, variance (e^{σ²} − 1) e^{2μ+σ²}.
    static func lognormalMoments(mu: Double, sigma: Double) -> (Double, Double) {
        let s2 = sigma * sigma
        return (exp(mu + s2 / 2), (exp(s2) - 1) * exp(2 * mu + s2))
    }

    static let all: [DistributionCase] = {
        var cases: [DistributionCase] = []
        cases.append(DistributionCase(label: "fixed 3.5", distribution: make { try .fixedValue(3.5) }, mean: 3.5, variance: 0, seed: 1))
        cases.append(DistributionCase(label: "uniform{0.2, 0.5}", distribution: make { try .uniform(min: 0.2, max: 0.5) },
                                      mean: 0.35, variance: 0.3 * 0.3 / 12, seed: 2))
        cases.append(triangular(50_000, 100_000, 300_000, seed: 3))
        cases.append(triangular(0, 0, 1, seed: 4))                       // mode at min
        cases.append(pert(0.10, 0.20, 0.35, seed: 5))
        cases.append(pert(0.84, 0.90, 0.96, lambda: 6, seed: 6))
        cases.append(pert(0, 0, 1, seed: 7))                             // mode at min: beta(1, 5)
        cases.append(DistributionCase(label: "normal{0.25, 0.08}", distribution: make { try .normal(mean: 0.25, sd: 0.08) },
                                      mean: 0.25, variance: 0.0064, seed: 8))
        cases.append(truncated(0.85, 0.08, min: 0.6, max: 1.0, seed: 9))  // both bounds (medium-20)
        cases.append(truncated(0.25, 0.08, min: 0.0, max: 0.3, seed: 10)) // both, one close
        cases.append(truncated(0.05, 0.10, min: 0.0, max: nil, seed: 11)) // lower bound only
        cases.append(truncated(100, 20, min: nil, max: 110, seed: 12))    // upper bound only
        cases.append(truncated(0, 1, min: 3, max: nil, seed: 13))         // far in the upper tail
        do {
            // normal from p10/p90: mean (p10 + p90)/2, sd (p90 − p10)/(2 z₀.₉).
            let sd = 0.2 / (2 * z90)
            cases.append(DistributionCase(label: "normal{p10 0.1, p90 0.3}", distribution: make { try .normal(p10: 0.1, p90: 0.3) },
                                          mean: 0.2, variance: sd * sd, seed: 14))
        }
        do {
            let (m, v) = lognormalMoments(mu: 0, sigma: log(2) / z90)
            cases.append(DistributionCase(label: "lognormal{median 1, p90 2}", distribution: make { try .lognormal(median: 1, p90: 2) },
                                          mean: m, variance: v, seed: 15))
        }
        do {
            // The example scenario's ICT failure cost: σ ≈ 1.08, a heavy tail.
            let (m, v) = lognormalMoments(mu: log(150_000), sigma: log(4) / z90)
            cases.append(DistributionCase(label: "lognormal{median 150000, p90 600000}",
                                          distribution: make { try .lognormal(median: 150_000, p90: 600_000) },
                                          mean: m, variance: v, seed: 16))
        }
        // mean + sd form: the mean and variance are the inputs themselves.
        cases.append(DistributionCase(label: "lognormal{mean 600000, sd 400000}",
                                      distribution: make { try .lognormal(mean: 600_000, sd: 400_000) },
                                      mean: 600_000, variance: 400_000 * 400_000, seed: 17))
        do {
            // p10 + p90: μ = ln √(p10·p90) = ln 100, σ = ln(p90/p10)/(2 z₀.₉).
            let (m, v) = lognormalMoments(mu: log(100), sigma: log(4) / (2 * z90))
            cases.append(DistributionCase(label: "lognormal{p10 50, p90 200}", distribution: make { try .lognormal(p10: 50, p90: 200) },
                                          mean: m, variance: v, seed: 18))
        }
        cases.append(beta(2, 8, seed: 19))
        cases.append(beta(0.5, 0.5, seed: 20))                           // U-shaped, both shapes < 1
        cases.append(beta(6, 3, 0.85, 0.98, seed: 21))
        cases.append(DistributionCase(label: "gamma{0.5, 2}", distribution: make { try .gamma(shape: 0.5, scale: 2) },
                                      mean: 1, variance: 2, seed: 22))
        cases.append(DistributionCase(label: "gamma{4, 75000}", distribution: make { try .gamma(shape: 4, scale: 75_000) },
                                      mean: 300_000, variance: 4 * 75_000 * 75_000, seed: 23))
        // discrete, listed out of order: E = 0·0.6 + 1·0.3 + 2·0.1 = 0.5, E[X²] = 0.3 + 0.4 = 0.7.
        cases.append(DistributionCase(label: "discrete{[2, 0, 1], [0.1, 0.6, 0.3]}",
                                      distribution: make { try .discrete(values: [2, 0, 1], weights: [0.1, 0.6, 0.3]) },
                                      mean: 0.5, variance: 0.7 - 0.25, seed: 24))
        cases.append(DistributionCase(label: "bernoulli{0.6}", distribution: make { try .bernoulli(p: 0.6) },
                                      mean: 0.6, variance: 0.24, seed: 25))
        cases.append(DistributionCase(label: "bernoulli{0.04}", distribution: make { try .bernoulli(p: 0.04) },
                                      mean: 0.04, variance: 0.04 * 0.96, seed: 26))
        return cases
    }()

    static var continuous: [DistributionCase] { all.filter(\.isContinuous) }
    static var finite: [DistributionCase] { all.filter { !$0.isContinuous && $0.distribution.isRandom } }
}
