/// "Did you mean …?" suggestions by edit distance.
enum NearMatches {
    /// Levenshtein distance on Unicode characters, case-insensitive (`Payroll` is 0 from
    /// `payroll`), with a single transposition counting as one edit (Damerau's
    /// restricted form: `mdoe` → `mode` is one edit).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }

    /// The candidates close enough to `word` to be what was meant, nearest first: within
    /// a third of the longer length (at least 1, at most 3 edits for short words), or
    /// where one contains the other (`payroll` for `hr.payroll`).
    static func suggestions(for word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            guard candidate != word else { return nil }
            let d = distance(word, candidate)
            let allowed = max(1, min(3, max(word.count, candidate.count) / 3))
            let lw = word.lowercased(), lc = candidate.lowercased()
            let contains = lw.count >= 3 && (lc.contains(lw) || lw.contains(lc))
            guard d <= allowed || contains else { return nil }
            return (candidate, contains && d > allowed ? allowed + 1 : d)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// `; did you mean 'x'?` or `; did you mean 'x' or 'y'?`, or "" when nothing is close.
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        let found = suggestions(for: word, among: candidates)
        switch found.count {
        case 0: return ""
        case 1: return "; did you mean '\(found[0])'?"
        default:
            return "; did you mean " + found.dropLast().map { "'\($0)'" }.joined(separator: ", ")
                + " or '\(found.last!)'?"
        }
    }
}
