import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles

/// The options that say where and how a report is written; shared by `run` and `merge`.
struct ReportOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Report folder (default: reports/<scenario file name>).")
    var out: String?

    @Option(help: "A Mustache template for business-case.md, in place of the bundled house template (same data; see docs/reports.md).")
    var template: String?

    @Flag(help: "Also write iterations.csv: every iteration's outputs and sampled inputs.")
    var iterationsCSV = false

    @Flag(help: "Replace the --out folder even if it does not look like a report.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no summary, no progress bar).")
    var quiet = false

    func validate() throws {
        if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--out must name a folder (got an empty path).")
        }
    }
}

/// Turns a run's columns into the report folder. Built before the simulation so that a
/// folder it must not touch, or an unreadable template, is refused before any work is done.
struct ReportWriter {
    let options: ReportOptions
    let scenarioPath: String
    let folder: ReportFolder
    let templateText: String?

    init(options: ReportOptions, scenarioPath: String, defaultFolder: String) throws {
        self.options = options
        self.scenarioPath = scenarioPath
        folder = ReportFolder(target: URL(fileURLWithPath: options.out ?? defaultFolder))
        if let refusal = folder.forbidden(keeping: [scenarioPath]) {
            printError(refusal.description)
            throw ExitCode(2)
        }
        guard options.force || folder.isSafeToReplace() else {
            printError(ReportFolder.NotAReportFolder(path: folder.target.path).description)
            throw ExitCode(2)
        }
        templateText = try options.template.map(Self.readTemplate)
    }

    /// reports/<slug of the scenario file name>: letters, digits, '-' and '_' only, so a
    /// name can never reach outside the reports folder.
    static func defaultFolder(for scenario: String) -> String {
        let stem = URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent
        return "reports/" + Slug.make(stem)
    }

    static func readTemplate(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? ReportFolder.reason(error) : "it does not exist"
            printError("cannot read the template \(path): \(reason). Fix: give the path of a Mustache template (docs/reports.md)")
            throw ExitCode(2)
        }
    }

    /// Summarises the columns and writes the whole report folder, then prints the summary.
    func write(scenario loaded: Scenario, model: CompiledModel, settings: RunSettings,
               columns: SimulationColumns, baseCase: Bool, precision: PrecisionOutcome? = nil) throws {
        let baseSummary = Summary(model: model, columns: Simulation.baseCase(model), threads: settings.threads)
        let summary = baseCase ? baseSummary : Summary(model: model, columns: columns, threads: settings.threads)
        // Never print inf or NaN where a figure belongs (OutputCheck).
        if let problem = OutputCheck.message(summary) ?? OutputCheck.message(baseSummary) {
            printError("\(scenarioPath): \(problem)")
            throw ExitCode(2)
        }
        let record = RunRecord(scenario: loaded, model: model, settings: settings,
                               scenarioSHA256: try ScenarioLoading.sha256(of: scenarioPath), scenarioPath: scenarioPath,
                               summary: summary, baseCase: baseSummary, isBaseCase: baseCase,
                               published: PublishedFigures.compare(loaded, columns: columns), precision: precision,
                               blockStandardError: baseCase || settings.sampling == .monteCarlo || settings.plan.blockCount < 2 ? nil
                                   : PrecisionMeasure.of(.mean, values: columns.scalar(.npvFinancial),
                                                         blockSize: settings.blockSize, sampling: settings.sampling).uncertainty)
        do {
            let files = try BusinessCase.files(record, template: templateText, templatePath: options.template ?? "")
            let streamed: [(name: String, write: (FileHandle) throws -> Void)] = options.iterationsCSV
                ? [("iterations.csv", { try IterationsCSV.write(columns, model: model, to: $0) })] : []
            try folder.write(files, streamed: streamed, force: options.force)
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
        // A precision target that was not met is said even with --quiet: the figures are
        // less precise than asked for.
        if let precision, !precision.met { printError("warning: \(RunReport.precisionSentence(precision))") }
        guard !options.quiet else { return }
        print(RunReport.terminalSummary(summary, scenario: loaded, baseCase: baseCase))
        if let precision, precision.met { print("  \(RunReport.precisionSentence(precision))") }
        if baseCase {
            print("")
            print(RunReport.yearlyTable(summary, scenario: loaded))
        }
        print("\nBusiness case written to \(folder.target.path)/business-case.md (and .html, CSV, JSON, SVG)")
    }
}

/// `--shard k/K`: shard k (from 1) of K.
struct ShardSpec: ExpressibleByArgument {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        index = k
        count = n
    }

    static var defaultValueDescription: String { "k/K" }
}

/// Writes one file atomically: a temporary file beside it, then a rename.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(contentsOf: data) }
    }

    /// Writes through `body` into a temporary file beside `url`, then renames it into place,
    /// so a reader never sees a half-written file and a good one is never lost to a failure.
    static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try body(handle)
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
