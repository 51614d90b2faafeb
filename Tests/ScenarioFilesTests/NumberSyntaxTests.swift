import Foundation
import Testing
@testable import ScenarioFiles

/// Money and number shorthand, exactly as docs/scenario-reference.md describes it.
@Suite struct NumberSyntaxTests {
    @Test(arguments: [
        ("35000", 35000.0), ("-0.5", -0.5), ("0.035", 0.035), ("1.2e6", 1.2e6), (".5", 0.5), ("+3", 3),
        ("£1.5m", 1.5e6), ("35k", 35000), ("£900,000", 900000), ("2bn", 2e9), ("-£250k", -250000),
        ("1,250.50", 1250.5), ("£36K", 36000), ("1.1M", 1.1e6), ("2BN", 2e9), (" 12 ", 12), ("£0.05m", 50000),
        ("£900", 900), ("1,000,000", 1e6),
    ])
    func accepted(text: String, value: Double) {
        #expect(NumberSyntax.parse(text) == .success(value))
    }

    @Test(arguments: [
        ("20%", "write percentages as fractions: 0.2 for 20%"),
        ("1,5", "use a point for decimals"),
        ("1,0000", "use a point for decimals"),
        ("$5", "amounts are in pounds"),
        ("€5m", "amounts are in pounds"),
        ("1.5 million", "use the suffixes k, m or bn"),
        ("£1.5 m", "remove the spaces"),
        ("£1b", "the multipliers are k (thousand), m (million) and bn (billion)"),
        ("5mn", "the multipliers are k"),
        ("abc", "money shorthand such as"),
        ("1.2.3", "money shorthand such as"),
        ("£", "money shorthand such as"),
        ("k", "money shorthand such as"),
        ("1e6k", "money shorthand such as"),
        ("12,34,567", "money shorthand such as"),
        ("£-5", "money shorthand such as"),
    ])
    func rejected(text: String, hint: String) {
        guard case .failure(.malformed(let problem, let fix)) = NumberSyntax.parse(text) else {
            Issue.record("'\(text)' should be rejected, got \(NumberSyntax.parse(text))")
            return
        }
        #expect(problem == "'\(text.trimmingCharacters(in: .whitespaces))' is not a number")
        #expect(fix.contains(hint), "\(fix)")
    }

    /// The plain-decimal grammar, read byte by byte in NumberSyntax, against the regular
    /// expression it implements, on random strings over its alphabet (money forms are
    /// excluded: no £, k, m, b or comma).
    @Test func plainDecimalsMatchTheirRegularExpression() throws {
        let grammar = try NSRegularExpression(pattern: "^[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?$")
        let alphabet = Array("0123456789.+-eE5\u{665}x")
        var state: UInt64 = 11
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60) % 7 + 1
            var text = ""
            var bits = state
            for _ in 0..<length {
                text.append(alphabet[Int(bits % UInt64(alphabet.count))])
                bits /= UInt64(alphabet.count)
            }
            let matches = grammar.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            let parsed: Bool
            if case .success = NumberSyntax.parse(text) { parsed = true } else { parsed = false }
            let value = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
            #expect(parsed == (matches && value.map { abs($0) <= NumberSyntax.largest } == true), "'\(text)'")
        }
    }

    @Test func notFinite() {
        for text in [".nan", ".NaN", ".inf", "-.inf", "+.INF"] {
            guard case .failure(.notFinite) = NumberSyntax.parse(text) else {
                Issue.record("'\(text)' should be not finite")
                continue
            }
        }
        #expect(NumberSyntax.parse("") == .failure(.malformed(problem: "the value is empty", fix: "give a number")))
    }

    @Test func shorthandInYAML() throws {
        let yaml = minimalScenario + """
        delay_cost_per_year: £150k
        one_off_costs:
          - {name: ICT, amount: "£1.5m"}
          - {name: Team, amount: {uniform: ["£900,000", 2bn]}}
        ongoing_costs:
          - {name: Client, annual: "20%"}

        """
        let found = problems(yaml)
        expectProblem(found, keyPath: "ongoing_costs.Client.annual", line: line(of: "20%", in: yaml),
                      "'20%' is not a number", fix: "0.2 for 20%")
        #expect(found.count == 1)
        let ok = try #require(load(yaml.replacingOccurrences(of: "annual: \"20%\"", with: "annual: 35k")))
        #expect(ok.delayCostPerYear.distribution == .fixed(150000))
        if case .profiled(let amount, _) = ok.oneOffCosts[0].charge { #expect(amount.distribution == .fixed(1.5e6)) }
        if case .profiled(let amount, _) = ok.oneOffCosts[1].charge { #expect(amount.distribution == .uniform(9e5, 2e9)) }
    }
}

/// Edit distance and suggestions.
@Suite struct NearMatchesTests {
    @Test func distance() {
        #expect(NearMatches.distance("mode", "mdoe") == 1)
        #expect(NearMatches.distance("kitten", "sitting") == 3)
        #expect(NearMatches.distance("Payroll", "payroll") == 0)
        #expect(NearMatches.distance("", "abc") == 3)
    }

    @Test func suggestions() {
        #expect(NearMatches.didYouMean("horizon_yeras", among: ["horizon_years", "start_year"]) == "; did you mean 'horizon_years'?")
        #expect(NearMatches.didYouMean("zzz", among: ["horizon_years"]) == "")
        #expect(NearMatches.suggestions(for: "payroll", among: ["hr.payroll", "finance.billing"]) == ["hr.payroll"])
    }

    /// Containment by Unicode scalars, safe on any text (NULs and control characters
    /// included; Fuzz/Crashers replays the input that made Foundation's contains trap).
    @Test func occurs() {
        #expect(NearMatches.occurs("payroll", in: "hr.payroll"))
        #expect(NearMatches.occurs("hr.", in: "hr.payroll"))
        #expect(!NearMatches.occurs("payrol l", in: "hr.payroll"))
        #expect(!NearMatches.occurs("hr.payroll", in: "payroll"))
        #expect(NearMatches.occurs("", in: "x") && !NearMatches.occurs("x", in: ""))
        #expect(NearMatches.occurs("n\u{0}\u{0}", in: "an\u{0}\u{0}\u{91}"))
        #expect(!NearMatches.occurs("n\u{0}\u{0}\u{0}", in: "nm\u{91}\u{8e}thdown"))
    }
}
