/// One thing wrong with a scenario file (or the baseline CSV it names): where, which key,
/// what is wrong and how to put it right.
///
/// Reads as `scenarios/x.yaml:12:7: functions.hr.payroll.saving: pert: min (0.3) is
/// greater than mode (0.2). Fix: order the values so that min ≤ mode ≤ max`, the
/// `file:line:column:` prefix that editors and CI logs turn into links.
public struct ScenarioProblem: Sendable, Equatable, CustomStringConvertible {
    /// File, line and column; for a CSV problem the CSV file, its physical line and the
    /// 1-based field number. Nil only when there is no place to point at (an unreadable file).
    public var location: SourceLocation?
    /// The key path the problem is about, e.g. `functions.hr.payroll.saving` or
    /// `baseline.Northdown.hr.payroll.fte`. Inputs use their canonical path.
    public var keyPath: String
    /// What is wrong, in the analyst's words.
    public var problem: String
    /// How to fix it.
    public var fix: String

    public init(location: SourceLocation?, keyPath: String, problem: String, fix: String) {
        self.location = location
        self.keyPath = keyPath
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        if !keyPath.isEmpty { text += "\(keyPath): " }
        let statement = Self.trimmingFinalStop(problem)
        text += statement
        if !fix.isEmpty {
            // "did you mean 'mode'? Fix: …" rather than "…'mode'?. Fix: …".
            text += (statement.hasSuffix("?") ? " " : ". ") + "Fix: \(Self.trimmingFinalStop(fix))"
        }
        return text
    }

    private static func trimmingFinalStop(_ s: String) -> String {
        s.hasSuffix(".") ? String(s.dropLast()) : s
    }
}

/// Every problem found in a scenario, thrown at once so the analyst can fix them all in
/// one pass. Problems are sorted by file (the scenario first, then files it names, in the
/// order they were read), line and column.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [ScenarioProblem]

    public init(problems: [ScenarioProblem]) {
        self.problems = problems
    }

    /// One problem per line, then a count ("3 problems found.").
    public var description: String {
        let count = problems.count == 1 ? "1 problem found." : "\(problems.count) problems found."
        return (problems.map(\.description) + [count]).joined(separator: "\n")
    }
}

extension ScenarioErrors {
    /// Sorts by (order in which each file was first mentioned, line, column), keeping the
    /// order of discovery for ties; problems without a location go last.
    static func sorted(_ problems: [ScenarioProblem], fileOrder: [String]) -> [ScenarioProblem] {
        func fileRank(_ file: String) -> Int { fileOrder.firstIndex(of: file) ?? fileOrder.count }
        return problems.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (la?, lb?):
                let ka = (fileRank(la.file), la.line, la.column), kb = (fileRank(lb.file), lb.line, lb.column)
                if ka != kb { return ka < kb }
            case (nil, _?): return false
            case (_?, nil): return true
            case (nil, nil): break
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
