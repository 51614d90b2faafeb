// The sample mean and variance of 10⁵ draws must lie within 5 standard errors of the
// closed-form values, for the direct sampler and for the quantile of a uniform alike.
// Tolerances: SE(mean) = σ/√n with the closed-form σ; SE(variance) = √((μ₄ − σ⁴)/n)
// with μ₄ and σ² both estimated from the sample (see SampleMoments).
import Foundation
import Testing
@testable import Stochastics

@Suite("Distribution moments")
struct DistributionMomentTests {
    static let draws = 100_000

    enum Method: String, CaseIterable, Sendable { case sample, quantile }

    static func draw(_ c: DistributionCase, method: Method) -> [Double] {
        // Different block per method so the two checks use different numbers.
        let stream = RandomStream(seed: c.seed, block: method == .sample ? 0 : 1)
        let d = c.distribution
        switch method {
        case .sample: return (0..<draws).map { _ in d.sample(using: stream) }
        case .quantile: return (0..<draws).map { _ in d.quantile(stream.uniform()) }
        }
    }

    @Test("sampled mean and variance within 5 SE of the closed forms",
          arguments: Catalogue.all, Method.allCases)
    func sampledMoments(_ c: DistributionCase, _ method: Method) {
        let xs = Self.draw(c, method: method)
        if !c.distribution.isRandom {
            #expect(xs.allSatisfy { $0 == c.mean }, "a fixed input must always give its value")
            return
        }
        let m = SampleMoments(xs)
        let seMean = m.standardErrorOfMean(sd: c.variance.squareRoot())
        let seVar = m.standardErrorOfVariance
        #expect(abs(m.mean - c.mean) <= 5 * seMean,
                "\(c.label) [\(method)]: mean \(m.mean) vs \(c.mean), \(abs(m.mean - c.mean) / seMean) SE")
        #expect(abs(m.variance - c.variance) <= 5 * seVar,
                "\(c.label) [\(method)]: variance \(m.variance) vs \(c.variance), \(abs(m.variance - c.variance) / seVar) SE")
        // Every draw lies in the support.
        let support = c.distribution.support
        #expect(xs.allSatisfy { support.contains($0) }, "\(c.label) [\(method)]: a draw fell outside \(support)")
    }

    @Test("analytic mean and variance properties equal the closed forms", arguments: Catalogue.all)
    func analyticProperties(_ c: DistributionCase) {
        // The truncated-normal closed forms are checked against numerical integration,
        // which is good to about 1e-9 relative.
        #expect(isClose(c.distribution.mean, c.mean, relative: 1e-8, absolute: 1e-12),
                "\(c.label): mean \(c.distribution.mean) vs \(c.mean)")
        #expect(isClose(c.distribution.variance, c.variance, relative: 1e-8, absolute: 1e-14),
                "\(c.label): variance \(c.distribution.variance) vs \(c.variance)")
    }

    @Test("PERT mean is (min + 4·mode + max)/6, and (min + λ·mode + max)/(λ + 2) in general")
    func pertMean() throws {
        let d = try Distribution.pert(min: 33_000, mode: 35_000, max: 39_000)
        #expect(isClose(d.mean, (33_000 + 4 * 35_000 + 39_000) / 6.0))
        let d6 = try Distribution.pert(min: 0.84, mode: 0.90, max: 0.96, lambda: 6)
        #expect(isClose(d6.mean, (0.84 + 6 * 0.90 + 0.96) / 8))
        // The α, β of MODEL.md §2.
        guard case let .scaledBeta(alpha, beta, lo, hi) = try Distribution.pert(min: 0.1, mode: 0.2, max: 0.35) else {
            Issue.record("pert did not build a scaled beta"); return
        }
        #expect(isClose(alpha, 1 + 4 * 0.1 / 0.25) && isClose(beta, 1 + 4 * 0.15 / 0.25))
        #expect(lo == 0.1 && hi == 0.35)
    }

    @Test("lognormal from median and p90: median = e^μ and quantile(0.9) = p90")
    func lognormalMedianP90() throws {
        for (median, p90) in [(150_000.0, 600_000.0), (1.0, 2.0), (1_500_000.0, 6_000_000.0), (0.02, 0.021)] {
            let d = try Distribution.lognormal(median: median, p90: p90)
            guard case let .lognormal(mu, sigma) = d else { Issue.record("not a lognormal"); continue }
            #expect(isClose(exp(mu), median, relative: 1e-12))
            #expect(isClose(d.median, median, relative: 1e-9))
            #expect(isClose(d.quantile(0.9), p90, relative: 1e-9))
            // The independent check: P(X ≤ p90) = Φ((ln p90 − μ)/σ) = 0.9.
            #expect(isClose(phi((log(p90) - mu) / sigma), 0.9, relative: 1e-9))
        }
    }

    @Test("lognormal from p10 and p90 and from mean and sd reproduce their inputs")
    func lognormalOtherForms() throws {
        let d = try Distribution.lognormal(p10: 50, p90: 200)
        #expect(isClose(d.quantile(0.1), 50, relative: 1e-9))
        #expect(isClose(d.quantile(0.9), 200, relative: 1e-9))
        #expect(isClose(d.median, 100, relative: 1e-9))   // the geometric mean of p10 and p90
        let e = try Distribution.lognormal(mean: 600_000, sd: 400_000)
        #expect(isClose(e.mean, 600_000, relative: 1e-12))
        #expect(isClose(e.variance.squareRoot(), 400_000, relative: 1e-12))
    }

    @Test("normal from p10 and p90 round-trips its percentiles")
    func normalP10P90() throws {
        for (p10, p90) in [(0.1, 0.3), (-5.0, 12.0), (1e6, 1.2e6)] {
            let d = try Distribution.normal(p10: p10, p90: p90)
            #expect(isClose(d.quantile(0.1), p10, relative: 1e-9, absolute: 1e-12))
            #expect(isClose(d.quantile(0.9), p90, relative: 1e-9, absolute: 1e-12))
            #expect(isClose(d.mean, (p10 + p90) / 2))
            // Independent of GSL: Φ((p90 − mean)/sd) = 0.9.
            let sd = d.variance.squareRoot()
            #expect(isClose(phi((p90 - d.mean) / sd), 0.9, relative: 1e-9))
            #expect(isClose(phi((p10 - d.mean) / sd), 0.1, relative: 1e-9))
        }
        // With truncation bounds the percentiles describe the untruncated normal.
        let t = try Distribution.normal(p10: 0.1, p90: 0.3, min: 0)
        guard case let .normal(mean, sd, lower, upper) = t else { Issue.record("not a normal"); return }
        #expect(isClose(mean, 0.2) && isClose(sd, 0.2 / (2 * z90)) && lower == 0 && upper == .infinity)
    }

    @Test("the published z₀.₉ constant is Φ⁻¹(0.9)")
    func z90Constant() {
        #expect(isClose(phi(Distribution.z90), 0.9, relative: 1e-14))
    }
}
