/// The low-level pieces of an SVG document: escaping, number formatting and elements.
///
/// Everything here is deterministic: no locale, no hashing order, no floating-point
/// formatting other than the fixed one-decimal `SVG.number`.
enum SVG {
    /// Escapes text for XML character data and attribute values (`& < > " '`). Characters
    /// XML 1.0 forbids (C0 controls other than tab) are dropped; line breaks and tabs become spaces
    /// (SVG text does not wrap, and a stray newline would only confuse a screen reader).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\r", "\t": out += " "
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with exactly one decimal, `-` for negatives, no `-0.0`. Non-finite
    /// values become 0 and magnitudes are clamped so the integer arithmetic cannot overflow.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0.0" }
        let clamped = min(max(x, -1e9), 1e9)
        let tenths = Int((clamped * 10).rounded(.toNearestOrAwayFromZero))
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// `<name a="…" …>content</name>` or `<name … />`; attribute values are escaped here,
    /// `content` must already be markup.
    static func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) -> String {
        var s = "<" + name
        for (key, value) in attributes {
            s += " " + key + "=\"" + escape(value) + "\""
        }
        if let content {
            s += ">" + content + "</" + name + ">"
        } else {
            s += "/>"
        }
        return s
    }

    static func title(_ text: String) -> String { "<title>" + escape(text) + "</title>" }
}

/// Stroke and fill for one drawn thing.
struct Style {
    var stroke: String? = nil
    var strokeWidth: Double = 1
    var dash: String? = nil
    var fill: String? = nil
    var opacity: Double? = nil

    var attributes: [(String, String)] {
        var a: [(String, String)] = [("fill", fill ?? "none")]
        if let stroke {
            a.append(("stroke", stroke))
            a.append(("stroke-width", SVG.number(strokeWidth)))
            if let dash { a.append(("stroke-dasharray", dash)) }
        }
        if let opacity { a.append(("fill-opacity", SVG.number(opacity))) }
        return a
    }
}

/// The palette: every colour differs in lightness as well as hue, so the charts survive
/// greyscale printing, and lines also differ in dash pattern.
enum Palette {
    static let ink = "#222222"          // titles, labels
    static let muted = "#555555"        // tick labels, axis titles
    static let axis = "#888888"         // axis line, tick marks
    static let grid = "#e3e3e3"         // gridlines
    static let zero = "#444444"         // the zero line
    static let primary = "#1f4e79"      // dark blue: main line (≈ 30 % grey)
    static let band = "#c5d7ea"         // light blue: P10–P90 band (≈ 83 % grey)
    static let barLight = "#9fbedc"     // mid-light blue: histogram bars, P90 side
    static let accent = "#c0792a"       // ochre: second line (≈ 55 % grey), dashed
    static let marker = "#3a3a3a"       // marker lines
}

/// Builds one document: a white background, a `<title>`, a `<desc>`, then the drawing.
struct SVGCanvas {
    let width: Double
    let height: Double
    let title: String
    let description: String
    private var parts: [String] = []

    static let fontFamily = "Helvetica, Arial, 'Liberation Sans', sans-serif"

    init(width: Double = Charts.width, height: Double, title: String, description: String) {
        self.width = width
        self.height = height
        self.title = title
        self.description = description
    }

    /// A comment naming the part that follows. Only for fixed text written here: it is
    /// not escaped, so it must never carry data.
    mutating func comment(_ text: StaticString) {
        parts.append("<!-- " + text.description + " -->")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ style: Style, class cls: String? = nil) {
        var a: [(String, String)] = []
        if let cls { a.append(("class", cls)) }
        a += [("x1", SVG.number(x1)), ("y1", SVG.number(y1)), ("x2", SVG.number(x2)), ("y2", SVG.number(y2))]
        a += style.attributes.filter { $0.0 != "fill" }
        parts.append(SVG.element("line", a))
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, _ style: Style,
                       class cls: String? = nil, hover: String? = nil) {
        var a: [(String, String)] = []
        if let cls { a.append(("class", cls)) }
        a += [("x", SVG.number(x)), ("y", SVG.number(y)),
              ("width", SVG.number(max(0, width))), ("height", SVG.number(max(0, height)))]
        a += style.attributes
        parts.append(SVG.element("rect", a, content: hover.map(SVG.title)))
    }

    mutating func circle(cx: Double, cy: Double, r: Double, _ style: Style, class cls: String? = nil) {
        var a: [(String, String)] = []
        if let cls { a.append(("class", cls)) }
        a += [("cx", SVG.number(cx)), ("cy", SVG.number(cy)), ("r", SVG.number(r))]
        a += style.attributes
        parts.append(SVG.element("circle", a))
    }

    /// A polyline through `points` (drawn as a path so it can carry a dash pattern).
    mutating func polyline(_ points: [(Double, Double)], _ style: Style, class cls: String? = nil) {
        guard let first = points.first else { return }
        var d = "M" + SVG.number(first.0) + " " + SVG.number(first.1)
        for p in points.dropFirst() { d += " L" + SVG.number(p.0) + " " + SVG.number(p.1) }
        path(d, style, class: cls)
    }

    /// A closed polygon through `points`.
    mutating func polygon(_ points: [(Double, Double)], _ style: Style, class cls: String? = nil) {
        guard let first = points.first else { return }
        var d = "M" + SVG.number(first.0) + " " + SVG.number(first.1)
        for p in points.dropFirst() { d += " L" + SVG.number(p.0) + " " + SVG.number(p.1) }
        path(d + " Z", style, class: cls)
    }

    mutating func path(_ d: String, _ style: Style, class cls: String? = nil) {
        var a: [(String, String)] = []
        if let cls { a.append(("class", cls)) }
        a.append(("d", d))
        a += style.attributes
        a.append(("stroke-linejoin", "round"))
        parts.append(SVG.element("path", a))
    }

    enum Anchor: String { case start, middle, end }

    /// Text from data or from the chart itself. If `maxWidth` is given and the text would
    /// be wider, it is shortened with an ellipsis and the full text kept in a `<title>`
    /// child so it shows on hover.
    mutating func text(_ string: String, x: Double, y: Double, size: Double = 11,
                       anchor: Anchor = .start, bold: Bool = false, fill: String = Palette.muted,
                       rotate: Double? = nil, maxWidth: Double? = nil, halo: Bool = false, hover: String? = nil,
                       truncation: TextMetrics.Truncation = .end, class cls: String? = nil) {
        var shown = string
        var full: String? = hover
        if let maxWidth {
            shown = TextMetrics.truncate(string, maxWidth: maxWidth, size: size, bold: bold, mode: truncation)
            if shown != string { full = string }
        }
        var a: [(String, String)] = []
        if let cls { a.append(("class", cls)) }
        a += [("x", SVG.number(x)), ("y", SVG.number(y))]
        if size != 11 { a.append(("font-size", SVG.number(size))) }
        if anchor != .start { a.append(("text-anchor", anchor.rawValue)) }
        if bold { a.append(("font-weight", "bold")) }
        if fill != Palette.muted { a.append(("fill", fill)) }
        if halo {
            a += [("stroke", "#ffffff"), ("stroke-width", "3"), ("stroke-linejoin", "round"), ("paint-order", "stroke")]
        }
        if let rotate {
            a.append(("transform", "rotate(" + SVG.number(rotate) + " " + SVG.number(x) + " " + SVG.number(y) + ")"))
        }
        let content = SVG.escape(shown) + (full.map(SVG.title) ?? "")
        parts.append(SVG.element("text", a, content: content))
    }

    var document: String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += SVG.element("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", SVG.number(width)), ("height", SVG.number(height)),
            ("viewBox", "0 0 " + SVG.number(width) + " " + SVG.number(height)),
            ("role", "img"),
            ("font-family", Self.fontFamily), ("font-size", "11"), ("fill", Palette.muted),
        ], content: "\n" + SVG.title(title) + "\n"
            + "<desc>" + SVG.escape(description) + "</desc>\n"
            + SVG.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")]) + "\n"
            + parts.joined(separator: "\n") + "\n")
        return s + "\n"
    }
}
