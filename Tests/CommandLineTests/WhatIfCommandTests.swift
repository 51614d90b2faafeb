import Foundation
import Testing

/// `--set`, `sweep`, `compare` and `solve` through the built tool (docs/whatif.md).
@Suite(.serialized)
struct WhatIfCommandTests {
    /// Two councils saving s of £1m staff cost a year, a £600k build in year 0, five years
    /// at 3.5 %: NPV(s) = s · £1m · Σ_{t<5} 1.035⁻ᵗ − £600k (plus nothing else), so the
    /// median NPV is zero at s* = 600,000 / (1,000,000 · Σ DF) whatever the other inputs do
    /// — the only other uncertain input (non-staff saving) acts on a zero non-staff cost.
    static let scenario = """
    name: What-if test
    horizon_years: 5
    seed: 4
    iterations: 3000
    discounting: {rate: 0.035}
    authorities:
      - {name: A, joins: 0}
      - {name: B, joins: 0}
      - {name: C, joins: 1}
    baseline:
      - {authority: A, function: finance, fte: 10, cost_per_fte: 50000, non_staff: 0}
      - {authority: B, function: finance, fte: 10, cost_per_fte: 50000, non_staff: 0}
      - {authority: C, function: finance, fte: 5, cost_per_fte: {pert: [40000, 50000, 70000]}, non_staff: 0}
    functions:
      finance:
        saving: {rate: {uniform: [0.1, 0.3]}}
        non_staff_saving: {uniform: [0, 0.2]}
    workforce: {redundancy_cost_per_fte: 0}
    optimism_bias: 0
    one_off_costs:
      - {name: Build, amount: 600000}

    """

    static func write(_ text: String, _ name: String) throws -> String {
        let folder = CommandLineTests.temporaryFolder("whatif-" + name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func read(_ folder: String, _ file: String) throws -> String {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
    }

    /// summary.csv's rows as cells (no quoted commas in these tests).
    static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func sweepIsDeterministicPairedAndChartsEveryPoint() throws {
        let path = try Self.write(Self.scenario, "sweep.yaml")
        let base = CommandLineTests.temporaryFolder("sweep-out").path
        var texts: [[String]] = []
        for threads in ["1", "2"] {
            let out = base + "-" + threads
            let r = try CommandLineTests.run(["sweep", path, "--param", "functions.finance.saving.rate",
                                              "--values", "0.1,0.2,uniform(0.25,0.35)", "--threads", threads,
                                              "--out", out, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            texts.append(try ["summary.csv", "sweep.md", "sweep.svg"].map { try Self.read(out, $0) })
        }
        #expect(texts[0] == texts[1], "1 and 2 threads give different sweep files")
        let table = Self.rows(texts[0][0])
        #expect(table.count == 4)
        #expect(table[0].first == "functions.finance.saving.rate")
        #expect(table.dropFirst().map(\.first) == ["0.1", "0.2", "\"uniform(0.25"])  // the third is quoted (a comma)
        // Paired: the change from the first point is far better determined than two
        // independent runs would make it.
        let header = table[0]
        let paired = try #require(header.firstIndex(of: "difference_se_paired_gbp"))
        let independent = try #require(header.firstIndex(of: "difference_se_independent_gbp"))
        let row = table[2]
        let pairedSE = try #require(Double(row[paired]))
        let independentSE = try #require(Double(row[independent]))
        #expect(pairedSE * 2 < independentSE, "paired \(pairedSE), independent \(independentSE)")
        #expect(texts[0][2].contains("<svg") && texts[0][2].contains("line-probability"))
    }

    @Test func sweepOfPartnersKeepsTheFirstK() throws {
        let path = try Self.write(Self.scenario, "partners.yaml")
        let out = CommandLineTests.temporaryFolder("partners-out").path
        let r = try CommandLineTests.run(["sweep", path, "--param", "partners", "--out", out, "--quiet", "-i", "1000"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = Self.rows(try Self.read(out, "summary.csv"))
        // min_partners (default 2) to all 3.
        #expect(table.dropFirst().map(\.first) == ["2", "3"])
    }

    @Test func compareGivesTheExactPairedDifferenceOfAFixedCostChange() throws {
        let a = try Self.write(Self.scenario, "a.yaml")
        let b = try Self.write(Self.scenario.replacingOccurrences(of: "amount: 600000", with: "amount: 650000")
                               .replacingOccurrences(of: "What-if test", with: "Dearer build"), "b.yaml")
        let out = CommandLineTests.temporaryFolder("compare-out").path
        let r = try CommandLineTests.run(["compare", a, b, "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let table = Self.rows(try Self.read(out, "differences.csv"))
        let h = table[0], row = table[1]
        // The build falls in year 0 (DF = 1): every iteration's NPV differs by exactly £50,000.
        for column in ["difference_mean_gbp", "difference_p10_gbp", "difference_p50_gbp", "difference_p90_gbp"] {
            let index = try #require(h.firstIndex(of: column))
            let value = try #require(Double(row[index]))
            #expect(abs(value - 50_000) < 1e-6, "\(column) = \(value)")
        }
        let beats = try #require(h.firstIndex(of: "probability_a_beats_b"))
        #expect(row[beats] == "1", "A (the cheaper build) beats B in every iteration")
        let md = try Self.read(out, "comparison.md")
        #expect(md.contains("The expected value of perfect information between the options is **£0**"))
    }

    @Test func solveFindsTheClosedFormSwitchingValue() throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "  - {name: C, joins: 1}\n", with: "")
                                    .replacingOccurrences(of: "  - {authority: C, function: finance, fte: 5, cost_per_fte: {pert: [40000, 50000, 70000]}, non_staff: 0}\n", with: ""),
                                  "solve.yaml")
        let r = try CommandLineTests.run(["solve", path, "--param", "functions.finance.saving.rate",
                                          "--target", "p50(npv_financial)=0", "--tolerance", "1e-9", "-i", "500"])
        #expect(r.status == 0, "\(r.stderr)")
        let sumDF = (0..<5).reduce(0.0) { $0 + pow(1.035, -Double($1)) }
        let expected = 600_000 / (1_000_000 * sumDF)
        let line = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix("p50(npv_financial) = 0 when functions.finance.saving.rate = "))
        let value = Double(line.split(separator: " ").last ?? "") ?? .nan
        #expect(abs(value - expected) < 1e-8, "\(line) vs \(expected)")

        let unreachable = try CommandLineTests.run(["solve", path, "--param", "optimism_bias",
                                                    "--target", "mean(npv_financial)=1e9", "--between", "0:1", "-i", "200"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("does not reach 1e9 for optimism_bias anywhere in the range"))
    }

    @Test func setOverridesReachTheReportAndBadPathsAreRefused() throws {
        let path = try Self.write(Self.scenario, "set.yaml")
        let out = CommandLineTests.temporaryFolder("set-out").path
        let r = try CommandLineTests.run(["run", path, "--set", "optimism_bias=0.5", "--set",
                                          "one_off_costs.Build.amount=pert(5e5,6e5,9e5)", "--out", out, "--quiet", "-i", "500"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try Self.read(out, "business-case.md")
        #expect(md.contains("--set optimism_bias=0.5 --set 'one_off_costs.Build.amount=pert(5e5,6e5,9e5)'"))

        // A new last key goes to the loader, whose "unknown key" check names the override.
        let bad = try CommandLineTests.run(["validate", path, "--set", "functions.finance.saving.rte=0.2"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("--set functions.finance.saving.rte=0.2: functions.finance.saving.rte: unknown key 'rte'; did you mean 'rate'?"))
        // A missing key before the last is found by the override itself.
        let missing = try CommandLineTests.run(["validate", path, "--set", "functions.financ.saving.rate=0.2"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("did you mean 'functions.finance.saving.rate'?"))
        let sweepBad = try CommandLineTests.run(["sweep", path, "--param", "optimism_bias", "--values", "0.1,-2", "--out", out + "-x"])
        #expect(sweepBad.status == 2)
        #expect(sweepBad.stderr.contains("--set optimism_bias=-2: optimism_bias:"))
    }
}
