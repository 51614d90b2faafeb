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

    public static func mean(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += v }
        return s / Double(x.count)
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
        let x = values.filter { !$0.isNaN }
        guard !x.isEmpty else { return nil }
        let sorted = x.sorted()
        count = x.count
        mean = Statistics.mean(x)
        sd = Statistics.standardDeviation(x, mean: mean)
        se = sd / Double(count).squareRoot()
        p5 = Statistics.percentile(sorted: sorted, 0.05)
        p10 = Statistics.percentile(sorted: sorted, 0.10)
        p25 = Statistics.percentile(sorted: sorted, 0.25)
        p50 = Statistics.percentile(sorted: sorted, 0.50)
        p75 = Statistics.percentile(sorted: sorted, 0.75)
        p90 = Statistics.percentile(sorted: sorted, 0.90)
        p95 = Statistics.percentile(sorted: sorted, 0.95)
        var positive = 0
        for v in x where v > 0 { positive += 1 }
        probabilityPositive = Double(positive) / Double(count)
        let tail = Int((0.05 * Double(count)).rounded(.up))
        cvar5 = Statistics.mean(Array(sorted.prefix(Swift.max(tail, 1))))
    }

    public var percentiles: [Double] { [p5, p10, p25, p50, p75, p90, p95] }
}
