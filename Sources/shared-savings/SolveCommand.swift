import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Goal seek: the value of a key at which a statistic of an output meets a target.",
        discussion: """
            Example: shared-savings solve scenarios/tutorial.yaml \
            --param functions.finance.accounts_payable.saving.rate --target 'p50(npv_financial)=0' \
            finds the saving rate at which the median NPV is zero (a probabilistic switching \
            value). Statistics: mean, prob_positive, p1 … p99. Every trial value is run at the \
            same random numbers, and the root is found by bracketing and bisection.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(help: "The key to solve for (a --set path) — it is set to a number at every trial.")
    var param: String

    @Option(help: "STAT(OUTPUT)=VALUE, e.g. 'p50(npv_financial)=0' or 'prob_positive(npv_financial)=0.8'.")
    var target: String

    @Option(help: "FROM:TO: where to start looking (default: around the input's own range, when the key is an uncertain input).")
    var between: String?

    @Option(help: "Stop when the bracket is narrower than this (default: 1/10000 of the starting range).")
    var tolerance: Double?

    @OptionGroup var simulation: SimulationOptions

    func validate() throws {
        if let tolerance, !(tolerance > 0 && tolerance.isFinite) {
            throw ValidationError("--tolerance must be a positive number, the width at which the search stops (got \(tolerance)).")
        }
    }

    func run() throws {
        let base = try overrideOptions.overrides()
        let loaded = try ScenarioLoading.load(scenario, overrides: base)
        let baseModel = try ScenarioLoading.compile(loaded)
        let settings = try simulation.settings(for: loaded)

        guard let equals = target.lastIndex(of: "=") else {
            printError("--target '\(target)': expected STAT(OUTPUT)=VALUE. Fix: e.g. --target 'p50(npv_financial)=0'")
            throw ExitCode(2)
        }
        let statistic: OutputStatistic
        switch OutputStatistic.parse(String(target[..<equals])) {
        case .success(let s): statistic = s
        case .failure(let e):
            printError("--target '\(target)': \(e)")
            throw ExitCode(2)
        }
        let valueText = target[target.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let goal: Double
        if valueText.hasSuffix("%"), let p = Double(valueText.dropLast()) {
            goal = p / 100
        } else if let v = Double(valueText), v.isFinite {
            goal = v
        } else {
            printError("--target '\(target)': '\(valueText)' is not a number. Fix: give a plain number (0, 1e6) or a percentage (50%)")
            throw ExitCode(2)
        }

        // Where to look.
        var start: ClosedRange<Double>
        var limits = -Double.infinity...Double.infinity
        if let between {
            let parts = between.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let a = parts[0], let b = parts[1], a.isFinite, b.isFinite, a < b else {
                printError("--between '\(between)': expected FROM:TO with FROM < TO. Fix: e.g. --between 0:0.5")
                throw ExitCode(2)
            }
            start = a...b
            limits = a...b  // the user's range is the whole search: no widening past it
        } else if let input = baseModel.space.scalars.first(where: { param == $0.path || Self.isValueKey(param, of: $0.path) }) {
            (start, limits) = GoalSeek.searchRange(for: input.distribution)
        } else {
            printError("--param \(param): no range to search is known for this key. Fix: give one with --between FROM:TO")
            throw ExitCode(2)
        }

        try WhatIf.checkMemory(variants: 1, iterations: settings.iterations, what: "solve")
        var trials: [(x: Double, value: Double)] = []
        let outcome = try GoalSeek.solve(low: start.lowerBound, high: start.upperBound, limits: limits,
                                         tolerance: tolerance ?? Swift.max(1e-4 * (start.upperBound - start.lowerBound), 1e-12)) { x in
            let overrides = base + [ScenarioOverride(path: param, value: NumberText.plain(x))]
            let model = try WhatIf.model(scenario, overrides: overrides)
            let results = PairedSimulation.scalars([model], settings: settings)
            let value = statistic.value(of: results[0][statistic.metric.rawValue])
            trials.append((x, value))
            return value - goal
        }
        func short(_ x: Double) -> String { String(format: "%.6g", x) }
        let halfWidth = (outcome.high - outcome.low) / 2
        let searched = "searched from \(short(start.lowerBound)) to \(short(start.upperBound))\(outcome.searchedLow < start.lowerBound || outcome.searchedHigh > start.upperBound ? ", widened to \(short(outcome.searchedLow)) to \(short(outcome.searchedHigh))" : ""); ±\(short(halfWidth)); \(outcome.evaluations) trials of \(settings.iterations) iterations, seed \(settings.seed)"
        guard let x = outcome.value else {
            let ends = trials.sorted { $0.x < $1.x }
            let low = ends.first.map { "\(statistic) = \(short($0.value)) at \(short($0.x))" } ?? ""
            let high = ends.last.map { "\(statistic) = \(short($0.value)) at \(short($0.x))" } ?? ""
            printError("\(statistic) does not reach \(valueText) for \(param) anywhere in the range (\(low); \(high); \(searched)). Fix: widen it with --between FROM:TO, or the target cannot be met by this key alone")
            throw ExitCode(1)
        }
        // As many decimals as the final bracket supports (its half-width's first digit).
        let decimals = halfWidth > 0 ? Swift.min(15, Swift.max(0, Int((-Foundation.log10(halfWidth)).rounded(.up)))) : 15
        print("\(statistic) = \(valueText) when \(param) = \(String(format: "%.\(decimals)f", x))")
        print("(\(searched); common random numbers at every trial)")
    }

    /// `functions.x.saving.rate` names the value of the input `functions.x.saving`.
    static func isValueKey(_ param: String, of path: String) -> Bool {
        guard param.hasPrefix(path + ".") else { return false }
        let rest = param.dropFirst(path.count + 1)
        return ["rate", "scale", "value", "fixed"].contains(String(rest))
    }
}
