import ArgumentParser
import SavingsModel

@main
struct SharedSavingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared-savings",
        abstract: "What would merging councils' back-office functions into one shared service really save?",
        discussion: """
            Runs a Monte Carlo simulation of a shared-service business case (baseline \
            headcount and costs, scale economies, an adoption curve, transition costs and \
            risks) and reports savings, costs, NPV and payback in Green Book terms.
            """,
        version: "shared-savings \(Versions.tool) (model v\(Versions.model))",
        subcommands: [RunCommand.self, ValidateCommand.self, ReproduceCommand.self, MergeCommand.self, BenchCommand.self,
                      SweepCommand.self, CompareCommand.self, SolveCommand.self, SensitivityCommand.self]
    )
}
