import Foundation
import Testing
@testable import ScenarioFiles

/// Fixtures/broken-scenario.yaml holds many mistakes (and names a broken CSV): every
/// one is reported in a single run, in file order, each with its place.
@Suite struct BrokenScenarioTests {
    @Test func reportsEverythingAtOnce() throws {
        let path = "\(fixturesDirectory)/broken-scenario.yaml"
        let csv = "\(fixturesDirectory)/broken-baseline.csv"
        var caught: ScenarioErrors?
        do { _ = try ScenarioLoader.load(file: path) } catch { caught = error }
        let errors = try #require(caught)
        let found = errors.problems

        func expect(_ keyPath: String, _ line: Int, _ message: String, file: String? = nil,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            expectProblem(found, keyPath: keyPath, line: line, file: file ?? path, message, sourceLocation: sourceLocation)
        }
        expect("horizon_years", 4, "must be between 1 and 125, got 0")
        expect("iterations", 5, "must be at least 1, got 0")
        expect("seed", 6, "the seed must be a whole number of 0 or more, got -5")
        expect("min_partners", 7, "must be at least 1, got 0")
        expect("discounting.kind", 8, "unknown key 'kind'")
        expect("authorities.Northdown.joins", 10, "joins: adoption needs an adoption: block")
        expect("authorities.Southvale.population", 11, "population must be 0 or more, got -5")
        expect("authorities.Northdown", 12, "the authority 'Northdown' is listed twice (first at line 10)")
        expect("authorities.Westley", 13, "this authority has no baseline row")
        expect("functions.hr.payroll.saving", 17, "pert: min (0.3) is greater than mode (0.2)")
        expect("functions.hr.payroll.cashable_share", 18, "cashable_share must lie between 0 and 1, got 1.5")
        expect("functions.hr.payroll.ramp.years", 19, "ramp years must be greater than 0, got 0")
        expect("functions.finance.accounts_payable.savng", 21, "unknown key 'savng'; did you mean 'saving'?")
        expect("functions.finance.accounts_payable.saving", 21, "'saving' is missing")
        expect("functions.finance.accounts_payable.ramp.steps[1]", 22, "a step must lie between 0 and 1, got 1.5")
        expect("delay", 23, "discrete: the weights sum to 0.9, not 1")
        expect("exit.annual_hazard", 24, "annual_hazard must lie between 0 and 1, got 2")
        expect("one_off_costs.ICT.amount", 26, "'£1.5 million' is not a number")
        expect("one_off_costs.ICT.profile", 26, "the profile shares add up to 1.1, not 1")
        expect("one_off_costs.ICT", 27, "the name 'ICT' is used twice in one_off_costs (first at line 26)")
        expect("cost_sharing.weights.Sothvale", 28, "'Sothvale' is not one of the authorities; did you mean 'Southvale'?")
        expect("cost_sharing.weights", 28, "no weight for 'Southvale', 'Westley'")
        expect("correlations[0].between", 30, "'functions.hr.payroll.savings' is not a random input of this scenario")
        expect("optimism_bias", 31, "the value is NaN (not a number)")
        // The CSV's problems, located in the CSV.
        expect("baseline", 1, "unknown column 'volumes'; did you mean 'volume'?", file: csv)
        expect("baseline.Northdown.hr.payroll.fte", 2, "fte must be 0 or more, got -6", file: csv)
        expect("baseline.Southvale.hr.payroll.fte", 3, "fte: 'seven' is not a number", file: csv)
        expect("baseline.Southvale.hr.payroll.non_staff", 3, "the non_staff cell is empty", file: csv)
        expect("baseline.Southvale.hr.payroll", 4, "there is already a row for Southvale / hr.payroll (line 3)", file: csv)
        expect("baseline.Eastmere.hr.payrol", 5, "unknown authority 'Eastmere'", file: csv)
        expect("baseline.Eastmere.hr.payrol", 5, "unknown function 'hr.payrol'; did you mean 'hr.payroll'?", file: csv)
        #expect(found.count == 31, "\(errors)")

        // Sorted: the scenario's problems by line, then the CSV's.
        let keys = found.map { ($0.location?.file == path ? 0 : 1, $0.location?.line ?? 0, $0.location?.column ?? 0) }
        #expect(keys.map { [$0.0, $0.1, $0.2] } == keys.sorted { $0 < $1 }.map { [$0.0, $0.1, $0.2] })
        let lines = errors.description.split(separator: "\n")
        #expect(lines.count == found.count + 1)
        #expect(lines.last == "31 problems found.")
        #expect(lines[0] == "\(path):4:16: horizon_years: must be between 1 and 125, got 0. Fix: give a number of years from 1 to 125 (the Green Book discount schedule runs to year 125)")
    }
}
