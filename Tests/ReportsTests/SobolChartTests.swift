import Foundation
import Testing
@testable import Reports

/// The Sobol chart (Charts+Sobol.swift): well-formed, escaped, one pair of bars per row.
struct SobolChartTests {
    static let bars = [
        Charts.SobolBar(label: "risks.<Fire & flood>.cost", first: 0.4, firstLow: 0.35, firstHigh: 0.45,
                        total: 0.5, totalLow: 0.46, totalHigh: 0.55),
        Charts.SobolBar(label: "delay", first: -0.02, firstLow: -0.08, firstHigh: 0.03,
                        total: 0.01, totalLow: .nan, totalHigh: .nan),
    ]

    @Test func barsWhiskersAndEscapedLabels() throws {
        let svg = Charts.sobolIndices(title: "What drives \"NPV\"", valueLabel: "Share of variance", bars: Self.bars)
        let root = try ChartSVGParser.parse(svg)
        #expect(root.elements("rect", class: "bar-first").count == 2)
        #expect(root.elements("rect", class: "bar-total").count == 2)
        // Whiskers (one line and two caps) only where there is an interval: 3 of 4 bars.
        #expect(root.elements("line", class: "whisker").count == 9)
        #expect(svg.contains("risks.&lt;Fire &amp; flood&gt;.cost"))
        #expect(!svg.contains("<Fire"))
        // A negative estimate gets a signed tick.
        #expect(root.elements("text", class: "tick-label-x").contains { $0.text.hasPrefix("−") })
        #expect(Charts.sobolIndices(title: "t", valueLabel: "v", bars: Self.bars) == Charts.sobolIndices(title: "t", valueLabel: "v", bars: Self.bars))
    }

    @Test func nothingToDrawSaysSo() {
        let empty = Charts.SobolBar(label: "x", first: .nan, firstLow: .nan, firstHigh: .nan, total: .nan, totalLow: .nan, totalHigh: .nan)
        #expect(Charts.sobolIndices(title: "t", valueLabel: "v", bars: [empty]).contains("No data to chart"))
    }
}
