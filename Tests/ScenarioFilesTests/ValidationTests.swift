import Foundation
import Stochastics
import Testing
@testable import ScenarioFiles

/// One test per validation rule: each asserts the key path, the line and the message.
@Suite struct ValidationTests {
    // MARK: - Shape of the file

    @Test func minimalScenarioLoadsWithDefaults() throws {
        let s = try #require(load(minimalScenario))
        #expect(s.horizonYears == 10 && s.priceBase == 2026 && s.minPartners == 2)
        #expect(s.discounting == .greenBook && s.costSharing == .baseline && s.efficiencyTarget == 0.025)
        #expect(s.realPayGrowth == .fixed(0, path: "real_pay_growth"))
        #expect(s.delay == .fixed(0, path: "delay"))
        #expect(s.benefitRealisation == .fixed(1, path: "benefit_realisation"))
        #expect(s.optimismBias == .fixed(0, path: "optimism_bias"))
        #expect(s.exit == nil && s.adoption == nil && s.seed == nil && s.iterations == nil)
        #expect(s.generator == nil && s.sampling == nil)
        let f = s.functions[0]
        #expect(f.ramp == .immediate)
        #expect(f.cashableShare == .fixed(1, path: "functions.hr.payroll.cashable_share"))
        #expect(f.nonStaffSaving == .fixed(0, path: "functions.hr.payroll.non_staff_saving"))
        #expect(s.workforce.redundancyCostPerFTE.distribution == .fixed(0))
        #expect(s.file == "test.yaml")
    }

    @Test func malformedYAMLReportsTheLine() {
        let yaml = minimalScenario + "delay: [1, 2\nseed: 3\n"
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found[0].problem.hasPrefix("YAML syntax:"))
        #expect(found[0].location?.file == "test.yaml")
        #expect((found[0].location?.line ?? 0) >= line(of: "delay: [1, 2", in: yaml))
    }

    @Test func badIndentationIsASyntaxProblem() {
        let yaml = "name: x\n  start_year: 2026\nauthorities: []\n"
        let found = problems(yaml)
        #expect(found.count == 1 && found[0].problem.hasPrefix("YAML syntax:"))
        #expect(found[0].location?.line == 2)
    }

    @Test func topLevelMustBeAMapping() {
        let found = problems("- name: x\n- name: y\n")
        expectProblem(found, keyPath: "", line: 1, column: 1, "expected a mapping (key: value pairs), found a list")
    }

    @Test func tabsAreASyntaxProblem() {
        let yaml = minimalScenario + "exit:\n\tannual_hazard: 0.1\n"
        let found = problems(yaml)
        #expect(found.count == 1 && found[0].problem.hasPrefix("YAML syntax:"))
        #expect(found[0].location?.line == line(of: "\tannual_hazard", in: yaml))
    }

    @Test func listEntriesWithoutNames() {
        let yaml = minimalScenario + "risks:\n  - {annual_probability: 0.1}\n  - 5\n"
        let found = problems(yaml)
        expectProblem(found, keyPath: "risks[0].name", line: line(of: "annual_probability", in: yaml), "'name' is missing")
        expectProblem(found, keyPath: "risks[1]", line: line(of: "  - 5", in: yaml), "expected a mapping (key: value pairs), found '5'")
    }

    @Test func emptyFile() {
        let found = problems("# nothing here\n")
        #expect(found.count == 1 && found[0].problem == "the scenario file is empty")
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try ScenarioLoader.load(file: "/nonexistent/scenario.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].problem.contains("/nonexistent/scenario.yaml"))
            #expect(error.problems[0].problem.contains("does not exist"))
        }
    }

    @Test func requiredKeysMissing() {
        let yaml = "start_year: 2026\nhorizon_years: 10\n"
        let found = problems(yaml)
        for key in ["name", "authorities", "baseline", "functions"] {
            expectProblem(found, keyPath: key, line: 1, column: 1, "'\(key)' is missing", fix: "add \(key):")
        }
        #expect(found.count == 4)
    }

    @Test func unknownTopLevelKeySuggestsNearMatch() {
        let yaml = minimalScenario + "horizon_yeras: 12\n"
        let p = expectProblem(problems(yaml), keyPath: "horizon_yeras", line: line(of: "horizon_yeras", in: yaml), column: 1,
                              "unknown key 'horizon_yeras'; did you mean 'horizon_years'?")
        #expect(p?.fix.contains("horizon_years") == true)
    }

    @Test func unknownKeysInsideFunctionsAndDistributions() {
        let yaml = minimalScenario.replacingOccurrences(
            of: "    saving: {rate: 0.2}\n",
            with: "    saving: {rate: {pert: {min: 0.1, mdoe: 0.2, max: 0.3}}}\n    cashable_shares: 0.5\n")
        let found = problems(yaml)
        expectProblem(found, keyPath: "functions.hr.payroll.cashable_shares", line: line(of: "cashable_shares", in: yaml),
                      column: 5, "unknown key 'cashable_shares'; did you mean 'cashable_share'?")
        expectProblem(found, keyPath: "functions.hr.payroll.saving", line: line(of: "mdoe", in: yaml), column: 38,
                      "pert: unknown key 'mdoe'; did you mean 'mode'?")
        expectProblem(found, keyPath: "functions.hr.payroll.saving", line: line(of: "mdoe", in: yaml), "pert: 'mode' is missing")
    }

    @Test func unknownDistributionFamily() {
        let yaml = minimalScenario + "delay: {poisson: {mean: 1}}\n"
        expectProblem(problems(yaml), keyPath: "delay", line: line(of: "poisson", in: yaml),
                      "unknown key 'poisson'")
        let yaml2 = minimalScenario + "delay: {uniform: [0, 1], pert: [0, 1, 2]}\n"
        expectProblem(problems(yaml2), keyPath: "delay", line: line(of: "delay:", in: yaml2),
                      "one input has several distributions (uniform, pert)")
        let yaml3 = minimalScenario + "delay: {pret: [0, 1, 2]}\n"
        expectProblem(problems(yaml3), keyPath: "delay", line: line(of: "pret", in: yaml3),
                      "unknown key 'pret'; did you mean 'pert'?")
    }

    @Test func wrongTypes() {
        let yaml = minimalScenario + """
        horizon_years: ten
        iterations: 2.5
        authorities_extra: 1
        description: [a, b]
        discounting: {rate: 0.035, curve: flat}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "horizon_years", line: line(of: "horizon_years: ten", in: yaml), "'ten' is not a number")
        expectProblem(found, keyPath: "iterations", line: line(of: "iterations: 2.5", in: yaml), "must be a whole number, got 2.5")
        expectProblem(found, keyPath: "description", line: line(of: "description:", in: yaml), "expected text, found a list")
        expectProblem(found, keyPath: "discounting.curve", line: line(of: "curve: flat", in: yaml), "unknown key 'curve'")
        let yaml2 = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}", with: "saving: 0.2")
        expectProblem(problems(yaml2), keyPath: "functions.hr.payroll.saving", line: line(of: "saving: 0.2", in: yaml2),
                      "expected a mapping (key: value pairs), found '0.2'", fix: "rate: …")
        let yaml3 = minimalScenario + "delay: [0, 1]\n"
        expectProblem(problems(yaml3), keyPath: "delay", line: line(of: "delay: [0, 1]", in: yaml3),
                      "expected a number or a distribution, found a list")
        let yaml4 = minimalScenario + "seed: true\n"
        expectProblem(problems(yaml4), keyPath: "seed", line: line(of: "seed:", in: yaml4), "'true' is not a number")
    }

    // MARK: - Settings

    @Test func horizonLimits() {
        for (value, message) in [("0", "must be between 1 and 125, got 0"), ("126", "must be between 1 and 125, got 126")] {
            let yaml = minimalScenario + "horizon_years: \(value)\n"
            expectProblem(problems(yaml), keyPath: "horizon_years", line: line(of: "horizon_years", in: yaml), message,
                          fix: "Green Book")
        }
        #expect(load(minimalScenario + "horizon_years: 125\n")?.horizonYears == 125)
    }

    @Test func minPartnersIterationsAndSeed() {
        let yaml = minimalScenario + "min_partners: 0\niterations: 0\nseed: -1\n"
        let found = problems(yaml)
        expectProblem(found, keyPath: "min_partners", line: line(of: "min_partners", in: yaml), "must be at least 1, got 0")
        expectProblem(found, keyPath: "iterations", line: line(of: "iterations", in: yaml), "must be at least 1, got 0")
        expectProblem(found, keyPath: "seed", line: line(of: "seed", in: yaml), "the seed must be a whole number of 0 or more, got -1")
        let yaml2 = minimalScenario + "min_partners: 3\n"
        expectProblem(problems(yaml2), keyPath: "min_partners", line: line(of: "min_partners", in: yaml2),
                      "min_partners is 3 but only 2 authorities are listed")
        let big = load(minimalScenario + "seed: 18446744073709551615\n")
        #expect(big?.seed == UInt64.max)
    }

    @Test func nanAndInfinity() {
        let yaml = minimalScenario + "delay_cost_per_year: .nan\noptimism_bias: .inf\nbenefit_realisation: {uniform: [0.5, .inf]}\n"
        let found = problems(yaml)
        expectProblem(found, keyPath: "delay_cost_per_year", line: line(of: "delay_cost_per_year", in: yaml),
                      "the value is NaN (not a number)", fix: "finite")
        expectProblem(found, keyPath: "optimism_bias", line: line(of: "optimism_bias", in: yaml), "the value is infinite")
        expectProblem(found, keyPath: "benefit_realisation", line: line(of: "benefit_realisation", in: yaml), "the value is infinite")
    }

    @Test func generatorAndSampling() throws {
        let s = try #require(load(minimalScenario + "generator: taus2\nsampling: latin-hypercube\n"))
        #expect(s.generator == "taus2" && s.sampling == "latin-hypercube")
        #expect(load(minimalScenario + "sampling: sobol\n")?.sampling == "sobol")
        let yaml = minimalScenario + "generator: mt19973\nsampling: latin_hypercube\n"
        let found = problems(yaml)
        expectProblem(found, keyPath: "generator", line: line(of: "generator", in: yaml),
                      "unknown random number generator 'mt19973'; did you mean 'mt19937'")
        expectProblem(found, keyPath: "sampling", line: line(of: "sampling", in: yaml),
                      "'latin_hypercube' is not a choice here; did you mean 'latin-hypercube'?")
    }

    @Test func discounting() throws {
        #expect(load(minimalScenario + "discounting: {rate: 0.035}\n")?.discounting == .constant(rate: 0.035))
        let yaml = minimalScenario + "discounting: green-book\n"
        expectProblem(problems(yaml), keyPath: "discounting", line: line(of: "discounting", in: yaml),
                      "did you mean 'green_book'?")
    }

    // MARK: - Authorities

    @Test func duplicateAuthorityNames() {
        let yaml = minimalScenario.replacingOccurrences(of: "{name: Southvale, joins: 1", with: "{name: Northdown, joins: 1")
        let found = problems(yaml)
        expectProblem(found, keyPath: "authorities.Northdown", line: 5,
                      "the authority 'Northdown' is listed twice (first at line 4)")
    }

    @Test func negativePopulation() {
        let yaml = minimalScenario.replacingOccurrences(of: "population: 98000", with: "population: -98000")
        expectProblem(problems(yaml), keyPath: "authorities.Northdown.population", line: 4,
                      "population must be 0 or more, got -98000")
    }

    @Test func joinsRules() throws {
        let yaml = minimalScenario.replacingOccurrences(of: "joins: 1,", with: "joins: adoption,")
        expectProblem(problems(yaml), keyPath: "authorities.Southvale.joins", line: 5, column: 30,
                      "joins: adoption needs an adoption: block", fix: "adoption: {model: bass")
        let ok = try #require(load(yaml + "adoption: {model: bass, p: 0.03, q: 0.38, ceiling: 0.8}\n"))
        #expect(ok.authorities[1].joins == .adoption)
        #expect(ok.adoption?.q.path == "adoption.q")
        let yaml2 = minimalScenario.replacingOccurrences(of: "joins: 1,", with: "joins: 2027,")
        expectProblem(problems(yaml2), keyPath: "authorities.Southvale.joins", line: 5,
                      "joins is a year index counted from start_year", fix: "write 1 for 2027/28")
        let yaml3 = minimalScenario.replacingOccurrences(of: "joins: 1,", with: "joins: 1.5,")
        expectProblem(problems(yaml3), keyPath: "authorities.Southvale.joins", line: 5, "joins must be a whole year index, got 1.5")
        let drawn = try #require(load(minimalScenario.replacingOccurrences(of: "joins: 1,", with: "joins: {discrete: {values: [1, 2], weights: [0.5, 0.5]}},")))
        guard case .year(let j) = drawn.authorities[1].joins else { Issue.record("expected a year"); return }
        #expect(j.path == "authorities.Southvale.joins" && j.distribution.isRandom)
        let yaml4 = minimalScenario.replacingOccurrences(of: "joins: 1,", with: "joins: -1,")
        expectProblem(problems(yaml4), keyPath: "authorities.Southvale.joins", line: 5, "joins must be 0 or more, got -1")
    }

    @Test func adoptionParameters() {
        let yaml = minimalScenario + "adoption: {model: bas, p: 0, q: -0.1, ceiling: 1.2}\n"
        let found = problems(yaml)
        let l = line(of: "adoption:", in: yaml)
        expectProblem(found, keyPath: "adoption.model", line: l, "did you mean 'bass'?")
        expectProblem(found, keyPath: "adoption.p", line: l, "p (innovation) must be greater than 0, got 0")
        expectProblem(found, keyPath: "adoption.q", line: l, "q (imitation) must be 0 or more, got -0.1")
        expectProblem(found, keyPath: "adoption.ceiling", line: l, "ceiling must lie between 0 and 1, got 1.2")
    }

    // MARK: - Baseline

    @Test func negativeBaselineValues() {
        let yaml = minimalScenario.replacingOccurrences(
            of: "fte: 6, cost_per_fte: 36000, non_staff: 45000}",
            with: "fte: -6, cost_per_fte: {normal: {mean: 36000, sd: 2000}}, non_staff: \"-£45k\", volume: -1}")
        let found = problems(yaml)
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll.fte", line: 7, "fte must be 0 or more, got -6")
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll.cost_per_fte", line: 7,
                      "cost_per_fte must be 0 or more, but this normal distribution reaches down to -infinity",
                      fix: "min: and max: bounds")
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll.non_staff", line: 7, "non_staff must be 0 or more, got -45000")
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll.volume", line: 7, "volume must be 0 or more, got -1")
        // A truncated normal is fine.
        let ok = minimalScenario.replacingOccurrences(of: "cost_per_fte: 36000", with: "cost_per_fte: {normal: {mean: 36000, sd: 2000, min: 0}}")
        #expect(load(ok)?.baseline[0].costPerFTE.distribution.support.lowerBound == 0)
    }

    @Test func baselineUnknownNamesDuplicatesAndGaps() {
        let yaml = """
        name: Gaps
        authorities:
          - {name: Northdown, joins: 0}
          - {name: Southvale, joins: 1}
          - {name: Westley, joins: 1}
        baseline:
          - {authority: Northdown, function: hr.payroll, fte: 6, cost_per_fte: 36000, non_staff: 45000}
          - {authority: Southvale, function: hr.payrol, fte: 7, cost_per_fte: 35000, non_staff: 50000}
          - {authority: Southdale, function: hr.payroll, fte: 7, cost_per_fte: 35000, non_staff: 50000}
          - {authority: Northdown, function: hr.payroll, fte: 1, cost_per_fte: 35000, non_staff: 50000}
          - {authority: Southvale, function: hr.payroll, fte: 7, cost_per_fte: 35000, non_staff: 50000}
        functions:
          hr.payroll: {saving: {rate: 0.2}}
          hr.pensions: {saving: {rate: 0.1}}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "baseline.Southvale.hr.payrol", line: 8, column: 38,
                      "unknown function 'hr.payrol'; did you mean 'hr.payroll'?")
        expectProblem(found, keyPath: "baseline.Southdale.hr.payroll", line: 9, column: 17,
                      "unknown authority 'Southdale'; did you mean 'Southvale'?")
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll", line: 10,
                      "there is already a row for Northdown / hr.payroll (line 7)")
        expectProblem(found, keyPath: "authorities.Westley", line: 5, "this authority has no baseline row")
        expectProblem(found, keyPath: "functions.hr.pensions", line: 14, "no authority has a baseline row for this function")
        #expect(found.count == 5)
    }

    @Test func baselineMustBeAListOrFile() {
        let yaml = minimalScenario + "\n"
        let replaced = yaml.replacingOccurrences(of: "baseline:\n  - {authority: Northdown", with: "baseline: 12\nx:\n  - {authority: Northdown")
        let found = problems(replaced)
        expectProblem(found, keyPath: "baseline", line: 6, "expected a list of rows or {file: baseline.csv}, found '12'")
    }

    // MARK: - Functions

    @Test func duplicateFunctionNames() {
        let yaml = minimalScenario + """
          hr.recruitment:
            saving: {rate: 0.1}
          hr.payroll:
            saving: {rate: 0.3}

        """
        // The new keys land under `functions:` because they are indented.
        let found = problems(yaml)
        #expect(found.count == 1)
        expectProblem(found, keyPath: "hr.payroll", line: line(of: "  hr.payroll:", in: yaml, after: 12), column: 3,
                      "'hr.payroll' is given twice in the same mapping (first at line 10)")
    }

    @Test func sharesAndRatesOutsideZeroOne() {
        let yaml = minimalScenario.replacingOccurrences(of: "    saving: {rate: 0.2}\n", with: """
            saving: {rate: 1.2}
            non_staff_saving: -0.1
            cashable_share: {uniform: [0.5, 1.5]}

        """)
        let found = problems(yaml)
        expectProblem(found, keyPath: "functions.hr.payroll.saving", line: line(of: "rate: 1.2", in: yaml),
                      "a saving rate must lie between 0 and 1, got 1.2", fix: "0.2 for 20%")
        expectProblem(found, keyPath: "functions.hr.payroll.non_staff_saving", line: line(of: "non_staff_saving", in: yaml),
                      "non_staff_saving must lie between 0 and 1, got -0.1")
        expectProblem(found, keyPath: "functions.hr.payroll.cashable_share", line: line(of: "cashable_share", in: yaml),
                      "cashable_share must lie between 0 and 1, but this uniform distribution reaches up to 1.5",
                      fix: "within [0, 1]")
    }

    @Test func scaleElasticity() {
        for (value, message) in [("0", "a cost elasticity must be greater than 0 and at most 1, got 0"),
                                 ("1.1", "a cost elasticity must be greater than 0 and at most 1, got 1.1"),
                                 ("{uniform: [0, 0.9]}", "but this uniform distribution reaches down to 0"),
                                 ("{lognormal: {median: 0.8, p90: 0.9}}", "but this lognormal distribution reaches up to infinity")] {
            let yaml = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}", with: "saving: {scale: \(value)}")
            expectProblem(problems(yaml), keyPath: "functions.hr.payroll.saving", line: 11, message)
        }
        let ok = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}", with: "saving: {scale: 1}")
        #expect(load(ok)?.functions[0].saving == .scale(elasticity: Input(.fixed(1), path: "functions.hr.payroll.saving",
                                                                              location: SourceLocation(file: "test.yaml", line: 11, column: 21))))
    }

    @Test func savingNeedsExactlyOneRule() {
        let yaml = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}", with: "saving: {rate: 0.2, scale: 0.9}")
        expectProblem(problems(yaml), keyPath: "functions.hr.payroll.saving", line: 11, "give either rate or scale, not both")
        let yaml2 = minimalScenario.replacingOccurrences(of: "    saving: {rate: 0.2}\n", with: "    ramp: immediate\n")
        expectProblem(problems(yaml2), keyPath: "functions.hr.payroll.saving", line: 11, "'saving' is missing")
    }

    @Test func rampRules() {
        func check(_ ramp: String, _ keyPath: String, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let yaml = minimalScenario + "    ramp: \(ramp)\n"
            expectProblem(problems(yaml), keyPath: keyPath, line: 12, message, sourceLocation: sourceLocation)
        }
        check("{linear: {years: 0}}", "functions.hr.payroll.ramp.years", "ramp years must be greater than 0, got 0")
        check("{linear: {years: -2}}", "functions.hr.payroll.ramp.years", "ramp years must be greater than 0, got -2")
        check("{logistic: {midpoint: 1.5, steepness: 0}}", "functions.hr.payroll.ramp.steepness",
              "steepness must be greater than 0, got 0")
        check("{steps: [0.5, 1.2]}", "functions.hr.payroll.ramp.steps[1]", "a step must lie between 0 and 1, got 1.2")
        check("{steps: [-0.1, 1]}", "functions.hr.payroll.ramp.steps[0]", "a step must lie between 0 and 1, got -0.1")
        check("{steps: []}", "functions.hr.payroll.ramp.steps", "the steps list is empty")
        check("linear", "functions.hr.payroll.ramp", "the linear ramp needs its parameters")
        check("imediate", "functions.hr.payroll.ramp", "'imediate' is not a ramp; did you mean 'immediate'?")
        check("{logistic: {midpoint: 1.5}}", "functions.hr.payroll.ramp.steepness", "'steepness' is missing")
    }

    @Test func rampParametersMayBeDistributions() throws {
        let yaml = minimalScenario + "    ramp: {linear: {years: {uniform: [1.5, 3.5]}}}\n"
        let s = try #require(load(yaml))
        guard case .linear(let years) = s.functions[0].ramp else { Issue.record("expected linear"); return }
        #expect(years.distribution == .uniform(1.5, 3.5) && years.path == "functions.hr.payroll.ramp.years")
        // lognormal and gamma are strictly positive, so they may give a steepness.
        #expect(load(minimalScenario + "    ramp: {logistic: {midpoint: 1, steepness: {gamma: {shape: 2, scale: 1}}}}\n") != nil)
    }

    // MARK: - Distributions

    @Test func distributionParameterErrorsComeFromStochastics() {
        let yaml = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}",
                                                        with: "saving: {rate: {pert: {min: 0.3, mode: 0.2, max: 0.4}}}")
        let p = expectProblem(problems(yaml), keyPath: "functions.hr.payroll.saving", line: 11,
                              "pert: min (0.3) is greater than mode (0.2)", fix: "order the values so that min ≤ mode ≤ max")
        #expect(p?.description == "test.yaml:11:27: functions.hr.payroll.saving: pert: min (0.3) is greater than mode (0.2). Fix: order the values so that min ≤ mode ≤ max")
    }

    @Test func discreteWeightsMustSumToOne() {
        let yaml = minimalScenario + "delay: {discrete: {values: [0, 1], weights: [0.5, 0.25]}}\n"
        expectProblem(problems(yaml), keyPath: "delay", line: line(of: "delay:", in: yaml), column: 19,
                      "discrete: the weights sum to 0.75, not 1", fix: "add up to exactly 1")
    }

    @Test func distributionForms() throws {
        let yaml = minimalScenario + """
        delay: {discrete: {values: [0, 1], weights: [0.8, 0.2]}}
        delay_cost_per_year: {pert: ["£100k", "£150k", "£300k"], source: "programme board estimate"}
        optimism_bias: {triangular: [0.1, 0.2, 0.4]}
        benefit_realisation: {normal: {p10: 0.7, p90: 1.0, min: 0}}
        real_pay_growth: {fixed: 0.01}
        workforce:
          redundancy_cost_per_fte: {lognormal: {p10: 20000, p90: 60000}}
          attrition_absorbs: {beta: {alpha: 3, beta: 5}}
        exit: {annual_hazard: {bernoulli: {p: 0.5}}, cost: {value: 5k}}
        risks:
          - {name: R, annual_probability: {uniform: {min: 0, max: 0.1}}, cost: {gamma: {shape: 2, scale: 5e4}},
             savings_factor: {pert: {min: 0.8, mode: 0.9, max: 1, lambda: 6}}}
          - {name: S, annual_probability: 0.1, cost: {lognormal: {mean: 1e5, sd: 5e4}}}

        """
        let s = try #require(load(yaml))
        #expect(s.delayCostPerYear.distribution == (try Distribution.pert(min: 100000, mode: 150000, max: 300000)))
        #expect(s.delayCostPerYear.source == "programme board estimate")
        #expect(s.optimismBias.distribution == .triangular(0.1, 0.2, 0.4))
        #expect(s.benefitRealisation.distribution == (try Distribution.normal(p10: 0.7, p90: 1.0, min: 0)))
        #expect(s.realPayGrowth.distribution == .fixed(0.01))
        #expect(s.workforce.redundancyCostPerFTE.distribution == (try Distribution.lognormal(p10: 20000, p90: 60000)))
        #expect(s.workforce.attritionAbsorbs.distribution == (try Distribution.beta(alpha: 3, beta: 5)))
        #expect(s.exit?.cost.distribution == .fixed(5000))
        #expect(s.exit?.annualHazard.distribution == .bernoulli(0.5))
        #expect(s.risks[0].savingsFactor?.distribution == (try Distribution.pert(min: 0.8, mode: 0.9, max: 1, lambda: 6)))
        #expect(s.risks[0].cost?.path == "risks.R.cost")
        #expect(s.risks[1].cost?.distribution == (try Distribution.lognormal(mean: 1e5, sd: 5e4)))
    }

    @Test func distributionFormMistakes() {
        func check(_ value: String, _ message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let yaml = minimalScenario + "delay_cost_per_year: \(value)\n"
            expectProblem(problems(yaml), keyPath: "delay_cost_per_year", line: 12, message, sourceLocation: sourceLocation)
        }
        check("{pert: [1, 2]}", "pert: the list form takes 3 numbers [min, mode, max], found 2")
        check("{uniform: 5}", "uniform: expected its parameters {min, max}, found '5'")
        check("{normal: {mean: 5, sd: 1, p10: 1}}", "normal: give either mean and sd or p10 and p90, not both")
        check("{normal: {p10: 5}}", "normal: p10 and p90 must be given together")
        check("{lognormal: {median: 5, sd: 1}}", "lognormal: give exactly one pair")
        check("{gamma: {shape: 2}}", "gamma: 'scale' is missing")
        check("{uniform: [2, 1]}", "uniform: min (2) is greater than max (1)")
        check("{}", "no distribution given")
        check("{source: \"x\"}", "no distribution given")
    }

    // MARK: - Costs, risks, sharing

    @Test func costProfiles() {
        let yaml = minimalScenario + """
        one_off_costs:
          - {name: ICT, amount: 500000, profile: [0.6, 0.5]}
          - {name: Team, amount: 100000, profile: [1.2, -0.2]}
          - {name: Onboarding, per_joiner: 50000, profile: [1]}
          - {name: Nothing}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "one_off_costs.ICT.profile", line: line(of: "name: ICT", in: yaml),
                      "the profile shares add up to 1.1, not 1")
        expectProblem(found, keyPath: "one_off_costs.Team.profile", line: line(of: "name: Team", in: yaml),
                      "profile share 2 is negative (-0.2)")
        expectProblem(found, keyPath: "one_off_costs.Onboarding.profile", line: line(of: "name: Onboarding", in: yaml),
                      "a per_joiner cost has no profile")
        expectProblem(found, keyPath: "one_off_costs.Nothing", line: line(of: "name: Nothing", in: yaml),
                      "a one-off cost needs amount (with an optional profile) or per_joiner")
        // Within 1e-9 is fine: 0.1 + 0.2 + 0.7 is not exactly 1 in floating point.
        #expect(load(minimalScenario + "one_off_costs:\n  - {name: ICT, amount: 1, profile: [0.1, 0.2, 0.7]}\n") != nil)
    }

    @Test func negativeCosts() {
        let yaml = minimalScenario + """
        one_off_costs:
          - {name: ICT, amount: -5}
        ongoing_costs:
          - {name: Team, annual: {uniform: [-10, 10]}}
        delay_cost_per_year: -1

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "one_off_costs.ICT.amount", line: line(of: "name: ICT", in: yaml), "a cost must be 0 or more, got -5")
        expectProblem(found, keyPath: "ongoing_costs.Team.annual", line: line(of: "name: Team", in: yaml),
                      "a cost must be 0 or more, but this uniform distribution reaches down to -10")
        expectProblem(found, keyPath: "delay_cost_per_year", line: line(of: "delay_cost_per_year", in: yaml),
                      "delay_cost_per_year must be 0 or more, got -1")
    }

    @Test func duplicateCostAndRiskNames() {
        let yaml = minimalScenario + """
        one_off_costs:
          - {name: ICT, amount: 5}
          - {name: ICT, per_joiner: 5}
        ongoing_costs:
          - {name: Team, annual: 1}
          - {name: Team, per_member_annual: 1}
        risks:
          - {name: Failure, annual_probability: 0.1}
          - {name: Failure, annual_probability: 0.2}

        """
        let found = problems(yaml)
        let first = line(of: "name: ICT", in: yaml)
        expectProblem(found, keyPath: "one_off_costs.ICT", line: first + 1, "the name 'ICT' is used twice in one_off_costs (first at line \(first))")
        let team = line(of: "name: Team", in: yaml)
        expectProblem(found, keyPath: "ongoing_costs.Team", line: team + 1, "used twice in ongoing_costs (first at line \(team))")
        let risk = line(of: "name: Failure", in: yaml)
        expectProblem(found, keyPath: "risks.Failure", line: risk + 1, "used twice in risks (first at line \(risk))")
    }

    @Test func probabilitiesAndFactors() {
        let yaml = minimalScenario + """
        exit: {annual_hazard: 1.5, cost: 1000}
        optimism_bias: -0.1
        benefit_realisation: -1
        workforce: {attrition_absorbs: 2}
        risks:
          - {name: Failure, annual_probability: 1.1, savings_factor: -0.5}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "exit.annual_hazard", line: line(of: "exit:", in: yaml), "annual_hazard must lie between 0 and 1, got 1.5")
        expectProblem(found, keyPath: "optimism_bias", line: line(of: "optimism_bias", in: yaml), "optimism_bias must be 0 or more, got -0.1")
        expectProblem(found, keyPath: "benefit_realisation", line: line(of: "benefit_realisation", in: yaml),
                      "benefit_realisation must be 0 or more, got -1")
        expectProblem(found, keyPath: "workforce.attrition_absorbs", line: line(of: "workforce", in: yaml),
                      "attrition_absorbs must lie between 0 and 1, got 2")
        expectProblem(found, keyPath: "risks.Failure.annual_probability", line: line(of: "Failure", in: yaml),
                      "annual_probability must lie between 0 and 1, got 1.1")
        expectProblem(found, keyPath: "risks.Failure.savings_factor", line: line(of: "Failure", in: yaml),
                      "savings_factor must be 0 or more, got -0.5")
        #expect(found.count == 6)
    }

    @Test func costSharingWeights() throws {
        let ok = try #require(load(minimalScenario + "cost_sharing: {weights: {Southvale: 2, Northdown: 1}}\n"))
        #expect(ok.costSharing == .weights([1, 2]))
        let yaml = minimalScenario + "cost_sharing:\n  weights: {Northdwn: 1}\n"
        let found = problems(yaml)
        expectProblem(found, keyPath: "cost_sharing.weights.Northdwn", line: line(of: "Northdwn", in: yaml),
                      "'Northdwn' is not one of the authorities; did you mean 'Northdown'?")
        expectProblem(found, keyPath: "cost_sharing.weights", line: line(of: "Northdwn", in: yaml),
                      "no weight for 'Northdown', 'Southvale'")
        let yaml2 = minimalScenario + "cost_sharing: {weights: {Northdown: -1, Southvale: 1}}\n"
        expectProblem(problems(yaml2), keyPath: "cost_sharing.weights.Northdown", line: 12, "a cost-sharing weight must be 0 or more, got -1")
        let yaml3 = minimalScenario + "cost_sharing: populaton\n"
        expectProblem(problems(yaml3), keyPath: "cost_sharing", line: 12, "did you mean 'population'?")
    }

    @Test func populationSharingNeedsPopulations() {
        let yaml = minimalScenario.replacingOccurrences(of: ", population: 112000", with: "") + "cost_sharing: population\n"
        expectProblem(problems(yaml), keyPath: "authorities.Southvale.population", line: 5,
                      "cost_sharing is population but this authority has no population")
    }

    @Test func efficiencyTargetAndPublished() {
        let yaml = minimalScenario + """
        efficiency_target: 2.5
        published:
          - {metric: cumulative_net_financial, through_year: 2040, value: "£1.2m"}
          - {metric: npv, value: 1}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "efficiency_target", line: line(of: "efficiency_target", in: yaml),
                      "efficiency_target must lie between 0 and 1, got 2.5")
        expectProblem(found, keyPath: "published[0].through_year", line: line(of: "through_year", in: yaml),
                      "must be between 2026 and 2035, got 2040")
        expectProblem(found, keyPath: "published[1].metric", line: line(of: "metric: npv", in: yaml),
                      "unknown metric 'npv'; did you mean 'npv_economic' or 'npv_financial'?")
        #expect(found.count == 3)
    }

    // MARK: - Correlations

    @Test func correlationsNameRandomInputs() throws {
        let base = minimalScenario.replacingOccurrences(of: "saving: {rate: 0.2}", with: "saving: {rate: {uniform: [0.1, 0.3]}}")
            + "delay: {discrete: {values: [0, 1], weights: [0.5, 0.5]}}\n"
        let ok = try #require(load(base + "correlations:\n  - {between: [functions.hr.payroll.saving.rate, delay], spearman: 0.4}\n"))
        #expect(ok.correlations.first?.first == "functions.hr.payroll.saving")
        #expect(ok.correlations.first?.second == "delay")
        let yaml = base + """
        correlations:
          - {between: [functions.hr.payroll.savings, delay], spearman: 0.4}
          - {between: [optimism_bias, delay], spearman: 0.4}
          - {between: [delay], spearman: 0.4}
          - {between: [delay, delay], spearman: 0.4}
          - {between: [functions.hr.payroll.saving, delay], spearman: 1}
          - {between: [functions.hr.payroll.saving.scale, delay], spearman: 0.2}
          - {between: [delay, functions.hr.payroll.saving], spearman: 0.3}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "correlations[0].between", line: line(of: "savings, delay", in: yaml),
                      "'functions.hr.payroll.savings' is not a random input of this scenario; near matches: 'functions.hr.payroll.saving'")
        expectProblem(found, keyPath: "correlations[1].between", line: line(of: "optimism_bias, delay", in: yaml),
                      "'optimism_bias' is a fixed number in this scenario, so it cannot be correlated")
        expectProblem(found, keyPath: "correlations[2].between", line: line(of: "[delay]", in: yaml),
                      "a correlation is between exactly 2 inputs, found 1")
        expectProblem(found, keyPath: "correlations[3].between", line: line(of: "[delay, delay]", in: yaml),
                      "an input cannot be correlated with itself ('delay')")
        expectProblem(found, keyPath: "correlations[4].spearman", line: line(of: "spearman: 1}", in: yaml),
                      "spearman must lie strictly between -1 and 1, got 1")
        expectProblem(found, keyPath: "correlations[6]", line: line(of: "[delay, functions.hr.payroll.saving]", in: yaml),
                      "the correlation between 'delay' and 'functions.hr.payroll.saving' is already given")
        #expect(found.count == 6)
    }

    // MARK: - Reporting

    @Test func allProblemsAtOnceSortedByPosition() {
        let yaml = minimalScenario.replacingOccurrences(of: "fte: 7,", with: "fte: -7,") + """
        horizon_years: 0
        optimism_bias: -1
        naem: typo

        """
        do {
            _ = try ScenarioLoader.load(yaml: yaml, file: "s.yaml", baseDirectory: fixturesDirectory)
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.count == 4)
            let lines = error.problems.map { $0.location?.line ?? 0 }
            #expect(lines == lines.sorted())
            let text = error.description.split(separator: "\n")
            #expect(text.count == 5)
            #expect(text.last == "4 problems found.")
            #expect(text[0].hasPrefix("s.yaml:8:"))
        }
    }

    @Test func descriptionFormat() {
        let p = ScenarioProblem(location: SourceLocation(file: "scenarios/x.yaml", line: 12, column: 7),
                                keyPath: "functions.hr.payroll.saving",
                                problem: "pert: min (0.3) is greater than mode (0.2)",
                                fix: "order the values so that min ≤ mode ≤ max")
        #expect(p.description == "scenarios/x.yaml:12:7: functions.hr.payroll.saving: pert: min (0.3) is greater than mode (0.2). Fix: order the values so that min ≤ mode ≤ max")
        let one = ScenarioErrors(problems: [p])
        #expect(one.description.hasSuffix("\n1 problem found."))
    }
}
