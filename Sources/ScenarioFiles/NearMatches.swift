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
            let contains = lw.count >= 3 && (occurs(lw, in: lc) || occurs(lc, in: lw))
            guard d <= allowed || contains else { return nil }
            return (candidate, contains && d > allowed ? allowed + 1 : d)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// Whether `needle` occurs in `haystack`, comparing Unicode scalars. Not Foundation's
    /// `String.contains`: it traps on some text a fuzzer writes (NULs beside C1 controls,
    /// Fuzz/Crashers/crash-f9e0…), and names here are anything a file holds.
    static func occurs(_ needle: String, in haystack: String) -> Bool {
        let n = Array(needle.unicodeScalars), h = Array(haystack.unicodeScalars)
        guard !n.isEmpty else { return true }
        guard n.count <= h.count else { return false }
        for start in 0...(h.count - n.count) where h[start] == n[0] {
            if h[start..<(start + n.count)].elementsEqual(n) { return true }
        }
        return false
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
