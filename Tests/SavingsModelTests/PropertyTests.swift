// Properties that hold for every scenario, checked with swift-property-based on scenarios
// built from a vector of uniforms (so failures shrink towards small inputs). Each case is
// one iteration with chosen event uniforms (Bass, exit, risk) through `Workspace`.
//
// Deliberately NOT claimed: "NPV rises with the saving rate" — a higher rate releases
// more FTE and so costs more redundancy, which can outweigh the extra saving.
import Foundation
import PropertyBased
import ScenarioFiles
import Testing
@testable import SavingsModel

/// Three authorities (two fixed, one Bass), one function, every cost kind, one risk, T = 6.
/// `u` holds 40 uniforms on [0, 1].
private func scenario(_ u: [Double], rate: Double, optimismBias: Double, sharing: CostSharing = .baseline) -> Scenario {
    Scenario(
        name: "property", horizonYears: 6, discounting: .greenBook,
        realPayGrowth: fixed(0.03 * u[0], "g"),
        authorities: [authority("A", joins: (4 * u[1]).rounded(.down), population: 1 + 100 * u[2]),
                      authority("B", joins: (4 * u[3]).rounded(.down), population: 1 + 100 * u[4]),
                      bassAuthority("C", population: 1 + 100 * u[5])],
        baseline: (0..<3).map { row($0, fte: 5 + 20 * u[6 + $0], costPerFTE: 20_000 + 20_000 * u[9 + $0], nonStaff: 50_000 * u[12 + $0]) },
        functions: [rateFunction(rate: rate, nonStaffSaving: 0.3 * u[15],
                                 ramp: .linear(years: fixed(1 + 3 * u[16], "R")), cashable: u[17])],
        adoption: bass(p: 0.1, q: 0.4, ceiling: 0.9),
        delay: fixed((2 * u[18]).rounded(.down), "delay"), delayCostPerYear: fixed(10_000 * u[19], "delay_cost"),
        exit: ExitRule(annualHazard: fixed(0.3 * u[20], "h"), cost: fixed(10_000 * u[21], "exit.cost")),
        benefitRealisation: fixed(0.5 + 0.5 * u[22], "phi"),
        workforce: workforce(redundancyPerFTE: 10_000 + 30_000 * u[23], attrition: 0.5 * u[24]),
        oneOffCosts: [profiled("ict", 100_000 * u[25], [0.5, 0.5]), perJoiner("transition", 20_000 * u[26])],
        ongoingCosts: [annual("client", 20_000 * u[27]), perMember("licence", 5_000 * u[28])],
        optimismBias: fixed(optimismBias, "optimism_bias"), costSharing: sharing,
        risks: [RiskEvent(name: "r", annualProbability: fixed(0.5 * u[29], "risk.p"),
                          cost: fixed(5_000 * u[30], "risk.cost"), savingsFactor: fixed(0.7 + 0.3 * u[31], "risk.f"))])
}

/// One iteration with the event uniforms also taken from `u`.
private func run(_ s: Scenario, _ u: [Double]) throws -> Outcome {
    try evaluate(s, bass: [u[32]], exit: [u[33], u[34], u[35]], risk: [Array(u[36..<40]) + [u[0], u[1]]])
}

private let uniforms = Gen.double(in: 0...1).array(of: 40)

@Suite("Model properties (swift-property-based)")
struct PropertyTests {
    @Test("Cashable savings never fall, in any year, when the saving rate rises")
    func cashableMonotoneInRate() async {
        await propertyCheck(input: uniforms, Gen.double(in: 0...0.5), Gen.double(in: 0...0.5)) { u, a, b in
            let low = try run(scenario(u, rate: Swift.min(a, b), optimismBias: 0.2), u)
            let high = try run(scenario(u, rate: Swift.max(a, b), optimismBias: 0.2), u)
            for (l, h) in zip(low.series(.cashableSavings), high.series(.cashableSavings)) {
                #expect(h >= l - 1e-9 * Swift.max(1, abs(l)))
            }
            #expect(high.scalar(.pvCashableSavings) >= low.scalar(.pvCashableSavings) * (1 - 1e-12))
        }
    }

    @Test("With no saving, NPV = −PV(costs) = −Σ DF(t) · costs(t)")
    func zeroSaving() async {
        await propertyCheck(input: uniforms) { u in
            var s = scenario(u, rate: 0, optimismBias: 0.3)
            s.functions[0].nonStaffSaving = fixed(0, "ns")
            let out = try run(s, u)
            #expect(out.series(.cashableSavings).allSatisfy { $0 == 0 })
            let pv = zip(out.model.discountFactors, out.series(.totalCosts)).reduce(0) { $0 + $1.0 * $1.1 }
            expectClose(out.scalar(.npvFinancial), -out.scalar(.pvCosts), 1e-12)
            expectClose(out.scalar(.npvFinancial), -pv, 1e-12)
        }
    }

    @Test("More optimism bias never raises NPV")
    func optimismBiasMonotone() async {
        await propertyCheck(input: uniforms, Gen.double(in: 0...1), Gen.double(in: 0...1)) { u, a, b in
            let rate = 0.3 * u[39]
            let less = try run(scenario(u, rate: rate, optimismBias: Swift.min(a, b)), u)
            let more = try run(scenario(u, rate: rate, optimismBias: Swift.max(a, b)), u)
            #expect(more.scalar(.npvFinancial) <= less.scalar(.npvFinancial) + 1e-9 * Swift.max(1, abs(less.scalar(.npvFinancial))))
            // Savings do not depend on optimism bias at all.
            #expect(more.series(.cashableSavings) == less.series(.cashableSavings))
        }
    }

    @Test("Partner NPVs add up to npv_financial under any cost sharing")
    func conservation() async {
        let modes = Gen.int(in: 0...4)
        await propertyCheck(input: uniforms, modes, Gen.double(in: 0...3).array(of: 3)) { u, mode, w in
            let sharing: CostSharing = [.baseline, .equal, .population, .fte, .weights(w)][mode]
            let out = try run(scenario(u, rate: 0.3 * u[39], optimismBias: 0.2, sharing: sharing), u)
            let scale = out.scalar(.pvCashableSavings) + out.scalar(.pvCosts)
            #expect(abs(out.npvs.reduce(0, +) - out.scalar(.npvFinancial)) <= 1e-9 * Swift.max(1, scale))
        }
    }

    @Test("npv = PV(cashable) − PV(costs); npv_economic ≥ npv_financial")
    func identities() async {
        await propertyCheck(input: uniforms) { u in
            let out = try run(scenario(u, rate: 0.4 * u[39], optimismBias: 0.1), u)
            let scale = out.scalar(.pvCashableSavings) + out.scalar(.pvCosts)
            #expect(abs(out.scalar(.npvFinancial) - (out.scalar(.pvCashableSavings) - out.scalar(.pvCosts))) <= 1e-9 * Swift.max(1, scale))
            #expect(out.scalar(.npvEconomic) >= out.scalar(.npvFinancial) - 1e-9 * Swift.max(1, scale))
            if out.scalar(.pvCosts) > 0 {
                expectClose(out.scalar(.bcr), out.scalar(.pvCashableSavings) / out.scalar(.pvCosts), 1e-12)
            }
        }
    }
}
