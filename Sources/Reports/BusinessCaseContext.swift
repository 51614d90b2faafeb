import SavingsModel
import ScenarioFiles
import Stochastics
import Foundation

/// The data a business-case template renders: every figure already formatted for people.
/// The keys are documented in docs/reports.md so a council can write its own template.
enum BusinessCaseContext {
    static func make(_ run: RunRecord) -> [String: Any] {
        let s = run.summary, scenario = run.scenario
        let T = s.years
        let money = NumberText.money
        let pct = { (x: Double) in NumberText.percent(x) }
        var c: [String: Any] = [:]

        c["title"] = scenario.name
        let description = scenario.description.trimmingCharacters(in: .whitespacesAndNewlines)
        c["description"] = description.isEmpty ? "(The scenario has no description.)" : description
        c["toolVersion"] = Versions.tool
        c["modelVersion"] = Versions.model
        c["iterations"] = run.isBaseCase ? "1 (base case)" : NumberText.grouped(Int64(s.iterations))
        // A --precision run: the precision reached, and a warning when the maximum came first.
        c["hasPrecision"] = run.precision != nil
        c["precisionNotReached"] = run.precision.map { !$0.met } ?? false
        if let p = run.precision {
            c["precision"] = RunReport.precisionSentence(p)
            c["precisionTarget"] = p.target.percentText
            c["precisionOf"] = p.target.statistic.name
            c["precisionReached"] = p.measure.relative.isFinite ? NumberText.percent(p.measure.relative, digits: 2) : "unbounded"
            c["maximumIterations"] = NumberText.grouped(Int64(p.maximumIterations))
            c["plainCommand"] = run.plainCommand ?? ""
        }
        c["priceBase"] = String(scenario.priceBase)
        c["firstYear"] = scenario.yearLabel(0)
        c["lastYear"] = scenario.yearLabel(T - 1)

        // Summary.
        let npv = s.scalars[.npvFinancial]!
        let paybackYear = RunReport.medianPaybackYear(s)
        let paybackText = paybackYear.map { "pays back in \(scenario.yearLabel($0))" } ?? "does not pay back within the horizon"
        if run.isBaseCase {
            c["headline"] = "In the base case (every input at its median) the shared service has a financial net present value of \(money(npv.mean)) over \(T) years and \(paybackText)."
        } else {
            c["headline"] = "The shared service is expected to have a financial net present value of **\(money(npv.mean))** over \(T) years (P10 \(money(npv.p10)) to P90 \(money(npv.p90))), with a **\(pct(npv.probabilityPositive))** probability of being positive; in the median case it \(paybackText)."
        }
        c["steadyStateCashable"] = money(s.scalars[.finalYearCashableSaving]!.mean)
        c["fteReleased"] = NumberText.fixed(s.scalars[.fteReleasedFinalYear]!.mean, digits: 1)
        c["oneOffCost"] = money(s.scalars[.oneOffCosts]!.mean)
        c["npvP10"] = money(npv.p10)
        c["npvP90"] = money(npv.p90)
        c["npvProbabilityPositive"] = pct(npv.probabilityPositive)
        c["everyPartnerGains"] = pct(s.probabilityEveryPartnerGains)

        // Strategic context: partners and functions at the base case.
        let baselineFTE = scenario.baseline.reduce(0.0) { $0 + $1.fte.distribution.median }
        c["partnerCount"] = String(scenario.authorities.count)
        c["baselineFTE"] = NumberText.grouped(Int64(baselineFTE.rounded()))
        c["baselineSpend"] = money(run.baseCase.fans[.baselineCost]![0].mean)
        c["partners"] = scenario.authorities.enumerated().map { i, a -> [String: Any] in
            let rows = scenario.baseline.filter { $0.authority == i }
            let fte = rows.reduce(0.0) { $0 + $1.fte.distribution.median }
            let spend = rows.reduce(0.0) { $0 + $1.fte.distribution.median * $1.costPerFTE.distribution.median + $1.nonStaff.distribution.median }
            let joins: String
            switch a.joins {
            case .adoption: joins = "on the adoption curve"
            case .year(let input):
                joins = input.distribution.isRandom ? "uncertain (\(input.written ?? input.distribution.family))"
                    : scenario.yearLabel(Int(input.distribution.median.rounded(.down)))
            }
            return ["name": a.name, "joins": joins, "population": a.population.map { NumberText.grouped(Int64($0)) } ?? "–",
                    "fte": NumberText.fixed(fte, digits: 1), "spend": money(spend)]
        }
        c["functions"] = scenario.functions.map { f -> [String: Any] in
            let saving: String
            switch f.saving {
            case .rate(let input): saving = "rate " + describe(input, unit: .share)
            case .scale(let input): saving = "economies of scale, elasticity " + describe(input, unit: .number)
            }
            let ramp: String
            switch f.ramp {
            case .immediate: ramp = "immediate"
            case .linear(let years): ramp = "linear over \(describe(years, unit: .number)) years"
            case .logistic(let m, let k): ramp = "logistic, midpoint \(describe(m, unit: .number)), steepness \(describe(k, unit: .number))"
            case .steps(let steps): ramp = "steps " + steps.map { describe($0, unit: .share) }.joined(separator: ", ")
            }
            return ["name": f.name, "saving": saving, "ramp": ramp, "cashableShare": describe(f.cashableShare, unit: .share)]
        }

        // Economic case.
        func row(_ label: String, _ metric: ScalarMetric, _ format: (Double) -> String) -> [String: Any]? {
            guard let m = s.scalars[metric] else { return nil }
            return ["label": label, "mean": format(m.mean), "p10": format(m.p10), "p50": format(m.p50), "p90": format(m.p90)]
        }
        c["economicRows"] = [
            row("Financial NPV", .npvFinancial, money),
            row("Economic NPV (with non-cashable savings)", .npvEconomic, money),
            row("Benefit–cost ratio", .bcr, { NumberText.fixed($0, digits: 2) }),
            row("Present value of cashable savings", .pvCashableSavings, money),
            row("Present value of costs", .pvCosts, money),
        ].compactMap { $0 }
        c["npvPercentiles"] = npv.percentiles.map { ["value": money($0)] }
        c["cvar5"] = money(npv.cvar5)

        // Financial case.
        func years(_ pick: (YearFan) -> Double) -> [[String: Any]] {
            (0..<T).map { t in
                func v(_ series: YearlySeries) -> Double { pick(s.fans[series]![t]) }
                return ["year": scenario.yearLabel(t), "cashable": money(v(.cashableSavings)),
                        "nonCashable": money(v(.nonCashableSavings)), "oneOff": money(v(.oneOffCosts)),
                        "redundancy": money(v(.redundancyCosts)), "ongoing": money(v(.ongoingCosts)),
                        "riskExit": money(v(.riskCosts) + v(.exitCosts)), "net": money(v(.netFinancial)),
                        "cumulative": money(v(.cumulativeNetFinancial)),
                        "discounted": money(v(.discountedNetFinancial))]
            }
        }
        c["yearsMean"] = years(\.mean)
        c["yearsP50"] = years(\.p50)
        let byK = s.probabilityPaybackBy, discountedByK = cumulativeShares(s.discountedPaybackCounts, of: s.iterations)
        c["payback"] = (0..<T).map { ["year": scenario.yearLabel($0), "probability": pct(byK[$0]), "discounted": pct(discountedByK[$0])] }
        c["paybackNever"] = pct(Double(s.noPaybackCount) / Double(s.iterations))
        c["discountedPaybackNever"] = pct(Double(s.noDiscountedPaybackCount) / Double(s.iterations))
        c["paybackSentence"] = paybackYear.map { "Half of the simulated futures have paid back (cumulative cashable savings at least equal to cumulative costs) by the end of \(scenario.yearLabel($0))." }
            ?? "Fewer than half of the simulated futures pay back within the \(T)-year horizon."

        // Gershon.
        c["targetPerYear"] = NumberText.percent(scenario.efficiencyTarget, digits: 1)
        c["gershon"] = (0..<T).map { t -> [String: Any] in
            let cash = s.fans[.cashableSavings]![t].mean, non = s.fans[.nonCashableSavings]![t].mean
            let e = s.fans[.efficiency]![t].mean
            let target = scenario.efficiencyTarget * Double(t + 1)
            return ["year": scenario.yearLabel(t), "cashable": money(cash), "nonCashable": money(non),
                    "total": money(cash + non), "percent": NumberText.percent(e, digits: 1),
                    "target": NumberText.percent(target, digits: 1), "meets": e >= target ? "yes" : "no",
                    "halfCashable": cash + non <= 0 ? "–" : (cash >= 0.5 * (cash + non) ? "yes" : "no")]
        }

        // Partners.
        c["costSharing"] = costSharingText(scenario.costSharing)
        c["partnerResults"] = s.partners.map { p -> [String: Any] in
            let within = s.iterations - p.neverJoinsCount
            let usual = p.joinYearCounts.enumerated().max { $0.element < $1.element || ($0.element == $1.element && $0.offset > $1.offset) }
            let usualText = (usual.map { $0.element > 0 } ?? false) && within * 2 >= s.iterations
                ? scenario.yearLabel(usual!.offset) : "not within the horizon"
            return ["name": p.name, "p10": money(p.npv.p10), "p50": money(p.npv.p50), "p90": money(p.npv.p90),
                    "probabilityPositive": pct(p.npv.probabilityPositive), "costShare": pct(p.costShare),
                    "usualJoin": usualText, "joinsWithin": pct(Double(within) / Double(s.iterations))]
        }

        // Sensitivity, by swing, largest first.
        c["sensitivity"] = rankedSensitivity(s).map { x -> [String: Any] in
            ["input": x.path, "inputCode": codeSpan(x.path), "low": money(x.meanNPVLow), "high": money(x.meanNPVHigh),
             "swing": money(x.tornadoSwing), "spearman": NumberText.fixed(x.spearman, digits: 2)]
        }
        // Switching values (Green Book): how far each key input must move for NPV to reach 0.
        c["hasSwitchingValues"] = !run.switchingValues.isEmpty
        c["switchingIterations"] = String(RunRecord.switchingValueIterations)
        c["switchingValues"] = run.switchingValues.map { v -> [String: Any] in
            let input = scenario.allInputs.first { $0.path == v.path }
            let unit = input.map { InputUnit.of($0, in: scenario) } ?? .number
            let none = "none from \(unit.format(v.low)) to \(unit.format(v.high))"
            return ["input": v.path, "inputCode": codeSpan(v.path), "median": unit.format(v.median),
                    "deterministic": v.deterministic.map(unit.format) ?? none,
                    "probabilistic": v.probabilistic.map(unit.format) ?? none]
        }
        c["hasRisks"] = !s.risks.isEmpty
        c["risks"] = zip(scenario.risks, s.risks).map { risk, r -> [String: Any] in
            ["name": r.name, "probability": describe(risk.annualProbability, unit: .share),
             "meanOccurrences": NumberText.fixed(r.meanOccurrences, digits: 2), "atLeastOnce": pct(r.probabilityAtLeastOnce)]
        }
        let b = run.baseCase
        func compare(_ label: String, _ metric: ScalarMetric, _ format: (Double) -> String) -> [String: Any] {
            ["label": label, "baseCase": format(b.scalars[metric]?.mean ?? .nan), "mean": format(s.scalars[metric]?.mean ?? .nan)]
        }
        c["baseVsMean"] = [
            compare("Financial NPV", .npvFinancial, money),
            compare("Economic NPV", .npvEconomic, money),
            compare("Benefit–cost ratio", .bcr, { NumberText.fixed($0, digits: 2) }),
            compare("Cashable saving in \(scenario.yearLabel(T - 1))", .finalYearCashableSaving, money),
            compare("One-off costs", .oneOffCosts, money),
            compare("Members in \(scenario.yearLabel(T - 1))", .membersFinalYear, { NumberText.fixed($0, digits: 1) }),
        ]

        // Assumptions register: every input except fixed baseline cells without a source
        // (those are summarised in one line). A source beginning "assumption" marks an
        // input as an assumption (with its reason), never as evidence.
        let inputs = scenario.allInputs
        func isPlainBaselineCell(_ input: Input) -> Bool {
            input.path.hasPrefix("baseline.") && !input.distribution.isRandom && input.source == nil
        }
        let fixedBaseline = inputs.filter(isPlainBaselineCell)
        let listed = inputs.filter { !isPlainBaselineCell($0) }
        c["assumptions"] = listed.map { input -> [String: Any] in
            let unit = InputUnit.of(input, in: scenario)
            let d = input.distribution
            let kind = SourceKind(input.source)
            var row: [String: Any] = [
                "input": input.path, "inputCode": codeSpan(input.path), "written": input.written ?? unit.format(d.median),
                "p10": unit.format(d.quantile(0.1)), "p50": unit.format(d.median), "p90": unit.format(d.quantile(0.9)),
                "source": kind.evidence ?? false, "isDefault": input.location == nil,
                "hasAssumptionNote": kind.isMarkedAssumption]
            if let reason = kind.assumptionReason, !reason.isEmpty { row["assumption"] = reason }
            row["hasAssumptionReason"] = !(kind.assumptionReason ?? "").isEmpty
            return row
        }
        let written = listed.filter { $0.location != nil }
        c["inputCount"] = String(listed.count)
        c["writtenCount"] = String(written.count)
        c["unsourcedCount"] = String(written.filter { $0.source == nil }.count)
        let marked = written.filter { SourceKind($0.source).isMarkedAssumption }.count
        c["markedAssumptionCount"] = String(marked)
        c["hasMarkedAssumptions"] = marked > 0
        c["evidencedCount"] = String(written.filter { SourceKind($0.source).evidence != nil }.count)
        c["fixedBaselineNote"] = fixedBaseline.isEmpty ? "" :
            "In addition, \(NumberText.grouped(Int64(fixedBaseline.count))) baseline figures (FTE, cost per FTE, non-staff cost, volume) are fixed numbers taken from the scenario's baseline\(baselineFileNote(scenario))."

        // Published estimates beside the simulated distribution of the same metric.
        c["hasPublished"] = !run.published.isEmpty
        c["published"] = run.published.map { p -> [String: Any] in
            let format: (Double) -> String = money
            var row: [String: Any] = [
                "metric": p.figure.metric, "metricCode": codeSpan(p.figure.metric), "label": p.label,
                "value": format(p.figure.value), "p10": format(p.p10), "p50": format(p.p50), "p90": format(p.p90),
                "mean": format(p.mean), "percentile": NumberText.percent(p.percentile),
                "within": p.isWithinP10P90 ? "yes" : "no"]
            if let source = p.figure.source { row["source"] = source }
            return row
        }
        let outside = run.published.filter { !$0.isWithinP10P90 }.count
        c["publishedVerdict"] = outside == 0
            ? (run.published.count == 1 ? "The published figure lies within the simulated P10–P90 range."
               : "All \(run.published.count) published figures lie within the simulated P10–P90 range.")
            : "\(outside) of \(run.published.count) published figures lie outside the simulated P10–P90 range: the scenario's inputs do not support \(outside == 1 ? "it" : "them") without further evidence."

        // Method.
        c["seed"] = String(run.settings.seed)
        c["sampling"] = run.isBaseCase ? "base case (no sampling)" : run.settings.sampling.rawValue
        c["generator"] = run.settings.generator.name
        c["blockSize"] = NumberText.grouped(Int64(run.settings.blockSize))
        if let blockSE = run.blockStandardError, !run.isBaseCase {
            // Within a Latin hypercube or Sobol block the iterations are not independent: the
            // honest standard error comes from the spread of the block means.
            c["standardError"] = "\(money(blockSE)) from the spread of the \(NumberText.grouped(Int64(run.settings.plan.blockCount))) independent block means (the formula for independent iterations, sd/√n, would give \(money(npv.se)))"
        } else {
            c["standardError"] = run.isBaseCase ? "none (a single deterministic run)" : money(npv.se)
        }
        c["scenarioFile"] = run.scenarioPath
        c["sha256"] = run.scenarioSHA256
        c["command"] = run.command
        return c
    }

    /// Whether a source is evidence or an assumption: no source, or one that begins
    /// "assumption" (any case, e.g. "assumption: no published figure for this"), is an
    /// assumption; anything else cites evidence.
    struct SourceKind {
        let evidence: String?
        let isMarkedAssumption: Bool
        /// The reason after "assumption:", when the source is marked as an assumption.
        let assumptionReason: String?

        init(_ source: String?) {
            let text = source?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let next = text.dropFirst("assumption".count).first
            if text.lowercased().hasPrefix("assumption"), next == nil || !(next!.isLetter || next!.isNumber) {
                var rest = text.dropFirst("assumption".count)
                while let first = rest.first, first == ":" || first == " " || first == "-" || first == "–" { rest = rest.dropFirst() }
                evidence = nil
                isMarkedAssumption = true
                assumptionReason = String(rest)
            } else {
                evidence = text.isEmpty ? nil : source
                isMarkedAssumption = false
                assumptionReason = nil
            }
        }

        /// True for evidence: a source that is not marked as an assumption.
        static func isEvidenced(_ source: String?) -> Bool { SourceKind(source).evidence != nil }
    }

    /// Inputs ranked by the size of their tornado swing (largest first; ties by path).
    static func rankedSensitivity(_ s: Summary) -> [InputSensitivity] {
        s.sensitivity.filter { !$0.tornadoSwing.isNaN }.sorted {
            abs($0.tornadoSwing) != abs($1.tornadoSwing) ? abs($0.tornadoSwing) > abs($1.tornadoSwing) : $0.path < $1.path
        }
    }

    /// Text safe inside a Markdown code span in a table cell (rendered unescaped with {{{ }}}).
    static func codeSpan(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    static func describe(_ input: Input, unit: InputUnit) -> String {
        input.distribution.isRandom ? (input.written ?? input.distribution.family) : unit.format(input.distribution.median)
    }

    static func cumulativeShares(_ counts: [Int], of total: Int) -> [Double] {
        var running = 0
        return counts.map { running += $0; return Double(running) / Double(total) }
    }

    static func costSharingText(_ sharing: CostSharing) -> String {
        switch sharing {
        case .baseline: "shared costs split in proportion to each member's baseline spend"
        case .equal: "shared costs split equally between members"
        case .population: "shared costs split in proportion to population"
        case .fte: "shared costs split in proportion to baseline FTE"
        case .weights: "shared costs split by the weights agreed in the scenario"
        }
    }

    static func baselineFileNote(_ scenario: Scenario) -> String {
        if let location = scenario.baseline.first?.fte.location, location.file != scenario.file {
            return " file `\(location.file)`"
        }
        return ""
    }
}
