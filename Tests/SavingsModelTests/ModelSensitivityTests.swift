// Sobol indices and the value of information on a compiled scenario (the wiring to
// PointEvaluator, the event groups and the Monte Carlo columns).
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

struct ModelSensitivityTests {
    @Test func sobolOnAScenarioIsIdenticalForAnyThreadCountAndCoversEveryGroup() throws {
        let model = try CompiledModel(try richScenario())
        func run(_ threads: Int) -> SobolResult {
            SobolIndices.estimate(model: model, metric: .npvFinancial,
                                  settings: SobolSettings(baseSamples: 300, bootstrap: 30, seed: 8, threads: threads))
        }
        let one = run(1), two = run(2)
        #expect(one.indices == two.indices && one.variance == two.variance)
        let names = one.indices.map(\.group)
        #expect(names == model.space.scalars.map(\.path) + ["adoption timing", "partner exits", "risk events"])
        #expect(one.nonFiniteEvaluations == 0 && one.variance > 0)
        #expect(one.evaluations == 300 * (names.count + 2))
        for i in one.indices {
            #expect(i.total.isFinite && i.total >= 0, "a total index is a mean of squares: \(i.group)")
            #expect(i.totalLow <= i.totalHigh)
        }
    }

    /// A metric that is undefined in some futures (payback never reached) is reported as
    /// such, not turned into numbers.
    @Test func anUndefinedMetricGivesNoIndices() throws {
        let model = try CompiledModel(try richScenario(horizon: 2))
        let r = SobolIndices.estimate(model: model, metric: .paybackYear,
                                      settings: SobolSettings(baseSamples: 64, bootstrap: 20, seed: 1, threads: 1))
        #expect(r.nonFiniteEvaluations > 0, "two years are too short to pay back in some futures")
        #expect(r.variance.isNaN)
        #expect(r.indices.allSatisfy { $0.firstOrder.isNaN && $0.total.isNaN && $0.firstOrderLow.isNaN })
    }

    @Test func valueOfInformationOnAScenarioRespectsItsBounds() throws {
        let model = try CompiledModel(try richScenario())
        let columns = Simulation.run(model, settings: RunSettings(iterations: 3_000, seed: 2, threads: 2))
        let study = ValueOfInformationStudy(model: model, columns: columns, metric: .npvFinancial)
        #expect(study.iterations == 3_000)
        #expect(study.evpi >= 0)
        #expect(study.inputs.count == model.space.scalarCount)
        for i in study.inputs { #expect(i.evppi.value >= 0 && i.evppi.value <= study.evpi) }
        #expect(study.partners.map(\.authority) == ["Ashby", "Barton", "Carlton", "Dunmore", "Elton"])
        #expect(study.partners.allSatisfy { $0.evpi >= 0 })
        // The EVPI by its definition, computed here independently.
        let npv = columns.scalar(.npvFinancial)
        let perfect = npv.reduce(0) { $0 + max($1, 0) } / Double(npv.count)
        let now = max(npv.reduce(0, +) / Double(npv.count), 0)
        #expect(abs(study.evpi - (perfect - now)) <= 1e-9 * max(1, abs(perfect)))
    }
}
