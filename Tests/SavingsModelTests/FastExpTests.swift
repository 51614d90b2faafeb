// FastExp.exp, the vector e^x of the scale-economy terms V^β = exp(β ln V): within 1 ulp of
// glibc's exp (correctly rounded in almost all cases) wherever e^x is a normal double,
// glibc's own bits outside the fast range, lanes independent, monotone.
import Foundation
import Stochastics
import Testing
@testable import SavingsModel

private let ln2 = Foundation.log(2.0)

@Suite("FastExp: vector e^x within 1 ulp of glibc")
struct FastExpTests {
    /// Uniform doubles from SplitMix64 (Stochastics) at a fixed seed, so a failure names a
    /// reproducible argument.
    struct Generator {
        var mix: SplitMix64
        init(state: UInt64) { mix = SplitMix64(state: state) }
        mutating func uniform(_ a: Double, _ b: Double) -> Double {
            a + (b - a) * (Double(mix.next() >> 11) * 0x1p-53)
        }
    }

    /// Doubles between a and b, counted along the bit patterns (both finite and positive, as
    /// every e^x here is): 0 when equal, 1 for neighbours, also across a power of two.
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let (x, y) = (a.bitPattern, b.bitPattern)
        return x > y ? x - y : y - x
    }

    /// The largest distance from `Foundation.exp` over `xs`, four at a time, and where.
    static func worst(_ xs: [Double]) -> (ulps: UInt64, at: Double) {
        var worst: (ulps: UInt64, at: Double) = (0, .nan)
        for i in stride(from: 0, to: xs.count - 3, by: 4) {
            let v = SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])
            let y = FastExp.exp(v)
            for j in 0..<4 {
                let d = ulps(y[j], Foundation.exp(v[j]))
                if d > worst.ulps { worst = (d, v[j]) }
            }
        }
        return worst
    }

    static func sample(_ n: Int, in ranges: [(Double, Double)], seed: UInt64) -> [Double] {
        var g = Generator(state: seed)
        return (0..<n).map { i in
            let (a, b) = ranges[i % ranges.count]
            return g.uniform(a, b)
        }
    }

    @Test("≤ 1 ulp from glibc on 1,000,000 arguments uniform in [−708, 709]")
    func wholeRange() {
        let w = Self.worst(Self.sample(1_000_000, in: [(-708, 709)], seed: 20_260_101))
        #expect(w.ulps <= 1, "\(w.ulps) ulps at x = \(w.at) (\(w.at.bitPattern))")
    }

    @Test("≤ 1 ulp from glibc on 1,000,000 arguments in [−1, 1] and [5, 15], where β ln V lies")
    func modelRange() {
        let w = Self.worst(Self.sample(1_000_000, in: [(-1, 1), (5, 15)], seed: 20_260_102))
        #expect(w.ulps <= 1, "\(w.ulps) ulps at x = \(w.at) (\(w.at.bitPattern))")
    }

    /// The rounding errors are largest where |r| = |x − k ln 2| is near ln2/2: 500 arguments
    /// within 0.1 % of each end of every reduction interval of the fast range.
    @Test("≤ 1 ulp from glibc next to every switch of k, where the error is largest")
    func reductionEnds() {
        var g = Generator(state: 20_260_103)
        var xs: [Double] = []
        for k in -1021...1021 {
            for _ in 0..<250 {
                for side in [-1.0, 1.0] {
                    let x = Double(k) * ln2 + side * (ln2 / 2) * g.uniform(0.999, 1)
                    if abs(x) <= 708 { xs.append(x) }
                }
            }
        }
        #expect(xs.count > 1_000_000)
        let w = Self.worst(xs)
        #expect(w.ulps <= 1, "\(w.ulps) ulps at x = \(w.at) (\(w.at.bitPattern))")
    }

    @Test("Special and out-of-range arguments give glibc's bits; e^0 = 1 exactly")
    func specialValues() {
        // Outside the fast range (|x| > 708, infinities, NaN), and tiny arguments whose e^x
        // rounds to 1.
        let xs: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 709.78, 710, -745.2, -740, -800,
                            708.0.nextUp, (-708.0).nextDown, 709, -709, .greatestFiniteMagnitude,
                            -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                            1e-300, -1e-20]
        for i in stride(from: 0, to: xs.count, by: 4) {
            let y = FastExp.exp(SIMD4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]))
            for j in 0..<4 {
                let x = xs[i + j], expected = Foundation.exp(x)
                if expected.isNaN {
                    #expect(y[j].isNaN, "exp(\(x)) = \(y[j])")
                } else {
                    #expect(y[j].bitPattern == expected.bitPattern, "exp(\(x)) = \(y[j]), glibc \(expected)")
                }
            }
        }
        // The ends of the fast range itself: within 1 ulp, like any other argument there.
        let endArguments = SIMD4(708, -708, 708.0.nextDown, (-708.0).nextUp)
        let ends = FastExp.exp(endArguments)
        for j in 0..<4 {
            #expect(Self.ulps(ends[j], Foundation.exp(endArguments[j])) <= 1, "exp(\(endArguments[j]))")
        }
        let ones = FastExp.exp(SIMD4(0, -0.0, 0, -0.0))
        #expect(ones == SIMD4(repeating: 1))
        #expect(FastExp.exp(SIMD4(repeating: 710)) == SIMD4(repeating: .infinity))
        #expect(FastExp.exp(SIMD4(repeating: -.infinity)) == SIMD4(repeating: 0))
        #expect(FastExp.exp(SIMD4(repeating: 709.78)).max() < .infinity)
        // e^−740 ≈ 4.2e−322 is subnormal; e^−745.2 is below half the least subnormal, so 0.
        #expect(FastExp.exp(SIMD4(repeating: -740))[0].isSubnormal)
        #expect(FastExp.exp(SIMD4(repeating: -745.2)) == SIMD4(repeating: 0))
    }

    @Test("A lane outside the fast range leaves the other lanes' bits alone")
    func lanesIndependent() {
        let inside: [Double] = [-3.25, 0.5, 7.75, 12.1]
        let alone = FastExp.exp(SIMD4(inside[0], inside[1], inside[2], inside[3]))
        for bad in [Double.nan, .infinity, -.infinity, 710, -745.2, -800, 708.5] {
            for lane in 0..<4 {
                var v = SIMD4(inside[0], inside[1], inside[2], inside[3])
                v[lane] = bad
                let y = FastExp.exp(v)
                for j in 0..<4 where j != lane {
                    #expect(y[j].bitPattern == alone[j].bitPattern, "lane \(j) with \(bad) in lane \(lane)")
                }
                if bad.isNaN {
                    #expect(y[lane].isNaN)
                } else {
                    #expect(y[lane].bitPattern == Foundation.exp(bad).bitPattern, "exp(\(bad)) in lane \(lane)")
                }
            }
        }
    }

    /// 20,000 consecutive doubles around each point, among them the first switches of k
    /// (x = ±ln2/2, 3 ln2/2) where two reductions meet, and points of the model's range.
    @Test("Non-decreasing over consecutive doubles around a few points",
          arguments: [0, 1e-12, 0.5 * ln2, -0.5 * ln2, 1.5 * ln2, 1, -1, 5, 10.5 * ln2, 15,
                      -700.5 * ln2, 700.5 * ln2])
    func monotone(around centre: Double) {
        var x = centre
        for _ in 0..<10_000 { x = x.nextDown }
        var previous = -Double.infinity, decreases = 0
        for _ in 0..<5_000 {
            let v = SIMD4(x, x.nextUp, x.nextUp.nextUp, x.nextUp.nextUp.nextUp)
            let y = FastExp.exp(v)
            for j in 0..<4 {
                if y[j] < previous { decreases += 1 }
                previous = y[j]
            }
            x = v[3].nextUp
        }
        #expect(decreases == 0, "\(decreases) decreases around \(centre)")
    }
}
