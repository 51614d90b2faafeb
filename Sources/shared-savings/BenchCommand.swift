import ArgumentParser
import Foundation
import SavingsModel
import ScenarioFiles
import Stochastics

/// Times the engine on a scenario: simulation and summaries, no report files. Used by
/// bench/run-benchmarks.sh, which runs each configuration in a fresh process so the peak
/// memory figure is that configuration's own.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation speed and memory on a scenario (writes no report).",
        discussion: """
            Prints one CSV line per run: scenario, iterations, threads, simulate and summary \
            seconds, iterations per second, nanoseconds per authority-function-year and \
            peak resident memory. Timings are wall-clock and vary from run to run on a busy \
            machine; compare runs made side by side.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(name: .shortAndLong, help: "Iterations to simulate.")
    var iterations = 100_000

    @Option(name: .shortAndLong, help: "Threads (default: all cores).")
    var threads: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Flag(help: "Print the CSV header line first.")
    var header = false

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1 (got \(iterations)).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads)).") }
    }

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario, overrides: try overrideOptions.overrides())
        let model = try ScenarioLoading.compile(loaded)
        let settings = RunSettings(iterations: iterations, seed: seed, threads: threads ?? BlockRunner.availableCores)
        let start = Self.now()
        let columns = Simulation.run(model, settings: settings)
        let simulated = Self.now()
        let summary = Summary(model: model, columns: columns, threads: settings.threads)
        let summarised = Self.now()
        let cells = Double(iterations) * Double(model.rowCount) * Double(model.years)
        let total = summarised - start
        if header {
            print("scenario,iterations,threads,simulate_s,summary_s,iterations_per_s,ns_per_authority_function_year,peak_rss_mib,mean_npv_financial_gbp")
        }
        let fields: [String] = [
            URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent,
            String(iterations), String(settings.threads),
            String(format: "%.3f", simulated - start), String(format: "%.3f", summarised - simulated),
            String(format: "%.0f", Double(iterations) / total),
            String(format: "%.2f", (simulated - start) * 1e9 / cells),
            String(format: "%.0f", Self.peakResidentMiB()),
            String(format: "%.0f", summary.scalars[.npvFinancial]?.mean ?? .nan),
        ]
        print(fields.joined(separator: ","))
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Peak resident set size of this process (Linux reports ru_maxrss in KiB).
    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
