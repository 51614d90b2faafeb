// MODEL.md §7 and §11: independent annual risk events, shared cost in the year, savings
// factor multiplying φ from that year on (compounding), event frequency.
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Risk events (MODEL.md §7, §11)")
struct RiskTests {
    @Test("Cost in the year; savings_factor from that year on, compounding, never refunding redundancy")
    func chosenEvents() throws {
        // Two members, each £10,000 staff, rate 10 %, φ = 0.8 ⇒ 800 and 0.8 FTE each a year at
        // factor 1; together 1,600 and 1.6 FTE. Redundancy £100/FTE.
        // Risk 0 "outage": p = 0.3, cost 500, factor 0.5; strikes when u > 1 − 0.3 = 0.7:
        //   uniforms t0 0.1, t1 0.9, t2 0.1, t3 0.8 ⇒ strikes at t1 and t3.
        // Risk 1 "drift": p = 0.3, no cost, factor 0.9; uniforms 0.1, 0.1, 0.1, 0.95 ⇒ t3 only.
        // Factor: t0 1; t1 0.5; t2 0.5; t3 0.5 · 0.5 · 0.9 = 0.225.
        let s = Scenario(name: "risk", horizonYears: 4, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B")],
                         baseline: [row(0, fte: 10, costPerFTE: 1_000), row(1, fte: 10, costPerFTE: 1_000)],
                         functions: [rateFunction(rate: 0.1)],
                         benefitRealisation: fixed(0.8, "benefit_realisation"),
                         workforce: workforce(redundancyPerFTE: 100),
                         risks: [RiskEvent(name: "outage", annualProbability: fixed(0.3, "r0.p"),
                                           cost: fixed(500, "r0.cost"), savingsFactor: fixed(0.5, "r0.f")),
                                 RiskEvent(name: "drift", annualProbability: fixed(0.3, "r1.p"),
                                           savingsFactor: fixed(0.9, "r1.f"))])
        let out = try evaluate(s, risk: [[0.1, 0.9, 0.1, 0.8], [0.1, 0.1, 0.1, 0.95]])
        // Savings 1,600 · factor: 1,600, 800, 800, 360; FTE 1.6, 0.8, 0.8, 0.36.
        expectClose(out.series(.cashableSavings), [1_600, 800, 800, 360])
        expectClose(out.series(.fteReleased), [1.6, 0.8, 0.8, 0.36])
        expectClose(out.series(.riskCosts), [0, 500, 0, 500])
        // Redundancy only at t0 (1.6 FTE · 100 = 160); later falls refund nothing.
        expectClose(out.series(.redundancyCosts), [160, 0, 0, 0])
        expectClose(out.scalar(.riskEvents), 3)
        // NPV = 3,560 − 160 − 1,000 = 2,400.
        expectClose(out.scalar(.npvFinancial), 2_400)
    }

    @Test("An event can strike in year 0")
    func yearZero() throws {
        let s = Scenario(name: "r0", horizonYears: 2, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B")], baseline: [], functions: [],
                         risks: [RiskEvent(name: "x", annualProbability: fixed(0.1, "p"), cost: fixed(70, "c"))])
        let out = try evaluate(s, risk: [[0.95, 0.2]])
        expectClose(out.series(.riskCosts), [70, 0])
    }

    @Test("Base case: an event occurs iff p > 0.5 (the median of Bernoulli(p))")
    func baseCaseRule() throws {
        func s(_ p: Double) -> Scenario {
            Scenario(name: "rb", horizonYears: 3, discounting: noDiscounting,
                     authorities: [authority("A")], baseline: [], functions: [],
                     risks: [RiskEvent(name: "x", annualProbability: fixed(p, "p"), cost: fixed(10, "c"))])
        }
        expectClose(try baseCase(s(0.5)).series(.riskCosts), [0, 0, 0])
        expectClose(try baseCase(s(0.51)).series(.riskCosts), [10, 10, 10])
    }

    @Test("Simulated frequency: E[events] = T · Σ p within 5 SE; per year ≈ p")
    func frequency() throws {
        // Risks p₁ = 0.2 (cost 1) and p₂ = 0.35 (no cost), T = 5, M = 4,000.
        // E[count] = 5 · 0.55 = 2.75; Var = 5 · (0.2 · 0.8 + 0.35 · 0.65) = 1.9375 ⇒ SE = √(1.9375/M).
        // Risk cost in year t is 1 with probability 0.2: mean 0.2, SE = √(0.16/M).
        let s = Scenario(name: "rf", horizonYears: 5, discounting: noDiscounting,
                         authorities: [authority("A")], baseline: [], functions: [],
                         risks: [RiskEvent(name: "a", annualProbability: fixed(0.2, "a.p"), cost: fixed(1, "a.c")),
                                 RiskEvent(name: "b", annualProbability: fixed(0.35, "b.p"), savingsFactor: fixed(0.9, "b.f"))])
        let m = 4_000
        let columns = Simulation.run(try CompiledModel(s), settings: RunSettings(iterations: m, seed: 7, threads: 2))
        let mean = Statistics.mean(columns.scalar(.riskEvents))
        #expect(abs(mean - 2.75) < 5 * (1.9375 / Double(m)).squareRoot(), "mean events \(mean)")
        for t in 0..<5 {
            let p = Statistics.mean(columns.series(.riskCosts, year: t, years: 5))
            #expect(abs(p - 0.2) < 5 * (0.16 / Double(m)).squareRoot(), "year \(t): \(p)")
        }
    }
}
