import SavingsModel
import ScenarioFiles

/// What a report describes: the scenario, how it was run, and the results.
public struct RunRecord {
    public let scenario: Scenario
    public let model: CompiledModel
    public let settings: RunSettings
    /// SHA-256 of the scenario file's bytes.
    public let scenarioSHA256: String
    /// The scenario path as the user gave it, for the reproduce command.
    public let scenarioPath: String
    public let summary: Summary
    /// The base case (every input at its median), summarised.
    public let baseCase: Summary
    /// True when this report is itself the base case.
    public let isBaseCase: Bool
    /// The scenario's published figures beside the simulated distributions of the same
    /// metrics (empty when it has none): `PublishedFigures.compare(scenario, columns:)`.
    public let published: [PublishedComparison]
    /// Switching values of the inputs that move the NPV most (docs/whatif.md); empty for
    /// a base-case report.
    public let switchingValues: [SwitchingValue]

    /// How many inputs get switching values, and over how many iterations the
    /// probabilistic ones are found (each bisection step re-evaluates them all).
    public static let switchingValueInputs = 5
    public static let switchingValueIterations = 1000
    /// What `--precision` did, when the run had a precision target: then `settings.iterations`
    /// is the number of iterations kept, and `precision.maximumIterations` the maximum.
    public let precision: PrecisionOutcome?
    /// Under Latin hypercube or Sobol sampling with two blocks or more: the standard error of
    /// the mean financial NPV from the spread of the independent block means
    /// (`PrecisionMeasure.of(.mean, …)`); nil otherwise.
    public let blockStandardError: Double?

    public init(scenario: Scenario, model: CompiledModel, settings: RunSettings, scenarioSHA256: String,
                scenarioPath: String, summary: Summary, baseCase: Summary, isBaseCase: Bool = false,
                published: [PublishedComparison] = [], precision: PrecisionOutcome? = nil,
                blockStandardError: Double? = nil) {
        self.scenario = scenario
        self.model = model
        self.settings = settings
        self.scenarioSHA256 = scenarioSHA256
        self.scenarioPath = scenarioPath
        self.summary = summary
        self.baseCase = baseCase
        self.isBaseCase = isBaseCase
        self.published = published
        if isBaseCase {
            switchingValues = []
        } else {
            let top = BusinessCaseContext.rankedSensitivity(summary).filter { $0.tornadoSwing != 0 }
                .prefix(Self.switchingValueInputs).compactMap { model.space.indexByPath[$0.path] }
            switchingValues = SwitchingValues.compute(model, inputs: Array(top), settings: settings,
                                                      iterations: Self.switchingValueIterations)
        }
        self.precision = precision
        self.blockStandardError = blockStandardError
    }

    /// The command that reproduces the report byte for byte. For a precision run it repeats
    /// the target with the same maximum, so the rerun stops at the same block and says so.
    public var command: String {
        var parts = ["shared-savings", "run", ShellQuote.quote(scenarioPath)]
        for o in scenario.overrides { parts += ["--set", ShellQuote.quote("\(o.path)=\(o.value)")] }
        if isBaseCase {
            parts.append("--base-case")
        } else {
            parts += ["--iterations", String(precision?.maximumIterations ?? settings.iterations), "--seed", String(settings.seed),
                      "--sampling", settings.sampling.rawValue, "--generator", settings.generator.name]
            if let precision {
                parts += ["--precision", ShellQuote.quote(precision.target.percentText)]
                if precision.target.statistic != .mean { parts += ["--precision-of", precision.target.statistic.name] }
            }
        }
        return parts.joined(separator: " ")
    }

    /// The plain command (no precision target) that gives the same figures: a precision
    /// run equals a plain run of the iterations it kept.
    public var plainCommand: String? {
        guard precision != nil, !isBaseCase else { return nil }
        return ["shared-savings", "run", ShellQuote.quote(scenarioPath), "--iterations", String(settings.iterations),
                "--seed", String(settings.seed), "--sampling", settings.sampling.rawValue,
                "--generator", settings.generator.name].joined(separator: " ")
    }
}

enum ShellQuote {
    /// Quotes a word for a POSIX shell when it needs it.
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:@%+".contains($0)) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
