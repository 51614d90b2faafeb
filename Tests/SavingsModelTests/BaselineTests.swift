// MODEL.md §3 and §11: S(t) = fte · cost_per_fte · (1+g)ᵗ, non-staff G not grown,
// B(t) = Σ over ALL authorities in the scenario; Gershon e(t) = (cashable + non-cashable)/B(t).
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Baseline, real pay growth and Gershon efficiency (MODEL.md §3, §8)")
struct BaselineTests {
    /// A: 10 FTE × £30,000 + £50,000 non-staff; B: 5 FTE × £40,000 + £20,000;
    /// C: 2 FTE × £25,000, joins in year 5 (outside a 3-year horizon) so it never saves.
    /// g = 2 %; saving rate 10 % on staff, 20 % on non-staff; immediate ramp; all cashable.
    func scenario() -> Scenario {
        Scenario(name: "baseline", horizonYears: 3, discounting: noDiscounting,
                 realPayGrowth: fixed(0.02, "real_pay_growth"),
                 authorities: [authority("A"), authority("B"), authority("C", joins: 5)],
                 baseline: [row(0, fte: 10, costPerFTE: 30_000, nonStaff: 50_000),
                            row(1, fte: 5, costPerFTE: 40_000, nonStaff: 20_000),
                            row(2, fte: 2, costPerFTE: 25_000)],
                 functions: [rateFunction(rate: 0.1, nonStaffSaving: 0.2)])
    }

    @Test("B(t) grows staff cost only, over every authority")
    func baselineCost() throws {
        let out = try baseCase(scenario())
        // Staff: A 300,000 + B 200,000 + C 50,000 = 550,000; non-staff 50,000 + 20,000 = 70,000.
        // B(0) = 550,000 + 70,000                 = 620,000
        // B(1) = 550,000 · 1.02   + 70,000 = 561,000 + 70,000 = 631,000
        // B(2) = 550,000 · 1.0404 + 70,000 = 572,220 + 70,000 = 642,220
        expectClose(out.series(.baselineCost), [620_000, 631_000, 642_220])
    }

    @Test("Savings grow with pay on the staff part only; e(t) = savings / B(t)")
    func efficiency() throws {
        let out = try baseCase(scenario())
        // Members A and B (C joins after the horizon). Staff saving 10 % of (300,000 + 200,000)(1.02)ᵗ,
        // non-staff saving 20 % of 70,000 = 14,000 every year (not grown):
        // t = 0: 50,000 + 14,000 = 64,000
        // t = 1: 51,000 + 14,000 = 65,000
        // t = 2: 52,020 + 14,000 = 66,020
        expectClose(out.series(.cashableSavings), [64_000, 65_000, 66_020])
        expectClose(out.series(.nonCashableSavings), [0, 0, 0])
        // FTE released is not grown: 10 % of 15 FTE = 1.5 each year.
        expectClose(out.series(.fteReleased), [1.5, 1.5, 1.5])
        // e(t) over B(t) of all three authorities (C included, MODEL.md §11):
        // 64,000/620,000 = 0.103226; 65,000/631,000 = 0.103011; 66,020/642,220 = 0.102800.
        expectClose(out.series(.efficiency), [64_000.0 / 620_000, 65_000.0 / 631_000, 66_020.0 / 642_220])
        expectClose(out.series(.efficiency)[0], 0.103226, 1e-5)
        #expect(out.joinYear(2) == -1, "C joins in year 5: not within the 3-year horizon")
    }
}
