import Foundation
import Ink
import Mustache
import SavingsModel
import ScenarioFiles

/// Everything `shared-savings run` writes into a report folder, as (file name, contents)
/// pairs. Nothing here touches the disk; `ReportFolder` writes the set atomically.
public enum BusinessCase {
    public enum TemplateError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalid(path: String, reason: String)
        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read the template \(path): \(reason)"
            case .invalid(let path, let reason): "the template \(path) is not valid Mustache: \(reason)"
            }
        }
    }

    /// The bundled house template.
    public static var defaultTemplate: String {
        let url = Bundle.module.url(forResource: "business-case.md", withExtension: "mustache", subdirectory: "Templates")!
        return try! String(contentsOf: url, encoding: .utf8)
    }

    /// The report's files. `template` is Mustache text (the bundled one when nil).
    public static func files(_ run: RunRecord, template: String? = nil, templatePath: String = "business-case.md.mustache") throws -> [(name: String, contents: String)] {
        let charts = chartFiles(run)
        let markdown = try renderMarkdown(run, template: template ?? defaultTemplate, templatePath: templatePath)
        return [
            ("business-case.md", markdown),
            ("business-case.html", HTMLPage.render(markdown: markdown, title: run.scenario.name, charts: charts)),
            ("summary.csv", RunReport.summaryCSV(run.summary)),
            ("yearly.csv", RunReport.yearlyCSV(run.summary, scenario: run.scenario)),
            ("partners.csv", ReportTables.partnersCSV(run)),
            ("payback.csv", ReportTables.paybackCSV(run)),
            ("sensitivity.csv", ReportTables.sensitivityCSV(run)),
            ("switching-values.csv", ReportTables.switchingValuesCSV(run)),
            ("inputs.csv", ReportTables.inputsCSV(run)),
            ("summary.json", SummaryJSON.render(run)),
        ] + charts.map { ($0.name, $0.svg) }
    }

    static func renderMarkdown(_ run: RunRecord, template: String, templatePath: String) throws -> String {
        MarkdownEscaping.register()
        let parsed: MustacheTemplate
        do {
            parsed = try MustacheTemplate(string: template)
        } catch {
            throw TemplateError.invalid(path: templatePath, reason: "\(error)")
        }
        return parsed.render(BusinessCaseContext.make(run))
    }

    /// The four charts, named as the template links them.
    static func chartFiles(_ run: RunRecord) -> [(name: String, svg: String)] {
        let s = run.summary, scenario = run.scenario
        let labels = (0..<s.years).map(scenario.yearLabel)
        let net = s.fans[.netFinancial]!, cumulative = s.fans[.cumulativeNetFinancial]!
        let npv = s.scalars[.npvFinancial]!
        var markers: [(label: String, value: Double)] = [("P10", npv.p10), ("P50", npv.p50), ("P90", npv.p90)]
        if npv.p5 < 0 && npv.p95 > 0 { markers.append(("£0", 0)) }
        let ranked = BusinessCaseContext.rankedSensitivity(s).prefix(15)
        let members = s.fans[.members]!
        return [
            ("cash-flow.svg", Charts.cashFlowFan(
                title: "Net cash flow by year (financial, undiscounted)", yearLabels: labels,
                p10: net.map(\.p10), p50: net.map(\.p50), p90: net.map(\.p90),
                cumulative: cumulative.map(\.p50), cumulativeLabel: "Cumulative net (P50)")),
            ("npv-distribution.svg", Charts.distribution(
                title: "Distribution of the financial NPV", valueLabel: "Financial NPV",
                binEdges: s.npvHistogram.edges, counts: s.npvHistogram.counts, markers: markers)),
            ("tornado.svg", Charts.tornado(
                title: "What moves the financial NPV most", valueLabel: "Mean financial NPV",
                bars: ranked.map { ($0.path, $0.meanNPVLow, $0.meanNPVHigh) }, base: npv.mean)),
            ("members.svg", Charts.membersOverTime(
                title: "Members of the shared service", yearLabels: labels,
                mean: members.map(\.mean), p10: members.map(\.p10), p90: members.map(\.p90))),
        ]
    }
}

/// Escapes text values for Markdown so that names from a scenario cannot break a table or
/// inject HTML: Markdown punctuation gets a backslash, `<` becomes `&lt;`, and an `&` that
/// would start an entity becomes `&amp;`.
enum MarkdownEscaping: MustacheContentType {
    case markdown

    static let registered: Void = { MustacheContentTypes.register(MarkdownEscaping.markdown, named: "MARKDOWN") }()
    static func register() { _ = registered }

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~": out.append("\\"); out.append(ch)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&" where startsEntity(chars, at: i): out += "&amp;"
            case "\n", "\r": out.append(" ")
            default: out.append(ch)
            }
        }
        return out
    }

    /// True when `&` at `i` begins something a renderer would read as an entity (`&amp;`, `&#38;`).
    private static func startsEntity(_ chars: [Character], at i: Int) -> Bool {
        var j = i + 1
        guard j < chars.count, chars[j].isLetter || chars[j] == "#" else { return false }
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "#" { j += 1 }
        return j < chars.count && chars[j] == ";"
    }
}
