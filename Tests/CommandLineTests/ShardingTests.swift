import Foundation
import Testing

/// Sharded runs merge to exactly the bytes of a single-process run.
@Suite(.serialized)
struct ShardingTests {
    typealias CLI = CommandLineTests

    static func files(_ folder: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            out[name] = try CLI.read(folder, name)
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 7])
    func shardsMergeToTheSingleRunsBytes(shards: Int) throws {
        let base = CLI.temporaryFolder("shards-\(shards)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let common = ["scenarios/bench/small-2.yaml", "--iterations", "7300", "--seed", "21", "--quiet"]
        let single = base.appendingPathComponent("single")
        #expect(try CLI.run(["run"] + common + ["--out", single.path, "--threads", "1"]).status == 0)
        var partials: [String] = []
        for k in 1...shards {
            let partial = base.appendingPathComponent("part-\(k).bin").path
            let outcome = try CLI.run(["run"] + common + ["--shard", "\(k)/\(shards)", "--partial", partial, "--threads", "2"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            partials.append(partial)
        }
        let merged = base.appendingPathComponent("merged")
        let outcome = try CLI.run(["merge"] + partials.reversed() + ["--out", merged.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let a = try Self.files(single), b = try Self.files(merged)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, text) in a { #expect(b[name] == text, "\(name) differs after merging \(shards) shards") }
    }

    @Test func mismatchedOrIncompleteShardsAreRefused() throws {
        let base = CLI.temporaryFolder("shards-bad")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        func shard(_ k: Int, of n: Int, seed: Int) throws -> String {
            let path = base.appendingPathComponent("s\(seed)-\(k)of\(n).bin").path
            let outcome = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "3000", "--seed", "\(seed)",
                                       "--shard", "\(k)/\(n)", "--partial", path, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return path
        }
        let a1 = try shard(1, of: 2, seed: 1), a2 = try shard(2, of: 2, seed: 1), b2 = try shard(2, of: 2, seed: 2)
        let out = base.appendingPathComponent("out").path

        let differentSeed = try CLI.run(["merge", a1, b2, "--out", out])
        #expect(differentSeed.status == 2)
        #expect(differentSeed.stderr.contains("its seed is 2 but"))

        let missing = try CLI.run(["merge", a1, "--out", out])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing"))

        let repeated = try CLI.run(["merge", a1, a2, a2, "--out", out])
        #expect(repeated.status == 2)
        #expect(repeated.stderr.contains("repeats blocks"))

        let garbage = base.appendingPathComponent("garbage.bin")
        try "not a partial".write(to: garbage, atomically: true, encoding: .utf8)
        let notPartial = try CLI.run(["merge", garbage.path, "--out", out])
        #expect(notPartial.status == 2)
        #expect(notPartial.stderr.contains("not a SharedSavings partial result"))

        // A file of the earlier format (version 1: costs and join years as columns) is
        // refused by its version, not as garbage.
        let old = base.appendingPathComponent("format1.bin")
        try "SHAREDSAVINGS-PARTIAL 1\n{\"format\":1}\n".write(to: old, atomically: true, encoding: .utf8)
        let oldFormat = try CLI.run(["merge", old.path, "--out", out])
        #expect(oldFormat.status == 2)
        #expect(oldFormat.stderr.contains("partial format 1, but this tool reads format 2"), "\(oldFormat.stderr)")

        // A truncated file is named as such.
        let data = try Data(contentsOf: URL(fileURLWithPath: a2))
        let truncated = base.appendingPathComponent("truncated.bin")
        try data.prefix(data.count - 100).write(to: truncated)
        let cut = try CLI.run(["merge", a1, truncated.path, "--out", out])
        #expect(cut.status == 2)
        #expect(cut.stderr.contains("truncated or damaged"))

        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written when a merge is refused")
    }

    @Test func shardOptionsAreChecked() throws {
        let noPartial = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--shard", "1/2"])
        #expect(noPartial.status != 0)
        #expect(noPartial.stderr.contains("--shard needs --partial"))
        let badSpec = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--shard", "3/2", "--partial", "/tmp/x.bin"])
        #expect(badSpec.status != 0)
        let tooMany = try CLI.run(["run", "scenarios/bench/small-2.yaml", "--iterations", "1500", "--shard", "1/5",
                                   "--partial", CLI.temporaryFolder("toomany.bin").path])
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.contains("at most 2 shards"))
    }
}
