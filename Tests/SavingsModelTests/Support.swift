// Helpers shared by the SavingsModel tests: tiny scenarios built in code (never through
// the YAML loader), one-iteration evaluation with chosen inputs, and tolerant comparison.
//
// Nothing here computes an expected number: every expectation is derived by hand in the
// test that states it, from /work/shared/MODEL.md.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

// MARK: - Building scenarios

/// A fixed input with a path (paths only matter for `Workspace` overrides and correlations).
func fixed(_ x: Double, _ path: String = "fixed") -> Input { .fixed(x, path: path) }

/// An uncertain input; the distribution must already be validated by its constructor.
func uncertain(_ d: Distribution, _ path: String) -> Input { Input(d, path: path) }

/// No discounting: DF(t) = 1, so NPV = plain sum of net cash flows.
let noDiscounting = Discounting.constant(rate: 0)

func authority(_ name: String, joins year: Double = 0, population: Double? = nil) -> Authority {
    Authority(name: name, joins: .year(fixed(year, "authorities.\(name).joins")), population: population)
}

func bassAuthority(_ name: String, population: Double? = nil) -> Authority {
    Authority(name: name, joins: .adoption, population: population)
}

func row(_ a: Int, _ f: Int = 0, fte: Double, costPerFTE: Double, nonStaff: Double = 0, volume: Double? = nil) -> BaselineRow {
    BaselineRow(authority: a, function: f,
                fte: fixed(fte, "baseline.\(a).\(f).fte"),
                costPerFTE: fixed(costPerFTE, "baseline.\(a).\(f).cost_per_fte"),
                nonStaff: fixed(nonStaff, "baseline.\(a).\(f).non_staff"),
                volume: volume.map { fixed($0, "baseline.\(a).\(f).volume") })
}

func rateFunction(_ name: String = "finance", rate: Double, nonStaffSaving: Double = 0,
                  ramp: RealisationRamp = .immediate, cashable: Double = 1) -> BackOfficeFunction {
    BackOfficeFunction(name: name, saving: .rate(fixed(rate, "functions.\(name).saving")),
                       nonStaffSaving: fixed(nonStaffSaving, "functions.\(name).non_staff_saving"),
                       ramp: ramp, cashableShare: fixed(cashable, "functions.\(name).cashable_share"))
}

func scaleFunction(_ name: String = "finance", beta: Double, cashable: Double = 1) -> BackOfficeFunction {
    BackOfficeFunction(name: name, saving: .scale(elasticity: fixed(beta, "functions.\(name).elasticity")),
                       nonStaffSaving: fixed(0, "functions.\(name).non_staff_saving"),
                       ramp: .immediate, cashableShare: fixed(cashable, "functions.\(name).cashable_share"))
}

func profiled(_ name: String, _ amount: Double, _ profile: [Double]) -> OneOffCost {
    OneOffCost(name: name, charge: .profiled(amount: fixed(amount, "one_off.\(name)"), profile: profile))
}

func perJoiner(_ name: String, _ amount: Double) -> OneOffCost {
    OneOffCost(name: name, charge: .perJoiner(fixed(amount, "one_off.\(name)")))
}

func annual(_ name: String, _ amount: Double) -> OngoingCost {
    OngoingCost(name: name, charge: .annual(fixed(amount, "ongoing.\(name)")))
}

func perMember(_ name: String, _ amount: Double) -> OngoingCost {
    OngoingCost(name: name, charge: .perMember(fixed(amount, "ongoing.\(name)")))
}

func workforce(redundancyPerFTE: Double, attrition: Double = 0) -> Workforce {
    Workforce(redundancyCostPerFTE: fixed(redundancyPerFTE, "workforce.redundancy_cost_per_fte"),
              attritionAbsorbs: fixed(attrition, "workforce.attrition_absorbs"))
}

func bass(p: Double, q: Double, ceiling: Double) -> BassAdoption {
    BassAdoption(p: fixed(p, "adoption.p"), q: fixed(q, "adoption.q"), ceiling: fixed(ceiling, "adoption.ceiling"))
}

// MARK: - Running one iteration

/// The outputs of one iteration, read from `SimulationColumns` (iteration 0).
struct Outcome {
    let model: CompiledModel
    let columns: SimulationColumns
    var years: Int { model.years }

    /// The series for t = 0 … T−1.
    func series(_ s: YearlySeries) -> [Double] {
        (0..<years).map { columns.series(s, year: $0, years: years)[0] }
    }
    func scalar(_ m: ScalarMetric) -> Double { columns.scalar(m)[0] }
    func npv(_ i: Int) -> Double { columns.authorityNPV[i][0] }
    var npvs: [Double] { columns.authorityNPV.map { $0[0] } }
    /// Delayed join year, or −1 when not within the horizon (read from the one iteration's
    /// join-year counts: a 1 in its year's slot).
    func joinYear(_ i: Int) -> Int {
        precondition(columns.iterations == 1)
        let (counts, never) = columns.joinYearCounts(authority: i)
        precondition(counts.reduce(never, +) == 1)
        return counts.firstIndex(of: 1) ?? -1
    }
    /// Every authority's join year (−1: not within the horizon).
    var joinYears: [Int] { (0..<model.authorityCount).map(joinYear) }
}

/// The deterministic base case (MODEL.md §2) through the public engine.
func baseCase(_ scenario: Scenario) throws -> Outcome {
    let model = try CompiledModel(scenario)
    return Outcome(model: model, columns: Simulation.baseCase(model))
}

/// One iteration with chosen uniforms: scalar inputs at their medians unless overridden by
/// path; Bass uniforms (one per Bass joiner, listed order), exit uniforms (one per
/// authority) and risk uniforms (`risk[r][t]`, event when u > 1 − p) as given, else 0.5
/// (Bass: (k + 0.5)/n as in the base case).
func evaluate(_ scenario: Scenario, values: [String: Double] = [:], bass: [Double]? = nil,
              exit: [Double]? = nil, risk: [[Double]]? = nil) throws -> Outcome {
    let model = try CompiledModel(scenario)
    let space = model.space
    let w = Workspace(model: model)
    for (k, input) in space.scalars.enumerated() { w.values[k] = input.distribution.median }
    for (path, x) in values {
        let k = try #require(space.indexByPath[path], "no uncertain input at \(path)")
        w.values[k] = x
    }
    for k in 0..<space.eventUniformCount { w.events[k] = 0.5 }
    for k in 0..<space.bassUniformCount {
        w.events[k] = bass?[k] ?? (Double(k) + 0.5) / Double(space.bassUniformCount)
    }
    if let exit {
        #expect(exit.count == space.exitUniformCount, "one exit uniform per authority")
        for (i, u) in exit.enumerated() { w.events[space.exitOffset + i] = u }
    }
    if let risk {
        let T = model.years
        for (r, us) in risk.enumerated() {
            for (t, u) in us.enumerated() { w.events[space.riskOffset + r * T + t] = u }
        }
    }
    w.evaluate()
    var columns = SimulationColumns(model: model, capacity: 1, blocks: 1)
    columns.append(w)
    return Outcome(model: model, columns: columns)
}

// MARK: - Comparing numbers

/// |a − b| ≤ tolerance · max(1, |b|): absolute near zero, relative for large figures.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= tolerance * Swift.max(1, abs(b))
}

func expectClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9, _ what: String = "",
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(close(a, b, tolerance), "\(what) got \(a), expected \(b)", sourceLocation: sourceLocation)
}

func expectClose(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9, _ what: String = "",
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let same = a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
    #expect(same, "\(what) got \(a), expected \(b)", sourceLocation: sourceLocation)
}

// MARK: - A richer random scenario (conservation, reproducibility)

/// Five authorities (three fixed, two Bass), a rate and a scale function, and every kind
/// of uncertainty, cost and event, so engine-level properties are tested where the code
/// has the most paths.
func richScenario(costSharing: CostSharing = .baseline, horizon: Int = 10,
                  discounting: Discounting = .greenBook) throws -> Scenario {
    let authorities = [
        authority("Ashby", joins: 0, population: 120_000),
        authority("Barton", joins: 1, population: 80_000),
        bassAuthority("Carlton", population: 150_000),
        Authority(name: "Dunmore", joins: .year(uncertain(try .discrete(values: [0, 2, 4], weights: [0.5, 0.3, 0.2]), "authorities.Dunmore.joins")),
                  population: 60_000),
        bassAuthority("Elton", population: 95_000),
    ]
    var baseline: [BaselineRow] = []
    for a in 0..<5 {
        baseline.append(BaselineRow(
            authority: a, function: 0,
            fte: uncertain(try .triangular(min: 8 + Double(a), mode: 12 + Double(a), max: 20), "baseline.\(a).0.fte"),
            costPerFTE: fixed(32_000 + 1_000 * Double(a), "baseline.\(a).0.cost_per_fte"),
            nonStaff: fixed(40_000, "baseline.\(a).0.non_staff")))
        if a != 3 {  // Dunmore has no payroll row
            baseline.append(BaselineRow(
                authority: a, function: 1,
                fte: fixed(4 + Double(a), "baseline.\(a).1.fte"),
                costPerFTE: fixed(29_000, "baseline.\(a).1.cost_per_fte"),
                nonStaff: fixed(15_000, "baseline.\(a).1.non_staff"),
                volume: uncertain(try .uniform(min: 5_000, max: 30_000), "baseline.\(a).1.volume")))
        }
    }
    let functions = [
        BackOfficeFunction(name: "finance",
                           saving: .rate(uncertain(try .pert(min: 0.05, mode: 0.15, max: 0.3), "functions.finance.saving")),
                           nonStaffSaving: uncertain(try .uniform(min: 0, max: 0.2), "functions.finance.non_staff_saving"),
                           ramp: .linear(years: uncertain(try .uniform(min: 1, max: 4), "functions.finance.ramp.years")),
                           cashableShare: uncertain(try .uniform(min: 0.5, max: 1), "functions.finance.cashable_share")),
        BackOfficeFunction(name: "payroll",
                           saving: .scale(elasticity: uncertain(try .uniform(min: 0.6, max: 0.95), "functions.payroll.elasticity")),
                           nonStaffSaving: fixed(0.1, "functions.payroll.non_staff_saving"),
                           ramp: .logistic(midpoint: fixed(2, "m"), steepness: fixed(1.5, "k")),
                           cashableShare: fixed(0.8, "functions.payroll.cashable_share")),
    ]
    return Scenario(
        name: "rich", horizonYears: horizon, discounting: discounting,
        realPayGrowth: uncertain(try .uniform(min: 0, max: 0.02), "real_pay_growth"),
        authorities: authorities, baseline: baseline, functions: functions,
        adoption: BassAdoption(p: uncertain(try .uniform(min: 0.05, max: 0.2), "adoption.p"),
                               q: fixed(0.4, "adoption.q"),
                               ceiling: uncertain(try .uniform(min: 0.6, max: 1), "adoption.ceiling")),
        delay: uncertain(try .discrete(values: [0, 1, 2], weights: [0.6, 0.3, 0.1]), "delay"),
        delayCostPerYear: fixed(50_000, "delay_cost_per_year"),
        exit: ExitRule(annualHazard: uncertain(try .uniform(min: 0, max: 0.15), "exit.annual_hazard"),
                       cost: uncertain(try .pert(min: 20_000, mode: 50_000, max: 120_000), "exit.cost")),
        minPartners: 2,
        benefitRealisation: uncertain(try .triangular(min: 0.6, mode: 0.9, max: 1), "benefit_realisation"),
        workforce: Workforce(redundancyCostPerFTE: uncertain(try .uniform(min: 20_000, max: 40_000), "workforce.redundancy_cost_per_fte"),
                             attritionAbsorbs: fixed(0.3, "workforce.attrition_absorbs")),
        oneOffCosts: [
            OneOffCost(name: "ict", charge: .profiled(amount: uncertain(try .pert(min: 200_000, mode: 300_000, max: 600_000), "one_off.ict"),
                                                      profile: [0.5, 0.3, 0.2])),
            OneOffCost(name: "transition", charge: .perJoiner(uncertain(try .uniform(min: 10_000, max: 30_000), "one_off.transition"))),
        ],
        ongoingCosts: [annual("client", 60_000), perMember("licence", 8_000)],
        optimismBias: uncertain(try .uniform(min: 0.1, max: 0.4), "optimism_bias"),
        costSharing: costSharing,
        risks: [
            RiskEvent(name: "outage", annualProbability: fixed(0.1, "risks.outage.p"),
                      cost: uncertain(try .uniform(min: 10_000, max: 50_000), "risks.outage.cost"),
                      savingsFactor: fixed(0.9, "risks.outage.factor")),
            RiskEvent(name: "audit", annualProbability: fixed(0.05, "risks.audit.p"),
                      cost: fixed(25_000, "risks.audit.cost")),
        ],
        correlations: [Correlation(first: "functions.finance.saving", second: "benefit_realisation", spearman: 0.5)])
}

/// Overwrites a column's values (tests that plant known numbers to summarise).
func plant(_ column: Column, _ values: [Double]) {
    precondition(values.count == column.count)
    for (i, v) in values.enumerated() { column[i] = v }
}

/// A run's per-block tallies (each authority's cost sums and join-year counts) as the
/// partial file's bytes: equal bytes, equal tallies.
func tallyBytes(_ c: SimulationColumns) -> [UInt8] { c.partners.bytes(slots: 0..<c.blocks) }
