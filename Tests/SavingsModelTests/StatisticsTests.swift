// MODEL.md §9 and §11: type-7 percentiles, SD with n − 1, SE, CVaR5 as the mean of the
// lowest ⌈0.05 M⌉ values, Spearman on average ranks.
import Foundation
import Testing
@testable import SavingsModel
import Stochastics

@Suite("Summary statistics (MODEL.md §9)")
struct StatisticsTests {
    @Test("Type-7 percentiles on [1, 2, 3, 4]")
    func percentiles() {
        // h = (n − 1)p = 3p; Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]):
        // P10: h = 0.3 ⇒ 1.3; P25: 0.75 ⇒ 1.75; P50: 1.5 ⇒ 2.5; P95: 2.85 ⇒ 3.85; P0 1; P100 4.
        let x: [Double] = [1, 2, 3, 4]
        expectClose(Statistics.percentile(sorted: x, 0.10), 1.3, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.25), 1.75, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.50), 2.5, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.95), 3.85, 1e-12)
        #expect(Statistics.percentile(sorted: x, 0) == 1)
        #expect(Statistics.percentile(sorted: x, 1) == 4)
        #expect(Statistics.percentile(sorted: [7], 0.9) == 7)
    }

    @Test("ScalarSummary: mean, SD (n − 1), SE, percentiles, P(> 0)")
    func summary() throws {
        // [−1, 2, 3, 4] (unsorted input [3, −1, 4, 2]): mean 2; deviations −3, 0, 1, 2 ⇒
        // Σd² = 14 ⇒ SD = √(14/3) = 2.160247; SE = SD/2 = 1.080123.
        // P10: h = 0.3 ⇒ −1 + 0.3 · 3 = −0.1; P50: h = 1.5 ⇒ 2.5. P(> 0) = 3/4.
        let s = try #require(ScalarSummary([3, -1, 4, 2]))
        #expect(s.count == 4)
        expectClose(s.mean, 2, 1e-12)
        expectClose(s.sd, (14.0 / 3).squareRoot(), 1e-12)
        expectClose(s.sd, 2.160247, 1e-6)
        expectClose(s.se, 1.080123, 1e-6)
        expectClose(s.p10, -0.1, 1e-12)
        expectClose(s.p50, 2.5, 1e-12)
        expectClose(s.probabilityPositive, 0.75)
        // Undefined (NaN) values are left out; nothing defined ⇒ no summary.
        #expect(ScalarSummary([.nan, 1, 3])?.count == 2)
        #expect(ScalarSummary([.nan]) == nil)
        // One value: SD 0.
        #expect(ScalarSummary([5])?.sd == 0)
    }

    @Test("CVaR5 = mean of the lowest ⌈0.05 M⌉ values")
    func cvar() throws {
        // M = 40: ⌈2⌉ = 2 ⇒ mean(1, 2) = 1.5. M = 41: ⌈2.05⌉ = 3 ⇒ mean(1, 2, 3) = 2.
        // M = 10: ⌈0.5⌉ = 1 ⇒ 1. Values given in reverse to show sorting.
        #expect(try #require(ScalarSummary((1...40).reversed().map(Double.init))).cvar5 == 1.5)
        #expect(try #require(ScalarSummary((1...41).reversed().map(Double.init))).cvar5 == 2)
        #expect(try #require(ScalarSummary((1...10).map(Double.init))).cvar5 == 1)
    }

    @Test("Spearman with ties uses average ranks")
    func spearman() {
        // a = [1, 2, 2, 3] ⇒ ranks [1, 2.5, 2.5, 4]; b = [1, 3, 2, 4] ⇒ ranks [1, 3, 2, 4].
        // Rank deviations from 2.5: a −1.5, 0, 0, 1.5; b −1.5, 0.5, −0.5, 1.5.
        // Σab = 2.25 + 2.25 = 4.5; Σa² = 4.5; Σb² = 5 ⇒ ρ = 4.5/√22.5 = 0.948683.
        #expect(Statistics.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Statistics.ranks([5, 5, 5]) == [2, 2, 2])
        expectClose(Statistics.spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.948683, 1e-6)
        // Monotone but non-linear ⇒ 1; reversed ⇒ −1; a constant ⇒ undefined.
        expectClose(Statistics.spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1, 1e-12)
        expectClose(Statistics.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, 1e-12)
        #expect(Statistics.spearman([1, 2, 3], [5, 5, 5]).isNaN)
    }
}

// MARK: - Radix selection and radix ranks against references

/// Property tests for the radix-based `percentiles`, `ranks` and `ScalarSummary`: on many
/// arrays drawn at fixed seeds they must give the very bits of (a) a straightforward
/// reference — a full sort, then the type-7 formula; ranks from an index sort with average
/// ties — and (b) the quickselect / merge-sort code they replaced (copied below as it was).
@Suite("Radix selection and ranks give the bits of a full sort")
struct RadixStatisticsTests {
    /// SplitMix64 (Stochastics), fixed seeds so every array is the same on every run.
    struct Generator {
        var mix: SplitMix64
        init(state: UInt64) { mix = SplitMix64(state: state) }
        mutating func next() -> UInt64 { mix.next() }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// The kinds of column the properties are checked on.
    enum Kind: CaseIterable {
        case uniform, npvLike, threeValues, allEqual, negatives, signedZeros, magnitudes, infinities, sorted, reversed
    }

    static func column(_ kind: Kind, _ n: Int, seed: UInt64) -> [Double] {
        var g = Generator(state: seed)
        switch kind {
        case .uniform: return (0..<n).map { _ in g.uniform() * 2 - 1 }
        case .npvLike:
            // Mixed signs around a positive centre, like an NPV in pounds (a sum of uniforms).
            return (0..<n).map { _ in (g.uniform() + g.uniform() + g.uniform() - 1.2) * 3e6 }
        case .threeValues:
            let set: [Double] = [-2.5, 0, 7]
            return (0..<n).map { _ in set[g.below(3)] }
        case .allEqual: return [Double](repeating: 4.25, count: n)
        case .negatives: return (0..<n).map { _ in -1e5 * g.uniform() - 1 }
        case .signedZeros:
            // Mostly zeros of both signs, with a few small values either side.
            let set: [Double] = [-0.0, 0.0, -0.0, 0.0, 1, -1, .leastNonzeroMagnitude]
            return (0..<n).map { _ in set[g.below(set.count)] }
        case .magnitudes:
            // Any exponent, subnormals included, either sign.
            return (0..<n).map { _ in
                let bits = g.next() & 0x7FEF_FFFF_FFFF_FFFF   // finite (exponent below all-ones)
                return Double(bitPattern: bits) * (g.below(2) == 0 ? 1 : -1)
            }
        case .infinities:
            return (0..<n).map { _ in
                switch g.below(10) {
                case 0: return .infinity
                case 1: return -.infinity
                default: return g.uniform() * 100 - 50
                }
            }
        case .sorted: return (0..<n).map { _ in g.uniform() * 1e3 }.sorted()
        case .reversed: return (0..<n).map { _ in g.uniform() * 1e3 }.sorted(by: >)
        }
    }

    static let sizes = [1, 2, 3, 4, 5, 7, 17, 47, 48, 49, 64, 100, 1_000, 4_097, 30_000]
    static let levels: [Double] = [0, 0.005, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.995, 1,
                                   0.3333333333333333, 0.999999]

    /// Every column checked: each kind at each size, a few seeds, and 100,000 values of some kinds.
    static func columns() -> [(String, [Double])] {
        var out: [(String, [Double])] = []
        for kind in Kind.allCases {
            for n in sizes {
                for seed in 1...3 { out.append(("\(kind) n=\(n) seed=\(seed)", column(kind, n, seed: UInt64(seed) &* 7919 &+ UInt64(n)))) }
            }
        }
        for kind in [Kind.npvLike, .threeValues, .signedZeros, .magnitudes, .infinities, .reversed] {
            out.append(("\(kind) n=100000", column(kind, 100_000, seed: 42)))
        }
        return out
    }

    /// Sorted by IEEE totalOrder (−0 before +0), the order the selection documents.
    static func totalOrderSorted(_ x: [Double]) -> [Double] {
        x.sorted { $0 < $1 || ($0 == $1 && $0.sign == .minus && $1.sign == .plus) }
    }

    static func hasBothZeros(_ x: [Double]) -> Bool {
        x.contains { $0 == 0 && $0.sign == .minus } && x.contains { $0 == 0 && $0.sign == .plus }
    }

    @Test("percentiles: the bits of a full sort and the type-7 formula, and of the old quickselect")
    func percentilesMatchReference() {
        for (name, x) in Self.columns() {
            let reference = Self.totalOrderSorted(x)
            var copy = x
            let got = Statistics.percentiles(selecting: &copy, Self.levels)
            // The values are only read.
            #expect(copy.map(\.bitPattern) == x.map(\.bitPattern), "\(name): input changed")
            var legacyCopy = x
            let legacy = Legacy.percentiles(selecting: &legacyCopy, Self.levels)
            let n = x.count
            for (p, value) in zip(Self.levels, got) {
                let expected = Statistics.percentile(sorted: reference, p)
                #expect(value.bitPattern == expected.bitPattern, "\(name) p=\(p): \(value) vs \(expected)")
                // The old quickselect agrees bit for bit, except which zero it returns for
                // the maximum itself (level 1) when zeros of both signs are the maximum.
                let returnsOrderStatistic = Int((Double(n - 1) * p).rounded(.down)) >= n - 1
                let l = legacy[Self.levels.firstIndex(of: p)!]
                if returnsOrderStatistic && Self.hasBothZeros(x) {
                    #expect(value == l || (value.isNaN && l.isNaN), "\(name) p=\(p)")
                } else {
                    #expect(value.bitPattern == l.bitPattern, "\(name) p=\(p): \(value) vs old \(l)")
                }
            }
            // The buffer variants give the same bits.
            let viaBuffer = x.withUnsafeBufferPointer { Statistics.percentiles($0, Self.levels) }
            var mutable = x
            let viaMutable = mutable.withUnsafeMutableBufferPointer { Statistics.percentiles(selecting: $0, Self.levels) }
            #expect(viaBuffer.map(\.bitPattern) == got.map(\.bitPattern), "\(name)")
            #expect(viaMutable.map(\.bitPattern) == got.map(\.bitPattern), "\(name)")
        }
    }

    @Test("Interpolated percentiles do not depend on where a sort puts −0 and +0")
    func signedZerosCannotMatter() {
        // Both arrangements of the zeros in the sorted order give the same bits whenever the
        // formula interpolates (⌊h⌋ < n − 1), so any correct selection gives them.
        for n in [2, 3, 10, 101, 1_000] {
            for seed in 1...5 {
                let x = Self.column(.signedZeros, n, seed: UInt64(seed))
                let minusFirst = Self.totalOrderSorted(x)
                let plusFirst = x.sorted { $0 < $1 || ($0 == $1 && $0.sign == .plus && $1.sign == .minus) }
                for p in Self.levels where Int((Double(n - 1) * p).rounded(.down)) < n - 1 {
                    #expect(Statistics.percentile(sorted: minusFirst, p).bitPattern
                            == Statistics.percentile(sorted: plusFirst, p).bitPattern, "n=\(n) p=\(p)")
                }
            }
        }
        // Pairs of zeros: the interpolated value is +0 in every combination.
        for a in [-0.0, 0.0] {
            for b in [-0.0, 0.0] {
                for p in [0.0, 0.25, 0.5] {
                    #expect(Statistics.percentile(sorted: [a, b], p).bitPattern == (0.0).bitPattern)
                }
            }
        }
    }

    @Test("ranks: the ranks of an index sort with average ties, and of the old merge sort")
    func ranksMatchReference() {
        for (name, x) in Self.columns() {
            let got = Statistics.ranks(x)
            // Reference: indices sorted by value (ties by index), runs of equal values averaged.
            let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
            var expected = [Double](repeating: 0, count: x.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && x[order[end + 1]] == x[order[start]] { end += 1 }
                for j in start...end { expected[order[j]] = Double(start + end) / 2 + 1 }
                start = end + 1
            }
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(name)")
            #expect(got.map(\.bitPattern) == Legacy.ranks(x).map(\.bitPattern), "\(name)")
            let viaBuffer = x.withUnsafeBufferPointer { Statistics.ranks($0) }
            #expect(viaBuffer.map(\.bitPattern) == got.map(\.bitPattern), "\(name)")
        }
        #expect(Statistics.ranks([]) == [])
        #expect(Statistics.ranks([-0.0, 0.0, -0.0]) == [2, 2, 2])
    }

    @Test("ScalarSummary: every field the bits of the old code")
    func scalarSummaryMatchesOld() throws {
        var columns = Self.columns()
        // With undefined values mixed in, and none defined.
        var g = Generator(state: 99)
        columns.append(("with NaN", (0..<5_000).map { _ in g.below(4) == 0 ? .nan : g.uniform() - 0.3 }))
        columns.append(("NaN only", [.nan, .nan]))
        for (name, x) in columns {
            let got = ScalarSummary(x)
            let old = Legacy.scalarSummary(x)
            let viaBuffer = x.withUnsafeBufferPointer { ScalarSummary($0) }
            guard let got, let old, let viaBuffer else {
                #expect(got == nil && old == nil && viaBuffer == nil, "\(name)")
                continue
            }
            func bits(_ s: ScalarSummary) -> [UInt64] {
                ([s.mean, s.sd, s.se, s.probabilityPositive, s.cvar5] + s.percentiles).map(\.bitPattern)
            }
            #expect(bits(got) == bits(viaBuffer), "\(name)")
            let fields = [got.mean, got.sd, got.se, got.probabilityPositive] + got.percentiles
            #expect(got.count == old.count, "\(name)")
            #expect(fields.map(\.bitPattern) == old.fields.map(\.bitPattern), "\(name): \(fields) vs \(old.fields)")
            // CVaR: the same bits, except the sign of an all-zero tail with zeros of both signs.
            if got.cvar5 == 0 && Self.hasBothZeros(x) {
                #expect(got.cvar5 == old.cvar5, "\(name)")
            } else {
                #expect(got.cvar5.bitPattern == old.cvar5.bitPattern, "\(name): \(got.cvar5) vs \(old.cvar5)")
            }
            // And the plain definition: mean of the lowest ⌈0.05 n⌉ values in ascending order.
            let defined = Self.totalOrderSorted(x.filter { !$0.isNaN })
            let tail = max(Int((0.05 * Double(defined.count)).rounded(.up)), 1)
            #expect(got.cvar5.bitPattern == Statistics.mean(Array(defined.prefix(tail))).bitPattern, "\(name)")
        }
    }

    @Test("NaN, which callers should filter, does not trap (a run with one is refused later)")
    func nanDoesNotTrap() {
        // An overflowing fan column (inf − inf) reaches the percentiles; OutputCheck then
        // refuses the run on its NaN mean. Here: totalOrder places a positive NaN last.
        for n in [3, 40, 1_000] {
            var x = Self.column(.uniform, n, seed: 3)
            x[n / 2] = .nan
            var copy = x
            let p = Statistics.percentiles(selecting: &copy, [0, 0.5])
            let sorted = Self.totalOrderSorted(x.filter { !$0.isNaN })
            #expect(p[0] == sorted[0], "n=\(n)")
            #expect(Statistics.ranks(x).count == n)
            #expect(Statistics.ranks(x)[n / 2] == Double(n), "n=\(n)")
        }
    }

    @Test("Histogram end edges are the 0.5th and 99.5th percentiles of a full sort")
    func histogramEdges() {
        for kind in [Kind.uniform, .npvLike, .negatives, .magnitudes] {
            for n in [3, 1_000, 30_000] {
                let x = Self.column(kind, n, seed: 5)
                let h = Histogram(x)
                let sorted = x.sorted()
                let lo = Statistics.percentile(sorted: sorted, 0.005), hi = Statistics.percentile(sorted: sorted, 0.995)
                #expect(h.edges.first?.bitPattern == lo.bitPattern && h.edges.last?.bitPattern == hi.bitPattern, "\(kind) n=\(n)")
                #expect(h.counts.reduce(0, +) == n)
            }
        }
    }
}

/// The implementations the radix versions replaced, kept verbatim as references.
enum Legacy {
    static func percentiles(selecting x: inout [Double], _ levels: [Double]) -> [Double] {
        let n = x.count
        var wanted: [Int] = []
        for p in levels {
            let lo = Int((Double(n - 1) * p).rounded(.down))
            wanted.append(lo)
            if lo + 1 < n { wanted.append(lo + 1) }
        }
        wanted = Array(Set(wanted)).sorted()
        var value: [Int: Double] = [:]
        x.withUnsafeMutableBufferPointer { buffer in
            var from = 0
            for k in wanted {
                value[k] = select(buffer, k, from: from)
                from = k
            }
        }
        return levels.map { p in
            let h = Double(n - 1) * p
            let lo = Int(h.rounded(.down))
            if lo >= n - 1 { return value[n - 1]! }
            return value[lo]! + (h - Double(lo)) * (value[lo + 1]! - value[lo]!)
        }
    }

    static func select(_ x: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int) -> Double {
        var lo = from, hi = x.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let a = x[lo], b = x[mid], c = x[hi]
            let pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                let v = x[i]
                if v < pivot {
                    x.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if v > pivot {
                    x.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return x[k] }
        }
        return x[k]
    }

    static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var r = [Double](repeating: 0, count: x.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && x[order[end + 1]] == x[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for j in start...end { r[order[j]] = average }
            start = end + 1
        }
        return r
    }

    /// The old ScalarSummary.init: count, [mean, sd, se, P(> 0), p5 … p95], cvar5.
    static func scalarSummary(_ values: [Double]) -> (count: Int, fields: [Double], cvar5: Double)? {
        var x = values.filter { !$0.isNaN }
        guard !x.isEmpty else { return nil }
        let count = x.count
        let mean = Statistics.mean(x)
        let sd = Statistics.standardDeviation(x, mean: mean)
        let se = sd / Double(count).squareRoot()
        var positive = 0
        for v in x where v > 0 { positive += 1 }
        let probabilityPositive = Double(positive) / Double(count)
        let tail = Swift.max(Int((0.05 * Double(count)).rounded(.up)), 1)
        x.withUnsafeMutableBufferPointer { _ = select($0, tail - 1, from: 0) }
        var lowest = Array(x[0..<tail])
        lowest.sort()
        let cvar5 = Statistics.mean(lowest)
        let p = percentiles(selecting: &x, ScalarSummary.percentileLevels)
        return (count, [mean, sd, se, probabilityPositive] + p, cvar5)
    }
}
