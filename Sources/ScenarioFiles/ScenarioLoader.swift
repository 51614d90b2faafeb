import Foundation
import Yams

/// Reads a scenario file (YAML, plus the baseline CSV it may name) into a validated
/// `Scenario`, or throws every problem found, each with file, line:column, key path,
/// what is wrong and how to fix it. docs/scenario-reference.md is the user's guide to
/// the format; this is the only place that reads it.
public enum ScenarioLoader {
    /// Reads and validates the scenario at `path`. A baseline `{file: …}` is resolved
    /// relative to the scenario file's folder.
    /// `overrides` (`--set PATH=VALUE`, in order) change values before validation.
    public static func load(file path: String, overrides: [ScenarioOverride] = []) throws(ScenarioErrors) -> Scenario {
        let data: Data
        switch InputFile.read(path) {
        case .success(let contents):
            data = contents
        case .failure(let failure):
            throw ScenarioErrors(problems: [ScenarioProblem(
                location: nil, keyPath: "",
                problem: "the scenario file '\(path)' \(failure.reason)",
                fix: failure == .missing || failure == .folder
                    ? "check the path (it is relative to the folder you run the command in)"
                    : "give the path of a scenario file (.yaml)")])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            let at = InputFile.notUTF8Detail(data)
            throw ScenarioErrors(problems: [ScenarioProblem(
                location: SourceLocation(file: path, line: at.line, column: at.column), keyPath: "",
                problem: "the scenario file is not UTF-8 text" + at.text,
                fix: "save it as UTF-8 (any plain-text editor can)")])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(yaml: yaml, file: path, baseDirectory: directory.isEmpty ? "." : directory, overrides: overrides)
    }

    /// Parses and validates scenario text. `file` is how the file is named in messages and
    /// in `Scenario.file`; `baseDirectory` is where a baseline `{file: …}` is read from.
    public static func load(yaml: String, file: String, baseDirectory: String,
                            overrides: [ScenarioOverride] = []) throws(ScenarioErrors) -> Scenario {
        let parser = ScenarioParser(file: file, baseDirectory: baseDirectory)
        let scenario = parser.parse(yaml: yaml, overrides: overrides)
        guard parser.problems.isEmpty, let scenario else {
            var problems = parser.problems
            if problems.isEmpty {
                // Defensive: a part failed without saying why. Should not happen.
                problems = [ScenarioProblem(location: SourceLocation(file: file, line: 1, column: 1), keyPath: "",
                                            problem: "the scenario could not be read",
                                            fix: "please report this with the file attached")]
            }
            throw ScenarioErrors(problems: ScenarioErrors.sorted(problems, fileOrder: parser.files))
        }
        return scenario
    }
}
