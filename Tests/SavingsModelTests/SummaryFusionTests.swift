// The summary's fused passes (ColumnScan, RangeSelection with the SD and the CVaR's lowest
// values, percentiles and ranks from one sort, the join-year count) against the plain
// definitions they replace, bit for bit, on the columns of RadixStatisticsTests and on
// columns shaped like the engine's awkward ones: an atom at zero with small values around
// it, heavy tails, whole numbers.
import Foundation
import Testing
@testable import SavingsModel
import Stochastics

@Suite("Fused summary passes give the bits of the plain definitions")
struct SummaryFusionTests {
    typealias Generator = RadixStatisticsTests.Generator

    /// Columns that put many values in one equal-width bucket, or in the CVaR's tail.
    static func awkwardColumns() -> [(String, [Double])] {
        var out: [(String, [Double])] = []
        for n in [49, 1_000, 3_000, 20_000] {
            var g = Generator(state: UInt64(n) &* 31)
            // An authority's NPV: zero when it never joins, small values of either sign near
            // it, the rest spread far above.
            out.append(("atom at zero n=\(n)", (0..<n).map { _ in
                switch g.below(3) {
                case 0: return 0
                case 1: return (g.uniform() - 0.4) * 1e4
                default: return 1e6 + g.uniform() * 9e6
                }
            }))
            // A long lower tail: a few large losses stretch the range.
            out.append(("heavy tail n=\(n)", (0..<n).map { _ in
                g.below(50) == 0 ? -1e9 * g.uniform() : 1e5 + g.uniform() * 1e4
            }))
            // Whole numbers, as payback years or member counts.
            out.append(("whole numbers n=\(n)", (0..<n).map { _ in Double(g.below(12)) }))
            // Zeros of both signs as the lowest values, so the CVaR's tail is all zeros.
            out.append(("zero tail n=\(n)", (0..<n).map { _ in
                g.below(5) == 0 ? (g.below(2) == 0 ? -0.0 : 0.0) : 1 + g.uniform()
            }))
        }
        return out
    }

    static func allColumns() -> [(String, [Double])] { RadixStatisticsTests.columns() + awkwardColumns() }

    /// The mean as it was computed before: a constancy flag kept up inside the sum's loop.
    static func plainMean(_ x: [Double]) -> Double {
        guard let first = x.first else { return .nan }
        var s = 0.0, constant = true
        for v in x {
            s += v
            constant = constant && v == first
        }
        return constant ? first : s / Double(x.count)
    }

    @Test("ColumnScan: the sum in order, the range, P(> 0) and the mean")
    func columnScan() {
        var columns = Self.allColumns()
        columns.append(("NaN inside", [1, .nan, 3]))
        columns.append(("NaN first", [.nan, 2, 2]))
        columns.append(("infinities of both signs", [.infinity, 1, -.infinity]))
        for (name, x) in columns {
            x.withUnsafeBufferPointer { b in
                let scan = ColumnScan(b, countingPositive: true)
                var sum = 0.0
                for v in x { sum += v }
                #expect(scan.sum.bitPattern == sum.bitPattern, "\(name)")
                #expect(scan.positive == x.filter { $0 > 0 }.count, "\(name)")
                #expect(ColumnScan(b).positive == 0, "\(name)")
                if !scan.sum.isNaN {
                    #expect(scan.min == x.min()! && scan.max == x.max()!, "\(name)")
                }
                let mean = scan.mean(of: b)
                let plain = Self.plainMean(x)
                #expect(mean.bitPattern == plain.bitPattern || (mean.isNaN && plain.isNaN), "\(name)")
                let viaStatistics = Statistics.mean(x)
                #expect(viaStatistics.bitPattern == plain.bitPattern || (viaStatistics.isNaN && plain.isNaN), "\(name)")
            }
        }
        #expect(Statistics.mean([]).isNaN)
    }

    @Test("ScalarSummary on atoms, heavy tails and whole numbers: the bits of the old code")
    func scalarSummaryOnAwkwardColumns() throws {
        for (name, x) in Self.awkwardColumns() {
            let got = try #require(ScalarSummary(x))
            let old = try #require(Legacy.scalarSummary(x))
            let fields = [got.mean, got.sd, got.se, got.probabilityPositive] + got.percentiles
            #expect(got.count == old.count, "\(name)")
            #expect(fields.map(\.bitPattern) == old.fields.map(\.bitPattern), "\(name): \(fields) vs \(old.fields)")
            // CVaR: the mean of the lowest ⌈0.05 n⌉ in ascending order, −0 before +0.
            let sorted = RadixStatisticsTests.totalOrderSorted(x)
            let tail = max(Int((0.05 * Double(x.count)).rounded(.up)), 1)
            #expect(got.cvar5.bitPattern == Statistics.mean(Array(sorted.prefix(tail))).bitPattern, "\(name)")
        }
    }

    @Test("Percentiles reusing a scan, and from sorted keys, are those of a full sort")
    func percentilesFromScanAndSortedKeys() {
        let levels = RadixStatisticsTests.levels
        for (name, x) in Self.allColumns() where !x.isEmpty {
            let reference = x.withUnsafeBufferPointer { Statistics.percentiles($0, levels) }
            let viaScan = x.withUnsafeBufferPointer { Statistics.percentiles($0, levels, scan: ColumnScan($0)) }
            #expect(viaScan.map(\.bitPattern) == reference.map(\.bitPattern), "\(name)")
            let sorted = RadixStatisticsTests.totalOrderSorted(x)
            for (p, value) in zip(levels, reference) {
                let expected = Statistics.percentile(sorted: sorted, p)
                #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN), "\(name) p=\(p)")
            }
            let (fromKeys, ranks) = x.withUnsafeBufferPointer { b in
                Statistics.withSortedKeys(b) { keys, index in
                    (Statistics.percentiles(sortedKeys: keys, levels), Statistics.ranks(sortedKeys: keys, index))
                }
            }
            #expect(fromKeys.map(\.bitPattern) == reference.map(\.bitPattern), "\(name)")
            #expect(ranks.map(\.bitPattern) == Legacy.ranks(x).map(\.bitPattern), "\(name)")
        }
    }

    @Test("The lowest keys gathered with the selection are the smallest, ascending")
    func lowestKeys() {
        for (name, x) in Self.allColumns() where x.count > Statistics.smallSelection {
            x.withUnsafeBufferPointer { b in
                let scan = ColumnScan(b)
                guard let level = RangeSelection(b, scan) else { return }
                defer { level.deallocate() }
                level.countBuckets()
                let m = max(Int((0.05 * Double(x.count)).rounded(.up)), 1)
                let ranks = [m - 1]
                var out: [UInt64] = [0]
                let lowest = ranks.withUnsafeBufferPointer { r in
                    out.withUnsafeMutableBufferPointer { level.select(r, $0.baseAddress!, lowest: m) }
                }
                let expected = x.map(Statistics.orderKey).sorted()
                #expect(lowest == Array(expected.prefix(m)), "\(name)")
                #expect(out[0] == expected[m - 1], "\(name)")
            }
        }
    }

    @Test("Sensitivity: Spearman and the tornado as Statistics.pearson and the plain loop give them")
    func sensitivity() {
        for n in [10, 49, 1_000, 5_000] {
            var g = Generator(state: UInt64(n) &+ 17)
            let npv = (0..<n).map { _ in (g.uniform() - 0.3) * 1e6 }
            let inputs: [[Double]] = [
                (0..<n).map { _ in g.uniform() },
                (0..<n).map { _ in Double(g.below(4)) },   // ties
                [Double](repeating: 2, count: n),          // constant: no correlation
                (0..<n).map { _ in g.below(3) == 0 ? 0 : g.uniform() - 0.5 },
            ]
            let npvRanks = Statistics.ranks(npv)
            let deviations = RankDeviations(npvRanks)
            for (k, x) in inputs.enumerated() {
                let got = x.withUnsafeBufferPointer { xb in
                    npv.withUnsafeBufferPointer { Summary.sensitivity(of: xb, path: "p", npv: $0, npvRanks: deviations) }
                }
                // As the summary computed it before.
                var copy = x
                let cut = Statistics.percentiles(selecting: &copy, [0.10, 0.90])
                var sumLow = 0.0, nLow = 0, sumHigh = 0.0, nHigh = 0
                for i in 0..<n {
                    if x[i] <= cut[0] { sumLow += npv[i]; nLow += 1 }
                    if x[i] >= cut[1] { sumHigh += npv[i]; nHigh += 1 }
                }
                let low = nLow > 0 ? sumLow / Double(nLow) : .nan
                let high = nHigh > 0 ? sumHigh / Double(nHigh) : .nan
                let spearman = Statistics.pearson(Statistics.ranks(x), npvRanks)
                let same = { (a: Double, b: Double) in a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
                #expect(same(got.spearman, spearman), "n=\(n) input \(k)")
                #expect(same(got.meanNPVLow, low) && same(got.meanNPVHigh, high), "n=\(n) input \(k)")
                #expect(same(got.tornadoSwing, high - low), "n=\(n) input \(k)")
            }
        }
    }
}
