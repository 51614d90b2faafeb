import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles
import Stochastics

/// `shared-savings sensitivity SCENARIO`: Sobol global sensitivity indices (which
/// assumptions drive the NPV) and the value of information (which are worth researching),
/// written to reports/<scenario>-sensitivity/ (docs/global-sensitivity.md).
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank the assumptions: Sobol indices (what drives the NPV) and EVPI/EVPPI (what is worth researching).",
        discussion: """
            --method sobol: Saltelli sampling with Jansen's estimators and bootstrap intervals; \
            it costs N(k + 2) model evaluations for N = --samples and k groups (each uncertain \
            input, plus adoption timing, partner exits and risk events), and is refused when the \
            estimated time exceeds --time-limit. --method evppi: one Monte Carlo run of \
            --iterations, then the expected value of perfect information of the go/no-go \
            decision and of each input. Writes sensitivity.md, sobol-indices.csv, \
            sobol-indices.svg and value-of-information.csv to reports/<scenario>-sensitivity/ \
            (or --out), replacing an earlier one only once the new one is complete. The same \
            scenario, options and seed always give the same bytes, whatever --threads.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @OptionGroup var overrideOptions: OverrideOptions

    @OptionGroup var options: SensitivityOptions

    func run() throws {
        let loaded = try ScenarioLoading.load(scenario, overrides: try overrideOptions.overrides())
        let model = try ScenarioLoading.compile(loaded)
        let metric = options.metric.metric
        let target = ReportFolder(target: URL(fileURLWithPath: options.out ?? Self.defaultFolder(for: scenario)))
        try Self.checkFolder(target, scenario: scenario, force: options.force)
        let seed = options.seed ?? loaded.seed ?? 1
        let threads = options.threads ?? BlockRunner.availableCores
        let generator: GeneratorKind
        do {
            generator = try loaded.generator.map { try GeneratorKind(named: $0) } ?? .mt19937
        } catch {
            printError("\(scenario): \(error)")
            throw ExitCode(2)
        }

        var sobolPart: SensitivityReport.SobolPart?
        if options.method != .evppi {
            let settings = SobolSettings(baseSamples: options.samples, bootstrap: options.bootstrap, seed: seed,
                                         generator: generator, threads: threads)
            let groups = SobolIndices.groups(for: model.space)
            guard !groups.isEmpty else {
                printError("\(scenario): the scenario has no uncertain inputs and no chance events, so there is nothing to rank. Fix: give some inputs as ranges (docs/distributions.md)")
                throw ExitCode(2)
            }
            try guardCost(model: model, metric: metric, groups: groups.count, settings: settings)
            let progress = ProgressBar(total: settings.evaluations(groups: groups.count), enabled: !options.quiet)
            let result = SobolIndices.estimate(model: model, metric: metric, settings: settings) { progress.advance(by: $0) }
            progress.finish()
            if result.nonFiniteEvaluations > 0 {
                printError("warning: \(metric.name) is undefined in \(result.nonFiniteEvaluations) of \(result.evaluations) evaluations, so no Sobol indices can be given for it; choose a metric that always has a value, such as npv_financial_gbp")
            }
            sobolPart = .init(result: result, settings: settings)
        }

        var informationPart: SensitivityReport.InformationPart?
        let groups = try Self.groups(options.evppiGroups, in: model, scenario: scenario)
        if options.method != .sobol {
            let sampling = loaded.sampling.flatMap(SamplingMethod.init(rawValue:)) ?? .monteCarlo
            let settings = RunSettings(iterations: options.iterations ?? loaded.iterations ?? 10_000, seed: seed,
                                       sampling: sampling, generator: generator, threads: threads)
            if let refusal = ResourceEstimate(model: model, iterations: settings.iterations, blockSize: settings.blockSize).refusal() {
                printError("\(scenario): \(refusal)")
                throw ExitCode(2)
            }
            let progress = ProgressBar(total: settings.iterations, enabled: !options.quiet)
            let columns = Simulation.run(model, settings: settings) { progress.advance(by: $0) }
            progress.finish()
            informationPart = .init(study: ValueOfInformationStudy(model: model, columns: columns, metric: metric,
                                                                   groups: groups),
                                    settings: settings)
        }

        let report = SensitivityReport(scenario: loaded, scenarioPath: scenario, metric: metric,
                                       sobol: sobolPart, information: informationPart)
        do {
            try target.write(report.files, force: true)
        } catch let error as ReportFolder.NotAReportFolder {
            printError(error.description)
            throw ExitCode(2)
        } catch {
            printError("could not write the report to \(target.target.path): \(ReportFolder.reason(error)). Fix: choose an --out folder you can write to, on a disk with space")
            throw ExitCode(1)
        }
        guard !options.quiet else { return }
        print(Self.terminalSummary(report))
        print("\nSensitivity report written to \(target.target.path)/sensitivity.md (and CSV, SVG)")
    }

    /// `--evppi-group` lists, as scalar input indices; a path that is not an uncertain input
    /// is an error naming the inputs there are.
    static func groups(_ lists: [String], in model: CompiledModel, scenario: String) throws -> [[Int]] {
        try lists.map { list in
            let paths = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !paths.isEmpty else {
                printError("--evppi-group '\(list)': no input paths. Fix: give comma-separated input paths, e.g. --evppi-group 'delay,optimism_bias'")
                throw ExitCode(2)
            }
            return try paths.map { path in
                guard let k = model.space.indexByPath[path] else {
                    let known = model.space.scalars.map(\.path)
                    printError("--evppi-group: '\(path)' is not an uncertain input of \(scenario). Fix: use one of: \(known.joined(separator: ", "))")
                    throw ExitCode(2)
                }
                return k
            }
        }
    }

    /// reports/<slug of the scenario file name>-sensitivity.
    static func defaultFolder(for scenario: String) -> String {
        ReportWriter.defaultFolder(for: scenario) + "-sensitivity"
    }

    /// Refuses, before any work, a folder that must not be touched, or one that holds
    /// something other than a sensitivity report (unless --force).
    static func checkFolder(_ folder: ReportFolder, scenario: String, force: Bool) throws {
        if let refusal = folder.forbidden(keeping: [scenario]) {
            printError(refusal.description)
            throw ExitCode(2)
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard !force, fm.fileExists(atPath: folder.target.path, isDirectory: &isDirectory) else { return }
        let contents = (try? fm.contentsOfDirectory(atPath: folder.target.path)) ?? []
        if isDirectory.boolValue && (contents.isEmpty || contents.contains("sensitivity.md")) { return }
        printError("\(folder.target.path) exists and does not look like a SharedSavings sensitivity report (it has no sensitivity.md), so it was left untouched. Choose another --out folder, or add --force to replace it.")
        throw ExitCode(2)
    }

    /// Times a few evaluations and refuses a study whose N(k + 2) evaluations would take
    /// longer than --time-limit; otherwise says how long it should take.
    func guardCost(model: CompiledModel, metric: ScalarMetric, groups k: Int, settings: SobolSettings) throws {
        let evaluations = settings.evaluations(groups: k)
        // The evaluations are kept (each block's, then gathered): two copies of N(k + 2) doubles.
        let bytes = Double(evaluations) * 8 * ResourceEstimate.gatherCopies + ResourceEstimate.baseBytes
        let memory = ResourceEstimate.physicalMemory()
        if bytes > 0.8 * memory {
            printError("\(scenario): the Sobol study is too large for this machine's memory: \(NumberText.grouped(Int64(k))) groups × \(NumberText.grouped(Int64(settings.baseSamples))) samples need \(ResourceEstimate.bytes(bytes)) for their \(NumberText.grouped(Int64(evaluations))) evaluations, and the machine has \(ResourceEstimate.bytes(memory)). Nothing was computed. Fix: lower --samples")
            throw ExitCode(2)
        }
        let evaluator = PointEvaluator(model: model)
        let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64.max - 1)
        var u = [Double](repeating: 0.5, count: Swift.max(1, evaluator.dimension))
        func evaluate(_ count: Int) {
            for _ in 0..<count {
                for c in u.indices { u[c] = stream.uniform() }
                u.withUnsafeBufferPointer { evaluator.evaluate($0) }
            }
        }
        evaluate(10)   // warm the caches first: the first evaluations are much slower
        let pilot = 50
        let start = ProgressBar.now()
        evaluate(pilot)
        let perEvaluation = (ProgressBar.now() - start) / Double(pilot)
        let workers = Double(Swift.max(1, Swift.min(settings.threads, BlockRunner.availableCores)))
        let seconds = perEvaluation * Double(evaluations) / workers
        let what = "\(NumberText.grouped(Int64(k))) groups × \(NumberText.grouped(Int64(settings.baseSamples))) samples: N(k + 2) = \(NumberText.grouped(Int64(evaluations))) model evaluations, about \(Self.duration(seconds)) on \(Int(workers)) thread\(workers == 1 ? "" : "s") (\(NumberText.significant(perEvaluation * 1e6)) µs each)"
        if seconds > options.timeLimit * 60 {
            printError("\(scenario): the Sobol study is too large for the time limit: \(what), more than --time-limit \(NumberText.significant(options.timeLimit)) minutes. Nothing was computed. Fix: lower --samples (the time is proportional to it), raise --time-limit, or use --method evppi")
            throw ExitCode(2)
        }
        if !options.quiet { printError("Sobol study: \(what).") }
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded(.up))) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded(.up))) min" }
        return "\(NumberText.fixed(seconds / 3600, digits: 1)) h"
    }

    static func terminalSummary(_ report: SensitivityReport) -> String {
        var lines: [String] = [report.scenario.name]
        if let sobol = report.sobol, sobol.result.variance > 0, sobol.result.nonFiniteEvaluations == 0 {
            lines.append("")
            lines.append("Largest Sobol total indices of \(report.metric.name) (share of variance, with interactions):")
            for i in SensitivityReport.ranked(sobol.result).prefix(5) {
                lines.append("  \(NumberText.percent(i.total, digits: 1).padding(toLength: 7, withPad: " ", startingAt: 0)) \(i.group)")
            }
        }
        if let info = report.information {
            let s = info.study
            lines.append("")
            lines.append("EVPI of the go/no-go decision: \(NumberText.money(s.evpi)) (expected \(report.metric.name) \(NumberText.money(s.meanNetBenefit)))")
            for i in SensitivityReport.rankedInputs(s).prefix(5) where i.evppi.value > 0 {
                lines.append("  EVPPI \(NumberText.money(i.evppi.value).padding(toLength: 8, withPad: " ", startingAt: 0)) \(i.input)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Every option of `sensitivity`, in one place.
struct SensitivityOptions: ParsableArguments {
    enum Method: String, CaseIterable, ExpressibleByArgument {
        case sobol, evppi, all
    }

    /// A scalar metric by its report name (`npv_financial_gbp`), or that name without `_gbp`.
    struct MetricName: ExpressibleByArgument {
        let metric: ScalarMetric
        init(metric: ScalarMetric) { self.metric = metric }
        init?(argument: String) {
            guard let m = ScalarMetric.named(argument) else { return nil }
            metric = m
        }
        var defaultValueDescription: String { metric.name }
        static var allValueStrings: [String] { ScalarMetric.allCases.map(\.name) }
    }

    @Option(help: "What to compute: sobol, evppi or all.")
    var method: Method = .all

    @Option(name: [.customShort("n"), .long], help: "Saltelli base sample size N (the study costs N(k + 2) evaluations for k groups).")
    var samples = 4096

    @Option(help: "Bootstrap replicates for the 95% intervals of the Sobol indices (0: no intervals).")
    var bootstrap = 500

    @Option(name: .shortAndLong, help: "Random seed (default: the scenario's `seed`, else 1).")
    var seed: UInt64?

    @Option(name: .shortAndLong, help: "Threads to use (default: all cores). Changes speed only, never the numbers.")
    var threads: Int?

    @Option(help: "The output studied, by its name in summary.csv (e.g. npv_financial_gbp, npv_economic_gbp). EVPPI needs a net benefit in £: npv_financial_gbp, npv_economic_gbp or cumulative_net_financial_gbp.")
    var metric = MetricName(metric: .npvFinancial)

    @Option(name: .shortAndLong, help: "Iterations of the Monte Carlo run behind EVPI and EVPPI (default: the scenario's `iterations`, else 10000).")
    var iterations: Int?

    @Option(name: .customLong("evppi-group"), help: ArgumentHelp("Inputs to value together, comma-separated input paths (as in inputs.csv), e.g. 'functions.finance.saving,functions.hr.payroll.saving'. Repeatable.", valueName: "paths"))
    var evppiGroups: [String] = []

    @Option(help: "Refuse a Sobol study estimated to take longer than this many minutes.")
    var timeLimit = 60.0

    @Option(name: .shortAndLong, help: "Report folder (default: reports/<scenario file name>-sensitivity).")
    var out: String?

    @Flag(help: "Replace the --out folder even if it does not look like a sensitivity report.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no summary, no progress bar).")
    var quiet = false

    func validate() throws {
        if samples < 16 { throw ValidationError("--samples must be at least 16 (got \(samples)); thousands are usual.") }
        if samples > 10_000_000 { throw ValidationError("--samples must be at most 10,000,000 (got \(samples)).") }
        if bootstrap < 0 || (bootstrap > 0 && bootstrap < 20) || bootstrap > 100_000 {
            throw ValidationError("--bootstrap must be 0 (no intervals) or between 20 and 100,000 (got \(bootstrap)).")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads)).") }
        if let iterations, iterations < 2 { throw ValidationError("--iterations must be at least 2 (got \(iterations)).") }
        if !(timeLimit > 0) || !timeLimit.isFinite { throw ValidationError("--time-limit must be a positive number of minutes (got \(timeLimit)).") }
        if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--out must name a folder (got an empty path).")
        }
        if method != .sobol && !ValueOfInformationStudy.netBenefitMetrics.contains(metric.metric) {
            throw ValidationError("--metric \(metric.metric.name) is not a net benefit in £, so it cannot value a go/no-go decision (EVPPI). Use npv_financial_gbp, npv_economic_gbp or cumulative_net_financial_gbp, or --method sobol.")
        }
    }
}
