// The uniform matrices behind each block: plain Monte Carlo, and Latin hypercube with
// exactly one point per stratum per input within the block.
import Foundation
import Testing
@testable import Stochastics

@Suite("Uniform matrices")
struct SamplingTests {
    static func fill(n: Int, k: Int, method: SamplingMethod, seed: UInt64 = 7, block: UInt64 = 0) -> [Double] {
        let stream = RandomStream(seed: seed, block: block)
        var u = [Double](repeating: .nan, count: n * k)
        var permutation = [Int](repeating: 0, count: n)
        u.withUnsafeMutableBufferPointer { ub in
            permutation.withUnsafeMutableBufferPointer { pb in
                UniformMatrix.fill(ub, iterations: n, dimension: k, method: method, stream: stream, permutation: pb)
            }
        }
        return u
    }

    @Test("Latin hypercube: one point in each stratum [j/n, (j+1)/n) of every input",
          arguments: zip([1, 2, 7, 999, 1000], [3, 2, 5, 4, 6]))
    func latinHypercubeStrata(n: Int, k: Int) {
        let u = Self.fill(n: n, k: k, method: .latinHypercube)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 }, "every value lies in the open interval (0, 1)")
        for d in 0..<k {
            var hits = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let x = u[i * k + d]
                let j = Int((x * Double(n)).rounded(.down))
                guard j >= 0 && j < n else { Issue.record("value \(x) outside [0, 1)"); continue }
                // Check membership directly too, without trusting the multiplication.
                #expect(Double(j) / Double(n) <= x && x < Double(j + 1) / Double(n))
                hits[j] += 1
            }
            #expect(hits.allSatisfy { $0 == 1 }, "input \(d): strata hit \(hits.enumerated().filter { $0.element != 1 }.prefix(5).map { "\($0.offset)×\($0.element)" })")
        }
    }

    @Test("Latin hypercube: the inputs are shuffled independently")
    func latinHypercubeIndependence() {
        let n = 1000, k = 6
        let u = Self.fill(n: n, k: k, method: .latinHypercube)
        let columns = (0..<k).map { d in (0..<n).map { u[$0 * k + d] } }
        // For independent columns the rank correlation has SE ≈ 1/√(n − 1).
        let limit = 5 / Double(n - 1).squareRoot()
        for a in 0..<k {
            // Not in stratum order: neighbouring iterations are not neighbouring strata.
            #expect(abs(spearman(columns[a], (0..<n).map(Double.init))) <= limit, "input \(a) follows the iteration order")
            for b in (a + 1)..<k {
                let rho = spearman(columns[a], columns[b])
                #expect(abs(rho) <= limit, "inputs \(a), \(b): rank correlation \(rho)")
            }
        }
        // Different blocks use different permutations.
        let other = Self.fill(n: n, k: k, method: .latinHypercube, block: 1)
        #expect(u != other)
    }

    @Test("Latin hypercube: positions within strata are uniform")
    func latinHypercubeWithinStratum() {
        let n = 1000, k = 50
        let u = Self.fill(n: n, k: k, method: .latinHypercube)
        // The offset of each point inside its stratum, n·x − ⌊n·x⌋, is U(0, 1).
        let offsets = u.map { $0 * Double(n) - ($0 * Double(n)).rounded(.down) }
        let d = kolmogorovSmirnov(offsets) { Swift.min(1, Swift.max(0, $0)) }
        #expect(d < ksCritical1Percent(offsets.count), "KS D = \(d)")
    }

    @Test("Monte Carlo: values in (0, 1), mean 1/2 within 5 SE, uniform by KS")
    func monteCarlo() {
        let n = 1000, k = 100
        let u = Self.fill(n: n, k: k, method: .monteCarlo)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let m = SampleMoments(u)
        let se = m.standardErrorOfMean(sd: (1.0 / 12).squareRoot())
        #expect(abs(m.mean - 0.5) <= 5 * se, "mean \(m.mean)")
        #expect(abs(m.variance - 1.0 / 12) <= 5 * m.standardErrorOfVariance, "variance \(m.variance)")
        let d = kolmogorovSmirnov(u) { $0 }
        #expect(d < ksCritical1Percent(u.count), "KS D = \(d)")
        // Monte Carlo does not stratify: with 1000 points in 1000 strata some strata are
        // empty (expected share e⁻¹ ≈ 37 %).
        let firstInput = (0..<n).map { u[$0 * k] }
        let occupied = Set(firstInput.map { Int($0 * Double(n)) }).count
        #expect(occupied < n)
    }

    @Test("a block's matrix depends only on (seed, block)")
    func reproducible() {
        for method in SamplingMethod.allCases {
            #expect(Self.fill(n: 100, k: 3, method: method, seed: 5, block: 2) == Self.fill(n: 100, k: 3, method: method, seed: 5, block: 2))
            #expect(Self.fill(n: 100, k: 3, method: method, seed: 5, block: 2) != Self.fill(n: 100, k: 3, method: method, seed: 5, block: 3))
        }
    }

    @Test("method names as written in scenario files")
    func methodNames() {
        #expect(SamplingMethod(rawValue: "monte-carlo") == .monteCarlo)
        #expect(SamplingMethod(rawValue: "latin-hypercube") == .latinHypercube)
        #expect(SamplingMethod(rawValue: "sobol") == .sobol)
    }
}
