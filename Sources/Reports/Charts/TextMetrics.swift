/// Estimated text widths, so labels can be laid out and shortened without a font engine.
///
/// The widths are Helvetica's (Arial and Liberation Sans share them), in thousandths of
/// an em, with a small safety margin for renderers that fall back to a wider sans serif.
enum TextMetrics {
    /// Helvetica advance widths for ASCII 32…126.
    private static let ascii: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // space … /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0 … ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P … _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // ` … o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,       // p … ~
    ]

    /// 1.06: a margin for fonts a little wider than Helvetica (e.g. DejaVu Sans is ~8 % wider).
    private static let safety = 1.06

    static func advance(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        switch v {
        case 32...126: return ascii[Int(v) - 32]
        case 0xA3: return 556                      // £
        case 0x2212: return 584                    // −
        case 0x2013: return 556                    // –
        case 0x2014: return 1000                   // —
        case 0x2026: return 1000                   // …
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0   // combining, invisible
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60,
             0x1F300...0x1FAFF: return 1000       // wide: CJK, Hangul, full-width, emoji
        default: return 600
        }
    }

    /// The estimated width in pixels of `text` at font size `size`.
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var units = 0
        for scalar in text.unicodeScalars { units += advance(scalar) }
        return Double(units) / 1000 * size * safety * (bold ? 1.07 : 1)
    }

    enum Truncation { case end, middle }

    /// Greedy word wrap into at most `maxLines` lines; what does not fit in the last line
    /// is cut with "…" (so the caller should keep the full text for hover).
    static func wrap(_ text: String, maxWidth: Double, size: Double, bold: Bool = false, maxLines: Int) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var lines: [String] = []
        var current = ""
        var index = 0
        while index < words.count {
            if lines.count == maxLines - 1 {
                // The last line takes everything left.
                let rest = ([current].filter { !$0.isEmpty } + words[index...]).joined(separator: " ")
                lines.append(truncate(rest, maxWidth: maxWidth, size: size, bold: bold))
                return lines
            }
            let candidate = current.isEmpty ? words[index] : current + " " + words[index]
            if current.isEmpty || width(candidate, size: size, bold: bold) <= maxWidth {
                current = candidate
                index += 1
            } else {
                lines.append(truncate(current, maxWidth: maxWidth, size: size, bold: bold))
                current = ""
            }
        }
        if !current.isEmpty || lines.isEmpty {
            lines.append(truncate(current, maxWidth: maxWidth, size: size, bold: bold))
        }
        return lines
    }

    /// `text` if it fits in `maxWidth`, otherwise the longest shortening with "…" that does
    /// (at the end, or in the middle keeping both the start and the end, which suits input
    /// paths like `one_off_costs.ICT platform.amount`). Cuts fall between whole characters.
    static func truncate(_ text: String, maxWidth: Double, size: Double, bold: Bool = false,
                         mode: Truncation = .end) -> String {
        if width(text, size: size, bold: bold) <= maxWidth { return text }
        let ellipsis = "…"
        let chars = Array(text)
        let budget = maxWidth - width(ellipsis, size: size, bold: bold)
        if budget <= 0 { return ellipsis }
        func w(_ c: Character) -> Double { width(String(c), size: size, bold: bold) }
        switch mode {
        case .end:
            var used = 0.0
            var keep = 0
            while keep < chars.count, used + w(chars[keep]) <= budget {
                used += w(chars[keep]); keep += 1
            }
            let head = String(chars[..<keep]).trimmingTrailingSpaces
            return head + ellipsis
        case .middle:
            var head = 0, tail = 0
            var used = 0.0
            // Alternate, taking from the front first, until neither side fits.
            var takeHead = true
            var headBlocked = false, tailBlocked = false
            while head + tail < chars.count, !(headBlocked && tailBlocked) {
                if takeHead && !headBlocked {
                    let c = chars[head]
                    if used + w(c) <= budget { used += w(c); head += 1 } else { headBlocked = true }
                } else if !takeHead && !tailBlocked {
                    let c = chars[chars.count - 1 - tail]
                    if used + w(c) <= budget { used += w(c); tail += 1 } else { tailBlocked = true }
                }
                takeHead.toggle()
            }
            let front = String(chars[..<head]).trimmingTrailingSpaces
            let back = String(chars[(chars.count - tail)...])
            return front + ellipsis + back.trimmingLeadingSpaces
        }
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let last = s.last, last == " " { s.removeLast() }
        return String(s)
    }
    var trimmingLeadingSpaces: String {
        var s = Substring(self)
        while let first = s.first, first == " " { s.removeFirst() }
        return String(s)
    }
}
