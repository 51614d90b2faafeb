import SavingsModel
import ScenarioFiles

/// The CSV files of a run, formatted from a `Summary` (no statistics computed here).
public enum RunReport {
    /// The scalar outputs summary.csv lists, in order. Payback and the every-partner flag
    /// are reported as distributions of their own.
    public static let summaryMetrics: [ScalarMetric] = ScalarMetric.allCases.filter {
        ![.paybackYear, .discountedPaybackYear, .everyPartnerGains].contains($0)
    }

    /// summary.csv: one row per scalar output, `metric,mean,sd,se,p5,p10,p25,p50,p75,p90,p95`.
    public static func summaryCSV(_ summary: Summary) -> String {
        var table = CSVTable(header: ["metric", "mean", "sd", "se", "p5", "p10", "p25", "p50", "p75", "p90", "p95"])
        for metric in summaryMetrics {
            guard let s = summary.scalars[metric] else {
                table.append([.text(metric.name)] + Array(repeating: .empty, count: 10))
                continue
            }
            table.append([.text(metric.name), .number(s.mean), .number(s.sd), .number(s.se)]
                         + s.percentiles.map { .number($0) })
        }
        return table.text
    }

    /// yearly.csv: one row per year, the mean, P10, P50 and P90 of every series.
    public static func yearlyCSV(_ summary: Summary, scenario: Scenario) -> String {
        var header = ["year_index", "financial_year"]
        for s in YearlySeries.allCases {
            header += ["\(s.name)_mean", "\(s.name)_p10", "\(s.name)_p50", "\(s.name)_p90"]
        }
        var table = CSVTable(header: header)
        for t in 0..<summary.years {
            var row: [CSVTable.Cell] = [.integer(t), .text(scenario.yearLabel(t))]
            for s in YearlySeries.allCases {
                let fan = summary.fans[s]![t]
                row += [.number(fan.mean), .number(fan.p10), .number(fan.p50), .number(fan.p90)]
            }
            table.append(row)
        }
        return table.text
    }

    /// A short, readable summary for the terminal.
    public static func terminalSummary(_ summary: Summary, scenario: Scenario, baseCase: Bool) -> String {
        var lines: [String] = []
        lines.append(scenario.name)
        lines.append(baseCase
            ? "Base case (every input at its median), \(summary.years) years from \(scenario.yearLabel(0))"
            : "\(summary.iterations) iterations, \(summary.years) years from \(scenario.yearLabel(0))")
        if let npv = summary.scalars[.npvFinancial] {
            if baseCase {
                lines.append("  Financial NPV        \(NumberText.money(npv.mean))")
            } else {
                lines.append("  Financial NPV        mean \(NumberText.money(npv.mean)) (P10 \(NumberText.money(npv.p10)) to P90 \(NumberText.money(npv.p90))), P(NPV > 0) = \(NumberText.percent(npv.probabilityPositive))")
            }
        }
        if let npv = summary.scalars[.npvEconomic] {
            lines.append("  Economic NPV         \(baseCase ? "" : "mean ")\(NumberText.money(npv.mean))")
        }
        if let bcr = summary.scalars[.bcr] {
            lines.append("  Benefit–cost ratio   \(baseCase ? "" : "mean ")\(NumberText.fixed(bcr.mean, digits: 2))")
        }
        if let s = summary.scalars[.finalYearCashableSaving] {
            lines.append("  Cashable saving in \(scenario.yearLabel(summary.years - 1))  \(NumberText.money(s.mean))")
        }
        if let f = summary.scalars[.fteReleasedFinalYear] {
            lines.append("  FTE released in \(scenario.yearLabel(summary.years - 1))     \(NumberText.fixed(f.mean, digits: 1))")
        }
        if let c = summary.scalars[.oneOffCosts] {
            lines.append("  One-off costs        \(NumberText.money(c.mean))")
        }
        let paid = summary.iterations - summary.noPaybackCount
        if let median = medianPaybackYear(summary) {
            lines.append("  Payback              \(baseCase ? "" : "median ")\(scenario.yearLabel(median))")
        } else {
            lines.append("  Payback              not within the horizon\(baseCase ? "" : " (median); \(NumberText.percent(Double(paid) / Double(summary.iterations))) of iterations pay back")")
        }
        if !baseCase {
            lines.append("  P(every partner gains) \(NumberText.percent(summary.probabilityEveryPartnerGains))")
            if let se = summary.scalars[.npvFinancial]?.se {
                lines.append("  Monte Carlo standard error of mean NPV: \(NumberText.money(se))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The year by which at least half the iterations have paid back, or nil.
    /// One sentence on a `--precision` run: the precision reached and where it stopped, or
    /// that the maximum came first.
    public static func precisionSentence(_ p: PrecisionOutcome) -> String {
        let reached = p.measure.relative.isFinite ? NumberText.percent(p.measure.relative, digits: 2) : "unbounded (the statistic is 0)"
        let target = p.target.percentText
        let absolute = p.target.statistic == .mean ? "standard error \(NumberText.money(p.measure.uncertainty))"
            : "half-width \(NumberText.money(p.measure.uncertainty)) around \(NumberText.money(p.measure.estimate))"
        let blocks = p.blocks == 1 ? "1 block" : "\(NumberText.grouped(Int64(p.blocks))) blocks"
        if p.met {
            return "Precision target met: the \(p.measureName) is \(reached) (\(absolute)), within the target of \(target), after \(NumberText.grouped(Int64(p.iterations))) iterations (\(blocks); at most \(NumberText.grouped(Int64(p.maximumIterations))) allowed)."
        }
        return "Precision target NOT reached: the \(p.measureName) is \(reached) (\(absolute)) after the maximum of \(NumberText.grouped(Int64(p.iterations))) iterations, above the target of \(target). Fix: allow more iterations (--iterations) or accept a looser --precision."
    }

    public static func medianPaybackYear(_ summary: Summary) -> Int? {
        summary.probabilityPaybackBy.firstIndex { $0 >= 0.5 }
    }

    /// A per-year table for the terminal (base case).
    public static func yearlyTable(_ summary: Summary, scenario: Scenario) -> String {
        let columns: [(String, YearlySeries)] = [
            ("Cashable", .cashableSavings), ("Non-cash", .nonCashableSavings), ("One-off", .oneOffCosts),
            ("Redundancy", .redundancyCosts), ("Ongoing", .ongoingCosts), ("Risk", .riskCosts),
            ("Exit", .exitCosts), ("Net", .netFinancial), ("Cumulative", .cumulativeNetFinancial),
            ("Members", .members), ("FTE rel.", .fteReleased),
        ]
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: Swift.max(0, w - s.count)) + s }
        var out = pad("Year", 8) + columns.map { pad($0.0, 11) }.joined()
        for t in 0..<summary.years {
            out += "\n" + pad(scenario.yearLabel(t), 8)
            for (_, s) in columns {
                let v = summary.fans[s]![t].mean
                let text = (s == .members || s == .fteReleased) ? NumberText.fixed(v, digits: s == .members ? 0 : 1) : NumberText.money(v)
                out += pad(text, 11)
            }
        }
        return out
    }
}
