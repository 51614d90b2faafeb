import CSV
import Foundation
import Yams

/// A baseline row as read from the YAML list or a CSV line, before its names are
/// resolved to authority and function indices.
struct RawBaselineRow {
    var authority: String
    var authorityLocation: SourceLocation?
    var function: String
    var functionLocation: SourceLocation?
    var fte: Input?
    var costPerFTE: Input?
    var nonStaff: Input?
    var volume: Input?
    var hasVolume: Bool
    var location: SourceLocation?

    /// Whether every value present was valid (problems were recorded otherwise).
    var isComplete: Bool {
        fte != nil && costPerFTE != nil && nonStaff != nil && (!hasVolume || volume != nil)
    }
}

extension ScenarioParser {
    static let baselineColumns = ["authority", "function", "fte", "cost_per_fte", "non_staff", "volume"]
    static let requiredBaselineColumns = ["authority", "function", "fte", "cost_per_fte", "non_staff"]

    /// The baseline: an inline list of rows or `{file: path.csv}`. Returns nil when it
    /// could not be read at all; rows with problems are left out (and reported).
    func readBaseline(_ node: Node, authorities: [ParsedAuthority], functions: [ParsedFunction]) -> [BaselineRow]? {
        let raw: [RawBaselineRow]
        switch node {
        case .sequence(let items):
            raw = items.enumerated().compactMap { index, item in readInlineRow(item, index: index) }
        case .mapping:
            guard let f = fields(node, path: "baseline", allowed: ["file", "source"], required: ["file"], what: "baseline"),
                  let fileNode = f["file"], let path = string(fileNode, path: "baseline.file") else { return nil }
            guard var rows = readBaselineCSV(path, node: fileNode) else { return nil }
            // `source:` beside `file:` cites where the whole file's figures come from.
            if let source = f["source"].flatMap({ string($0, path: "baseline.source") }) {
                func cite(_ input: Input?) -> Input? { input.map { var i = $0; i.source = source; return i } }
                rows = rows.map { row in
                    var r = row
                    r.fte = cite(r.fte); r.costPerFTE = cite(r.costPerFTE); r.nonStaff = cite(r.nonStaff); r.volume = cite(r.volume)
                    return r
                }
            }
            raw = rows
        default:
            report(node, "baseline", "expected a list of rows or {file: baseline.csv}, found \(Self.kind(node))",
                   fix: "list one row per authority and function, or name a CSV file: baseline: {file: data/baseline.csv}")
            return nil
        }
        return resolve(raw, authorities: authorities, functions: functions, listNode: node)
    }

    private func readInlineRow(_ item: Node, index: Int) -> RawBaselineRow? {
        guard let f = fields(item, path: "baseline[\(index)]", allowed: Self.baselineColumns,
                             required: Self.requiredBaselineColumns, what: "a baseline row") else { return nil }
        let authority = f["authority"].flatMap { string($0, path: f.path("authority")) }
        let function = f["function"].flatMap { string($0, path: f.path("function")) }
        guard let authority, let function else { return nil }
        let path = "baseline.\(authority).\(function)"
        func value(_ key: String) -> Input? {
            f[key].flatMap { input($0, path: "\(path).\(key)", range: .nonNegative, label: key) }
        }
        return RawBaselineRow(
            authority: authority, authorityLocation: f["authority"].flatMap(location),
            function: function, functionLocation: f["function"].flatMap(location),
            fte: value("fte"), costPerFTE: value("cost_per_fte"), nonStaff: value("non_staff"),
            volume: value("volume"), hasVolume: f.has("volume"), location: location(item))
    }

    /// Names to indices; reports unknown names, repeated rows and authorities or
    /// functions without any row.
    private func resolve(_ raw: [RawBaselineRow], authorities: [ParsedAuthority], functions: [ParsedFunction],
                         listNode: Node) -> [BaselineRow] {
        let authorityNames = authorities.map(\.name)
        let functionNames = functions.map(\.name)
        let authorityIndex = Dictionary(authorityNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let functionIndex = Dictionary(functionNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [BaselineRow] = []
        var seen: [String: SourceLocation?] = [:]
        var authoritiesWithRows = Set<String>(), functionsWithRows = Set<String>()
        for row in raw {
            let path = "baseline.\(row.authority).\(row.function)"
            authoritiesWithRows.insert(row.authority)
            functionsWithRows.insert(row.function)
            let a = authorityIndex[row.authority], f = functionIndex[row.function]
            // Names that were declared but failed to read are reported where they are defined.
            if a == nil, !declaredAuthorities.contains(row.authority) {
                report(row.authorityLocation, path,
                       "unknown authority '\(row.authority)'" + NearMatches.didYouMean(row.authority, among: declaredAuthorities),
                       fix: "use a name exactly as listed under authorities:, or add the authority there")
            }
            if f == nil, !declaredFunctions.contains(row.function) {
                report(row.functionLocation, path,
                       "unknown function '\(row.function)'" + NearMatches.didYouMean(row.function, among: declaredFunctions),
                       fix: "use a function named under functions:, or add it there with its saving")
            }
            let key = "\(row.authority)\u{0}\(row.function)"
            if let first = seen[key] {
                let at = first.map { $0.file == row.location?.file ? "line \($0.line)" : "\($0)" } ?? "above"
                report(row.location, path, "there is already a row for \(row.authority) / \(row.function) (\(at))",
                       fix: "give one row per authority and function; add the two rows together if both are meant")
                continue
            }
            seen[key] = row.location
            guard let a, let f, row.isComplete, let fte = row.fte, let cost = row.costPerFTE,
                  let nonStaff = row.nonStaff else { continue }
            rows.append(BaselineRow(authority: a, function: f, fte: fte, costPerFTE: cost, nonStaff: nonStaff,
                                    volume: row.volume, location: row.location))
        }
        for authority in authorities where !authoritiesWithRows.contains(authority.name) {
            report(authority.node, "authorities.\(authority.name)", "this authority has no baseline row",
                   fix: "add its rows to the baseline (one per function it runs), or remove the authority")
        }
        for function in functions where !functionsWithRows.contains(function.name) {
            report(function.keyNode, "functions.\(function.name)", "no authority has a baseline row for this function",
                   fix: "add baseline rows for it, or remove the function")
        }
        return rows
    }

    // MARK: - CSV

    /// Reads `path` (relative to the scenario's folder) as a baseline CSV. `node` is the
    /// YAML value naming it, for problems about the file as a whole.
    private func readBaselineCSV(_ path: String, node: Node) -> [RawBaselineRow]? {
        let absolute = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
        let scenarioDirectory = (file as NSString).deletingLastPathComponent
        let shown = path.hasPrefix("/") || scenarioDirectory.isEmpty ? path
            : (scenarioDirectory as NSString).appendingPathComponent(path)
        let data: Data
        switch InputFile.read(absolute) {
        case .success(let contents):
            data = contents
        case .failure(let failure):
            report(node, "baseline.file", "the baseline file '\(shown)' \(failure.reason)",
                   fix: "check the name; it is read relative to the scenario file's folder")
            return nil
        }
        noteFile(shown)
        guard let text = String(data: data, encoding: .utf8) else {
            let at = InputFile.notUTF8Detail(data)
            report(SourceLocation(file: shown, line: at.line, column: at.column), "baseline", "the CSV file is not UTF-8 text" + at.text,
                   fix: "save it as 'CSV UTF-8 (comma delimited)'")
            return nil
        }
        return BaselineCSV(parser: self, file: shown).rows(text)
    }
}

/// The baseline CSV: a header row naming the columns (any order), then one row per
/// authority–function pair. RFC 4180 quoting (CSV.swift), so names with commas work when
/// quoted. Problems name the file, the physical line and the column.
struct BaselineCSV {
    let parser: ScenarioParser
    let file: String

    func rows(_ content: String) -> [RawBaselineRow]? {
        var text = content
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let start = SourceLocation(file: file, line: 1, column: 1)
        if text.allSatisfy(\.isWhitespace) {
            parser.report(start, "baseline", "the CSV file is empty",
                          fix: "start with the header line authority,function,fte,cost_per_fte,non_staff then one line per authority and function")
            return nil
        }
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false), let header = reader.next() else {
            parser.report(start, "baseline", "the CSV file cannot be read", fix: "save it as comma-separated text")
            return nil
        }
        let columns = header.map { $0.trimmingSpaces.lowercased() }
        if columns.contains(where: { $0.unicodeScalars.contains(";") }) {
            parser.report(start, "baseline", "the columns are separated by ';', not ','",
                          fix: "save the file as comma-separated CSV (in Excel: 'CSV UTF-8 (Comma delimited)'), with a point for decimals")
            return nil
        }
        // Header: known columns, each once, all required ones present.
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() {
            let at = SourceLocation(file: file, line: 1, column: i + 1)
            if !ScenarioParser.baselineColumns.contains(name) {
                parser.report(at, "baseline", "unknown column '\(header[i])'" + NearMatches.didYouMean(name, among: ScenarioParser.baselineColumns),
                              fix: "the columns are \(ScenarioParser.baselineColumns.joined(separator: ", ")) (volume optional)")
            } else if index[name] != nil {
                parser.report(at, "baseline", "the column '\(name)' appears twice", fix: "keep one '\(name)' column")
            } else {
                index[name] = i
            }
        }
        let missing = ScenarioParser.requiredBaselineColumns.filter { index[$0] == nil }
        if !missing.isEmpty {
            parser.report(start, "baseline", "the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s")",
                          fix: "the first line must name the columns: authority,function,fte,cost_per_fte,non_staff (and optionally volume)")
            return nil
        }
        var rows: [RawBaselineRow] = []
        var line = 1 + Self.lineBreaks(in: header)
        var dataRows = 0
        while let fields = reader.next() {
            let rowLine = line + 1
            line = rowLine + Self.lineBreaks(in: fields)
            if fields.count == 1 && fields[0].trimmingSpaces.isEmpty { continue }
            dataRows += 1
            if let row = readRow(fields, line: rowLine, columns: columns, index: index) { rows.append(row) }
        }
        if dataRows == 0 {
            parser.report(start, "baseline", "the CSV file has a header but no rows",
                          fix: "add one line per authority and function")
            return nil
        }
        return rows
    }

    /// Line breaks inside the (quoted) fields of a row, so the next row's physical line is
    /// known: CSV.swift reads CRLF, LF and CR as one row end each.
    static func lineBreaks(in fields: [String]) -> Int {
        var count = 0
        for field in fields {
            var previousCR = false
            for scalar in field.unicodeScalars {
                if scalar == "\n" { if !previousCR { count += 1 } } else if scalar == "\r" { count += 1 }
                previousCR = scalar == "\r"
            }
        }
        return count
    }

    private func readRow(_ fields: [String], line: Int, columns: [String], index: [String: Int]) -> RawBaselineRow? {
        let rowStart = SourceLocation(file: file, line: line, column: 1)
        guard fields.count == columns.count else {
            let hint = fields.count > columns.count
                ? "put names containing commas in double quotes, e.g. \"Bath, North East Somerset\""
                : "give a value in every column"
            parser.report(rowStart, "baseline", "this row has \(fields.count) fields but the header has \(columns.count)",
                          fix: hint)
            return nil
        }
        func at(_ column: String) -> SourceLocation { SourceLocation(file: file, line: line, column: index[column]! + 1) }
        let authority = fields[index["authority"]!].trimmingSpaces
        let function = fields[index["function"]!].trimmingSpaces
        let path = "baseline.\(authority).\(function)"
        var namesOK = true
        for (column, value) in [("authority", authority), ("function", function)] where value.isEmpty {
            parser.report(at(column), "\(path)", "the \(column) cell is empty", fix: "give the \(column) name")
            namesOK = false
        }
        func value(_ column: String) -> Input? {
            let cellPath = "\(path).\(column)"
            let cell = fields[index[column]!].trimmingSpaces
            guard !cell.isEmpty else {
                parser.report(at(column), cellPath, "the \(column) cell is empty",
                              fix: column == "volume" ? "give the volume, or leave the volume column out to use fte"
                                  : "give a number (0 if there is none)")
                return nil
            }
            switch NumberSyntax.parse(cell) {
            case .success(let x) where x < 0:
                parser.report(at(column), cellPath, "\(column) must be 0 or more, got \(formatNumber(x))",
                              fix: "give a number of 0 or more")
                return nil
            case .success(let x):
                return Input(.fixed(x), path: cellPath, location: at(column))
            case .failure(.notFinite(let what)):
                parser.report(at(column), cellPath, "the \(column) value is \(what)", fix: "give an ordinary finite number")
                return nil
            case .failure(.malformed(let problem, let fix)):
                parser.report(at(column), cellPath, "\(column): \(problem)", fix: fix)
                return nil
            }
        }
        let row = RawBaselineRow(
            authority: authority, authorityLocation: at("authority"), function: function, functionLocation: at("function"),
            fte: value("fte"), costPerFTE: value("cost_per_fte"), nonStaff: value("non_staff"),
            volume: index["volume"] != nil ? value("volume") : nil, hasVolume: index["volume"] != nil,
            location: rowStart)
        return namesOK ? row : nil
    }
}
