import Foundation
import Testing
@testable import ScenarioFiles

/// The repository root, found from this file's path (Tests/ScenarioFilesTests/…).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The copied `Fixtures` folder of the test bundle.
let fixturesDirectory: String = {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        fatalError("Fixtures are missing from the test bundle")
    }
    return url.path
}()

/// A small valid scenario; tests append top-level keys or replace parts of it.
let minimalScenario = """
name: Test scenario
start_year: 2026
authorities:
  - {name: Northdown, joins: 0, population: 98000}
  - {name: Southvale, joins: 1, population: 112000}
baseline:
  - {authority: Northdown, function: hr.payroll, fte: 6, cost_per_fte: 36000, non_staff: 45000}
  - {authority: Southvale, function: hr.payroll, fte: 7, cost_per_fte: 35000, non_staff: 50000}
functions:
  hr.payroll:
    saving: {rate: 0.2}

"""

/// Loads YAML text, expecting success.
func load(_ yaml: String, file: String = "test.yaml", base: String = fixturesDirectory,
          sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Scenario? {
    do {
        return try ScenarioLoader.load(yaml: yaml, file: file, baseDirectory: base)
    } catch {
        Issue.record("expected the scenario to load, got:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Loads YAML text, expecting problems, and returns them.
func problems(_ yaml: String, file: String = "test.yaml", base: String = fixturesDirectory,
              sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [ScenarioProblem] {
    do {
        _ = try ScenarioLoader.load(yaml: yaml, file: file, baseDirectory: base)
        Issue.record("expected problems, but the scenario loaded", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

/// The 1-based line of the first line of `text` containing `needle` (after `after` lines).
func line(of needle: String, in text: String, after: Int = 0) -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, l) in lines.enumerated() where i >= after && l.contains(needle) { return i + 1 }
    fatalError("'\(needle)' is not in the text")
}

/// Asserts that exactly one problem has `keyPath` and a message containing `message`,
/// at `line` (and `column`, when given) of `file`.
@discardableResult
func expectProblem(_ problems: [ScenarioProblem], keyPath: String, line: Int, column: Int? = nil,
                   file: String = "test.yaml", _ message: String, fix: String? = nil,
                   sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ScenarioProblem? {
    let matches = problems.filter { $0.keyPath == keyPath && $0.problem.contains(message) }
    guard matches.count == 1, let p = matches.first else {
        let listing = problems.map { "  \($0)" }.joined(separator: "\n")
        Issue.record("expected one problem at \(keyPath) saying '\(message)'; found \(matches.count) among:\n\(listing)",
                     sourceLocation: sourceLocation)
        return nil
    }
    #expect(p.location?.file == file, sourceLocation: sourceLocation)
    #expect(p.location?.line == line, "\(p)", sourceLocation: sourceLocation)
    if let column { #expect(p.location?.column == column, "\(p)", sourceLocation: sourceLocation) }
    if let fix { #expect(p.fix.contains(fix), "\(p)", sourceLocation: sourceLocation) }
    return p
}
