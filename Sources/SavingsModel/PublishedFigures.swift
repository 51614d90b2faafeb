import ScenarioFiles

/// A published figure beside the simulated distribution of the same metric: where the
/// published value falls among the iterations, and whether it lies within P10–P90.
public struct PublishedComparison: Sendable, Equatable {
    public let figure: PublishedFigure
    public let metric: PublishedMetric
    /// First and last year index the metric sums over (nil for a whole-case NPV).
    public let years: ClosedRange<Int>?
    /// What is compared, for people: "cumulative net financial benefit, 2007/08 to 2010/11".
    public let label: String
    public let iterations: Int
    public let mean: Double
    public let p10: Double
    public let p50: Double
    public let p90: Double
    /// The share of iterations whose value is at or below the published value (0…1).
    public let percentile: Double

    /// True when P10 ≤ published value ≤ P90.
    public var isWithinP10P90: Bool { figure.value >= p10 && figure.value <= p90 }
}

/// Compares a scenario's `published:` figures with a simulation's iteration columns.
///
/// Each metric is computed per iteration from the yearly series: a figure in one `year`
/// is that year's value; a range (`from_year`…`through_year`, financial years named by
/// their first calendar year) is the sum of the years in it, both ends included; an NPV is
/// the iteration's NPV. Percentiles use the same interpolation as every other summary
/// (R type 7); the published value's percentile is the share of iterations ≤ it.
public enum PublishedFigures {
    /// One comparison per published figure, in the order written.
    public static func compare(_ scenario: Scenario, columns: SimulationColumns) -> [PublishedComparison] {
        scenario.published.compactMap { compare($0, scenario: scenario, columns: columns) }
    }

    /// The comparison for one figure; nil when its metric is unknown (the loader rejects
    /// those) or the run has no iterations.
    public static func compare(_ figure: PublishedFigure, scenario: Scenario, columns: SimulationColumns) -> PublishedComparison? {
        guard let metric = figure.knownMetric, columns.iterations > 0 else { return nil }
        let values = self.values(of: figure, scenario: scenario, columns: columns)
        let sorted = values.sorted()
        let atOrBelow = upperBound(sorted, figure.value)
        return PublishedComparison(
            figure: figure, metric: metric, years: yearIndices(of: figure, scenario: scenario),
            label: label(figure, scenario: scenario), iterations: sorted.count,
            mean: Statistics.mean(values),
            p10: Statistics.percentile(sorted: sorted, 0.10), p50: Statistics.percentile(sorted: sorted, 0.50),
            p90: Statistics.percentile(sorted: sorted, 0.90),
            percentile: Double(atOrBelow) / Double(sorted.count))
    }

    /// The metric's value in every iteration, in iteration order.
    public static func values(of figure: PublishedFigure, scenario: Scenario, columns: SimulationColumns) -> [Double] {
        guard let metric = figure.knownMetric else { return [] }
        let T = scenario.horizonYears
        switch metric {
        case .npvFinancial: return columns.scalar(.npvFinancial)
        case .npvEconomic: return columns.scalar(.npvEconomic)
        default: break
        }
        let range = yearIndices(of: figure, scenario: scenario) ?? 0...(T - 1)
        let series: [YearlySeries]
        switch metric {
        case .cumulativeNetFinancial, .netFinancial: series = [.netFinancial]
        case .cumulativeCashableSavings, .cashableSavings: series = [.cashableSavings]
        case .cumulativeTotalSavings, .totalSavings: series = [.cashableSavings, .nonCashableSavings]
        case .nonCashableSavings: series = [.nonCashableSavings]
        case .oneOffCosts: series = [.oneOffCosts]
        case .npvFinancial, .npvEconomic: series = []
        }
        var total = [Double](repeating: 0, count: columns.iterations)
        for s in series {
            for t in range {
                let column = columns.series(s, year: t, years: T)
                for i in total.indices { total[i] += column[i] }
            }
        }
        return total
    }

    /// The year indices (0 = `start_year`) a figure covers, or nil for a whole-case metric.
    public static func yearIndices(of figure: PublishedFigure, scenario: Scenario) -> ClosedRange<Int>? {
        let last = scenario.startYear + scenario.horizonYears - 1
        guard let (first, through) = figure.yearRange(startYear: scenario.startYear, lastYear: last) else { return nil }
        let a = max(0, first - scenario.startYear), b = min(scenario.horizonYears - 1, through - scenario.startYear)
        return a...max(a, b)
    }

    /// "cumulative net financial benefit, 2007/08 to 2010/11", "cashable savings in 2012/13".
    public static func label(_ figure: PublishedFigure, scenario: Scenario) -> String {
        guard let metric = figure.knownMetric else { return figure.metric }
        guard let years = yearIndices(of: figure, scenario: scenario) else { return metric.meaning }
        if years.lowerBound == years.upperBound && metric.period == .yearOrRange {
            return "\(metric.meaning) in \(scenario.yearLabel(years.lowerBound))"
        }
        let total = metric.period == .cumulative ? metric.meaning : "\(metric.meaning), total"
        return "\(total), \(scenario.yearLabel(years.lowerBound)) to \(scenario.yearLabel(years.upperBound))"
    }

    /// The number of elements of `sorted` that are ≤ x.
    static func upperBound(_ sorted: [Double], _ x: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
