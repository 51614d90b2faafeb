// Published figures: each metric computed from the iteration columns against a hand-worked
// deterministic case, the percentile and P10–P90 test, and the loader's checks of metric
// names and years.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

@Suite struct PublishedFigureTests {
    /// Two authorities from 2030/31, 10 FTE each at £30,000, a 10 % saving reached in two
    /// steps (50 %, then 100 %), 80 % cashable, £50,000 one-off in year 0, no discounting.
    ///
    /// Staff cost 600,000 a year. Savings: year 0 → 30,000 (cashable 24,000, non-cashable
    /// 6,000); years 1–4 → 60,000 (48,000 and 12,000). Net financial: −26,000, then 48,000.
    static let deterministic = """
    name: Published figures by hand
    start_year: 2030
    horizon_years: 5
    discounting: {rate: 0}
    authorities:
      - {name: A, joins: 0}
      - {name: B, joins: 0}
    baseline:
      - {authority: A, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
      - {authority: B, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
    functions:
      finance:
        saving: {rate: 0.1}
        ramp: {steps: [0.5, 1.0]}
        cashable_share: 0.8
    one_off_costs:
      - {name: System, amount: 50000}

    """

    static func load(_ yaml: String, directory: String = "/tmp") throws -> Scenario {
        try ScenarioLoader.load(yaml: yaml, file: "test.yaml", baseDirectory: directory)
    }

    static func columns(_ scenario: Scenario, iterations: Int = 50, seed: UInt64 = 5) throws -> SimulationColumns {
        let model = try CompiledModel(scenario)
        return Simulation.run(model, settings: RunSettings(iterations: iterations, seed: seed, threads: 1))
    }

    static func with(_ published: String, base: String = deterministic) -> String {
        base + "published:\n" + published
    }

    @Test(arguments: [
        ("{metric: cumulative_net_financial, through_year: 2032, value: 1}", 70_000.0),
        ("{metric: cumulative_net_financial, from_year: 2031, through_year: 2034, value: 1}", 192_000),
        ("{metric: net_financial, year: 2030, value: 1}", -26_000),
        ("{metric: net_financial, from_year: 2030, through_year: 2031, value: 1}", 22_000),
        ("{metric: cashable_savings, year: 2031, value: 1}", 48_000),
        ("{metric: total_savings, year: 2031, value: 1}", 60_000),
        ("{metric: non_cashable_savings, from_year: 2030, through_year: 2031, value: 1}", 18_000),
        ("{metric: cumulative_total_savings, from_year: 2031, through_year: 2032, value: 1}", 120_000),
        ("{metric: cumulative_cashable_savings, through_year: 2034, value: 1}", 216_000),
        ("{metric: total_savings, through_year: 2031, value: 1}", 90_000),
        ("{metric: one_off_costs, year: 2030, value: 1}", 50_000),
        ("{metric: npv_financial, value: 1}", 166_000),
        ("{metric: npv_economic, value: 1}", 220_000),
    ])
    func eachMetricByHand(_ figure: String, _ expected: Double) throws {
        let scenario = try Self.load(Self.with("  - \(figure)\n"))
        let columns = try Self.columns(scenario)
        let values = PublishedFigures.values(of: scenario.published[0], scenario: scenario, columns: columns)
        #expect(values.count == 50)
        for v in values { #expect(abs(v - expected) < 1e-6, "\(figure): \(v) ≠ \(expected)") }
    }

    @Test func aValueEqualToEveryIterationIsAtTheTopAndWithin() throws {
        let scenario = try Self.load(Self.with("""
          - {metric: npv_financial, value: 166000, source: "by hand"}
          - {metric: npv_financial, value: 165999}
          - {metric: npv_financial, value: 166001}

        """))
        let c = PublishedFigures.compare(scenario, columns: try Self.columns(scenario))
        #expect(c.count == 3)
        #expect(c[0].percentile == 1 && c[0].isWithinP10P90)
        #expect(c[0].p10 == 166_000 && c[0].p50 == 166_000 && c[0].p90 == 166_000)
        #expect(c[0].figure.source == "by hand")
        #expect(c[1].percentile == 0 && !c[1].isWithinP10P90)
        #expect(c[2].percentile == 1 && !c[2].isWithinP10P90)
    }

    /// With an uncertain saving, P10/P50/P90 are type-7 percentiles of the per-iteration
    /// values and the percentile is the share at or below the published value.
    @Test func percentileIsTheShareAtOrBelow() throws {
        let base = Self.deterministic.replacingOccurrences(of: "saving: {rate: 0.1}", with: "saving: {rate: {uniform: [0.05, 0.15]}}")
        let scenario = try Self.load(Self.with("  - {metric: cashable_savings, year: 2033, value: 50000}\n", base: base))
        let columns = try Self.columns(scenario, iterations: 2000)
        let values = PublishedFigures.values(of: scenario.published[0], scenario: scenario, columns: columns)
        // Cashable saving in a full year = 600,000 × rate × 0.8, rate ~ U(0.05, 0.15).
        for v in values { #expect(v >= 24_000 - 1e-6 && v <= 72_000 + 1e-6) }
        let c = try #require(PublishedFigures.compare(scenario, columns: columns).first)
        let sorted = values.sorted()
        #expect(c.p10 == Statistics.percentile(sorted: sorted, 0.1))
        #expect(c.p50 == Statistics.percentile(sorted: sorted, 0.5))
        #expect(c.p90 == Statistics.percentile(sorted: sorted, 0.9))
        #expect(c.percentile == Double(values.filter { $0 <= 50_000 }.count) / 2000)
        // 50,000 ↔ rate 0.104: about 54 % of a uniform on [0.05, 0.15].
        #expect(abs(c.percentile - 0.5417) < 0.04)
        #expect(c.isWithinP10P90)
        #expect(c.label == "cashable savings in 2033/34")
        #expect(c.years == 3...3)
    }

    @Test func labelsNameTheYears() throws {
        let scenario = try Self.load(Self.with("""
          - {metric: cumulative_net_financial, through_year: 2032, value: 1}
          - {metric: total_savings, from_year: 2031, through_year: 2033, value: 1}
          - {metric: npv_financial, value: 1}

        """))
        let labels = scenario.published.map { PublishedFigures.label($0, scenario: scenario) }
        #expect(labels[0] == "cumulative net financial benefit (cashable savings less all costs), 2030/31 to 2032/33")
        #expect(labels[1] == "total savings (cashable and non-cashable), total, 2031/32 to 2033/34")
        #expect(labels[2] == "financial net present value")
    }

    // MARK: - The loader's checks

    static func problems(_ published: String) -> [ScenarioProblem] {
        do {
            _ = try load(with(published))
            return []
        } catch let error as ScenarioErrors {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test(arguments: [
        ("{metric: cumulative_net_financal, through_year: 2031, value: 1}", "unknown metric 'cumulative_net_financal'; did you mean 'cumulative_net_financial'?"),
        ("{metric: savings, year: 2031, value: 1}", "unknown metric 'savings'"),
        ("{metric: npv_financial, year: 2031, value: 1}", "npv_financial covers the whole case and takes no year"),
        ("{metric: cumulative_net_financial, year: 2031, value: 1}", "takes through_year, not year"),
        ("{metric: cumulative_total_savings, from_year: 2031, value: 1}", "needs through_year"),
        ("{metric: cashable_savings, value: 1}", "cashable_savings needs a year"),
        ("{metric: cashable_savings, year: 2031, through_year: 2032, value: 1}", "either year (one year) or from_year/through_year"),
        ("{metric: total_savings, from_year: 2033, through_year: 2031, value: 1}", "from_year (2033) is after through_year (2031)"),
    ])
    func badFiguresAreReported(_ figure: String, _ message: String) {
        let found = Self.problems("  - \(figure)\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.problem.contains(message) == true, "\(found)")
        #expect(found.first?.keyPath.hasPrefix("published[0]") == true)
        #expect(found.first?.location?.line == 19, "\(found)")
    }

    @Test func everyMetricNameIsAccepted() throws {
        for metric in PublishedMetric.allCases {
            let years: String
            switch metric.period {
            case .wholeCase: years = ""
            case .cumulative: years = ", through_year: 2031"
            case .yearOrRange: years = ", year: 2031"
            }
            let scenario = try Self.load(Self.with("  - {metric: \(metric.rawValue)\(years), value: 1}\n"))
            #expect(scenario.published.first?.knownMetric == metric)
        }
    }

    /// `baseline: {file: …, source: …}` cites the file's source on every figure read from it.
    @Test func aBaselineFileCarriesItsSource() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("published-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "authority,function,fte,cost_per_fte,non_staff\nA,finance,10,30000,0\nB,finance,10,30000,0\n"
            .write(to: directory.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let yaml = Self.deterministic.replacingOccurrences(of: """
        baseline:
          - {authority: A, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
          - {authority: B, function: finance, fte: 10, cost_per_fte: 30000, non_staff: 0}
        """, with: "baseline: {file: b.csv, source: \"Council returns 2030\"}")
        let scenario = try Self.load(yaml, directory: directory.path)
        #expect(scenario.baseline.count == 2)
        for row in scenario.baseline {
            #expect(row.fte.source == "Council returns 2030" && row.costPerFTE.source == "Council returns 2030"
                    && row.nonStaff.source == "Council returns 2030")
        }
    }
}
