import ArgumentParser
import ScenarioFiles
import SavingsModel

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and report every problem in it, without running it."
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario)
        let model = try ScenarioLoading.compile(loaded)
        print("\(scenario): OK — \(loaded.authorities.count) authorities, \(loaded.functions.count) functions, \(loaded.baseline.count) baseline rows, \(model.space.scalarCount) uncertain inputs, \(loaded.horizonYears) years from \(loaded.yearLabel(0)).")
    }
}
