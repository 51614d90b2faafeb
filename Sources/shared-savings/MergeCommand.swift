import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles
import Stochastics

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the partial results of a sharded run into its report.",
        discussion: """
            Give every shard's partial file (made by `run SCENARIO --shard k/K --partial FILE`). \
            The report is byte-identical to a single-process run with the same scenario, seed and \
            iterations. Shards from different scenarios, seeds, iteration counts or tool versions \
            are refused, as is a set with a shard missing or repeated.
            """
    )

    @Argument(help: "The partial files, in any order.")
    var partials: [String]

    @Option(help: "The scenario file, if it is no longer at the path recorded in the partials (it must be the same file).")
    var scenario: String?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard !partials.isEmpty else { throw ValidationError("give the partial files to merge.") }
    }

    func run() throws {
        // The scenario comes from the first partial's header (or --scenario).
        let headerLine: PartialResult.Header
        do {
            headerLine = try PartialResult.readHeader(file: partials[0]).header
        } catch let error as PartialResult.FormatError {
            printError(error.description)
            throw ExitCode(2)
        }
        let scenarioPath = scenario ?? headerLine.scenarioPath
        // The shards' --set overrides travel in their headers.
        var overrides: [ScenarioOverride] = []
        for argument in headerLine.overrides ?? [] {
            do {
                overrides.append(try ScenarioOverride(argument: argument))
            } catch {
                printError("\(partials[0]): \(error.description)")
                throw ExitCode(2)
            }
        }
        let loaded = try ScenarioLoading.load(scenarioPath, overrides: overrides)
        let model = try ScenarioLoading.compile(loaded)
        guard try ScenarioLoading.sha256(of: scenarioPath) == headerLine.scenarioSHA256 else {
            printError("\(scenarioPath) is not the scenario the shards were run on (its SHA-256 differs). Fix: merge with the same scenario file, unchanged")
            throw ExitCode(2)
        }
        let writer = try ReportWriter(options: report, scenarioPath: headerLine.scenarioPath,
                                      defaultFolder: ReportWriter.defaultFolder(for: headerLine.scenarioPath))
        // The merged run holds every iteration's columns at once, as a single run would.
        let estimate = ResourceEstimate(model: model, iterations: headerLine.iterations, blockSize: headerLine.blockSize,
                                        iterationsCSV: report.iterationsCSV)
        if let refusal = estimate.refusal(freeDisk: report.iterationsCSV ? ResourceEstimate.freeDiskSpace(at: writer.folder.target.path) : nil) {
            printError("\(scenarioPath): \(refusal)")
            throw ExitCode(2)
        }
        do {
            // One file and one column at a time, into a store that spills to TMPDIR when large.
            let (header, columns) = try PartialResult.merge(files: partials, model: model)
            guard let sampling = SamplingMethod(rawValue: header.sampling) else {
                throw PartialResult.FormatError(file: partials[0], problem: "unknown sampling method \(header.sampling)")
            }
            let settings = RunSettings(iterations: header.iterations, seed: header.seed, sampling: sampling,
                                       generator: try GeneratorKind(named: header.generator),
                                       blockSize: header.blockSize)
            try writer.write(scenario: loaded, model: model, settings: settings, columns: columns, baseCase: false)
        } catch let error as PartialResult.FormatError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as StochasticsError {
            printError("\(partials[0]): \(error)")
            throw ExitCode(2)
        }
    }

}
