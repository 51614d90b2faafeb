// libFuzzer target for the scenario loader and the baseline-CSV loader.
//
// An input is scenario YAML, optionally followed by a line `#--- baseline.csv` and the
// text of a baseline CSV (a YAML comment, so the same file is also a valid scenario on
// its own). The CSV is written beside the scenario, so `baseline: {file: baseline.csv}`
// reads it through the real file path.
//
// What must hold for every input (a violation is a crash, which libFuzzer records):
// - loading never traps or hangs: it returns a Scenario or throws problems;
// - a refusal has at least one problem, each with text, a fix and a sane location;
// - an accepted scenario compiles or is refused with a ModelError; a compiled one runs
//   (base case and a few simulated iterations), is summarised, and its outputs are
//   either finite or reported by `OutputCheck` — never a trap.
import Foundation
import SavingsModel
import ScenarioFiles
import Stochastics

private let folder: String = {
    let path = NSTemporaryDirectory() + "shared-savings-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()
private let csvPath = folder + "/baseline.csv"
private let separator = Array("\n#--- baseline.csv\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = count > 0 && start != nil ? Array(UnsafeBufferPointer(start: start, count: count)) : []
    // Split at the separator, if present.
    var yamlBytes = bytes[...]
    var csvBytes: ArraySlice<UInt8>?
    if let at = firstIndex(of: separator, in: bytes) {
        yamlBytes = bytes[..<at]
        csvBytes = bytes[(at + separator.count)...]
    }
    if let csvBytes {
        _ = FileManager.default.createFile(atPath: csvPath, contents: Data(csvBytes))
    } else {
        unlink(csvPath)
    }
    // The loader takes text; bytes that are not UTF-8 are refused before it (tested
    // separately), so decode leniently here to reach the loader with every input.
    let yaml = String(decoding: yamlBytes, as: UTF8.self)
    let file = folder + "/fuzz.yaml"
    do {
        let scenario = try ScenarioLoader.load(yaml: yaml, file: file, baseDirectory: folder)
        exercise(scenario)
    } catch {
        check(error)
    }
    return 0
}

// SwiftPM links an executable target's entry point as `<target>_main`; hand control to
// libFuzzer's driver from there (with -sanitize=fuzzer, libFuzzer's own `main` is not used).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FuzzScenario_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzzOneInput($0, $1) }
}

private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    outer: for i in 0...(haystack.count - needle.count) {
        for j in 0..<needle.count where haystack[i + j] != needle[j] { continue outer }
        return i
    }
    return nil
}

private func check(_ errors: ScenarioErrors) {
    guard !errors.problems.isEmpty else { fatalError("refused without a problem") }
    for p in errors.problems {
        guard !p.problem.isEmpty, !p.fix.isEmpty else { fatalError("a problem without text or fix: \(p)") }
        if let at = p.location, at.line < 0 || at.column < 0 { fatalError("negative location: \(p)") }
        _ = p.description
    }
    _ = errors.description
}

private func exercise(_ scenario: Scenario) {
    let model: CompiledModel
    do {
        model = try CompiledModel(scenario)
    } catch {
        guard !error.problem.isEmpty else { fatalError("ModelError without text") }
        return
    }
    // Keep each input quick: the evaluation is O(years × (authorities + rows)).
    let size = model.years * (model.authorityCount + model.rowCount + model.functionCount + 1)
    guard size <= 200_000 else { return }
    _ = ResourceEstimate(model: model, iterations: 1_000_000, iterationsCSV: true)
    let base = Simulation.baseCase(model)
    _ = OutputCheck.problems(Summary(model: model, columns: base))
    let settings = RunSettings(iterations: 7, seed: 1, sampling: .monteCarlo, threads: 1, blockSize: 4)
    let columns = Simulation.run(model, settings: settings)
    guard columns.iterations == 7 else { fatalError("ran \(columns.iterations) iterations, asked for 7") }
    _ = OutputCheck.problems(Summary(model: model, columns: columns))
    let lhs = RunSettings(iterations: 3, seed: 2, sampling: .latinHypercube, threads: 1, blockSize: 2)
    _ = OutputCheck.problems(Summary(model: model, columns: Simulation.run(model, settings: lhs)))
}
