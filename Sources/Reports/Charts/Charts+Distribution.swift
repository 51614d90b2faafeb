extension Charts {
    static let distributionHeight = 440.0

    /// NPV distribution: a histogram (counts per bin; `binEdges` has `counts.count + 1`
    /// ascending values) with the cumulative distribution as a line on a secondary 0–100 %
    /// axis, and optional labelled vertical markers (e.g. P10, P50, P90, zero). Marker
    /// labels are drawn as given (include the value if it should show, e.g. "P50 £3.2m")
    /// in rows above the plot so they never overlap.
    ///
    /// Bins whose edges are not finite and increasing are skipped; negative counts count as
    /// zero. If every edge is the same value (all outcomes equal) one bar is drawn there.
    public static func distribution(title: String, valueLabel: String, binEdges: [Double], counts: [Int],
                                    markers: [(label: String, value: Double)]) -> String {
        struct Bin { var lo: Double, hi: Double, count: Int }
        let pairs = min(counts.count, max(0, binEdges.count - 1))
        var degenerate: Double? = nil
        var bins: [Bin] = (0..<pairs).compactMap { i in
            let (a, b) = (binEdges[i], binEdges[i + 1])
            guard a.isFinite, b.isFinite, b > a else { return nil }
            return Bin(lo: a, hi: b, count: max(0, counts[i]))
        }
        // All outcomes equal: edges collapse to one value.
        let finiteEdges = binEdges.filter(\.isFinite)
        if bins.isEmpty, let v = finiteEdges.first, finiteEdges.allSatisfy({ $0 == v }), pairs > 0 {
            let total = counts.prefix(pairs).reduce(0) { $0 + max(0, $1) }
            let half = v == 0 ? 0.025 : abs(v) * 0.0025
            bins = [Bin(lo: v - half, hi: v + half, count: total)]
            degenerate = v
        }
        let total = bins.reduce(0) { $0 + $1.count }
        guard !bins.isEmpty, total > 0 else {
            return noDataDistribution(title: title, valueLabel: valueLabel)
        }
        let shownMarkers = markers.filter { $0.value.isFinite }

        // Horizontal: the bins and markers, with nice ends.
        let maxCount = bins.map(\.count).max()!
        // Left axis k intervals of a nice step so the right axis reads 100 %/k per gridline.
        var best: (k: Int, step: Double)? = nil
        for k in [5, 4, 10, 2] {
            let step = NiceAxis.step(atLeast: Double(maxCount) / Double(k), integer: true)
            if best == nil || Double(k) * step < Double(best!.k) * best!.step { best = (k, step) }
        }
        let countAxis = NiceAxis(lo: 0, hi: Double(best!.k) * best!.step, step: best!.step)
        let countLabels = TickText.count(countAxis.ticks)
        let percentAxis = NiceAxis(lo: 0, hi: 1, step: 1 / Double(best!.k))
        let percentLabels = TickText.percent(percentAxis.ticks)

        var c = SVGCanvas(height: distributionHeight, title: title,
                          description: "Histogram of \(valueLabel) over \(total) iterations in \(bins.count) bins, with the cumulative share as a line on the right-hand axis\(shownMarkers.isEmpty ? "" : "; markers: " + shownMarkers.map { $0.label }.joined(separator: ", ")).")
        let cdfStyle = Style(stroke: Palette.primary, strokeWidth: 2.2)
        var top = ChartFrame.header(&c, title: title, legend: [
            .init(label: "Iterations per bin", swatch: .area(fill: Palette.barLight)),
            .init(label: "Cumulative share (right axis)", swatch: .line(cdfStyle)),
        ]) + 12
        let left = ChartFrame.leftEdge(tickLabels: countLabels)
        let right = Charts.width - (ChartFrame.margin + ChartFrame.axisTitleSize + 8
                                    + ChartFrame.labelWidth(percentLabels) + 8)
        // A single value gets room either side, so its bar reads as a spike, not a block.
        let room = degenerate.map { v in v == 0 ? [-1.0, 1.0] : [v - abs(v) * 0.1, v + abs(v) * 0.1] } ?? []
        let (xAxis, xLabels) = ChartFrame.fitMoneyAxis(bins.flatMap { [$0.lo, $0.hi] } + shownMarkers.map(\.value) + room,
                                                       width: right - left)
        let xScale = LinearScale(xAxis, range: (left, right))

        // Marker labels: greedy rows, each label in the first row where it clears the
        // previous one by 8 px.
        let markerSize = 11.0
        struct Placed { var label: String, value: Double, x: Double, row: Int, textX: Double, anchor: SVGCanvas.Anchor }
        var placed: [Placed] = []
        var rowEnds: [Double] = []
        for m in shownMarkers.sorted(by: { $0.value < $1.value }) {
            let x = xScale(m.value)
            let shown = TextMetrics.truncate(m.label, maxWidth: 160, size: markerSize)
            let w = TextMetrics.width(shown, size: markerSize)
            // Centre the label on its line, but keep it inside the plot's width.
            var textX = x, anchor = SVGCanvas.Anchor.middle
            if x - w / 2 < left - 10 { textX = max(x - 4, left - 10); anchor = .start }
            if x + w / 2 > right + 10 { textX = min(x + 4, right + 10); anchor = .end }
            let start = anchor == .middle ? textX - w / 2 : anchor == .start ? textX : textX - w
            let row = rowEnds.firstIndex(where: { start >= $0 + 8 }) ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(start + w) } else { rowEnds[row] = start + w }
            placed.append(Placed(label: m.label, value: m.value, x: x, row: row, textX: textX, anchor: anchor))
        }
        let markerRowHeight = 14.0
        let markerTop = top
        top += Double(rowEnds.count) * markerRowHeight + (rowEnds.isEmpty ? 0 : 4)

        let plot = ChartFrame.Plot(left: left, right: right, top: top, bottom: distributionHeight - 52)
        let yCount = LinearScale(countAxis, range: (plot.bottom, plot.top))
        let yShare = LinearScale(percentAxis, range: (plot.bottom, plot.top))

        ChartFrame.valueAxis(&c, side: .left, axis: countAxis, labels: countLabels, scale: yCount, plot: plot,
                             title: "Iterations (count)", gridlines: true)
        ChartFrame.valueAxis(&c, side: .right, axis: percentAxis, labels: percentLabels, scale: yShare, plot: plot,
                             title: "Cumulative share (%)", gridlines: false)
        for (i, t) in xAxis.ticks.enumerated() {
            let x = xScale(t)
            c.line(x, plot.bottom, x, plot.bottom + 4, Style(stroke: Palette.axis), class: "tick")
            c.text(i < xLabels.count ? xLabels[i] : "", x: x, y: plot.bottom + 17, anchor: .middle, class: "tick-label-x")
        }
        c.text(valueLabel, x: plot.midX, y: plot.bottom + 38, size: ChartFrame.axisTitleSize, anchor: .middle,
               fill: Palette.ink, maxWidth: plot.width, class: "axis-title-x")

        c.comment("bars")
        for bin in bins {
            let x0 = xScale(bin.lo), x1 = xScale(bin.hi)
            let y = yCount(Double(bin.count))
            // Wide bars are parted by a thin white outline; the geometry stays exact.
            let style = x1 - x0 > 4 ? Style(stroke: "#ffffff", strokeWidth: 1, fill: Palette.barLight)
                                    : Style(fill: Palette.barLight)
            c.rect(x: x0, y: y, width: x1 - x0, height: plot.bottom - y, style, class: "bar",
                   hover: "\(NumberText.money(bin.lo)) to \(NumberText.money(bin.hi)): \(bin.count)")
        }
        c.line(plot.left, plot.bottom, plot.right, plot.bottom, Style(stroke: Palette.axis), class: "axis")
        if xAxis.spansZero {
            let x0 = xScale(0)
            c.line(x0, plot.top, x0, plot.bottom, Style(stroke: Palette.zero, strokeWidth: 1.2), class: "zero-line")
        }

        c.comment("cumulative distribution")
        var running = 0
        // From 0 % at the left edge to 100 % at the right: the tails are part of the curve.
        var points = [(plot.left, yShare(0)), (xScale(bins[0].lo), yShare(0))]
        for (i, bin) in bins.enumerated() {
            if i > 0, bins[i - 1].hi != bin.lo {   // a skipped bin: flat across the gap
                points.append((xScale(bin.lo), yShare(Double(running) / Double(total))))
            }
            running += bin.count
            points.append((xScale(bin.hi), yShare(Double(running) / Double(total))))
        }
        points.append((plot.right, yShare(1)))
        c.polyline(points, cdfStyle, class: "cdf")

        c.comment("markers")
        // Lines first, then the labels over them with a white halo, so a line that passes
        // a label in a lower row does not strike through it.
        let labelY = { (p: Placed) in markerTop + Double(p.row + 1) * markerRowHeight - 3 }
        for p in placed {
            c.line(p.x, labelY(p) + 3, p.x, plot.bottom, Style(stroke: Palette.marker, strokeWidth: 1, dash: "4 3"),
                   class: "marker")
        }
        for p in placed {
            c.text(p.label, x: p.textX, y: labelY(p), size: markerSize, anchor: p.anchor, fill: Palette.ink,
                   maxWidth: 160, halo: true, class: "marker-label")
        }
        return c.document
    }

    static func noDataDistribution(title: String, valueLabel: String) -> String {
        ChartFrame.noData(title: title, what: "Distribution of \(valueLabel)")
    }
}
