/// Layout shared by every chart: title, legend, value axes, the year axis, "no data".
enum ChartFrame {
    static let margin = 16.0
    static let titleSize = 16.0
    static let axisTitleSize = 12.0
    static let tickSize = 11.0
    static let legendSize = 12.0

    /// The plot area in pixels.
    struct Plot {
        var left: Double, right: Double, top: Double, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
        var midX: Double { (left + right) / 2 }
        var midY: Double { (top + bottom) / 2 }
    }

    enum Swatch {
        case area(fill: String)
        case line(Style)
    }

    struct LegendItem {
        var label: String
        var swatch: Swatch
    }

    /// The title's lines: up to two, the second cut with "…" if need be.
    static func titleLines(_ title: String) -> [String] {
        TextMetrics.wrap(title, maxWidth: Charts.width - 2 * margin, size: titleSize, bold: true, maxLines: 2)
    }

    /// Where each legend item goes: rows under the title that wrap at the right margin.
    static func legendLayout(_ legend: [LegendItem], top: Double) -> [(item: LegendItem, x: Double, y: Double)] {
        var out: [(item: LegendItem, x: Double, y: Double)] = []
        var x = margin
        var y = top
        for item in legend {
            let label = TextMetrics.truncate(item.label, maxWidth: 300, size: legendSize)
            let itemWidth = 28 + TextMetrics.width(label, size: legendSize) + 20
            if x > margin, x + itemWidth > Charts.width - margin {
                x = margin
                y += 20
            }
            out.append((item, x, y))
            x += itemWidth
        }
        return out
    }

    static func legendTop(titleLines: Int) -> Double { 50 + 20 * Double(max(0, titleLines - 1)) }

    /// The y below which the plot may start, under the title and legend.
    static func headerBottom(title: String, legend: [LegendItem]) -> Double {
        let top = legendTop(titleLines: titleLines(title).count)
        guard let last = legendLayout(legend, top: top).last else { return top - 10 }
        return last.y + 12
    }

    /// Draws the title (wrapped onto a second line if long) and a legend that wraps onto
    /// more rows as needed; returns the y below which the plot may start.
    @discardableResult
    static func header(_ c: inout SVGCanvas, title: String, legend: [LegendItem]) -> Double {
        let lines = titleLines(title)
        for (i, line) in lines.enumerated() {
            let cut = i == lines.count - 1 && lines.joined(separator: " ") != title.split(separator: " ").joined(separator: " ")
            c.text(line, x: margin, y: 26 + 20 * Double(i), size: titleSize, bold: true, fill: Palette.ink,
                   hover: cut ? title : nil, class: "chart-title")
        }
        for (item, x, y) in legendLayout(legend, top: legendTop(titleLines: lines.count)) {
            switch item.swatch {
            case .area(let fill):
                c.rect(x: x, y: y - 9, width: 22, height: 10, Style(fill: fill), class: "legend-swatch")
            case .line(let style):
                c.line(x, y - 4, x + 22, y - 4, style, class: "legend-swatch")
            }
            c.text(item.label, x: x + 28, y: y, size: legendSize, fill: Palette.ink,
                   maxWidth: 300, class: "legend-label")
        }
        return headerBottom(title: title, legend: legend)
    }

    /// The pixel width a column of tick labels needs.
    static func labelWidth(_ labels: [String], size: Double = tickSize) -> Double {
        min(maxTickLabelWidth, labels.map { TextMetrics.width($0, size: size) }.max() ?? 0)
    }

    /// Tick labels wider than this (only absurd magnitudes) are shortened.
    static let maxTickLabelWidth = 150.0

    /// The left edge of the plot for a left axis with these tick labels (axis title, gap,
    /// labels, gap).
    static func leftEdge(tickLabels: [String]) -> Double {
        margin + axisTitleSize + 8 + labelWidth(tickLabels) + 8
    }

    enum Side { case left, right }

    /// Horizontal gridlines and labelled ticks for a vertical axis. Gridlines are drawn
    /// only for the left (primary) axis; a right axis shares them by construction.
    static func valueAxis(_ c: inout SVGCanvas, side: Side, axis: NiceAxis, labels: [String],
                          scale: LinearScale, plot: Plot, title: String, gridlines: Bool) {
        let ticks = axis.ticks
        for (i, t) in ticks.enumerated() {
            let y = scale(t)
            if gridlines {
                c.line(plot.left, y, plot.right, y, Style(stroke: Palette.grid), class: "gridline")
            }
            let label = i < labels.count ? labels[i] : ""
            switch side {
            case .left:
                c.text(label, x: plot.left - 8, y: y + 4, anchor: .end, maxWidth: maxTickLabelWidth, class: "tick-label-y")
            case .right:
                c.text(label, x: plot.right + 8, y: y + 4, anchor: .start, maxWidth: maxTickLabelWidth, class: "tick-label-y2")
            }
        }
        switch side {
        case .left:
            c.text(title, x: margin + axisTitleSize - 2, y: plot.midY, size: axisTitleSize,
                   anchor: .middle, fill: Palette.ink, rotate: -90, maxWidth: plot.height + 40, class: "axis-title-y")
        case .right:
            c.text(title, x: Charts.width - margin - axisTitleSize + 2, y: plot.midY, size: axisTitleSize,
                   anchor: .middle, fill: Palette.ink, rotate: 90, maxWidth: plot.height + 40, class: "axis-title-y2")
        }
    }

    /// A horizontal money axis along the bottom of the plot with vertical gridlines; the
    /// number of ticks is reduced until their labels fit side by side.
    static func fitMoneyAxis(_ values: [Double], width: Double) -> (NiceAxis, [String]) {
        var best: (NiceAxis, [String])? = nil
        for target in [6, 5, 4, 3, 2, 1] {
            let axis = NiceAxis.fit(values, target: target)
            let labels = TickText.money(axis.ticks)
            let intervals = Double(max(1, axis.ticks.count - 1))
            best = (axis, labels)
            if width / intervals >= labelWidth(labels) + 14 { break }
        }
        return best!
    }

    /// Category positions for `n` years: the centres of `n` equal bands across the plot.
    static func yearX(_ i: Int, n: Int, plot: Plot) -> Double {
        plot.left + (Double(i) + 0.5) * plot.width / Double(max(1, n))
    }

    /// Every `k`th year is labelled, with `k` the smallest of 1, 2, 5, 10, 20, 25, 50, 100…
    /// that leaves room between labels.
    static func yearLabelStep(_ labels: [String], plot: Plot, maxLabelWidth: Double) -> Int {
        let n = labels.count
        guard n > 1 else { return 1 }
        let widest = min(maxLabelWidth, labelWidth(labels))
        let band = plot.width / Double(n)
        var candidates = [1, 2, 5, 10, 20, 25, 50]
        var p = 100
        while p < n * 10 { candidates += [p, 2 * p, 5 * p]; p *= 10 }
        for k in candidates where Double(k) * band >= widest + 10 { return k }
        return n
    }

    static func yearAxis(_ c: inout SVGCanvas, labels: [String], plot: Plot, title: String) {
        let n = labels.count
        let maxLabelWidth = 96.0
        let step = yearLabelStep(labels, plot: plot, maxLabelWidth: maxLabelWidth)
        let band = plot.width / Double(max(1, n))
        for i in 0..<n {
            let x = yearX(i, n: n, plot: plot)
            let labelled = i % step == 0
            if labelled || band >= 6 {
                c.line(x, plot.bottom, x, plot.bottom + (labelled ? 5 : 3), Style(stroke: Palette.axis), class: "tick")
            }
            if labelled {
                c.text(labels[i], x: x, y: plot.bottom + 17, anchor: .middle,
                       maxWidth: min(maxLabelWidth, Double(step) * band - 6), class: "tick-label-x")
            }
        }
        c.line(plot.left, plot.bottom, plot.right, plot.bottom, Style(stroke: Palette.axis), class: "axis")
        c.text(title, x: plot.midX, y: plot.bottom + 38, size: axisTitleSize, anchor: .middle,
               fill: Palette.ink, maxWidth: plot.width, class: "axis-title-x")
    }

    /// A short chart saying there is nothing to draw.
    static func noData(title: String, what: String) -> String {
        let top = headerBottom(title: title, legend: []) + 4
        var c = SVGCanvas(height: top + 116, title: title, description: "\(what): no data to chart.")
        header(&c, title: title, legend: [])
        c.rect(x: margin, y: top, width: Charts.width - 2 * margin, height: 96,
               Style(stroke: Palette.grid, fill: "#fafafa"), class: "no-data-box")
        c.text("No data to chart", x: Charts.width / 2, y: top + 53, size: 14, anchor: .middle,
               fill: Palette.muted, class: "no-data")
        return c.document
    }

    /// Maximal runs of consecutive indices in `0..<n` for which `ok` holds.
    static func runs(_ n: Int, where ok: (Int) -> Bool) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int? = nil
        for i in 0..<n {
            if ok(i) {
                if start == nil { start = i }
            } else if let s = start {
                out.append(s..<i); start = nil
            }
        }
        if let s = start { out.append(s..<n) }
        return out
    }
}

extension Array where Element == Double {
    /// The value at `i`, or NaN past the end (so short series read as missing data).
    subscript(safe i: Int) -> Double { i >= 0 && i < count ? self[i] : .nan }
}
