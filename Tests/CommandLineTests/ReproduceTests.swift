import Foundation
import Testing

/// `shared-savings reproduce`: the table it prints, and its exit status (0 reproduced,
/// 1 a figure outside P10–P90, 2 a scenario it cannot use).
@Suite(.serialized)
struct ReproduceTests {
    /// Net saving 48,000 a year from 2031/32 after −26,000 in 2030/31 (see
    /// PublishedFigureTests), with the saving rate uncertain (±50 %).
    static let scenario = """
    name: Reproduce test
    start_year: 2030
    horizon_years: 5
    seed: 3
    iterations: 2000
    discounting: {rate: 0}
    authorities:
      - {name: A, joins: 0}
      - {name: B, joins: 0}
    baseline:
      - {authority: A, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
      - {authority: B, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
    functions:
      finance:
        saving: {rate: {uniform: [0.05, 0.15]}}
        ramp: {steps: [0.5, 1.0]}
        cashable_share: 0.8
    one_off_costs:
      - {name: System, amount: 50000}

    """

    static func write(_ text: String, _ name: String) throws -> String {
        let folder = CommandLineTests.temporaryFolder("reproduce")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func figuresWithinP10P90Pass() throws {
        let path = try Self.write(Self.scenario + """
        published:
          - {metric: cumulative_net_financial, through_year: 2032, value: "£70k", source: "Test paper, 2030"}
          - {metric: cashable_savings, year: 2033, value: 48000}

        """, "pass.yaml")
        let outcome = try CommandLineTests.run(["reproduce", path, "--threads", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let out = outcome.stdout
        #expect(out.contains("2,000 iterations, seed 3"))
        #expect(out.contains("cumulative_net_financial"))
        #expect(out.contains("2030/31–2032/33"))
        #expect(out.contains("2033/34"))
        #expect(out.contains("Source: Test paper, 2030"))
        #expect(out.contains("Reproduced: all 2 published figures lie within the simulated P10–P90."))
        #expect(!out.contains(" NO"))
        // One line per figure in the table, with a percentile.
        let rows = out.split(separator: "\n").filter { $0.hasPrefix("1 ") || $0.hasPrefix("2 ") }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.contains("%") && $0.hasSuffix("yes") })
    }

    @Test func aFigureOutsideFailsWithStatusOne() throws {
        let path = try Self.write(Self.scenario + """
        published:
          - {metric: cashable_savings, year: 2033, value: 48000}
          - {metric: npv_financial, value: "£1m"}

        """, "fail.yaml")
        let outcome = try CommandLineTests.run(["reproduce", path, "--iterations", "1000", "--seed", "9"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("1,000 iterations, seed 9"))
        #expect(outcome.stdout.contains("NOT reproduced: 1 of 2 published figures lie outside the simulated P10–P90."))
        let npvRow = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("2 ") }
        #expect(npvRow?.contains("whole case") == true)
        #expect(npvRow?.contains("100%") == true)
        #expect(npvRow?.hasSuffix("NO") == true)
    }

    @Test func theSameSeedGivesTheSameTableWhateverTheThreads() throws {
        let path = try Self.write(Self.scenario + """
        published:
          - {metric: total_savings, from_year: 2031, through_year: 2034, value: 240000}

        """, "threads.yaml")
        let one = try CommandLineTests.run(["reproduce", path, "--threads", "1"])
        let two = try CommandLineTests.run(["reproduce", path, "--threads", "3"])
        #expect(one.status == two.status)
        #expect(one.stdout == two.stdout)
    }

    @Test func aScenarioWithoutPublishedFiguresIsStatusTwo() throws {
        let path = try Self.write(Self.scenario, "none.yaml")
        let outcome = try CommandLineTests.run(["reproduce", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("has no published figures"))
    }

    @Test func aMisspeltMetricIsCaughtWhenTheFileIsRead() throws {
        let path = try Self.write(Self.scenario + "published:\n  - {metric: npv_finacial, value: 1}\n", "typo.yaml")
        let outcome = try CommandLineTests.run(["reproduce", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown metric 'npv_finacial'; did you mean 'npv_financial'"))
    }

    @Test func helpListsReproduce() throws {
        let outcome = try CommandLineTests.run(["--help"])
        #expect(outcome.stdout.contains("reproduce"))
    }
}
