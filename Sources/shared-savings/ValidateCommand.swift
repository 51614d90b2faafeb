import ArgumentParser
import ScenarioFiles
import SavingsModel
import Stochastics

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and report every problem in it, without running it."
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario, overrides: try overrideOptions.overrides())
        let model = try ScenarioLoading.compile(loaded)
        // `sampling: sobol` with more uncertain inputs than GSL's Sobol sequence has dimensions.
        if loaded.sampling == SamplingMethod.sobol.rawValue,
           let problem = Simulation.samplingProblem(model, settings: RunSettings(iterations: 1, seed: 1, sampling: .sobol)) {
            printError("\(scenario): \(problem)")
            throw ExitCode(2)
        }
        func count(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : many ?? one + "s")" }
        print("\(scenario): OK — \(count(loaded.authorities.count, "authority", "authorities")), \(count(loaded.functions.count, "function")), \(count(loaded.baseline.count, "baseline row")), \(count(model.space.scalarCount, "uncertain input")), \(count(loaded.horizonYears, "year")) from \(loaded.yearLabel(0)).")
    }
}
