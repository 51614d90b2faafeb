// MODEL.md §8 and §11: NPVs, payback (undiscounted and discounted, "not within horizon"),
// BCR = PV(cashable)/PV(all costs).
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Outputs of one iteration (MODEL.md §8, §11)")
struct OutputTests {
    /// Two members from t0, £1,000 cashable each a year ⇒ 2,000 a year; one-off `cost` in
    /// year 0; r = 10 %; T = 4; κ given.
    func scenario(cost: Double?, cashable: Double = 1) -> Scenario {
        Scenario(name: "out", horizonYears: 4, discounting: .constant(rate: 0.1),
                 authorities: [authority("A"), authority("B")],
                 baseline: [row(0, fte: 10, costPerFTE: 1_000), row(1, fte: 10, costPerFTE: 1_000)],
                 functions: [rateFunction(rate: 0.1 / cashable, cashable: cashable)],
                 oneOffCosts: cost.map { [profiled("setup", $0, [1])] } ?? [])
    }

    @Test("NPV, payback, discounted payback and BCR by hand")
    func handWorked() throws {
        // Net: −1,900, 2,000, 2,000, 2,000. DF = 1, 1/1.1, 1/1.21, 1/1.331.
        // PV(cashable) = 2,000 + 1,818.1818 + 1,652.8926 + 1,502.6296 = 6,973.7040
        // PV(costs) = 3,900
        // npv = 6,973.7040 − 3,900 = 3,073.7040; BCR = 6,973.7040/3,900 = 1.788129.
        // Cumulative net −1,900, 100 ⇒ payback year 1.
        // Cumulative discounted −1,900, −81.82, 1,571.07 ⇒ discounted payback year 2.
        let out = try baseCase(scenario(cost: 3_900))
        expectClose(out.scalar(.npvFinancial), 3_073.703982, 1e-9)
        expectClose(out.scalar(.npvEconomic), 3_073.703982, 1e-9)
        expectClose(out.scalar(.pvCashableSavings), 6_973.703982, 1e-9)
        expectClose(out.scalar(.pvCosts), 3_900)
        expectClose(out.scalar(.bcr), 1.788129, 1e-6)
        #expect(out.scalar(.paybackYear) == 1)
        #expect(out.scalar(.discountedPaybackYear) == 2)
        expectClose(out.series(.netFinancial), [-1_900, 2_000, 2_000, 2_000])
        expectClose(out.series(.cumulativeNetFinancial), [-1_900, 100, 2_100, 4_100])
        expectClose(out.series(.discountedNetFinancial), [-1_900, 1_818.181818, 1_652.892562, 1_502.629602], 1e-9)
        expectClose(out.series(.cumulativeDiscountedNetFinancial), [-1_900, -81.818182, 1_571.074380, 3_073.703982], 1e-8)
        expectClose(out.scalar(.cumulativeNetFinancial), 4_100)
    }

    @Test("npv_economic adds the present value of non-cashable savings")
    func economic() throws {
        // κ = 0.5 with the rate doubled to 0.2: total saving 4,000 a year, cashable 2,000 as
        // before, non-cashable 2,000 a year. npv_economic − npv_financial = PV(2,000 a year)
        // = 6,973.7040.
        let out = try baseCase(scenario(cost: 3_900, cashable: 0.5))
        expectClose(out.scalar(.npvFinancial), 3_073.703982, 1e-9)
        expectClose(out.scalar(.npvEconomic), 3_073.703982 + 6_973.703982, 1e-9)
        expectClose(out.series(.netEconomic), [100, 4_000, 4_000, 4_000])
    }

    @Test("Payback in year 0 when the first year already covers the cost")
    func paybackYearZero() throws {
        // Net t0 = 2,000 − 1,000 = 1,000 ≥ 0 with costs paid ⇒ 0 (discounted too).
        let out = try baseCase(scenario(cost: 1_000))
        #expect(out.scalar(.paybackYear) == 0)
        #expect(out.scalar(.discountedPaybackYear) == 0)
    }

    @Test("No payback within the horizon is NaN, never a number")
    func notWithinHorizon() throws {
        // Cost 100,000 against 8,000 of savings.
        let out = try baseCase(scenario(cost: 100_000))
        #expect(out.scalar(.paybackYear).isNaN)
        #expect(out.scalar(.discountedPaybackYear).isNaN)
        expectClose(out.scalar(.bcr), 6_973.703982 / 100_000, 1e-9)
    }

    @Test("No costs at all: no payback, BCR undefined, NPV = PV(cashable)")
    func noCosts() throws {
        let out = try baseCase(scenario(cost: nil))
        #expect(out.scalar(.paybackYear).isNaN)
        #expect(out.scalar(.discountedPaybackYear).isNaN)
        #expect(out.scalar(.bcr).isNaN)
        expectClose(out.scalar(.npvFinancial), 6_973.703982, 1e-9)
    }

    @Test("Payback waits for the first cost")
    func paybackAfterLateCost() throws {
        // Savings 2,000 a year from t0; only cost: 3,000 at t2 (profile [0, 0, 1]).
        // Cumulative costs > 0 first at t2, when cumulative net = 6,000 − 3,000 ≥ 0 ⇒ payback 2.
        var s = scenario(cost: nil)
        s.oneOffCosts = [profiled("late", 3_000, [0, 0, 1])]
        let out = try baseCase(s)
        #expect(out.scalar(.paybackYear) == 2)
    }
}
