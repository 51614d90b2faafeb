/// The last line of defence against numbers a report must never print: after a run, every
/// figure the reports show must be finite, except those that are undefined by design (a
/// BCR with no costs, payback not within the horizon, the rank correlation of an input
/// that did not vary, cost shares when nobody bears a cost — all printed as blank or n/a).
///
/// The scenario loader bounds every number (docs/errors.md), so a finite-input overflow
/// needs an extreme distribution, e.g. a lognormal whose p90 is hundreds of orders of
/// magnitude above its median. The command line refuses such a run instead of writing
/// `inf` into a committee paper.
public enum OutputCheck {
    /// Names of the outputs holding an infinite or NaN figure, in report order; empty when
    /// the summary is safe to print.
    public static func problems(_ s: Summary) -> [String] {
        var bad: [String] = []
        func check(_ name: String, _ values: [Double]) {
            if values.contains(where: { !$0.isFinite }), !bad.contains(name) { bad.append(name) }
        }
        func check(_ name: String, _ x: ScalarSummary?) {
            guard let x else { return }
            check(name, [x.mean, x.sd, x.se, x.probabilityPositive, x.cvar5] + x.percentiles)
        }
        for metric in ScalarMetric.allCases {
            check(metric.name, s.scalars[metric])
            // NaN is left out of a summary, so an always-defined figure must count every iteration.
            let mayBeUndefined: Set<ScalarMetric> = [.bcr, .paybackYear, .discountedPaybackYear]
            if !mayBeUndefined.contains(metric), (s.scalars[metric]?.count ?? 0) != s.iterations, !bad.contains(metric.name) {
                bad.append(metric.name)
            }
        }
        for series in YearlySeries.allCases {
            for fan in s.fans[series] ?? [] { check(series.name, [fan.mean, fan.p10, fan.p50, fan.p90]) }
        }
        for partner in s.partners {
            check("npv_financial_gbp of \(partner.name)", partner.npv)
            check("costs borne by \(partner.name)", [partner.meanCostsPV])
        }
        for input in s.sensitivity {
            // The rank correlation is NaN for an input that never varied; the means are not.
            let means = [input.meanNPVLow, input.meanNPVHigh, input.tornadoSwing].filter { !$0.isNaN }
            check("sensitivity to \(input.path)", means)
        }
        for risk in s.risks { check("occurrences of \(risk.name)", [risk.meanOccurrences]) }
        check("the NPV histogram", s.npvHistogram.edges)
        return bad
    }

    /// The message for the command line, or nil when there is nothing wrong.
    public static func message(_ s: Summary) -> String? {
        let bad = problems(s)
        guard !bad.isEmpty else { return nil }
        let shown = bad.prefix(5).joined(separator: ", ") + (bad.count > 5 ? " and \(bad.count - 5) more" : "")
        return "the simulation produced figures too large to represent (\(shown)), so no report was written. "
            + "Fix: look for an extreme input — amounts far beyond any council's budget, or a distribution "
            + "with an enormous spread (e.g. a lognormal whose p90 is many orders of magnitude above its median)"
    }
}
