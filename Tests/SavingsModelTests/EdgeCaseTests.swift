// Numeric edge cases (issue 8): each must give a sensible, finite answer — never a trap,
// never NaN or infinity where a figure belongs — and the expected numbers are worked out
// by hand from MODEL.md in each test.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

/// Runs `iterations` Monte Carlo iterations and summarises them.
private func simulate(_ scenario: Scenario, iterations: Int, seed: UInt64 = 1,
                      sampling: SamplingMethod = .monteCarlo) throws -> (CompiledModel, SimulationColumns, Summary) {
    let model = try CompiledModel(scenario)
    let columns = Simulation.run(model, settings: RunSettings(iterations: iterations, seed: seed, sampling: sampling, threads: 2))
    return (model, columns, Summary(model: model, columns: columns))
}

/// Every figure a report prints is finite (OutputCheck), and the summary counts every iteration.
private func expectPrintable(_ summary: Summary, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(OutputCheck.problems(summary) == [], "not printable: \(OutputCheck.problems(summary))", sourceLocation: sourceLocation)
    #expect(summary.scalars[.npvFinancial]?.count == summary.iterations, sourceLocation: sourceLocation)
}

private func twoCouncils(rate: Double = 0.2, fte: Double = 10, costPerFTE: Double = 30_000, nonStaff: Double = 0,
                         joins: (Double, Double) = (0, 0), horizon: Int = 10, oneOff: [OneOffCost] = [],
                         minPartners: Int = 2) -> Scenario {
    Scenario(name: "edge", horizonYears: horizon, discounting: noDiscounting,
             authorities: [authority("A", joins: joins.0), authority("B", joins: joins.1)],
             baseline: [row(0, fte: fte, costPerFTE: costPerFTE, nonStaff: nonStaff),
                        row(1, fte: fte, costPerFTE: costPerFTE, nonStaff: nonStaff)],
             functions: [rateFunction(rate: rate)], minPartners: minPartners, oneOffCosts: oneOff)
}

@Suite struct EdgeCaseTests {
    @Test("One authority with min_partners 1: its own savings, every year")
    func oneAuthority() throws {
        let scenario = Scenario(name: "one", horizonYears: 3, discounting: noDiscounting,
                                authorities: [authority("Solo")],
                                baseline: [row(0, fte: 10, costPerFTE: 30_000)],
                                functions: [rateFunction(rate: 0.2)], minPartners: 1)
        let (_, _, summary) = try simulate(scenario, iterations: 50)
        // 0.2 × 10 × 30,000 = 60,000 a year for 3 years.
        expectClose(summary.scalars[.npvFinancial]!.mean, 180_000)
        #expect(summary.scalars[.npvFinancial]!.sd == 0)
        #expect(summary.partners.count == 1)
        expectClose(summary.partners[0].npv.mean, 180_000)
        // No costs at all: cost shares are undefined (printed n/a), BCR undefined, never a payback.
        #expect(summary.partners[0].costShare.isNaN)
        #expect(summary.scalars[.bcr] == nil)
        #expect(summary.noPaybackCount == 50)
        expectPrintable(summary)
    }

    @Test("One authority under the default min_partners of 2: the service never runs, so nothing is saved")
    func oneAuthorityNeverOperatesBelowMinPartners() throws {
        let scenario = Scenario(name: "one", horizonYears: 3, discounting: noDiscounting,
                                authorities: [authority("Solo")],
                                baseline: [row(0, fte: 10, costPerFTE: 30_000)],
                                functions: [rateFunction(rate: 0.2)], minPartners: 2)
        let outcome = try baseCase(scenario)
        #expect(outcome.series(.cashableSavings) == [0, 0, 0])
        #expect(outcome.series(.members) == [1, 1, 1])
        // (The loader refuses this scenario when min_partners is left at its default; docs/errors.md.)
    }

    @Test("Zero FTE and zero cost in a function: no saving, no redundancy, efficiency 0 rather than 0/0")
    func zeroFTE() throws {
        var scenario = twoCouncils(fte: 0, costPerFTE: 0)
        scenario.workforce = workforce(redundancyPerFTE: 30_000)
        scenario.functions = [scaleFunction(beta: 0.8)]  // Σ V^β = 0 → s = 0 (MODEL.md §11)
        let outcome = try baseCase(scenario)
        #expect(outcome.series(.cashableSavings).allSatisfy { $0 == 0 })
        #expect(outcome.series(.fteReleased).allSatisfy { $0 == 0 })
        #expect(outcome.series(.redundancyCosts).allSatisfy { $0 == 0 })
        #expect(outcome.series(.baselineCost).allSatisfy { $0 == 0 })
        #expect(outcome.series(.efficiency).allSatisfy { $0 == 0 })
        let (_, _, summary) = try simulate(scenario, iterations: 20)
        expectPrintable(summary)
    }

    @Test("Every join beyond the horizon: no members, no savings; the year-0 cost falls on the earliest joiners")
    func everyJoinBeyondTheHorizon() throws {
        let scenario = twoCouncils(joins: (12, 15), horizon: 10, oneOff: [profiled("ict", 100_000, [1])])
        let outcome = try baseCase(scenario)
        #expect(outcome.series(.members).allSatisfy { $0 == 0 })
        #expect(outcome.series(.cashableSavings).allSatisfy { $0 == 0 })
        #expect(outcome.joinYears == [-1, -1])
        expectClose(outcome.scalar(.npvFinancial), -100_000)
        // A (joins in 12) is the earliest-joining cohort, so it bears the whole cost (MODEL.md §8).
        expectClose(outcome.npvs, [-100_000, 0])
        #expect(outcome.scalar(.paybackYear).isNaN)
        #expect(outcome.scalar(.membersJoined) == 0)
        #expect(outcome.scalar(.everyPartnerGains) == 0)
        let (_, _, summary) = try simulate(scenario, iterations: 30)
        #expect(summary.partners.allSatisfy { $0.neverJoinsCount == 30 && $0.joinYearCounts.allSatisfy { $0 == 0 } })
        #expect(summary.noPaybackCount == 30)
        expectPrintable(summary)
    }

    @Test("A horizon of one year: one discount factor, one fan point, payback in year 0 or never")
    func horizonOfOneYear() throws {
        let scenario = twoCouncils(horizon: 1, oneOff: [profiled("ict", 50_000, [0.5, 0.5])])
        let outcome = try baseCase(scenario)
        // Savings 2 × 0.2 × 300,000 = 120,000; only the first half of the profile falls in the horizon.
        expectClose(outcome.series(.cashableSavings), [120_000])
        expectClose(outcome.series(.oneOffCosts), [25_000])
        #expect(outcome.scalar(.paybackYear) == 0)
        let (model, _, summary) = try simulate(scenario, iterations: 10)
        #expect(model.discountFactors == [1])
        #expect(summary.fans[.netFinancial]!.count == 1)
        #expect(summary.paybackCounts == [10])
        #expect(summary.probabilityPaybackBy == [1])
        expectPrintable(summary)
    }

    @Test("A single iteration: no spread, percentiles equal the value, one histogram bin")
    func singleIteration() throws {
        let scenario = try richScenario()
        let (_, columns, summary) = try simulate(scenario, iterations: 1)
        let npv = columns.scalar(.npvFinancial)[0]
        let s = try #require(summary.scalars[.npvFinancial])
        #expect(s.count == 1 && s.mean == npv && s.sd == 0 && s.se == 0 && s.cvar5 == npv)
        #expect(s.percentiles.allSatisfy { $0 == npv })
        #expect(summary.npvHistogram.counts == [1])
        #expect(summary.npvHistogram.edges == [npv, npv])
        // Nothing varies, so rank correlations are undefined (n/a) and every swing is 0.
        #expect(summary.sensitivity.allSatisfy { $0.spearman.isNaN && $0.tornadoSwing == 0 })
        expectPrintable(summary)
        // Latin hypercube with one iteration: one stratum per input.
        let (_, _, lhs) = try simulate(scenario, iterations: 1, sampling: .latinHypercube)
        expectPrintable(lhs)
        // Sobol with one iteration: the origin moved by the block's shift.
        let (_, _, sobol) = try simulate(scenario, iterations: 1, sampling: .sobol)
        expectPrintable(sobol)
    }

    @Test("A saving of exactly 0: nothing saved or released, NPV = −costs")
    func savingOfZero() throws {
        var scenario = twoCouncils(rate: 0, oneOff: [profiled("ict", 80_000, [1])])
        scenario.workforce = workforce(redundancyPerFTE: 30_000)
        let outcome = try baseCase(scenario)
        #expect(outcome.series(.cashableSavings).allSatisfy { $0 == 0 })
        #expect(outcome.series(.fteReleased).allSatisfy { $0 == 0 })
        #expect(outcome.scalar(.redundancyCosts) == 0)
        expectClose(outcome.scalar(.npvFinancial), -80_000)
        #expect(outcome.scalar(.bcr) == 0)
        #expect(outcome.scalar(.paybackYear).isNaN)
    }

    @Test("A saving of exactly 1: the whole staff cost is saved and every post released")
    func savingOfOne() throws {
        var scenario = twoCouncils(rate: 1, nonStaff: 5_000)
        scenario.workforce = workforce(redundancyPerFTE: 30_000)
        let outcome = try baseCase(scenario)
        // Staff 2 × 10 × 30,000 = 600,000 a year saved; non-staff not (non_staff_saving 0).
        expectClose(outcome.series(.cashableSavings), Array(repeating: 600_000, count: 10))
        expectClose(outcome.series(.fteReleased), Array(repeating: 20, count: 10))
        // Redundancy once, for all 20 posts in year 0.
        expectClose(outcome.series(.redundancyCosts), [600_000] + Array(repeating: 0, count: 9))
        expectClose(outcome.series(.efficiency), Array(repeating: 600_000.0 / 610_000, count: 10))
        // An elasticity of exactly 1 is "no economies of scale": nothing saved.
        scenario.functions = [scaleFunction(beta: 1)]
        #expect(try baseCase(scenario).series(.cashableSavings).allSatisfy { $0 == 0 })
    }

    @Test("Enormous money (1e12 per FTE): exact sums, no overflow, printable")
    func enormousMoney() throws {
        let scenario = twoCouncils(rate: 0.2, fte: 1_000, costPerFTE: 1e12)
        let outcome = try baseCase(scenario)
        // 0.2 × 2 × 1,000 × 1e12 = 4e14 a year, 4e15 over 10 years (undiscounted).
        expectClose(outcome.series(.cashableSavings), Array(repeating: 4e14, count: 10))
        expectClose(outcome.scalar(.npvFinancial), 4e15)
        let (_, _, summary) = try simulate(scenario, iterations: 100)
        expectClose(summary.scalars[.npvFinancial]!.mean, 4e15)
        #expect(summary.scalars[.npvFinancial]!.sd == 0)
        expectPrintable(summary)
    }

    @Test("Every number at the loader's bounds (1e15, growth 100 %, 125 years): still finite")
    func everythingAtTheBounds() throws {
        var scenario = twoCouncils(rate: 1, fte: 1e15, costPerFTE: 1e15, nonStaff: 1e15, horizon: 125,
                                   oneOff: [profiled("ict", 1e15, [1])])
        scenario.discounting = .greenBook
        scenario.realPayGrowth = fixed(1, "real_pay_growth")
        scenario.workforce = workforce(redundancyPerFTE: 1e15)
        scenario.ongoingCosts = [annual("board", 1e15), perMember("licence", 1e15)]
        let (_, _, summary) = try simulate(scenario, iterations: 20)
        expectPrintable(summary)
        #expect(summary.scalars[.npvFinancial]!.mean > 1e60)
    }

    @Test("Degenerate distributions (min = max) are the number itself: no spread, no sensitivity row")
    func degenerateDistributions() throws {
        #expect(try Distribution.uniform(min: 0.2, max: 0.2) == .fixed(0.2))
        #expect(try Distribution.pert(min: 3, mode: 3, max: 3) == .fixed(3))
        #expect(try Distribution.triangular(min: 1, mode: 1, max: 1) == .fixed(1))
        // A one-value discrete is that value too: not an uncertain input.
        var scenario = twoCouncils()
        scenario.functions = [BackOfficeFunction(
            name: "finance", saving: .rate(uncertain(try .discrete(values: [0.25], weights: [1]), "functions.finance.saving")),
            nonStaffSaving: fixed(0, "n"), ramp: .immediate, cashableShare: fixed(1, "c"))]
        let (_, _, summary) = try simulate(scenario, iterations: 500)
        let npv = try #require(summary.scalars[.npvFinancial])
        // 0.25 × 600,000 × 10 = 1.5m in every iteration: exactly, with no rounding spread.
        #expect(npv.mean == 1_500_000 && npv.sd == 0 && npv.p5 == npv.p95)
        #expect(summary.sensitivity.isEmpty)
        #expect(summary.npvHistogram.counts == [500])
        expectPrintable(summary)
    }

    @Test("The mean of identical values is that value (no spread from rounding)")
    func meanOfIdenticalValues() {
        let x = Array(repeating: 516461.1905320912, count: 3_000)
        #expect(Statistics.mean(x) == 516461.1905320912)
        #expect(Statistics.standardDeviation(x, mean: Statistics.mean(x)) == 0)
        let s = ScalarSummary(x)!
        #expect(s.sd == 0 && s.se == 0 && s.mean == s.p50)
        #expect(Statistics.mean([]).isNaN)
    }

    @Test("Histograms of identical, infinite and extreme values never trap")
    func histogramEdgeCases() {
        #expect(Histogram(Array(repeating: 7, count: 10)).counts == [10])
        #expect(Histogram([]).counts == [])
        #expect(Histogram([.nan, .nan]).counts == [])
        let withInfinity = Histogram([1, 2, 3, .infinity, -.infinity, .nan])
        #expect(withInfinity.counts.reduce(0, +) == 3)
        let extreme = Histogram([-1.7e308, 0, 1.7e308] + Array(repeating: 1, count: 400))
        #expect(extreme.counts.reduce(0, +) == 403)
        #expect(extreme.edges.allSatisfy { $0.isFinite })
        // Two values one ulp apart: too narrow to split, one bin.
        #expect(Histogram([1, 1.0000000000000002]).counts.reduce(0, +) == 2)
    }

    @Test("Bass join year at u = 0 with an infinite q/p is 0, not a trap")
    func bassJoinYearLimit() {
        #expect(Formulas.bassJoinYear(v: 0, p: 5e-324, q: 1, ceiling: 1) == 0)
        #expect(Formulas.bassJoinYear(v: 0.5, p: 5e-324, q: 1, ceiling: 1) == 1_000_000)
        #expect(Formulas.bassJoinYear(v: 1e-300, p: 1e-300, q: 1e15, ceiling: 1) != nil)
    }

    @Test("OutputCheck names the outputs that are not finite")
    func outputCheckFindsInfinity() throws {
        let scenario = twoCouncils()
        let model = try CompiledModel(scenario)
        var columns = Simulation.baseCase(model)
        columns.scalars[ScalarMetric.npvFinancial.rawValue][0] = .infinity
        columns.scalars[ScalarMetric.totalCosts.rawValue][0] = .nan
        let problems = OutputCheck.problems(Summary(model: model, columns: columns))
        #expect(problems.contains("npv_financial_gbp"))
        #expect(problems.contains("total_costs_gbp"))
        #expect(OutputCheck.message(Summary(model: model, columns: columns))?.contains("too large to represent") == true)
        #expect(OutputCheck.problems(Summary(model: model, columns: Simulation.baseCase(model))) == [])
    }
}

// MARK: - Resource limits

@Suite struct ResourceEstimateTests {
    @Test("The estimate's bytes per iteration is exactly what the columns hold")
    func bytesPerIterationMatchTheLayout() throws {
        for scenario in [try richScenario(), try richScenario(horizon: 1), twoCouncils(horizon: 37)] {
            let model = try CompiledModel(scenario)
            let columns = Simulation.run(model, settings: RunSettings(iterations: 1_234, seed: 3, threads: 2))
            let estimate = ResourceEstimate(model: model, iterations: 1_234)
            // Counted here from the model, independently of ColumnLayout: every scalar
            // metric, series × year, NPV of each authority, input, risk.
            let n = model.authorityCount
            let expected = ScalarMetric.allCases.count + YearlySeries.allCases.count * model.years + n
                + model.space.scalarCount + model.riskProbability.count
            #expect(columns.store.columnCount == expected, "\(scenario.name)")
            #expect(columns.store.columnCount * columns.store.capacity * 8 == estimate.bytesPerIteration * 1_234,
                    "\(scenario.name), \(scenario.horizonYears) years")
            #expect(!columns.store.isOnDisk && !estimate.spillsToDisk)
            // The tallies: two blocks (1,000 + 234) of, per authority, a cost sum, a first
            // cost, a flag byte and a UInt32 count per join year and for "not within".
            #expect(columns.blocks == 2 && columns.partners.capacity == 2)
            let perBlock = n * (8 + 8 + 1 + 4 * (model.years + 1))
            #expect(estimate.tallyBytesPerBlock == perBlock, "\(scenario.name)")
            #expect(tallyBytes(columns).count == 2 * perBlock, "\(scenario.name)")
        }
    }

    @Test("Beyond the memory budget the columns go to a temporary file and the numbers do not change")
    func spilledColumnsAreTheSame() throws {
        let model = try CompiledModel(try richScenario())
        let settings = RunSettings(iterations: 1_500, seed: 11, threads: 2, blockSize: 400)
        let inMemory = Simulation.run(model, settings: settings)
        let layout = inMemory.layout
        // The same blocks written into a store whose budget is one byte, so it spills.
        var onDisk = SimulationColumns(model: model, capacity: 1_500, blocks: settings.plan.blockCount, memoryBudget: 1)
        #expect(onDisk.store.isOnDisk && !inMemory.store.isOnDisk)
        for b in 0..<settings.plan.blockCount {
            let range = settings.plan.range(ofBlock: b)
            Simulation.runBlock(model, settings: settings, block: b, iterations: range.count, into: onDisk, slot: b,
                                at: range.lowerBound)
        }
        onDisk.filled(1_500, blocks: settings.plan.blockCount)
        #expect(tallyBytes(onDisk) == tallyBytes(inMemory))
        for c in 0..<layout.count {
            let a = inMemory.withColumn(c) { $0.map(\.bitPattern) }
            let b = onDisk.withColumn(c) { $0.map(\.bitPattern) }
            let same = a == b
            #expect(same, "column \(c) differs between the in-memory and the spilled store")
        }
        let one = Summary(model: model, columns: inMemory), two = Summary(model: model, columns: onDisk)
        #expect(one.scalars == two.scalars && one.fans == two.fans && one.partners == two.partners
                && one.sensitivity.map(\.spearman.bitPattern) == two.sensitivity.map(\.spearman.bitPattern))
        #expect(ResourceEstimate(model: model, iterations: 1_500, memoryBudget: 1).spillsToDisk)
    }

    @Test("A billion iterations is refused with the estimate and the fix; a small run is not")
    func refusal() throws {
        let model = try CompiledModel(try richScenario())
        let huge = ResourceEstimate(model: model, iterations: 1_000_000_000, iterationsCSV: true)
        let message = try #require(huge.refusal(memory: 32e9))
        #expect(message.contains("1,000,000,000 iterations"))
        #expect(message.contains("--iterations") && message.contains("--shard"))
        #expect(message.contains("32.0 GB"))
        let fits = huge.iterationsFitting(in: 32e9 * 0.8)
        #expect(fits > 0 && fits < 1_000_000_000)
        #expect(ResourceEstimate(model: model, iterations: fits).refusal(memory: 32e9, temporaryDisk: .infinity) == nil)
        #expect(ResourceEstimate(model: model, iterations: fits + 1).refusal(memory: 32e9, temporaryDisk: .infinity) != nil)
        #expect(ResourceEstimate(model: model, iterations: 10_000).refusal(memory: 8e9) == nil)
        // Int.max iterations: no overflow, just a refusal.
        #expect(ResourceEstimate(model: model, iterations: Int.max).refusal(memory: 1e12) != nil)
    }

    @Test("iterations.csv that would not fit on the disk is refused")
    func diskRefusal() throws {
        let model = try CompiledModel(try richScenario())
        let run = ResourceEstimate(model: model, iterations: 1_000_000, iterationsCSV: true)
        #expect(run.iterationsCSVBytes > 1e8)
        let message = try #require(run.refusal(memory: 1e12, freeDisk: 1e6))
        #expect(message.contains("iterations.csv") && message.contains("--iterations-csv"))
        #expect(ResourceEstimate(model: model, iterations: 1_000_000).refusal(memory: 1e12, freeDisk: 1e6, temporaryDisk: 1e12) == nil)
    }

    @Test("A run whose spilled columns would not fit in TMPDIR is refused, naming TMPDIR")
    func temporaryDiskRefusal() throws {
        let model = try CompiledModel(try richScenario())
        let run = ResourceEstimate(model: model, iterations: 1_000_000)
        #expect(run.spillsToDisk && run.temporaryFileBytes == Double(run.bytesPerIteration) * 1e6)
        // Spilled, only the summary's scratch columns are in memory: well under 1 GiB at 10⁶.
        #expect(run.peakBytes < 1024 * 1024 * 1024)
        let message = try #require(run.refusal(memory: 1e12, temporaryDisk: 1e6))
        #expect(message.contains("TMPDIR") && message.contains("--shard"))
        #expect(run.refusal(memory: 1e12, temporaryDisk: 1e12) == nil)
        // A temporary folder that is missing or read-only is named before anything runs.
        let unwritable = try #require(run.refusal(memory: 1e12, temporaryDisk: 1e12, temporaryDirectoryWritable: false))
        #expect(unwritable.contains("cannot be written") && unwritable.contains("TMPDIR"))
        #expect(!ResourceEstimate.isWritableDirectory("/nonexistent-\(UUID().uuidString)"))
        #expect(ResourceEstimate.isWritableDirectory(FileManager.default.temporaryDirectory.path))
        // Below the budget nothing spills, so free temporary space does not matter.
        #expect(ResourceEstimate(model: model, iterations: 1_000).refusal(memory: 1e12, temporaryDisk: 0) == nil)
    }

    @Test("The machine's memory and disk are read")
    func machine() {
        let memory = ResourceEstimate.physicalMemory()
        #expect(memory > 1e8 && memory < 1e16)
        #expect((ResourceEstimate.freeDiskSpace(at: NSTemporaryDirectory() + "/no/such/folder") ?? 0) > 0)
        #expect(ResourceEstimate.bytes(1.5e9) == "1.5 GB")
        #expect(ResourceEstimate.bytes(12_000) == "12.0 kB")
        #expect(ResourceEstimate.bytes(500) == "500 bytes")
    }
}

// MARK: - The fuzz corpus and crashers as regression tests

/// Every input in Fuzz/Corpus (the deduplicated corpus) and Fuzz/Crashers (inputs that once
/// crashed) goes through what the fuzz target does: load, and when accepted compile, run
/// the base case and a few iterations, and summarise — without a trap, and printable unless
/// OutputCheck refuses it.
@Suite struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")
    static let separator = "\n#--- baseline.csv\n"

    static func inputs(_ folder: String) -> [URL] {
        let url = fuzz.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
    }

    /// The fuzz target's steps; returns whether the input was accepted.
    @discardableResult
    static func replay(_ data: Data, in folder: URL) throws -> Bool {
        let bytes = [UInt8](data)
        let sep = Array(separator.utf8)
        var yamlBytes = bytes[...], csv: ArraySlice<UInt8>?
        if let at = (0..<Swift.max(0, bytes.count - sep.count + 1)).first(where: { Array(bytes[$0..<($0 + sep.count)]) == sep }) {
            yamlBytes = bytes[..<at]
            csv = bytes[(at + sep.count)...]
        }
        let csvURL = folder.appendingPathComponent("baseline.csv")
        try? FileManager.default.removeItem(at: csvURL)
        if let csv { try Data(csv).write(to: csvURL) }
        let yaml = String(decoding: yamlBytes, as: UTF8.self)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.load(yaml: yaml, file: folder.appendingPathComponent("fuzz.yaml").path,
                                               baseDirectory: folder.path)
        } catch {
            #expect(!error.problems.isEmpty)
            return false
        }
        guard let model = try? CompiledModel(scenario) else { return true }
        guard model.years * (model.authorityCount + model.rowCount + model.functionCount + 1) <= 200_000 else { return true }
        _ = OutputCheck.problems(Summary(model: model, columns: Simulation.baseCase(model)))
        let columns = Simulation.run(model, settings: RunSettings(iterations: 7, seed: 1, threads: 1, blockSize: 4))
        #expect(columns.iterations == 7)
        _ = OutputCheck.problems(Summary(model: model, columns: columns))
        return true
    }

    @Test("The committed corpus and every crasher replay without a trap")
    func replayCorpusAndCrashers() throws {
        let corpus = Self.inputs("Corpus"), crashers = Self.inputs("Crashers")
        #expect(corpus.count >= 50, "Fuzz/Corpus holds \(corpus.count) inputs")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-savings-fuzz-replay-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var accepted = 0
        for url in corpus + crashers {
            if try Self.replay(try Data(contentsOf: url), in: folder) { accepted += 1 }
        }
        // The corpus keeps valid scenarios too, so the model is fuzzed, not just the parser.
        #expect(accepted >= 5, "only \(accepted) corpus inputs are accepted scenarios")
    }

    @Test("Crashers found by fuzzing, written out")
    func knownCrashers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-savings-fuzz-known-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A repeated key after CR-only line ends: the duplicate-key locator indexed lines
        // split at LF only, past the end (Range requires lowerBound <= upperBound).
        try Self.replay(Data("a: 1\rb: 2\rname: x\rname: y\r".utf8), in: folder)
        try Self.replay(Data("name: x\r\nauthorities: []\u{2028}name: y".utf8), in: folder)
    }
}
