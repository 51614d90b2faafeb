import Foundation
import Yams

/// Walks a composed YAML tree and builds a `Scenario`, collecting every problem with its
/// file, line:column and key path instead of stopping at the first. Each `read…` method
/// returns nil (after recording why) when its part cannot be built, so the caller carries
/// on with the rest of the file.
///
/// We walk `Yams.Node`s rather than decode with `Codable` because decoding loses the
/// marks (line:column) and stops at the first error.
final class ScenarioParser {
    /// The scenario file as it should be shown in messages (as given by the caller).
    let file: String
    /// Where `baseline: {file: …}` paths are resolved from.
    let baseDirectory: String
    var problems: [ScenarioProblem] = []
    /// Files in the order they were first read, for sorting problems.
    private(set) var files: [String]
    /// Every input read successfully, by path, even if the part holding it failed later;
    /// and every path an input was attempted at. Correlations are checked against these so
    /// that a broken function does not also make its correlations "unknown".
    var parsedInputs: [String: Input] = [:]
    var attemptedInputPaths: Set<String> = []
    /// Names of authorities and functions as written, including any that failed to read,
    /// so references to them are not also reported as unknown.
    var declaredAuthorities: [String] = []
    var declaredFunctions: [String] = []
    /// The paths `--set` overrides changed (docs/whatif.md).
    var overriddenPaths: [String] = []

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.files = [file]
    }

    // MARK: - Recording problems

    func report(_ location: SourceLocation?, _ keyPath: String, _ problem: String, fix: String) {
        problems.append(ScenarioProblem(location: location, keyPath: keyPath, problem: problem, fix: fix))
    }

    func report(_ node: Node?, _ keyPath: String, _ problem: String, fix: String) {
        report(node.flatMap(location), keyPath, problem, fix: fix)
    }

    func noteFile(_ path: String) {
        if !files.contains(path) { files.append(path) }
    }

    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    // MARK: - Node shapes

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// An empty value (`key:`), `~` or `null`, unquoted.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node else { return false }
        if s.style == .singleQuoted || s.style == .doubleQuoted { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let s):
            isNull(node) ? "nothing" : "'\(s.string)'"
        }
    }

    /// The keys of a mapping, checked against the allowed and required ones.
    struct Fields {
        let node: Node
        let path: String
        private(set) var order: [String] = []
        private var values: [String: Node] = [:]
        private var keyNodes: [String: Node] = [:]

        init(node: Node, path: String) {
            self.node = node
            self.path = path
        }

        mutating func add(_ key: String, keyNode: Node, value: Node) {
            order.append(key)
            values[key] = value
            keyNodes[key] = keyNode
        }

        subscript(key: String) -> Node? { values[key] }
        func keyNode(_ key: String) -> Node? { keyNodes[key] }
        func has(_ key: String) -> Bool { values[key] != nil }
        func path(_ key: String) -> String { ScenarioParser.join(path, key) }
    }

    /// Reads a mapping: reports a non-mapping, unknown keys (with "did you mean") and
    /// missing required keys. Returns the known keys even when some were wrong, so the
    /// rest of the mapping is still checked.
    ///
    /// Inside an input (`inputPath` given) every problem carries the input's canonical
    /// path and messages start with `prefix` (the family, e.g. `pert: `).
    func fields(_ node: Node, path: String, allowed: [String], required: [String] = [],
                what: String? = nil, inputPath: String? = nil, prefix: String = "") -> Fields? {
        func at(_ key: String) -> String { inputPath ?? Self.join(path, key) }
        guard case .mapping(let mapping) = node else {
            let subject = what ?? (path.isEmpty ? "the scenario" : "this")
            report(node, inputPath ?? path, prefix + "expected a mapping (key: value pairs), found \(Self.kind(node))",
                   fix: "write \(subject) as keys and values: \(allowed.prefix(4).map { "\($0): …" }.joined(separator: ", "))")
            return nil
        }
        var result = Fields(node: node, path: path)
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                report(keyNode, inputPath ?? path, prefix + "a key must be a plain name, found \(Self.kind(keyNode))",
                       fix: "use one of: \(allowed.joined(separator: ", "))")
                continue
            }
            let key = keyScalar.string
            guard allowed.contains(key) else {
                if key == "<<" {
                    report(keyNode, at(key), prefix + "YAML merge keys (<<) are not supported",
                           fix: "write the keys out in full")
                } else {
                    report(keyNode, at(key),
                           prefix + "unknown key '\(key)'" + NearMatches.didYouMean(key, among: allowed),
                           fix: "use one of: \(allowed.joined(separator: ", "))")
                }
                continue
            }
            result.add(key, keyNode: keyNode, value: value)
        }
        for key in required where !result.has(key) {
            report(node, at(key), prefix + "'\(key)' is missing", fix: "add \(key): …")
        }
        return result
    }

    /// A list's items; reports anything else.
    func list(_ node: Node, path: String, example: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list, found \(Self.kind(node))",
                   fix: "write it as a list, e.g. \(example)")
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Scalars

    /// Any scalar as text (names, descriptions, citations).
    func string(_ node: Node, path: String) -> String? {
        guard case .scalar(let s) = node else {
            report(node, path, "expected text, found \(Self.kind(node))", fix: "write a single value")
            return nil
        }
        if Self.isNull(node) {
            report(node, path, "no value given", fix: "write a value after the colon")
            return nil
        }
        return s.string
    }

    /// A finite number: a YAML number or money shorthand (`"£1.5m"`, see `NumberSyntax`).
    func number(_ node: Node, path: String) -> Double? {
        guard case .scalar(let s) = node else {
            report(node, path, "expected a number, found \(Self.kind(node))", fix: "write a single number")
            return nil
        }
        if Self.isNull(node) {
            report(node, path, "no value given", fix: "write a number after the colon")
            return nil
        }
        switch NumberSyntax.parse(s.string) {
        case .success(let x):
            return x
        case .failure(.notFinite(let what)):
            report(node, path, "the value is \(what)", fix: "give an ordinary finite number")
            return nil
        case .failure(.malformed(let problem, let fix)):
            report(node, path, problem, fix: fix)
            return nil
        }
    }

    /// A whole number within `range`.
    func integer(_ node: Node, path: String, in range: ClosedRange<Int>? = nil, rangeFix: String = "") -> Int? {
        guard let x = number(node, path: path) else { return nil }
        guard x == x.rounded(), abs(x) < 9e15 else {
            report(node, path, "must be a whole number, got \(formatNumber(x))", fix: "give a whole number")
            return nil
        }
        let n = Int(x)
        if let range, !range.contains(n) {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)"
                : "between \(range.lowerBound) and \(range.upperBound)"
            report(node, path, "must be \(bounds), got \(n)", fix: rangeFix.isEmpty ? "give a whole number \(bounds)" : rangeFix)
            return nil
        }
        return n
    }

    /// One of a fixed set of words.
    func choice(_ node: Node, path: String, among choices: [String]) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            report(node, path, "expected one of \(choices.joined(separator: ", ")), found \(Self.kind(node))",
                   fix: "write one of: \(choices.joined(separator: ", "))")
            return nil
        }
        let word = scalar.string
        guard choices.contains(word) else {
            report(node, path, "'\(word)' is not a choice here" + NearMatches.didYouMean(word, among: choices),
                   fix: "write one of: \(choices.joined(separator: ", "))")
            return nil
        }
        return word
    }
}
