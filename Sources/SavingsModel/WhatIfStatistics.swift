import Foundation

/// Figures of one what-if variant and of paired differences between variants
/// (docs/whatif.md).

/// A statistic of a scalar output, as written in a goal-seek target: `p50(npv_financial)`,
/// `mean(npv_economic)`, `prob_positive(npv_financial)`.
public struct OutputStatistic: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case mean
        /// A percentile, 0 < level < 1 (type 7).
        case percentile(Double)
        /// The share of iterations with a value above 0.
        case probabilityPositive
    }
    public let kind: Kind
    public let metric: ScalarMetric

    public init(kind: Kind, metric: ScalarMetric) {
        self.kind = kind
        self.metric = metric
    }

    /// Reads `stat(metric)`; the metric may be written with or without its unit suffix
    /// (`npv_financial` or `npv_financial_gbp`). Nil with a reason when it cannot.
    public static func parse(_ text: String) -> Result<OutputStatistic, WhatIfError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let open = t.firstIndex(of: "("), t.hasSuffix(")") else {
            return .failure(WhatIfError("'\(text)' is not a statistic of an output",
                                        fix: "write it as stat(output), e.g. p50(npv_financial), mean(npv_economic) or prob_positive(npv_financial)"))
        }
        let stat = t[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        let name = t[t.index(after: open)..<t.index(before: t.endIndex)].trimmingCharacters(in: .whitespaces)
        guard let metric = ScalarMetric.named(name) else {
            return .failure(WhatIfError("'\(name)' is not an output",
                                        fix: "use one of: " + ScalarMetric.allCases.map(\.shortName).joined(separator: ", ")))
        }
        let kind: Kind
        switch stat {
        case "mean": kind = .mean
        case "prob_positive", "p_positive": kind = .probabilityPositive
        default:
            guard stat.hasPrefix("p"), let level = Double(stat.dropFirst()), level > 0, level < 100 else {
                return .failure(WhatIfError("'\(stat)' is not a statistic",
                                            fix: "use mean, prob_positive or a percentile p1 … p99 (p50 is the median)"))
            }
            kind = .percentile(level / 100)
        }
        return .success(OutputStatistic(kind: kind, metric: metric))
    }

    /// The statistic over the defined (non-NaN) values; NaN when there are none.
    public func value(of values: [Double]) -> Double {
        var x = values.filter { !$0.isNaN }
        guard !x.isEmpty else { return .nan }
        switch kind {
        case .mean: return Statistics.mean(x)
        case .percentile(let p): return Statistics.percentiles(selecting: &x, [p])[0]
        case .probabilityPositive: return Double(x.count(where: { $0 > 0 })) / Double(x.count)
        }
    }

    public var description: String {
        let stat: String
        switch kind {
        case .mean: stat = "mean"
        case .percentile(let p): stat = "p" + Self.levelText(p * 100)
        case .probabilityPositive: stat = "prob_positive"
        }
        return "\(stat)(\(metric.shortName))"
    }

    static func levelText(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(x)
    }
}

extension ScalarMetric {
    /// The output's name without its unit suffix: `npv_financial`.
    public var shortName: String {
        for suffix in ["_gbp", "_index"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }

    /// By its report name (`npv_financial_gbp`) or short name (`npv_financial`).
    public static func named(_ text: String) -> ScalarMetric? {
        allCases.first { $0.name == text || $0.shortName == text }
    }
}

/// A what-if request that cannot be answered as given.
public struct WhatIfError: Error, Sendable, CustomStringConvertible {
    public let problem: String
    public let fix: String
    public init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }
    public var description: String { "\(problem). Fix: \(fix)" }
}

/// The paired difference a − b of one output over common random numbers.
public struct PairedDifference: Sendable, Equatable {
    public let summary: ScalarSummary
    /// P(a > b): the share of iterations where a is strictly greater.
    public let probabilityAGreater: Double
    /// The standard error the same difference would have from independent runs,
    /// √(SE_a² + SE_b²): how much common random numbers sharpen the comparison.
    public let independentSE: Double

    /// Nil when no iteration has both values defined.
    public init?(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count)
        var d: [Double] = []
        d.reserveCapacity(a.count)
        var greater = 0
        for i in a.indices where !a[i].isNaN && !b[i].isNaN {
            d.append(a[i] - b[i])
            if a[i] > b[i] { greater += 1 }
        }
        guard let s = ScalarSummary(d), let sa = ScalarSummary(a), let sb = ScalarSummary(b) else { return nil }
        summary = s
        probabilityAGreater = Double(greater) / Double(d.count)
        independentSE = (sa.se * sa.se + sb.se * sb.se).squareRoot()
    }
}
