// MODEL.md §1: DF(0) = 1, DF(t) = DF(t−1)/(1 + r(t)); Green Book STPR 3.5 % for years
// 0–30, 3.0 % for 31–75, 2.5 % for 76–125; a single constant rate is allowed.
import Foundation
import ScenarioFiles
import Testing
@testable import SavingsModel

@Suite("Discounting (MODEL.md §1)")
struct DiscountingTests {
    @Test("Green Book DF(10) = 0.7089 to 4 d.p.")
    func greenBookDF10() throws {
        // Years 1…10 all lie in the 3.5 % band, so DF(10) = 1.035⁻¹⁰ = 1/1.41060 = 0.708919,
        // which is 0.7089 to 4 d.p. (MODEL.md's own check).
        let df = Formulas.discountFactors(years: 11, rate: Formulas.greenBookRate)
        #expect(df[0] == 1)
        #expect((df[10] * 10_000).rounded() / 10_000 == 0.7089)
        expectClose(df[10], 0.708919, 1e-6)

        // And the compiled model uses the Green Book schedule by default.
        let scenario = Scenario(name: "gb", horizonYears: 11, authorities: [authority("A")],
                                baseline: [], functions: [])
        let model = try CompiledModel(scenario)
        #expect(model.discountFactors.count == 11)
        #expect((model.discountFactors[10] * 10_000).rounded() / 10_000 == 0.7089)
    }

    @Test("The STPR steps down at years 31 and 76")
    func scheduleSteps() {
        #expect(Formulas.greenBookRate(year: 0) == 0.035)
        #expect(Formulas.greenBookRate(year: 30) == 0.035)
        #expect(Formulas.greenBookRate(year: 31) == 0.030)
        #expect(Formulas.greenBookRate(year: 75) == 0.030)
        #expect(Formulas.greenBookRate(year: 76) == 0.025)
        #expect(Formulas.greenBookRate(year: 125) == 0.025)

        let df = Formulas.discountFactors(years: 80, rate: Formulas.greenBookRate)
        // Step ratios DF(t)/DF(t−1) = 1/(1 + r(t)):
        expectClose(df[30] / df[29], 1 / 1.035, 1e-14, "year 30 still 3.5 %")
        expectClose(df[31] / df[30], 1 / 1.030, 1e-14, "year 31 at 3.0 %")
        expectClose(df[75] / df[74], 1 / 1.030, 1e-14, "year 75 still 3.0 %")
        expectClose(df[76] / df[75], 1 / 1.025, 1e-14, "year 76 at 2.5 %")
        // Levels: DF(30) = 1.035⁻³⁰ = 0.356278; DF(31) = 0.356278/1.03 = 0.345901;
        // DF(75) = 1.035⁻³⁰ · 1.03⁻⁴⁵ = 0.356278 · 0.264439 = 0.094214;
        // DF(76) = 0.094214/1.025 = 0.091916.
        expectClose(df[30], 0.356278, 1e-6)
        expectClose(df[31], 0.345901, 1e-6)
        expectClose(df[75], 0.094214, 1e-6)
        expectClose(df[76], 0.091916, 1e-6)
    }

    @Test("A constant rate gives DF(t) = (1 + r)⁻ᵗ")
    func constantRate() throws {
        // r = 5 %: DF = 1, 1/1.05 = 0.952381, 1/1.1025 = 0.907029, 1/1.157625 = 0.863838.
        let scenario = Scenario(name: "c", horizonYears: 4, discounting: .constant(rate: 0.05),
                                authorities: [authority("A")], baseline: [], functions: [])
        let df = try CompiledModel(scenario).discountFactors
        expectClose(df, [1, 0.952381, 0.907029, 0.863838], 1e-6)
        for t in 0..<4 { expectClose(df[t], pow(1.05, -Double(t)), 1e-14) }
        // r = 0 means no discounting at all.
        let flat = try CompiledModel(Scenario(name: "z", horizonYears: 3, discounting: noDiscounting,
                                              authorities: [authority("A")], baseline: [], functions: []))
        #expect(flat.discountFactors == [1, 1, 1])
    }
}
