extension Charts {
    /// A sweep or comparison (docs/whatif.md): for each point, the NPV's P10–P90 band and
    /// P50 line on the left axis, and P(NPV > 0) as a dashed line on a right-hand axis
    /// from 0 to 100 % (its ticks need not meet the left axis's gridlines).
    public static func sweep(title: String, pointLabels: [String], axisTitle: String,
                             p10: [Double], p50: [Double], p90: [Double], probabilityPositive: [Double]) -> String {
        let money = p10 + p50 + p90
        guard money.contains(where: \.isFinite) else {
            return ChartFrame.noData(title: title, what: "NPV by \(axisTitle)")
        }
        let left = NiceAxis.fit(money, includeZero: true)
        let right = NiceAxis(lo: 0, hi: 1, step: 0.2)
        var spec = YearChart(
            title: title, yearLabels: pointLabels,
            description: "Net present value at each value of \(axisTitle): the P10 to P90 range as a band, the P50 as a solid line, and the probability that the NPV is positive as a dashed line on the right-hand axis. Every point uses the same random numbers.",
            left: left, leftLabels: TickText.money(left.ticks), leftTitle: "NPV (£)",
            right: right, rightLabels: TickText.percent(right.ticks), rightTitle: "P(NPV > 0)",
            band: (p10, p90, "NPV P10–P90"),
            lines: [
                .init(values: p50, label: "NPV P50", style: Style(stroke: Palette.primary, strokeWidth: 2.2),
                      cls: "line-p50", onRight: false),
                .init(values: probabilityPositive, label: "P(NPV > 0) (right axis)",
                      style: Style(stroke: Palette.accent, strokeWidth: 2, dash: "7 4"),
                      cls: "line-probability", onRight: true),
            ])
        spec.xTitle = axisTitle
        return spec.render()
    }
}
