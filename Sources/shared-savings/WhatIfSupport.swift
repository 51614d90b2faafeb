import ArgumentParser
import Foundation
import Reports
import SavingsModel
import ScenarioFiles

/// What the what-if commands share: loading variants, splitting value lists, the figures
/// each variant gets, and writing an output folder atomically (docs/whatif.md).
enum WhatIf {
    /// Loads and compiles a scenario with overrides; problems exit with status 2.
    static func model(_ path: String, overrides: [ScenarioOverride]) throws -> CompiledModel {
        try ScenarioLoading.compile(try ScenarioLoading.load(path, overrides: overrides))
    }

    /// Splits `a,b,c` at top-level commas: `pert(0.1,0.2,0.3),0.4` is two values.
    static func splitValues(_ text: String) -> [String] {
        var values: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if "([{".contains(ch) { depth += 1 }
            if ")]}".contains(ch) { depth -= 1 }
            if ch == "," && depth == 0 {
                values.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
        }
        values.append(current.trimmingCharacters(in: .whitespaces))
        return values
    }

    /// `a:b:step` → a, a + step, …, up to b (within step/1e9, so 0.1:0.3:0.1 ends at 0.3).
    static func range(_ text: String) throws -> [String] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let step = parts[2],
              a.isFinite, b.isFinite, step.isFinite, step > 0, b >= a else {
            throw ValidationError("--range must be FROM:TO:STEP with FROM ≤ TO and STEP > 0 (got '\(text)'), e.g. 0.1:0.3:0.05.")
        }
        let count = Int(((b - a) / step + 1e-9).rounded(.down)) + 1
        guard count <= 1000 else {
            throw ValidationError("--range '\(text)' makes \(count) points; at most 1000. Use a larger step.")
        }
        return (0..<count).map { NumberText.plain((a + Double($0) * step) * 1e12 .rounded() / 1e12) }
    }

    /// Refuses, before any work, a paired run whose results would not fit in memory: each
    /// variant keeps every scalar output of every iteration (held twice while blocks are
    /// gathered), beside the blocks' uniform matrices.
    static func checkMemory(variants: Int, iterations: Int, what: String) throws {
        let perIteration = Double(ScalarMetric.allCases.count * MemoryLayout<Double>.size) * ResourceEstimate.gatherCopies
        let needed = ResourceEstimate.baseBytes + Double(variants) * Double(iterations) * perIteration
        let available = ResourceEstimate.physicalMemory() * 0.8
        guard needed > available else { return }
        let fitting = Swift.max(0, Int((available - ResourceEstimate.baseBytes) / (Double(variants) * perIteration)))
        printError("\(what): \(variants) variant\(variants == 1 ? "" : "s") × \(iterations) iterations need about \(ResourceEstimate.bytes(needed)) of memory, more than this machine can give (\(ResourceEstimate.bytes(available))). Fix: use at most \(fitting) iterations (--iterations), or fewer points")
        throw ExitCode(2)
    }

    /// The figures reported for each variant.
    struct Figures {
        let npv: ScalarSummary?
        let economic: ScalarSummary?
        let payback: ScalarSummary?

        init(_ scalars: [[Double]]) {
            npv = ScalarSummary(scalars[ScalarMetric.npvFinancial.rawValue])
            economic = ScalarSummary(scalars[ScalarMetric.npvEconomic.rawValue])
            payback = ScalarSummary(scalars[ScalarMetric.paybackYear.rawValue])
        }
    }

    static let figureHeader = ["npv_financial_mean_gbp", "npv_financial_p10_gbp", "npv_financial_p50_gbp",
                               "npv_financial_p90_gbp", "probability_npv_positive", "npv_financial_se_gbp",
                               "npv_economic_mean_gbp", "payback_year_index_p50"]

    static func figureCells(_ f: Figures) -> [CSVTable.Cell] {
        func n(_ x: Double?) -> CSVTable.Cell { x.map { .number($0) } ?? .empty }
        return [n(f.npv?.mean), n(f.npv?.p10), n(f.npv?.p50), n(f.npv?.p90), n(f.npv?.probabilityPositive),
                n(f.npv?.se), n(f.economic?.mean), n(f.payback?.p50)]
    }

    /// Money and shares for Markdown tables, as the business case writes them; "—" for
    /// a figure that does not exist.
    static func money(_ x: Double?) -> String { x.map(NumberText.money) ?? "—" }
    static func percent(_ x: Double?) -> String { x.map { NumberText.percent($0, digits: 1) } ?? "—" }

    /// Markdown table cell text: pipes and line breaks would break the table.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Writes the folder atomically (ReportFolder); `summary.csv` marks it as ours.
    static func write(_ files: [(name: String, contents: String)], to folder: String, force: Bool, keeping: [String]) throws {
        let target = ReportFolder(target: URL(fileURLWithPath: folder))
        if let refusal = target.forbidden(keeping: keeping) {
            printError(refusal.description)
            throw ExitCode(2)
        }
        do {
            try target.write(files, force: force)
        } catch let refusal as ReportFolder.NotAReportFolder {
            printError(refusal.description)
            throw ExitCode(2)
        } catch {
            printError("could not write \(folder): \(ReportFolder.reason(error))")
            throw ExitCode(1)
        }
    }

    /// The method paragraph every what-if output carries.
    static func methodNote(settings: RunSettings) -> String {
        "\(settings.iterations) iterations, seed \(settings.seed), \(settings.sampling.rawValue) sampling, \(settings.generator.name) generator. Every variant is evaluated at the same random numbers (common random numbers, drawn by inverse transform), so differences between variants are the change's, not sampling noise; the figures therefore differ slightly from a `run` of the same scenario, which uses direct samplers."
    }
}
