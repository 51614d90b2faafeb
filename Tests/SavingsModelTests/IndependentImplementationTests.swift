import Foundation
import Testing
@testable import SavingsModel
import ScenarioFiles

/// Cross-checks against bench/numpy_model.py, an independent implementation of MODEL.md
/// written from the contract alone (it shares no code with the Swift model). The base
/// case must agree to rounding; Monte Carlo means, drawn from different random streams,
/// must agree within five combined standard errors. Skipped where python3 with NumPy,
/// SciPy and PyYAML is not installed.
@Suite(.enabled(if: NumPyModel.isAvailable, "python3 with numpy, scipy and yaml is needed"), .serialized)
struct IndependentImplementationTests {
    static let scenarios = ["scenarios/example.yaml", "scenarios/bench/small-2.yaml",
                            "scenarios/bench/medium-20.yaml", "scenarios/bench/large-150.yaml"]

    @Test(arguments: scenarios)
    func baseCaseAgreesWithTheNumPyModel(_ path: String) throws {
        let reference = try NumPyModel.run(path, arguments: ["--base-case"])
        let model = try CompiledModel(try ScenarioLoader.load(file: NumPyModel.repository.appendingPathComponent(path).path))
        let columns = Simulation.baseCase(model)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

        let scalars = try #require(reference["scalars"] as? [String: Any])
        var compared = 0
        for metric in ScalarMetric.allCases {
            guard let entry = scalars[metric.name] as? [String: Any], let expected = entry["mean"] as? Double else { continue }
            let actual = columns.scalar(metric)[0]
            #expect(close(actual, expected), "\(path) \(metric.name): Swift \(actual), NumPy \(expected)")
            compared += 1
        }
        #expect(compared >= 15, "too few metrics compared (\(compared))")

        let series = try #require(reference["series_mean"] as? [String: [Double]])
        for s in YearlySeries.allCases {
            let key = String(s.name.replacingOccurrences(of: "_gbp", with: "").replacingOccurrences(of: "_ratio", with: ""))
            guard let expected = series[key] else { continue }
            for t in 0..<model.years {
                let actual = columns.series(s, year: t, years: model.years)[0]
                #expect(close(actual, expected[t]), "\(path) \(s.name) year \(t): Swift \(actual), NumPy \(expected[t])")
            }
        }
        let authorities = try #require(reference["per_authority"] as? [String: [String: Any]])
        for (i, authority) in model.scenario.authorities.enumerated() {
            let expected = try #require(authorities[authority.name]?["mean_npv_gbp"] as? Double)
            #expect(close(columns.authorityNPV[i][0], expected), "\(path) \(authority.name) NPV")
        }
    }

    @Test(arguments: Array(scenarios.prefix(3)))
    func monteCarloMeansAgreeWithTheNumPyModel(_ path: String) throws {
        let iterations = 20_000
        let reference = try NumPyModel.run(path, arguments: ["--iterations", "\(iterations)", "--seed", "99"])
        let model = try CompiledModel(try ScenarioLoader.load(file: NumPyModel.repository.appendingPathComponent(path).path))
        let summary = Summary(model: model, columns: Simulation.run(model, settings: RunSettings(iterations: iterations, seed: 5)))
        let scalars = try #require(reference["scalars"] as? [String: Any])
        var compared = 0
        for metric in ScalarMetric.allCases {
            guard let entry = scalars[metric.name] as? [String: Any], let mean = entry["mean"] as? Double,
                  let se = entry["se"] as? Double, let mine = summary.scalars[metric] else { continue }
            let tolerance = max(5 * (se * se + mine.se * mine.se).squareRoot(), 1e-9 * abs(mean))
            #expect(abs(mine.mean - mean) <= tolerance,
                    "\(path) \(metric.name): Swift \(mine.mean) ± \(mine.se), NumPy \(mean) ± \(se)")
            compared += 1
        }
        #expect(compared >= 15)
    }
}

enum NumPyModel {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let isAvailable: Bool = {
        (try? shell(["python3", "-c", "import numpy, scipy, yaml"])) != nil
    }()

    static func run(_ scenario: String, arguments: [String]) throws -> [String: Any] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("numpy-\(getpid())-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        try shell(["python3", "bench/numpy_model.py", scenario, "--json", out.path] + arguments)
        let data = try Data(contentsOf: out)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    struct Failed: Error { let status: Int32 }

    @discardableResult
    static func shell(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = repository
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return 0
    }
}
