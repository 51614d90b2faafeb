// The loader's own space trimming must cut exactly what Foundation's
// trimmingCharacters(in: .whitespaces) cuts, on any text.
import Foundation
import Testing
@testable import ScenarioFiles
import Stochastics

@Suite("Trimming spaces")
struct TrimmingTests {
    /// Spaces of every kind Foundation trims, characters it must keep (newlines, other
    /// controls, a combining accent, letters, an emoji, the NUL), mixed at random.
    static let alphabet: [String] = [" ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\u{202F}", "\n", "\r", "\u{0B}",
                                     "\u{301}", "a", "£", "1", ",", "é", "👩‍💼", "\u{0}", "\u{200B}", "\u{FEFF}"]

    @Test("the same result as Foundation on 20,000 random strings")
    func matchesFoundation() {
        var generator = SplitMix64(state: 7)   // fixed, so a failure names a reproducible string
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 8)
            let text = (0..<length).map { _ in Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))] }.joined()
            #expect(text.trimmingSpaces == text.trimmingCharacters(in: .whitespaces),
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            let sub = text.dropFirst()
            #expect(sub.trimmingSpaces == sub.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("every Unicode scalar is a space exactly when Foundation's set holds it")
    func everyScalar() {
        var differing: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            if scalar.isSpace != CharacterSet.whitespaces.contains(scalar) { differing.append(v) }
        }
        #expect(differing.isEmpty, "\(differing.map { String($0, radix: 16) })")
    }

    @Test("cases by hand")
    func byHand() {
        #expect("  £1.5m\t".trimmingSpaces == "£1.5m")
        #expect(" \u{A0}".trimmingSpaces == "")
        #expect("\nx\n".trimmingSpaces == "\nx\n")
        #expect("a b".trimmingSpaces == "a b")
    }
}
