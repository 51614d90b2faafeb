import Foundation
import Stochastics
import Testing
@testable import ScenarioFiles

/// The scenarios shipped in scenarios/ must load without a single problem.
@Suite struct BundledScenarioTests {
    func loadBundled(_ relative: String) throws -> Scenario {
        try ScenarioLoader.load(file: "\(repositoryRoot)/scenarios/\(relative)")
    }

    @Test func exampleLoads() throws {
        let s = try loadBundled("example.yaml")
        #expect(s.name == "Two districts share finance and HR")
        #expect(s.startYear == 2026 && s.horizonYears == 10 && s.priceBase == 2026)
        #expect(s.seed == 42 && s.iterations == 20000)
        #expect(s.discounting == .greenBook)
        #expect(s.authorities.map(\.name) == ["Northdown District Council", "Southvale Borough Council", "Eastmere District Council"])
        #expect(s.authorities[2].joins == .adoption)
        #expect(s.authorities[1].population == 112000)
        #expect(s.baseline.count == 6)
        let southPayroll = s.baseline[3]
        #expect(southPayroll.authority == 1 && southPayroll.function == 1)
        #expect(southPayroll.costPerFTE.distribution == (try Distribution.pert(min: 33000, mode: 35000, max: 39000)))
        #expect(southPayroll.costPerFTE.path == "baseline.Southvale Borough Council.hr.payroll.cost_per_fte")
        #expect(southPayroll.volume == nil)
        let ap = s.functions[0]
        #expect(ap.name == "finance.accounts_payable")
        guard case .rate(let rate) = ap.saving else { Issue.record("expected a rate"); return }
        #expect(rate.path == "functions.finance.accounts_payable.saving")
        #expect(rate.source == "assumption")
        let text = try String(contentsOfFile: "\(repositoryRoot)/scenarios/example.yaml", encoding: .utf8)
        #expect(rate.location?.line == line(of: "saving: {rate: {pert", in: text))
        #expect(rate.location?.column == 20)
        guard case .linear(let years) = ap.ramp else { Issue.record("expected linear"); return }
        #expect(years.distribution == .fixed(2) && years.path == "functions.finance.accounts_payable.ramp.years")
        #expect(ap.cashableShare.distribution == .fixed(0.9))
        let payroll = s.functions[1]
        guard case .scale(let beta) = payroll.saving else { Issue.record("expected a scale"); return }
        #expect(beta.distribution == (try Distribution.pert(min: 0.8, mode: 0.87, max: 0.95)))
        #expect(payroll.nonStaffSaving.distribution == .fixed(0) && payroll.cashableShare.distribution == .fixed(1))
        guard case .logistic(let midpoint, let steepness) = payroll.ramp else { Issue.record("expected logistic"); return }
        #expect(midpoint.distribution == .fixed(1.5) && steepness.distribution == .fixed(2))
        #expect(steepness.path == "functions.hr.payroll.ramp.steepness")
        #expect(s.adoption?.ceiling.distribution == .fixed(0.8))
        #expect(s.delay.distribution == (try Distribution.discrete(values: [0, 1, 2], weights: [0.6, 0.3, 0.1])))
        #expect(s.exit?.annualHazard.distribution == .fixed(0.01))
        #expect(s.minPartners == 2)
        #expect(s.oneOffCosts.count == 2)
        if case .profiled(let amount, let profile) = s.oneOffCosts[0].charge {
            #expect(amount.path == "one_off_costs.ICT implementation.amount")
            #expect(profile == [0.6, 0.4])
        } else { Issue.record("expected a profiled cost") }
        if case .perJoiner(let amount) = s.oneOffCosts[1].charge {
            #expect(amount.path == "one_off_costs.Onboarding.per_joiner")
        } else { Issue.record("expected a per-joiner cost") }
        #expect(s.ongoingCosts.count == 2)
        #expect(s.optimismBias.distribution == .fixed(0.25))
        #expect(s.costSharing == .baseline)
        #expect(s.efficiencyTarget == 0.025)
        #expect(s.risks.count == 2 && s.risks[1].savingsFactor?.distribution == .fixed(0.85) && s.risks[1].cost == nil)
        #expect(s.risks[0].cost?.distribution == (try Distribution.lognormal(median: 150000, p90: 600000)))
        #expect(s.correlations == [Correlation(first: "functions.finance.accounts_payable.saving",
                                               second: "one_off_costs.ICT implementation.amount", spearman: -0.3,
                                               location: s.correlations.first?.location)])
        #expect(s.published.first?.value == 1.2e6 && s.published.first?.throughYear == 2030)
        #expect(s.file.hasSuffix("scenarios/example.yaml"))
    }

    @Test func small2Loads() throws {
        let s = try loadBundled("bench/small-2.yaml")
        #expect(s.authorities.count == 2 && s.functions.count == 3 && s.baseline.count == 6)
        #expect(s.baseline[0].volume?.distribution == .fixed(41000))
        #expect(s.baseline[2].volume == nil)
        #expect(s.costSharing == .equal)
        guard case .steps(let steps) = s.functions[2].ramp else { Issue.record("expected steps"); return }
        #expect(steps.map(\.distribution) == [.fixed(0.5), .fixed(1)])
        #expect(steps.map(\.path) == ["functions.hr.recruitment.ramp.steps[0]", "functions.hr.recruitment.ramp.steps[1]"])
    }

    @Test func medium20Loads() throws {
        let s = try loadBundled("bench/medium-20.yaml")
        #expect(s.authorities.count == 20 && s.functions.count == 15 && s.baseline.count == 300)
        #expect(s.baseline.allSatisfy { $0.volume == nil })
        let first = s.baseline[0]
        #expect(first.fte.distribution == .fixed(4) && first.costPerFTE.distribution == .fixed(31600))
        #expect(first.fte.path == "baseline.Authority 001.finance.accounts_payable.fte")
        #expect(first.location == SourceLocation(file: "\(repositoryRoot)/scenarios/bench/medium-20-baseline.csv", line: 2, column: 1))
        #expect(first.fte.location?.column == 3)
        #expect(s.authorities.filter { $0.joins == .adoption }.count == 10)
        let timesheets = s.functions.first { $0.name == "hr.timesheets" }!
        guard case .steps(let steps) = timesheets.ramp else { Issue.record("expected steps"); return }
        #expect(steps[1].distribution == .uniform(0.6, 0.9))
        #expect(steps[1].path == "functions.hr.timesheets.ramp.steps[1]")
        #expect(s.costSharing == .baseline)
    }

    @Test func large150Loads() throws {
        let s = try loadBundled("bench/large-150.yaml")
        #expect(s.authorities.count == 150 && s.functions.count == 15 && s.baseline.count == 2250)
        #expect(s.baseline.allSatisfy { $0.volume != nil })
        #expect(s.baseline[0].volume?.distribution == .fixed(22058))
        #expect(s.costSharing == .population)
        #expect(s.realPayGrowth.distribution == .uniform(0, 0.02))
        #expect(s.correlations.count == 1 && s.correlations[0].first == "functions.finance.billing.saving")
        #expect(s.exit?.cost.distribution == (try Distribution.gamma(shape: 4, scale: 75000)))
        #expect(s.authorities.filter { $0.joins == .adoption }.count == 130)
    }
}
