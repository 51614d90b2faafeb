import Foundation
import Testing

/// End-to-end tests: run the built `shared-savings` executable as a user would and
/// check what it prints and writes.
@Suite(.serialized)
struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable sits beside the test bundle in the build products folder.
    static var executable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("shared-savings")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("shared-savings")
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("shared-savings-tests-\(getpid())").appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        return url
    }

    static func read(_ folder: URL, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    @Test func helpListsTheCommands() throws {
        let outcome = try Self.run(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("run "))
        #expect(outcome.stdout.contains("validate "))
    }

    @Test func versionNamesToolAndModel() throws {
        let outcome = try Self.run(["--version"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("shared-savings 0.1.0 (model v1)"))
    }

    /// Same scenario, seed and iterations → the same bytes, whatever the thread count.
    @Test func outputsAreIdenticalForAnyThreadCount() throws {
        var files: [[String]] = []
        for threads in [1, 2, 8] {
            let out = Self.temporaryFolder("threads-\(threads)")
            let outcome = try Self.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "3500",
                                        "--seed", "7", "--threads", "\(threads)", "--out", out.path, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            files.append([try Self.read(out, "summary.csv"), try Self.read(out, "yearly.csv")])
        }
        #expect(files[0] == files[1])
        #expect(files[0] == files[2])
        // And a different seed gives different numbers (the comparison above can fail).
        let other = Self.temporaryFolder("seed-8")
        _ = try Self.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "3500", "--seed", "8",
                          "--out", other.path, "--quiet"])
        #expect(try Self.read(other, "summary.csv") != files[0][0])
    }

    @Test func summaryCSVHasTheDocumentedShape() throws {
        let out = Self.temporaryFolder("shape")
        let outcome = try Self.run(["run", "scenarios/example.yaml", "--iterations", "1000", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Financial NPV"))
        let lines = try Self.read(out, "summary.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines[0] == "metric,mean,sd,se,p5,p10,p25,p50,p75,p90,p95")
        let metrics = lines.dropFirst().map { $0.components(separatedBy: ",")[0] }
        for required in ["npv_financial_gbp", "npv_economic_gbp", "bcr", "final_year_cashable_saving_gbp",
                         "fte_released_final_year", "one_off_costs_gbp"] {
            #expect(metrics.contains(required), "summary.csv lacks \(required)")
        }
        for line in lines.dropFirst() {
            let cells = line.components(separatedBy: ",")
            #expect(cells.count == 11)
            let numbers = cells.dropFirst().compactMap(Double.init)
            #expect(numbers.count == 10, "non-numeric cell in \(line)")
            // p5 ≤ p10 ≤ … ≤ p95
            let p = Array(numbers.dropFirst(3))
            #expect(zip(p, p.dropFirst()).allSatisfy { $0 <= $1 }, "percentiles out of order in \(line)")
        }
    }

    @Test func baseCaseHasNoSpreadAndPrintsTheYearTable() throws {
        let out = Self.temporaryFolder("base")
        let outcome = try Self.run(["run", "scenarios/example.yaml", "--base-case", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("2026/27"))
        #expect(outcome.stdout.contains("2035/36"))
        let lines = try Self.read(out, "summary.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        for line in lines.dropFirst() {
            let cells = line.components(separatedBy: ",")
            #expect(cells[2] == "0" && cells[3] == "0", "SD and SE must be 0 in the base case: \(line)")
            #expect(Set(cells[4...]).count == 1 && cells[4] == cells[1], "percentiles must equal the value: \(line)")
        }
        #expect(try Self.read(out, "yearly.csv").contains("2035/36"))
    }

    @Test func aMissingScenarioIsAClearError() throws {
        let outcome = try Self.run(["run", "scenarios/no-such-file.yaml"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("scenarios/no-such-file.yaml"))
    }

    @Test func validateAcceptsTheBundledScenarios() throws {
        for file in ["scenarios/example.yaml", "scenarios/bench/small-2.yaml", "scenarios/bench/medium-20.yaml",
                     "scenarios/bench/large-150.yaml"] {
            let outcome = try Self.run(["validate", file])
            #expect(outcome.status == 0, "\(file): \(outcome.stderr)")
            #expect(outcome.stdout.contains("OK"))
        }
    }

    @Test func validateReportsEveryProblemWithItsLocation() throws {
        let folder = Self.temporaryFolder("broken")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("broken.yaml")
        try """
        name: Broken
        horizon_yaers: 10
        authorities:
          - {name: A, joins: 0}
          - {name: B, joins: 0}
        baseline:
          - {authority: A, function: hr.payroll, fte: -3, cost_per_fte: 30000, non_staff: 0}
          - {authority: B, function: hr.payroll, fte: 3, cost_per_fte: 30000, non_staff: 0}
        functions:
          hr.payroll:
            saving: {rate: {pert: {min: 0.3, mode: 0.2, max: 0.4}}}
        """.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try Self.run(["validate", file.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("broken.yaml:2:"), "unknown key located: \(outcome.stderr)")
        #expect(outcome.stderr.contains("horizon_years"), "did-you-mean: \(outcome.stderr)")
        #expect(outcome.stderr.contains("broken.yaml:7:"), "negative FTE located: \(outcome.stderr)")
        #expect(outcome.stderr.contains("broken.yaml:11:"), "pert ordering located: \(outcome.stderr)")
    }

    @Test func zeroIterationsIsRefused() throws {
        let outcome = try Self.run(["run", "scenarios/example.yaml", "--iterations", "0"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--iterations must be at least 1"))
    }
}

@Suite(.serialized)
struct ReportFolderSafetyTests {
    typealias CLI = CommandLineTests

    @Test func aFullRunWritesTheWholeReportFolder() throws {
        let out = CLI.temporaryFolder("full")
        let outcome = try CLI.run(["run", "scenarios/example.yaml", "--iterations", "1500", "--out", out.path,
                                   "--iterations-csv", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty && outcome.stderr.isEmpty, "--quiet prints nothing")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        for name in ["business-case.md", "business-case.html", "summary.csv", "yearly.csv", "partners.csv",
                     "payback.csv", "sensitivity.csv", "inputs.csv", "summary.json", "cash-flow.svg",
                     "npv-distribution.svg", "tornado.svg", "members.svg", "iterations.csv"] {
            #expect(names.contains(name), "missing \(name)")
        }
        let iterations = try CLI.read(out, "iterations.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(iterations.count == 1501)
        #expect(iterations[0].hasPrefix("iteration,npv_financial_gbp,"))
        // The exact command in the report reproduces it.
        #expect(try CLI.read(out, "business-case.md").contains(
            "shared-savings run scenarios/example.yaml --iterations 1500 --seed 42 --sampling monte-carlo --generator mt19937"))
    }

    @Test func aFolderThatIsNotAReportIsNeverReplacedWithoutForce() throws {
        let out = CLI.temporaryFolder("precious")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "keep me".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "200", "--out", out.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("does not look like a SharedSavings report"))
        #expect(try CLI.read(out, "notes.txt") == "keep me")
        let forced = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "200", "--out", out.path,
                                  "--force", "--quiet"])
        #expect(forced.status == 0)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.csv").path))
    }

    /// SIGKILL while the new report is being written leaves the previous report intact.
    @Test func aRunKilledMidWriteLeavesThePreviousReport() throws {
        let out = CLI.temporaryFolder("killed")
        let first = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "300", "--seed", "1",
                                 "--out", out.path, "--quiet"])
        #expect(first.status == 0)
        let before = try CLI.read(out, "summary.csv")

        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["run", "scenarios/bench/small-2.yaml", "--iterations", "100000", "--seed", "2",
                             "--out", out.path, "--iterations-csv", "--quiet"]
        process.currentDirectoryURL = CLI.repository
        try process.run()
        let staging = out.deletingLastPathComponent().appendingPathComponent(".killed.partial-\(process.processIdentifier)")
        var sawStaging = false
        for _ in 0..<60_000 where process.isRunning {
            if FileManager.default.fileExists(atPath: staging.appendingPathComponent("iterations.csv").path) {
                sawStaging = true
                break
            }
            usleep(5000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(sawStaging, "the run finished before it could be killed mid-write")
        #expect(try CLI.read(out, "summary.csv") == before, "the previous report was damaged")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("business-case.md").path))
        // The next run tidies the abandoned staging folder away.
        _ = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "300", "--out", out.path, "--quiet"])
        #expect(!FileManager.default.fileExists(atPath: staging.path))
    }
}
