extension Charts {
    /// Tornado: one horizontal bar per input, in the order given (the caller sorts by
    /// swing), from the base value out to `low` (the mean outcome with the input at its
    /// P10, dark) and out to `high` (input at P90, light), with the base value as a dashed
    /// line. Each bar end is labelled with its value. Labels too long for the label column
    /// are shortened in the middle, keeping the start and end of an input path.
    public static func tornado(title: String, valueLabel: String, bars: [(label: String, low: Double, high: Double)],
                               base: Double) -> String {
        guard bars.contains(where: { $0.low.isFinite || $0.high.isFinite }) else {
            return ChartFrame.noData(title: title, what: "Sensitivity of \(valueLabel) to each input")
        }
        let lowStyle = Style(fill: Palette.primary)
        let highStyle = Style(fill: Palette.barLight)
        let baseStyle = Style(stroke: Palette.ink, strokeWidth: 1.5, dash: "5 3")
        var legend: [ChartFrame.LegendItem] = [
            .init(label: "Input at its P10", swatch: .area(fill: Palette.primary)),
            .init(label: "Input at its P90", swatch: .area(fill: Palette.barLight)),
        ]
        if base.isFinite { legend.append(.init(label: "Base case", swatch: .line(baseStyle))) }

        let headerBottom = ChartFrame.headerBottom(title: title, legend: legend)

        // Columns: labels, then the bars with room for their end labels.
        let labelSize = 11.0
        let widest = bars.map { TextMetrics.width($0.label, size: labelSize) }.max() ?? 0
        let labelColumn = min(250, max(40, widest))
        let plotLeft = ChartFrame.margin + labelColumn + 10
        let plotRight = Charts.width - ChartFrame.margin - 4
        let pivot = { (b: (label: String, low: Double, high: Double)) -> Double in
            base.isFinite ? base : (b.low.isFinite && b.high.isFinite ? (b.low + b.high) / 2 : (b.low.isFinite ? b.low : b.high))
        }
        // Which values get an end label, and on which side.
        struct EndLabel { var row: Int, value: Double, text: String, leftward: Bool }
        var endLabels: [EndLabel] = []
        for (i, b) in bars.enumerated() {
            let p = pivot(b)
            let ends = [b.low, b.high].filter { $0.isFinite && $0 != p }
            let below = ends.filter { $0 < p }.min()
            let above = ends.filter { $0 > p }.max()
            if let below { endLabels.append(EndLabel(row: i, value: below, text: NumberText.money(below), leftward: true)) }
            if let above { endLabels.append(EndLabel(row: i, value: above, text: NumberText.money(above), leftward: false)) }
        }
        let endSize = 10.0
        let padLeft = (endLabels.filter(\.leftward).map { TextMetrics.width($0.text, size: endSize) }.max() ?? 0) + 6
        let padRight = (endLabels.filter { !$0.leftward }.map { TextMetrics.width($0.text, size: endSize) }.max() ?? 0) + 6
        let inner = (plotLeft + padLeft, plotRight - padRight)
        var values = bars.flatMap { [$0.low, $0.high] }
        if base.isFinite { values.append(base) }
        let (axis, tickLabels) = ChartFrame.fitMoneyAxis(values, width: inner.1 - inner.0)
        let x = LinearScale(axis, range: inner)

        let rowHeight = bars.count <= 12 ? 26.0 : 21.0
        let barHeight = (rowHeight * 0.62).rounded()
        let top = headerBottom + 30
        let bottom = top + Double(bars.count) * rowHeight
        let height = bottom + 56
        let plot = ChartFrame.Plot(left: plotLeft, right: plotRight, top: top, bottom: bottom)

        let baseText = base.isFinite ? " Base case \(NumberText.money(base))." : ""
        var c = SVGCanvas(height: height, title: title,
                          description: "Tornado chart of \(valueLabel): for each of \(bars.count) inputs, the outcome with the input at its P10 and at its P90.\(baseText)")
        ChartFrame.header(&c, title: title, legend: legend)

        // Zebra rows help the eye from label to bar when there are many.
        for i in bars.indices where i % 2 == 1 {
            c.rect(x: ChartFrame.margin, y: top + Double(i) * rowHeight, width: plotRight - ChartFrame.margin,
                   height: rowHeight, Style(fill: "#f4f6f8"), class: "row-shade")
        }
        for t in axis.ticks {
            c.line(x(t), top, x(t), bottom, Style(stroke: Palette.grid), class: "gridline")
        }
        if axis.spansZero {
            c.line(x(0), top - 4, x(0), bottom, Style(stroke: Palette.zero, strokeWidth: 1), class: "zero-line")
        }
        for (i, t) in axis.ticks.enumerated() {
            c.line(x(t), bottom, x(t), bottom + 4, Style(stroke: Palette.axis), class: "tick")
            c.text(tickLabels[i], x: x(t), y: bottom + 17, anchor: .middle, class: "tick-label-x")
        }
        c.line(plot.left, bottom, plot.right, bottom, Style(stroke: Palette.axis), class: "axis")
        c.text(valueLabel, x: (inner.0 + inner.1) / 2, y: bottom + 40, size: ChartFrame.axisTitleSize,
               anchor: .middle, fill: Palette.ink, maxWidth: plot.width, class: "axis-title-x")

        for (i, b) in bars.enumerated() {
            let yMid = top + (Double(i) + 0.5) * rowHeight
            let yBar = yMid - barHeight / 2
            c.text(b.label, x: plotLeft - 10, y: yMid + 4, size: labelSize, anchor: .end, fill: Palette.ink,
                   maxWidth: labelColumn, truncation: .middle, class: "bar-label")
            let p = pivot(b)
            let hover = "\(b.label): input at P10 \(NumberText.money(b.low)), at P90 \(NumberText.money(b.high))"
            // Longer segment first so a shorter one on the same side stays visible on top.
            var segments: [(value: Double, style: Style, cls: String)] = []
            if b.low.isFinite { segments.append((b.low, lowStyle, "bar-low")) }
            if b.high.isFinite { segments.append((b.high, highStyle, "bar-high")) }
            segments.sort { abs($0.value - p) > abs($1.value - p) }
            for s in segments {
                let (a, e) = (x(min(s.value, p)), x(max(s.value, p)))
                c.rect(x: a, y: yBar, width: e - a, height: barHeight, s.style, class: s.cls, hover: hover)
            }
            if !segments.isEmpty, segments.allSatisfy({ $0.value == p }) {
                // No swing at all: a short dark tick so the row does not look empty.
                c.rect(x: x(p) - 1.5, y: yBar, width: 3, height: barHeight, Style(fill: Palette.primary), class: "bar-flat",
                       hover: hover)
            }
            if segments.isEmpty {
                c.text("n/a", x: x(p.isFinite ? p : axis.lo), y: yMid + 4, size: endSize, class: "end-label")
            }
        }
        for e in endLabels {
            let yMid = top + (Double(e.row) + 0.5) * rowHeight
            c.text(e.text, x: x(e.value) + (e.leftward ? -4 : 4), y: yMid + 3.5, size: endSize,
                   anchor: e.leftward ? .end : .start, class: "end-label")
        }
        if base.isFinite {
            let xb = x(base)
            c.line(xb, top - 6, xb, bottom, baseStyle, class: "base-line")
            let label = "Base case " + NumberText.money(base)
            let w = TextMetrics.width(label, size: 11)
            var anchor = SVGCanvas.Anchor.middle
            var tx = xb
            if xb - w / 2 < plotLeft { anchor = .start; tx = max(plotLeft, xb - 6) }
            if xb + w / 2 > plotRight { anchor = .end; tx = min(plotRight, xb + 6) }
            c.text(label, x: tx, y: top - 10, anchor: anchor, fill: Palette.ink, class: "base-label")
        }
        return c.document
    }
}
