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
            Writes summary.csv and yearly.csv into reports/<scenario>/ (or --out). The same \
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

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations must be at least 1 (got \(iterations)).")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1 (got \(threads)).")
        }
    }

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario)
        let model = try ScenarioLoading.compile(loaded)
        let settings = try resolveSettings(loaded)

        let columns = baseCase ? Simulation.baseCase(model) : Simulation.run(model, settings: settings)
        let summary = Summary(model: model, columns: columns)

        let folder = ReportFolder(target: URL(fileURLWithPath: out ?? defaultOutputFolder()))
        do {
            try folder.write([
                ("summary.csv", RunReport.summaryCSV(summary)),
                ("yearly.csv", RunReport.yearlyCSV(summary, scenario: loaded)),
            ])
        } catch {
            printError("could not write the report to \(folder.target.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        guard !quiet else { return }
        print(RunReport.terminalSummary(summary, scenario: loaded, baseCase: baseCase))
        if baseCase {
            print("")
            print(RunReport.yearlyTable(summary, scenario: loaded))
        }
        print("\nReport written to \(folder.target.path)/")
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
