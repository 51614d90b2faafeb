// MODEL.md §4 and §11: fixed and Bass joins, the ceiling, the base-case Bass quantiles,
// programme delay, exit, and the min_partners rule.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

/// Each authority: 10 FTE × £1,000 = £10,000 staff cost; 10 % saving ⇒ £1,000 and 1 FTE a year.
private func flatRows(_ n: Int) -> [BaselineRow] { (0..<n).map { row($0, fte: 10, costPerFTE: 1_000) } }

@Suite("Fixed joins and min_partners (MODEL.md §4, §6, §11)")
struct FixedJoinTests {
    @Test("Fixed (floored) join years set membership; savings start at min_partners")
    func fixedJoins() throws {
        // A joins 0, B joins 1, C's join 2.7 is floored to 2. min_partners = 2.
        let s = Scenario(name: "fixed", horizonYears: 4, discounting: noDiscounting,
                         authorities: [authority("A", joins: 0), authority("B", joins: 1), authority("C", joins: 2.7)],
                         baseline: flatRows(3), functions: [rateFunction(rate: 0.1)])
        let out = try baseCase(s)
        #expect(out.joinYears == [0, 1, 2])
        // |A(t)| = 1, 2, 3, 3. Year 0 has one member < 2 ⇒ no saving at all.
        expectClose(out.series(.members), [1, 2, 3, 3])
        // £1,000 per member from year 1: 0, 2,000, 3,000, 3,000; FTE 0, 2, 3, 3.
        expectClose(out.series(.cashableSavings), [0, 2_000, 3_000, 3_000])
        expectClose(out.series(.fteReleased), [0, 2, 3, 3])
        expectClose(out.scalar(.membersJoined), 3)
    }

    @Test("Below min_partners: no savings, no FTE, no redundancy; ongoing annual from the first operating year")
    func minPartners() throws {
        // A joins 0, B joins 2, min_partners 2, linear ramp R = 2 counted from each member's
        // own join (x = k + 1): ρ(0) = 1/2, ρ(1) = ρ(2) = … = 1.
        // Redundancy £100 per cashable FTE above the previous peak; ongoing: annual £100,
        // per member £10.
        let s = Scenario(name: "min", horizonYears: 4, discounting: noDiscounting,
                         authorities: [authority("A", joins: 0), authority("B", joins: 2)],
                         baseline: flatRows(2),
                         functions: [rateFunction(rate: 0.1, ramp: .linear(years: fixed(2, "ramp")))],
                         minPartners: 2, workforce: workforce(redundancyPerFTE: 100),
                         ongoingCosts: [annual("client", 100), perMember("licence", 10)])
        let out = try baseCase(s)
        expectClose(out.series(.members), [1, 1, 2, 2])
        // t = 0, 1: A alone ⇒ not operating ⇒ 0 (although A would be at ρ = 1/2, 1).
        // t = 2: A k = 2 ⇒ ρ = 1 ⇒ 1,000; B k = 0 ⇒ ρ = 1/2 ⇒ 500. Total 1,500.
        // t = 3: A 1,000; B k = 1 ⇒ ρ = 1 ⇒ 1,000. Total 2,000.
        expectClose(out.series(.cashableSavings), [0, 0, 1_500, 2_000])
        expectClose(out.series(.fteReleased), [0, 0, 1.5, 2])
        // Redundancy: A 0, 0, 1, 1 FTE ⇒ +1 at t = 2; B 0, 0, 0.5, 1 ⇒ +0.5 at t = 2, +0.5 at t = 3.
        // £100/FTE ⇒ 0, 0, 150, 50. Nothing in years 0–1 although A was a member.
        expectClose(out.series(.redundancyCosts), [0, 0, 150, 50])
        // Ongoing: annual £100 from the first operating year (t = 2); £10 per member every year:
        // t0 10, t1 10, t2 100 + 20 = 120, t3 120.
        expectClose(out.series(.ongoingCosts), [10, 10, 120, 120])
        // NPV (r = 0) = 3,500 − 200 − 260 = 3,040.
        expectClose(out.scalar(.npvFinancial), 3_040)
        // Per authority: shares over A(t), operating or not — A alone pays the £10 per-member
        // cost in t0 and t1; t2 and t3's 120 are split by equal baseline weights (60 each).
        // A: 2,000 − 100 redundancy − 20 − 120 = 1,760.  B: 1,500 − 100 − 120 = 1,280.
        expectClose(out.npvs, [1_760, 1_280])
    }
}

@Suite("Bass adoption (MODEL.md §4, §11)")
struct BassTests {
    @Test("bassCDF at a hand-worked point and bassQuantile inverting it")
    func handValue() {
        // p = 0.1, q = 0.4 ⇒ p + q = 0.5, q/p = 4. At τ = 2 ln 2, e^{−0.5τ} = 1/2:
        // F = (1 − 1/2)/(1 + 4 · 1/2) = 0.5/3 = 1/6.
        expectClose(Formulas.bassCDF(2 * log(2), p: 0.1, q: 0.4), 1.0 / 6, 1e-14)
        // Inverse: ln((1 + 4/6)/(1 − 1/6))/0.5 = ln((5/3)/(5/6))/0.5 = 2 ln 2 = 1.386294.
        expectClose(Formulas.bassQuantile(1.0 / 6, p: 0.1, q: 0.4), 2 * log(2), 1e-14)
        #expect(Formulas.bassCDF(0, p: 0.1, q: 0.4) == 0)
    }

    @Test("bassQuantile inverts bassCDF", arguments: [(0.03, 0.38), (0.1, 0.4), (0.2, 0.05)])
    func inverse(p: Double, q: Double) {
        for w in [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999] {
            expectClose(Formulas.bassCDF(Formulas.bassQuantile(w, p: p, q: q), p: p, q: q), w, 1e-12)
        }
        for tau in [0.1, 1, 3.5, 10, 25] {
            expectClose(Formulas.bassQuantile(Formulas.bassCDF(tau, p: p, q: q), p: p, q: q), tau, 1e-9)
        }
    }

    @Test("Ceiling: v ≥ ceiling never joins, otherwise J = ⌊F⁻¹(v/ceiling)⌋")
    func ceiling() {
        #expect(Formulas.bassJoinYear(v: 0.8, p: 0.1, q: 0.4, ceiling: 0.8) == nil)
        #expect(Formulas.bassJoinYear(v: 0.95, p: 0.1, q: 0.4, ceiling: 0.8) == nil)
        #expect(Formulas.bassJoinYear(v: 0.3, p: 0.1, q: 0.4, ceiling: 0) == nil)
        // v = 1/12, ceiling 1/2 ⇒ w = 1/6 ⇒ τ = 2 ln 2 = 1.386 ⇒ J = 1.
        #expect(Formulas.bassJoinYear(v: 1.0 / 12, p: 0.1, q: 0.4, ceiling: 0.5) == 1)
        // Without the ceiling scaling, w = 1/12 would give τ = 2 ln((1 + 1/3)/(11/12)) = 0.749 ⇒ J = 0.
        #expect(Formulas.bassJoinYear(v: 1.0 / 12, p: 0.1, q: 0.4, ceiling: 1) == 0)
    }

    @Test("Join years by thresholds F(1) … F(T) agree with the closed form ⌊F⁻¹(w)⌋ (capped at T)")
    func thresholdsAgreeWithTheClosedForm() {
        var rng = RadixStatisticsTests.Generator(state: 77)
        let T = 10
        let thresholds = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
        defer { thresholds.deallocate() }
        var compared = 0, beyond = 0
        for _ in 0..<200 {
            let p = 0.001 + 0.3 * rng.uniform(), q = 0.8 * rng.uniform(), ceiling = 0.2 + 0.8 * rng.uniform()
            #expect(Formulas.bassYearThresholds(p: p, q: q, into: thresholds))
            for _ in 0..<200 {
                let v = rng.uniform()
                let closed = Formulas.bassJoinYear(v: v, p: p, q: q, ceiling: ceiling)
                let fast = Formulas.bassJoinYearWithinHorizon(v: v, ceiling: ceiling, thresholds: thresholds)
                let expected = closed.map { Swift.min($0, T) }
                if fast != expected {
                    // Only a w on a year boundary itself may round either way.
                    let tau = Formulas.bassQuantile(v / ceiling, p: p, q: q)
                    #expect(abs(tau - tau.rounded()) < 1e-9, "p \(p) q \(q) c \(ceiling) v \(v): \(String(describing: fast)) vs \(String(describing: closed))")
                }
                if let closed, closed >= T { beyond += 1 }
                compared += 1
            }
        }
        #expect(compared == 40_000 && beyond > 1_000, "the draws must reach past the horizon too")
        // Hand-worked: p = 0.1, q = 0.4, ceiling 1/2, v = 1/12 ⇒ τ = 2 ln 2 = 1.386 ⇒ J = 1.
        #expect(Formulas.bassYearThresholds(p: 0.1, q: 0.4, into: thresholds))
        #expect(Formulas.bassJoinYearWithinHorizon(v: 1.0 / 12, ceiling: 0.5, thresholds: thresholds) == 1)
        #expect(Formulas.bassJoinYearWithinHorizon(v: 0.5, ceiling: 0.5, thresholds: thresholds) == nil)
        // Outside the textbook range the thresholds are refused and the closed form is used.
        #expect(!Formulas.bassYearThresholds(p: 0, q: 0.4, into: thresholds))
        #expect(!Formulas.bassYearThresholds(p: 1e-320, q: 0.4, into: thresholds))
    }

    @Test("Four join years at once equal one at a time, on and beside the thresholds too")
    func vectorJoinYearsEqualScalarOnes() {
        var rng = RadixStatisticsTests.Generator(state: 79)
        let T = 10
        let thresholds = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
        defer { thresholds.deallocate() }
        var compared = 0, never = 0, beyond = 0
        for _ in 0..<200 {
            let p = 0.001 + 0.3 * rng.uniform(), q = 0.8 * rng.uniform(), ceiling = 0.2 + 0.8 * rng.uniform()
            #expect(Formulas.bassYearThresholds(p: p, q: q, into: thresholds))
            for k in 1..<T { #expect(thresholds[k] >= thresholds[k - 1], "thresholds must never fall") }
            for _ in 0..<50 {
                // Random uniforms, and uniforms whose w = v/ceiling lands on a threshold, on
                // the ceiling itself, or just below it.
                var v = SIMD4<Double>()
                for lane in 0..<4 {
                    switch rng.uniform() {
                    case ..<0.15: v[lane] = thresholds[Int(rng.uniform() * Double(T))] * ceiling
                    case ..<0.2: v[lane] = ceiling
                    case ..<0.25: v[lane] = ceiling.nextDown
                    default: v[lane] = rng.uniform()
                    }
                }
                let years = Formulas.bassJoinYearsWithinHorizon(v: v, ceiling: ceiling, thresholds: thresholds)
                for lane in 0..<4 {
                    let one = Formulas.bassJoinYearWithinHorizon(v: v[lane], ceiling: ceiling, thresholds: thresholds)
                    #expect(years[lane] == Int64(one ?? -1), "p \(p) q \(q) c \(ceiling) v \(v[lane])")
                    if one == nil { never += 1 } else if one == T { beyond += 1 }
                    compared += 1
                }
            }
        }
        #expect(compared == 40_000 && never > 1_000 && beyond > 1_000, "every outcome must be reached")
    }

    @Test("Exit gaps by thresholds (1 − h)^g agree with ⌈ln(1 − u)/ln(1 − h)⌉ − 1 (capped at T)")
    func exitThresholdsAgreeWithTheClosedForm() {
        var rng = RadixStatisticsTests.Generator(state: 78)
        let T = 10
        let thresholds = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
        defer { thresholds.deallocate() }
        var beyond = 0
        for _ in 0..<200 {
            let h = 0.001 + 0.6 * rng.uniform(), logSurvival = Foundation.log1p(-h)
            Formulas.survivalThresholds(logSurvival: logSurvival, into: thresholds)
            for _ in 0..<200 {
                let u = rng.uniform()
                let closed = Formulas.geometricFailures(u: u, logSurvival: logSurvival)
                let fast = Formulas.geometricFailuresWithinHorizon(u: u, thresholds: thresholds)
                if fast != Swift.min(closed, T) {
                    let l = Foundation.log1p(-u) / logSurvival
                    #expect(abs(l - l.rounded()) < 1e-9, "h \(h) u \(u): \(fast) vs \(closed)")
                }
                if closed >= T { beyond += 1 }
            }
        }
        #expect(beyond > 1_000)
        // Hand-worked: h = 1/2, u = 0.8 ⇒ L = ln 0.2 / ln 0.5 = 2.32 ⇒ G = 2.
        Formulas.survivalThresholds(logSurvival: Foundation.log(0.5), into: thresholds)
        #expect(Formulas.geometricFailuresWithinHorizon(u: 0.8, thresholds: thresholds) == 2)
        #expect(Formulas.geometricFailuresWithinHorizon(u: 0, thresholds: thresholds) == 0)
    }

    @Test("Base case: the k-th of n Bass joiners at v = (k − 0.5)/n")
    func baseCaseQuantiles() throws {
        // p = 0.1, q = 0.4, ceiling 1, n = 4 ⇒ v = 0.125, 0.375, 0.625, 0.875;
        // τ = 2 ln((1 + 4v)/(1 − v)):
        //   0.125: 2 ln(1.5/0.875)    = 2 ln 1.714286 = 1.0780 ⇒ J = 1
        //   0.375: 2 ln(2.5/0.625)    = 2 ln 4        = 2.7726 ⇒ J = 2
        //   0.625: 2 ln(3.5/0.375)    = 2 ln 9.3333   = 4.4672 ⇒ J = 4
        //   0.875: 2 ln(4.5/0.125)    = 2 ln 36       = 7.1670 ⇒ J = 7
        func s(_ ceiling: Double) -> Scenario {
            Scenario(name: "bass", horizonYears: 10, discounting: noDiscounting,
                     authorities: (0..<4).map { bassAuthority("B\($0)") }, baseline: [], functions: [],
                     adoption: bass(p: 0.1, q: 0.4, ceiling: ceiling))
        }
        let full = try baseCase(s(1))
        #expect(full.joinYears == [1, 2, 4, 7])

        // Ceiling 0.75: v = 0.875 ≥ 0.75 never joins (the last quarter); the others use
        // w = v/0.75 = 1/6, 1/2, 5/6:
        //   1/6: 2 ln 2                          = 1.3863 ⇒ 1
        //   1/2: 2 ln((1 + 2)/(1/2))   = 2 ln 6  = 3.5835 ⇒ 3
        //   5/6: 2 ln((13/3)/(1/6))    = 2 ln 26 = 6.5162 ⇒ 6
        let capped = try baseCase(s(0.75))
        #expect(capped.joinYears == [1, 3, 6, -1])
        expectClose(capped.scalar(.membersJoined), 3)
    }

    @Test("Base case ranks only the Bass joiners, in listed order")
    func baseCaseMixed() throws {
        // [Bass, fixed 0, Bass]: n = 2 Bass joiners ⇒ v = 0.25, 0.75 (ceiling 1):
        //   0.25: 2 ln((1 + 1)/0.75) = 2 ln 2.6667 = 1.9617 ⇒ 1
        //   0.75: 2 ln((1 + 3)/0.25) = 2 ln 16     = 5.5452 ⇒ 5
        let s = Scenario(name: "mixed", horizonYears: 10, discounting: noDiscounting,
                         authorities: [bassAuthority("X"), authority("F", joins: 0), bassAuthority("Y")],
                         baseline: [], functions: [], adoption: bass(p: 0.1, q: 0.4, ceiling: 1))
        let out = try baseCase(s)
        #expect(out.joinYears == [1, 0, 5])
    }

    @Test("Simulated ⌊τ⌋ follows ceiling · F(k + 1)")
    func empiricalCDF() throws {
        // One Bass authority, p = 0.1, q = 0.4, ceiling 0.8. P(J ≤ k) = P(v < 0.8 and
        // τ < k + 1) = 0.8 · F(k + 1), with F written out here independently of Formulas:
        //   F(1) = (1 − e^{−0.5})/(1 + 4e^{−0.5}) = 0.393469/3.426123 = 0.114844 ⇒ P(J ≤ 0) = 0.091875
        let p = 0.1, q = 0.4, ceiling = 0.8
        func F(_ x: Double) -> Double { (1 - exp(-(p + q) * x)) / (1 + (q / p) * exp(-(p + q) * x)) }
        expectClose(ceiling * F(1), 0.091875, 1e-5)
        let s = Scenario(name: "bass", horizonYears: 8, discounting: noDiscounting,
                         authorities: [bassAuthority("B")], baseline: [], functions: [],
                         adoption: bass(p: p, q: q, ceiling: ceiling))
        let m = 8_000
        let columns = Simulation.run(try CompiledModel(s), settings: RunSettings(iterations: m, seed: 2024, threads: 2))
        let (joins, neverCount) = columns.joinYearCounts(authority: 0)
        #expect(joins.reduce(neverCount, +) == m)
        for k in [0, 2, 4, 7] {
            let expected = ceiling * F(Double(k + 1))
            let observed = Double(joins[0...k].reduce(0, +)) / Double(m)
            let se = (expected * (1 - expected) / Double(m)).squareRoot()
            #expect(abs(observed - expected) < 5 * se, "P(J ≤ \(k)): observed \(observed), expected \(expected) ± \(se)")
        }
        // Never within the horizon: 1 − 0.8 F(8).
        let never = Double(neverCount) / Double(m)
        let expectedNever = 1 - ceiling * F(8)
        #expect(abs(never - expectedNever) < 5 * (expectedNever * (1 - expectedNever) / Double(m)).squareRoot())
    }
}

@Suite("Programme delay (MODEL.md §4, §6, §11)")
struct DelayTests {
    /// A fixed at 0; B the only Bass joiner (base case v = 0.5 ⇒ τ = 2 ln 6 = 3.58 ⇒ J = 3).
    func scenario(delay: Double, optimismBias: Double = 0.5) -> Scenario {
        Scenario(name: "delay", horizonYears: 8, discounting: noDiscounting,
                 authorities: [authority("A", joins: 0), bassAuthority("B")],
                 baseline: flatRows(2), functions: [rateFunction(rate: 0.1)],
                 adoption: bass(p: 0.1, q: 0.4, ceiling: 1),
                 delay: fixed(delay, "delay"), delayCostPerYear: fixed(1_000, "delay_cost_per_year"),
                 oneOffCosts: [perJoiner("transition", 100)],
                 optimismBias: fixed(optimismBias, "optimism_bias"))
    }

    @Test("Delay shifts fixed and Bass joins; its cost is D · per-year in year 0, not uplifted")
    func shiftsEveryJoin() throws {
        let undelayed = try baseCase(scenario(delay: 0))
        #expect(undelayed.joinYears == [0, 3])

        let out = try baseCase(scenario(delay: 2))
        // D = 2: A 0 + 2 = 2, B 3 + 2 = 5.
        #expect(out.joinYears == [2, 5])
        expectClose(out.series(.members), [0, 0, 1, 1, 1, 2, 2, 2])
        expectClose(out.scalar(.delayYears), 2)
        // One-off costs: delay 1,000 · 2 = 2,000 in year 0 (optimism bias 50 % NOT applied);
        // per-joiner 100 · 1.5 = 150 in each delayed join year, t = 2 and t = 5 — in t = 2 the
        // service is not operating (one member), the joiner is charged anyway.
        expectClose(out.series(.oneOffCosts), [2_000, 0, 150, 0, 0, 150, 0, 0])
        // Savings only from t = 5 (two members): 2 × 1,000 a year for 3 years = 6,000.
        expectClose(out.series(.cashableSavings), [0, 0, 0, 0, 0, 2_000, 2_000, 2_000])
        // NPV (r = 0) = 6,000 − 2,000 − 300 = 3,700.
        expectClose(out.scalar(.npvFinancial), 3_700)
        // Per authority: the year-0 delay cost is shared, and A(0) is empty, so the
        // earliest-joining cohort {A} (delayed join 2) bears it:
        // A = 3,000 − 150 − 2,000 = 850; B = 3,000 − 150 = 2,850.
        expectClose(out.npvs, [850, 2_850])
    }

    @Test("Delay is floored to whole years, cost included")
    func floored() throws {
        let out = try baseCase(scenario(delay: 1.7))
        // D = ⌊1.7⌋ = 1: A joins 1, B 4; delay cost 1,000 · 1.
        #expect(out.joinYears == [1, 4])
        expectClose(out.series(.oneOffCosts)[0], 1_000)
    }

    @Test("An uncertain delay takes its median in the base case")
    func medianDelay() throws {
        // discrete{0, 1, 2 | 0.2, 0.5, 0.3}: F(0) = 0.2 < 0.5 ≤ F(1) = 0.7 ⇒ median 1 (MODEL.md §11).
        var s = scenario(delay: 0)
        s.delay = uncertain(try .discrete(values: [0, 1, 2], weights: [0.2, 0.5, 0.3]), "delay")
        let out = try baseCase(s)
        #expect(out.joinYears == [1, 4])
    }
}

@Suite("Exit (MODEL.md §4, §11)")
struct ExitTests {
    @Test("G = ⌈ln(1−u)/ln(1−h)⌉ − 1 by hand")
    func inverse() {
        // h = 0.5: u = 0.1 ⇒ ln 0.9/ln 0.5 = 0.152 ⇒ ⌈⌉ = 1 ⇒ G = 0
        //          u = 0.6 ⇒ ln 0.4/ln 0.5 = 1.322 ⇒ 2 ⇒ G = 1
        //          u = 0.8 ⇒ ln 0.2/ln 0.5 = 2.322 ⇒ 3 ⇒ G = 2
        //          u = 0.99 ⇒ ln 0.01/ln 0.5 = 6.644 ⇒ 7 ⇒ G = 6
        // h = 0.2: u = 0.5 ⇒ ln 0.5/ln 0.8 = 3.106 ⇒ 4 ⇒ G = 3
        #expect(Formulas.geometricFailures(u: 0.1, hazard: 0.5) == 0)
        #expect(Formulas.geometricFailures(u: 0.6, hazard: 0.5) == 1)
        #expect(Formulas.geometricFailures(u: 0.8, hazard: 0.5) == 2)
        #expect(Formulas.geometricFailures(u: 0.99, hazard: 0.5) == 6)
        #expect(Formulas.geometricFailures(u: 0.5, hazard: 0.2) == 3)
        // h = 0 never exits; h = 1 leaves at once.
        #expect(Formulas.geometricFailures(u: 0.7, hazard: 0) == nil)
        #expect(Formulas.geometricFailures(u: 0.7, hazard: 1) == 0)
    }

    @Test("Mean of many draws is (1 − h)/h within 5 SE; P(G = 0) = h")
    func geometricMean() {
        // h = 0.2: E[G] = 0.8/0.2 = 4, Var[G] = (1 − h)/h² = 20, SE = √(20/n).
        let h = 0.2, n = 100_000
        let stream = RandomStream(seed: 11, block: 0)
        var sum = 0.0, zeros = 0
        for _ in 0..<n {
            let g = Formulas.geometricFailures(u: stream.uniform(), hazard: h)!
            sum += Double(g)
            if g == 0 { zeros += 1 }
        }
        let se = (20.0 / Double(n)).squareRoot()
        #expect(abs(sum / Double(n) - 4) < 5 * se)
        let seZero = (h * (1 - h) / Double(n)).squareRoot()
        #expect(abs(Double(zeros) / Double(n) - h) < 5 * seZero)
    }

    @Test("E = J + D + 1 + G; exit cost in year E, none at or after T; an exited member stops saving")
    func exitYears() throws {
        // A, B, C join 0, D joins 10, E is a Bass joiner that never joins (v = 0.9 ≥ ceiling 0.5).
        // Delay D = 1, h = 0.5, exit cost £700 (optimism bias 50 % must NOT touch it), ongoing
        // annual £50, each authority £1,000 saving a year, min_partners 2, T = 6.
        // Exit uniforms A 0.1, B 0.8, C 0.99, D 0.1, E 0.1 ⇒ G = 0, 2, 6, 0, 0 (hand values above):
        //   A: E = 0 + 1 + 1 + 0 = 2      B: E = 0 + 1 + 1 + 2 = 4
        //   C: E = 0 + 1 + 1 + 6 = 8 ≥ T (no cost)
        //   D: J = 11 ≥ T ⇒ E = 12 (no cost);  E never joins ⇒ never exits.
        let s = Scenario(name: "exit", horizonYears: 6, discounting: noDiscounting,
                         authorities: [authority("A"), authority("B"), authority("C"), authority("D", joins: 10), bassAuthority("E")],
                         baseline: flatRows(5), functions: [rateFunction(rate: 0.1)],
                         adoption: bass(p: 0.1, q: 0.4, ceiling: 0.5),
                         delay: fixed(1, "delay"),
                         exit: ExitRule(annualHazard: fixed(0.5, "exit.h"), cost: fixed(700, "exit.cost")),
                         ongoingCosts: [annual("client", 50)], optimismBias: fixed(0.5, "optimism_bias"))
        let out = try evaluate(s, bass: [0.9], exit: [0.1, 0.8, 0.99, 0.1, 0.1])
        // Members: t0 none (joins delayed to 1); t1 A B C; t2 B C; t3 B C; t4 C; t5 C.
        expectClose(out.series(.members), [0, 3, 2, 2, 1, 1])
        expectClose(out.series(.exitCosts), [0, 0, 700, 0, 700, 0])
        expectClose(out.scalar(.exits), 2)
        // Savings: 3,000 at t1, 2,000 at t2–t3, then one member < min_partners ⇒ 0.
        expectClose(out.series(.cashableSavings), [0, 3_000, 2_000, 2_000, 0, 0])
        // Ongoing annual runs from the first operating year (t1) to the end, even when
        // membership falls below min_partners again (MODEL.md §11).
        expectClose(out.series(.ongoingCosts), [0, 50, 50, 50, 50, 50])
        // NPV = 7,000 − 1,400 − 250 = 5,350.
        expectClose(out.scalar(.npvFinancial), 5_350)
        // Per authority (baseline weights, all equal at £10,000 — E's too): shared costs are split
        // over A(t), which no longer contains the leaver, so A's exit cost at t2 falls on {B, C}
        // (350 each) and B's at t4 on {C} (700). Ongoing 50: t1 over 3 (16.67 each), t2–t3 over
        // {B, C} (25 each), t4–t5 C alone (50 each).
        //   A: 1,000 − 16.667                          =   983.333
        //   B: 3,000 − 16.667 − 50 − 350               = 2,583.333
        //   C: 3,000 − 16.667 − 50 − 100 − 350 − 700   = 1,783.333
        //   D, E: 0. Sum 5,350.
        expectClose(out.npvs, [1_000 - 50.0 / 3, 3_000 - 50.0 / 3 - 400, 3_000 - 50.0 / 3 - 1_200, 0, 0])
    }

    @Test("Simulated exits within the horizon: P = 1 − (1 − h)^(T − 1 − J)")
    func exitFrequency() throws {
        // One member joining 0, T = 5, h = 0.2: exits within the horizon iff E = 1 + G ≤ 4,
        // i.e. G ≤ 3: P = 1 − 0.8⁴ = 1 − 0.4096 = 0.5904.
        let s = Scenario(name: "exit", horizonYears: 5, discounting: noDiscounting,
                         authorities: [authority("A")], baseline: [], functions: [],
                         exit: ExitRule(annualHazard: fixed(0.2, "exit.h"), cost: fixed(1, "exit.cost")))
        let m = 4_000
        let columns = Simulation.run(try CompiledModel(s), settings: RunSettings(iterations: m, seed: 99, threads: 2))
        let p = Statistics.mean(columns.scalar(.exits))
        let se = (0.5904 * 0.4096 / Double(m)).squareRoot()
        #expect(abs(p - 0.5904) < 5 * se, "observed \(p)")
    }
}
