import Foundation
import Testing

/// `shared-savings sensitivity`: the report folder, determinism and option errors.
@Suite(.serialized)
struct SensitivityCommandTests {
    typealias CLI = CommandLineTests
    static let files = ["sensitivity.md", "sobol-indices.csv", "sobol-indices.svg", "value-of-information.csv"]

    /// Same scenario, options and seed → the same bytes in every file, for 1 and 2 threads.
    @Test func filesAreIdenticalForOneAndTwoThreads() throws {
        var contents: [[String]] = []
        for threads in [1, 2] {
            let out = CLI.temporaryFolder("sensitivity-threads-\(threads)")
            let outcome = try CLI.run(["sensitivity", "scenarios/tutorial.yaml", "--samples", "200", "--bootstrap", "40",
                                       "--iterations", "1500", "--seed", "3", "--threads", "\(threads)",
                                       "--out", out.path, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            contents.append(try Self.files.map { try CLI.read(out, $0) })
        }
        #expect(contents[0] == contents[1])
        let csv = contents[0][1]
        #expect(csv.hasPrefix("group,first_order,first_order_low,first_order_high,total,total_low,total_high\r\n"))
        #expect(csv.contains("\r\nadoption timing,") && csv.contains("\r\npartner exits,") && csv.contains("\r\nrisk events,"))
        #expect(contents[0][3].hasPrefix("input,evppi_gbp,evppi_share_of_evpi\r\n"))
        #expect(contents[0][3].contains("EVPI (all inputs),"))
        #expect(contents[0][2].hasPrefix("<?xml") && contents[0][2].contains("class=\"bar-total\""))
        #expect(contents[0][0].contains("## What drives the financial NPV") && contents[0][0].contains("EVPI"))
    }

    /// --evppi-group: a group of one is that input's own EVPPI (the same bins); a group of
    /// two is at least as valuable as either member up to the regression's noise; a path
    /// that is not an uncertain input is refused with the inputs there are.
    @Test func groupsOfInputs() throws {
        let out = CLI.temporaryFolder("sensitivity-groups")
        let probe = try CLI.run(["sensitivity", "scenarios/durham-northumberland.yaml", "--method", "evppi",
                                 "--iterations", "4000", "--out", out.path, "--quiet"])
        #expect(probe.status == 0, "\(probe.stderr)")
        func rows(_ csv: String) -> [String: Double] {
            var r: [String: Double] = [:]
            for line in csv.split(separator: "\r\n").dropFirst() {
                // The input path may hold commas only inside quotes; these do not.
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                r[cells.dropLast(2).joined(separator: ",")] = Double(cells[cells.count - 2])
            }
            return r
        }
        let single = rows(try String(contentsOfFile: out.path + "/value-of-information.csv", encoding: .utf8))
        let ranked = single.filter { !$0.key.hasPrefix("EVPI") }.sorted { $0.value > $1.value }
        let (a, b) = (ranked[0].key, ranked[1].key)
        let grouped = try CLI.run(["sensitivity", "scenarios/durham-northumberland.yaml", "--method", "evppi",
                                   "--iterations", "4000", "--out", out.path, "--quiet",
                                   "--evppi-group", a, "--evppi-group", "\(a),\(b)"])
        #expect(grouped.status == 0, "\(grouped.stderr)")
        let all = rows(try String(contentsOfFile: out.path + "/value-of-information.csv", encoding: .utf8))
        #expect(all["group: \(a)"] == single[a])
        let pair = try #require(all["group: \(a) + \(b)"])
        let evpi = try #require(single["EVPI (all inputs)"])
        #expect(pair >= 0.9 * ranked[0].value && pair <= evpi)
        let bad = try CLI.run(["sensitivity", "scenarios/durham-northumberland.yaml", "--method", "evppi",
                               "--iterations", "100", "--out", out.path, "--quiet", "--evppi-group", "nope"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'nope' is not an uncertain input"))
    }

    /// --method sobol writes no value-of-information table, and the reverse.
    @Test func methodSelectsTheParts() throws {
        let out = CLI.temporaryFolder("sensitivity-evppi")
        let outcome = try CLI.run(["sensitivity", "scenarios/bench/small-2.yaml", "--method", "evppi",
                                   "--iterations", "1000", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["sensitivity.md", "value-of-information.csv"])
        // Run again into the same folder: a sensitivity report may be replaced.
        let again = try CLI.run(["sensitivity", "scenarios/bench/small-2.yaml", "--method", "sobol", "--samples", "64",
                                 "--bootstrap", "0", "--out", out.path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["sensitivity.md", "sobol-indices.csv", "sobol-indices.svg"])
    }

    @Test(arguments: [
        (["--method", "tornado"], "--method"),
        (["--samples", "3"], "--samples must be at least 16"),
        (["--bootstrap", "5"], "--bootstrap must be 0"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--metric", "npv"], "--metric"),
        (["--metric", "bcr"], "not a net benefit"),
        (["--time-limit", "0"], "--time-limit must be a positive"),
    ])
    func badOptionsAreUsageErrors(arguments: [String], message: String) throws {
        let outcome = try CLI.run(["sensitivity", "scenarios/bench/small-2.yaml"] + arguments)
        #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    /// --metric bcr is fine for Sobol alone; --metric takes the name with or without _gbp.
    @Test func metricNamesAsInTheReports() throws {
        let out = CLI.temporaryFolder("sensitivity-metric")
        let outcome = try CLI.run(["sensitivity", "scenarios/bench/small-2.yaml", "--method", "sobol", "--metric", "pv_costs",
                                   "--samples", "32", "--bootstrap", "0", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try CLI.read(out, "sensitivity.md").contains("`pv_costs_gbp`"))
    }

    /// A study that would take longer than --time-limit is refused, with the estimate, and
    /// nothing is written.
    @Test func tooLargeAStudyIsRefusedWithAnEstimate() throws {
        let out = CLI.temporaryFolder("sensitivity-too-large")
        let outcome = try CLI.run(["sensitivity", "scenarios/tutorial.yaml", "--samples", "10000000",
                                   "--time-limit", "0.01", "--out", out.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("too large") && outcome.stderr.contains("model evaluations, about"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// A folder holding something else is left alone.
    @Test func refusesAFolderThatIsNotASensitivityReport() throws {
        let out = CLI.temporaryFolder("sensitivity-not-a-report")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let outcome = try CLI.run(["sensitivity", "scenarios/bench/small-2.yaml", "--method", "evppi",
                                   "--iterations", "100", "--out", out.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("does not look like a SharedSavings sensitivity report"))
        #expect(try CLI.read(out, "notes.txt") == "keep me")
    }
}
