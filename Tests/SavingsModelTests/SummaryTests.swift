// MODEL.md §9 and §11 at the level of `Summary`: payback distribution and P(payback ≤ k),
// P(every partner gains), per-year fans, per-partner summaries, Spearman sensitivity and
// the tornado swing — from columns whose values are set by hand.
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Summary over iterations (MODEL.md §9)")
struct SummaryTests {
    @Test("Payback histogram, fans, partners, sensitivity and tornado on hand-set columns")
    func handColumns() throws {
        // One authority, T = 3, one uncertain input (the saving rate); ten copies of the base
        // case, then the columns under test overwritten.
        let s = Scenario(name: "summary", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A")], baseline: [row(0, fte: 1, costPerFTE: 1)],
                         functions: [BackOfficeFunction(name: "finance", saving: .rate(uncertain(try .uniform(min: 0, max: 1), "functions.finance.saving")),
                                                        nonStaffSaving: fixed(0, "ns"), ramp: .immediate, cashableShare: fixed(1, "k"))])
        let model = try CompiledModel(s)
        #expect(model.space.scalarCount == 1)
        let one = Simulation.baseCase(model)
        var c = one
        for _ in 1..<10 { c.append(contentsOf: one) }
        #expect(c.iterations == 10)

        let x: [Double] = (1...10).map(Double.init)
        let npv: [Double] = [-50, 20, 10, 40, 30, 60, 50, 80, 70, 100]
        plant(c.inputs[0], x)
        plant(c.scalars[ScalarMetric.npvFinancial.rawValue], npv)
        plant(c.authorityNPV[0], npv)
        plant(c.scalars[ScalarMetric.paybackYear.rawValue], [0, 2, .nan, 2, 1, .nan, 0, 2, 2, 1])
        plant(c.scalars[ScalarMetric.everyPartnerGains.rawValue], [1, 0, 1, 1, 0, 0, 0, 1, 1, 1])
        plant(c.series[YearlySeries.cashableSavings.rawValue * 3 + 0], x.reversed())
        // Each of the ten iterations is a block of its own (appended base cases): its tally
        // recorded afresh with the cost PV and join year under test (−1: after the horizon).
        #expect(c.blocks == 10)
        let joins = [0, 0, 0, 1, 1, 2, -1, 0, -1, 0], costs: [Double] = [4, 1, 3, 2, 5, 9, 8, 6, 7, 10]
        for k in 0..<10 {
            var cost = [costs[k]], join = [joins[k] < 0 ? 3 : joins[k]]
            cost.withUnsafeMutableBufferPointer { cost in
                join.withUnsafeMutableBufferPointer { c.partners.record(slot: k, first: true, costs: cost, joinYears: $0) }
            }
        }

        let summary = Summary(model: model, columns: c)

        // Payback: year 0 ×2, year 1 ×2, year 2 ×4, none ×2 ⇒ P(≤ 0) = 0.2, P(≤ 1) = 0.4, P(≤ 2) = 0.8.
        #expect(summary.paybackCounts == [2, 2, 4])
        #expect(summary.noPaybackCount == 2)
        expectClose(summary.probabilityPaybackBy, [0.2, 0.4, 0.8])
        // Payback summary over the 8 defined values only: mean (0+2+2+1+0+2+2+1)/8 = 10/8.
        expectClose(try #require(summary.scalars[.paybackYear]).mean, 1.25)
        #expect(summary.scalars[.paybackYear]?.count == 8)

        // P(every partner gains) = 6/10.
        expectClose(summary.probabilityEveryPartnerGains, 0.6)

        // NPV: mean 410/10 = 41; P(> 0) = 9/10; CVaR5 = lowest ⌈0.5⌉ = 1 value = −50.
        let n = try #require(summary.scalars[.npvFinancial])
        expectClose(n.mean, 41)
        expectClose(n.probabilityPositive, 0.9)
        expectClose(n.cvar5, -50)

        // Fan of cashable savings in year 0 over 10, 9, …, 1: mean 5.5; type 7 on 1…10:
        // P10 h = 0.9 ⇒ 1.9; P50 h = 4.5 ⇒ 5.5; P90 h = 8.1 ⇒ 9.1.
        let fan = try #require(summary.fans[.cashableSavings]?[0])
        expectClose([fan.mean, fan.p10, fan.p50, fan.p90], [5.5, 1.9, 5.5, 9.1])

        // Partner: join-year histogram [0: 5, 1: 2, 2: 1], never 2; NPV summary as above.
        let partner = summary.partners[0]
        #expect(partner.joinYearCounts == [5, 2, 1])
        #expect(partner.neverJoinsCount == 2)
        // Mean costs borne: 55/10; the only authority bears all of them.
        expectClose(partner.meanCostsPV, 5.5)
        #expect(partner.costShare == 1)
        expectClose(partner.npv.mean, 41)

        // Sensitivity of the input x = 1…10:
        // Spearman: NPV ranks by x are 1, 3, 2, 5, 4, 7, 6, 9, 8, 10 ⇒ d = 0, ∓1 … ⇒ Σd² = 8;
        // no ties ⇒ ρ = 1 − 6 · 8/(10 · 99) = 1 − 48/990 = 0.951515.
        // Tornado: P10(x) = 1.9 ⇒ {x ≤ 1.9} = {1} ⇒ mean NPV −50; P90(x) = 9.1 ⇒ {x ≥ 9.1} = {10}
        // ⇒ 100; swing = 100 − (−50) = 150.
        let sensitivity = try #require(summary.sensitivity.first)
        #expect(sensitivity.path == "functions.finance.saving")
        expectClose(sensitivity.spearman, 1 - 48.0 / 990, 1e-12)
        expectClose(sensitivity.meanNPVLow, -50)
        expectClose(sensitivity.meanNPVHigh, 100)
        expectClose(sensitivity.tornadoSwing, 150)
    }
}

@Suite("The summary does not depend on its thread count")
struct SummaryThreadTests {
    @Test("1, 2 and 3 threads give the same summary, bit for bit")
    func sameOnAnyThreads() throws {
        let model = try CompiledModel(richScenario())
        let c = Simulation.run(model, settings: RunSettings(iterations: 3_000, seed: 9, threads: 2))
        // Described as text so NaN compares equal to NaN and −0 differs from +0.
        func text(_ s: Summary) -> String {
            let scalars = ScalarMetric.allCases.map { "\($0): \(String(describing: s.scalars[$0]))" }
            let fans = YearlySeries.allCases.map { "\($0): \(String(describing: s.fans[$0]))" }
            return "\(scalars)|\(fans)|\(s.partners)|\(s.sensitivity)|\(s.risks)|\(s.paybackCounts)|\(s.npvHistogram)"
        }
        let one = text(Summary(model: model, columns: c, threads: 1))
        #expect(text(Summary(model: model, columns: c, threads: 2)) == one)
        #expect(text(Summary(model: model, columns: c, threads: 3)) == one)
    }
}

@Suite("Engine consistency on a rich scenario (MODEL.md §2, §8, §11)")
struct EngineConsistencyTests {
    @Test("Per-year identities, one exit-cost draw per iteration, and the copula's Spearman")
    func identities() throws {
        let scenario = try richScenario()
        let model = try CompiledModel(scenario)
        let m = 2_000, T = model.years
        let c = Simulation.run(model, settings: RunSettings(iterations: m, seed: 5, threads: 2))
        func col(_ s: YearlySeries, _ t: Int) -> [Double] { c.series(s, year: t, years: T) }
        let exitCostIndex = try #require(model.space.indexByPath["exit.cost"])
        var exitsSeen = 0
        for it in 0..<m {
            var cumulative = 0.0, exitTotal = 0.0
            for t in 0..<T {
                let total = col(.oneOffCosts, t)[it] + col(.redundancyCosts, t)[it] + col(.ongoingCosts, t)[it]
                    + col(.riskCosts, t)[it] + col(.exitCosts, t)[it]
                // total costs = one-off + redundancy + ongoing + risk + exit (MODEL.md §11, BCR list)
                #expect(close(col(.totalCosts, t)[it], total, 1e-12))
                // net_fin = cashable − all costs; net_econ = net_fin + non-cashable
                let net = col(.cashableSavings, t)[it] - total
                #expect(close(col(.netFinancial, t)[it], net, 1e-9))
                #expect(close(col(.netEconomic, t)[it], net + col(.nonCashableSavings, t)[it], 1e-9))
                cumulative += col(.netFinancial, t)[it]
                #expect(close(col(.cumulativeNetFinancial, t)[it], cumulative, 1e-9))
                exitTotal += col(.exitCosts, t)[it]
            }
            // One draw of exit.cost per iteration, shared by every exit in it (MODEL.md §11).
            let exits = c.scalar(.exits)[it]
            #expect(close(exitTotal, exits * c.inputs[exitCostIndex][it], 1e-12))
            exitsSeen += Int(exits)
        }
        #expect(exitsSeen > 0, "the scenario must exercise exits")
        // Target Spearman 0.5 between the finance saving rate and φ; SE ≈ (1 − ρ²)/√M = 0.017.
        let a = try #require(model.space.indexByPath["functions.finance.saving"])
        let b = try #require(model.space.indexByPath["benefit_realisation"])
        let rho = Statistics.spearman(Array(c.inputs[a]), Array(c.inputs[b]))
        #expect(abs(rho - 0.5) < 5 * 0.75 / Double(m).squareRoot(), "Spearman \(rho)")
    }
}
