import SavingsModel
import ScenarioFiles

/// A tiny JSON value with ordered keys, so summary.json is byte-for-byte reproducible and
/// numbers are written exactly as in the CSV files (NaN becomes null).
indirect enum JSON {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent), inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { "\(inner)\(Self.quote($0.0)): \($0.1.render(indent: indent + 1))" }.joined(separator: ",\n") + "\n\(pad)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .string(let s): return Self.quote(s)
        case .number(let x): return x.isFinite ? NumberText.plain(x) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

import Foundation

/// summary.json: the same figures as the CSV files, for scripts.
enum SummaryJSON {
    static func render(_ run: RunRecord) -> String {
        let s = run.summary, scenario = run.scenario
        func stats(_ x: ScalarSummary) -> JSON {
            .object([("count", .number(Double(x.count))), ("mean", .number(x.mean)), ("sd", .number(x.sd)),
                     ("se", .number(x.se)), ("p5", .number(x.p5)), ("p10", .number(x.p10)), ("p25", .number(x.p25)),
                     ("p50", .number(x.p50)), ("p75", .number(x.p75)), ("p90", .number(x.p90)), ("p95", .number(x.p95)),
                     ("probability_positive", .number(x.probabilityPositive)), ("cvar5", .number(x.cvar5))])
        }
        let metrics: [(String, JSON)] = RunReport.summaryMetrics.compactMap { m in s.scalars[m].map { (m.name, stats($0)) } }
        let years: [JSON] = (0..<s.years).map { t in
            .object([("year_index", .number(Double(t))), ("financial_year", .string(scenario.yearLabel(t)))]
                    + YearlySeries.allCases.map { series in
                        let f = s.fans[series]![t]
                        return (series.name, .object([("mean", .number(f.mean)), ("p10", .number(f.p10)),
                                                      ("p50", .number(f.p50)), ("p90", .number(f.p90))]))
                    })
        }
        let m = Double(s.iterations)
        let payback: JSON = .object([
            ("probability_paid_back_by_end_of_year", .array(s.probabilityPaybackBy.map { .number($0) })),
            ("probability_not_within_horizon", .number(Double(s.noPaybackCount) / m)),
            ("median_payback_financial_year", RunReport.medianPaybackYear(s).map { .string(scenario.yearLabel($0)) } ?? .null),
            ("discounted_probability_not_within_horizon", .number(Double(s.noDiscountedPaybackCount) / m)),
        ])
        let partners: [JSON] = s.partners.map { p in
            .object([("authority", .string(p.name)), ("npv_financial_gbp", stats(p.npv)),
                     ("cost_share", .number(p.costShare)), ("mean_costs_borne_pv_gbp", .number(p.meanCostsPV)),
                     ("probability_joins_within_horizon", .number(Double(s.iterations - p.neverJoinsCount) / m)),
                     ("probability_joins_in_year", .array(p.joinYearCounts.map { .number(Double($0) / m) }))])
        }
        let sensitivity: [JSON] = BusinessCaseContext.rankedSensitivity(s).map { x in
            .object([("input", .string(x.path)), ("spearman_with_npv_financial", .number(x.spearman)),
                     ("mean_npv_financial_at_or_below_p10_gbp", .number(x.meanNPVLow)),
                     ("mean_npv_financial_at_or_above_p90_gbp", .number(x.meanNPVHigh)),
                     ("tornado_swing_gbp", .number(x.tornadoSwing))])
        }
        let switching: [JSON] = run.switchingValues.map { v in
            .object([("input", .string(v.path)), ("median", .number(v.median)),
                     ("base_case_npv_zero_at", v.deterministic.map { .number($0) } ?? .null),
                     ("probability_npv_positive_50_at", v.probabilistic.map { .number($0) } ?? .null),
                     ("searched_from", .number(v.low)), ("searched_to", .number(v.high)),
                     ("iterations", .number(Double(v.iterations)))])
        }
        let risks: [JSON] = s.risks.map { r in
            .object([("risk", .string(r.name)), ("mean_occurrences", .number(r.meanOccurrences)),
                     ("probability_at_least_once", .number(r.probabilityAtLeastOnce))])
        }
        // Only for a --precision run, so other reports are unchanged.
        let precision: [(String, JSON)] = run.precision.map { p in
            [("precision", .object([
                ("target_percent", .number(p.target.percent)), ("statistic", .string(p.target.statistic.name)),
                ("met", .bool(p.met)), ("relative", .number(p.measure.relative)),
                ("estimate_gbp", .number(p.measure.estimate)), ("uncertainty_gbp", .number(p.measure.uncertainty)),
                ("blocks", .number(Double(p.blocks))), ("maximum_iterations", .number(Double(p.maximumIterations))),
                ("plain_command", .string(run.plainCommand ?? "")),
            ]))]
        } ?? []
        let doc: JSON = .object([
            ("tool", .string("shared-savings \(Versions.tool)")),
            ("model_version", .string(Versions.model)),
            ("scenario", .object([("name", .string(scenario.name)), ("file", .string(run.scenarioPath)),
                                  ("sha256", .string(run.scenarioSHA256))])),
            ("run", .object([("base_case", .bool(run.isBaseCase)), ("iterations", .number(m)),
                             ("seed", .number(Double(run.settings.seed))),
                             ("sampling", .string(run.settings.sampling.rawValue)),
                             ("generator", .string(run.settings.generator.name)),
                             ("block_size", .number(Double(run.settings.blockSize))),
                             ("command", .string(run.command))] + precision)),
            ("metrics", .object(metrics)),
            ("probability_every_partner_gains", .number(s.probabilityEveryPartnerGains)),
            ("years", .array(years)),
            ("payback", payback),
            ("partners", .array(partners)),
            ("sensitivity", .array(sensitivity)),
            ("switching_values", .array(switching)),
            ("risks", .array(risks)),
        ])
        return doc.render() + "\n"
    }
}
