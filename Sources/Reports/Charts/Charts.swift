/// Standalone SVG charts for a business case: each function takes plain numbers and
/// returns a complete SVG document (720 px wide, with a `<title>` and `<desc>`).
///
/// - Text from data is XML-escaped; labels too long for their space are shortened with
///   "…" and keep the full text in a `<title>` child, shown on hover.
/// - Output is deterministic: coordinates have one fixed decimal, nothing depends on the
///   locale, so the same input gives the same bytes on every machine.
/// - NaN and infinite values are skipped (lines break around them); empty input gives a
///   small chart saying "No data to chart".
/// - Elements carry `class` names (`band`, `line-p50`, `bar`, `zero-line`, …) so tests and
///   style sheets can find them.
public enum Charts {
    /// Every chart's width in pixels: fits an A4 page at a readable scale.
    public static let width = 720.0

    /// Height of the year-by-year charts.
    static let yearChartHeight = 440.0

    /// Cash-flow fan: P10–P90 band and P50 line of net cash flow by year, plus a
    /// cumulative net line (P50 or mean, as given by `cumulativeLabel`).
    ///
    /// The cumulative line shares the left axis unless its range is much larger than the
    /// yearly values', in which case it gets a right-hand axis whose zero and gridlines
    /// coincide with the left one's.
    public static func cashFlowFan(title: String, yearLabels: [String], p10: [Double], p50: [Double],
                                   p90: [Double], cumulative: [Double], cumulativeLabel: String) -> String {
        let n = yearLabels.count
        let yearly = (0..<n).flatMap { [p10[safe: $0], p50[safe: $0], p90[safe: $0]] }
        let cum = (0..<n).map { cumulative[safe: $0] }
        guard (yearly + cum).contains(where: \.isFinite) else {
            return ChartFrame.noData(title: title, what: "Net cash flow by year")
        }
        func span(_ v: [Double]) -> Double {
            let f = v.filter(\.isFinite)
            return max(0, f.max() ?? 0) - min(0, f.min() ?? 0)
        }
        let dual = span(yearly) > 0 && span(cum) > 2.5 * span(yearly)
        let left: NiceAxis, right: NiceAxis?
        if dual {
            let (a, b) = NiceAxis.aligned(yearly, cum)
            (left, right) = (a, b)
        } else {
            (left, right) = (NiceAxis.fit(yearly + cum, includeZero: true), nil)
        }
        let cumStyle = Style(stroke: Palette.accent, strokeWidth: 2, dash: "7 4")
        var cumLegend = cumulativeLabel
        if dual {
            cumLegend = cumulativeLabel.hasSuffix(")") ? cumulativeLabel.dropLast() + ", right axis)" : cumulativeLabel + " (right axis)"
        }
        let spec = YearChart(
            title: title, yearLabels: yearLabels,
            description: "Net cash flow by year\(range(yearLabels)): the P10 to P90 range as a band, the P50 as a solid line, and \(cumulativeLabel) as a dashed line\(dual ? " on the right-hand axis" : "").",
            left: left, leftLabels: TickText.money(left.ticks), leftTitle: "Net cash flow per year (£)",
            right: right, rightLabels: right.map { TickText.money($0.ticks) } ?? [],
            rightTitle: "Cumulative net cash flow (£)",
            band: (p10, p90, "Net cash flow P10–P90"),
            lines: [
                .init(values: p50, label: "Net cash flow P50", style: Style(stroke: Palette.primary, strokeWidth: 2.2),
                      cls: "line-p50", onRight: false),
                .init(values: cumulative, label: cumLegend, style: cumStyle,
                      cls: "line-cumulative", onRight: dual),
            ])
        return spec.render()
    }

    /// Members over time: the mean number of member authorities by year with a P10–P90
    /// band (counts, not money; the axis starts at zero and has whole-number ticks).
    public static func membersOverTime(title: String, yearLabels: [String], mean: [Double],
                                       p10: [Double], p90: [Double]) -> String {
        let n = yearLabels.count
        let values = (0..<n).flatMap { [mean[safe: $0], p10[safe: $0], p90[safe: $0]] }
        guard values.contains(where: \.isFinite) else {
            return ChartFrame.noData(title: title, what: "Members by year")
        }
        let axis = NiceAxis.fit(values, integer: true, includeZero: true)
        let spec = YearChart(
            title: title, yearLabels: yearLabels,
            description: "Number of members by year\(range(yearLabels)): the mean as a line and the P10 to P90 range as a band.",
            left: axis, leftLabels: TickText.count(axis.ticks), leftTitle: "Members (count)",
            right: nil, rightLabels: [], rightTitle: "",
            band: (p10, p90, "Members P10–P90"),
            lines: [.init(values: mean, label: "Members, mean", style: Style(stroke: Palette.primary, strokeWidth: 2.2),
                          cls: "line-mean", onRight: false)])
        return spec.render()
    }

    static func range(_ labels: [String]) -> String {
        guard let first = labels.first, let last = labels.last else { return "" }
        return labels.count == 1 ? ", \(first)" : ", \(first) to \(last)"
    }
}

/// A chart of values by year: one band, some lines, a left axis and an optional right one.
struct YearChart {
    struct Line {
        var values: [Double]
        var label: String
        var style: Style
        var cls: String
        var onRight: Bool
    }

    var title: String
    var yearLabels: [String]
    var description: String
    var left: NiceAxis
    var leftLabels: [String]
    var leftTitle: String
    var right: NiceAxis?
    var rightLabels: [String]
    var rightTitle: String
    var band: (lo: [Double], hi: [Double], label: String)
    var lines: [Line]
    /// The horizontal axis's title (a sweep's points are not years).
    var xTitle = "Financial year"

    func render() -> String {
        let n = yearLabels.count
        var c = SVGCanvas(height: Charts.yearChartHeight, title: title, description: description)
        // The legend names only what is drawn.
        var legend: [ChartFrame.LegendItem] = []
        if (0..<n).contains(where: { band.lo[safe: $0].isFinite && band.hi[safe: $0].isFinite }) {
            legend.append(.init(label: band.label, swatch: .area(fill: Palette.band)))
        }
        for line in lines where (0..<n).contains(where: { line.values[safe: $0].isFinite }) {
            legend.append(.init(label: line.label, swatch: .line(line.style)))
        }
        let top = ChartFrame.header(&c, title: title, legend: legend) + 12
        var rightEdge = Charts.width - ChartFrame.margin - 8
        if right != nil {
            rightEdge = Charts.width - (ChartFrame.margin + ChartFrame.axisTitleSize + 8
                                        + ChartFrame.labelWidth(rightLabels) + 8)
        }
        let plot = ChartFrame.Plot(left: ChartFrame.leftEdge(tickLabels: leftLabels), right: rightEdge,
                                   top: top, bottom: Charts.yearChartHeight - 52)
        let yLeft = LinearScale(left, range: (plot.bottom, plot.top))
        let yRight = right.map { LinearScale($0, range: (plot.bottom, plot.top)) }

        ChartFrame.valueAxis(&c, side: .left, axis: left, labels: leftLabels, scale: yLeft, plot: plot,
                             title: leftTitle, gridlines: true)
        if let right, let yRight {
            ChartFrame.valueAxis(&c, side: .right, axis: right, labels: rightLabels, scale: yRight, plot: plot,
                                 title: rightTitle, gridlines: false)
        }
        let x = { (i: Int) in ChartFrame.yearX(i, n: n, plot: plot) }
        let bandWidth = plot.width / Double(max(1, n))

        // The band: a polygon over each run of years where both ends are known; a lone
        // year becomes a short bar.
        c.comment("P10-P90 band")
        for run in ChartFrame.runs(n, where: { band.lo[safe: $0].isFinite && band.hi[safe: $0].isFinite }) {
            if run.count == 1 {
                let i = run.lowerBound
                let w = min(bandWidth * 0.6, 18)
                let (a, b) = (yLeft(band.hi[i]), yLeft(band.lo[i]))
                c.rect(x: x(i) - w / 2, y: min(a, b), width: w, height: max(abs(b - a), 1),
                       Style(fill: Palette.band), class: "band")
            } else {
                let upper = run.map { (x($0), yLeft(band.hi[$0])) }
                let lower = run.reversed().map { (x($0), yLeft(band.lo[$0])) }
                c.polygon(upper + lower, Style(fill: Palette.band), class: "band")
            }
        }
        if left.spansZero {
            let y0 = yLeft(0)
            c.line(plot.left, y0, plot.right, y0, Style(stroke: Palette.zero, strokeWidth: 1), class: "zero-line")
        }
        ChartFrame.yearAxis(&c, labels: yearLabels, plot: plot, title: xTitle)

        for line in lines {
            let y = line.onRight ? (yRight ?? yLeft) : yLeft
            for run in ChartFrame.runs(n, where: { line.values[safe: $0].isFinite }) {
                if run.count == 1 {
                    let i = run.lowerBound
                    c.circle(cx: x(i), cy: y(line.values[i]), r: 3.5,
                             Style(fill: line.style.stroke), class: line.cls)
                } else {
                    c.polyline(run.map { (x($0), y(line.values[$0])) }, line.style, class: line.cls)
                }
            }
            // Dots on each year when there are few enough to tell apart.
            if n <= 20 && bandWidth >= 14 {
                for i in 0..<n where line.values[safe: i].isFinite {
                    c.circle(cx: x(i), cy: y(line.values[i]), r: 2.5, Style(fill: line.style.stroke), class: line.cls + "-point")
                }
            }
        }
        return c.document
    }
}
