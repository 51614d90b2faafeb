import Yams

/// One `--set PATH=VALUE` from the command line: a what-if change to a scenario key made
/// without editing the file (docs/whatif.md).
///
/// PATH names a key the way problems and reports do: keys joined by dots
/// (`functions.hr.payroll.saving.rate`, where `hr.payroll` is one function name with a dot
/// in it), list entries by their name (`risks.ICT system failure.cost`,
/// `one_off_costs.Onboarding.per_joiner`), baseline rows by authority and function
/// (`baseline.Northdown District Council.hr.payroll.fte`), and any list entry by position
/// (`ramp.steps[1]`, `authorities[0].joins`). The last key may be new (a key left at its
/// default); everything before it must exist.
///
/// VALUE is YAML (`0.25`, `"£1.5m"`, `{pert: [0.1, 0.2, 0.3]}`, `[0.2, 0.5, 0.9]`) or a
/// distribution in call shorthand: `pert(0.1,0.2,0.3)`, `normal(p10=1,p90=3,min=0)`.
///
/// The override replaces the YAML value before the scenario is read, so every check the
/// loader makes applies to it; its problems are reported against `--set PATH=VALUE`.
public struct ScenarioOverride: Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let value: String

    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    /// Reads `PATH=VALUE` (split at the first `=`).
    public init(argument: String) throws(ScenarioErrors) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw Self.error(argument, "expected PATH=VALUE, found no '='",
                             fix: "write the key's path, '=' and the new value, e.g. --set optimism_bias=0.3")
        }
        let path = argument[..<equals].trimmingSpaces
        let value = argument[argument.index(after: equals)...].trimmingSpaces
        guard !path.isEmpty else {
            throw Self.error(argument, "the path before '=' is empty", fix: "name a key, e.g. --set optimism_bias=0.3")
        }
        guard !value.isEmpty else {
            throw Self.error(argument, "the value after '=' is empty", fix: "give a number, a distribution or a YAML value")
        }
        self.init(path: path, value: value)
    }

    /// How it is written on a command line (quoted for a shell when it needs to be).
    public var description: String { "--set \(path)=\(value)" }

    /// Where problems with this override are reported.
    var location: SourceLocation { SourceLocation(file: description, line: 0, column: 0) }

    static func error(_ argument: String, _ problem: String, fix: String) -> ScenarioErrors {
        ScenarioErrors(problems: [ScenarioProblem(location: SourceLocation(file: "--set \(argument)", line: 0, column: 0),
                                                  keyPath: "", problem: problem, fix: fix)])
    }
}

// MARK: - Applying overrides to the YAML tree

enum OverrideApplier {
    /// Applies every override in order to the composed YAML, or returns the problems (a
    /// path that does not exist, a value that is not YAML). Overridden values carry no
    /// marks, so problems the loader later finds in them are attributed to the override.
    static func apply(_ overrides: [ScenarioOverride], to root: Node, file: String) -> Result<Node, ScenarioErrors> {
        var node = root
        var problems: [ScenarioProblem] = []
        for o in overrides {
            let replacement: Node
            switch valueNode(o) {
            case .success(let n): replacement = n
            case .failure(let e):
                problems += e.problems
                continue
            }
            let pieces = o.path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !pieces.contains(where: { $0.trimmingSpaces.isEmpty }) else {
                problems.append(ScenarioProblem(location: o.location, keyPath: "",
                                                problem: "the path '\(o.path)' has an empty key (two dots together, or a dot at an end)",
                                                fix: "join keys with single dots, e.g. functions.hr.payroll.saving.rate"))
                continue
            }
            do {
                node = try descend(node, pieces: pieces, at: 0, done: [], replacement: replacement)
            } catch {
                let all = paths(in: root)
                let attempted = o.path
                let near = nearestPaths(to: attempted, among: all)
                var problem = error.problem(file: file)
                if !near.isEmpty {
                    problem += "; did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
                }
                problems.append(ScenarioProblem(location: o.location, keyPath: "", problem: problem, fix: error.fix))
            }
        }
        return problems.isEmpty ? .success(node) : .failure(ScenarioErrors(problems: problems))
    }

    struct NotFound: Error {
        /// The path as far as it exists.
        let found: String
        let missing: String
        let available: [String]
        let reason: String?

        func problem(file: String) -> String {
            if let reason { return reason }
            let place = found.isEmpty ? "at the top level of \(file)" : "under '\(found)' in \(file)"
            return "nothing \(place) matches '\(missing)'"
        }

        var fix: String {
            if available.isEmpty { return "check the path against the scenario file (docs/whatif.md lists the path rules)" }
            let shown = available.prefix(12).joined(separator: ", ") + (available.count > 12 ? ", …" : "")
            return "name one of: \(shown)"
        }
    }

    /// `steps[1]` → ("steps", [1]); `[0]` → ("", [0]); nil indices when malformed.
    static func splitIndices(_ piece: String) -> (key: String, indices: [Int])? {
        guard let open = piece.firstIndex(of: "[") else { return (piece, []) }
        let key = String(piece[..<open])
        var indices: [Int] = []
        var rest = piece[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                  let k = Int(rest[rest.index(after: rest.startIndex)..<close]), k >= 0 else { return nil }
            indices.append(k)
            rest = rest[rest.index(after: close)...]
        }
        return (key, indices)
    }

    static func scalarString(_ node: Node) -> String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }

    /// What a list entry is called in a path: its `name`, or `authority.function` for a
    /// baseline row.
    static func label(_ element: Node) -> String? {
        guard case .mapping(let m) = element else { return nil }
        if let name = m["name"].flatMap(scalarString) { return name }
        if let a = m["authority"].flatMap(scalarString), let f = m["function"].flatMap(scalarString) { return "\(a).\(f)" }
        return nil
    }

    static func join(_ done: [String]) -> String { done.joined(separator: ".") }

    static func descend(_ node: Node, pieces: [String], at i: Int, done: [String], replacement: Node) throws(NotFound) -> Node {
        if i == pieces.count { return replacement }
        switch node {
        case .mapping(let mapping):
            let keys = Array(mapping.keys.compactMap(scalarString))
            for length in stride(from: pieces.count - i, through: 1, by: -1) {
                let joined = pieces[i..<i + length].joined(separator: ".")
                guard let (key, indices) = splitIndices(joined), !key.isEmpty,
                      let index = mapping.firstIndex(where: { scalarString($0.key) == key }) else { continue }
                var child = mapping[index].value
                child = try descendIndices(child, indices: indices, pieces: pieces, at: i + length,
                                           done: done + [key], replacement: replacement)
                var pairs = mapping.map { ($0.key, $0.value) }
                pairs[mapping.distance(from: mapping.startIndex, to: index)].1 = child
                return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
            }
            // A new key is allowed only as the last piece (a key left at its default).
            if i == pieces.count - 1, let (key, indices) = splitIndices(pieces[i]), indices.isEmpty, !key.isEmpty {
                var pairs = mapping.map { ($0.key, $0.value) }
                pairs.append((Node(key), replacement))
                return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
            }
            throw NotFound(found: join(done), missing: pieces[i...].joined(separator: "."), available: keys, reason: nil)
        case .sequence(var sequence):
            if let (key, indices) = splitIndices(pieces[i]), key.isEmpty, !indices.isEmpty {
                return try descendIndices(node, indices: indices, pieces: pieces, at: i + 1,
                                          done: done, replacement: replacement)
            }
            let labels = sequence.map(label)
            for length in stride(from: pieces.count - i, through: 1, by: -1) {
                let joined = pieces[i..<i + length].joined(separator: ".")
                guard let (name, indices) = splitIndices(joined),
                      let k = labels.firstIndex(where: { $0 == name }) else { continue }
                let child = try descendIndices(sequence[k], indices: indices, pieces: pieces, at: i + length,
                                               done: done + [name], replacement: replacement)
                sequence[k] = child
                return .sequence(sequence)
            }
            let named = labels.compactMap { $0 }
            throw NotFound(found: join(done), missing: pieces[i...].joined(separator: "."),
                           available: named.isEmpty ? (0..<sequence.count).map { "[\($0)]" } : named,
                           reason: nil)
        case .scalar, .alias:
            throw NotFound(found: join(done), missing: pieces[i], available: [],
                           reason: "'\(join(done))' is a single value, so it has no '\(pieces[i])' under it")
        }
    }

    static func descendIndices(_ node: Node, indices: [Int], pieces: [String], at i: Int, done: [String],
                               replacement: Node) throws(NotFound) -> Node {
        guard let first = indices.first else {
            return try descend(node, pieces: pieces, at: i, done: done, replacement: replacement)
        }
        let here = (done.last ?? "") + "[\(first)]"
        let path = Array(done.dropLast()) + [here]
        guard case .sequence(var sequence) = node else {
            throw NotFound(found: join(done), missing: "[\(first)]", available: [],
                           reason: "'\(join(done))' is not a list, so it has no entry [\(first)]")
        }
        guard first < sequence.count else {
            throw NotFound(found: join(done), missing: "[\(first)]", available: [],
                           reason: "'\(join(done))' has \(sequence.count) entr\(sequence.count == 1 ? "y" : "ies"), counted from 0, so there is no [\(first)]")
        }
        sequence[first] = try descendIndices(sequence[first], indices: Array(indices.dropFirst()), pieces: pieces,
                                             at: i, done: path, replacement: replacement)
        return .sequence(sequence)
    }

    /// The paths closest to what was typed: within about one edit in eight characters
    /// (paths are long, so the loader's key-sized threshold is too strict), nearest first.
    static func nearestPaths(to attempted: String, among paths: [String]) -> [String] {
        let allowed = max(2, attempted.count / 8)
        let scored = paths.map { ($0, NearMatches.distance(attempted, $0)) }.filter { $0.1 <= allowed && !attempted.hasPrefix($0.0) }
        guard let best = scored.map(\.1).min() else { return [] }
        // Only the nearest (and ties within one edit), so the suggestion stays specific.
        return scored.filter { $0.1 <= best + 1 }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
    }

    /// Every path in the document, for "did you mean".
    static func paths(in root: Node) -> [String] {
        var result: [String] = []
        func walk(_ node: Node, _ prefix: String, depth: Int) {
            guard depth < 12, result.count < 20_000 else { return }
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    guard let key = scalarString(k) else { continue }
                    let p = prefix.isEmpty ? key : "\(prefix).\(key)"
                    result.append(p)
                    walk(v, p, depth: depth + 1)
                }
            case .sequence(let s):
                for (k, element) in s.enumerated() {
                    let p = label(element).map { "\(prefix).\($0)" } ?? "\(prefix)[\(k)]"
                    result.append(p)
                    walk(element, p, depth: depth + 1)
                }
            default:
                break
            }
        }
        walk(root, "", depth: 0)
        return result
    }

    // MARK: - Values

    /// Families whose call shorthand takes positional parameters, in order.
    static let positional: [String: [String]] = [
        "fixed": ["value"], "value": ["value"],
        "uniform": ["min", "max"], "triangular": ["min", "mode", "max"], "pert": ["min", "mode", "max", "lambda"],
        "normal": ["mean", "sd", "min", "max"], "lognormal": ["median", "p90"],
        "beta": ["alpha", "beta", "min", "max"], "gamma": ["shape", "scale"],
        "discrete": ["values", "weights"], "bernoulli": ["p"],
    ]

    static func valueNode(_ o: ScenarioOverride) -> Result<Node, ScenarioErrors> {
        func fail(_ problem: String, _ fix: String) -> Result<Node, ScenarioErrors> {
            .failure(ScenarioErrors(problems: [ScenarioProblem(location: o.location, keyPath: "", problem: problem, fix: fix)]))
        }
        var text = o.value
        if let call = callShorthand(o.value) {
            guard let names = positional[call.family] else {
                return fail("'\(call.family)(…)' is not a distribution",
                            "use one of: " + positional.keys.sorted().map { "\($0)(…)" }.joined(separator: ", "))
            }
            var entries: [String] = []
            var position = 0
            for argument in call.arguments {
                if let eq = argument.firstIndex(of: "="), !argument.hasPrefix("[") {
                    let key = argument[..<eq].trimmingSpaces
                    let value = argument[argument.index(after: eq)...].trimmingSpaces
                    entries.append("\(key): \(value)")
                } else {
                    guard position < names.count else {
                        return fail("\(call.family)(…) takes at most \(names.count) values (\(names.joined(separator: ", "))), found \(call.arguments.count)",
                                    "give \(names.joined(separator: ", ")) in that order, or name them: \(call.family)(\(names[0])=…)")
                    }
                    entries.append("\(names[position]): \(argument)")
                    position += 1
                }
            }
            text = call.family == "fixed" || call.family == "value"
                ? "{\(call.family): \(call.arguments.first ?? "")}"
                : "{\(call.family): {\(entries.joined(separator: ", "))}}"
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            return fail("the value '\(o.value)' is not a number, a distribution or YAML",
                        "give a number (0.25, \"£1.5m\"), a distribution such as pert(0.1,0.2,0.3) or {pert: [0.1, 0.2, 0.3]}, or quote text")
        }
        guard let node else { return fail("the value is empty", "give a value after '='") }
        return .success(unmarked(node))
    }

    /// `pert(0.1, 0.2, 0.3)` → ("pert", ["0.1", "0.2", "0.3"]); commas inside [ ] or { }
    /// do not split.
    static func callShorthand(_ text: String) -> (family: String, arguments: [String])? {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        let family = String(text[..<open]).trimmingSpaces
        guard !family.isEmpty, family.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var arguments: [String] = []
        var current = ""
        var depth = 0
        for ch in inner {
            if ch == "[" || ch == "{" { depth += 1 }
            if ch == "]" || ch == "}" { depth -= 1 }
            if ch == "," && depth == 0 {
                arguments.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(ch)
            }
        }
        let last = current.trimmingSpaces
        if !last.isEmpty || !arguments.isEmpty { arguments.append(last) }
        return (family.lowercased(), arguments)
    }

    /// The same tree without marks, so the loader attributes its problems to the override.
    static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(var s):
            s.mark = nil
            return .scalar(s)
        case .mapping(let m):
            return .mapping(Node.Mapping(m.map { (unmarked($0.key), unmarked($0.value)) }, m.tag, m.style, nil))
        case .sequence(let s):
            return .sequence(Node.Sequence(s.map(unmarked), s.tag, s.style, nil))
        case .alias:
            return node
        }
    }
}
