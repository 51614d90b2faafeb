import SavingsModel
import ScenarioFiles

/// The report's CSV files beyond summary.csv and yearly.csv. One row per thing, units in
/// the column names, plain numbers, the financial-year label in its own column.
enum ReportTables {
    /// partners.csv: each authority's NPV distribution, cost share and join-year distribution.
    static func partnersCSV(_ run: RunRecord) -> String {
        let s = run.summary
        let years = (0..<s.years).map { "p_joins_" + run.scenario.yearLabel($0).replacingOccurrences(of: "/", with: "_") }
        var table = CSVTable(header: ["authority", "npv_mean_gbp", "npv_p10_gbp", "npv_p50_gbp", "npv_p90_gbp",
                                      "probability_npv_positive", "mean_costs_borne_pv_gbp", "cost_share",
                                      "probability_joins_within_horizon"] + years)
        for p in s.partners {
            let m = Double(s.iterations)
            table.append([.text(p.name), .number(p.npv.mean), .number(p.npv.p10), .number(p.npv.p50), .number(p.npv.p90),
                          .number(p.npv.probabilityPositive), .number(p.meanCostsPV), .number(p.costShare),
                          .number(Double(s.iterations - p.neverJoinsCount) / m)]
                         + p.joinYearCounts.map { .number(Double($0) / m) })
        }
        return table.text
    }

    /// payback.csv: the payback-year distribution, with "not within horizon" as its own row.
    static func paybackCSV(_ run: RunRecord) -> String {
        let s = run.summary
        let m = Double(s.iterations)
        var table = CSVTable(header: ["year_index", "financial_year", "probability_payback_in_year",
                                      "probability_paid_back_by_end_of_year", "probability_discounted_payback_in_year",
                                      "probability_discounted_paid_back_by_end_of_year"])
        var cumulative = 0, cumulativeDiscounted = 0
        for t in 0..<s.years {
            cumulative += s.paybackCounts[t]
            cumulativeDiscounted += s.discountedPaybackCounts[t]
            table.append([.integer(t), .text(run.scenario.yearLabel(t)), .number(Double(s.paybackCounts[t]) / m),
                          .number(Double(cumulative) / m), .number(Double(s.discountedPaybackCounts[t]) / m),
                          .number(Double(cumulativeDiscounted) / m)])
        }
        table.append([.empty, .text("not within horizon"), .number(Double(s.noPaybackCount) / m), .empty,
                      .number(Double(s.noDiscountedPaybackCount) / m), .empty])
        return table.text
    }

    /// sensitivity.csv: every uncertain input's rank correlation with NPV and tornado swing.
    static func sensitivityCSV(_ run: RunRecord) -> String {
        var table = CSVTable(header: ["input", "spearman_with_npv_financial", "mean_npv_financial_at_or_below_p10_gbp",
                                      "mean_npv_financial_at_or_above_p90_gbp", "tornado_swing_gbp"])
        for x in BusinessCaseContext.rankedSensitivity(run.summary) {
            table.append([.text(x.path), .number(x.spearman), .number(x.meanNPVLow), .number(x.meanNPVHigh),
                          .number(x.tornadoSwing)])
        }
        return table.text
    }

    /// switching-values.csv: for the inputs that move the NPV most, the value at which the
    /// base-case NPV is zero and the value at which P(NPV > 0) = 50 % (blank: none found
    /// between searched_from and searched_to).
    static func switchingValuesCSV(_ run: RunRecord) -> String {
        var table = CSVTable(header: ["input", "median", "base_case_npv_zero_at", "probability_npv_positive_50_at",
                                      "searched_from", "searched_to", "iterations"])
        for v in run.switchingValues {
            table.append([.text(v.path), .number(v.median), v.deterministic.map { .number($0) } ?? .empty,
                          v.probabilistic.map { .number($0) } ?? .empty, .number(v.low), .number(v.high), .integer(v.iterations)])
        }
        return table.text
    }

    /// inputs.csv: every input with its distribution, analytic percentiles and source.
    static func inputsCSV(_ run: RunRecord) -> String {
        var table = CSVTable(header: ["input", "distribution", "as_written", "drawn_per_iteration", "mean", "p10", "p50",
                                      "p90", "source", "evidenced"])
        for input in run.scenario.allInputs {
            let d = input.distribution
            table.append([.text(input.path), .text(d.family), input.written.map { .text($0) } ?? .empty,
                          .text(d.isRandom ? "yes" : "no"), .number(d.mean), .number(d.quantile(0.1)),
                          .number(d.median), .number(d.quantile(0.9)),
                          input.source.map { .text($0) } ?? .empty, .text(BusinessCaseContext.SourceKind.isEvidenced(input.source) ? "yes" : "no")])
        }
        return table.text
    }
}
