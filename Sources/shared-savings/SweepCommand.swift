import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario at several values of one or two keys, with common random numbers.",
        discussion: """
            Each --param takes its values from the --values or --range that follows it. The \
            special parameter `partners` keeps only the first k authorities (values are k). \
            Every point is evaluated at the same random numbers, so differences between points \
            are the parameter's, not noise. Writes summary.csv, sweep.md and sweep.svg into \
            reports/<scenario>-sweep/ (or --out).
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(help: "A key to sweep (a --set path), or `partners`. Give one or two.")
    var param: [String] = []

    @Option(help: "Comma-separated values for the matching --param (distributions allowed: pert(0.1,0.2,0.3)).")
    var values: [String] = []

    @Option(help: "FROM:TO:STEP instead of --values, e.g. 0.1:0.3:0.05.")
    var range: [String] = []

    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Output folder (default: reports/<scenario>-sweep).")
    var out: String?

    @Flag(help: "Replace --out even if it does not look like an output of this tool.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard (1...2).contains(param.count) else {
            throw ValidationError("give one or two --param (got \(param.count)).")
        }
        guard values.count + range.count == param.count || (param == ["partners"] && values.isEmpty && range.isEmpty) else {
            throw ValidationError("give one --values or --range for each --param, in the same order (got \(param.count) --param, \(values.count) --values, \(range.count) --range).")
        }
        guard values.isEmpty || range.isEmpty else {
            throw ValidationError("use either --values or --range for all parameters, not both.")
        }
        for r in range { _ = try WhatIf.range(r) }
    }

    func run() throws {
        let base = try overrideOptions.overrides()
        let loaded = try ScenarioLoading.load(scenario, overrides: base)
        let settings = try simulation.settings(for: loaded)
        var axes: [[String]] = []
        for (j, p) in param.enumerated() {
            if !values.isEmpty {
                axes.append(WhatIf.splitValues(values[j]))
            } else if !range.isEmpty {
                axes.append(try WhatIf.range(range[j]))
            } else {
                axes.append((Swift.max(1, Swift.min(loaded.minPartners, loaded.authorities.count))...loaded.authorities.count).map(String.init))
            }
            if p == "partners" {
                for v in axes[j] {
                    guard let k = Int(v), k >= 1, k <= loaded.authorities.count else {
                        printError("--param partners: '\(v)' is not a number of partners from 1 to \(loaded.authorities.count). Fix: give whole numbers, e.g. --values 2,3,4")
                        throw ExitCode(2)
                    }
                }
            }
        }
        // Every combination, the first parameter varying slowest.
        var points: [[String]] = [[]]
        for axis in axes { points = points.flatMap { p in axis.map { p + [$0] } } }
        guard points.count <= 1000 else {
            printError("the sweep has \(points.count) points; at most 1000. Fix: fewer values or a larger step")
            throw ExitCode(2)
        }
        try WhatIf.checkMemory(variants: points.count, iterations: settings.iterations, what: "sweep")
        var models: [CompiledModel] = []
        for point in points {
            var overrides = base
            var partners: Int?
            for (p, v) in zip(param, point) {
                if p == "partners" { partners = Int(v) } else { overrides.append(ScenarioOverride(path: p, value: v)) }
            }
            var s = try ScenarioLoading.load(scenario, overrides: overrides)
            if let partners { s = s.firstPartners(partners) }
            models.append(try ScenarioLoading.compile(s))
        }
        let results = PairedSimulation.scalars(models, settings: settings)
        let figures = results.map(WhatIf.Figures.init)
        let reference = results[0][ScalarMetric.npvFinancial.rawValue]

        var csv = CSVTable(header: param + WhatIf.figureHeader
                           + ["difference_from_first_mean_gbp", "difference_se_paired_gbp", "difference_se_independent_gbp"])
        for (i, point) in points.enumerated() {
            let d = PairedDifference(results[i][ScalarMetric.npvFinancial.rawValue], reference)
            csv.append(point.map { .text($0) } + WhatIf.figureCells(figures[i])
                       + [d.map { .number($0.summary.mean) } ?? .empty, d.map { .number($0.summary.se) } ?? .empty,
                          d.map { .number($0.independentSE) } ?? .empty])
        }

        let labels = points.map { $0.joined(separator: " / ") }
        let axisTitle = param.joined(separator: " / ")
        let svg = Charts.sweep(title: "\(loaded.name): NPV by \(axisTitle)", pointLabels: labels, axisTitle: axisTitle,
                               p10: figures.map { $0.npv?.p10 ?? .nan }, p50: figures.map { $0.npv?.p50 ?? .nan },
                               p90: figures.map { $0.npv?.p90 ?? .nan },
                               probabilityPositive: figures.map { $0.npv?.probabilityPositive ?? .nan })

        var md = "# Sweep: \(WhatIf.cell(loaded.name))\n\n"
        md += "Financial NPV at each value of \(param.map { "`\($0)`" }.joined(separator: " and ")). "
        md += "The last column is the change from the first point and its standard error; "
        md += "with common random numbers it is much smaller than two independent runs would give (in brackets).\n\n"
        md += "| " + param.map(WhatIf.cell).joined(separator: " | ")
            + " | NPV mean | P10 | P50 | P90 | P(NPV > 0) | change from first (± SE) |\n"
        md += "|" + String(repeating: "---|", count: param.count) + "---:|---:|---:|---:|---:|---:|\n"
        for (i, point) in points.enumerated() {
            let f = figures[i].npv
            let d = PairedDifference(results[i][ScalarMetric.npvFinancial.rawValue], reference)
            let change = d.map { "\(WhatIf.money($0.summary.mean)) ± \(WhatIf.money($0.summary.se)) (± \(WhatIf.money($0.independentSE)))" } ?? "—"
            md += "| " + point.map(WhatIf.cell).joined(separator: " | ")
                + " | \(WhatIf.money(f?.mean)) | \(WhatIf.money(f?.p10)) | \(WhatIf.money(f?.p50)) | \(WhatIf.money(f?.p90)) | \(WhatIf.percent(f?.probabilityPositive)) | \(change) |\n"
        }
        md += "\n![NPV by \(WhatIf.cell(axisTitle))](sweep.svg)\n\n"
        md += "Scenario `\(WhatIf.cell(scenario))`"
        if !base.isEmpty { md += " with " + base.map { "`\(WhatIf.cell($0.description))`" }.joined(separator: ", ") }
        md += ". " + WhatIf.methodNote(settings: settings) + "\n"

        let folder = out ?? ReportWriter.defaultFolder(for: scenario) + "-sweep"
        try WhatIf.write([("summary.csv", csv.text), ("sweep.md", md), ("sweep.svg", svg)], to: folder, force: force,
                         keeping: [scenario])
        if !quiet {
            print(md.split(separator: "\n", omittingEmptySubsequences: false).prefix(6 + points.count).joined(separator: "\n"))
            print("\nWritten to \(folder)/")
        }
    }
}
