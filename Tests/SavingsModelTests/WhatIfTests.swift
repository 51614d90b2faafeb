// What-if analysis (docs/whatif.md): common random numbers, goal seek and switching values
// against closed forms, paired differences. (EVPI by hand: ValueOfInformationTests.)
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

@Suite("What-if analysis (docs/whatif.md)")
struct WhatIfTests {
    /// Two councils, one function saving a share s of £1m staff cost a year from year 0,
    /// a one-off cost C = £600k in year 0, no other cost, five years at 3.5 %.
    /// NPV(s) = s · £1m · Σ_{t<5} 1.035⁻ᵗ − C, so the switching value is s* = C / (£1m · Σ DF).
    static let deterministic = """
    name: Closed form
    horizon_years: 5
    discounting: {rate: 0.035}
    authorities:
      - {name: A, joins: 0}
      - {name: B, joins: 0}
    baseline:
      - {authority: A, function: finance, fte: 10, cost_per_fte: 50000, non_staff: 0}
      - {authority: B, function: finance, fte: 10, cost_per_fte: 50000, non_staff: 0}
    functions:
      finance:
        saving: {rate: 0.2}
    workforce: {redundancy_cost_per_fte: 0}
    optimism_bias: 0
    one_off_costs:
      - {name: Build, amount: 600000}

    """

    static var closedFormRoot: Double {
        let sumDF = (0..<5).reduce(0.0) { $0 + pow(1.035, -Double($1)) }
        return 600_000 / (1_000_000 * sumDF)
    }

    func model(_ yaml: String, _ sets: [String] = []) throws -> CompiledModel {
        let overrides = try sets.map { (s: String) throws(ScenarioErrors) in try ScenarioOverride(argument: s) }
        return try CompiledModel(try ScenarioLoader.load(yaml: yaml, file: "w.yaml", baseDirectory: ".", overrides: overrides))
    }

    static let uncertain = """
    name: Uncertain
    horizon_years: 6
    authorities:
      - {name: A, joins: 0}
      - {name: B, joins: adoption}
      - {name: C, joins: adoption}
    adoption: {p: 0.1, q: 0.4, ceiling: 1}
    exit: {annual_hazard: 0.05, cost: 100000}
    baseline:
      - {authority: A, function: finance, fte: 10, cost_per_fte: {pert: [40000, 50000, 60000]}, non_staff: 0}
      - {authority: B, function: finance, fte: 12, cost_per_fte: 50000, non_staff: 0}
      - {authority: C, function: finance, fte: 8, cost_per_fte: 50000, non_staff: 0}
    functions:
      finance:
        saving: {rate: {uniform: [0.1, 0.3]}}
    delay_cost_per_year: 0
    one_off_costs:
      - {name: Build, amount: {triangular: [400000, 500000, 900000]}}
    risks:
      - {name: Failure, annual_probability: 0.1, cost: 200000}

    """

    @Test("Solve on a deterministic scenario finds the closed-form switching value")
    func solveMatchesClosedForm() throws {
        let settings = RunSettings(iterations: 10, seed: 3, threads: 1)
        let outcome = try GoalSeek.solve(low: 0, high: 1, limits: 0...1, tolerance: 1e-10) { s in
            let m = try model(Self.deterministic, ["functions.finance.saving.rate=\(s)"])
            let npv = PairedSimulation.scalars([m], settings: settings)[0][ScalarMetric.npvFinancial.rawValue]
            return OutputStatistic(kind: .percentile(0.5), metric: .npvFinancial).value(of: npv)
        }
        let root = try #require(outcome.value)
        #expect(abs(root - Self.closedFormRoot) < 1e-9, "root \(root), closed form \(Self.closedFormRoot)")
        // The bracket was narrowed to the tolerance, and the search stayed inside [0, 1].
        #expect(outcome.high - outcome.low <= 1e-10 && outcome.low >= 0 && outcome.high <= 1)
    }

    @Test("Switching values: base-case and probabilistic ones match the closed form when only the input is uncertain")
    func switchingValuesClosedForm() throws {
        let m = try model(Self.deterministic, ["functions.finance.saving.rate=uniform(0.1,0.3)"])
        let k = try #require(m.space.indexByPath["functions.finance.saving"])
        let values = SwitchingValues.compute(m, inputs: [k], settings: RunSettings(iterations: 50, seed: 9, threads: 1),
                                             iterations: 50)
        let v = try #require(values.first)
        let tolerance = 1e-3 * 0.2 * 3  // the search's own tolerance (1e-3 of its starting width, ≤ 3 × 0.2)
        #expect(abs(try #require(v.deterministic) - Self.closedFormRoot) <= tolerance)
        #expect(abs(try #require(v.probabilistic) - Self.closedFormRoot) <= tolerance)
        #expect(v.median == 0.2)
    }

    @Test("GoalSeek widens a bracket without a sign change, and gives up inside its limits")
    func bracketing() {
        let found = GoalSeek.solve(low: 0, high: 1, tolerance: 1e-12) { $0 - 5.5 }
        #expect(abs((found.value ?? .nan) - 5.5) < 1e-9)
        let none = GoalSeek.solve(low: 0, high: 1, limits: 0...2, tolerance: 1e-6) { $0 * $0 + 1 }
        #expect(none.value == nil)
        #expect(none.searchedLow == 0 && none.searchedHigh == 2)
    }

    @Test("Common random numbers: a fixed cost change moves every iteration's NPV by exactly its present value")
    func commonRandomNumbers() throws {
        let base = try model(Self.uncertain)
        let dearer = try model(Self.uncertain, ["delay_cost_per_year=0", "risks.Failure.cost=200000",
                                                "one_off_costs.Build.amount=triangular(450000,550000,950000)"])
        let settings = RunSettings(iterations: 3000, seed: 11, threads: 2)
        let r = PairedSimulation.scalars([base, dearer], settings: settings)
        let a = r[0][ScalarMetric.npvFinancial.rawValue], b = r[1][ScalarMetric.npvFinancial.rawValue]
        // The triangular's quantile moves by exactly 50,000 at every u (a shift of the whole
        // distribution), the cost falls in year 0 (DF = 1) uplifted by the default optimism
        // bias of 0, so NPV falls by exactly £50,000 in every iteration — only if the same
        // uniforms drive both variants.
        for i in a.indices { #expect(abs((a[i] - b[i]) - 50_000) < 1e-6 * 50_000) }
        let d = try #require(PairedDifference(b, a))
        #expect(abs(d.summary.mean + 50_000) < 1e-6)
        #expect(d.summary.sd < 1e-6)
        #expect(d.probabilityAGreater == 0)
        #expect(d.independentSE > 1000)  // independent runs would not see it so sharply
    }

    @Test("Common layout: shared names share columns; partners keep their own draws")
    func layout() throws {
        let base = try model(Self.uncertain)
        let fixedRate = try model(Self.uncertain, ["functions.finance.saving.rate=0.2"])
        let two = try CompiledModel(try ScenarioLoader.load(yaml: Self.uncertain, file: "w.yaml", baseDirectory: ".").firstPartners(2))
        let layout = CommonLayout(variants: [base, fixedRate, two])
        let keys = CommonLayout.keys(of: base)
        #expect(keys.contains("input:functions.finance.saving"))
        #expect(keys.contains("bass:B") && keys.contains("bass:C") && keys.contains("exit:A") && keys.contains("risk:Failure:5"))
        func column(_ v: Int, _ key: String, _ model: CompiledModel) -> Int? {
            CommonLayout.keys(of: model).firstIndex(of: key).map { layout.columns[v][$0] }
        }
        for key in ["bass:B", "exit:A", "exit:B", "risk:Failure:0", "input:one_off_costs.Build.amount"] {
            #expect(column(0, key, base) == column(1, key, fixedRate), "\(key)")
            #expect(column(0, key, base) == column(2, key, two), "\(key)")
        }
        #expect(column(1, "input:functions.finance.saving", fixedRate) == nil)
        #expect(column(2, "bass:C", two) == nil)
        #expect(layout.dimension == keys.count)
    }

    @Test("Paired runs are identical for 1 and 2 threads, and a variant equal to the base gives equal results")
    func threadsAndIdentity() throws {
        let base = try model(Self.uncertain)
        let same = try model(Self.uncertain, ["optimism_bias=0"])  // the default, written out
        let one = PairedSimulation.scalars([base, same], settings: RunSettings(iterations: 2500, seed: 5, threads: 1))
        let two = PairedSimulation.scalars([base, same], settings: RunSettings(iterations: 2500, seed: 5, threads: 2))
        // Bit for bit (NaN — an undefined payback — equals itself here).
        func bits(_ x: [[Double]]) -> [[UInt64]] { x.map { $0.map(\.bitPattern) } }
        #expect(bits(one[0]) == bits(two[0]) && bits(one[1]) == bits(two[1]), "1 and 2 threads differ")
        #expect(bits(one[0]) == bits(one[1]), "a variant equal to the base differs from it")
        let other = PairedSimulation.scalars([base], settings: RunSettings(iterations: 2500, seed: 6, threads: 2))
        #expect(bits(other[0]) != bits(one[0]), "another seed gives the same numbers")
    }

    @Test("Partners sweep: the first k authorities with their rows and weights")
    func firstPartners() throws {
        let s = try ScenarioLoader.load(yaml: Self.uncertain + "cost_sharing: {weights: {A: 1, B: 2, C: 3}}\n",
                                        file: "w.yaml", baseDirectory: ".")
        let two = s.firstPartners(2)
        #expect(two.authorities.map(\.name) == ["A", "B"])
        #expect(two.baseline.count == 2 && two.baseline.allSatisfy { $0.authority < 2 })
        #expect(two.costSharing == .weights([1, 2]))
        #expect(try CompiledModel(two).authorityCount == 2)
    }

    @Test("Goal-seek targets are read as stat(output)")
    func statistics() throws {
        let p = try OutputStatistic.parse("p50(npv_financial)").get()
        #expect(p == OutputStatistic(kind: .percentile(0.5), metric: .npvFinancial))
        #expect(p.value(of: [1, 2, 3, 4]) == 2.5)
        #expect(try OutputStatistic.parse("mean(npv_economic_gbp)").get().value(of: [1, 2, .nan]) == 1.5)
        #expect(try OutputStatistic.parse("prob_positive(npv_financial)").get().value(of: [-1, 1, 2, 0]) == 0.5)
        #expect(p.description == "p50(npv_financial)")
        #expect(throws: WhatIfError.self) { try OutputStatistic.parse("p50(npv)").get() }
        #expect(throws: WhatIfError.self) { try OutputStatistic.parse("p150(npv_financial)").get() }
        #expect(throws: WhatIfError.self) { try OutputStatistic.parse("npv_financial").get() }
    }
}
