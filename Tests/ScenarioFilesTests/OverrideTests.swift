import Testing
import Stochastics
@testable import ScenarioFiles

/// `--set PATH=VALUE` (docs/whatif.md): paths with dotted names, list entries by name and
/// position, call shorthand for distributions, and problems that name the override.
@Suite struct OverrideTests {
    static let yaml = minimalScenario + """
    optimism_bias: 0.2
    one_off_costs:
      - {name: ICT build, amount: {pert: [400000, 600000, 1100000]}}
    risks:
      - {name: System failure, annual_probability: 0.04, cost: 150000}

    """

    func loaded(_ sets: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Scenario? {
        do {
            let overrides = try sets.map { (s: String) throws(ScenarioErrors) in try ScenarioOverride(argument: s) }
            return try ScenarioLoader.load(yaml: Self.yaml, file: "s.yaml", baseDirectory: fixturesDirectory, overrides: overrides)
        } catch {
            Issue.record("expected the override to apply, got:\n\(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    func refused(_ sets: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        do {
            let overrides = try sets.map { (s: String) throws(ScenarioErrors) in try ScenarioOverride(argument: s) }
            _ = try ScenarioLoader.load(yaml: Self.yaml, file: "s.yaml", baseDirectory: fixturesDirectory, overrides: overrides)
            Issue.record("expected the override to be refused", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("A plain number replaces a top-level value; the scenario records the override")
    func topLevel() throws {
        let s = try #require(loaded(["optimism_bias=0.35"]))
        #expect(s.optimismBias.distribution == .fixed(0.35))
        #expect(s.overrides == [ScenarioOverride(path: "optimism_bias", value: "0.35")])
        let plain = try #require(loaded([]))
        #expect(plain.optimismBias.distribution == .fixed(0.2))
        #expect(plain.overrides.isEmpty)
    }

    @Test("A dotted function name is matched as one key; call shorthand becomes a distribution")
    func dottedFunctionAndShorthand() throws {
        let s = try #require(loaded(["functions.hr.payroll.saving.rate=pert(0.1,0.2,0.3)"]))
        guard case .rate(let input) = s.functions[0].saving else {
            Issue.record("expected a rate")
            return
        }
        #expect(input.distribution == (try Distribution.pert(min: 0.1, mode: 0.2, max: 0.3, lambda: 4)))
    }

    @Test("Named shorthand parameters and YAML values are read as the loader reads the file")
    func namedAndYAML() throws {
        let named = try #require(loaded(["optimism_bias=uniform(max=0.4, min=0.1)"]))
        #expect(named.optimismBias.distribution == .uniform(0.1, 0.4))
        let yaml = try #require(loaded(["optimism_bias={uniform: [0.1, 0.4]}"]))
        #expect(yaml.optimismBias.distribution == .uniform(0.1, 0.4))
        let money = try #require(loaded(["one_off_costs.ICT build.amount=£750k"]))
        guard case .profiled(let amount, _) = money.oneOffCosts[0].charge else {
            Issue.record("expected a profiled cost")
            return
        }
        #expect(amount.distribution == .fixed(750_000))
    }

    @Test("List entries by name, baseline rows by authority and function, any entry by position")
    func listEntries() throws {
        let risk = try #require(loaded(["risks.System failure.annual_probability=0.1"]))
        #expect(risk.risks[0].annualProbability.distribution == .fixed(0.1))
        let row = try #require(loaded(["baseline.Southvale.hr.payroll.fte=9"]))
        #expect(row.baseline[1].fte.distribution == .fixed(9))
        #expect(row.baseline[0].fte.distribution == .fixed(6))
        let indexed = try #require(loaded(["authorities[1].joins=2"]))
        guard case .year(let join) = indexed.authorities[1].joins else {
            Issue.record("expected a join year")
            return
        }
        #expect(join.distribution == .fixed(2))
    }

    @Test("A key left at its default may be added as the last piece")
    func newLastKey() throws {
        let s = try #require(loaded(["functions.hr.payroll.cashable_share=0.6"]))
        #expect(s.functions[0].cashableShare.distribution == .fixed(0.6))
    }

    @Test("Overrides apply in order: the last one wins")
    func order() throws {
        let s = try #require(loaded(["optimism_bias=0.3", "optimism_bias=0.4"]))
        #expect(s.optimismBias.distribution == .fixed(0.4))
    }

    @Test("A path that does not exist names the override and suggests the nearest path")
    func unknownPath() {
        let messages = refused(["functions.hr.payrol.saving.rate=0.3"])
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("--set functions.hr.payrol.saving.rate=0.3: nothing under 'functions' in s.yaml matches 'hr.payrol.saving.rate'") == true)
        #expect(messages.first?.contains("did you mean 'functions.hr.payroll.saving.rate'?") == true)
        let entry = refused(["risks.System failur.cost=5"])
        #expect(entry.first?.contains("Fix: name one of: System failure") == true)
        let index = refused(["authorities[5].joins=1"])
        #expect(index.first?.contains("'authorities' has 2 entries, counted from 0, so there is no [5]") == true)
        let scalar = refused(["name.x=1"])
        #expect(scalar.first?.contains("'name' is a single value, so it has no 'x' under it") == true)
    }

    @Test("A bad value is reported against the override by the loader's own checks")
    func badValue() {
        let order = refused(["optimism_bias=pert(0.3,0.2,0.4)"])
        #expect(order == ["--set optimism_bias=pert(0.3,0.2,0.4): optimism_bias: pert: min (0.3) is greater than mode (0.2). Fix: order the values so that min ≤ mode ≤ max"])
        let range = refused(["functions.hr.payroll.saving.rate=1.5"])
        #expect(range.first?.hasPrefix("--set functions.hr.payroll.saving.rate=1.5: functions.hr.payroll.saving:") == true)
        let notYAML = refused(["optimism_bias=[1,"])
        #expect(notYAML.first?.contains("is not a number, a distribution or YAML") == true)
        let family = refused(["optimism_bias=wibble(1,2)"])
        #expect(family.first?.contains("'wibble(…)' is not a distribution") == true)
        let tooMany = refused(["optimism_bias=uniform(1,2,3)"])
        #expect(tooMany.first?.contains("uniform(…) takes at most 2 values") == true)
    }

    @Test("The PATH=VALUE shape itself")
    func shape() {
        #expect(throws: ScenarioErrors.self) { try ScenarioOverride(argument: "optimism_bias") }
        #expect(throws: ScenarioErrors.self) { try ScenarioOverride(argument: "=0.3") }
        #expect(throws: ScenarioErrors.self) { try ScenarioOverride(argument: "optimism_bias=") }
        let o = try? ScenarioOverride(argument: " a.b = normal(p10=1, p90=3) ")
        #expect(o == ScenarioOverride(path: "a.b", value: "normal(p10=1, p90=3)"))
        #expect(refused(["functions..saving=1"]).first?.contains("has an empty key") == true)
    }
}
