import Foundation

/// Summary statistics over iterations (MODEL.md §9). Every sum runs in iteration order,
/// so the same columns always give the same bits.
public enum Statistics {
    /// Percentile by linear interpolation between order statistics (Hyndman & Fan 1996,
    /// type 7; R's default, NumPy's `linear`, GSL's `gsl_stats_quantile_from_sorted_data`):
    /// h = (n − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), 0-based order statistics.
    public static func percentile(sorted x: [Double], _ p: Double) -> Double {
        precondition(!x.isEmpty)
        let h = Double(x.count - 1) * p
        let lo = Int(h.rounded(.down))
        if lo >= x.count - 1 { return x[x.count - 1] }
        return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
    }

    /// The mean; exactly the value when every value is the same (a degenerate input, a
    /// fixed scenario), where rounding in the sum would otherwise give a spurious spread.
    /// Type-7 percentiles at several levels without sorting everything: the order
    /// statistics they need are found by selection (Hoare's quickselect with a three-way
    /// partition, so repeated values cost nothing), narrowing the range from one to the next.
    /// `x` is reordered. Deterministic: the same input always gives the same arrangement.
    public static func percentiles(selecting x: inout [Double], _ levels: [Double]) -> [Double] {
        precondition(!x.isEmpty)
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

    /// Puts the k-th smallest of `x[from...]` at index k (everything before it no larger,
    /// everything after no smaller) and returns it. Requires the elements before `from` to be
    /// no larger than those from `from` on.
    static func select(_ x: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int) -> Double {
        var lo = from, hi = x.count - 1
        while lo < hi {
            // Median of three as the pivot.
            let mid = lo + (hi - lo) / 2
            let a = x[lo], b = x[mid], c = x[hi]
            let pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
            // Three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
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

    public static func mean(_ x: [Double]) -> Double {
        guard let first = x.first else { return .nan }
        var s = 0.0, constant = true
        for v in x {
            s += v
            constant = constant && v == first
        }
        return constant ? first : s / Double(x.count)
    }

    /// Sample standard deviation with the n − 1 divisor (0 for a single value).
    public static func standardDeviation(_ x: [Double], mean m: Double) -> Double {
        guard x.count > 1 else { return 0 }
        var s = 0.0
        for v in x { s += (v - m) * (v - m) }
        return (s / Double(x.count - 1)).squareRoot()
    }

    /// Ranks 1 … n, ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
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

    /// Pearson correlation; NaN when either variable is constant.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = mean(a), mb = mean(b)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db
            saa += da * da
            sbb += db * db
        }
        guard saa > 0 && sbb > 0 else { return .nan }
        return sab / (saa * sbb).squareRoot()
    }

    /// Spearman's rank correlation: Pearson on average ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double { pearson(ranks(a), ranks(b)) }
}

/// Mean, spread and percentiles of one scalar output over the iterations.
public struct ScalarSummary: Sendable, Equatable {
    /// Iterations where the output is defined (BCR and payback can be undefined).
    public let count: Int
    public let mean: Double
    public let sd: Double
    /// Monte Carlo standard error of the mean, SD/√n.
    public let se: Double
    public let p5, p10, p25, p50, p75, p90, p95: Double
    /// Share of defined iterations with a value > 0.
    public let probabilityPositive: Double
    /// Conditional value at risk: the mean of the lowest ⌈0.05 n⌉ values.
    public let cvar5: Double

    public static let percentileLevels: [Double] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]

    /// Summary of the defined (non-NaN) values; nil when there are none.
    public init?(_ values: [Double]) {
        var x = values.filter { !$0.isNaN }
        guard !x.isEmpty else { return nil }
        count = x.count
        mean = Statistics.mean(x)
        sd = Statistics.standardDeviation(x, mean: mean)
        se = sd / Double(count).squareRoot()
        var positive = 0
        for v in x where v > 0 { positive += 1 }
        probabilityPositive = Double(positive) / Double(count)
        // The lowest ⌈0.05 n⌉ values, summed in ascending order, then the percentiles.
        let tail = Swift.max(Int((0.05 * Double(count)).rounded(.up)), 1)
        x.withUnsafeMutableBufferPointer { _ = Statistics.select($0, tail - 1, from: 0) }
        var lowest = Array(x[0..<tail])
        lowest.sort()
        cvar5 = Statistics.mean(lowest)
        let p = Statistics.percentiles(selecting: &x, Self.percentileLevels)
        (p5, p10, p25, p50, p75, p90, p95) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
    }

    public var percentiles: [Double] { [p5, p10, p25, p50, p75, p90, p95] }
}
