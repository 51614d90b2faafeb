import Foundation
import Testing

/// docs/errors.md is executable: every entry's files are written to a fresh folder, its
/// command is run with the built `shared-savings`, and what the tool prints (and its exit
/// status) must be exactly what the page shows. So the catalogue cannot drift from the tool.
///
/// Regenerate the transcripts on purpose (then read the diff) with
/// `UPDATE_ERRORS=1 swift test --filter ErrorCatalogueTests`.
///
/// The page's conventions, all read here:
/// - a block ```` ```yaml base ```` defines the base scenario;
/// - in an entry (a `###` heading), ```` ```<language> <path> ```` writes a file; with
///   `after-base` the block is appended to the base scenario, with `latin1` the text is
///   saved as ISO 8859-1 instead of UTF-8, with `cr` its lines end with CR alone;
/// - ```` ```console ```` holds `$ shared-savings …`, what it prints (standard output, then
///   standard error), `$ echo $?` and the exit status. `…` in a line matches any text (a
///   temporary folder, this machine's memory).
@Suite(.serialized) struct ErrorCatalogueTests {
    static let page = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("docs/errors.md")

    struct File {
        var path: String
        var text: String
        var latin1: Bool
    }

    struct Entry {
        var title: String
        var files: [File] = []
        var arguments: [String] = []
        var expected: [String] = []
        var status: Int32 = 0
        /// Line range of the console block's output and status in the page (for updating).
        var outputLines: Range<Int> = 0..<0
        var statusLine = 0
    }

    static func parse(_ text: String) throws -> (base: String, entries: [Entry]) {
        let lines = text.components(separatedBy: "\n")
        var base = ""
        var entries: [Entry] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("### ") {
                entries.append(Entry(title: String(line.dropFirst(4))))
                i += 1
                continue
            }
            guard line.hasPrefix("```"), line.count > 3 else { i += 1; continue }
            let info = line.dropFirst(3).split(separator: " ").map(String.init)
            var body: [String] = []
            let start = i + 1
            i += 1
            while i < lines.count, lines[i] != "```" {
                body.append(lines[i])
                i += 1
            }
            i += 1  // the closing fence
            if info == ["yaml", "base"] {
                base = body.joined(separator: "\n") + "\n"
                continue
            }
            guard !entries.isEmpty else { continue }
            if info.first == "console" {
                guard let command = body.first, command.hasPrefix("$ shared-savings") else {
                    throw CatalogueError("'\(entries[entries.count - 1].title)': the console block must start with $ shared-savings")
                }
                guard let echo = body.firstIndex(of: "$ echo $?"), echo + 1 < body.count,
                      let status = Int32(body[echo + 1]) else {
                    throw CatalogueError("'\(entries[entries.count - 1].title)': the console block must end with $ echo $? and the status")
                }
                entries[entries.count - 1].arguments = try words(String(command.dropFirst("$ shared-savings".count)))
                entries[entries.count - 1].expected = Array(body[1..<echo])
                entries[entries.count - 1].status = status
                entries[entries.count - 1].outputLines = (start + 1)..<(start + echo)
                entries[entries.count - 1].statusLine = start + echo + 1
            } else if info.count >= 2 {
                var content = body.joined(separator: "\n") + "\n"
                if info.contains("after-base") { content = base + content }
                if info.contains("cr") { content = content.replacingOccurrences(of: "\n", with: "\r") }
                entries[entries.count - 1].files.append(File(path: info[1], text: content, latin1: info.contains("latin1")))
            }
        }
        return (base, entries)
    }

    /// Shell-like words: spaces separate, single quotes group.
    static func words(_ s: String) throws -> [String] {
        var result: [String] = [], current = "", quoted = false, started = false
        for ch in s {
            if ch == "'" { quoted.toggle(); started = true; continue }
            if ch == " " && !quoted {
                if started { result.append(current) }
                current = ""
                started = false
                continue
            }
            current.append(ch)
            started = true
        }
        if quoted { throw CatalogueError("unbalanced quote in: \(s)") }
        if started { result.append(current) }
        return result
    }

    /// `expected` may hold `…`, matching any text.
    static func matches(_ actual: String, _ expected: String) -> Bool {
        let parts = expected.components(separatedBy: "…")
        guard parts.count > 1 else { return actual == expected }
        guard actual.hasPrefix(parts[0]), actual.hasSuffix(parts[parts.count - 1]),
              actual.count >= parts[0].count + parts[parts.count - 1].count else { return false }
        var rest = Substring(actual.dropFirst(parts[0].count))
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }

    struct Outcome {
        var lines: [String]
        var status: Int32
    }

    static func run(_ entry: Entry, in folder: URL) throws -> Outcome {
        let fm = FileManager.default
        try? fm.removeItem(at: folder)
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in entry.files {
            let url = folder.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard let data = file.text.data(using: file.latin1 ? .isoLatin1 : .utf8) else {
                throw CatalogueError("\(file.path) cannot be encoded")
            }
            try data.write(to: url)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = entry.arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "200"  // ArgumentParser wraps usage lines to the terminal
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self) + String(decoding: stderr, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        while lines.last == "" { lines.removeLast() }
        return Outcome(lines: lines, status: process.terminationStatus)
    }

    /// The built tool, beside the test bundle in the build products folder.
    static var executable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("shared-savings")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("shared-savings")
    }

    struct CatalogueError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    // MARK: - Tests

    @Test func everyEntryPrintsExactlyWhatThePageShows() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let (base, entries) = try Self.parse(text)
        #expect(!base.isEmpty, "docs/errors.md defines no base scenario")
        #expect(entries.count >= 60, "the catalogue has \(entries.count) entries")
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            Issue.record("shared-savings is not built beside the tests (\(Self.executable.path)); run the whole `swift test`")
            return
        }
        let update = ProcessInfo.processInfo.environment["UPDATE_ERRORS"] == "1"
        var lines = text.components(separatedBy: "\n")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shared-savings-errors-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        // Replace from the end so earlier line numbers stay valid.
        for (index, entry) in entries.enumerated().reversed() {
            #expect(!entry.arguments.isEmpty, "'\(entry.title)' has no command")
            guard !entry.arguments.isEmpty else { continue }
            let outcome = try Self.run(entry, in: root.appendingPathComponent("\(index)"))
            let same = outcome.lines.count == entry.expected.count
                && zip(outcome.lines, entry.expected).allSatisfy { Self.matches($0, $1) }
            if update {
                if !same {
                    lines.replaceSubrange(entry.outputLines, with: outcome.lines)
                }
                if outcome.status != entry.status {
                    lines[entry.statusLine + (same ? 0 : outcome.lines.count - entry.expected.count)] = "\(outcome.status)"
                }
                continue
            }
            #expect(same, """
                docs/errors.md, '\(entry.title)': the tool printed
                \(outcome.lines.joined(separator: "\n"))
                but the page shows
                \(entry.expected.joined(separator: "\n"))
                """)
            #expect(outcome.status == entry.status, "'\(entry.title)': exit status \(outcome.status), the page says \(entry.status)")
            // Input mistakes exit with 2, command-line mistakes with 64 (EX_USAGE), failures to write with 1.
            #expect(entry.title.contains("(accepted)") ? outcome.status == 0 : [1, 2, 64].contains(outcome.status),
                    "'\(entry.title)': a refusal exits with 1, 2 or 64, an accepted example with 0")
        }
        if update { try lines.joined(separator: "\n").write(to: Self.page, atomically: true, encoding: .utf8) }
    }

    /// Every class the issue names has at least one entry.
    @Test func everyClassOfBadInputIsCatalogued() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        let titles = try Self.parse(text).entries.map { $0.title.lowercased() }
        for topic in ["yaml syntax", "wrong type", "unknown key", "impossible", "unknown authority", "not there",
                      "empty", "semicolon", "byte order mark", "header", "not a number", "nan", "infinite",
                      "too large", "tiny", "--iterations", "--out", "memory", "not utf-8", "folder"] {
            #expect(titles.contains { $0.contains(topic) }, "no entry about \(topic)")
        }
    }

    @Test func theParserReadsItsOwnConventions() throws {
        let page = """
        ```yaml base
        name: x
        ```
        ### One
        ```yaml s.yaml after-base
        seed: -1
        ```
        ```console
        $ shared-savings validate 's p.yaml' --x
        a
        b … c
        $ echo $?
        2
        ```
        """
        let (base, entries) = try Self.parse(page)
        #expect(base == "name: x\n")
        #expect(entries.count == 1)
        #expect(entries[0].files.first?.text == "name: x\nseed: -1\n")
        #expect(entries[0].arguments == ["validate", "s p.yaml", "--x"])
        #expect(entries[0].expected == ["a", "b … c"])
        #expect(entries[0].status == 2)
        #expect(Self.matches("b 1 2 c", "b … c"))
        #expect(!Self.matches("b 1 2 d", "b … c"))
        #expect(Self.matches("/tmp/x/y is a file", "…/y is a file"))
    }
}
