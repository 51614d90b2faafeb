import ArgumentParser
import SavingsModel
import ScenarioFiles
import Stochastics

extension SamplingMethod: ExpressibleByArgument {}

/// How to simulate: shared by `run`, `reproduce` and the what-if commands. Flags override
/// the scenario file, which overrides the defaults.
struct SimulationOptions: ParsableArguments {
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

    func validate() throws {
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations must be at least 1 (got \(iterations)).")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1 (got \(threads)).")
        }
    }

    func settings(for s: Scenario) throws -> RunSettings {
        let kind: GeneratorKind
        do {
            kind = try generator.map { try GeneratorKind(named: $0) } ?? s.generator.map { try GeneratorKind(named: $0) } ?? .mt19937
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let method = sampling ?? s.sampling.flatMap(SamplingMethod.init(rawValue:)) ?? .monteCarlo
        return RunSettings(iterations: iterations ?? s.iterations ?? 10_000, seed: seed ?? s.seed ?? 1,
                           sampling: method, generator: kind, threads: threads ?? BlockRunner.availableCores)
    }
}

/// `--precision` and `--precision-of`: stop a run once it is precise enough
/// (docs/reproducibility.md §8). Only `run` and `reproduce` take them; the what-if commands
/// run a fixed number of iterations.
struct PrecisionOptions: ParsableArguments {
    @Option(help: "Stop once the mean financial NPV's relative standard error is below this percentage (e.g. 0.5%); --iterations is then the maximum. Whole blocks only: the same numbers for any --threads.")
    var precision: String?

    @Option(help: "With --precision: what must be that precise, `mean` (default) or a percentile p1…p99 of financial NPV (the half-width of its 95 % interval).")
    var precisionOf: String?

    func validate() throws {
        _ = try precisionTarget()
    }

    /// The `--precision` target, or nil when the run has a fixed number of iterations.
    func precisionTarget() throws -> PrecisionTarget? {
        guard let precision else {
            if let precisionOf {
                throw ValidationError("--precision-of \(precisionOf) needs --precision, the target (e.g. --precision 1%).")
            }
            return nil
        }
        let statistic = try precisionOf.map { text in
            guard let s = PrecisionTarget.Statistic(text) else {
                throw ValidationError("--precision-of must be `mean` or a percentile p1 to p99 such as p10 (got '\(text)').")
            }
            return s
        } ?? .mean
        guard let target = PrecisionTarget(percentText: precision, statistic: statistic) else {
            throw ValidationError("--precision must be a percentage above 0 and below 100, such as 0.5% (got '\(precision)').")
        }
        return target
    }
}
