import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 8 end to end: hostile file names and output folders, edge-case scenarios through
/// the whole report, resource limits and results too large to print. (Atomic replacement,
/// --force and SIGKILL mid-write are in CommandLineTests; error messages in docs/errors.md,
/// checked by ErrorCatalogueTests.)
@Suite(.serialized)
struct HardeningTests {
    typealias CLI = CommandLineTests

    /// Runs the tool in `folder`.
    static func run(_ arguments: [String], in folder: URL) throws -> CLI.Outcome {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                           stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh, empty temporary folder.
    static func sandbox(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("shared-savings-hardening-\(getpid())").appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }

    /// Every file and folder below `root`, as paths relative to it.
    static func tree(_ root: URL) -> Set<String> {
        var result = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String { result.insert(path) }
        return result
    }

    static let twoCouncils = """
    name: Two councils
    authorities:
      - {name: Northdown, joins: 0}
      - {name: Southvale, joins: 0}
    baseline:
      - {authority: Northdown, function: hr.payroll, fte: 6, cost_per_fte: 36000, non_staff: 45000}
      - {authority: Southvale, function: hr.payroll, fte: 7, cost_per_fte: 35000, non_staff: 50000}
    functions:
      hr.payroll:
        saving: {rate: {uniform: [0.1, 0.3]}}
    one_off_costs:
      - {name: ICT, amount: 100000}

    """

    /// No report file holds NaN or infinity as a word, and every CSV number parses finite.
    static func expectPrintable(_ folder: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains("summary.csv"), sourceLocation: sourceLocation)
        let word = try NSRegularExpression(pattern: #"(?i)(?<![A-Za-z])(nan|-?inf|infinity)(?![A-Za-z])"#)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let hits = word.matches(in: text, range: NSRange(text.startIndex..., in: text))
            #expect(hits.isEmpty, "\(name) prints NaN or infinity", sourceLocation: sourceLocation)
            guard name.hasSuffix(".csv") else { continue }
            for line in text.components(separatedBy: "\r\n").dropFirst() {
                for cell in line.components(separatedBy: ",") {
                    if let x = Double(cell) { #expect(x.isFinite, "\(name): \(cell)", sourceLocation: sourceLocation) }
                }
            }
        }
    }

    // MARK: - Safe output

    @Test("Hostile scenario file names: the report always lands in reports/<slug> under the working folder")
    func hostileFileNames() throws {
        let root = try Self.sandbox("names")
        let work = root.appendingPathComponent("a/b/work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let cases: [(file: String, slug: String)] = [
            ("../../x.yaml", "x"),
            ("...yaml", "yaml"),
            ("Café Réunion 2026.yaml", "caf-r-union-2026"),
            ("  spaced  out .yaml", "spaced-out"),
            ("...yaml", "yaml"),
            ("$(touch pwned);rm -rf ~.yaml", "touch-pwned-rm-rf"),
            (".yaml", "yaml"),
            ("a.b.c.yaml", "a-b-c"),
        ]
        for (file, slug) in cases {
            let path = work.appendingPathComponent(file).standardizedFileURL
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.twoCouncils.write(to: path, atomically: true, encoding: .utf8)
            let before = Self.tree(root)
            let outcome = try Self.run(["run", file, "--iterations", "200", "--quiet"], in: work)
            #expect(outcome.status == 0, "\(file): \(outcome.stderr)")
            let added = Self.tree(root).subtracting(before)
            #expect(!added.isEmpty)
            for entry in added {
                #expect(entry.hasPrefix("a/b/work/reports/\(slug)") || entry == "a/b/work/reports",
                        "\(file) wrote \(entry) outside reports/\(slug) (\(outcome.stdout))")
            }
            try FileManager.default.removeItem(at: work.appendingPathComponent("reports"))
            try FileManager.default.removeItem(at: path)
        }
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("pwned").path))
    }

    @Test("--out at a file is refused, even with --force, and the file is untouched")
    func outAtAFile() throws {
        let work = try Self.sandbox("out-file")
        try Self.twoCouncils.write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        try "keep me".write(to: work.appendingPathComponent("paper.docx"), atomically: true, encoding: .utf8)
        for force in [false, true] {
            let outcome = try Self.run(["run", "s.yaml", "--iterations", "100", "--out", "paper.docx"] + (force ? ["--force"] : []),
                                       in: work)
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("is a file, not a folder"))
            #expect(try String(contentsOf: work.appendingPathComponent("paper.docx"), encoding: .utf8) == "keep me")
        }
    }

    @Test("--force never replaces the working folder, its parents, the root or the folder holding the scenario")
    func protectedFolders() throws {
        let parent = try Self.sandbox("protected")
        let work = parent.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("plans"), withIntermediateDirectories: true)
        try Self.twoCouncils.write(to: work.appendingPathComponent("plans/s.yaml"), atomically: true, encoding: .utf8)
        try "notes".write(to: parent.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let before = Self.tree(parent)
        for out in [".", "..", "/", "plans", work.path] {
            let outcome = try Self.run(["run", "plans/s.yaml", "--iterations", "100", "--out", out, "--force"], in: work)
            #expect(outcome.status == 2, "--out \(out)")
            #expect(outcome.stderr.contains("is never replaced (even with --force)"), "--out \(out): \(outcome.stderr)")
        }
        #expect(Self.tree(parent) == before, "a refused run changed files")
    }

    @Test("A folder that cannot be written is a clear error (exit 1), not a crash")
    func unwritableFolder() throws {
        let work = try Self.sandbox("read-only")
        try Self.twoCouncils.write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        var targets = ["/proc/shared-savings-report"]  // no one, not even root, can create folders there
        if geteuid() != 0 {
            let locked = work.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            targets.append(locked.appendingPathComponent("report").path)
        }
        guard FileManager.default.fileExists(atPath: "/proc/self") else { return }  // not Linux
        for target in targets {
            let outcome = try Self.run(["run", "s.yaml", "--iterations", "100", "--out", target], in: work)
            #expect(outcome.status == 1, "\(target): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("could not write the report to \(target): "))
            #expect(outcome.stderr.contains("Fix: "))
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("crashed"))
        }
    }

    @Test("Names with backticks, line breaks and markup stay inert in every report file")
    func hostileNamesInReports() throws {
        let work = try Self.sandbox("names-in-reports")
        try """
        name: "Evil`<script>a()</script>`\\nline2 | x"
        authorities:
          - {name: "A`<img src=x onerror=alert(1)>`", joins: 0}
          - {name: "B\\nnew line | pipe\\r\\n<i>x</i>", joins: 0}
        baseline:
          - {authority: "A`<img src=x onerror=alert(1)>`", function: "f`<b>b</b>`", fte: 5, cost_per_fte: 30000, non_staff: 1000}
          - {authority: "B\\nnew line | pipe\\r\\n<i>x</i>", function: "f`<b>b</b>`", fte: 5, cost_per_fte: 30000, non_staff: 1000}
        functions:
          "f`<b>b</b>`":
            saving: {rate: {uniform: [0.1, 0.2], source: "``<svg onload=alert(1)>``\\n=cmd"}}
        one_off_costs:
          - {name: "=danger", amount: 10000}
        """.write(to: work.appendingPathComponent("evil.yaml"), atomically: true, encoding: .utf8)
        let outcome = try Self.run(["run", "evil.yaml", "--iterations", "300", "--out", "r", "--quiet"], in: work)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let out = work.appendingPathComponent("r")
        let html = try String(contentsOf: out.appendingPathComponent("business-case.html"), encoding: .utf8)
        for tag in ["<script", "<img", "<svg onload", "<b>b</b>", "<i>x</i>"] {
            #expect(!html.contains(tag), "business-case.html holds \(tag)")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".svg") {
            let parser = XMLParser(contentsOf: out.appendingPathComponent(name))!
            #expect(parser.parse(), "\(name) is not well-formed")
        }
        let partners = try String(contentsOf: out.appendingPathComponent("partners.csv"), encoding: .utf8)
        #expect(!partners.contains("\r\n=") && !partners.contains(",="), "a formula cell in partners.csv")
    }

    // MARK: - Edge cases through the whole report

    @Test("Edge-case scenarios run end to end and print no NaN or infinity", arguments: [
        ("one-authority", "min_partners: 1\n", ["--iterations", "1"]),
        ("horizon-1", "horizon_years: 1\n", ["--iterations", "50"]),
        ("single-iteration", "", ["--iterations", "1"]),
        ("base-case", "", ["--base-case"]),
        ("joins-beyond", "", ["--iterations", "20"]),
        ("enormous", "", ["--iterations", "200"]),
        ("degenerate", "optimism_bias: {uniform: [0.2, 0.2]}\n", ["--iterations", "100"]),
        ("zero-saving", "", ["--iterations", "100"]),
        ("latin-hypercube-1", "", ["--iterations", "1", "--sampling", "latin-hypercube"]),
    ])
    func edgeCasesEndToEnd(name: String, extra: String, arguments: [String]) throws {
        let work = try Self.sandbox("edge-\(name)")
        var yaml = Self.twoCouncils + extra
        switch name {
        case "one-authority":
            yaml = yaml.replacingOccurrences(of: "  - {name: Southvale, joins: 0}\n", with: "")
                .replacingOccurrences(of: "  - {authority: Southvale, function: hr.payroll, fte: 7, cost_per_fte: 35000, non_staff: 50000}\n", with: "")
        case "joins-beyond":
            yaml = yaml.replacingOccurrences(of: "joins: 0}", with: "joins: 40}")
        case "enormous":
            yaml = yaml.replacingOccurrences(of: "cost_per_fte: 36000", with: "cost_per_fte: 1e12")
                .replacingOccurrences(of: "amount: 100000", with: "amount: 1e15")
        case "zero-saving":
            yaml = yaml.replacingOccurrences(of: "{uniform: [0.1, 0.3]}", with: "0")
        default: break
        }
        try yaml.write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let outcome = try Self.run(["run", "s.yaml", "--out", "r", "--iterations-csv"] + arguments, in: work)
        #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
        try Self.expectPrintable(work.appendingPathComponent("r"))
        let word = try NSRegularExpression(pattern: #"(?i)(?<![A-Za-z])(nan|-?inf|infinity)(?![A-Za-z])"#)
        #expect(word.firstMatch(in: outcome.stdout, range: NSRange(outcome.stdout.startIndex..., in: outcome.stdout)) == nil,
                "\(outcome.stdout)")
    }

    // MARK: - Resource limits and unprintable results

    @Test("A billion iterations is refused up front with the estimate and the fix, writing nothing")
    func tooManyIterations() throws {
        let work = try Self.sandbox("memory")
        try Self.twoCouncils.write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let start = Date()
        for arguments in [["--iterations", "1000000000"], ["--iterations", "1000000000", "--iterations-csv"],
                          ["--iterations", "9223372036854775807"],
                          ["--iterations", "9223372036854775807", "--shard", "1/4", "--partial", "p"]] {
            let outcome = try Self.run(["run", "s.yaml", "--out", "r"] + arguments, in: work)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains("of memory") && outcome.stderr.contains("--iterations")
                    && outcome.stderr.contains("--shard"), "\(outcome.stderr)")
        }
        #expect(Date().timeIntervalSince(start) < 60, "the refusal must come before any work")
        #expect(Self.tree(work) == ["s.yaml"])
    }

    @Test("Results too large to represent are refused, and no report is written")
    func unprintableResults() throws {
        let work = try Self.sandbox("overflow")
        try (Self.twoCouncils + "delay_cost_per_year: {lognormal: {median: 1e-300, p90: 1e15}}\n")
            .write(to: work.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let outcome = try Self.run(["run", "s.yaml", "--iterations", "2000", "--out", "r"], in: work)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("too large to represent"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("r").path))
    }

    @Test("Special files are refused as scenarios without being read")
    func specialFiles() throws {
        let work = try Self.sandbox("special")
        for path in ["/dev/zero", "/dev/urandom", "."] where FileManager.default.fileExists(atPath: path) {
            let outcome = try Self.run(["validate", path], in: work)
            #expect(outcome.status == 2, "\(path)")
            #expect(outcome.stderr.contains("is not a regular file") || outcome.stderr.contains("is a folder"), "\(outcome.stderr)")
        }
        // A FIFO (named pipe) would block a reader forever.
        let fifo = work.appendingPathComponent("pipe.yaml")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let outcome = try Self.run(["validate", "pipe.yaml"], in: work)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("is not a regular file"))
    }
}
