// MODEL.md §6 and §11: one-off lines (profile, no profile, per joiner), optimism bias,
// redundancy with attrition and the previous-peak rule, ongoing lines.
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Costs (MODEL.md §6, §11)")
struct CostTests {
    @Test("Profiles from t = 0, shares beyond the horizon dropped, no profile = year 0, uplifted by optimism bias")
    func profiles() throws {
        // "setup" £1,000 with profile [0.5, 0.3, 0.2] in a 2-year horizon: 500, 300 (0.2 dropped).
        // "licence" £400 with no profile: the Scenario type has no optional profile; the loader
        // writes `profile: [1]` for it (ScenarioParser), i.e. all of it in year 0.
        // Optimism bias 10 %: t0 (500 + 400) · 1.1 = 990; t1 300 · 1.1 = 330.
        func s(delay: Double) -> Scenario {
            Scenario(name: "profiles", horizonYears: 2, discounting: noDiscounting,
                     authorities: [authority("A"), authority("B")], baseline: [],
                     functions: [], delay: fixed(delay, "delay"),
                     oneOffCosts: [profiled("setup", 1_000, [0.5, 0.3, 0.2]), profiled("licence", 400, [1])],
                     optimismBias: fixed(0.1, "optimism_bias"))
        }
        let out = try baseCase(s(delay: 0))
        expectClose(out.series(.oneOffCosts), [990, 330])
        expectClose(out.scalar(.oneOffCosts), 1_320)
        expectClose(out.scalar(.npvFinancial), -1_320)
        // Profiles are not shifted by the delay (MODEL.md §11).
        expectClose(try baseCase(s(delay: 1)).series(.oneOffCosts), [990, 330])
    }

    @Test("Per-joiner lines: each joiner in its join year, uplifted, borne by that authority")
    func perJoinerLines() throws {
        // Two per-joiner lines, £100 and £60, optimism bias 25 %: (100 + 60) · 1.25 = 200 per joiner.
        // A joins 0, B joins 2 (T = 3): 200 at t0 and t2; nothing at t1.
        let s = Scenario(name: "pj", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A", joins: 0), authority("B", joins: 2)], baseline: [],
                         functions: [],
                         oneOffCosts: [perJoiner("transition", 100), perJoiner("training", 60)],
                         optimismBias: fixed(0.25, "optimism_bias"))
        let out = try baseCase(s)
        expectClose(out.series(.oneOffCosts), [200, 0, 200])
        // Own costs, not shared: each authority −200.
        expectClose(out.npvs, [-200, -200])
    }

    @Test("Redundancy: only the rise above the previous peak of cashable FTE, net of attrition, uplifted")
    func previousPeak() throws {
        // One authority (min_partners 1), 10 FTE, rate 0.5, κ = 1, steps ramp
        // [0.4, 0.8, 0.2, 0.6, 1.0] ⇒ Rc = 10 · 0.5 · ρ = 2, 4, 1, 3, 5 FTE.
        // Previous peak (starting at 0): 0, 2, 4, 4, 4.
        // ΔR⁺ = max(0, Rc − peak) = 2, 2, 0, 0 (3 < 4: the fall and partial recovery cost nothing), 1.
        // Cost per FTE: £1,000 · (1 − 0.2 attrition) · (1 + 0.5 optimism bias) = £1,200.
        // Redundancy: 2,400, 2,400, 0, 0, 1,200 (total 6,000 = 5 FTE, the maximum ever released).
        let steps: [Double] = [0.4, 0.8, 0.2, 0.6, 1.0]
        let s = Scenario(name: "peak", horizonYears: 5, discounting: noDiscounting,
                         authorities: [authority("A")],
                         baseline: [row(0, fte: 10, costPerFTE: 1_000)],
                         functions: [rateFunction(rate: 0.5, ramp: .steps(steps.enumerated().map { fixed($0.element, "s\($0.offset)") }))],
                         minPartners: 1, workforce: workforce(redundancyPerFTE: 1_000, attrition: 0.2),
                         optimismBias: fixed(0.5, "optimism_bias"))
        let out = try baseCase(s)
        expectClose(out.series(.fteReleased), [2, 4, 1, 3, 5])
        expectClose(out.series(.redundancyCosts), [2_400, 2_400, 0, 0, 1_200])
        expectClose(out.scalar(.redundancyCosts), 6_000)
    }

    @Test("Redundancy peaks are per authority")
    func peakPerAuthority() throws {
        // A joins 0, B joins 1, min_partners 1, linear ramp R = 2, 1 FTE released at full each,
        // £1,000/FTE. A: Rc 0.5, 1, 1 ⇒ 500, 500, 0. B: 0, 0.5, 1 ⇒ 0, 500, 500.
        // A's earlier peak must not absorb B's rise: totals 500, 1,000, 500.
        let s = Scenario(name: "peaks", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A", joins: 0), authority("B", joins: 1)],
                         baseline: [row(0, fte: 10, costPerFTE: 1_000), row(1, fte: 10, costPerFTE: 1_000)],
                         functions: [rateFunction(rate: 0.1, ramp: .linear(years: fixed(2, "R")))],
                         minPartners: 1, workforce: workforce(redundancyPerFTE: 1_000))
        let out = try baseCase(s)
        expectClose(out.series(.redundancyCosts), [500, 1_000, 500])
    }

    /// Every kind of cost at once. A and B fixed at 0, delay 1 ⇒ both join at t = 1. T = 3.
    /// Each: 10 FTE × £1,000, rate 10 % ⇒ £1,000 and 1 FTE a year.
    /// Exit h = 0.5 with the base-case uniform 0.5 ⇒ G = ⌈ln 0.5/ln 0.5⌉ − 1 = 0 ⇒ E = 0 + 1 + 1 + 0 = 2.
    /// Risk p = 0.6 with the base-case uniform 0.5 > 1 − 0.6 ⇒ strikes every year.
    func everyCost(optimismBias: Double) -> Scenario {
        Scenario(name: "ob", horizonYears: 3, discounting: noDiscounting,
                 authorities: [authority("A"), authority("B")],
                 baseline: [row(0, fte: 10, costPerFTE: 1_000), row(1, fte: 10, costPerFTE: 1_000)],
                 functions: [rateFunction(rate: 0.1)],
                 delay: fixed(1, "delay"), delayCostPerYear: fixed(500, "delay_cost_per_year"),
                 exit: ExitRule(annualHazard: fixed(0.5, "exit.h"), cost: fixed(700, "exit.cost")),
                 workforce: workforce(redundancyPerFTE: 1_000),
                 oneOffCosts: [profiled("ict", 1_000, [1]), perJoiner("transition", 100)],
                 ongoingCosts: [annual("client", 300), perMember("licence", 10)],
                 optimismBias: fixed(optimismBias, "optimism_bias"),
                 risks: [RiskEvent(name: "outage", annualProbability: fixed(0.6, "risk.p"), cost: fixed(400, "risk.cost"))])
    }

    @Test("Optimism bias uplifts one-off lines, per-joiner and redundancy only")
    func optimismBiasScope() throws {
        // With optimism bias 50 %:
        //  t0: ict 1,000 · 1.5 = 1,500; delay 500 · 1 (not uplifted); risk 400          ⇒ 2,400
        //  t1: per-joiner 2 · 100 · 1.5 = 300; redundancy 2 FTE · 1,000 · 1.5 = 3,000;
        //      ongoing annual 300 (first operating year) + 2 members · 10 = 320; risk 400 ⇒ 4,020
        //  t2: both exited (E = 2) ⇒ no members; ongoing annual 300 (runs to the end); risk 400;
        //      exit 2 · 700 = 1,400 (not uplifted)                                       ⇒ 2,100
        let out = try baseCase(everyCost(optimismBias: 0.5))
        expectClose(out.series(.members), [0, 2, 0])
        expectClose(out.series(.oneOffCosts), [2_000, 300, 0])   // lines + per-joiner + delay
        expectClose(out.series(.redundancyCosts), [0, 3_000, 0])
        expectClose(out.series(.ongoingCosts), [0, 320, 300])
        expectClose(out.series(.riskCosts), [400, 400, 400])
        expectClose(out.series(.exitCosts), [0, 0, 1_400])
        expectClose(out.series(.totalCosts), [2_400, 4_020, 2_100])
        expectClose(out.scalar(.totalCosts), 8_520)
        expectClose(out.scalar(.oneOffCosts), 5_300)  // 2,000 + 300 + 3,000 (redundancy included)
        // Savings 2,000 at t1 only ⇒ NPV = 2,000 − 8,520 = −6,520.
        expectClose(out.scalar(.npvFinancial), -6_520)

        // Without optimism bias: 1,000 + 200 + 2,000 uplifted parts, the rest as above:
        // 1,000 + 500 + 200 + 2,000 + 320 + 300 + 1,200 + 1,400 = 6,920; the difference is
        // exactly 0.5 × (1,000 + 200 + 2,000) = 1,600.
        let plain = try baseCase(everyCost(optimismBias: 0))
        expectClose(plain.scalar(.totalCosts), 6_920)
        expectClose(out.scalar(.totalCosts) - plain.scalar(.totalCosts), 1_600)
    }
}
