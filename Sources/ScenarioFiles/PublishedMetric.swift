/// The metrics a `published:` figure may name, and which years each one takes
/// (docs/scenario-reference.md, `published`). The simulated distribution of each is
/// computed in SavingsModel (PublishedFigures.swift); the loader only checks the names
/// and the years here, so a misspelt metric is caught when the file is read.
public enum PublishedMetric: String, CaseIterable, Sendable {
    /// Σ net_fin from `from_year` (default: the first year) through `through_year`.
    case cumulativeNetFinancial = "cumulative_net_financial"
    /// Σ cashable savings from `from_year` (default: the first year) through `through_year`.
    case cumulativeCashableSavings = "cumulative_cashable_savings"
    /// Σ (cashable + non-cashable) savings from `from_year` through `through_year`.
    case cumulativeTotalSavings = "cumulative_total_savings"
    /// net_fin in `year`, or summed over a range.
    case netFinancial = "net_financial"
    /// Cashable savings in `year`, or summed over a range.
    case cashableSavings = "cashable_savings"
    /// Non-cashable savings in `year`, or summed over a range.
    case nonCashableSavings = "non_cashable_savings"
    /// Cashable + non-cashable savings in `year`, or summed over a range.
    case totalSavings = "total_savings"
    /// One-off costs (lines, per-joiner, redundancy, delay) in `year`, or summed over a range.
    case oneOffCosts = "one_off_costs"
    /// Financial NPV over the whole case.
    case npvFinancial = "npv_financial"
    /// Economic NPV over the whole case.
    case npvEconomic = "npv_economic"

    /// Which year keys a metric takes.
    public enum Period: Sendable {
        /// No year: the metric covers the whole case.
        case wholeCase
        /// `through_year` (required) and optionally `from_year`.
        case cumulative
        /// Either `year`, or a range given by `from_year` and/or `through_year`.
        case yearOrRange
    }

    public var period: Period {
        switch self {
        case .npvFinancial, .npvEconomic: .wholeCase
        case .cumulativeNetFinancial, .cumulativeCashableSavings, .cumulativeTotalSavings: .cumulative
        default: .yearOrRange
        }
    }

    /// What the metric is, for reports ("cumulative net financial benefit").
    public var meaning: String {
        switch self {
        case .cumulativeNetFinancial: "cumulative net financial benefit (cashable savings less all costs)"
        case .cumulativeCashableSavings: "cumulative cashable savings"
        case .cumulativeTotalSavings: "cumulative total savings (cashable and non-cashable)"
        case .netFinancial: "net financial benefit (cashable savings less all costs)"
        case .cashableSavings: "cashable savings"
        case .nonCashableSavings: "non-cashable savings"
        case .totalSavings: "total savings (cashable and non-cashable)"
        case .oneOffCosts: "one-off costs"
        case .npvFinancial: "financial net present value"
        case .npvEconomic: "economic net present value"
        }
    }

    public static var names: [String] { allCases.map(\.rawValue) }
}

extension PublishedFigure {
    /// The metric, when its name is a known one (always, for a figure the loader accepted).
    public var knownMetric: PublishedMetric? { PublishedMetric(rawValue: metric) }

    /// The years the figure covers, as calendar years of financial years (first, last),
    /// after defaults; nil for a whole-case metric. `first` defaults to `startYear`.
    public func yearRange(startYear: Int, lastYear: Int) -> (first: Int, last: Int)? {
        guard let m = knownMetric, m.period != .wholeCase else { return nil }
        if let year { return (year, year) }
        return (fromYear ?? startYear, throughYear ?? lastYear)
    }
}
