// MODEL.md §8 and §11: per-authority NPV = own cashable savings − own per-joiner and
// redundancy costs − its share of shared costs, split over A(t) (or the earliest-joining
// cohort when A(t) is empty) by the cost-sharing weights; Σᵢ npvᵢ = npv_financial.
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Per-authority apportionment (MODEL.md §8, §11)")
struct ApportionmentTests {
    /// A: 10 FTE × £1,000, no non-staff ⇒ Bᵢ = 10,000; population 100; joins 1.
    /// B: 30 FTE × £1,000 + £10,000 non-staff ⇒ Bᵢ = 40,000; population 300; joins 1.
    /// C: 20 FTE × £2,500 ⇒ Bᵢ = 50,000; population 600; joins 2.
    /// Rate 10 % on staff ⇒ A saves 1,000, B 3,000, C 5,000 a year once operating.
    /// Shared: profile £1,000 [0.6, 0.4] ⇒ 600 at t0, 400 at t1; ongoing annual £300 from the
    /// first operating year (t1). Own: per-joiner £50 in each join year. r = 0, T = 3.
    ///
    /// t0: nobody is a member ⇒ the 600 goes to the earliest-joining cohort {A, B} (join year 1).
    /// t1: A(1) = {A, B}: shared 400 + 300 = 700.
    /// t2: A(2) = {A, B, C}: shared 300.
    /// Own: A 2 · 1,000 − 50 = 1,950; B 2 · 3,000 − 50 = 5,950; C 5,000 − 50 = 4,950.
    /// npv_financial = 13,000 − 150 − 1,600 = 11,250 whatever the mode.
    func scenario(_ sharing: CostSharing) -> Scenario {
        Scenario(name: "shares", horizonYears: 3, discounting: noDiscounting,
                 authorities: [authority("A", joins: 1, population: 100),
                               authority("B", joins: 1, population: 300),
                               authority("C", joins: 2, population: 600)],
                 baseline: [row(0, fte: 10, costPerFTE: 1_000),
                            row(1, fte: 30, costPerFTE: 1_000, nonStaff: 10_000),
                            row(2, fte: 20, costPerFTE: 2_500)],
                 functions: [rateFunction(rate: 0.1)],
                 oneOffCosts: [profiled("ict", 1_000, [0.6, 0.4]), perJoiner("transition", 50)],
                 ongoingCosts: [annual("client", 300)], costSharing: sharing)
    }

    static let cases: [(CostSharing, [Double])] = [
        // baseline Bᵢ 10,000 : 40,000 : 50,000.
        //   t0 {A,B} 1/5, 4/5 of 600 ⇒ 120, 480; t1 of 700 ⇒ 140, 560; t2 of 300 ⇒ 30, 120, 150.
        //   A 1,950 − 290 = 1,660; B 5,950 − 1,160 = 4,790; C 4,950 − 150 = 4,800.
        (.baseline, [1_660, 4_790, 4_800]),
        // equal: t0 300 each; t1 350 each; t2 100 each.
        //   A 1,950 − 750 = 1,200; B 5,950 − 750 = 5,200; C 4,950 − 100 = 4,850.
        (.equal, [1_200, 5_200, 4_850]),
        // population 100 : 300 : 600. t0 1/4, 3/4 ⇒ 150, 450; t1 175, 525; t2 30, 90, 180.
        //   A 1,950 − 355 = 1,595; B 5,950 − 1,065 = 4,885; C 4,950 − 180 = 4,770.
        (.population, [1_595, 4_885, 4_770]),
        // fte 10 : 30 : 20. t0 150, 450; t1 175, 525; t2 300 · 10/60, 30/60, 20/60 = 50, 150, 100.
        //   A 1,950 − 375 = 1,575; B 5,950 − 1,125 = 4,825; C 4,950 − 100 = 4,850.
        (.fte, [1_575, 4_825, 4_850]),
        // weights [0, 0, 1]: {A,B} sum to 0 ⇒ split equally at t0 (300 each) and t1 (350 each);
        //   t2 all 300 to C. A 1,950 − 650 = 1,300; B 5,950 − 650 = 5,300; C 4,950 − 300 = 4,650.
        (.weights([0, 0, 1]), [1_300, 5_300, 4_650]),
        // weights [2, 1, 1]: t0 400, 200; t1 466.67, 233.33; t2 150, 75, 75.
        //   A 1,950 − 1,016.67 = 933.33; B 5,950 − 508.33 = 5,441.67; C 4,950 − 75 = 4,875.
        (.weights([2, 1, 1]), [1_950 - 400 - 1_400.0 / 3 - 150, 5_950 - 200 - 700.0 / 3 - 75, 4_875]),
    ]

    @Test("Every cost-sharing mode by hand, including a year with no members", arguments: cases)
    func modes(sharing: CostSharing, expected: [Double]) throws {
        let out = try baseCase(scenario(sharing))
        expectClose(out.series(.members), [0, 2, 3])
        expectClose(out.scalar(.npvFinancial), 11_250)
        expectClose(out.npvs, expected, 1e-9, "\(sharing)")
        expectClose(out.npvs.reduce(0, +), 11_250, 1e-12, "conservation")
        // Every partner's NPV is positive in every mode here.
        expectClose(out.scalar(.everyPartnerGains), 1)
    }

    @Test("P(every partner gains) counts only authorities that join within the horizon")
    func everyPartnerGains() throws {
        // A, B join 0 and save £1,000 a year each; C joins in year 5 (T = 3) and, never being a
        // member while A(t) is non-empty, bears nothing (npv 0, not > 0). Only A and B count ⇒ 1.
        // Add a per-joiner line of £2,500 and A and B each end at 3,000 − 2,500 = 500 > 0 still.
        var s = Scenario(name: "gain", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C", joins: 5)],
                         baseline: (0..<3).map { row($0, fte: 10, costPerFTE: 1_000) },
                         functions: [rateFunction(rate: 0.1)], oneOffCosts: [perJoiner("t", 2_500)])
        var out = try baseCase(s)
        expectClose(out.npvs, [500, 500, 0])
        expectClose(out.scalar(.everyPartnerGains), 1)
        // £3,500 per joiner: A and B at −500 ⇒ 0.
        s.oneOffCosts = [perJoiner("t", 3_500)]
        out = try baseCase(s)
        expectClose(out.scalar(.everyPartnerGains), 0)
    }

    @Test("Baseline weights are Bᵢ(t), growing with pay")
    func baselineGrowth() throws {
        // A: £10,000 staff + £10,000 non-staff; B: £20,000 staff; g = 10 %; no savings.
        // Shared £430 at t0 and t1 (profile [0.5, 0.5] of 860).
        // t0: B_A = 20,000, B_B = 20,000 ⇒ 215 each.
        // t1: B_A = 11,000 + 10,000 = 21,000, B_B = 22,000 ⇒ 430 · 21/43 = 210, 430 · 22/43 = 220.
        // A −425, B −435.
        let s = Scenario(name: "growth", horizonYears: 2, discounting: noDiscounting,
                         realPayGrowth: fixed(0.1, "g"),
                         authorities: [authority("A"), authority("B")],
                         baseline: [row(0, fte: 10, costPerFTE: 1_000, nonStaff: 10_000), row(1, fte: 20, costPerFTE: 1_000)],
                         functions: [rateFunction(rate: 0)],
                         oneOffCosts: [profiled("ict", 860, [0.5, 0.5])])
        expectClose(try baseCase(s).npvs, [-425, -435])
    }

    @Test("No members and no one joins within the horizon: the earliest joiners still bear the cost")
    func earliestCohortBeyondHorizon() throws {
        // A joins 5, B joins 7, T = 3: A(t) is empty every year; earliest join year 5 ⇒ A bears
        // the whole £900.
        let s = Scenario(name: "late", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A", joins: 5), authority("B", joins: 7)],
                         baseline: [row(0, fte: 1, costPerFTE: 1), row(1, fte: 1, costPerFTE: 1)],
                         functions: [rateFunction(rate: 0.1)],
                         oneOffCosts: [profiled("ict", 900, [1])])
        let out = try baseCase(s)
        expectClose(out.npvs, [-900, 0])
        expectClose(out.scalar(.npvFinancial), -900)
        expectClose(out.scalar(.everyPartnerGains), 0)
        expectClose(out.scalar(.membersJoined), 0)
    }

    static let allModes: [CostSharing] = [.baseline, .equal, .population, .fte, .weights([3, 0, 1, 0, 2]), .weights([0, 0, 0, 0, 0])]

    @Test("Σᵢ npvᵢ = npv_financial to 1e-9 over random iterations, every mode and horizon", arguments: allModes)
    func conservation(sharing: CostSharing) throws {
        // Horizons 1, 4 and 10 check the identity on every prefix of years that matters here.
        for horizon in [1, 4, 10] {
            let model = try CompiledModel(richScenario(costSharing: sharing, horizon: horizon))
            let c = Simulation.run(model, settings: RunSettings(iterations: 200, seed: 31, threads: 2, blockSize: 100))
            let npv = c.scalar(.npvFinancial), scale = zip(c.scalar(.pvCashableSavings), c.scalar(.pvCosts)).map { $0 + $1 }
            var worst = 0.0
            for it in 0..<c.iterations {
                var sum = 0.0
                for i in 0..<model.authorityCount { sum += c.authorityNPV[i][it] }
                worst = Swift.max(worst, abs(sum - npv[it]) / Swift.max(1, scale[it]))
            }
            #expect(worst <= 1e-9, "\(sharing), T = \(horizon): worst relative gap \(worst)")
        }
    }
}
