import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Reports
import SavingsModel
import ScenarioFiles

@Suite struct BusinessCaseFileTests {
    @Test func everyCSVParsesBackAndMatchesTheSummary() throws {
        let run = try Fixture.run("scenarios/bench/small-2.yaml")
        let files = Dictionary(try BusinessCase.files(run).map { ($0.name, $0.contents) }, uniquingKeysWith: { a, _ in a })
        for name in ["summary.csv", "yearly.csv", "partners.csv", "payback.csv", "sensitivity.csv", "inputs.csv"] {
            let rows = CSVReader.parse(try #require(files[name]))
            #expect(rows.count >= 2, "\(name) has no data rows")
            #expect(rows.allSatisfy { $0.count == rows[0].count }, "\(name): ragged rows")
            #expect(files[name]!.hasSuffix("\r\n"), "\(name) lines end in CRLF")
        }
        // summary.csv's NPV row holds exactly the summary's numbers.
        let summary = CSVReader.parse(files["summary.csv"]!)
        let npvRow = try #require(summary.first { $0[0] == "npv_financial_gbp" })
        let npv = try #require(run.summary.scalars[.npvFinancial])
        #expect(Double(npvRow[1]) == npv.mean)
        #expect(Double(npvRow[2]) == npv.sd)
        #expect(Double(npvRow[7]) == npv.p50)
        #expect(Double(npvRow[10]) == npv.p95)
        // yearly.csv's year labels and means.
        let yearly = CSVReader.parse(files["yearly.csv"]!)
        #expect(yearly[1][1] == "2026/27")
        let column = try #require(yearly[0].firstIndex(of: "net_financial_gbp_mean"))
        #expect(Double(yearly[3][column]) == run.summary.fans[.netFinancial]![2].mean)
        // payback.csv: the in-year probabilities and "not within horizon" add up to 1.
        let payback = CSVReader.parse(files["payback.csv"]!)
        let total = payback.dropFirst().compactMap { Double($0[2]) }.reduce(0, +)
        #expect(abs(total - 1) < 1e-12)
        #expect(payback.last?[1] == "not within horizon")
        // partners.csv: one row per authority.
        #expect(CSVReader.parse(files["partners.csv"]!).count == run.scenario.authorities.count + 1)
    }

    @Test func summaryJSONCarriesTheSameFigures() throws {
        let run = try Fixture.run("scenarios/bench/small-2.yaml")
        let json = try #require(try BusinessCase.files(run).first { $0.name == "summary.json" }?.contents)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let metrics = try #require(object["metrics"] as? [String: Any])
        let npv = try #require(metrics["npv_financial_gbp"] as? [String: Any])
        #expect((npv["mean"] as? Double) == run.summary.scalars[.npvFinancial]!.mean)
        #expect((npv["p90"] as? Double) == run.summary.scalars[.npvFinancial]!.p90)
        #expect((object["years"] as? [Any])?.count == run.scenario.horizonYears)
    }

    @Test func markdownTablesHaveConsistentColumnCounts() throws {
        for run in [try Fixture.run("scenarios/example.yaml"), try Fixture.hostileRun()] {
            let markdown = try #require(try BusinessCase.files(run).first { $0.name == "business-case.md" }?.contents)
            var expected: Int?
            for line in markdown.components(separatedBy: "\n") {
                guard line.hasPrefix("|") else { expected = nil; continue }
                let cells = Self.cellCount(line)
                if let expected { #expect(cells == expected, "ragged table row: \(line)") } else { expected = cells }
            }
        }
    }

    /// Cells in a Markdown table row: pipes that are not escaped with a backslash.
    static func cellCount(_ line: String) -> Int {
        var count = 0, escaped = false
        for ch in line {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true } else if ch == "|" { count += 1 }
        }
        return count - 1
    }

    @Test func svgAndHTMLParseAsXML() throws {
        for run in [try Fixture.run("scenarios/example.yaml"), try Fixture.hostileRun()] {
            for file in try BusinessCase.files(run) where file.name.hasSuffix(".svg") || file.name.hasSuffix(".html") {
                var text = file.contents
                if file.name.hasSuffix(".html") { text = text.replacingOccurrences(of: "<!DOCTYPE html>", with: "") }
                let parser = XMLParser(data: Data(text.utf8))
                #expect(parser.parse(), "\(file.name) is not well-formed XML: \(String(describing: parser.parserError))")
            }
        }
    }

    @Test func namesFromTheScenarioAreEscapedEverywhere() throws {
        let files = Dictionary(try BusinessCase.files(try Fixture.hostileRun()).map { ($0.name, $0.contents) },
                               uniquingKeysWith: { a, _ in a })
        let html = files["business-case.html"]!
        // Inside a code span Markdown shows text literally, so only the rest must be escaped.
        let markdown = files["business-case.md"]!.components(separatedBy: "`").enumerated()
            .filter { $0.offset % 2 == 0 }.map(\.element).joined()
        #expect(files["business-case.md"]!.contains("`authorities.Pipe \\| and <b>bold</b> & *stars*.joins`"))
        #expect(!markdown.contains("<script>"))
        #expect(!markdown.contains("<b>bold</b>"))
        #expect(!markdown.contains("<img src=x"))
        #expect(markdown.contains("Evil &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* & co"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>bold</b>"))
        #expect(!html.contains("<img src=x"))
        for (name, svg) in files where name.hasSuffix(".svg") {
            #expect(!svg.contains("<script>") && !svg.contains("<b>"), "\(name) lets markup through")
        }
        // CSV: text cells a spreadsheet would execute start with an apostrophe.
        let partners = CSVReader.parse(files["partners.csv"]!)
        #expect(partners.map { $0[0] }.contains("'=cmd|' /C calc'!A0"))
        let inputs = CSVReader.parse(files["inputs.csv"]!)
        #expect(inputs.contains { $0.contains("'@SUM(A1) <img src=x onerror=alert(1)>") })
        #expect(inputs.contains { $0[0] == "'+danger" } || inputs.contains { $0[0].hasPrefix("one_off_costs.+danger") })
        for rows in [partners, inputs] {
            for row in rows.dropFirst() {
                for cell in row where Double(cell) == nil {
                    #expect(!(cell.first.map { "=+-@".contains($0) } ?? false), "unneutralised cell \(cell)")
                }
            }
        }
    }

    @Test func neutraliseLeavesOrdinaryTextAlone() {
        #expect(CSVTable.neutralise("=1+2") == "'=1+2")
        #expect(CSVTable.neutralise("-3") == "'-3")
        #expect(CSVTable.neutralise("@x") == "'@x")
        #expect(CSVTable.neutralise("+44") == "'+44")
        #expect(CSVTable.neutralise("Northdown") == "Northdown")
        #expect(CSVTable.quote("a,b") == "\"a,b\"")
        #expect(CSVTable.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func moneyReadsLikeACommitteePaper() {
        #expect(NumberText.money(1_234_567) == "£1.23m")
        #expect(NumberText.money(450_000) == "£450k")
        #expect(NumberText.money(-3_400_000) == "−£3.40m")
        #expect(NumberText.money(2_500_000_000) == "£2.50bn")
        #expect(NumberText.money(950) == "£950")
        #expect(NumberText.fixed(-0.45, digits: 2) == "−0.45")
        #expect(NumberText.fixed(-0.001, digits: 2) == "0.00")
        #expect(NumberText.plain(.nan) == "")
        #expect(NumberText.plain(120000) == "120000")
    }

    @Test func sha256MatchesTheStandardTestVectors() {
        // FIPS 180-2 appendix B examples.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aHouseTemplateGetsTheSameData() throws {
        let run = try Fixture.run("scenarios/bench/small-2.yaml", iterations: 1000)
        let template = "NPV {{npvP10}} to {{npvP90}}; partners: {{#partnerResults}}[{{name}}]{{/partnerResults}}"
        let markdown = try #require(try BusinessCase.files(run, template: template).first { $0.name == "business-case.md" })
        let npv = run.summary.scalars[.npvFinancial]!
        #expect(markdown.contents.hasPrefix("NPV \(NumberText.money(npv.p10)) to \(NumberText.money(npv.p90))"))
        #expect(markdown.contents.contains("[Northdown District Council][Southvale Borough Council]"))
        #expect(throws: BusinessCase.TemplateError.self) { try BusinessCase.files(run, template: "{{#open}} never closed") }
    }
}

/// The report for a small scenario, compared byte for byte with committed golden files.
/// Regenerate on purpose with `UPDATE_GOLDEN=1 swift test --filter GoldenReportTests`.
@Suite struct GoldenReportTests {
    @Test func smallScenarioReportMatchesTheGoldenFiles() throws {
        let run = try Fixture.run("scenarios/bench/small-2.yaml", iterations: 3000, seed: 2)
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        for file in try BusinessCase.files(run) {
            let url = Fixture.golden.appendingPathComponent(file.name)
            if update {
                try FileManager.default.createDirectory(at: Fixture.golden, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
                continue
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(file.contents == expected, "\(file.name) differs from Tests/ReportsTests/Golden/\(file.name)")
        }
    }
}

@Suite struct SpilledColumnsReportTests {
    /// iterations.csv reads its rows in chunks of 4,096; from columns that wait on disk it must
    /// be byte-identical to the in-memory file (5,000 rows cross a chunk boundary).
    @Test func iterationsCSVFromSpilledColumnsIsTheSame() throws {
        let file = Fixture.repository.appendingPathComponent("scenarios/example.yaml").path
        let model = try CompiledModel(try ScenarioLoader.load(file: file))
        let columns = Simulation.run(model, settings: RunSettings(iterations: 5_000, seed: 4, threads: 2))
        let spilled = columns.copied(memoryBudget: 1)
        #expect(spilled.store.isOnDisk && !columns.store.isOnDisk)
        func csv(_ c: SimulationColumns) throws -> Data {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("iterations-\(UUID().uuidString).csv")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: url) }
            let handle = try FileHandle(forWritingTo: url)
            try IterationsCSV.write(c, model: model, to: handle)
            try handle.close()
            return try Data(contentsOf: url)
        }
        let inMemory = try csv(columns), onDisk = try csv(spilled)
        #expect(inMemory.count > 100_000)
        let same = inMemory == onDisk
        #expect(same)
        // Rows either side of the chunk boundary hold their own iteration's values.
        let lines = String(decoding: inMemory, as: UTF8.self).components(separatedBy: "\r\n")
        let npvColumn = ScalarMetric.npvFinancial.rawValue + 1
        let lastInput = ScalarMetric.allCases.count + model.space.scalarCount
        for i in [0, 4_095, 4_096, 4_999] {
            let cells = lines[i + 1].components(separatedBy: ",")
            #expect(cells[0] == String(i + 1))
            #expect(cells[npvColumn] == NumberText.plain(columns.scalars[ScalarMetric.npvFinancial.rawValue][i]))
            #expect(cells[lastInput] == NumberText.plain(columns.inputs[model.space.scalarCount - 1][i]))
        }
    }
}
