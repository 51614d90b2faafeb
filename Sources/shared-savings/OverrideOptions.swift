import ArgumentParser
import ScenarioFiles

/// `--set PATH=VALUE` (repeatable): what-if changes to the scenario without editing the
/// file. Shared by every command that reads a scenario (docs/whatif.md).
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"),
            help: ArgumentHelp("Change a scenario key for this run, e.g. --set optimism_bias=0.3 or --set 'functions.hr.payroll.saving.rate=pert(0.1,0.2,0.3)'. Repeatable.",
                               valueName: "path=value"))
    var assignments: [String] = []

    /// The overrides, each checked for the PATH=VALUE shape (paths are checked when the
    /// scenario is read).
    func overrides() throws -> [ScenarioOverride] {
        var result: [ScenarioOverride] = []
        var problems: [ScenarioProblem] = []
        for argument in assignments {
            do {
                result.append(try ScenarioOverride(argument: argument))
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else {
            printError(ScenarioErrors(problems: problems).description)
            throw ExitCode(2)
        }
        return result
    }
}
