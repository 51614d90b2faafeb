import Foundation

/// How numbers may be written in a scenario file or a baseline CSV cell.
///
/// Accepted (surrounding spaces ignored, in YAML quoted or not):
/// - an ordinary number: `35000`, `-0.5`, `0.035`, `1.2e6`, `.5`, `+3`;
/// - money shorthand: an optional leading `-`, an optional `£`, digits (either with no
///   separators or with commas between every group of three: `900,000`), an optional
///   decimal part (`.5`) and an optional multiplier suffix, case-insensitive, written
///   straight after the number: `k` (thousand), `m` (million), `bn` (billion).
///   So `"£1.5m"`, `"35k"`, `"£900,000"`, `"2bn"`, `"-£250k"`, `"1,250.50"`.
///
/// Anything else is an error with a hint: `"20%"` (write 0.2), `"1,5"` (decimal comma),
/// `"$5"`/`"€5"` (only £), `"1.5 million"`, `"1.5 m"` (no space before the suffix),
/// `"£1b"` (write bn). YAML's `.nan` and `.inf` are read, then rejected as not finite;
/// magnitudes above 1e15 are rejected as too large.
enum NumberSyntax {
    enum Failure: Error, Equatable {
        case notFinite(String)
        case malformed(problem: String, fix: String)
    }

    /// The value of `text`, or why it is not a number we accept.
    static func parse(_ text: String) -> Result<Double, Failure> {
        let s = text.trimmingSpaces
        if s.isEmpty {
            return .failure(.malformed(problem: "the value is empty", fix: "give a number"))
        }
        switch s {
        case ".nan", ".NaN", ".NAN", "nan", "NaN", "NAN":
            return .failure(.notFinite("NaN (not a number)"))
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "inf", "-inf", "+inf", "Infinity", "-Infinity":
            return .failure(.notFinite("infinite"))
        default: break
        }
        guard let x = plainDecimal(s) ?? money(s) else {
            return .failure(.malformed(problem: "'\(s)' is not a number", fix: hint(for: s)))
        }
        guard abs(x) <= largest else {
            return .failure(.malformed(problem: "'\(s)' is too large: numbers in a scenario are limited to ±1e15",
                                       fix: "check for a slip (an extra zero, a wrong exponent); no figure in a council business case comes near 1e15"))
        }
        return .success(x)
    }

    /// The largest magnitude accepted, 10¹⁵ (a thousand trillion): far beyond any real
    /// figure, and small enough that no product the model forms (FTE × cost per FTE ×
    /// pay growth over 125 years, summed over thousands of rows) can overflow.
    static let largest = 1e15

    /// `[-+]?(digits[.digits]|.digits)([eE][-+]?digits)?`: the forms YAML itself reads as numbers.
    private static func plainDecimal(_ s: String) -> Double? {
        // Checked byte by byte (the grammar is ASCII): a baseline CSV has thousands of cells.
        let bytes = s.utf8
        var i = bytes.startIndex
        let end = bytes.endIndex
        @inline(__always) func at(_ test: (UInt8) -> Bool) -> Bool { i != end && test(bytes[i]) }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if at({ $0 == 0x2D || $0 == 0x2B }) { bytes.formIndex(after: &i) }            // - +
        var digits = 0
        while at(isDigit) { digits += 1; bytes.formIndex(after: &i) }
        if at({ $0 == 0x2E }) {                                                       // .
            bytes.formIndex(after: &i)
            while at(isDigit) { digits += 1; bytes.formIndex(after: &i) }
        }
        guard digits > 0 else { return nil }
        if at({ $0 == 0x65 || $0 == 0x45 }) {                                         // e E
            bytes.formIndex(after: &i)
            if at({ $0 == 0x2D || $0 == 0x2B }) { bytes.formIndex(after: &i) }
            var exponentDigits = 0
            while at(isDigit) { exponentDigits += 1; bytes.formIndex(after: &i) }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == end else { return nil }
        guard let x = Double(s.hasPrefix("+") ? String(s.dropFirst()) : s), x.isFinite else { return nil }
        return x
    }

    /// `-?£?(digits|d{1,3}(,ddd)+)(.digits)?(k|m|bn)?`, scaled exactly by building the
    /// decimal string with an exponent (`1.1m` → `1.1e6`, correctly rounded).
    private static func money(_ s: String) -> Double? {
        var rest = Substring(s)
        var negative = false
        if rest.first == "-" { negative = true; rest = rest.dropFirst() }
        if rest.first == "£" { rest = rest.dropFirst() }
        var exponent = 0
        let lower = rest.lowercased()
        if lower.hasSuffix("bn") { exponent = 9; rest = rest.dropLast(2) }
        else if lower.hasSuffix("k") { exponent = 3; rest = rest.dropLast() }
        else if lower.hasSuffix("m") { exponent = 6; rest = rest.dropLast() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
        }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        if groups.count > 1 {
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        guard let x = Double(digits + "e\(exponent)"), x.isFinite else { return nil }
        return negative ? -x : x
    }

    /// A specific hint for the usual mistakes, else the list of accepted forms.
    private static func hint(for s: String) -> String {
        let accepted = "write a plain number (35000, 0.2, 1.2e6) or money shorthand such as \"£1.5m\", \"35k\", \"£900,000\" or \"2bn\""
        if s.hasSuffix("%") {
            let number = s.dropLast().trimmingSpaces
            if let x = Double(number) { return "write percentages as fractions: \(formatNumber(x / 100)) for \(s)" }
            return "write percentages as fractions, e.g. 0.2 for 20%"
        }
        if let first = s.first, "$€¥".contains(first) {
            return "amounts are in pounds: use £ or no symbol at all, e.g. \"£1.5m\" or 1500000"
        }
        if s.contains(where: { $0 == " " }) {
            let lower = s.lowercased()
            if lower.hasSuffix("million") || lower.hasSuffix("thousand") || lower.hasSuffix("billion") {
                return "use the suffixes k, m or bn written straight after the number, e.g. \"£1.5m\""
            }
            return "remove the spaces inside the number; \(accepted)"
        }
        if s.range(of: #"^-?£?[0-9]+,[0-9]{1,2}$"#, options: .regularExpression) != nil
            || s.range(of: #"^-?£?[0-9]+,[0-9]{4,}$"#, options: .regularExpression) != nil {
            return "use a point for decimals (1.5, not 1,5) and commas only between groups of three digits (1,500,000)"
        }
        if s.lowercased().hasSuffix("b") || s.lowercased().hasSuffix("mn") || s.lowercased().hasSuffix("bil") {
            return "the multipliers are k (thousand), m (million) and bn (billion), e.g. \"2bn\""
        }
        return accepted
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Numbers in messages: whole numbers without a decimal point, others in Swift's shortest
/// round-tripping form (0.1, 1.5e-05).
func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x < 0 ? "-infinity" : "infinity" }
    if x == x.rounded(), abs(x) <= 1e15 { return String(Int64(x)) }
    return "\(x)"
}
