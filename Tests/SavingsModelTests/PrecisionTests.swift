// Precision stopping (docs/reproducibility.md §7): the run stops at the smallest number of
// whole blocks whose results meet the target, decided in block order, so it is the same for
// any thread count and equals a plain run of that many iterations.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

private func bits(_ c: SimulationColumns) -> [[UInt64]] {
    let columns: [[UInt64]] = c.scalars.map { $0.map(\.bitPattern) } + c.series.map { $0.map(\.bitPattern) }
        + c.authorityNPV.map { $0.map(\.bitPattern) } + c.inputs.map { $0.map(\.bitPattern) }
        + c.riskOccurrences.map { $0.map(\.bitPattern) }
    return columns + [tallyBytes(c).map(UInt64.init)]
}

@Suite("Precision stopping")
struct PrecisionTests {
    static let blockSize = 200

    static func settings(_ method: SamplingMethod, iterations: Int = 12_000, threads: Int) -> RunSettings {
        RunSettings(iterations: iterations, seed: 20_261_122, sampling: method, threads: threads, blockSize: blockSize)
    }

    @Test("The same blocks and outcome for 1 and 2 threads, and the same columns as a plain run of that length",
          arguments: [(SamplingMethod.monteCarlo, PrecisionTarget.Statistic.mean),
                      (.sobol, .mean), (.latinHypercube, .percentile(90))])
    func reproducible(method: SamplingMethod, statistic: PrecisionTarget.Statistic) throws {
        let model = try CompiledModel(richScenario())
        let target = PrecisionTarget(percent: 5, statistic: statistic)
        let (one, outcome) = Simulation.run(model, settings: Self.settings(method, threads: 1), precision: target)
        let (two, outcome2) = Simulation.run(model, settings: Self.settings(method, threads: 2), precision: target)
        #expect(outcome == outcome2)
        let sameThreads = bits(one) == bits(two)
        #expect(sameThreads, "1 and 2 threads differ")
        #expect(outcome.met, "target \(target.percentText) not met within 12,000 iterations: \(outcome.measure)")
        #expect(outcome.iterations == outcome.blocks * Self.blockSize && one.iterations == outcome.iterations)
        #expect(outcome.blocks < 60, "stopped before the maximum")
        // The measure the run stopped on is the measure of the columns it kept.
        #expect(outcome.measure == PrecisionMeasure.of(statistic, values: one.scalar(.npvFinancial),
                                                       blockSize: Self.blockSize, sampling: method))
        let plain = Simulation.run(model, settings: Self.settings(method, iterations: outcome.iterations, threads: 2))
        let samePlain = bits(plain) == bits(one)
        #expect(samePlain, "differs from a plain run of \(outcome.iterations) iterations")
    }

    @Test("It stops at the smallest qualifying k: every shorter prefix (from the minimum on) misses the target")
    func smallestK() throws {
        let model = try CompiledModel(richScenario())
        for (method, percent) in [(SamplingMethod.monteCarlo, 5.0), (.sobol, 2.0)] {
            let target = PrecisionTarget(percent: percent)
            let (_, outcome) = Simulation.run(model, settings: Self.settings(method, threads: 2), precision: target)
            let full = Simulation.run(model, settings: Self.settings(method, threads: 2)).scalar(.npvFinancial)
            let minimum = PrecisionTarget.minimumBlocks(for: method)
            #expect(outcome.blocks > minimum && outcome.met, "\(method): \(outcome.blocks) blocks")
            for k in minimum..<outcome.blocks {
                let m = PrecisionMeasure.of(.mean, values: Array(full[0..<(k * Self.blockSize)]), blockSize: Self.blockSize, sampling: method)
                #expect(!m.meets(target), "\(method): \(k) blocks already meet the target (\(m.relative))")
            }
            let m = PrecisionMeasure.of(.mean, values: Array(full[0..<(outcome.blocks * Self.blockSize)]),
                                        blockSize: Self.blockSize, sampling: method)
            #expect(m == outcome.measure && m.meets(target))
        }
    }

    @Test("A looser target stops earlier; a generous one stops at the documented minimum")
    func looser() throws {
        let model = try CompiledModel(richScenario())
        let tight = Simulation.run(model, settings: Self.settings(.monteCarlo, threads: 2), precision: PrecisionTarget(percent: 4)).1
        let loose = Simulation.run(model, settings: Self.settings(.monteCarlo, threads: 2), precision: PrecisionTarget(percent: 8)).1
        #expect(loose.blocks < tight.blocks, "8 %: \(loose.blocks) blocks, 4 %: \(tight.blocks)")
        for method in SamplingMethod.allCases {
            let generous = Simulation.run(model, settings: Self.settings(method, threads: 2), precision: PrecisionTarget(percent: 99)).1
            #expect(generous.blocks == PrecisionTarget.minimumBlocks(for: method) && generous.met)
        }
        #expect(PrecisionTarget.minimumBlocks(for: .monteCarlo) == 4 && PrecisionTarget.minimumBlocks(for: .sobol) == 10)
    }

    @Test("When the maximum comes first the run is complete and says the target was not reached")
    func notReached() throws {
        let model = try CompiledModel(richScenario())
        // 1,050 iterations: five full blocks and a short one of 50.
        let settings = Self.settings(.monteCarlo, iterations: 1_050, threads: 2)
        let (columns, outcome) = Simulation.run(model, settings: settings, precision: PrecisionTarget(percent: 0.001))
        #expect(!outcome.met)
        #expect(outcome.blocks == 6 && outcome.iterations == 1_050 && columns.iterations == 1_050 && outcome.maximumIterations == 1_050)
        #expect(outcome.measure.relative > 0.00001)
        let plain = bits(Simulation.run(model, settings: settings)) == bits(columns)
        #expect(plain)
        // Fewer blocks than the minimum: all of them are run and judged.
        let short = Simulation.run(model, settings: Self.settings(.monteCarlo, iterations: 300, threads: 1),
                                   precision: PrecisionTarget(percent: 0.001)).1
        #expect(short.blocks == 2 && short.iterations == 300 && !short.met)
    }

    @Test("The measures, by hand")
    func byHand() {
        // Mean 2.5, sd √(5/3), se √(5/3)/2 = 0.6455; relative 0.2582.
        let mc = PrecisionMeasure.of(.mean, values: [1, 2, 3, 4], blockSize: 2, sampling: .monteCarlo)
        #expect(mc.estimate == 2.5)
        #expect(abs(mc.uncertainty - (5.0 / 3.0).squareRoot() / 2) < 1e-15)
        #expect(abs(mc.relative - 0.258_198_889_747_161_1) < 1e-12)
        #expect(mc.meets(PrecisionTarget(percent: 26)) && !mc.meets(PrecisionTarget(percent: 25)))
        // Between blocks: block means 1.5 and 3.5 around 2.5, weights ½: √(2 · (¼ + ¼)) = 1,
        // widened by t(0.975, 1 degree of freedom) / 1.96; with one degree of freedom t is the
        // Cauchy distribution, whose quantile is tan(π(p − ½)).
        let widen = tan(Double.pi * 0.475) / 1.959_963_984_540_054   // 6.4829
        let blocks = PrecisionMeasure.of(.mean, values: [1, 2, 3, 4], blockSize: 2, sampling: .sobol)
        #expect(blocks.estimate == 2.5 && abs(blocks.uncertainty - widen) < 1e-9)
        // Unequal blocks [1, 2, 3] and [7]: means 2 and 7, overall 3.25, weights ¾ and ¼:
        // √(2 · ((9/16)(1.5625) + (1/16)(14.0625))) = √3.515625 = 1.875.
        let unequal = PrecisionMeasure.of(.mean, values: [1, 2, 3, 7], blockSize: 3, sampling: .latinHypercube)
        #expect(unequal.estimate == 3.25 && abs(unequal.uncertainty - 1.875 * widen) < 1e-9)
        // Ten equal blocks: t(0.975, 9) = 2.262157 (tables), so the widening is 1.1542.
        let ten = (0..<10).flatMap { b in [Double(b), Double(b) + 1] }   // block means b + ½
        let tenBlocks = PrecisionMeasure.of(.mean, values: ten, blockSize: 2, sampling: .sobol)
        let sdOfMeans = (82.5 / 9).squareRoot()   // block means 0.5 … 9.5 around 5: Σ(x − 5)² = 82.5
        #expect(abs(tenBlocks.uncertainty - sdOfMeans / 10.0.squareRoot() * 2.262_157_163 / 1.959_963_985) < 1e-6)
        // P50 of 1 … 100: type 7 gives 50.5; the 95 % ranks are ⌊50 − 9.8⌋ = 40 and ⌈50 + 9.8⌉ = 60.
        let p50 = PrecisionMeasure.of(.percentile(50), values: (1...100).map(Double.init).reversed(), blockSize: 1000, sampling: .monteCarlo)
        #expect(p50.estimate == 50.5 && p50.uncertainty == 10)
        // P10 of 1 … 100: ranks ⌊10 − 5.88⌋ = 4 and ⌈10 + 5.88⌉ = 16, half-width 6.
        let p10 = PrecisionMeasure.of(.percentile(10), values: (1...100).map(Double.init), blockSize: 1000, sampling: .monteCarlo)
        #expect(abs(p10.estimate - 10.9) < 1e-12 && p10.uncertainty == 6)
        // A constant result meets any target; a zero estimate with spread meets none.
        #expect(PrecisionMeasure.of(.mean, values: [5, 5, 5], blockSize: 2, sampling: .monteCarlo).meets(PrecisionTarget(percent: 0.001)))
        #expect(!PrecisionMeasure(estimate: 0, uncertainty: 1).meets(PrecisionTarget(percent: 99)))
    }

    @Test("Targets parse from the command line's text", arguments: [
        ("0.5%", 0.5 as Double?), ("1%", 1), ("99.9%", 99.9), ("0.5", nil), ("0%", nil), ("100%", nil), ("-1%", nil),
        ("%", nil), ("nan%", nil), ("half%", nil),
    ])
    func parsing(text: String, percent: Double?) {
        #expect(PrecisionTarget(percentText: text)?.percent == percent)
        if let percent { #expect(PrecisionTarget(percent: percent).percentText == text) }
    }

    @Test("Statistics parse: mean and p1 … p99")
    func statistics() {
        #expect(PrecisionTarget.Statistic("mean") == .mean)
        #expect(PrecisionTarget.Statistic("p10") == .percentile(10) && PrecisionTarget.Statistic("P90") == .percentile(90))
        for bad in ["p0", "p100", "p", "p+5", "p10.5", "median", ""] { #expect(PrecisionTarget.Statistic(bad) == nil, "\(bad)") }
    }

    @Test("Sobol sampling is refused beyond GSL's 40 dimensions, with the count, the limit and the fix")
    func sobolLimit() throws {
        var scenario = try richScenario()
        let model = try CompiledModel(scenario)
        #expect(Simulation.samplingProblem(model, settings: Self.settings(.sobol, threads: 1)) == nil)
        #expect(Simulation.samplingProblem(model, settings: Self.settings(.monteCarlo, threads: 1)) == nil)
        // 45 uncertain one-off costs on top.
        for j in 0..<45 {
            scenario.oneOffCosts.append(OneOffCost(name: "cost\(j)", charge: .profiled(
                amount: uncertain(try .uniform(min: 1, max: 2), "one_off_costs.cost\(j).amount"), profile: [1])))
        }
        let big = try CompiledModel(scenario)
        let count = big.space.scalarCount
        #expect(count > 40)
        let problem = try #require(Simulation.samplingProblem(big, settings: Self.settings(.sobol, threads: 1)))
        #expect(problem.contains("\(count) uncertain inputs") && problem.contains("at most 40") && problem.contains("latin-hypercube"))
        #expect(Simulation.samplingProblem(big, settings: Self.settings(.latinHypercube, threads: 1)) == nil)
    }
}
