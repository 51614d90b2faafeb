import ScenarioFiles
import Stochastics

/// Per-year fan statistics of one series (MODEL.md §9).
public struct YearFan: Sendable, Equatable {
    public let mean, p10, p50, p90: Double
}

/// One authority's results over the iterations.
public struct PartnerSummary: Sendable, Equatable {
    public let name: String
    public let npv: ScalarSummary
    /// `joinYearCounts[t]` iterations in which it joins in year t; `neverJoinsCount` not within the horizon.
    public let joinYearCounts: [Int]
    public let neverJoinsCount: Int
    /// Mean present value of the costs it bears (its own plus its shares of shared costs).
    public let meanCostsPV: Double
    /// Its share of all costs: its mean costs PV over the sum of every authority's.
    public let costShare: Double
}

/// How often a risk event struck.
public struct RiskSummary: Sendable, Equatable {
    public let name: String
    /// Mean number of times it struck within the horizon.
    public let meanOccurrences: Double
    /// Share of iterations in which it struck at least once.
    public let probabilityAtLeastOnce: Double
}

/// A histogram of one output: `counts[j]` values fall in [edges[j], edges[j+1]) (the last
/// bin includes its upper edge).
public struct Histogram: Sendable, Equatable {
    public let edges: [Double]
    public let counts: [Int]

    /// Equal-width bins between the 0.5th and 99.5th percentiles, so a few extreme
    /// iterations do not squash the chart; values beyond are counted in the end bins.
    /// Infinite values are left out (a run that produces them is refused, OutputCheck);
    /// identical values, or a range too narrow to split, make one bin.
    public init(_ values: [Double], bins: Int = 40) {
        let x = values.filter(\.isFinite)
        guard !x.isEmpty else {
            edges = []
            counts = []
            return
        }
        // Selection, not a sort: the same two order statistics, so the same edges.
        let cut = x.withUnsafeBufferPointer { Statistics.percentiles($0, [0.005, 0.995]) }
        let lo = cut[0], hi = cut[1]
        // Divided before subtracting so that hi − lo cannot overflow.
        let width = hi / Double(bins) - lo / Double(bins)
        guard lo < hi, width > 0, width.isFinite else {
            edges = [lo, hi]
            counts = [x.count]
            return
        }
        edges = (0...bins).map { $0 == bins ? hi : lo + Double($0) * width }
        var c = [Int](repeating: 0, count: bins)
        for v in x {
            // Clamped as a Double first: (v − lo) / width can be ±infinity for extreme v.
            let k = ((v - lo) / width).rounded(.down)
            c[Int(Swift.max(0, Swift.min(Double(bins - 1), k)))] += 1
        }
        counts = c
    }
}

/// An input's influence on financial NPV (MODEL.md §9).
public struct InputSensitivity: Sendable, Equatable {
    public let path: String
    /// Spearman rank correlation with npv_financial.
    public let spearman: Double
    /// Mean NPV where the input is at or above its P90 minus mean NPV where it is at or below its P10.
    public let tornadoSwing: Double
    public let meanNPVLow: Double
    public let meanNPVHigh: Double
}

/// Everything the reports print, computed once from the columns. Reports format it and
/// never compute statistics themselves.
public struct Summary: Sendable {
    public let iterations: Int
    public let years: Int
    public let scalars: [ScalarMetric: ScalarSummary]
    /// `fans[series][t]`.
    public let fans: [YearlySeries: [YearFan]]
    /// `paybackCounts[t]`: iterations whose payback year is t; `noPaybackCount` none within the horizon.
    public let paybackCounts: [Int]
    public let noPaybackCount: Int
    public let discountedPaybackCounts: [Int]
    public let noDiscountedPaybackCount: Int
    public let partners: [PartnerSummary]
    /// P(every partner's NPV > 0), MODEL.md §11.
    public let probabilityEveryPartnerGains: Double
    public let sensitivity: [InputSensitivity]
    public let risks: [RiskSummary]
    /// Histogram of financial NPV, for the distribution chart.
    public let npvHistogram: Histogram

    /// Summarises the columns on `threads` threads (a run's `--threads`; all cores by
    /// default).
    public init(model: CompiledModel, columns c: SimulationColumns, threads: Int = BlockRunner.availableCores) {
        let m = c.iterations
        iterations = m
        years = model.years
        // Columns are summarised independently, so they are spread over the threads; each
        // result lands in its own slot, so the summary does not depend on the thread count.
        let cores = Swift.max(1, threads)
        let metrics = ScalarMetric.allCases
        let scalarSummaries = BlockRunner.run(blocks: Array(metrics.indices), threads: cores) { k in
            c.scalars[metrics[k].rawValue].withValues { ScalarSummary($0) }
        }
        var scalars: [ScalarMetric: ScalarSummary] = [:]
        for (k, metric) in metrics.enumerated() { scalars[metric] = scalarSummaries[k] }
        self.scalars = scalars

        let T = model.years
        let allFans = BlockRunner.run(blocks: Array(0..<(YearlySeries.allCases.count * T)), threads: cores) { column in
            c.series[column].withValues { x in
                // One pass gives the mean's sum and the selection's range.
                let scan = ColumnScan(x)
                let p = Statistics.percentiles(x, [0.10, 0.50, 0.90], scan: scan)
                return YearFan(mean: scan.mean(of: x), p10: p[0], p50: p[1], p90: p[2])
            }
        }
        var fans: [YearlySeries: [YearFan]] = [:]
        for s in YearlySeries.allCases { fans[s] = Array(allFans[(s.rawValue * T)..<((s.rawValue + 1) * T)]) }
        self.fans = fans

        func histogram(_ metric: ScalarMetric) -> ([Int], Int) {
            var counts = [Int](repeating: 0, count: model.years)
            var none = 0
            c.scalars[metric.rawValue].withValues { x in
                for v in x { if v.isNaN { none += 1 } else { counts[Int(v)] += 1 } }
            }
            return (counts, none)
        }
        (paybackCounts, noPaybackCount) = histogram(.paybackYear)
        (discountedPaybackCounts, noDiscountedPaybackCount) = histogram(.discountedPaybackYear)

        // Each authority's NPV column and tallies on the threads; its share of all costs once every mean is in.
        let names = model.scenario.authorities.map(\.name)
        let perAuthority = BlockRunner.run(blocks: Array(names.indices), threads: cores) { i in
            let (counts, never) = c.joinYearCounts(authority: i)
            return (npv: c.authorityNPV[i].withValues { ScalarSummary($0) }!, counts: counts, never: never,
                    meanCosts: c.meanCosts(authority: i))
        }
        let allCosts = perAuthority.map(\.meanCosts).reduce(0, +)
        partners = names.indices.map { i in
            let a = perAuthority[i]
            return PartnerSummary(name: names[i], npv: a.npv, joinYearCounts: a.counts, neverJoinsCount: a.never,
                                  meanCostsPV: a.meanCosts, costShare: allCosts > 0 ? a.meanCosts / allCosts : .nan)
        }
        risks = model.scenario.risks.enumerated().map { r, risk in
            let x = Array(c.riskOccurrences[r])
            var struck = 0
            for v in x where v > 0 { struck += 1 }
            return RiskSummary(name: risk.name, meanOccurrences: Statistics.mean(x),
                               probabilityAtLeastOnce: Double(struck) / Double(m))
        }
        let npv = c.scalar(.npvFinancial)
        npvHistogram = Histogram(npv)
        probabilityEveryPartnerGains = Statistics.mean(c.scalar(.everyPartnerGains))

        let npvRanks = RankDeviations(Statistics.ranks(npv))
        let paths = model.space.scalars.map(\.path)
        sensitivity = BlockRunner.run(blocks: Array(paths.indices), threads: cores) { k in
            c.inputs[k].withValues { x in
                npv.withUnsafeBufferPointer { npv in Self.sensitivity(of: x, path: paths[k], npv: npv, npvRanks: npvRanks) }
            }
        }
    }

    /// Spearman correlation and tornado swing of input `x` against financial NPV. The input's
    /// values are sorted once: the sorted keys give its P10 and P90 (the same order
    /// statistics, so the same bits, as `Statistics.percentiles`) and its ranks. Then one pass
    /// in iteration order forms the tornado's sums and the correlation's, each the same
    /// sequence of operations as in `Statistics.pearson`.
    static func sensitivity(of x: UnsafeBufferPointer<Double>, path: String, npv: UnsafeBufferPointer<Double>,
                            npvRanks: RankDeviations) -> InputSensitivity {
        let (cut, ranks) = Statistics.withSortedKeys(x) { keys, index in
            (Statistics.percentiles(sortedKeys: keys, [0.10, 0.90]), Statistics.ranks(sortedKeys: keys, index))
        }
        let lo = cut[0], hi = cut[1]
        let ma = Statistics.mean(ranks)
        var sumLow = 0.0, nLow = 0, sumHigh = 0.0, nHigh = 0
        var sab = 0.0, saa = 0.0
        ranks.withUnsafeBufferPointer { a in
            npvRanks.deviations.withUnsafeBufferPointer { db in
                for i in 0..<x.count {
                    if x[i] <= lo { sumLow += npv[i]; nLow += 1 }
                    if x[i] >= hi { sumHigh += npv[i]; nHigh += 1 }
                    let da = a[i] - ma
                    sab += da * db[i]
                    saa += da * da
                }
            }
        }
        let low = nLow > 0 ? sumLow / Double(nLow) : .nan
        let high = nHigh > 0 ? sumHigh / Double(nHigh) : .nan
        let spearman = saa > 0 && npvRanks.squares > 0 ? sab / (saa * npvRanks.squares).squareRoot() : .nan
        return InputSensitivity(path: path, spearman: spearman, tornadoSwing: high - low, meanNPVLow: low, meanNPVHigh: high)
    }

    /// P(payback ≤ k) for k = 0 … T−1.
    public var probabilityPaybackBy: [Double] {
        var cumulative = 0
        return paybackCounts.map { count in
            cumulative += count
            return Double(cumulative) / Double(iterations)
        }
    }
}

/// Financial NPV's ranks as `Statistics.pearson` uses them, b − mean(b) and Σ (b − mean(b))²
/// in iteration order: the same for every input's correlation, so formed once.
struct RankDeviations: Sendable {
    let deviations: [Double]
    let squares: Double

    init(_ b: [Double]) {
        let mb = Statistics.mean(b)
        deviations = b.map { $0 - mb }
        var s = 0.0
        for d in deviations { s += d * d }
        squares = s
    }
}
