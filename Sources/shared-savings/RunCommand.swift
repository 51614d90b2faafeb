import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles
import Stochastics


struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a scenario and write its report folder.",
        discussion: """
            Writes the business case (Markdown, HTML, CSV, JSON, SVG charts) into \
            reports/<scenario>/ (or --out), replacing any earlier report only once the new one is \
            complete. The same \
            scenario, seed and iteration count always give the same bytes, whatever --threads.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var precisionOptions: PrecisionOptions

    @Flag(help: "Evaluate every input at its median instead of simulating, and print the per-year table.")
    var baseCase = false

    @Option(help: "Run only shard k of K (e.g. 2/8): a share of the blocks, written with --partial for `merge`.")
    var shard: ShardSpec?

    @Option(help: "With --shard: the file to write this shard's partial result to.")
    var partial: String?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if shard != nil && partial == nil {
            throw ValidationError("--shard needs --partial FILE: where to write this shard's result for `merge`.")
        }
        if partial != nil && shard == nil {
            throw ValidationError("--partial goes with --shard k/K.")
        }
        if shard != nil && baseCase {
            throw ValidationError("--base-case is a single deterministic run; it cannot be sharded.")
        }
        if precisionOptions.precision != nil && shard != nil {
            throw ValidationError("--precision cannot be used with --shard: where a precision run stops depends on every block before it, which a shard does not have. Fix: run with --precision once, then shard with --iterations set to the number it used.")
        }
        if precisionOptions.precision != nil && baseCase {
            throw ValidationError("--precision has nothing to do with --base-case, a single deterministic run.")
        }
    }

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario, overrides: try overrideOptions.overrides())
        let model = try ScenarioLoading.compile(loaded)
        var settings = try simulation.settings(for: loaded)
        if !baseCase, let problem = Simulation.samplingProblem(model, settings: settings) {
            printError("\(scenario): \(problem)")
            throw ExitCode(2)
        }
        if let shard, let partial {
            try runShard(shard, partial: partial, model: model, settings: settings)
            return
        }
        let writer = try ReportWriter(options: report, scenarioPath: scenario,
                                      defaultFolder: ReportWriter.defaultFolder(for: scenario))
        // Refuse up front a run that cannot fit in memory (or its iterations.csv on disk).
        let estimate = ResourceEstimate(model: model, iterations: baseCase ? 1 : settings.iterations, blockSize: settings.blockSize,
                                        iterationsCSV: report.iterationsCSV)
        if let refusal = estimate.refusal(freeDisk: report.iterationsCSV ? ResourceEstimate.freeDiskSpace(at: writer.folder.target.path) : nil) {
            printError("\(scenario): \(refusal)")
            throw ExitCode(2)
        }

        let columns: SimulationColumns
        var precision: PrecisionOutcome?
        if baseCase {
            columns = Simulation.baseCase(model)
            settings.iterations = 1
        } else if let target = try precisionOptions.precisionTarget() {
            let progress = ProgressBar(total: settings.iterations, enabled: !report.quiet)
            (columns, precision) = Simulation.run(model, settings: settings, precision: target) { progress.advance(by: $0) }
            progress.finish()
            settings.iterations = columns.iterations
        } else {
            let progress = ProgressBar(total: settings.iterations, enabled: !report.quiet)
            columns = Simulation.run(model, settings: settings) { progress.advance(by: $0) }
            progress.finish()
        }
        try writer.write(scenario: loaded, model: model, settings: settings, columns: columns, baseCase: baseCase,
                         precision: precision)
    }

    /// Runs shard k of K and writes its partial result (no report).
    func runShard(_ shard: ShardSpec, partial: String, model: CompiledModel, settings: RunSettings) throws {
        // A shard holds about 1/K of the columns (at most one block more).
        let share = settings.iterations / shard.count + Swift.min(settings.blockSize, settings.iterations)
        if let refusal = ResourceEstimate(model: model, iterations: share, blockSize: settings.blockSize).refusal() {
            printError("\(scenario): shard \(shard.index)/\(shard.count): \(refusal)")
            throw ExitCode(2)
        }
        guard shard.count <= settings.plan.blockCount else {
            printError("--shard \(shard.index)/\(shard.count): \(settings.iterations) iterations make only \(settings.plan.blockCount) blocks of \(settings.blockSize), so at most \(settings.plan.blockCount) shards. Fix: use fewer shards or more iterations")
            throw ExitCode(2)
        }
        let blocks = PartialResult.blocks(shard: shard.index, of: shard.count, plan: settings.plan)
        let progress = ProgressBar(total: blocks.reduce(0) { $0 + settings.plan.range(ofBlock: $1).count }, enabled: !report.quiet)
        let columns = Simulation.run(model, settings: settings, blocks: Array(blocks)) { progress.advance(by: $0) }
        progress.finish()
        let result = PartialResult(model: model, settings: settings, scenarioPath: scenario,
                                   scenarioSHA256: try ScenarioLoading.sha256(of: scenario),
                                   shard: shard.index, of: shard.count, columns: columns)
        do {
            try AtomicFile.write(to: URL(fileURLWithPath: partial)) { try result.write(to: $0) }
        } catch {
            printError("could not write the partial result \(partial): \(ReportFolder.reason(error))")
            throw ExitCode(1)
        }
        if !report.quiet {
            print("Shard \(shard.index)/\(shard.count): blocks \(blocks.lowerBound)–\(blocks.upperBound - 1), \(columns.iterations) iterations, written to \(partial)")
        }
    }


}

enum Slug {
    static func make(_ text: String) -> String {
        var slug = ""
        for ch in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) && ch.isASCII {
                slug.unicodeScalars.append(ch)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "scenario" : slug
    }
}
