// MODEL.md §5 and §11: rate and scale saving rules, realisation ramps, benefit realisation
// φ, the non-staff saving rate and the cashable (Gershon) split.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

@Suite("Scale economies (MODEL.md §5, §11)")
struct ScaleTests {
    @Test("Equal partners: s = 1 − n^(β−1)", arguments: [2, 3, 5])
    func equalPartners(n: Int) {
        // β = 0.8: 1 − 2^−0.2 = 0.129449; 1 − 3^−0.2 = 0.197258; 1 − 5^−0.2 = 0.275220.
        let expected: [Int: Double] = [2: 0.129449, 3: 0.197258, 5: 0.275220]
        let v = 37.0, beta = 0.8
        let s = Formulas.scaleSaving(sumVolume: Double(n) * v, sumVolumePowBeta: Double(n) * pow(v, beta), beta: beta)
        expectClose(s, expected[n]!, 1e-6)
        expectClose(s, 1 - pow(Double(n), beta - 1), 1e-12)
    }

    @Test("β = 1 gives no saving; Σ V^β = 0 gives 0")
    func noScale() {
        #expect(Formulas.scaleSaving(sumVolume: 25, sumVolumePowBeta: 25, beta: 1) == 0)
        #expect(Formulas.scaleSaving(sumVolume: 0, sumVolumePowBeta: 0, beta: 0.7) == 0)
    }

    @Test("Three equal partners through the model")
    func equalThroughModel() throws {
        // 3 × (10 FTE × £1,000), β = 0.8 ⇒ s = 0.197258 ⇒ 30,000 · 0.197258 = 5,917.75.
        let s = Scenario(name: "scale3", horizonYears: 1, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C")],
                         baseline: (0..<3).map { row($0, fte: 10, costPerFTE: 1_000) },
                         functions: [scaleFunction(beta: 0.8)])
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings)[0], 5_917.753, 1e-6)
    }

    @Test("Unequal volumes worked by hand; membership changes s")
    func unequalVolumes() throws {
        // β = 0.5, volumes A 9, B 16, C 144 (C joins in year 1); 1 FTE × £133,000 each.
        // t = 0, members A, B: ΣV = 25, (ΣV)^½ = 5; ΣV^½ = 3 + 4 = 7 ⇒ s = 1 − 5/7 = 2/7.
        //   Each saves 133,000 · 2/7 = 38,000 ⇒ 76,000; FTE 2 · 2/7 = 0.571429.
        // t = 1, members A, B, C: ΣV = 169, √ = 13; Σ√V = 3 + 4 + 12 = 19 ⇒ s = 1 − 13/19 = 6/19.
        //   Each saves 133,000 · 6/19 = 42,000 ⇒ 126,000; FTE 3 · 6/19 = 0.947368.
        let s = Scenario(name: "scale", horizonYears: 2, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C", joins: 1)],
                         baseline: [row(0, fte: 1, costPerFTE: 133_000, volume: 9),
                                    row(1, fte: 1, costPerFTE: 133_000, volume: 16),
                                    row(2, fte: 1, costPerFTE: 133_000, volume: 144)],
                         functions: [scaleFunction(beta: 0.5)])
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings), [76_000, 126_000])
        expectClose(out.series(.fteReleased), [4.0 / 7, 18.0 / 19])
    }

    @Test("Two rows of one authority for a scale function each add their own V and V^β")
    func twoRowsForOneFunction() throws {
        // As above, with A's volumes 9 and 16 on two rows of its own (the loader takes one row
        // per authority and function, but the model is defined per row: MODEL.md §5), and the
        // scale function second in the list, after a rate function that saves nothing. B is a
        // member with no scale row (it makes the two partners the service needs).
        // t = 0, A and B: ΣV = 25 ⇒ 5; ΣV^½ = 3 + 4 = 7 ⇒ s = 2/7; A's 2 × £133,000 ⇒ 76,000.
        // t = 1, with C (V 144): ΣV = 169 ⇒ 13; ΣV^½ = 19 ⇒ s = 6/19; £399,000 · 6/19 = 126,000.
        let s = Scenario(name: "rows2", horizonYears: 2, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C", joins: 1)],
                         baseline: [row(0, 0, fte: 1, costPerFTE: 50_000),
                                    row(0, 1, fte: 1, costPerFTE: 133_000, volume: 9),
                                    row(1, 0, fte: 1, costPerFTE: 50_000),
                                    row(0, 1, fte: 1, costPerFTE: 133_000, volume: 16),
                                    row(2, 1, fte: 1, costPerFTE: 133_000, volume: 144)],
                         functions: [rateFunction("a", rate: 0), scaleFunction("b", beta: 0.5)])
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings), [76_000, 126_000])
        expectClose(out.series(.fteReleased), [4.0 / 7, 18.0 / 19])
    }

    @Test("A leaver's V and V^β leave the sums of every scale function")
    func leaverLeavesEveryScaleFunction() throws {
        // Five scale functions (β = ½; more than one vector of four), each with rows for A (V 9),
        // B (V 16) and C (V 144), 1 FTE × £133,000 a row; all join at 0; h = ½ and exit
        // uniforms A 0.1 (G = 0 ⇒ E = 1), B and C 0.99 (G = 6 ⇒ E = 7 ≥ T = 3).
        // t = 0, A B C: ΣV = 169 ⇒ 13, ΣV^½ = 19 ⇒ s = 6/19: 3 × 133,000 × 6/19 = 126,000 a function.
        // t = 1, 2, B C: ΣV = 160, ΣV^½ = 16 ⇒ s = 1 − √160/16: 2 × 133,000 × s a function.
        let functions = (0..<5).map { scaleFunction("scale\($0)", beta: 0.5) }
        let volumes: [Double] = [9, 16, 144]
        let s = Scenario(name: "leaver", horizonYears: 3, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C")],
                         baseline: (0..<3).flatMap { a in (0..<5).map { row(a, $0, fte: 1, costPerFTE: 133_000, volume: volumes[a]) } },
                         functions: functions,
                         exit: ExitRule(annualHazard: fixed(0.5, "exit.h"), cost: fixed(0, "exit.cost")))
        let out = try evaluate(s, exit: [0.1, 0.99, 0.99])
        expectClose(out.series(.members), [3, 2, 2])
        let later = 1 - 160.0.squareRoot() / 16
        expectClose(out.series(.cashableSavings), [5 * 126_000, 5 * 266_000 * later, 5 * 266_000 * later])
        expectClose(out.series(.fteReleased), [5 * 3 * 6.0 / 19, 5 * 2 * later, 5 * 2 * later])
    }

    @Test("V defaults to fte; β = 1 saves nothing through the model")
    func volumeDefaultsToFTE() throws {
        // FTE 9 and 16 at £1,000, no volume ⇒ V = FTE ⇒ s = 2/7 (as above):
        // saving (9,000 + 16,000) · 2/7 = 7,142.857; FTE 25 · 2/7 = 7.142857.
        func s(_ beta: Double) -> Scenario {
            Scenario(name: "fteV", horizonYears: 1, discounting: noDiscounting,
                     authorities: [authority("A"), authority("B")],
                     baseline: [row(0, fte: 9, costPerFTE: 1_000), row(1, fte: 16, costPerFTE: 1_000)],
                     functions: [scaleFunction(beta: beta)])
        }
        let out = try baseCase(s(0.5))
        expectClose(out.series(.cashableSavings)[0], 25_000.0 * 2 / 7)
        expectClose(out.series(.fteReleased)[0], 25.0 * 2 / 7)
        let flat = try baseCase(s(1))
        #expect(flat.series(.cashableSavings)[0] == 0)
    }

    @Test("Scale sums only over members with a row for the function")
    func onlyRowsOfTheFunction() throws {
        // Function 0 (scale, β = 0.5) has rows for A (V 9) and B (V 16) only; C has only a row
        // for function 1 (rate 0) with a large FTE. All three are members.
        // s₀ = 2/7 over A, B; saving (1,000 + 1,000) · 2/7 = 571.43; C contributes nothing.
        let s = Scenario(name: "rows", horizonYears: 1, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C")],
                         baseline: [row(0, 0, fte: 1, costPerFTE: 1_000, volume: 9),
                                    row(1, 0, fte: 1, costPerFTE: 1_000, volume: 16),
                                    row(2, 1, fte: 500, costPerFTE: 1_000)],
                         functions: [scaleFunction("finance", beta: 0.5), rateFunction("payroll", rate: 0)])
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings)[0], 2_000.0 * 2 / 7)
    }
}

@Suite("Realisation ramps (MODEL.md §5)")
struct RampTests {
    @Test("Closed forms: linear min(1, x/R) and logistic, x = k + 1")
    func formulas() {
        // R = 3: 1/3, 2/3, 1, 1.   R = 2.5: 0.4, 0.8, 1.
        expectClose((0..<4).map { Formulas.linearRamp(yearsSinceJoining: $0, years: 3) }, [1.0 / 3, 2.0 / 3, 1, 1])
        expectClose((0..<3).map { Formulas.linearRamp(yearsSinceJoining: $0, years: 2.5) }, [0.4, 0.8, 1])
        // x₀ = 2, κ = 1: x = 1 ⇒ 1/(1 + e) = 0.268941; x = 2 ⇒ 0.5; x = 3 ⇒ 1/(1 + e⁻¹) = 0.731059.
        expectClose((0..<3).map { Formulas.logisticRamp(yearsSinceJoining: $0, midpoint: 2, steepness: 1) },
                    [0.268941, 0.5, 0.731059], 1e-6)
    }

    /// One or two members with £10,000 staff and a 10 % rate ⇒ £1,000 each at full realisation.
    /// min_partners 1 so the ramp alone shapes the savings.
    func scenario(_ ramp: RealisationRamp, joins: [Double] = [0, 1], years: Int = 4) -> Scenario {
        Scenario(name: "ramp", horizonYears: years, discounting: noDiscounting,
                 authorities: joins.enumerated().map { authority("A\($0.offset)", joins: $0.element) },
                 baseline: joins.indices.map { row($0, fte: 10, costPerFTE: 1_000) },
                 functions: [rateFunction(rate: 0.1, ramp: ramp)], minPartners: 1)
    }

    @Test("immediate: full saving from the join year")
    func immediate() throws {
        // A from t0, B from t1: 1,000, 2,000, 2,000, 2,000.
        expectClose(try baseCase(scenario(.immediate)).series(.cashableSavings), [1_000, 2_000, 2_000, 2_000])
    }

    @Test("steps [0.2, 0.5, 0.9] by years since each member joined, last value held")
    func steps() throws {
        let out = try baseCase(scenario(.steps([fixed(0.2, "s0"), fixed(0.5, "s1"), fixed(0.9, "s2")])))
        // A (J = 0) k = t; B (J = 1) k = t − 1:
        // t0: A 200                 = 200
        // t1: A 500 + B 200         = 700
        // t2: A 900 + B 500         = 1,400
        // t3: A 900 (held) + B 900  = 1,800
        expectClose(out.series(.cashableSavings), [200, 700, 1_400, 1_800])
        expectClose(out.series(.fteReleased), [0.2, 0.7, 1.4, 1.8])
    }

    @Test("logistic through the model")
    func logistic() throws {
        let out = try baseCase(scenario(.logistic(midpoint: fixed(2, "m"), steepness: fixed(1, "k")), joins: [0], years: 3))
        // 1,000 · (0.268941, 0.5, 0.731059).
        expectClose(out.series(.cashableSavings), [268.941421, 500, 731.058579], 1e-8)
    }

    @Test("linear with an uncertain R takes its median in the base case")
    func linearUncertain() throws {
        // R ~ uniform(2, 4): median 3 ⇒ ρ = 1/3, 2/3, 1 ⇒ 333.33, 666.67, 1,000.
        let out = try baseCase(scenario(.linear(years: uncertain(try .uniform(min: 2, max: 4), "ramp.years")), joins: [0], years: 3))
        expectClose(out.series(.cashableSavings), [1_000.0 / 3, 2_000.0 / 3, 1_000])
    }
}

@Suite("φ, non-staff saving and the cashable split (MODEL.md §5, §6)")
struct RealisationTests {
    @Test("ΔS, ΔG, R with φ; κ splits cashable/non-cashable and scales redundancy FTE")
    func gershonSplit() throws {
        // Two members, each 10 FTE × £1,000 = £10,000 staff and £4,000 non-staff.
        // s = 0.2, σns = 0.5, κ = 0.75, φ = 0.8, immediate ramp.
        // Per member: ΔS = 10,000 · 0.2 · 0.8 = 1,600; ΔG = 4,000 · 0.5 · 0.8 = 1,600; total 3,200
        //   cashable 0.75 · 3,200 = 2,400; non-cashable 800; R = 10 · 0.2 · 0.8 = 1.6 FTE.
        // Both: cashable 4,800, non-cashable 1,600, FTE released 3.2.
        // Redundancy on Rc = κR = 1.2 FTE each: 1.2 · (1 − 0.25 attrition) · £1,000 = 900 each ⇒ 1,800.
        let s = Scenario(name: "phi", horizonYears: 1, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B")],
                         baseline: [row(0, fte: 10, costPerFTE: 1_000, nonStaff: 4_000),
                                    row(1, fte: 10, costPerFTE: 1_000, nonStaff: 4_000)],
                         functions: [rateFunction(rate: 0.2, nonStaffSaving: 0.5, cashable: 0.75)],
                         benefitRealisation: fixed(0.8, "benefit_realisation"),
                         workforce: workforce(redundancyPerFTE: 1_000, attrition: 0.25))
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings), [4_800])
        expectClose(out.series(.nonCashableSavings), [1_600])
        expectClose(out.series(.fteReleased), [3.2])
        expectClose(out.series(.redundancyCosts), [1_800])
        // npv_financial = 4,800 − 1,800 = 3,000; npv_economic adds non-cashable: 4,600.
        expectClose(out.scalar(.npvFinancial), 3_000)
        expectClose(out.scalar(.npvEconomic), 4_600)
        // Gershon efficiency counts both: (4,800 + 1,600)/B, B = 2 · 14,000 = 28,000.
        expectClose(out.series(.efficiency), [6_400.0 / 28_000])
        // Each authority keeps its own cashable saving less its own redundancy: 2,400 − 900.
        expectClose(out.npvs, [1_500, 1_500])
    }
}

@Suite("Base case (MODEL.md §2)")
struct BaseCaseTests {
    @Test("Every uncertain input at its median, not its mean or mode")
    func medians() throws {
        // Saving rate triangular{0, 0.2, 0.3}: F(mode) = 0.2/0.3 = 2/3 > 1/2, so the median lies
        // left of the mode: a + √((b − a)(c − a) · 0.5) = √(0.3 · 0.2 · 0.5) = √0.03 = 0.173205
        // (mean 0.166667, mode 0.2).
        // Cost per FTE lognormal{median 1,000, p90 1,500}: median 1,000 (mean would be higher).
        // Two authorities × 10 FTE ⇒ staff 20,000 ⇒ saving 20,000 · 0.173205 = 3,464.10.
        let cost = try Distribution.lognormal(median: 1_000, p90: 1_500)
        let s = Scenario(name: "median", horizonYears: 1, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B")],
                         baseline: (0..<2).map { BaselineRow(authority: $0, function: 0, fte: fixed(10, "fte"), costPerFTE: uncertain(cost, "baseline.\($0).0.cost_per_fte"), nonStaff: fixed(0, "ns")) },
                         functions: [BackOfficeFunction(name: "finance", saving: .rate(uncertain(try .triangular(min: 0, mode: 0.2, max: 0.3), "saving")),
                                                        nonStaffSaving: fixed(0, "ns"), ramp: .immediate, cashableShare: fixed(1, "k"))])
        let out = try baseCase(s)
        expectClose(out.series(.cashableSavings)[0], 20_000 * 0.03.squareRoot(), 1e-9)
        expectClose(out.series(.cashableSavings)[0], 3_464.10, 1e-6)
        expectClose(out.series(.baselineCost)[0], 20_000, 1e-9)
    }
}

@Suite("Sums over functions (MODEL.md §5, §6)")
struct FunctionSumTests {
    /// The engine sums over functions four at a time (whole groups of four, then the rest)
    /// and a member's saving over its rows in listed order, so every remainder F mod 4 and
    /// rows listed out of function order are worked here.
    ///
    /// F functions, f = 0 … F−1: rate r_f = (f+1)/100, non-staff saving 0.5, immediate ramp,
    /// cashable share κ_f = 1 (f even) or 0.5 (f odd). Authorities A, B join at 0, T = 2, no
    /// discounting, min_partners 1, redundancy £100/FTE. Row (a, f): fte f+1, £1,000·(a+1)
    /// per FTE, non-staff £100·(f+1); A's rows are listed from the last function down.
    /// So each year saving_af = 1,000(a+1)(f+1)·(f+1)/100 + 0.5·100(f+1) = 10(a+1)(f+1)² + 50(f+1),
    /// FTE released Σ_a Σ_f (f+1)²/100, cashable posts Σ_f κ_f(f+1)²/100 per authority, all
    /// released in year 0 (redundancy 100 × that, nothing in year 1), and
    /// NPV_a = 2 Σ_f κ_f saving_af − Σ_f κ_f (f+1)².
    @Test("Any number of functions, rows in any order", arguments: 1...9)
    func functionCounts(F: Int) throws {
        let functions = (0..<F).map {
            rateFunction("f\($0)", rate: Double($0 + 1) / 100, nonStaffSaving: 0.5, cashable: $0 % 2 == 0 ? 1 : 0.5)
        }
        var rows: [BaselineRow] = []
        for f in (0..<F).reversed() { rows.append(row(0, f, fte: Double(f + 1), costPerFTE: 1_000, nonStaff: 100 * Double(f + 1))) }
        for f in 0..<F { rows.append(row(1, f, fte: Double(f + 1), costPerFTE: 2_000, nonStaff: 100 * Double(f + 1))) }
        let s = Scenario(name: "F\(F)", horizonYears: 2, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B")], baseline: rows, functions: functions,
                         minPartners: 1, workforce: workforce(redundancyPerFTE: 100))
        let out = try baseCase(s)
        func kappa(_ f: Int) -> Double { f % 2 == 0 ? 1 : 0.5 }
        func saving(_ a: Int, _ f: Int) -> Double { 10 * Double((a + 1) * (f + 1) * (f + 1)) + 50 * Double(f + 1) }
        var cashable = 0.0, all = 0.0, posts = 0.0, fte = 0.0
        for f in 0..<F {
            for a in 0..<2 {
                cashable += kappa(f) * saving(a, f)
                all += saving(a, f)
            }
            posts += kappa(f) * Double((f + 1) * (f + 1)) / 100
            fte += Double((f + 1) * (f + 1)) / 100
        }
        expectClose(out.series(.cashableSavings), [cashable, cashable], 1e-12)
        expectClose(out.series(.nonCashableSavings), [all - cashable, all - cashable], 1e-12)
        expectClose(out.series(.fteReleased), [2 * fte, 2 * fte], 1e-12)
        let redundancy: [Double] = [2 * 100 * posts, 0]
        expectClose(out.series(.redundancyCosts), redundancy, 1e-12)
        for a in 0..<2 {
            var own = 0.0
            for f in 0..<F { own += kappa(f) * saving(a, f) }
            expectClose(out.npv(a), 2 * own - 100 * posts, 1e-12, "NPV of authority \(a)")
        }
    }
}
