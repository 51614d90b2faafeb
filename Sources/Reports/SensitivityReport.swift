import SavingsModel
import ScenarioFiles
import Stochastics

/// The `sensitivity` command's report folder: Sobol indices and the value of information
/// as CSV, an SVG chart, and a Markdown note for a finance officer. Pure formatting: every
/// number comes from `SobolResult` and `ValueOfInformationStudy`. Nothing depends on the
/// time, the machine or the thread count, so the same inputs give the same bytes.
public struct SensitivityReport {
    public struct SobolPart {
        public let result: SobolResult
        public let settings: SobolSettings
        public init(result: SobolResult, settings: SobolSettings) {
            self.result = result
            self.settings = settings
        }
    }

    public struct InformationPart {
        public let study: ValueOfInformationStudy
        public let settings: RunSettings
        public init(study: ValueOfInformationStudy, settings: RunSettings) {
            self.study = study
            self.settings = settings
        }
    }

    public let scenario: Scenario
    public let scenarioPath: String
    public let metric: ScalarMetric
    public let sobol: SobolPart?
    public let information: InformationPart?
    let inputsByPath: [String: Input]

    public init(scenario: Scenario, scenarioPath: String, metric: ScalarMetric, sobol: SobolPart?, information: InformationPart?) {
        self.scenario = scenario
        self.scenarioPath = scenarioPath
        self.metric = metric
        self.sobol = sobol
        self.information = information
        var byPath: [String: Input] = [:]
        for input in scenario.allInputs where byPath[input.path] == nil { byPath[input.path] = input }
        inputsByPath = byPath
    }

    /// A total index at or above this is called a driver; below `negligible` an input could
    /// be fixed at a central value without changing the spread much (Saltelli et al. 2008,
    /// "factor fixing").
    static let driver = 0.05
    static let negligible = 0.01
    /// An input whose EVPPI is at least this share of the EVPI is worth researching.
    static let worthResearching = 0.10

    public var files: [(name: String, contents: String)] {
        var out: [(name: String, contents: String)] = [("sensitivity.md", markdown)]
        if let sobol {
            out.append(("sobol-indices.csv", Self.sobolCSV(sobol.result)))
            out.append(("sobol-indices.svg", sobolChart(sobol.result)))
        }
        if let information { out.append(("value-of-information.csv", Self.informationCSV(information.study))) }
        return out
    }

    // MARK: CSV

    /// Groups sorted by total index, largest first (ties in scenario order).
    public static func ranked(_ r: SobolResult) -> [SobolIndex] {
        r.indices.enumerated().sorted { a, b in
            let (x, y) = (a.element.total.isNaN ? -1 : a.element.total, b.element.total.isNaN ? -1 : b.element.total)
            return x > y || (x == y && a.offset < b.offset)
        }.map(\.element)
    }

    public static func sobolCSV(_ r: SobolResult) -> String {
        var t = CSVTable(header: ["group", "first_order", "first_order_low", "first_order_high", "total", "total_low", "total_high"])
        for i in ranked(r) {
            t.append([.text(i.group), .number(i.firstOrder), .number(i.firstOrderLow), .number(i.firstOrderHigh),
                      .number(i.total), .number(i.totalLow), .number(i.totalHigh)])
        }
        return t.text
    }

    public static func rankedInputs(_ s: ValueOfInformationStudy) -> [ValueOfInformationStudy.InputValue] {
        s.inputs.enumerated().sorted { a, b in
            a.element.evppi.value > b.element.evppi.value || (a.element.evppi.value == b.element.evppi.value && a.offset < b.offset)
        }.map(\.element)
    }

    /// One row per input (largest EVPPI first), then the EVPI row.
    public static func informationCSV(_ s: ValueOfInformationStudy) -> String {
        var t = CSVTable(header: ["input", "evppi_gbp", "evppi_share_of_evpi"])
        for i in rankedInputs(s) {
            t.append([.text(i.input), .number(i.evppi.value), .number(s.evpi > 0 ? i.evppi.value / s.evpi : .nan)])
        }
        for g in s.groups {
            t.append([.text("group: " + g.inputs.joined(separator: " + ")), .number(g.evppi.value),
                      .number(s.evpi > 0 ? g.evppi.value / s.evpi : .nan)])
        }
        t.append([.text("EVPI (all inputs)"), .number(s.evpi), .number(s.evpi > 0 ? 1 : .nan)])
        return t.text
    }

    // MARK: Chart

    static let chartRows = 25

    func sobolChart(_ r: SobolResult) -> String {
        let rows = Self.ranked(r).prefix(Self.chartRows).map {
            Charts.SobolBar(label: $0.group, first: $0.firstOrder, firstLow: $0.firstOrderLow, firstHigh: $0.firstOrderHigh,
                            total: $0.total, totalLow: $0.totalLow, totalHigh: $0.totalHigh)
        }
        let more = r.indices.count - rows.count
        let title = "What drives the \(metricLabel): Sobol indices" + (more > 0 ? " (top \(rows.count) of \(r.indices.count))" : "")
        return Charts.sobolIndices(title: title, valueLabel: "Share of the variance of \(metric.name)", bars: rows)
    }

    // MARK: Markdown

    var metricLabel: String {
        switch metric {
        case .npvFinancial: "financial NPV"
        case .npvEconomic: "economic NPV"
        default: metric.name
        }
    }

    var isMoney: Bool { metric.name.hasSuffix("_gbp") }

    func value(_ x: Double) -> String { isMoney ? NumberText.money(x) : NumberText.significant(x) }

    static func pct(_ x: Double) -> String { x.isNaN ? "n/a" : NumberText.percent(x, digits: 1) }

    static func interval(_ lo: Double, _ hi: Double) -> String {
        lo.isNaN || hi.isNaN ? "n/a" : "\(pct(lo)) to \(pct(hi))"
    }

    /// Markdown table cells must not break the table.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The input's P10–P90 as the scenario states it, for the reader to see what was assumed.
    func assumed(_ path: String) -> String {
        guard let input = inputsByPath[path] else { return "" }
        let unit = InputUnit.of(input, in: scenario)
        let d = input.distribution
        let lo = d.quantile(0.1), hi = d.quantile(0.9)
        return lo == hi ? unit.format(lo) : "\(unit.format(lo)) to \(unit.format(hi))"
    }

    var markdown: String {
        var md: [String] = []
        md.append("# Sensitivity: \(scenario.name)")
        md.append("")
        md.append("Which assumptions drive the \(metricLabel) (`\(metric.name)`), and which are worth researching before the full business case. Scenario `\(scenarioPath)`. How the figures are computed: docs/global-sensitivity.md.")
        md.append("")
        if let sobol { md += sobolSection(sobol) }
        if let information { md += informationSection(information) }
        return md.joined(separator: "\n") + "\n"
    }

    func sobolSection(_ part: SobolPart) -> [String] {
        let r = part.result
        var md: [String] = []
        md.append("## What drives the \(metricLabel)")
        md.append("")
        md.append("The \(metricLabel) varies from one simulated future to another because many assumptions are uncertain at once. Each row below says how much of that variation (its variance) comes from one assumption: **on its own** is the share that would disappear if that assumption alone were known exactly; **including interactions** adds the part it causes only together with other assumptions. An assumption with a small share *including interactions* hardly matters: it could be fixed at a central value. The intervals are 95% bootstrap intervals: the estimate is not exact, and shares whose intervals overlap cannot be told apart.")
        md.append("")
        md.append("\(NumberText.grouped(Int64(r.baseSamples))) base samples, \(NumberText.grouped(Int64(r.evaluations))) model evaluations, \(r.bootstrap) bootstrap replicates, seed \(part.settings.seed), \(part.settings.generator.name). Mean \(value(r.mean)), standard deviation \(value(r.variance.squareRoot())).")
        md.append("")
        guard r.nonFiniteEvaluations == 0, r.variance > 0 else {
            md.append(r.nonFiniteEvaluations > 0
                      ? "**No indices:** `\(metric.name)` is undefined (blank) in \(NumberText.grouped(Int64(r.nonFiniteEvaluations))) of the evaluations, so its variance cannot be split. Choose a metric that always has a value, such as `npv_financial_gbp`."
                      : "**No indices:** `\(metric.name)` is the same in every evaluation: nothing to split.")
            md.append("")
            return md
        }
        md.append("| Rank | Assumption | Range assumed (P10 to P90) | On its own | 95% interval | Including interactions | 95% interval |")
        md.append("|---:|---|---|---:|---|---:|---|")
        let ranked = Self.ranked(r)
        for (n, i) in ranked.enumerated() {
            md.append("| \(n + 1) | \(Self.cell(i.group)) | \(Self.cell(assumed(i.group))) | \(Self.pct(i.firstOrder)) | \(Self.interval(i.firstOrderLow, i.firstOrderHigh)) | \(Self.pct(i.total)) | \(Self.interval(i.totalLow, i.totalHigh)) |")
        }
        md.append("")
        let drivers = ranked.filter { $0.total >= Self.driver }
        let minor = ranked.filter { $0.totalHigh < Self.negligible || ($0.totalHigh.isNaN && $0.total < Self.negligible) }
        if drivers.isEmpty {
            md.append("No single assumption accounts for \(Self.pct(Self.driver)) or more of the variance: the spread comes from many small sources.")
        } else {
            let names = drivers.map { "`\($0.group)` (\(Self.pct($0.total)))" }.joined(separator: ", ")
            md.append("**Drivers** (\(Self.pct(Self.driver)) or more of the variance, including interactions): \(names).")
        }
        md.append("")
        if !minor.isEmpty {
            md.append("**Could be fixed at a central value** (under \(Self.pct(Self.negligible)) even at the top of the interval): \(minor.map { "`\($0.group)`" }.joined(separator: ", ")).")
            md.append("")
        }
        let sumFirst = r.indices.reduce(0) { $0 + $1.firstOrder }
        if sumFirst >= 0.95 {
            md.append("The shares on their own add up to \(Self.pct(sumFirst))\(sumFirst > 1 ? " (more than 100% only through sampling error in the estimates)" : ""): there is little sign of assumptions acting together; each adds its own part to the spread.")
        } else {
            md.append("The shares on their own add up to \(Self.pct(sumFirst)); the rest, \(Self.pct(1 - sumFirst)), comes from assumptions acting together (for example a saving rate that matters only if the partner joins early).")
        }
        md.append("")
        let events: [(name: String, meaning: String)] = [
            (SobolIndices.eventGroupNames.adoption, "when each partner on the adoption curve joins"),
            (SobolIndices.eventGroupNames.exits, "whether and when partners leave"),
            (SobolIndices.eventGroupNames.risks, "whether each risk strikes in each year"),
        ].filter { e in r.indices.contains { $0.group == e.name } }
        if !events.isEmpty {
            let items = events.map { "*\($0.name)* (\($0.meaning))" }
            let list = items.count == 1 ? items[0] : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
            md.append(events.count == 1 ? "The group \(list) is a chance event of the model, taken as one block."
                      : "The groups \(list) are the chance events of the model, each taken as one block.")
            md.append("")
        }
        return md
    }

    func informationSection(_ part: InformationPart) -> [String] {
        let s = part.study
        var md: [String] = []
        md.append("## Which assumptions are worth researching")
        md.append("")
        let go = s.meanNetBenefit > 0
        md.append("On what is known now the partners would \(go ? "**go ahead**" : "**not go ahead**"): the expected \(metricLabel) is \(NumberText.money(s.meanNetBenefit)), and in \(Self.pct(s.probabilityNegative)) of the \(NumberText.grouped(Int64(s.iterations))) simulated futures it is negative (seed \(part.settings.seed), \(part.settings.sampling.rawValue), \(part.settings.generator.name)).")
        md.append("")
        md.append("**Expected value of perfect information (EVPI): \(NumberText.money(s.evpi)).** This is the most it could be worth, in expected \(metricLabel), to remove all uncertainty before deciding whether to go ahead: the amount by which a decision taken with perfect foresight would beat the decision taken now, on average. \(s.evpi == 0 ? "It is zero because the same decision is best in every simulated future: more research cannot change the decision." : "Research costing more than this cannot pay for itself.")")
        md.append("")
        md.append("The **expected value of partial perfect information (EVPPI)** of one assumption is the same figure for knowing that assumption alone. It is estimated from the simulation itself, by grouping the simulated futures by the assumption's value, so it carries some sampling noise (it tends to come out a little high); each figure is kept between zero and the EVPI, the bounds the true value obeys.")
        md.append("")
        md.append("| Rank | Assumption | Range assumed (P10 to P90) | EVPPI | Share of EVPI |")
        md.append("|---:|---|---|---:|---:|")
        let ranked = Self.rankedInputs(s)
        for (n, i) in ranked.enumerated() {
            md.append("| \(n + 1) | \(Self.cell(i.input)) | \(Self.cell(assumed(i.input))) | \(NumberText.money(i.evppi.value)) | \(s.evpi > 0 ? Self.pct(i.evppi.value / s.evpi) : "n/a") |")
        }
        md.append("")
        if !s.groups.isEmpty {
            md.append("Groups of assumptions researched together (a quadratic least-squares fit of the net benefit on the group's values, Strong & Oakley 2014's regression idea in its simplest form):")
            md.append("")
            md.append("| Group | EVPPI | Share of EVPI |")
            md.append("|---|---:|---:|")
            for g in s.groups {
                md.append("| \(Self.cell(g.inputs.joined(separator: " + "))) | \(NumberText.money(g.evppi.value)) | \(s.evpi > 0 ? Self.pct(g.evppi.value / s.evpi) : "n/a") |")
            }
            md.append("")
        }
        let clamped = s.inputs.filter(\.evppi.wasClamped)
        if !clamped.isEmpty {
            md.append("\(clamped.count == 1 ? "One estimate was" : "\(clamped.count) estimates were") outside [0, EVPI] before clamping: \(clamped.map { "`\($0.input)` (\(NumberText.money($0.evppi.unclamped)))" }.joined(separator: ", ")).")
            md.append("")
        }
        if s.evpi > 0 {
            let worth = ranked.filter { $0.evppi.value >= Self.worthResearching * s.evpi }
            if worth.isEmpty {
                md.append("No single assumption is worth \(Self.pct(Self.worthResearching)) or more of the EVPI: the value of information is spread thinly, and research on any one assumption is unlikely to change the decision.")
            } else {
                md.append("**Worth researching before the full business case** (EVPPI at least \(Self.pct(Self.worthResearching)) of the EVPI): \(worth.map { "`\($0.input)` (up to \(NumberText.money($0.evppi.value)))" }.joined(separator: ", ")). Research on one of these is worth doing only if it costs less than its EVPPI.")
            }
            md.append("")
        }
        md.append("Chance events (when partners join on the adoption curve or leave, whether risks strike) are not listed: they cannot be researched away, and the simulation does not keep their draws.")
        md.append("")
        if !s.partners.isEmpty {
            md.append("### Each authority's own decision")
            md.append("")
            md.append("Each authority decides for itself whether to join. The EVPI of that decision, on the authority's own financial NPV, is what perfect foresight would be worth to it:")
            md.append("")
            md.append("| Authority | Expected NPV | Chance NPV < 0 | EVPI of its decision |")
            md.append("|---|---:|---:|---:|")
            for p in s.partners {
                md.append("| \(Self.cell(p.authority)) | \(NumberText.money(p.meanNPV)) | \(Self.pct(p.probabilityNegative)) | \(NumberText.money(p.evpi)) |")
            }
            md.append("")
        }
        return md
    }
}
