import Foundation
@testable import Reports
import SavingsModel
import ScenarioFiles
import Stochastics
import Testing

/// reports/ holds the business case of every scenario in scenarios/ (not scenarios/bench),
/// written by scripts/regenerate-reports.sh. These tests regenerate each one in-process
/// with the same settings (the scenario's own seed, iterations, sampling and generator, and
/// the path `scenarios/<file>`) and fail if any committed file differs, so the reports in the
/// repository always match the code. To update them: `bash scripts/regenerate-reports.sh`.
@Suite struct CommittedReportsTests {
    static let scenariosFolder = Fixture.repository.appendingPathComponent("scenarios")
    static let reportsFolder = Fixture.repository.appendingPathComponent("reports")

    /// Every scenario file directly in scenarios/, by name.
    static var scenarioFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scenariosFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The folder `shared-savings run` writes by default: reports/<slug of the file name>.
    static func slug(_ file: String) -> String {
        var slug = ""
        for ch in (file as NSString).deletingPathExtension.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) && ch.isASCII {
                slug.unicodeScalars.append(ch)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "scenario" : slug
    }

    /// The report `shared-savings run scenarios/<file>` writes, made in-process.
    static func regenerate(_ file: String) throws -> [(name: String, contents: String)] {
        let relative = "scenarios/\(file)"
        let url = Fixture.repository.appendingPathComponent(relative)
        let scenario = try ScenarioLoader.load(file: url.path)
        let model = try CompiledModel(scenario)
        let generator = try scenario.generator.map { try GeneratorKind(named: $0) } ?? .mt19937
        let settings = RunSettings(iterations: scenario.iterations ?? 10_000, seed: scenario.seed ?? 1,
                                   sampling: scenario.sampling.flatMap(SamplingMethod.init(rawValue:)) ?? .monteCarlo,
                                   generator: generator, threads: BlockRunner.availableCores)
        let columns = Simulation.run(model, settings: settings)
        let record = RunRecord(
            scenario: scenario, model: model, settings: settings,
            scenarioSHA256: SHA256.hex(Array(try Data(contentsOf: url))), scenarioPath: relative,
            summary: Summary(model: model, columns: columns), baseCase: Summary(model: model, columns: Simulation.baseCase(model)),
            published: PublishedFigures.compare(scenario, columns: columns))
        return try BusinessCase.files(record)
    }

    @Test func everyScenarioHasACommittedReportAndNoReportIsOrphaned() throws {
        let expected = Set(Self.scenarioFiles.map(Self.slug))
        #expect(expected.count >= 9, "the published cases, the tutorial and the example")
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.reportsFolder.path)
            .filter { !$0.hasPrefix(".") })
        #expect(expected.subtracting(present).isEmpty, "no committed report for \(expected.subtracting(present).sorted()); run scripts/regenerate-reports.sh")
        #expect(present.subtracting(expected).isEmpty, "reports without a scenario: \(present.subtracting(expected).sorted())")
    }

    /// Iteration counts stay modest so this suite stays fast (docs/cases.md).
    @Test(arguments: scenarioFiles)
    func scenarioStatesModestSettings(_ file: String) throws {
        let scenario = try ScenarioLoader.load(file: Self.scenariosFolder.appendingPathComponent(file).path)
        let iterations = try #require(scenario.iterations, "\(file) must state its iterations")
        #expect(scenario.seed != nil, "\(file) must state its seed")
        #expect(iterations >= 1_000 && iterations <= 20_000, "\(file): \(iterations) iterations")
    }

    @Test(arguments: scenarioFiles)
    func committedReportMatchesTheCode(_ file: String) throws {
        let folder = Self.reportsFolder.appendingPathComponent(Self.slug(file))
        let files = try Self.regenerate(file)
        let committed = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        #expect(committed == Set(files.map(\.name)), "reports/\(Self.slug(file)) holds \(committed.sorted())")
        for (name, contents) in files {
            let path = folder.appendingPathComponent(name)
            guard let onDisk = try? String(contentsOf: path, encoding: .utf8) else {
                Issue.record("reports/\(Self.slug(file))/\(name) is missing; run scripts/regenerate-reports.sh")
                continue
            }
            if onDisk != contents {
                let a = onDisk.components(separatedBy: "\n"), b = contents.components(separatedBy: "\n")
                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                Issue.record("""
                    reports/\(Self.slug(file))/\(name) differs from what the code writes now (first at line \(line + 1)); \
                    run scripts/regenerate-reports.sh and review the change.
                    committed: \(line < a.count ? a[line] : "(end)")
                    now:       \(line < b.count ? b[line] : "(end)")
                    """)
            }
        }
    }

    /// Every report of a scenario with published figures shows them, and names its sources.
    @Test(arguments: scenarioFiles)
    func reportsShowPublishedEstimatesAndSources(_ file: String) throws {
        let scenario = try ScenarioLoader.load(file: Self.scenariosFolder.appendingPathComponent(file).path)
        let markdown = try String(contentsOf: Self.reportsFolder.appendingPathComponent(Self.slug(file))
            .appendingPathComponent("business-case.md"), encoding: .utf8)
        #expect(markdown.contains("## Published estimates") == !scenario.published.isEmpty)
        #expect(markdown.contains("## Assumptions register"))
        // The published cases: every input written carries a source or is marked as an
        // assumption with a reason. (The example and the tutorial leave some unsourced on
        // purpose, to show how the report flags them.)
        guard file != "example.yaml" && file != "tutorial.yaml" else { return }
        // (A fixed join year such as `joins: 0` is the case's timetable, sourced in its comments.)
        for input in scenario.allInputs where input.location != nil
            && !(input.path.hasSuffix(".joins") && !input.distribution.isRandom) {
            #expect(input.source?.isEmpty == false, "\(file): \(input.path) has no source: and is not marked 'assumption: …'")
        }
        for figure in scenario.published {
            #expect(figure.source?.isEmpty == false, "\(file): a published figure without a source")
        }
    }
}
