import Foundation
import Testing

/// `run --precision` and `--sampling sobol` end to end: the report says what precision was
/// reached, the command it prints reproduces it byte for byte, and threads change nothing.
@Suite(.serialized)
struct PrecisionCommandTests {
    typealias CLI = CommandLineTests

    static func files(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            out[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return out
    }

    /// The reproducing command from summary.json, as arguments (it has no quoted words here).
    static func command(_ folder: URL, key: String = "command") throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as! [String: Any]
        let run = json["run"] as! [String: Any]
        let text = key == "command" ? run["command"] as! String : (run["precision"] as! [String: Any])[key] as! String
        return Array(text.split(separator: " ").map(String.init).dropFirst())
    }

    @Test func precisionRunIsReproducibleAndEqualsThePlainRun() throws {
        let a = CLI.temporaryFolder("precision-a"), b = CLI.temporaryFolder("precision-b")
        let c = CLI.temporaryFolder("precision-c"), plain = CLI.temporaryFolder("precision-plain")
        let args = ["run", "scenarios/tutorial.yaml", "--precision", "2%", "--iterations", "50000", "-q"]
        #expect(try CLI.run(args + ["--threads", "1", "--out", a.path]).status == 0)
        #expect(try CLI.run(args + ["--threads", "2", "--out", b.path]).status == 0)
        #expect(try Self.files(a) == Self.files(b), "1 and 2 threads give different reports")
        let md = try CLI.read(a, "business-case.md")
        #expect(md.contains("| Precision | Precision target met: the relative standard error of the mean financial NPV is"))
        #expect(!md.contains("NOT reached") && !md.contains("**Warning.**"))
        // The printed command reproduces the report byte for byte.
        let command = try Self.command(a)
        #expect(command.contains("--precision") && command.contains("50000"))
        #expect(try CLI.run(command + ["-q", "--out", c.path]).status == 0)
        #expect(try Self.files(a) == Self.files(c), "the report's own command does not reproduce it")
        // The plain run of the iterations kept gives the same figures.
        let plainCommand = try Self.command(a, key: "plain_command")
        #expect(try CLI.run(plainCommand + ["-q", "--out", plain.path]).status == 0)
        for name in ["summary.csv", "yearly.csv", "partners.csv", "payback.csv", "sensitivity.csv", "inputs.csv"] {
            #expect(try CLI.read(a, name) == CLI.read(plain, name), "\(name) differs from the plain run")
        }
    }

    @Test func aTargetNotReachedIsSaidProminently() throws {
        let out = CLI.temporaryFolder("precision-not-reached")
        let outcome = try CLI.run(["run", "scenarios/tutorial.yaml", "--precision", "0.01%", "--precision-of", "p10",
                                   "--iterations", "3000", "-q", "--out", out.path])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("warning: Precision target NOT reached"))
        let md = try CLI.read(out, "business-case.md")
        #expect(md.contains("> **Warning.** Precision target NOT reached:"))
        #expect(md.contains("--iterations 3000") && md.contains("--precision 0.01% --precision-of p10"))
        #expect(try CLI.read(out, "summary.json").contains("\"met\": false"))
    }

    @Test func sobolRunsAndIsThreadIndependent() throws {
        let a = CLI.temporaryFolder("sobol-a"), b = CLI.temporaryFolder("sobol-b")
        let args = ["run", "scenarios/tutorial.yaml", "--sampling", "sobol", "--iterations", "3000", "-q"]
        #expect(try CLI.run(args + ["--threads", "1", "--out", a.path]).status == 0)
        #expect(try CLI.run(args + ["--threads", "2", "--out", b.path]).status == 0)
        #expect(try Self.files(a) == Self.files(b))
        let md = try CLI.read(a, "business-case.md")
        #expect(md.contains("| Sampling | sobol,") && md.contains("independent block means"))
    }
}
