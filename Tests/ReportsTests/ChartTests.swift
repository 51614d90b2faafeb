#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import Testing
@testable import Reports

// MARK: - Parsing the SVG back

/// One parsed element: enough of a DOM to find things by name and class.
final class ChartNode {
    let name: String
    let attributes: [String: String]
    var children: [ChartNode] = []
    var text = ""   // character data directly inside this element

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and every descendant, in document order.
    var all: [ChartNode] { [self] + children.flatMap(\.all) }

    func elements(_ name: String? = nil, class cls: String? = nil) -> [ChartNode] {
        all.filter { (name == nil || $0.name == name) && (cls == nil || $0.attributes["class"] == cls) }
    }

    func number(_ attribute: String) -> Double {
        Double(attributes[attribute] ?? "") ?? .nan
    }

    /// The `<title>` child's text, if any.
    var hover: String? { children.first { $0.name == "title" }?.text }

    /// Points of a path's `M x y L x y …` data.
    var pathPoints: [(x: Double, y: Double)] {
        let tokens = (attributes["d"] ?? "").split(separator: " ").map(String.init)
        var out: [(Double, Double)] = []
        var i = 0
        while i + 1 < tokens.count {
            let xs = tokens[i].drop { $0 == "M" || $0 == "L" }
            if let x = Double(xs), let y = Double(tokens[i + 1]) { out.append((x, y)) }
            i += 2
        }
        return out
    }
}

/// Parses with Foundation's `XMLParser` (FoundationXML on Linux): a chart that is not
/// well-formed XML fails here.
final class ChartSVGParser: NSObject, XMLParserDelegate {
    private var stack: [ChartNode] = []
    private(set) var root: ChartNode?

    static func parse(_ svg: String) throws -> ChartNode {
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = ChartSVGParser()
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw ParseFailure(message: parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    struct ParseFailure: Error { let message: String }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let node = ChartNode(name: elementName, attributes: attributeDict)
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}

// MARK: - Sample data

enum ChartSamples {
    static func years(_ n: Int, from start: Int = 2025) -> [String] {
        (0..<n).map { i in
            let next = (start + i + 1) % 100
            return "\(start + i)/\(next < 10 ? "0" : "")\(next)"
        }
    }

    static let evil = "<script>&\"'"
    static let longPath = "one_off_costs.ICT platform and data migration.amount"

    static func fan(title: String = "Net cash flow", years n: Int = 10) -> String {
        let p50 = (0..<n).map { t -> Double in t == 0 ? -2_400_000 : t == 1 ? -800_000 : 600_000 + Double(t) * 150_000 }
        let spread = (0..<n).map { 150_000 + Double($0) * 70_000 }
        var cumulative: [Double] = []
        for v in p50 { cumulative.append((cumulative.last ?? 0) + v) }
        return Charts.cashFlowFan(title: title, yearLabels: years(n), p10: zip(p50, spread).map { $0 - $1 },
                                  p50: p50, p90: zip(p50, spread).map { $0 + $1 },
                                  cumulative: cumulative, cumulativeLabel: "Cumulative net cash flow (P50)")
    }

    static func distribution(title: String = "Financial NPV") -> String {
        let edges = (0...20).map { -4_000_000 + Double($0) * 600_000 }
        let counts = (0..<20).map { i in Int(1000 * exp(-pow(Double(i) - 10, 2) / 18)) }
        return Charts.distribution(title: title, valueLabel: "Financial NPV (£)", binEdges: edges, counts: counts,
                                   markers: [("P10", -500_000), ("P50", 2_300_000), ("P90", 5_100_000), ("Break-even", 0)])
    }

    static func tornado(title: String = "What drives NPV", count: Int = 8) -> String {
        var bars: [(label: String, low: Double, high: Double)] = []
        for i in 0..<count {
            let k = Double(i + 1)
            bars.append((label: i == 0 ? longPath : "input_\(i).amount", low: 4e6 - 2e6 / k, high: 4e6 + 1.5e6 / k))
        }
        return Charts.tornado(title: title, valueLabel: "Mean financial NPV (£)", bars: bars, base: 4e6)
    }

    static func members(title: String = "Members") -> String {
        let mean = (0..<10).map { 3 + min(5, Double($0) * 0.7) }
        return Charts.membersOverTime(title: title, yearLabels: years(10), mean: mean,
                                      p10: mean.map { max(3, $0 - 1) }, p90: mean.map { min(8, $0 + 1) })
    }

    /// Every chart kind, normal and degenerate, with the title each was given.
    static var all: [(title: String, svg: String)] {
        let nan = Double.nan
        var out: [(title: String, svg: String)] = []
        out.append(("fan", fan(title: "fan")))
        out.append(("fan 125 years", fan(title: "fan 125 years", years: 125)))
        out.append(("distribution", distribution(title: "distribution")))
        out.append(("tornado", tornado(title: "tornado")))
        out.append(("tornado 20", tornado(title: "tornado 20", count: 20)))
        out.append(("members", members(title: "members")))
        out.append(("empty fan", Charts.cashFlowFan(title: "empty fan", yearLabels: [], p10: [], p50: [], p90: [], cumulative: [], cumulativeLabel: "c")))
        out.append(("empty distribution", Charts.distribution(title: "empty distribution", valueLabel: "v", binEdges: [], counts: [], markers: [])))
        out.append(("empty tornado", Charts.tornado(title: "empty tornado", valueLabel: "v", bars: [], base: 0)))
        out.append(("empty members", Charts.membersOverTime(title: "empty members", yearLabels: [], mean: [], p10: [], p90: [])))
        out.append(("single year", Charts.cashFlowFan(title: "single year", yearLabels: ["2025/26"], p10: [-1], p50: [0], p90: [1], cumulative: [0], cumulativeLabel: "c")))
        out.append(("all equal", Charts.cashFlowFan(title: "all equal", yearLabels: years(4), p10: [5, 5, 5, 5], p50: [5, 5, 5, 5], p90: [5, 5, 5, 5], cumulative: [5, 5, 5, 5], cumulativeLabel: "c")))
        out.append(("all zero", Charts.cashFlowFan(title: "all zero", yearLabels: years(3), p10: [0, 0, 0], p50: [0, 0, 0], p90: [0, 0, 0], cumulative: [0, 0, 0], cumulativeLabel: "c")))
        out.append(("all NaN", Charts.cashFlowFan(title: "all NaN", yearLabels: years(2), p10: [nan, nan], p50: [nan, nan], p90: [nan, nan], cumulative: [nan, nan], cumulativeLabel: "c")))
        out.append(("short arrays", Charts.cashFlowFan(title: "short arrays", yearLabels: years(5), p10: [1], p50: [1, 2], p90: [], cumulative: [1, 3, 4], cumulativeLabel: "c")))
        out.append(("infinite", Charts.cashFlowFan(title: "infinite", yearLabels: years(3), p10: [-.infinity, 1, 2], p50: [1, .infinity, 3], p90: [2, 3, 4], cumulative: [1, 2, 3], cumulativeLabel: "c")))
        out.append(("equal distribution", Charts.distribution(title: "equal distribution", valueLabel: "v", binEdges: [3e6, 3e6], counts: [1000], markers: [("P50", 3e6)])))
        out.append(("zero distribution", Charts.distribution(title: "zero distribution", valueLabel: "v", binEdges: [0, 0, 0], counts: [5, 5], markers: [("zero", 0)])))
        out.append(("bad edges", Charts.distribution(title: "bad edges", valueLabel: "v", binEdges: [1, nan, 3, 2, 5], counts: [1, 2, -3, 4], markers: [("nan", nan)])))
        out.append(("zero counts", Charts.distribution(title: "zero counts", valueLabel: "v", binEdges: [0, 1, 2], counts: [0, 0], markers: [])))
        out.append(("flat tornado", Charts.tornado(title: "flat tornado", valueLabel: "v", bars: [("a", 5, 5), ("b", nan, 6), ("c", nan, nan)], base: 5)))
        out.append(("tornado NaN base", Charts.tornado(title: "tornado NaN base", valueLabel: "v", bars: [("a", 1, 5)], base: nan)))
        out.append(("members equal", Charts.membersOverTime(title: "members equal", yearLabels: years(3), mean: [4, 4, 4], p10: [4, 4, 4], p90: [4, 4, 4])))
        out.append(("members zero", Charts.membersOverTime(title: "members zero", yearLabels: years(1), mean: [0], p10: [0], p90: [0])))
        out.append(("huge", Charts.cashFlowFan(title: "huge", yearLabels: years(2), p10: [-1e300, 1e300], p50: [0, 1], p90: [1e300, 1e300], cumulative: [0, 1], cumulativeLabel: "c")))
        return out
    }
}

// MARK: - Tests

@Suite struct ChartTests {
    @Test func everyChartIsAStandaloneSVGDocument() throws {
        for (title, svg) in ChartSamples.all {
            let root = try ChartSVGParser.parse(svg)
            #expect(root.name == "svg", "\(title)")
            #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg", "\(title)")
            #expect(root.number("width") == 720, "\(title)")
            let viewBox = (root.attributes["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
            #expect(viewBox.count == 4 && viewBox[2] == 720 && viewBox[3] == root.number("height"), "\(title)")
            #expect(root.attributes["font-family"]?.contains("Helvetica") == true, "\(title)")
            // The accessible name is the first child and holds the whole title.
            #expect(root.children.first?.name == "title", "\(title)")
            #expect(root.children.first?.text == title, "\(title)")
            #expect(!root.elements("desc").isEmpty, "\(title)")
            // The title is also drawn.
            let drawn = root.elements("text", class: "chart-title").map(\.text).joined(separator: " ")
            #expect(drawn == title, "\(title)")
        }
    }

    @Test func coordinatesHaveOneFixedDecimal() throws {
        let numeric: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r"]
        for (title, svg) in ChartSamples.all {
            let root = try ChartSVGParser.parse(svg)
            for node in root.all {
                for (key, value) in node.attributes where numeric.contains(key) && !value.hasSuffix("%") {
                    #expect(value.range(of: #"^-?[0-9]+\.[0-9]$"#, options: .regularExpression) != nil,
                            "\(title): \(node.name) \(key)=\(value)")
                }
                if let d = node.attributes["d"] {
                    #expect(d.range(of: #"^M-?[0-9]+\.[0-9] -?[0-9]+\.[0-9]( L-?[0-9]+\.[0-9] -?[0-9]+\.[0-9])*( Z)?$"#,
                                    options: .regularExpression) != nil, "\(title): d=\(d.prefix(80))")
                }
            }
        }
    }

    @Test func theSameInputGivesTheSameBytes() {
        let first = ChartSamples.all.map(\.svg)
        let second = ChartSamples.all.map(\.svg)
        #expect(first == second)
    }

    @Test func textFromDataIsEscaped() throws {
        let evil = ChartSamples.evil
        let charts = [
            Charts.cashFlowFan(title: evil, yearLabels: [evil, "2026/27"], p10: [1, 2], p50: [2, 3], p90: [3, 4],
                               cumulative: [2, 5], cumulativeLabel: evil),
            Charts.distribution(title: evil, valueLabel: evil, binEdges: [0, 1, 2], counts: [3, 4], markers: [(evil, 1)]),
            Charts.tornado(title: evil, valueLabel: evil, bars: [(evil, 1, 3)], base: 2),
            Charts.membersOverTime(title: evil, yearLabels: [evil, "x"], mean: [1, 2], p10: [1, 1], p90: [2, 3]),
            Charts.cashFlowFan(title: evil, yearLabels: [], p10: [], p50: [], p90: [], cumulative: [], cumulativeLabel: evil),
        ]
        for svg in charts {
            #expect(!svg.contains("<script"))
            #expect(svg.contains("&lt;script&gt;&amp;&quot;&apos;"))
            let root = try ChartSVGParser.parse(svg)
            #expect(root.children.first?.text == evil)
            // Every drawn label that came from data reads back as the original text.
            let texts = root.elements("text").map(\.text)
            #expect(texts.filter { $0 == evil }.count >= 1)
        }
        // Characters XML cannot carry are dropped rather than breaking the document.
        let control = Charts.tornado(title: "bell\u{7}tab\tnull\u{0}", valueLabel: "v", bars: [("a\u{1B}b", 1, 2)], base: 1.5)
        let root = try ChartSVGParser.parse(control)
        #expect(root.children.first?.text == "belltab null")
    }

    @Test func emptyInputSaysNoData() throws {
        for (title, svg) in ChartSamples.all where title.hasPrefix("empty") || ["all NaN", "zero counts"].contains(title) {
            let root = try ChartSVGParser.parse(svg)
            #expect(root.elements("text", class: "no-data").first?.text == "No data to chart", "\(title)")
        }
        for (title, svg) in ChartSamples.all where !title.hasPrefix("empty") && !["all NaN", "zero counts"].contains(title) {
            let root = try ChartSVGParser.parse(svg)
            #expect(root.elements("text", class: "no-data").isEmpty, "\(title)")
        }
    }

    @Test func legendsNameWhatIsDrawn() throws {
        func legend(_ svg: String) throws -> [String] {
            try ChartSVGParser.parse(svg).elements("text", class: "legend-label").map(\.text)
        }
        #expect(try legend(ChartSamples.fan()) == ["Net cash flow P10–P90", "Net cash flow P50", "Cumulative net cash flow (P50)"])
        #expect(try legend(ChartSamples.members()) == ["Members P10–P90", "Members, mean"])
        #expect(try legend(ChartSamples.tornado()) == ["Input at its P10", "Input at its P90", "Base case"])
        #expect(try legend(ChartSamples.distribution()) == ["Iterations per bin", "Cumulative share (right axis)"])
        // A series with no data is not in the legend.
        let noCumulative = Charts.cashFlowFan(title: "t", yearLabels: ["a", "b"], p10: [1, 2], p50: [2, 3], p90: [3, 4],
                                              cumulative: [], cumulativeLabel: "Cumulative")
        #expect(try legend(noCumulative) == ["Net cash flow P10–P90", "Net cash flow P50"])
    }

    // MARK: Placement

    @Test func fanP50LineIsMonotoneWhenTheInputIs() throws {
        let p50: [Double] = [-300_000, -100_000, 0, 250_000, 400_000, 800_000]
        let svg = Charts.cashFlowFan(title: "t", yearLabels: ChartSamples.years(6), p10: p50.map { $0 - 1e5 }, p50: p50,
                                     p90: p50.map { $0 + 1e5 }, cumulative: p50, cumulativeLabel: "c")
        let root = try ChartSVGParser.parse(svg)
        let lines = root.elements("path", class: "line-p50")
        try #require(lines.count == 1)
        let points = lines[0].pathPoints
        #expect(points.count == 6)
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(b.x > a.x)
            #expect(b.y < a.y)   // larger values are higher up
        }
        // The year with P50 = 0 sits on the zero line, and equal steps in value are equal in pixels.
        let zero = try #require(root.elements("line", class: "zero-line").first)
        #expect(abs(points[2].y - zero.number("y1")) <= 0.1)
        let perPound = (points[0].y - points[5].y) / 1_100_000
        #expect(abs((points[2].y - points[3].y) - 250_000 * perPound) <= 0.2)
        // Years are evenly spaced.
        let gaps = zip(points, points.dropFirst()).map { $1.x - $0.x }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) <= 0.1 })
        // The band's polygon spans P10 to P90.
        let band = try #require(root.elements("path", class: "band").first).pathPoints
        #expect(band.count == 12)
        #expect(abs((band[11].y - band[0].y) - 200_000 * perPound) <= 0.2)
    }

    @Test func nanBreaksALineInsteadOfBridgingIt() throws {
        let nan = Double.nan
        let svg = Charts.cashFlowFan(title: "t", yearLabels: ChartSamples.years(7), p10: [1, 2, 3, 4, 5, 6, 7],
                                     p50: [2, 3, nan, 5, 6, nan, 8], p90: [3, 4, 5, 6, 7, 8, 9],
                                     cumulative: [], cumulativeLabel: "c")
        let root = try ChartSVGParser.parse(svg)
        let segments = root.elements("path", class: "line-p50").map { $0.pathPoints.count }
        #expect(segments == [2, 2])
        // The lone year after the second gap is drawn as a dot.
        #expect(root.elements("circle", class: "line-p50").count == 1)
    }

    @Test func zeroLineIsDrawnWhenTheRangeSpansZero() throws {
        let mixed = try ChartSVGParser.parse(ChartSamples.fan())
        let zero = try #require(mixed.elements("line", class: "zero-line").first)
        let gridY = mixed.elements("line", class: "gridline").map { $0.number("y1") }
        #expect(gridY.contains(zero.number("y1")))
        #expect(zero.number("y1") > gridY.min()! && zero.number("y1") < gridY.max()!)
        // A tornado entirely above zero has no zero line.
        let positive = try ChartSVGParser.parse(ChartSamples.tornado())
        #expect(positive.elements("line", class: "zero-line").isEmpty)
    }

    @Test func tornadoBarsStartWhereTheirValuesAre() throws {
        let svg = Charts.tornado(title: "t", valueLabel: "v", bars: [("from zero", 0, 10), ("narrow", 4, 7)], base: 5)
        let root = try ChartSVGParser.parse(svg)
        let zero = try #require(root.elements("line", class: "zero-line").first).number("x1")
        let base = try #require(root.elements("line", class: "base-line").first).number("x1")
        let lows = root.elements("rect", class: "bar-low")
        let highs = root.elements("rect", class: "bar-high")
        try #require(lows.count == 2 && highs.count == 2)
        // Input at P10 → 0: the bar runs from the zero line to the base line.
        #expect(lows[0].number("x") == zero)
        #expect(abs(lows[0].number("x") + lows[0].number("width") - base) <= 0.1)
        // Input at P90 → 10: from the base line to x(10) = 2·x(5) − x(0).
        #expect(highs[0].number("x") == base)
        #expect(abs(highs[0].number("x") + highs[0].number("width") - (2 * base - zero)) <= 0.15)
        // Bars keep the order given, top to bottom, and each has its label on its row.
        #expect(lows[0].number("y") < lows[1].number("y"))
        let labels = root.elements("text", class: "bar-label")
        #expect(labels.map(\.text) == ["from zero", "narrow"])
        for (label, bar) in zip(labels, lows) {
            let mid = bar.number("y") + bar.number("height") / 2
            #expect(abs(label.number("y") - 4 - mid) <= 0.15)
        }
        // Both ends are labelled in money.
        #expect(root.elements("text", class: "end-label").map(\.text) == ["£0", "£10", "£4", "£7"])
    }

    @Test func histogramBarsAndCumulativeLine() throws {
        let svg = Charts.distribution(title: "t", valueLabel: "v", binEdges: [-2e6, -1e6, 0, 1e6, 2e6], counts: [1, 2, 3, 4],
                                      markers: [("zero", 0)])
        let root = try ChartSVGParser.parse(svg)
        let bars = root.elements("rect", class: "bar")
        try #require(bars.count == 4)
        let zero = try #require(root.elements("line", class: "zero-line").first).number("x1")
        // The bin starting at 0 starts on the zero line; bins are contiguous and equal.
        #expect(bars[2].number("x") == zero)
        #expect(abs(bars[1].number("x") + bars[1].number("width") - zero) <= 0.1)
        // Heights are proportional to the counts, all standing on the same baseline.
        let unit = bars[0].number("height")
        for (i, bar) in bars.enumerated() {
            #expect(abs(bar.number("height") - Double(i + 1) * unit) <= 0.2)
            #expect(abs(bar.number("y") + bar.number("height") - (bars[0].number("y") + unit)) <= 0.1)
        }
        // The cumulative line rises (y falls) monotonically from 0 % to 100 %, and passes
        // 30 % (1 + 2 of 10 iterations) at the zero line.
        let cdf = try #require(root.elements("path", class: "cdf").first).pathPoints
        for (a, b) in zip(cdf, cdf.dropFirst()) {
            #expect(b.x >= a.x && b.y <= a.y)
        }
        let top = cdf.last!.y, bottom = cdf.first!.y
        let atZero = try #require(cdf.first { abs($0.x - zero) <= 0.1 })
        #expect(abs((bottom - atZero.y) / (bottom - top) - 0.3) <= 0.005)
        // The right axis reads 0 % … 100 %.
        let percents = root.elements("text", class: "tick-label-y2").map(\.text)
        #expect(percents.first == "0%" && percents.last == "100%")
    }

    @Test func markerLabelsThatWouldCollideGoOnSeparateRows() throws {
        let svg = Charts.distribution(title: "t", valueLabel: "v", binEdges: (0...10).map { Double($0) * 1e6 },
                                      counts: Array(repeating: 5, count: 10),
                                      markers: [("P10 £1.00m", 1e6), ("P50 £1.10m", 1.1e6), ("P90 £1.20m", 1.2e6), ("Far", 9e6)])
        let root = try ChartSVGParser.parse(svg)
        let labels = root.elements("text", class: "marker-label")
        #expect(labels.count == 4)
        #expect(Set(labels.prefix(3).map { $0.number("y") }).count == 3)
        // The far one shares the first row.
        #expect(labels[3].number("y") == labels[0].number("y"))
        let lines = root.elements("line", class: "marker")
        #expect(lines.count == 4)
        // Each marker's line stands at its value.
        let axis = root.elements("text", class: "tick-label-x")
        let zeroTick = try #require(axis.first { $0.text == "£0" })
        let tenTick = try #require(axis.first { $0.text == "£10m" })
        let perMillion = (tenTick.number("x") - zeroTick.number("x")) / 10
        #expect(abs(lines[3].number("x1") - (zeroTick.number("x") + 9 * perMillion)) <= 0.15)
    }

    // MARK: Labels and ticks

    @Test func longLabelsAreShortenedWithTheFullTextOnHover() throws {
        let long = ChartSamples.longPath + String(repeating: ".and_more", count: 20)
        let svg = Charts.tornado(title: "t", valueLabel: "v", bars: [(long, 1, 3), ("short", 1.5, 2.5)], base: 2)
        let root = try ChartSVGParser.parse(svg)
        let label = try #require(root.elements("text", class: "bar-label").first)
        #expect(label.text.contains("…"))
        #expect(label.text.hasPrefix("one_off_costs"))     // shortened in the middle:
        #expect(label.text.hasSuffix("and_more"))          // both ends survive
        #expect(label.hover == long)
        // It fits between the left margin and the bars.
        let width = TextMetrics.width(label.text, size: 11)
        #expect(label.number("x") - width >= 0)
        let bars = root.elements("rect", class: "bar-low")
        #expect(label.number("x") < bars.map { $0.number("x") }.min()!)
        // A label that fits is left alone and has no hover title.
        let short = root.elements("text", class: "bar-label")[1]
        #expect(short.text == "short" && short.hover == nil)
        // A long title wraps onto a second line, and is cut only past that.
        let wrapped = try ChartSVGParser.parse(ChartSamples.fan(title: String(repeating: "Shared service business case ", count: 3)))
        #expect(wrapped.elements("text", class: "chart-title").count == 2)
        let cut = try ChartSVGParser.parse(ChartSamples.fan(title: String(repeating: "Shared service business case ", count: 10)))
        let lines = cut.elements("text", class: "chart-title")
        #expect(lines.count == 2 && lines[1].text.hasSuffix("…") && lines[1].hover != nil)
        for line in lines {
            #expect(TextMetrics.width(line.text, size: 16, bold: true) <= 720 - 32)
        }
    }

    @Test func manyYearsAreThinnedToReadableLabels() throws {
        for n in [1, 5, 10, 30, 60, 125] {
            let root = try ChartSVGParser.parse(ChartSamples.fan(years: n))
            let labels = root.elements("text", class: "tick-label-x")
            #expect(labels.count >= 1 && labels.count <= 12, "\(n) years: \(labels.count) labels")
            #expect(labels.first?.text == "2025/26")
            for (a, b) in zip(labels, labels.dropFirst()) {
                let room = b.number("x") - a.number("x")
                #expect(room >= (TextMetrics.width(a.text, size: 11) + TextMetrics.width(b.text, size: 11)) / 2 + 8,
                        "\(n) years: \(a.text) and \(b.text) overlap")
            }
        }
    }

    @Test func twentyTornadoBarsEachGetARow() throws {
        let root = try ChartSVGParser.parse(ChartSamples.tornado(count: 20))
        let labels = root.elements("text", class: "bar-label")
        #expect(labels.count == 20)
        for (a, b) in zip(labels, labels.dropFirst()) {
            #expect(b.number("y") - a.number("y") >= 18)
        }
        // The axis below the last bar is still inside the document.
        let title = try #require(root.elements("text", class: "axis-title-x").first)
        #expect(title.number("y") < root.number("height"))
    }

    @Test func moneyTicksAreNiceAndFormatted() throws {
        let root = try ChartSVGParser.parse(ChartSamples.fan())
        let ticks = root.elements("text", class: "tick-label-y").map(\.text)
        #expect(ticks == ["−£4m", "−£2m", "£0", "£2m", "£4m", "£6m", "£8m", "£10m"])
        // Gridlines are evenly spaced.
        let ys = root.elements("line", class: "gridline").map { $0.number("y1") }
        let gaps = zip(ys, ys.dropFirst()).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) <= 0.1 })
        // Members are counts, not money.
        let members = try ChartSVGParser.parse(ChartSamples.members()).elements("text", class: "tick-label-y").map(\.text)
        #expect(members == ["0", "2", "4", "6", "8"])
    }

    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceAxis.step(atLeast: 0.3) == 0.5)
        #expect(NiceAxis.step(atLeast: 1) == 1)
        #expect(NiceAxis.step(atLeast: 1.2) == 2)
        #expect(NiceAxis.step(atLeast: 3) == 5)
        #expect(NiceAxis.step(atLeast: 7) == 10)
        #expect(NiceAxis.step(atLeast: 480_000) == 500_000)
        #expect(NiceAxis.step(atLeast: 0.4, integer: true) == 1)
        for raw in [0.0013, 0.7, 3.3, 42, 999, 12_345, 8.8e6, 2.2e9] {
            let step = NiceAxis.step(atLeast: raw)
            #expect(step >= raw * (1 - 1e-12) && step <= raw * 5)
            var mantissa = step
            while mantissa >= 10 { mantissa /= 10 }
            while mantissa < 1 { mantissa *= 10 }
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(raw) → \(step)")
        }
        let axis = NiceAxis.fit([-2_400_000, 6_000_000])
        #expect(axis.lo == -4_000_000 && axis.hi == 6_000_000 && axis.step == 2_000_000)
        #expect(NiceAxis.fit([5, 5]).ticks.contains(5))
        #expect(NiceAxis.fit([]).ticks == [-1, -0.5, 0, 0.5, 1])
        #expect(NiceAxis.fit([0, 0], integer: true, includeZero: true).ticks == [0, 1])
        // Aligned axes share their zero gridline.
        let (a, b) = NiceAxis.aligned([-1, 2], [-40, 100])
        #expect(a.ticks.count == b.ticks.count)
        #expect(a.ticks.firstIndex(of: 0) == b.ticks.firstIndex(of: 0))
    }

    @Test func tickTextUsesNumberTextMoney() {
        #expect(TickText.money([0, 500_000, 1_000_000, 1_500_000]) == ["£0", "£500k", "£1m", "£1.5m"])
        #expect(TickText.money([-2_000, -1_000, 0]) == ["−£2k", "−£1k", "£0"])
        // Too close for the compact form: whole pounds, grouped.
        #expect(TickText.money([1_002_000, 1_004_000]) == ["£1,002,000", "£1,004,000"])
        #expect(TickText.count([0, 2_500, 5_000]) == ["0", "2,500", "5,000"])
        #expect(TickText.percent([0, 0.25, 0.5]) == ["0%", "25%", "50%"])
    }

    @Test func numbersAreLocaleFreeWithOneDecimal() {
        #expect(SVG.number(12.345) == "12.3")
        #expect(SVG.number(-0.04) == "0.0")
        #expect(SVG.number(-1.25) == "-1.3")
        #expect(SVG.number(720) == "720.0")
        #expect(SVG.number(.nan) == "0.0")
        #expect(SVG.escape("a<b>&\"'\n") == "a&lt;b&gt;&amp;&quot;&apos; ")
    }

    @Test func truncationKeepsWholeCharacters() {
        let s = "Équipe partagée 👩🏽‍💻 des services numériques"
        for width in stride(from: 10.0, through: 300, by: 7) {
            let cut = TextMetrics.truncate(s, maxWidth: width, size: 11)
            #expect(TextMetrics.width(cut, size: 11) <= width || cut == "…")
            let middle = TextMetrics.truncate(s, maxWidth: width, size: 11, mode: .middle)
            #expect(TextMetrics.width(middle, size: 11) <= width || middle == "…")
            #expect(middle == s || middle.contains("…"))
        }
    }
}
