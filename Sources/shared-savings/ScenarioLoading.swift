import ArgumentParser
import ScenarioFiles
import SavingsModel
import Reports

/// Loads and compiles a scenario, turning every problem into a clear message and exit
/// status 2 (bad input), never a crash.
enum ScenarioLoading {
    static func load(_ path: String, overrides: [ScenarioOverride] = []) throws -> Scenario {
        do {
            return try ScenarioLoader.load(file: path, overrides: overrides)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }

    /// SHA-256 of the scenario file's bytes, for the report's reproducibility section.
    static func sha256(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("\(path): the file could not be read")
            throw ExitCode(2)
        }
        return SHA256.hex(Array(data))
    }

    static func compile(_ scenario: Scenario) throws -> CompiledModel {
        do {
            return try CompiledModel(scenario)
        } catch {
            printError("\(scenario.file): \(error.description)")
            throw ExitCode(2)
        }
    }
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleOutput.writeStderr(string)
    }
}

import Foundation
enum FileHandleOutput {
    static func writeStderr(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
