import Ink

/// business-case.html: the Markdown case rendered to one self-contained page (inline CSS
/// and SVG, no network), laid out to print on A4 from a browser.
enum HTMLPage {
    static func render(markdown: String, title: String, charts: [(name: String, svg: String)]) -> String {
        var parser = MarkdownParser()
        let svgByName = Dictionary(charts.map { ($0.name, $0.svg) }, uniquingKeysWith: { a, _ in a })
        parser.addModifier(Modifier(target: .images) { html, markdown in
            // ![alt](file.svg) → the chart itself, inline, captioned with its alt text.
            guard let open = markdown.firstIndex(of: "("), let close = markdown.lastIndex(of: ")"),
                  let svg = svgByName[String(markdown[markdown.index(after: open)..<close])] else { return html }
            let alt = markdown.dropFirst(2).prefix { $0 != "]" }
            return "<figure>\(stripProlog(svg))<figcaption>\(alt)</figcaption></figure>"
        })
        let body = parser.html(from: markdown)
        return """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)): business case</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    static func stripProlog(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let css = """
    @page { size: A4; margin: 18mm 15mm; }
    body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; color: #1a1a1a; line-height: 1.45; margin: 0; background: #fff; }
    main { max-width: 190mm; margin: 0 auto; padding: 12px 16px 40px; }
    h1 { font-size: 1.7em; border-bottom: 3px solid #1d4e89; padding-bottom: 6px; }
    h2 { font-size: 1.25em; color: #1d4e89; margin-top: 1.8em; border-bottom: 1px solid #c8d3e0; padding-bottom: 3px; page-break-after: avoid; }
    table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.82em; width: 100%; page-break-inside: auto; }
    th, td { border: 1px solid #c8d3e0; padding: 3px 6px; vertical-align: top; }
    th { background: #eef2f7; text-align: left; }
    tr { page-break-inside: avoid; }
    td:not(:first-child) { font-variant-numeric: tabular-nums; }
    td[align="right"], td[style*="right"] { white-space: nowrap; }
    code { font-family: Menlo, Consolas, monospace; font-size: 0.92em; background: #f4f6f9; padding: 0 2px; word-break: break-all; }
    pre { background: #f4f6f9; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
    figure { margin: 1em 0; page-break-inside: avoid; }
    figure svg { width: 100%; height: auto; }
    figcaption { font-size: 0.85em; color: #555; text-align: center; }
    @media print { main { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
    """
}
