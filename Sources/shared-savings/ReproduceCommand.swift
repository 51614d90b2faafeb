import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles
import Stochastics

/// `shared-savings reproduce SCENARIO`: simulates the scenario and sets each of its
/// `published:` figures beside the simulated distribution of the same measure.
/// Exit status 0 when every figure lies within P10–P90, 1 when any lies outside, 2 for a
/// scenario that cannot be read or has no published figures.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Check that a scenario reproduces its published figures (each within the simulated P10–P90).",
        discussion: """
            For each figure under `published:` in the scenario, computes the simulated \
            distribution of the same measure (a cumulative net over years, a saving in one \
            year, an NPV…), prints its P10, P50 and P90 and the percentile at which the \
            published value falls (the share of iterations at or below it). Exits with status \
            1 if any published figure lies outside P10–P90, so CI can hold the line; 2 if the \
            scenario cannot be read or publishes nothing. Writes no files.
            """
    )

    @Argument(help: "The scenario file (YAML), with a `published:` list.")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario, overrides: try overrideOptions.overrides())
        guard !loaded.published.isEmpty else {
            printError("\(scenario): the scenario has no published figures to reproduce. Fix: add a `published:` list (docs/scenario-reference.md)")
            throw ExitCode(2)
        }
        let model = try ScenarioLoading.compile(loaded)
        var settings = try simulation.settings(for: loaded)
        if let problem = Simulation.samplingProblem(model, settings: settings) {
            printError("\(scenario): \(problem)")
            throw ExitCode(2)
        }
        let progress = ProgressBar(total: settings.iterations, enabled: true)
        let columns: SimulationColumns
        var precision: PrecisionOutcome?
        if let target = try precisionOptions.precisionTarget() {
            (columns, precision) = Simulation.run(model, settings: settings, precision: target) { progress.advance(by: $0) }
            settings.iterations = columns.iterations
        } else {
            columns = Simulation.run(model, settings: settings) { progress.advance(by: $0) }
        }
        progress.finish()
        let comparisons = PublishedFigures.compare(loaded, columns: columns)
        print(Self.table(comparisons, scenario: loaded, settings: settings, path: scenario))
        if let precision {
            print("")
            print(RunReport.precisionSentence(precision))
        }
        if comparisons.contains(where: { !$0.isWithinP10P90 }) { throw ExitCode(1) }
    }

    /// The printed report: a heading, one block per figure, a table, and a verdict.
    static func table(_ comparisons: [PublishedComparison], scenario: Scenario, settings: RunSettings, path: String) -> String {
        var lines: [String] = []
        lines.append("\(scenario.name)")
        lines.append("\(path): \(NumberText.grouped(Int64(settings.iterations))) iterations, seed \(settings.seed), \(settings.sampling.rawValue), \(settings.generator.name)")
        lines.append("")
        let header = ["#", "Metric", "Years", "Published", "P10", "P50", "P90", "Percentile", "Within P10–P90"]
        var rows: [[String]] = []
        for (k, c) in comparisons.enumerated() {
            let years = c.years.map { r in
                r.lowerBound == r.upperBound && c.metric.period == .yearOrRange
                    ? scenario.yearLabel(r.lowerBound)
                    : "\(scenario.yearLabel(r.lowerBound))–\(scenario.yearLabel(r.upperBound))"
            } ?? "whole case"
            rows.append([String(k + 1), c.figure.metric, years, NumberText.money(c.figure.value), NumberText.money(c.p10),
                         NumberText.money(c.p50), NumberText.money(c.p90), NumberText.percent(c.percentile),
                         c.isWithinP10P90 ? "yes" : "NO"])
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i <= 2 || i == 8 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        lines.append(render(header))
        lines.append(render(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { lines.append(render(row)) }
        lines.append("")
        for (k, c) in comparisons.enumerated() {
            lines.append("\(k + 1). \(c.label): published \(NumberText.money(c.figure.value)), simulated mean \(NumberText.money(c.mean)).")
            if let source = c.figure.source { lines.append("   Source: \(source)") }
        }
        lines.append("")
        let outside = comparisons.filter { !$0.isWithinP10P90 }.count
        if outside == 0 {
            lines.append(comparisons.count == 1 ? "Reproduced: the published figure lies within the simulated P10–P90."
                         : "Reproduced: all \(comparisons.count) published figures lie within the simulated P10–P90.")
        } else {
            lines.append("NOT reproduced: \(outside) of \(comparisons.count) published figures lie outside the simulated P10–P90.")
        }
        return lines.joined(separator: "\n")
    }
}
