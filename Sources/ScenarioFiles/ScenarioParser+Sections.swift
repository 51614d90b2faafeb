import Foundation
import Stochastics
import Yams

/// An authority as read, with the nodes later checks point at.
struct ParsedAuthority {
    var name: String
    var authority: Authority
    var node: Node
    /// The `joins: adoption` value, if that is how it joins.
    var adoptionNode: Node?
}

/// A function as read, with its key (for "no baseline row" problems).
struct ParsedFunction {
    var name: String
    var function: BackOfficeFunction
    var keyNode: Node
}

extension ScenarioParser {
    // MARK: - Authorities

    func readAuthorities(_ node: Node, startYear: Int) -> [ParsedAuthority] {
        guard let items = list(node, path: "authorities",
                               example: "- {name: Northdown District Council, joins: 0, population: 98000}") else { return [] }
        if items.isEmpty {
            report(node, "authorities", "no authorities are listed", fix: "list at least one authority with name and joins")
        }
        var result: [ParsedAuthority] = []
        var firstLine: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let f = fields(item, path: "authorities[\(index)]", allowed: ["name", "joins", "population"],
                                 required: ["name"], what: "an authority") else { continue }
            guard let nameNode = f["name"], let name = string(nameNode, path: f.path("name")) else { continue }
            let path = "authorities.\(name)"
            if !declaredAuthorities.contains(name) { declaredAuthorities.append(name) }
            if let line = firstLine[name] {
                report(nameNode, path, "the authority '\(name)' is listed twice (first at line \(line))",
                       fix: "give each authority once, with a unique name")
                continue
            }
            firstLine[name] = nameNode.mark?.line ?? 0
            var joins: JoinRule? = .year(.fixed(0, path: "\(path).joins"))
            var adoptionNode: Node?
            if let joinsNode = f["joins"] {
                if case .scalar(let s) = joinsNode, s.string == "adoption" {
                    joins = .adoption
                    adoptionNode = joinsNode
                } else if let year = input(joinsNode, path: "\(path).joins", range: .nonNegative, label: "joins") {
                    joins = .year(year)
                    if case .fixed(let x) = year.distribution {
                        if x != x.rounded() {
                            report(joinsNode, year.path, "joins must be a whole year index, got \(formatNumber(x))",
                                   fix: "give the year counted from start_year (0 = first year), e.g. 1")
                            joins = nil
                        } else if x >= 1000 {
                            report(joinsNode, year.path,
                                   "joins is a year index counted from start_year, not a calendar year (got \(formatNumber(x)))",
                                   fix: "write \(Int(x) - startYear) for \(Int(x))/\(String(format: "%02d", (Int(x) + 1) % 100)) (0 = the first year, \(startYear)/\(String(format: "%02d", (startYear + 1) % 100)))")
                            joins = nil
                        }
                    }
                } else {
                    joins = nil
                }
            }
            var population: Double?
            if let populationNode = f["population"] {
                if let x = number(populationNode, path: "\(path).population") {
                    if x < 0 {
                        report(populationNode, "\(path).population", "population must be 0 or more, got \(formatNumber(x))",
                               fix: "give the number of residents")
                    } else {
                        population = x
                    }
                }
            }
            guard let joins else { continue }
            result.append(ParsedAuthority(
                name: name,
                authority: Authority(name: name, joins: joins, population: population, location: location(item)),
                node: item, adoptionNode: adoptionNode))
        }
        return result
    }

    // MARK: - Functions

    func readFunctions(_ node: Node) -> [ParsedFunction] {
        guard case .mapping(let mapping) = node else {
            report(node, "functions", "expected a mapping from function name to its settings, found \(Self.kind(node))",
                   fix: "write e.g.\n  functions:\n    hr.payroll:\n      saving: {rate: 0.15}")
            return []
        }
        if mapping.isEmpty {
            report(node, "functions", "no functions are given", fix: "give at least one back-office function with its saving")
        }
        var result: [ParsedFunction] = []
        for (keyNode, body) in mapping {
            guard case .scalar(let key) = keyNode, !Self.isNull(keyNode) else {
                report(keyNode, "functions", "a function name must be plain text, found \(Self.kind(keyNode))",
                       fix: "name the function, e.g. hr.payroll")
                continue
            }
            declaredFunctions.append(key.string)
            if let function = readFunction(key.string, body: body) {
                result.append(ParsedFunction(name: key.string, function: function, keyNode: keyNode))
            }
        }
        return result
    }

    private func readFunction(_ name: String, body: Node) -> BackOfficeFunction? {
        let path = "functions.\(name)"
        guard let f = fields(body, path: path, allowed: ["saving", "non_staff_saving", "ramp", "cashable_share"],
                             required: ["saving"], what: "a function") else { return nil }
        let saving = f["saving"].flatMap { readSaving($0, path: "\(path).saving") }
        let nonStaff = optionalInput(f, "non_staff_saving", range: .fraction, default: 0)
        let cashable = optionalInput(f, "cashable_share", range: .fraction, default: 1)
        let ramp = f["ramp"].map { readRamp($0, path: "\(path).ramp") } ?? .immediate
        guard let saving, let nonStaff, let cashable, let ramp else { return nil }
        return BackOfficeFunction(name: name, saving: saving, nonStaffSaving: nonStaff, ramp: ramp,
                                  cashableShare: cashable, location: location(body))
    }

    private func readSaving(_ node: Node, path: String) -> SavingRule? {
        guard let f = fields(node, path: path, allowed: ["rate", "scale"], what: "a saving") else { return nil }
        guard f.order.count == 1 else {
            if f.order.isEmpty {
                report(node, path, "the saving needs rate or scale",
                       fix: "write {rate: 0.15} for a saving rate, or {scale: 0.9} for a cost elasticity")
            } else {
                report(node, path, "give either rate or scale, not both", fix: "keep one of them")
            }
            return nil
        }
        // Both forms are the input `functions.<f>.saving` (correlations may add .rate/.scale).
        if let rate = f["rate"] {
            return input(rate, path: path, range: .fraction, label: "a saving rate").map { .rate($0) }
        }
        return input(f["scale"]!, path: path, range: .elasticity, label: "a cost elasticity").map { .scale(elasticity: $0) }
    }

    private func readRamp(_ node: Node, path: String) -> RealisationRamp? {
        if case .scalar(let s) = node {
            if s.string == "immediate" { return .immediate }
            if ["linear", "logistic", "steps"].contains(s.string) {
                report(node, path, "the \(s.string) ramp needs its parameters",
                       fix: s.string == "linear" ? "write {linear: {years: 2}}"
                           : s.string == "logistic" ? "write {logistic: {midpoint: 1.5, steepness: 2}}"
                           : "write {steps: [0.5, 1.0]}")
                return nil
            }
            report(node, path, "'\(s.string)' is not a ramp" + NearMatches.didYouMean(s.string, among: ["immediate", "linear", "logistic", "steps"]),
                   fix: "write immediate, {linear: {years: R}}, {logistic: {midpoint: x0, steepness: k}} or {steps: [a0, a1, …]}")
            return nil
        }
        guard let f = fields(node, path: path, allowed: ["linear", "logistic", "steps"], what: "a ramp") else { return nil }
        guard f.order.count == 1, let shape = f.order.first, let body = f[shape] else {
            report(node, path, f.order.isEmpty ? "no ramp shape given" : "give one ramp shape, not \(f.order.count)",
                   fix: "write immediate, {linear: {years: R}}, {logistic: {midpoint: x0, steepness: k}} or {steps: [a0, a1, …]}")
            return nil
        }
        switch shape {
        case "linear":
            guard let g = fields(body, path: path, allowed: ["years"], required: ["years"], what: "a linear ramp"),
                  let years = g["years"] else { return nil }
            return input(years, path: "\(path).years", range: .positive, label: "ramp years").map { .linear(years: $0) }
        case "logistic":
            guard let g = fields(body, path: path, allowed: ["midpoint", "steepness"],
                                 required: ["midpoint", "steepness"], what: "a logistic ramp") else { return nil }
            let midpoint = g["midpoint"].flatMap { input($0, path: "\(path).midpoint", range: .any) }
            let steepness = g["steepness"].flatMap { input($0, path: "\(path).steepness", range: .positive) }
            guard let midpoint, let steepness else { return nil }
            return .logistic(midpoint: midpoint, steepness: steepness)
        default:
            guard let items = list(body, path: "\(path).steps", example: "[0.5, 1.0]") else { return nil }
            guard !items.isEmpty else {
                report(body, "\(path).steps", "the steps list is empty", fix: "give the share realised in each year, e.g. [0.5, 1.0]")
                return nil
            }
            let steps = items.enumerated().map { k, item in
                input(item, path: "\(path).steps[\(k)]", range: .fraction, label: "a step")
            }
            let all = steps.compactMap { $0 }
            return all.count == steps.count ? .steps(all) : nil
        }
    }

    // MARK: - Adoption, exit, workforce

    func readAdoption(_ node: Node) -> BassAdoption? {
        guard let f = fields(node, path: "adoption", allowed: ["model", "p", "q", "ceiling"],
                             required: ["p", "q", "ceiling"], what: "adoption") else { return nil }
        if let model = f["model"] { _ = choice(model, path: "adoption.model", among: ["bass"]) }
        let p = f["p"].flatMap { input($0, path: "adoption.p", range: .positive, label: "p (innovation)") }
        let q = f["q"].flatMap { input($0, path: "adoption.q", range: .nonNegative, label: "q (imitation)") }
        let ceiling = f["ceiling"].flatMap { input($0, path: "adoption.ceiling", range: .fraction, label: "ceiling") }
        guard let p, let q, let ceiling else { return nil }
        return BassAdoption(p: p, q: q, ceiling: ceiling)
    }

    func readExit(_ node: Node) -> ExitRule? {
        guard let f = fields(node, path: "exit", allowed: ["annual_hazard", "cost"], required: ["annual_hazard"],
                             what: "exit") else { return nil }
        let hazard = f["annual_hazard"].flatMap { input($0, path: "exit.annual_hazard", range: .fraction, label: "annual_hazard") }
        let cost = optionalInput(f, "cost", range: .nonNegative, default: 0)
        guard let hazard, let cost else { return nil }
        return ExitRule(annualHazard: hazard, cost: cost)
    }

    func defaultWorkforce() -> Workforce {
        Workforce(redundancyCostPerFTE: .fixed(0, path: "workforce.redundancy_cost_per_fte"),
                  attritionAbsorbs: .fixed(0, path: "workforce.attrition_absorbs"))
    }

    func readWorkforce(_ node: Node) -> Workforce? {
        guard let f = fields(node, path: "workforce", allowed: ["redundancy_cost_per_fte", "attrition_absorbs"],
                             what: "workforce") else { return nil }
        let redundancy = optionalInput(f, "redundancy_cost_per_fte", range: .nonNegative, default: 0)
        let attrition = optionalInput(f, "attrition_absorbs", range: .fraction, default: 0)
        guard let redundancy, let attrition else { return nil }
        return Workforce(redundancyCostPerFTE: redundancy, attritionAbsorbs: attrition)
    }

    // MARK: - Cost lines and risks

    /// Reads a list of named items, reporting repeated names; `read` gets the item's
    /// fields and its path (`one_off_costs.<name>`).
    private func namedItems<T>(_ node: Node, section: String, allowed: [String], required: [String] = [],
                               example: String, read: (Fields, String) -> T?) -> [T] {
        guard let items = list(node, path: section, example: example) else { return [] }
        var result: [T] = []
        var firstLine: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let f = fields(item, path: "\(section)[\(index)]", allowed: allowed, required: ["name"] + required,
                                 what: "each entry") else { continue }
            guard let nameNode = f["name"], let name = string(nameNode, path: f.path("name")) else { continue }
            let path = "\(section).\(name)"
            if let line = firstLine[name] {
                report(nameNode, path, "the name '\(name)' is used twice in \(section) (first at line \(line))",
                       fix: "give each entry its own name (names label the report lines and the inputs)")
                continue
            }
            firstLine[name] = nameNode.mark?.line ?? 0
            if let value = read(f, path) { result.append(value) }
        }
        return result
    }

    func readOneOffCosts(_ node: Node) -> [OneOffCost] {
        namedItems(node, section: "one_off_costs", allowed: ["name", "amount", "profile", "per_joiner"],
                   example: "- {name: ICT implementation, amount: 600000, profile: [0.6, 0.4]}") { f, path in
            let name = String(path.dropFirst("one_off_costs.".count))
            switch (f["amount"], f["per_joiner"]) {
            case (nil, nil):
                report(f.node, path, "a one-off cost needs amount (with an optional profile) or per_joiner",
                       fix: "add amount: … or per_joiner: …")
                return nil
            case (_?, _?):
                report(f.keyNode("per_joiner"), path, "give either amount or per_joiner, not both",
                       fix: "split it into two cost lines")
                return nil
            case (nil, let perJoiner?):
                if let profile = f.keyNode("profile") {
                    report(profile, "\(path).profile", "a per_joiner cost has no profile (it falls in each joiner's join year)",
                           fix: "remove the profile, or use amount: with profile:")
                }
                return input(perJoiner, path: "\(path).per_joiner", range: .nonNegative, label: "a cost")
                    .map { OneOffCost(name: name, charge: .perJoiner($0)) }
            case (let amountNode?, nil):
                let amount = input(amountNode, path: "\(path).amount", range: .nonNegative, label: "a cost")
                let profile = f["profile"].map { readProfile($0, path: "\(path).profile") } ?? [1]
                guard let amount, let profile else { return nil }
                return OneOffCost(name: name, charge: .profiled(amount: amount, profile: profile))
            }
        }
    }

    /// Shares of a one-off amount by year from t = 0: each ≥ 0, summing to 1 within 1e-9.
    private func readProfile(_ node: Node, path: String) -> [Double]? {
        guard let shares = numbers(node, path: path, what: "profile shares", example: "[0.6, 0.4]") else { return nil }
        guard !shares.isEmpty else {
            report(node, path, "the profile is empty", fix: "give the share of the amount spent in each year, e.g. [0.6, 0.4]")
            return nil
        }
        if let k = shares.firstIndex(where: { $0 < 0 }) {
            report(node, path, "profile share \(k + 1) is negative (\(formatNumber(shares[k])))",
                   fix: "give shares of 0 or more that add up to 1")
            return nil
        }
        let total = shares.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else {
            report(node, path, "the profile shares add up to \(formatNumber(total)), not 1",
                   fix: "make the shares add up to exactly 1, e.g. [0.6, 0.4]")
            return nil
        }
        return shares
    }

    func readOngoingCosts(_ node: Node) -> [OngoingCost] {
        namedItems(node, section: "ongoing_costs", allowed: ["name", "annual", "per_member_annual"],
                   example: "- {name: Joint committee, annual: 90000}") { f, path in
            let name = String(path.dropFirst("ongoing_costs.".count))
            switch (f["annual"], f["per_member_annual"]) {
            case (nil, nil):
                report(f.node, path, "an ongoing cost needs annual or per_member_annual", fix: "add annual: … or per_member_annual: …")
                return nil
            case (_?, _?):
                report(f.keyNode("per_member_annual"), path, "give either annual or per_member_annual, not both",
                       fix: "split it into two cost lines")
                return nil
            case (let annual?, nil):
                return input(annual, path: "\(path).annual", range: .nonNegative, label: "a cost")
                    .map { OngoingCost(name: name, charge: .annual($0)) }
            case (nil, let perMember?):
                return input(perMember, path: "\(path).per_member_annual", range: .nonNegative, label: "a cost")
                    .map { OngoingCost(name: name, charge: .perMember($0)) }
            }
        }
    }

    func readRisks(_ node: Node) -> [RiskEvent] {
        namedItems(node, section: "risks", allowed: ["name", "annual_probability", "cost", "savings_factor"],
                   required: ["annual_probability"],
                   example: "- {name: ICT failure, annual_probability: 0.04, cost: 150000}") { f, path in
            let name = String(path.dropFirst("risks.".count))
            let probability = f["annual_probability"].flatMap {
                input($0, path: "\(path).annual_probability", range: .fraction, label: "annual_probability")
            }
            let cost = f["cost"].map { input($0, path: "\(path).cost", range: .nonNegative, label: "a cost") }
            let factor = f["savings_factor"].map {
                input($0, path: "\(path).savings_factor", range: .nonNegative, label: "savings_factor")
            }
            guard let probability, cost != .some(nil), factor != .some(nil) else { return nil }
            return RiskEvent(name: name, annualProbability: probability, cost: cost ?? nil, savingsFactor: factor ?? nil)
        }
    }

    // MARK: - Cost sharing

    func readCostSharing(_ node: Node, authorities: [ParsedAuthority]) -> CostSharing? {
        let words = ["baseline", "equal", "population", "fte"]
        if case .scalar = node {
            switch choice(node, path: "cost_sharing", among: words + ["weights"]) {
            case "baseline": return .baseline
            case "equal": return .equal
            case "population": return .population
            case "fte": return .fte
            case "weights":
                report(node, "cost_sharing", "weights need the weight of each authority",
                       fix: "write cost_sharing: {weights: {Authority A: 0.6, Authority B: 0.4}}")
                return nil
            default: return nil
            }
        }
        guard let f = fields(node, path: "cost_sharing", allowed: ["weights"], required: ["weights"], what: "cost_sharing"),
              let weightsNode = f["weights"] else { return nil }
        guard case .mapping(let mapping) = weightsNode else {
            report(weightsNode, "cost_sharing.weights", "expected a mapping from authority name to weight, found \(Self.kind(weightsNode))",
                   fix: "write {weights: {Authority A: 0.6, Authority B: 0.4}}")
            return nil
        }
        let names = authorities.map(\.name)
        var weights: [String: Double] = [:]
        var ok = true
        for (keyNode, valueNode) in mapping {
            let name = keyNode.string ?? ""
            let path = "cost_sharing.weights.\(name)"
            guard names.contains(name) else {
                if declaredAuthorities.contains(name) { ok = false; continue }  // reported where it is defined
                report(keyNode, path, "'\(name)' is not one of the authorities" + NearMatches.didYouMean(name, among: declaredAuthorities),
                       fix: "use the names exactly as listed under authorities:")
                ok = false
                continue
            }
            guard let w = number(valueNode, path: path) else { ok = false; continue }
            guard w >= 0 else {
                report(valueNode, path, "a cost-sharing weight must be 0 or more, got \(formatNumber(w))",
                       fix: "give each authority a weight of 0 or more (they need not add up to 1)")
                ok = false
                continue
            }
            weights[name] = w
        }
        let missing = names.filter { name in !mapping.keys.contains { $0.string == name } }
        if !missing.isEmpty {
            report(weightsNode, "cost_sharing.weights",
                   "no weight for \(missing.map { "'\($0)'" }.joined(separator: ", "))",
                   fix: "give every authority a weight (0 if it pays nothing)")
            ok = false
        }
        return ok ? .weights(names.map { weights[$0]! }) : nil
    }

    // MARK: - Published figures

    func readPublished(_ node: Node, startYear: Int, horizon: Int) -> [PublishedFigure] {
        guard let items = list(node, path: "published",
                               example: "- {metric: cumulative_net_financial, through_year: 2030, value: 1.2e6}") else { return [] }
        var result: [PublishedFigure] = []
        let lastYear = startYear + horizon - 1
        for (index, item) in items.enumerated() {
            let path = "published[\(index)]"
            guard let f = fields(item, path: path, allowed: ["metric", "value", "through_year", "from_year", "year", "source"],
                                 required: ["metric", "value"], what: "a published figure") else { continue }
            let metric = f["metric"].flatMap { string($0, path: f.path("metric")) }
            let value = f["value"].flatMap { number($0, path: f.path("value")) }
            var years: [String: Int] = [:]
            var ok = true
            for key in ["through_year", "from_year", "year"] {
                guard let yearNode = f[key] else { continue }
                if let year = integer(yearNode, path: f.path(key), in: startYear...lastYear,
                                      rangeFix: "give a financial year within the case, \(startYear) to \(lastYear) (the first calendar year of it, e.g. \(startYear) for \(startYear)/\(String(format: "%02d", (startYear + 1) % 100)))") {
                    years[key] = year
                } else {
                    ok = false
                }
            }
            let source = f["source"].flatMap { string($0, path: f.path("source")) }
            if let metric, let metricNode = f["metric"], !checkPublishedMetric(metric, node: metricNode, item: item, years: years, yearsRead: ok, path: path) {
                ok = false
            }
            guard let metric, let value, ok else { continue }
            result.append(PublishedFigure(metric: metric, throughYear: years["through_year"], fromYear: years["from_year"],
                                          year: years["year"], value: value, source: source, location: location(item)))
        }
        return result
    }

    /// A published figure's metric must be a known one (with a suggestion otherwise), with
    /// the years it takes: none for an NPV, `through_year` for a cumulative figure, and
    /// either `year` or a `from_year`/`through_year` range for a flow.
    private func checkPublishedMetric(_ metric: String, node: Node, item: Node, years: [String: Int], yearsRead: Bool,
                                      path: String) -> Bool {
        guard let known = PublishedMetric(rawValue: metric) else {
            report(node, "\(path).metric", "unknown metric '\(metric)'" + NearMatches.didYouMean(metric, among: PublishedMetric.names),
                   fix: "use one of: \(PublishedMetric.names.joined(separator: ", "))")
            return false
        }
        // A year that failed to read was reported already; do not also call it missing.
        guard yearsRead else { return false }
        switch known.period {
        case .wholeCase:
            if !years.isEmpty {
                report(item, path, "\(metric) covers the whole case and takes no year",
                       fix: "remove \(years.keys.sorted().joined(separator: " and "))")
                return false
            }
        case .cumulative:
            if years["year"] != nil {
                report(item, path, "\(metric) is a running total and takes through_year, not year",
                       fix: "write through_year: (and from_year: if it does not start in the first year)")
                return false
            }
            if years["through_year"] == nil {
                report(item, path, "\(metric) needs through_year: the last financial year of the total",
                       fix: "add through_year, e.g. through_year: 2030 for a total up to and including 2030/31")
                return false
            }
        case .yearOrRange:
            if years["year"] != nil && (years["from_year"] != nil || years["through_year"] != nil) {
                report(item, path, "\(metric) takes either year (one year) or from_year/through_year (a total over a range), not both",
                       fix: "keep year: for a figure in one year, or from_year/through_year for a total")
                return false
            }
            if years.isEmpty {
                report(item, path, "\(metric) needs a year: which financial year the figure is for",
                       fix: "add year: (e.g. year: 2030 for 2030/31), or from_year/through_year for a total over several years")
                return false
            }
        }
        if let from = years["from_year"], let through = years["through_year"], from > through {
            report(item, path, "from_year (\(from)) is after through_year (\(through))",
                   fix: "give from_year ≤ through_year")
            return false
        }
        return true
    }

    // MARK: - Correlations

    /// Reads correlations, checking that both names are random inputs: of the built
    /// scenario (`scenarioInputs`, defaults included) or read elsewhere in the file. A
    /// name whose input failed to read is not reported again.
    func readCorrelations(_ node: Node, scenarioInputs: [Input]) -> [Correlation] {
        var known = parsedInputs
        for input in scenarioInputs { known[input.path] = input }
        guard let items = list(node, path: "correlations",
                               example: "- {between: [\"functions.hr.payroll.saving\", \"delay\"], spearman: 0.3}") else { return [] }
        let randomPaths = Set(known.values.filter(\.distribution.isRandom).map(\.path))
        // Sorted (for the "did you mean" list) only when a name needs reporting: a large
        // baseline has thousands of inputs, and sorting their paths cost 20 ms a load.
        func sortedInputs() -> [Input] { known.values.sorted { $0.path < $1.path } }
        var result: [Correlation] = []
        var seen: [Set<String>: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "correlations[\(index)]"
            guard let f = fields(item, path: path, allowed: ["between", "spearman"], required: ["between", "spearman"],
                                 what: "a correlation") else { continue }
            var names: [String]?
            if let between = f["between"], let items = list(between, path: f.path("between"), example: "[\"delay\", \"functions.hr.payroll.saving\"]") {
                if items.count != 2 {
                    report(between, f.path("between"), "a correlation is between exactly 2 inputs, found \(items.count)",
                           fix: "give two input paths; add more correlations for more pairs")
                } else {
                    let read = items.compactMap { string($0, path: f.path("between")) }
                    if read.count == 2 { names = read.map(Self.normaliseCorrelationPath) }
                    // A correlation with an input that a --set override made a fixed
                    // number is dropped: a constant has no rank to correlate.
                    if let n = names, n.contains(where: { name in
                        !randomPaths.contains(name) && overriddenPaths.contains { $0 == name || $0.hasPrefix(name + ".") }
                    }) {
                        continue
                    }
                    if let names {
                        for (name, nameNode) in zip(names, items) where !randomPaths.contains(name) {
                            if attemptedInputPaths.contains(name) && known[name] == nil { continue }
                            reportNotRandom(name, node: nameNode, path: f.path("between"), inputs: sortedInputs())
                        }
                    }
                }
            }
            var rho: Double?
            if let spearmanNode = f["spearman"], let x = number(spearmanNode, path: f.path("spearman")) {
                if x > -1, x < 1 {
                    rho = x
                } else {
                    report(spearmanNode, f.path("spearman"), "spearman must lie strictly between -1 and 1, got \(formatNumber(x))",
                           fix: "give a rank correlation such as -0.3 or 0.5 (±1 would make the correlation matrix singular; use 0.99 for near-perfect)")
                }
            }
            guard let names, let rho else { continue }
            if names[0] == names[1] {
                report(f["between"], f.path("between"), "an input cannot be correlated with itself ('\(names[0])')",
                       fix: "name two different inputs")
                continue
            }
            let pair = Set(names)
            if let line = seen[pair] {
                report(item, path, "the correlation between '\(names[0])' and '\(names[1])' is already given (line \(line))",
                       fix: "give each pair once")
                continue
            }
            seen[pair] = item.mark?.line ?? 0
            result.append(Correlation(first: names[0], second: names[1], spearman: rho, location: location(item)))
        }
        return result
    }

    /// `functions.<f>.saving.rate` and `.saving.scale` name the input `functions.<f>.saving`.
    static func normaliseCorrelationPath(_ path: String) -> String {
        for suffix in [".saving.rate", ".saving.scale"] where path.hasPrefix("functions.") && path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count - ".saving".count))
        }
        return path
    }

    private func reportNotRandom(_ name: String, node: Node, path: String, inputs: [Input]) {
        let candidates = inputs.filter(\.distribution.isRandom).map(\.path)
        if inputs.contains(where: { $0.path == name }) {
            report(node, path, "'\(name)' is a fixed number in this scenario, so it cannot be correlated",
                   fix: "give it a distribution, or correlate inputs that have one")
            return
        }
        var near = NearMatches.suggestions(for: name, among: candidates, limit: 3)
        if near.isEmpty {
            // Same section, e.g. other inputs under `functions.hr.payroll`.
            let prefix = name.split(separator: ".").prefix(2).joined(separator: ".")
            near = Array(candidates.filter { $0.hasPrefix(prefix) }.prefix(3))
        }
        let hint = near.isEmpty ? "" : "; near matches: " + near.map { "'\($0)'" }.joined(separator: ", ")
        report(node, path, "'\(name)' is not a random input of this scenario" + hint,
               fix: "name an input that has a distribution, by its path (e.g. functions.<function>.saving, one_off_costs.<name>.amount)")
    }
}
