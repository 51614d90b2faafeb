/// An RFC 4180 table: comma-separated, CRLF line ends, fields quoted when they hold a
/// comma, quote or line break. Text cells that a spreadsheet would run as a formula
/// (starting with = + - @, tab or carriage return) get a leading apostrophe (OWASP's
/// advice for CSV injection). Numbers are written plainly so they load as numbers.
public struct CSVTable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public enum Cell {
        case text(String)
        case number(Double)
        case integer(Int)
        /// An empty cell: a value that does not exist (e.g. no payback).
        case empty
    }

    public mutating func append(_ cells: [Cell]) {
        precondition(cells.count == header.count, "row has \(cells.count) cells, header \(header.count)")
        rows.append(cells.map(Self.render))
    }

    public var text: String {
        var out = ""
        for line in [header.map(Self.quote)] + rows {
            out += line.joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    static func render(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return quote(neutralise(s))
        case .number(let x): return NumberText.plain(x)
        case .integer(let i): return String(i)
        case .empty: return ""
        }
    }

    /// Prefixes an apostrophe to text a spreadsheet would evaluate.
    public static func neutralise(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return "=+-@\t\r".unicodeScalars.contains(first) ? "'" + s : s
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation

/// How numbers are written.
public enum NumberText {
    /// Machine-readable: integers without a decimal point, other values in Swift's
    /// shortest round-trip form (the same digits on every platform); NaN as empty.
    public static func plain(_ x: Double) -> String {
        if x.isNaN { return "" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// Money for people: £1.2m, £450k, £950, −£3.4m.
    public static func money(_ x: Double) -> String {
        if x.isNaN { return "n/a" }
        let sign = x < 0 ? "−" : ""
        let a = abs(x)
        let body: String
        switch a {
        case 1e9...: body = String(format: "£%.2fbn", a / 1e9)
        case 1e6...: body = String(format: "£%.2fm", a / 1e6)
        case 1e4...: body = String(format: "£%.0fk", a / 1e3)
        case 1e3...: body = String(format: "£%.1fk", a / 1e3)
        default: body = String(format: "£%.0f", a)
        }
        return sign + body
    }

    public static func percent(_ p: Double, digits: Int = 0) -> String {
        p.isNaN ? "n/a" : fixed(p * 100, digits: digits) + "%"
    }

    /// Up to four significant digits, without trailing zeros: 0.87, 1.5, 12, 98000.
    public static func significant(_ x: Double) -> String {
        if x.isNaN { return "n/a" }
        if x == x.rounded() && abs(x) < 1e15 { return grouped(Int64(x)) }
        var s = String(format: "%.4g", x)
        if s.contains("e") { return s }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// An integer with thousands separators: 120,000.
    public static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }

    /// A fixed number of decimals, with a true minus sign (−0.45) as in the money figures.
    public static func fixed(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "n/a" }
        let text = String(format: "%.\(digits)f", abs(x))
        let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
        return (x < 0 && !isZero ? "−" : "") + text
    }
}
