import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles
import Stochastics

extension SamplingMethod: ExpressibleByArgument {}

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

    @Option(name: .shortAndLong, help: "Iterations (default: the scenario's `iterations`, else 10000).")
    var iterations: Int?

    @Option(name: .shortAndLong, help: "Random seed (default: the scenario's `seed`, else 1).")
    var seed: UInt64?

    @Option(name: .shortAndLong, help: "Threads to use (default: all cores). Changes speed only, never the numbers.")
    var threads: Int?

    @Option(help: "Sampling method: \(SamplingMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default: the scenario's `sampling`, else monte-carlo).")
    var sampling: SamplingMethod?

    @Option(help: "GSL random number generator (default: the scenario's `generator`, else mt19937).")
    var generator: String?

    @Option(name: .shortAndLong, help: "Report folder (default: reports/<scenario file name>).")
    var out: String?

    @Flag(help: "Evaluate every input at its median instead of simulating, and print the per-year table.")
    var baseCase = false

    @Option(help: "A Mustache template for business-case.md, in place of the bundled house template (same data; see docs/reports.md).")
    var template: String?

    @Flag(help: "Also write iterations.csv: every iteration's outputs and sampled inputs.")
    var iterationsCSV = false

    @Flag(help: "Replace the --out folder even if it does not look like a report.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no summary, no progress bar).")
    var quiet = false

    func validate() throws {
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations must be at least 1 (got \(iterations)).")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1 (got \(threads)).")
        }
        if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--out must name a folder (got an empty path).")
        }
    }

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario)
        let model = try ScenarioLoading.compile(loaded)
        var settings = try resolveSettings(loaded)
        let templateText = try template.map(readTemplate)
        let folder = ReportFolder(target: URL(fileURLWithPath: out ?? defaultOutputFolder()))
        if let refusal = folder.forbidden(keeping: [scenario]) {
            printError(refusal.description)
            throw ExitCode(2)
        }
        guard force || folder.isSafeToReplace() else {
            printError(ReportFolder.NotAReportFolder(path: folder.target.path).description)
            throw ExitCode(2)
        }
        // Refuse up front a run that cannot fit in memory (or its iterations.csv on disk).
        let estimate = ResourceEstimate(model: model, iterations: baseCase ? 1 : settings.iterations,
                                        iterationsCSV: iterationsCSV)
        if let refusal = estimate.refusal(freeDisk: iterationsCSV ? ResourceEstimate.freeDiskSpace(at: folder.target.path) : nil) {
            printError("\(scenario): \(refusal)")
            throw ExitCode(2)
        }

        let base = Simulation.baseCase(model)
        let baseSummary = Summary(model: model, columns: base)
        let columns: SimulationColumns
        if baseCase {
            columns = base
            settings.iterations = 1
        } else {
            let progress = ProgressBar(total: settings.iterations, enabled: !quiet)
            columns = Simulation.run(model, settings: settings) { progress.advance(by: $0) }
            progress.finish()
        }
        let summary = baseCase ? baseSummary : Summary(model: model, columns: columns)
        // Never print inf or NaN where a figure belongs (OutputCheck).
        if let problem = OutputCheck.message(summary) ?? OutputCheck.message(baseSummary) {
            printError("\(scenario): \(problem)")
            throw ExitCode(2)
        }
        let record = RunRecord(scenario: loaded, model: model, settings: settings,
                               scenarioSHA256: try ScenarioLoading.sha256(of: scenario), scenarioPath: scenario,
                               summary: summary, baseCase: baseSummary, isBaseCase: baseCase,
                               published: PublishedFigures.compare(loaded, columns: columns))

        do {
            let files = try BusinessCase.files(record, template: templateText, templatePath: template ?? "")
            let streamed: [(name: String, write: (FileHandle) throws -> Void)] = iterationsCSV
                ? [("iterations.csv", { try IterationsCSV.write(columns, model: model, to: $0) })] : []
            try folder.write(files, streamed: streamed, force: force)
        } catch let error as ReportFolder.NotAReportFolder {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as BusinessCase.TemplateError {
            printError(error.description)
            throw ExitCode(2)
        } catch {
            printError("could not write the report to \(folder.target.path): \(ReportFolder.reason(error)). Fix: choose an --out folder you can write to, on a disk with space")
            throw ExitCode(1)
        }
        guard !quiet else { return }
        print(RunReport.terminalSummary(summary, scenario: loaded, baseCase: baseCase))
        if baseCase {
            print("")
            print(RunReport.yearlyTable(summary, scenario: loaded))
        }
        print("\nBusiness case written to \(folder.target.path)/business-case.md (and .html, CSV, JSON, SVG)")
    }

    func readTemplate(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? ReportFolder.reason(error) : "it does not exist"
            printError("cannot read the template \(path): \(reason). Fix: give the path of a Mustache template (docs/reports.md)")
            throw ExitCode(2)
        }
    }

    /// Flags override the scenario file, which overrides the defaults.
    func resolveSettings(_ s: Scenario) throws -> RunSettings {
        let kind: GeneratorKind
        do {
            kind = try generator.map { try GeneratorKind(named: $0) } ?? s.generator.map { try GeneratorKind(named: $0) } ?? .mt19937
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let method = sampling ?? s.sampling.flatMap(SamplingMethod.init(rawValue:)) ?? .monteCarlo
        return RunSettings(iterations: iterations ?? s.iterations ?? 10_000, seed: seed ?? s.seed ?? 1,
                           sampling: method, generator: kind,
                           threads: threads ?? BlockRunner.availableCores)
    }

    /// reports/<slug of the scenario file name>: letters, digits, '-' and '_' only, so a
    /// name can never reach outside the reports folder.
    func defaultOutputFolder() -> String {
        let stem = URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent
        return "reports/" + Slug.make(stem)
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
