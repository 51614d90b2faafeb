import Foundation
@testable import Reports
import SavingsModel
import ScenarioFiles
import Stochastics

enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// A run of a bundled scenario, made in-process.
    static func run(_ path: String, iterations: Int = 2000, seed: UInt64 = 11) throws -> RunRecord {
        let file = repository.appendingPathComponent(path).path
        let scenario = try ScenarioLoader.load(file: file)
        let model = try CompiledModel(scenario)
        let settings = RunSettings(iterations: iterations, seed: seed, threads: 2)
        let summary = Summary(model: model, columns: Simulation.run(model, settings: settings))
        let base = Summary(model: model, columns: Simulation.baseCase(model))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        return RunRecord(scenario: scenario, model: model, settings: settings, scenarioSHA256: SHA256.hex(Array(bytes)),
                         scenarioPath: path, summary: summary, baseCase: base)
    }

    /// A scenario whose names try every trick: Markdown, HTML, CSV formulas.
    static func hostileRun() throws -> RunRecord {
        let yaml = """
        name: "Evil <script>alert(1)</script> | *bold* & co"
        description: "=HYPERLINK(\\"http://x\\") [link](http://x) `code`"
        authorities:
          - {name: "=cmd|' /C calc'!A0", joins: 0}
          - {name: "Pipe | and <b>bold</b> & *stars*", joins: 0}
        baseline:
          - {authority: "=cmd|' /C calc'!A0", function: "hr.pay<roll>", fte: 5, cost_per_fte: 30000, non_staff: 1000}
          - {authority: "Pipe | and <b>bold</b> & *stars*", function: "hr.pay<roll>", fte: 5, cost_per_fte: 30000, non_staff: 1000}
        functions:
          "hr.pay<roll>":
            saving: {rate: {uniform: [0.1, 0.2], source: "@SUM(A1) <img src=x onerror=alert(1)>"}}
        one_off_costs:
          - {name: "+danger", amount: 10000}
        """
        let scenario = try ScenarioLoader.load(yaml: yaml, file: "hostile.yaml", baseDirectory: "/tmp")
        let model = try CompiledModel(scenario)
        let settings = RunSettings(iterations: 500, seed: 3, threads: 1)
        let summary = Summary(model: model, columns: Simulation.run(model, settings: settings))
        let base = Summary(model: model, columns: Simulation.baseCase(model))
        return RunRecord(scenario: scenario, model: model, settings: settings, scenarioSHA256: SHA256.hex(Array(yaml.utf8)),
                         scenarioPath: "hostile.yaml", summary: summary, baseCase: base)
    }
}

/// A strict RFC 4180 reader for the tests (independent of the writer).
enum CSVReader {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var inQuotes = false
        var chars = Array(text)[...]
        while let ch = chars.popFirst() {
            if inQuotes {
                if ch == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { inQuotes = false }
                } else { field.append(ch) }
            } else {
                switch ch {
                case "\"": inQuotes = true
                case ",": row.append(field); field = ""
                case "\r\n", "\n": row.append(field); rows.append(row); row = []; field = ""
                case "\r": continue
                default: field.append(ch)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
