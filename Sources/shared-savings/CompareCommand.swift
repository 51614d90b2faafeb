import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare options (scenario files) side by side with common random numbers.",
        discussion: """
            Runs every option at the same random numbers (inputs with the same path, \
            authorities with the same name and risks with the same name share their draws) \
            and reports each option's figures, the paired difference of every pair — its \
            distribution and P(A beats B) — and the expected value of perfect information \
            between the options. Writes summary.csv, differences.csv and comparison.md into \
            reports/<first>-compare/ (or --out). --set applies to every option.
            """
    )

    @Argument(help: "Two or more scenario files, one per option.")
    var scenarios: [String] = []

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var simulation: SimulationOptions

    @Option(help: "Output folder (default: reports/<first scenario>-compare).")
    var out: String?

    @Flag(help: "Replace --out even if it does not look like an output of this tool.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard scenarios.count >= 2 else { throw ValidationError("give at least two scenario files to compare.") }
    }

    func run() throws {
        let overrides = try overrideOptions.overrides()
        let loaded = try scenarios.map { try ScenarioLoading.load($0, overrides: overrides) }
        let settings = try simulation.settings(for: loaded[0])
        try WhatIf.checkMemory(variants: scenarios.count, iterations: settings.iterations, what: "compare")
        let models = try loaded.map(ScenarioLoading.compile)
        let results = PairedSimulation.scalars(models, settings: settings)
        let figures = results.map(WhatIf.Figures.init)
        let names = loaded.map(\.name)
        let npv = results.map { $0[ScalarMetric.npvFinancial.rawValue] }

        var summary = CSVTable(header: ["option", "scenario_file"] + WhatIf.figureHeader)
        for i in models.indices {
            summary.append([.text(names[i]), .text(scenarios[i])] + WhatIf.figureCells(figures[i]))
        }
        var differences = CSVTable(header: ["option_a", "option_b", "difference_mean_gbp", "difference_p10_gbp",
                                            "difference_p50_gbp", "difference_p90_gbp", "probability_a_beats_b",
                                            "difference_se_paired_gbp", "difference_se_independent_gbp"])
        var pairs: [(Int, Int, PairedDifference?)] = []
        for a in models.indices {
            for b in models.indices where b > a {
                let d = PairedDifference(npv[a], npv[b])
                pairs.append((a, b, d))
                differences.append([.text(names[a]), .text(names[b])] + [
                    d.map { .number($0.summary.mean) } ?? .empty, d.map { .number($0.summary.p10) } ?? .empty,
                    d.map { .number($0.summary.p50) } ?? .empty, d.map { .number($0.summary.p90) } ?? .empty,
                    d.map { .number($0.probabilityAGreater) } ?? .empty, d.map { .number($0.summary.se) } ?? .empty,
                    d.map { .number($0.independentSE) } ?? .empty])
            }
        }
        // EVPI between the options, and with "do nothing" (NPV 0) as one more option.
        let evpi = ValueOfInformation.evpi(npv)
        let evpiWithNothing = ValueOfInformation.evpi(npv + [[Double](repeating: 0, count: npv[0].count)])
        let best = figures.indices.max { (figures[$0].npv?.mean ?? -.infinity) < (figures[$1].npv?.mean ?? -.infinity) }!

        var md = "# Comparison of options\n\n"
        md += "| option | NPV mean | P10 | P50 | P90 | P(NPV > 0) | economic NPV mean |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for i in models.indices {
            let f = figures[i].npv
            md += "| \(WhatIf.cell(names[i])) | \(WhatIf.money(f?.mean)) | \(WhatIf.money(f?.p10)) | \(WhatIf.money(f?.p50)) | \(WhatIf.money(f?.p90)) | \(WhatIf.percent(f?.probabilityPositive)) | \(WhatIf.money(figures[i].economic?.mean)) |\n"
        }
        md += "\n## Paired differences (A − B, financial NPV)\n\n"
        md += "| A | B | mean (± SE) | P10 | P50 | P90 | P(A beats B) |\n|---|---|---:|---:|---:|---:|---:|\n"
        for (a, b, d) in pairs {
            md += "| \(WhatIf.cell(names[a])) | \(WhatIf.cell(names[b])) | \(WhatIf.money(d?.summary.mean)) ± \(WhatIf.money(d?.summary.se)) | \(WhatIf.money(d?.summary.p10)) | \(WhatIf.money(d?.summary.p50)) | \(WhatIf.money(d?.summary.p90)) | \(WhatIf.percent(d?.probabilityAGreater)) |\n"
        }
        md += "\nThe standard errors are of the paired difference; two independent runs would give "
        md += pairs.compactMap { p in p.2.map { "± \(WhatIf.money($0.independentSE))" } }.joined(separator: ", ")
        md += " instead.\n\n## Value of information\n\n"
        md += "On expected NPV the best option is **\(WhatIf.cell(names[best]))**. "
        md += "The expected value of perfect information between the options is **\(WhatIf.money(evpi))** "
        md += "(\(WhatIf.money(evpiWithNothing)) if doing nothing is also an option): the most it would be worth paying "
        md += "to remove all uncertainty before choosing. When it is small beside the costs of further study, choose now.\n\n"
        md += "Options: " + scenarios.map { "`\(WhatIf.cell($0))`" }.joined(separator: ", ")
        if !overrides.isEmpty { md += ", each with " + overrides.map { "`\(WhatIf.cell($0.description))`" }.joined(separator: ", ") }
        md += ". " + WhatIf.methodNote(settings: settings) + "\n"

        let folder = out ?? ReportWriter.defaultFolder(for: scenarios[0]) + "-compare"
        try WhatIf.write([("summary.csv", summary.text), ("differences.csv", differences.text), ("comparison.md", md)],
                         to: folder, force: force, keeping: scenarios)
        if !quiet {
            print(md.components(separatedBy: "\n## Value of information")[0])
            print("Written to \(folder)/")
        }
    }
}
