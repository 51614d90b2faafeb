import Foundation
import Stochastics
import Testing
@testable import ScenarioFiles

/// The baseline CSV: header, quoting, cells, and where problems are reported.
@Suite struct BaselineCSVTests {
    static let scenarioWithCSV = """
    name: CSV scenario
    authorities:
      - {name: Northdown, joins: 0}
      - {name: Southvale, joins: 1}
    baseline: {file: baseline.csv}
    functions:
      hr.payroll: {saving: {rate: 0.2}}

    """

    /// Writes `csv` (exact bytes) into a fresh folder and loads the scenario from there.
    func run(_ csv: String, yaml: String = scenarioWithCSV) throws -> Result<Scenario, ScenarioErrors> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("scenario-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(csv.utf8).write(to: directory.appendingPathComponent("baseline.csv"))
        do {
            return .success(try ScenarioLoader.load(yaml: yaml, file: "test.yaml", baseDirectory: directory.path))
        } catch {
            return .failure(error)
        }
    }

    func csvProblems(_ csv: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [ScenarioProblem] {
        switch try run(csv) {
        case .success:
            Issue.record("expected problems", sourceLocation: sourceLocation)
            return []
        case .failure(let errors):
            return errors.problems
        }
    }

    static let header = "authority,function,fte,cost_per_fte,non_staff\n"

    @Test func quotedNamesWithCommasBOMAndCRLF() throws {
        let s = try ScenarioLoader.load(file: "\(fixturesDirectory)/quoted-names.yaml")
        #expect(s.authorities.map(\.name) == ["Bath, North East Somerset", "Brighton and Hove, City of"])
        #expect(s.baseline.count == 4)
        let first = s.baseline[0]
        #expect(first.authority == 0 && first.function == 0)
        #expect(first.costPerFTE.distribution == .fixed(36000))
        #expect(first.nonStaff.distribution == .fixed(45000))
        #expect(first.fte.path == "baseline.Bath, North East Somerset.hr.payroll.fte")
        #expect(s.baseline[2].costPerFTE.distribution == .fixed(35000))
        #expect(s.baseline[3].volume?.distribution == .fixed(47000))
        #expect(s.baseline[3].location?.line == 5)
        #expect(s.baseline[3].location?.file == "\(fixturesDirectory)/quoted-names-baseline.csv")
    }

    /// Foundation's UTF-8 decoding may already drop a byte-order mark; the CSV reader
    /// strips one itself too, so text from any source works.
    @Test func byteOrderMarkIsStrippedFromText() {
        let parser = ScenarioParser(file: "test.yaml", baseDirectory: ".")
        let rows = BaselineCSV(parser: parser, file: "b.csv")
            .rows("\u{FEFF}authority,function,fte,cost_per_fte,non_staff\nNorthdown,hr.payroll,6,36000,45000\n")
        #expect(parser.problems.isEmpty, "\(parser.problems)")
        #expect(rows?.first?.authority == "Northdown")
    }

    @Test func columnsInAnyOrderAndOptionalVolume() throws {
        let csv = "non_staff,Function,authority,cost_per_fte,fte\n45000,hr.payroll,Northdown,36000,6\n50000,hr.payroll,Southvale,35000,7\n"
        let s = try run(csv).get()
        #expect(s.baseline[1].fte.distribution == .fixed(7) && s.baseline[1].nonStaff.distribution == .fixed(50000))
        #expect(s.baseline[1].volume == nil)
        #expect(s.baseline[1].fte.location == SourceLocation(file: "baseline.csv", line: 3, column: 5))
    }

    @Test func cellProblemsNameFileLineAndColumn() throws {
        let csv = Self.header + """
        Northdown,hr.payroll,-6,36000,45000
        Southvale,hr.payroll,seven,,.nan

        """
        let found = try csvProblems(csv)
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll.fte", line: 2, column: 3, file: "baseline.csv",
                      "fte must be 0 or more, got -6")
        expectProblem(found, keyPath: "baseline.Southvale.hr.payroll.fte", line: 3, column: 3, file: "baseline.csv",
                      "fte: 'seven' is not a number")
        expectProblem(found, keyPath: "baseline.Southvale.hr.payroll.cost_per_fte", line: 3, column: 4, file: "baseline.csv",
                      "the cost_per_fte cell is empty")
        expectProblem(found, keyPath: "baseline.Southvale.hr.payroll.non_staff", line: 3, column: 5, file: "baseline.csv",
                      "the non_staff value is NaN")
        #expect(found.count == 4)
    }

    @Test func physicalLinesCountLineBreaksInsideQuotesAndBlankLines() throws {
        let csv = Self.header + "\"North\ndown\",hr.payroll,6,36000,45000\n\nSouthvale,hr.payroll,x,35000,50000\n"
        let found = try csvProblems(csv)
        expectProblem(found, keyPath: "baseline.Southvale.hr.payroll.fte", line: 5, column: 3, file: "baseline.csv",
                      "fte: 'x' is not a number")
    }

    @Test func unknownAndMissingColumns() throws {
        let found = try csvProblems("authority,function,FTEs,cost_per_fte,nonstaff\nNorthdown,hr.payroll,1,2,3\n")
        expectProblem(found, keyPath: "baseline", line: 1, column: 3, file: "baseline.csv",
                      "unknown column 'FTEs'; did you mean 'fte'?")
        expectProblem(found, keyPath: "baseline", line: 1, column: 5, file: "baseline.csv",
                      "unknown column 'nonstaff'; did you mean 'non_staff'?")
        expectProblem(found, keyPath: "baseline", line: 1, column: 1, file: "baseline.csv",
                      "the header has no 'fte', 'non_staff' columns")
    }

    @Test func semicolonSeparatorGetsAHint() throws {
        let found = try csvProblems("authority;function;fte;cost_per_fte;non_staff\nNorthdown;hr.payroll;6;36000;45000\n")
        #expect(found.count == 1)
        expectProblem(found, keyPath: "baseline", line: 1, column: 1, file: "baseline.csv",
                      "the columns are separated by ';', not ','", fix: "Comma delimited")
    }

    @Test func emptyFileAndHeaderOnly() throws {
        expectProblem(try csvProblems(""), keyPath: "baseline", line: 1, file: "baseline.csv", "the CSV file is empty")
        expectProblem(try csvProblems("\u{FEFF}\n"), keyPath: "baseline", line: 1, file: "baseline.csv", "the CSV file is empty")
        expectProblem(try csvProblems(Self.header), keyPath: "baseline", line: 1, file: "baseline.csv",
                      "the CSV file has a header but no rows")
    }

    @Test func unquotedCommaInANameShiftsTheColumns() throws {
        let found = try csvProblems(Self.header + "Bath, North East Somerset,hr.payroll,6,36000,45000\n")
        expectProblem(found, keyPath: "baseline", line: 2, column: 1, file: "baseline.csv",
                      "this row has 6 fields but the header has 5", fix: "double quotes")
    }

    @Test func unknownNamesAndDuplicateRowsInCSV() throws {
        let csv = Self.header + """
        Northdown,hr.payroll,6,36000,45000
        Southvale,hr.payrol,7,35000,50000
        Northdown,hr.payroll,1,1,1

        """
        let found = try csvProblems(csv)
        expectProblem(found, keyPath: "baseline.Southvale.hr.payrol", line: 3, column: 2, file: "baseline.csv",
                      "unknown function 'hr.payrol'; did you mean 'hr.payroll'?")
        expectProblem(found, keyPath: "baseline.Northdown.hr.payroll", line: 4, column: 1, file: "baseline.csv",
                      "there is already a row for Northdown / hr.payroll (line 2)")
        // Southvale's only row names an unknown function: that is the problem, not a missing row.
        #expect(found.count == 2)
    }

    @Test func missingCSVFile() {
        let yaml = Self.scenarioWithCSV.replacingOccurrences(of: "baseline.csv", with: "nowhere.csv")
        let found = problems(yaml)
        expectProblem(found, keyPath: "baseline.file", line: 5, column: 18, "the baseline file 'nowhere.csv' does not exist",
                      fix: "relative to the scenario file's folder")
    }

    @Test func csvPathIsShownRelativeToTheScenarioFile() throws {
        let found = problems(Self.scenarioWithCSV.replacingOccurrences(of: "baseline.csv", with: "broken-baseline.csv"),
                             file: "scenarios/mine.yaml")
        #expect(found.contains { $0.location?.file == "scenarios/broken-baseline.csv" })
    }

    @Test func moneyShorthandInCells() throws {
        let csv = Self.header + "Northdown,hr.payroll,6,£36k,\"£1,250.50\"\nSouthvale,hr.payroll,7.5,\"35,000\",0.05m\n"
        let s = try run(csv).get()
        #expect(s.baseline[0].costPerFTE.distribution == .fixed(36000))
        #expect(s.baseline[0].nonStaff.distribution == .fixed(1250.5))
        #expect(s.baseline[1].fte.distribution == .fixed(7.5))
        #expect(s.baseline[1].costPerFTE.distribution == .fixed(35000))
        #expect(s.baseline[1].nonStaff.distribution == .fixed(50000))
    }
}
