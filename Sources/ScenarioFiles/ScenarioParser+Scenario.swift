import Foundation
import Stochastics
import Yams

extension ScenarioParser {
    static let topLevelKeys = [
        "name", "description", "start_year", "horizon_years", "price_base", "seed", "iterations",
        "generator", "sampling", "discounting", "real_pay_growth", "authorities", "baseline", "functions",
        "adoption", "delay", "delay_cost_per_year", "exit", "min_partners", "benefit_realisation",
        "workforce", "one_off_costs", "ongoing_costs", "optimism_bias", "cost_sharing",
        "efficiency_target", "risks", "correlations", "published",
    ]

    /// The longest horizon: the Green Book STPR schedule is tabulated to year 125.
    static let maximumHorizon = 125
    static let yearRange = 1900...2200

    /// The whole file. Returns nil when anything is wrong (the problems say what).
    /// `overrides` (`--set PATH=VALUE`) replace values in the YAML tree before it is read.
    func parse(yaml: String, overrides: [ScenarioOverride] = []) -> Scenario? {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            reportYAMLError(error, yaml: yaml)
            return nil
        }
        guard var root = composed, !Self.isNull(root) else {
            report(SourceLocation(file: file, line: 1, column: 1), "", "the scenario file is empty",
                   fix: "start from scenarios/example.yaml; a scenario needs at least name, authorities, baseline and functions")
            return nil
        }
        overriddenPaths = overrides.map(\.path)
        if !overrides.isEmpty {
            switch OverrideApplier.apply(overrides, to: root, file: file) {
            case .success(let changed):
                root = changed
            case .failure(let errors):
                for p in errors.problems { report(p.location, p.keyPath, p.problem, fix: p.fix) }
                return nil
            }
        }
        let scenario = parse(root: root)
        if !overrides.isEmpty { attributeToOverrides(overrides) }
        var result = scenario
        result?.overrides = overrides
        return result
    }

    /// Problems inside an overridden value have no line in the file (its nodes carry no
    /// marks): point them at the `--set` whose path they fall under.
    private func attributeToOverrides(_ overrides: [ScenarioOverride]) {
        func related(_ keyPath: String, _ path: String) -> Bool {
            keyPath == path || path.hasPrefix(keyPath + ".") || keyPath.hasPrefix(path + ".")
                || path.hasPrefix(keyPath + "[") || keyPath.hasPrefix(path + "[")
        }
        problems = problems.map { problem in
            var p = problem
            if let location = problem.location {
                // A file value next to an overridden one (e.g. a pert's mode when only
                // its min was set): name the override and keep the file's place.
                if let o = overrides.last(where: { related(problem.keyPath, $0.path) }) {
                    p.location = SourceLocation(file: "\(o.description) (with \(location))", line: 0, column: 0)
                }
            } else if let o = overrides.last(where: { related(problem.keyPath, $0.path) })
                        ?? (overrides.count == 1 ? overrides[0] : nil) {
                p.location = o.location
            }
            return p
        }
    }

    private func parse(root: Node) -> Scenario? {
        guard let top = fields(root, path: "", allowed: Self.topLevelKeys,
                               required: ["name", "authorities", "baseline", "functions"], what: "the scenario") else {
            return nil
        }

        // Plain settings.
        let name = top["name"].flatMap { string($0, path: "name") }
        if let name, name.trimmingSpaces.isEmpty {
            report(top["name"], "name", "the name is blank", fix: "give the scenario a short title")
        }
        let description = top["description"].flatMap { string($0, path: "description") } ?? ""
        let startYear = top["start_year"].map { integer($0, path: "start_year", in: Self.yearRange) } ?? 2026
        let horizon = top["horizon_years"].map {
            integer($0, path: "horizon_years", in: 1...Self.maximumHorizon,
                    rangeFix: "give a number of years from 1 to \(Self.maximumHorizon) (the Green Book discount schedule runs to year 125)")
        } ?? 10
        let priceBase = top["price_base"].map { integer($0, path: "price_base", in: Self.yearRange) } ?? startYear
        let seed = top["seed"].flatMap { readSeed($0) }
        let iterations = top["iterations"].flatMap {
            integer($0, path: "iterations", in: 1...Int.max, rangeFix: "give at least 1 iteration (10,000 or more for stable percentiles)")
        }
        let generator = top["generator"].flatMap { readGenerator($0) }
        let sampling = top["sampling"].flatMap {
            choice($0, path: "sampling", among: SamplingMethod.allCases.map(\.rawValue))
        }
        let discounting = top["discounting"].map { readDiscounting($0) } ?? .greenBook
        let realPayGrowth = optionalInput(top, "real_pay_growth", range: .growth, default: 0)

        // Who, what and how much.
        let authorities = top["authorities"].map { readAuthorities($0, startYear: startYear ?? 2026) } ?? []
        let functions = top["functions"].map { readFunctions($0) } ?? []
        let baseline = top["baseline"].flatMap { readBaseline($0, authorities: authorities, functions: functions) }

        let adoption = top["adoption"].flatMap { readAdoption($0) }
        if adoption == nil, top["adoption"] == nil {
            for authority in authorities where authority.adoptionNode != nil {
                report(authority.adoptionNode, "authorities.\(authority.name).joins",
                       "joins: adoption needs an adoption: block, and the scenario has none",
                       fix: "add e.g. adoption: {model: bass, p: 0.03, q: 0.38, ceiling: 0.8}, or give a join year")
            }
        }
        let delay = optionalInput(top, "delay", range: .nonNegative, default: 0)
        let delayCost = optionalInput(top, "delay_cost_per_year", range: .nonNegative, default: 0)
        let exit = top["exit"].flatMap { readExit($0) }
        let minPartners = top["min_partners"].map {
            integer($0, path: "min_partners", in: 1...Int.max, rangeFix: "give at least 1 (the usual 2 means a service needs two members to run)")
        } ?? 2
        if let minPartners, let node = top["min_partners"], !authorities.isEmpty, minPartners > authorities.count {
            report(node, "min_partners",
                   "min_partners is \(minPartners) but only \(authorities.count) authorities are listed, so the service would never run",
                   fix: "lower min_partners to at most \(authorities.count)")
        } else if top["min_partners"] == nil, authorities.count == 1, declaredAuthorities.count == 1 {
            // One authority and the default of 2: every saving would silently be 0.
            report(top["authorities"], "min_partners",
                   "only one authority is listed and min_partners defaults to 2, so the service would never run",
                   fix: "add min_partners: 1 to model one authority on its own, or list its partners")
        }
        let benefitRealisation = optionalInput(top, "benefit_realisation", range: .nonNegative, default: 1)
        let workforce = top["workforce"].map { readWorkforce($0) } ?? defaultWorkforce()
        let oneOffCosts = top["one_off_costs"].map { readOneOffCosts($0) } ?? []
        let ongoingCosts = top["ongoing_costs"].map { readOngoingCosts($0) } ?? []
        let optimismBias = optionalInput(top, "optimism_bias", range: .nonNegative, default: 0)
        let costSharing = top["cost_sharing"].map { readCostSharing($0, authorities: authorities) } ?? .baseline
        let efficiencyTarget = top["efficiency_target"].map { readEfficiencyTarget($0) } ?? 0.025
        let risks = top["risks"].map { readRisks($0) } ?? []
        let published = top["published"].map {
            readPublished($0, startYear: startYear ?? 2026, horizon: horizon ?? 10)
        } ?? []

        guard let name, let startYear, let horizon, let priceBase, let discounting, let realPayGrowth,
              let baseline, let delay, let delayCost, let minPartners, let benefitRealisation,
              let workforce, let optimismBias, let costSharing, let efficiencyTarget,
              top.has("authorities"), top.has("functions") else {
            // Correlations are still checked, against the inputs that could be read.
            if let node = top["correlations"] { _ = readCorrelations(node, scenarioInputs: []) }
            return nil
        }

        var scenario = Scenario(
            name: name, description: description, startYear: startYear, horizonYears: horizon,
            priceBase: priceBase, seed: seed, iterations: iterations, discounting: discounting,
            realPayGrowth: realPayGrowth,
            authorities: authorities.map(\.authority), baseline: baseline,
            functions: functions.map(\.function),
            adoption: adoption, delay: delay, delayCostPerYear: delayCost, exit: exit,
            minPartners: minPartners, benefitRealisation: benefitRealisation, workforce: workforce,
            oneOffCosts: oneOffCosts, ongoingCosts: ongoingCosts, optimismBias: optimismBias,
            costSharing: costSharing, efficiencyTarget: efficiencyTarget, risks: risks,
            correlations: [], published: published, file: file)
        scenario.generator = generator
        scenario.sampling = sampling
        if costSharing == .population {
            for authority in authorities where authority.authority.population == nil {
                report(authority.node, "authorities.\(authority.name).population",
                       "cost_sharing is population but this authority has no population",
                       fix: "add population: … to every authority, or choose another cost_sharing")
            }
        }
        if let node = top["correlations"] {
            scenario.correlations = readCorrelations(node, scenarioInputs: scenario.allInputs)
        }
        return problems.isEmpty ? scenario : nil
    }

    // MARK: - YAML syntax errors

    private func reportYAMLError(_ error: Error, yaml: String) {
        let fix = "check the indentation and punctuation around this place (a YAML linter or editor can show the structure)"
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
             YamlError.parser(let context, let problem, let mark, _),
             YamlError.composer(let context, let problem, let mark, _):
            var text = "YAML syntax: \(problem)"
            if let context { text += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            report(at(mark), "", text, fix: fix)
        case YamlError.reader(let problem, let offset, _, _):
            var location = SourceLocation(file: file, line: 1, column: 1)
            if let offset {
                let prefix = yaml.utf8.prefix(offset)
                let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                let column = prefix.reversed().prefix { $0 != UInt8(ascii: "\n") }.count + 1
                location = SourceLocation(file: file, line: line, column: column)
            }
            report(location, "", "YAML cannot be read: \(problem)", fix: "save the file as UTF-8 text")
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            reportDuplicateKeys(duplicates, first: context.mark, yaml: yaml)
        default:
            report(SourceLocation(file: file, line: 1, column: 1), "", "YAML cannot be read: \(error)", fix: fix)
        }
    }

    /// Yams stops at a mapping with a repeated key and names the first occurrence; we also
    /// look for the repeat at the same indentation so the message can point at both.
    private func reportDuplicateKeys(_ keys: [String], first: Mark, yaml: String) {
        // Lines as YAML counts them (CR, LF, CRLF, NEL, LS, PS), so marks index into them.
        let lines = yaml.split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
        for key in keys {
            var location = SourceLocation(file: file, line: first.line, column: first.column)
            var firstLine: Int?
            if first.line >= 1, first.column >= 1, first.line < lines.count {
                for index in first.line..<lines.count {
                    let text = lines[index].unicodeScalars
                    guard text.count > first.column - 1 else { continue }
                    let rest = String(String.UnicodeScalarView(text.dropFirst(first.column - 1)))
                    let leading = String(String.UnicodeScalarView(text.prefix(first.column - 1)))
                    guard leading.allSatisfy({ $0 == " " || $0 == "-" }),
                          rest.hasPrefix(key) else { continue }
                    let after = rest.dropFirst(key.count).drop { $0 == " " }
                    if after.hasPrefix(":") {
                        location = SourceLocation(file: file, line: index + 1, column: first.column)
                        firstLine = first.line
                        break
                    }
                }
            }
            let problem = firstLine.map { "'\(key)' is given twice in the same mapping (first at line \($0))" }
                ?? "'\(key)' is given more than once in the same mapping"
            report(location, key, problem, fix: "keep one '\(key)' entry (names of functions and keys must be unique)")
        }
    }

    // MARK: - Settings

    private func readSeed(_ node: Node) -> UInt64? {
        if case .scalar(let s) = node, !s.string.isEmpty, s.string.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let seed = UInt64(s.string) else {
                report(node, "seed", "the seed \(s.string) is too large", fix: "give a whole number from 0 to \(UInt64.max)")
                return nil
            }
            return seed
        }
        guard let x = number(node, path: "seed") else { return nil }
        guard x >= 0, x == x.rounded(), x < 1.8e19 else {
            report(node, "seed", "the seed must be a whole number of 0 or more, got \(formatNumber(x))",
                   fix: "give a whole number from 0 to \(UInt64.max), e.g. 42")
            return nil
        }
        return UInt64(x)
    }

    private func readGenerator(_ node: Node) -> String? {
        guard let name = string(node, path: "generator") else { return nil }
        do {
            _ = try GeneratorKind(named: name)
            return name
        } catch {
            report(node, "generator", error.problem + NearMatches.didYouMean(name, among: GeneratorKind.availableNames),
                   fix: error.fix)
            return nil
        }
    }

    private func readDiscounting(_ node: Node) -> Discounting? {
        if case .scalar = node {
            return choice(node, path: "discounting", among: ["green_book"]).map { _ in .greenBook }
        }
        guard let f = fields(node, path: "discounting", allowed: ["rate"], required: ["rate"], what: "discounting"),
              let rateNode = f["rate"], let rate = number(rateNode, path: "discounting.rate") else { return nil }
        guard rate >= 0, rate < 1 else {
            report(rateNode, "discounting.rate", "the discount rate must be at least 0 and below 1, got \(formatNumber(rate))",
                   fix: "give a yearly rate as a fraction, e.g. 0.035 for 3.5%")
            return nil
        }
        return .constant(rate: rate)
    }

    private func readEfficiencyTarget(_ node: Node) -> Double? {
        guard let x = number(node, path: "efficiency_target") else { return nil }
        guard x >= 0, x <= 1 else {
            report(node, "efficiency_target", "efficiency_target must lie between 0 and 1, got \(formatNumber(x))",
                   fix: "give the yearly target as a fraction, e.g. 0.025 for 2.5% a year")
            return nil
        }
        return x
    }

    /// An optional top-level input; absent means the documented default.
    func optionalInput(_ f: Fields, _ key: String, range: InputRange, default value: Double, path: String? = nil) -> Input? {
        let path = path ?? f.path(key)
        guard let node = f[key] else { return .fixed(value, path: path) }
        return input(node, path: path, range: range, label: key)
    }
}
