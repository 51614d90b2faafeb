// The Gaussian copula must give the Spearman rank correlation asked for, leave each
// marginal uniform, and refuse (by name) a set of correlations that cannot hold together.
import Foundation
import Testing
@testable import Stochastics

@Suite("Gaussian copula")
struct GaussianCopulaTests {
    static let pairs = 100_000

    /// `pairs` rows of `copula.dimension` correlated uniforms, one column per input.
    static func correlatedColumns(_ copula: GaussianCopula, seed: UInt64) -> [[Double]] {
        let k = copula.dimension
        let stream = RandomStream(seed: seed, block: 0)
        var columns = [[Double]](repeating: [], count: k)
        for j in 0..<k { columns[j].reserveCapacity(pairs) }
        var u = [Double](repeating: 0, count: k), scratch = [Double](repeating: 0, count: k)
        for _ in 0..<pairs {
            for j in 0..<k { u[j] = stream.uniform() }
            u.withUnsafeMutableBufferPointer { ub in
                scratch.withUnsafeMutableBufferPointer { sb in copula.correlate(ub, scratch: sb) }
            }
            for j in 0..<k { columns[j].append(u[j]) }
        }
        return columns
    }

    @Test("realised Spearman correlation is within ±0.02 of the target", arguments: [-0.3, 0.5, 0.9])
    func realisedSpearman(_ rho: Double) throws {
        let copula = try GaussianCopula(names: ["saving", "cost"], spearman: [[1, rho], [rho, 1]])
        let columns = Self.correlatedColumns(copula, seed: UInt64(1000 + rho * 100))
        let realised = spearman(columns[0], columns[1])
        #expect(abs(realised - rho) <= 0.02, "target \(rho), realised \(realised)")

        // A sharper check that the Pearson transform is applied: the normal scores
        // Φ⁻¹(u′) have Pearson correlation r = 2 sin(πρ/6), whose standard error for a
        // bivariate normal is (1 − r²)/√n. (Spearman and Pearson differ by < 0.02, so the
        // ±0.02 band alone would not notice the transform going missing.)
        let r = 2 * sin(Double.pi * rho / 6)
        let z0 = columns[0].map { Distribution.normal(mean: 0, sd: 1, lower: -.infinity, upper: .infinity).quantile($0) }
        let z1 = columns[1].map { Distribution.normal(mean: 0, sd: 1, lower: -.infinity, upper: .infinity).quantile($0) }
        let realisedPearson = pearson(z0, z1)
        let se = (1 - r * r) / Double(Self.pairs).squareRoot()
        #expect(abs(realisedPearson - r) <= 5 * se, "normal-score Pearson \(realisedPearson) vs \(r) (\(abs(realisedPearson - r) / se) SE)")

        // Marginals stay uniform on (0, 1).
        for (j, column) in columns.enumerated() {
            #expect(column.allSatisfy { $0 > 0 && $0 < 1 })
            let d = kolmogorovSmirnov(column) { $0 }
            #expect(d < ksCritical1Percent(Self.pairs), "column \(j): KS D = \(d)")
        }
    }

    @Test("three inputs: each pair gets its own correlation")
    func threeInputs() throws {
        let s: [[Double]] = [[1, 0.6, -0.2], [0.6, 1, 0.1], [-0.2, 0.1, 1]]
        let copula = try GaussianCopula(names: ["a", "b", "c"], spearman: s)
        let columns = Self.correlatedColumns(copula, seed: 77)
        for i in 0..<3 {
            for j in (i + 1)..<3 {
                let realised = spearman(columns[i], columns[j])
                #expect(abs(realised - s[i][j]) <= 0.02, "(\(i), \(j)): target \(s[i][j]), realised \(realised)")
            }
        }
    }

    @Test("zero correlation leaves the uniforms untouched (up to rounding)")
    func identity() throws {
        let copula = try GaussianCopula(names: ["x", "y"], spearman: [[1, 0], [0, 1]])
        var u = [0.1, 0.73]
        var scratch = [0.0, 0.0]
        u.withUnsafeMutableBufferPointer { ub in scratch.withUnsafeMutableBufferPointer { copula.correlate(ub, scratch: $0) } }
        #expect(abs(u[0] - 0.1) < 1e-12 && abs(u[1] - 0.73) < 1e-12)
    }

    @Test("extreme uniforms stay strictly inside (0, 1)")
    func staysOpen() throws {
        let copula = try GaussianCopula(names: ["x", "y"], spearman: [[1, 0.9], [0.9, 1]])
        for (a, b) in [(1e-300, 1e-300), (1 - 0x1p-53, 1 - 0x1p-53), (1e-300, 1 - 0x1p-53)] {
            var u = [a, b]
            var scratch = [0.0, 0.0]
            u.withUnsafeMutableBufferPointer { ub in scratch.withUnsafeMutableBufferPointer { copula.correlate(ub, scratch: $0) } }
            #expect(u.allSatisfy { $0 > 0 && $0 < 1 }, "\(u)")
            #expect(Distribution.normal(mean: 0, sd: 1, lower: -.infinity, upper: .infinity).quantile(u[1]).isFinite)
        }
    }

    @Test("a matrix that is not positive definite throws an error naming the inputs")
    func notPositiveDefinite() {
        let s: [[Double]] = [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]
        let names = ["functions.hr.payroll.saving", "one_off_costs.ICT implementation.amount", "benefit_realisation"]
        let error = #expect(throws: StochasticsError.self) { try GaussianCopula(names: names, spearman: s) }
        for name in names { #expect(error?.problem.contains("'\(name)'") ?? false, "the message should name \(name)") }
        #expect(error?.problem.contains("not positive definite") ?? false)
        #expect(!(error?.fix.isEmpty ?? true))

        // Only the inputs involved are named: here 'a' and 'b' are uncorrelated with the
        // failing pair's partner, so the culprit list is the leading failing block.
        let t: [[Double]] = [[1, 0, 0.95, 0.95], [0, 1, 0, 0], [0.95, 0, 1, -0.95], [0.95, 0, -0.95, 1]]
        let e2 = #expect(throws: StochasticsError.self) { try GaussianCopula(names: ["a", "b", "c", "d"], spearman: t) }
        #expect(e2?.problem.contains("'a'") ?? false)
        #expect(e2?.problem.contains("'c'") ?? false)
        #expect(e2?.problem.contains("'d'") ?? false)
        #expect(!(e2?.problem.contains("'b'") ?? true), "'b' is correlated with nothing and should not be blamed")
    }

    @Test("a perfect rank correlation is accepted and gives (almost) identical ranks")
    func perfectCorrelation() throws {
        // 2 sin(π/6) rounds to 0.9999999999999999, so the matrix is (just) positive
        // definite and the copula makes the two inputs comonotone up to rounding.
        let copula = try GaussianCopula(names: ["x", "y"], spearman: [[1, 1], [1, 1]])
        let stream = RandomStream(seed: 3, block: 0)
        var x: [Double] = [], y: [Double] = []
        for _ in 0..<2000 {
            var u = [stream.uniform(), stream.uniform()]
            var scratch = [0.0, 0.0]
            u.withUnsafeMutableBufferPointer { ub in scratch.withUnsafeMutableBufferPointer { copula.correlate(ub, scratch: $0) } }
            x.append(u[0]); y.append(u[1])
        }
        #expect(spearman(x, y) > 0.9999)
    }

    @Test("Pearson from Spearman: r = 2 sin(πρ/6)")
    func pearsonFromSpearman() {
        #expect(GaussianCopula.pearson(fromSpearman: 0) == 0)
        #expect(isClose(GaussianCopula.pearson(fromSpearman: 1), 1, relative: 1e-15))
        #expect(isClose(GaussianCopula.pearson(fromSpearman: -1), -1, relative: 1e-15))
        // 2 sin(π/12) = (√6 − √2)/2 = 0.5176380902050415.
        #expect(isClose(GaussianCopula.pearson(fromSpearman: 0.5), (6.0.squareRoot() - 2.0.squareRoot()) / 2, relative: 1e-15))
        // Odd and increasing.
        #expect(GaussianCopula.pearson(fromSpearman: -0.3) == -GaussianCopula.pearson(fromSpearman: 0.3))
        #expect(GaussianCopula.pearson(fromSpearman: 0.3) < GaussianCopula.pearson(fromSpearman: 0.31))
    }
}
