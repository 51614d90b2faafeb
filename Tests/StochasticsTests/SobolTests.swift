// Sobol sampling: GSL's sequence, the per-block Cranley–Patterson shift, the padding, and
// the variance reduction it buys on a smooth integrand.
import Foundation
import Testing
@testable import Stochastics

@Suite("Sobol points")
struct SobolTests {
    /// A block's matrix: `sobol` Sobol columns then `k − sobol` padding columns.
    static func block(n: Int, k: Int, sobol: Int? = nil, seed: UInt64 = 7, block: UInt64 = 0) -> [Double] {
        let stream = RandomStream(seed: seed, block: block)
        var u = [Double](repeating: .nan, count: n * k)
        u.withUnsafeMutableBufferPointer {
            SobolPoints.fill($0, iterations: n, dimension: k, sobolColumns: sobol ?? k, stream: stream)
        }
        return u
    }

    @Test("GSL's Sobol generator: 40 dimensions, starts after the origin at (½, ½, …), 30-bit coordinates")
    func gslSequence() throws {
        #expect(SobolPoints.maximumDimension == 40)
        let q = try GSLSobol(dimension: 3)
        var x = [Double](repeating: .nan, count: 3)
        try x.withUnsafeMutableBufferPointer { try q.next(into: $0.baseAddress!) }
        #expect(x == [0.5, 0.5, 0.5])
        try x.withUnsafeMutableBufferPointer { try q.next(into: $0.baseAddress!) }
        #expect(x == [0.75, 0.25, 0.75])
        for _ in 0..<5000 {
            try x.withUnsafeMutableBufferPointer { try q.next(into: $0.baseAddress!) }
            for v in x {
                let scaled = v * Double(1 << GSLSobol.bitCount)
                #expect(v >= 0 && v < 1 && scaled == scaled.rounded(), "\(v) is not a multiple of 2^-30 in [0, 1)")
            }
        }
    }

    @Test("A dimension GSL cannot provide is an error, never a call into GSL", arguments: [0, 41, 1000])
    func dimensionLimit(d: Int) {
        #expect(throws: GSLError.self) { _ = try GSLSobol(dimension: d) }
    }

    @Test("The block's first point is the origin moved by the shift: odd multiples of 2⁻³³")
    func firstPointIsTheShift() {
        let u = Self.block(n: 4, k: 5)
        for d in 0..<5 {
            let scaled = u[d] * 8_589_934_592.0  // 2^33
            #expect(scaled.rounded() == scaled && Int64(scaled) % 2 == 1, "coordinate \(d): \(u[d])")
        }
    }

    @Test("Shifted points lie in (0, 1) and every coordinate fills each of 2^k equal strata equally (n = 2^m)",
          arguments: [(4, 3), (10, 40), (12, 7)])
    func equidistribution(m: Int, k: Int) {
        let n = 1 << m
        for block in UInt64(0)..<3 {
            let u = Self.block(n: n, k: k, block: block)
            #expect(u.allSatisfy { $0 > 0 && $0 < 1 }, "every value lies in the open interval (0, 1)")
            for strata in [1, 2, m / 2, m].map({ 1 << $0 }) {
                for d in 0..<k {
                    var hits = [Int](repeating: 0, count: strata)
                    for i in 0..<n { hits[Int((u[i * k + d] * Double(strata)).rounded(.down))] += 1 }
                    #expect(hits.allSatisfy { $0 == n / strata }, "block \(block), coordinate \(d), \(strata) strata: \(hits.prefix(8))")
                }
            }
        }
    }

    @Test("Padding columns are the stream's uniforms after the shifts")
    func padding() {
        let n = 50, k = 6, s = 4
        let u = Self.block(n: n, k: k, sobol: s, seed: 3, block: 9)
        let stream = RandomStream(seed: 3, block: 9)
        for _ in 0..<s { _ = stream.uniform() }  // the shifts
        for i in 0..<n { for d in s..<k { #expect(u[i * k + d] == stream.uniform()) } }
        // No Sobol columns: all padding, straight from the stream.
        let all = Self.block(n: 10, k: 2, sobol: 0, seed: 3, block: 9)
        let again = RandomStream(seed: 3, block: 9)
        #expect(all == (0..<20).map { _ in again.uniform() })
    }

    @Test("Different blocks get different shifts (independent randomisations)")
    func blocksDiffer() {
        #expect(Self.block(n: 8, k: 3, block: 0) != Self.block(n: 8, k: 3, block: 1))
        #expect(Self.block(n: 8, k: 3, block: 1) == Self.block(n: 8, k: 3, block: 1))
    }

    /// f(u) = Π (1 + (u_i − ½)) on [0, 1]^d has mean exactly 1 and, under Monte Carlo,
    /// variance (13/12)^d − 1 per point. Each of R = 64 blocks gives an independent,
    /// unbiased estimate of the mean from n = 1024 points; the root mean square error of
    /// those estimates measures each method's error at equal n.
    @Test("On a smooth integrand Sobol's error at n = 1024 is several times below Monte Carlo's, and unbiased")
    func varianceReduction() {
        let d = 6, n = 1024, r = 64
        func estimates(_ method: SamplingMethod) -> [Double] {
            (0..<r).map { b in
                let stream = RandomStream(seed: 2_026, block: UInt64(b))
                var u = [Double](repeating: 0, count: n * d)
                var permutation = [Int](repeating: 0, count: n)
                u.withUnsafeMutableBufferPointer { ub in
                    permutation.withUnsafeMutableBufferPointer { pb in
                        UniformMatrix.fill(ub, iterations: n, dimension: d, method: method, stream: stream, permutation: pb)
                    }
                }
                var sum = 0.0
                for i in 0..<n {
                    var f = 1.0
                    for j in 0..<d { f *= 1 + (u[i * d + j] - 0.5) }
                    sum += f
                }
                return sum / Double(n)
            }
        }
        func rmse(_ e: [Double]) -> Double { (e.reduce(0) { $0 + ($1 - 1) * ($1 - 1) } / Double(e.count)).squareRoot() }
        let mc = estimates(.monteCarlo), qmc = estimates(.sobol)
        let expectedMC = ((pow(13.0 / 12.0, Double(d)) - 1) / Double(n)).squareRoot()   // ≈ 0.026
        // Monte Carlo behaves as theory says (64 estimates: RMSE within ±30 % of its expectation).
        #expect(abs(rmse(mc) / expectedMC - 1) < 0.3, "Monte Carlo RMSE \(rmse(mc)) vs theory \(expectedMC)")
        // Sobol: at least four times smaller (about 6 with this seed). Were the true errors
        // equal, the ratio of two RMSEs over 64 independent estimates each would fall below
        // 1/1.7 with probability < 0.1 % (F distribution, 64 and 64 degrees of freedom), so a
        // factor of 4 is no accident of the seed.
        #expect(rmse(qmc) < rmse(mc) / 4, "Sobol RMSE \(rmse(qmc)) vs Monte Carlo \(rmse(mc))")
        // Unbiased: the average of the shifted estimates is within 4 standard errors of 1.
        let mean = qmc.reduce(0, +) / Double(r)
        let sd = (qmc.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r - 1)).squareRoot()
        #expect(abs(mean - 1) < 4 * sd / Double(r).squareRoot() + 1e-15, "mean of shifted estimates \(mean), sd \(sd)")
    }
}
