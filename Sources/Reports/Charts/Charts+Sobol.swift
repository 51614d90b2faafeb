extension Charts {
    /// One row of the Sobol chart: a group's first-order and total indices with their
    /// 95 % intervals (NaN when there is none).
    public struct SobolBar: Sendable {
        public var label: String
        public var first: Double, firstLow: Double, firstHigh: Double
        public var total: Double, totalLow: Double, totalHigh: Double
        public init(label: String, first: Double, firstLow: Double, firstHigh: Double,
                    total: Double, totalLow: Double, totalHigh: Double) {
            self.label = label
            (self.first, self.firstLow, self.firstHigh) = (first, firstLow, firstHigh)
            (self.total, self.totalLow, self.totalHigh) = (total, totalLow, totalHigh)
        }
    }

    /// Sobol indices: per group (in the order given; the caller sorts), a dark bar for the
    /// first-order index S and a light bar beneath it for the total index ST, each from
    /// zero, with a whisker over its 95 % bootstrap interval. The axis is a share of the
    /// output's variance, in per cent. Long labels are shortened in the middle.
    public static func sobolIndices(title: String, valueLabel: String, bars: [SobolBar]) -> String {
        let values = bars.flatMap { [$0.first, $0.firstLow, $0.firstHigh, $0.total, $0.totalLow, $0.totalHigh] }
        guard bars.contains(where: { $0.first.isFinite || $0.total.isFinite }) else {
            return ChartFrame.noData(title: title, what: "Sobol sensitivity indices of \(valueLabel)")
        }
        let firstStyle = Style(fill: Palette.primary)
        let totalStyle = Style(fill: Palette.barLight)
        let whiskerStyle = Style(stroke: Palette.ink, strokeWidth: 1)
        let legend: [ChartFrame.LegendItem] = [
            .init(label: "First order S (this input alone)", swatch: .area(fill: Palette.primary)),
            .init(label: "Total ST (with its interactions)", swatch: .area(fill: Palette.barLight)),
            .init(label: "95% bootstrap interval", swatch: .line(whiskerStyle)),
        ]
        let headerBottom = ChartFrame.headerBottom(title: title, legend: legend)

        let labelSize = 11.0
        let widest = bars.map { TextMetrics.width($0.label, size: labelSize) }.max() ?? 0
        let labelColumn = min(250, max(40, widest))
        let plotLeft = ChartFrame.margin + labelColumn + 10
        let plotRight = Charts.width - ChartFrame.margin - 8
        let axis = NiceAxis.fit(values, target: 5, includeZero: true)
        // Estimates can fall a little below zero (sampling noise): signed per-cent ticks.
        let tickLabels = zip(axis.ticks, TickText.percent(axis.ticks.map(abs))).map { t, text in t < 0 ? "−" + text : text }
        let x = LinearScale(axis, range: (plotLeft, plotRight))

        let rowHeight = 30.0
        let barHeight = 9.0
        let top = headerBottom + 16
        let bottom = top + Double(bars.count) * rowHeight
        let height = bottom + 56
        let plot = ChartFrame.Plot(left: plotLeft, right: plotRight, top: top, bottom: bottom)

        var c = SVGCanvas(height: height, title: title,
                          description: "Sobol sensitivity indices of \(valueLabel) for \(bars.count) inputs or groups: for each, the share of the variance it explains alone (first order) and with its interactions (total), with 95% bootstrap intervals.")
        ChartFrame.header(&c, title: title, legend: legend)
        for i in bars.indices where i % 2 == 1 {
            c.rect(x: ChartFrame.margin, y: top + Double(i) * rowHeight, width: plotRight - ChartFrame.margin,
                   height: rowHeight, Style(fill: "#f4f6f8"), class: "row-shade")
        }
        for t in axis.ticks {
            c.line(x(t), top, x(t), bottom, Style(stroke: Palette.grid), class: "gridline")
        }
        c.line(x(0), top - 4, x(0), bottom, Style(stroke: Palette.zero, strokeWidth: 1), class: "zero-line")
        for (i, t) in axis.ticks.enumerated() {
            c.line(x(t), bottom, x(t), bottom + 4, Style(stroke: Palette.axis), class: "tick")
            c.text(tickLabels[i], x: x(t), y: bottom + 17, anchor: .middle, class: "tick-label-x")
        }
        c.line(plot.left, bottom, plot.right, bottom, Style(stroke: Palette.axis), class: "axis")
        c.text(valueLabel, x: plot.midX, y: bottom + 40, size: ChartFrame.axisTitleSize,
               anchor: .middle, fill: Palette.ink, maxWidth: plot.width, class: "axis-title-x")

        func percent(_ v: Double) -> String { NumberText.percent(v, digits: 1) }
        for (i, b) in bars.enumerated() {
            let rowTop = top + Double(i) * rowHeight
            c.text(b.label, x: plotLeft - 10, y: rowTop + rowHeight / 2 + 4, size: labelSize, anchor: .end,
                   fill: Palette.ink, maxWidth: labelColumn, truncation: .middle, class: "bar-label")
            let rows: [(value: Double, low: Double, high: Double, y: Double, style: Style, cls: String, name: String)] = [
                (b.first, b.firstLow, b.firstHigh, rowTop + 5, firstStyle, "bar-first", "first order"),
                (b.total, b.totalLow, b.totalHigh, rowTop + 5 + barHeight + 2, totalStyle, "bar-total", "total"),
            ]
            for r in rows {
                guard r.value.isFinite else { continue }
                var hover = "\(b.label): \(r.name) \(percent(r.value))"
                if r.low.isFinite && r.high.isFinite { hover += " (95% interval \(percent(r.low)) to \(percent(r.high)))" }
                let (a, e) = (x(min(0, r.value)), x(max(0, r.value)))
                c.rect(x: a, y: r.y, width: max(e - a, 1), height: barHeight, r.style, class: r.cls, hover: hover)
                if r.low.isFinite && r.high.isFinite {
                    let yMid = r.y + barHeight / 2
                    c.line(x(r.low), yMid, x(r.high), yMid, whiskerStyle, class: "whisker")
                    c.line(x(r.low), yMid - 3, x(r.low), yMid + 3, whiskerStyle, class: "whisker")
                    c.line(x(r.high), yMid - 3, x(r.high), yMid + 3, whiskerStyle, class: "whisker")
                }
            }
        }
        return c.document
    }
}
