import Stochastics
import Yams

/// The values an input may take, checked against the whole support of its distribution
/// (a normal without bounds can go negative, so it cannot be an FTE).
enum InputRange {
    /// Anything finite (e.g. a logistic midpoint).
    case any
    /// ≥ 0: FTE, costs, volumes, delays, factors.
    case nonNegative
    /// [0, 1]: probabilities, shares and rates.
    case fraction
    /// > 0: ramp years, logistic steepness, Bass p.
    case positive
    /// (0, 1]: a cost elasticity.
    case elasticity
    /// (−1, 1]: a growth rate (above 100 % a year would overflow over a long horizon).
    case growth

    var requirement: String {
        switch self {
        case .any: "be a number"
        case .nonNegative: "be 0 or more"
        case .fraction: "lie between 0 and 1"
        case .positive: "be greater than 0"
        case .elasticity: "be greater than 0 and at most 1"
        case .growth: "be greater than -1 and at most 1"
        }
    }

    var fixedFix: String {
        switch self {
        case .any: "give a finite number"
        case .nonNegative: "give a number of 0 or more"
        case .fraction: "give a fraction between 0 and 1, e.g. 0.2 for 20%"
        case .positive: "give a number greater than 0"
        case .elasticity: "give an elasticity above 0 and at most 1 (1 means no economies of scale)"
        case .growth: "give a yearly rate above -1 and at most 1, e.g. 0.01 for 1% a year"
        }
    }

    var interval: String {
        switch self {
        case .any: "(-∞, ∞)"
        case .nonNegative: "[0, ∞)"
        case .fraction: "[0, 1]"
        case .positive: "(0, ∞)"
        case .elasticity: "(0, 1]"
        case .growth: "(-1, 1]"
        }
    }

    /// Whether the lowest value `low` of a distribution is allowed. Lognormal and gamma
    /// report a support of [0, ∞) but never take the value 0, so they are positive.
    func allowsLower(_ low: Double, strictlyAbove: Bool) -> Bool {
        switch self {
        case .any: true
        case .nonNegative, .fraction: low >= 0
        case .positive, .elasticity: low > 0 || (low == 0 && strictlyAbove)
        case .growth: low > -1 || (low == -1 && strictlyAbove)
        }
    }

    func allowsUpper(_ high: Double) -> Bool {
        switch self {
        case .fraction, .elasticity, .growth: high <= 1
        default: true
        }
    }
}

extension ScenarioParser {
    static let families = ["fixed", "value", "uniform", "triangular", "pert", "normal", "lognormal",
                           "beta", "gamma", "discrete", "bernoulli"]

    /// "A distribution anywhere a number goes": a number, money shorthand, or a mapping
    /// with one family key and an optional `source:`. `path` is the canonical input path.
    func input(_ node: Node, path: String, range: InputRange, label: String? = nil) -> Input? {
        let label = label ?? String(path.split(separator: ".").last ?? Substring(path))
        attemptedInputPaths.insert(path)
        let result: Input?
        switch node {
        case .scalar:
            guard let x = number(node, path: path) else { return nil }
            result = Input(.fixed(x), path: path, location: location(node))
        case .mapping:
            result = distributionInput(node, path: path)
        case .sequence, .alias:
            report(node, path, "expected a number or a distribution, found \(Self.kind(node))",
                   fix: "write a number, or one distribution such as {pert: [min, mode, max]}")
            return nil
        }
        guard let result else { return nil }
        let before = problems.count
        checkRange(result, node: node, range: range, label: label)
        guard problems.count == before else { return nil }
        parsedInputs[path] = result
        return result
    }

    func checkRange(_ input: Input, node: Node, range: InputRange, label: String) {
        let d = input.distribution
        let support = d.support
        let strictlyAbove: Bool
        switch d {
        case .lognormal, .gamma: strictlyAbove = true
        default: strictlyAbove = false
        }
        let lowOK = range.allowsLower(support.lowerBound, strictlyAbove: strictlyAbove)
        let highOK = range.allowsUpper(support.upperBound)
        guard !(lowOK && highOK) else { return }
        if case .fixed(let x) = d {
            report(node, input.path, "\(label) must \(range.requirement), got \(formatNumber(x))", fix: range.fixedFix)
            return
        }
        let reach = !lowOK ? "reaches down to \(formatNumber(support.lowerBound))"
                           : "reaches up to \(formatNumber(support.upperBound))"
        var fix = "keep the whole distribution within \(range.interval)"
        if case .normal = d { fix += " (give the normal min: and max: bounds to truncate it)" }
        report(node, input.path, "\(label) must \(range.requirement), but this \(d.family) distribution \(reach)",
               fix: fix)
    }

    private func distributionInput(_ node: Node, path: String) -> Input? {
        let before = problems.count
        guard let f = fields(node, path: path, allowed: Self.families + ["source"], what: "a distribution",
                             inputPath: path) else {
            return nil
        }
        let given = f.order.filter { $0 != "source" }
        var source: String?
        if let s = f["source"] { source = string(s, path: f.path("source")) }
        guard given.count == 1, let family = given.first, let body = f[family] else {
            if given.isEmpty {
                // Unknown keys were reported already; say what is missing only if nothing was.
                guard problems.count == before else { return nil }
                report(node, path, "no distribution given",
                       fix: "write one of: \(Self.families.filter { $0 != "value" }.joined(separator: ", ")), e.g. {pert: {min: 0.1, mode: 0.2, max: 0.3}}")
            } else {
                report(f.keyNode(given[1]) ?? node, path,
                       "one input has several distributions (\(given.joined(separator: ", ")))",
                       fix: "keep exactly one of them")
            }
            return nil
        }
        guard let distribution = distribution(family, body: body, path: path) else { return nil }
        return Input(distribution, path: path, source: source, location: location(node),
                     written: "\(family): \(Self.compact(body))")
    }

    /// A node in one line of flow-style YAML, keeping the user's own spelling of numbers.
    static func compact(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let items): return "[" + items.map(compact).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "{" + pairs.map { "\(compact($0.key)): \(compact($0.value))" }.joined(separator: ", ") + "}"
        case .alias: return "*alias"
        }
    }

    /// Builds one family from its parameters; parameter problems come from Stochastics'
    /// validating constructors (problem and fix), located at the family's parameters.
    private func distribution(_ family: String, body: Node, path: String) -> Distribution? {
        func build(_ make: () throws(StochasticsError) -> Distribution) -> Distribution? {
            do {
                return try make()
            } catch {
                report(body, path, error.problem, fix: error.fix)
                return nil
            }
        }
        switch family {
        case "fixed", "value":
            guard let x = number(body, path: path) else { return nil }
            return build { () throws(StochasticsError) in try .fixedValue(x) }
        case "uniform":
            guard let p = parameters(body, path: path, family: family, positional: ["min", "max"]) else { return nil }
            return build { () throws(StochasticsError) in try .uniform(min: p["min"]!, max: p["max"]!) }
        case "triangular":
            guard let p = parameters(body, path: path, family: family, positional: ["min", "mode", "max"]) else { return nil }
            return build { () throws(StochasticsError) in try .triangular(min: p["min"]!, mode: p["mode"]!, max: p["max"]!) }
        case "pert":
            guard let p = parameters(body, path: path, family: family, positional: ["min", "mode", "max"],
                                     optional: ["lambda"]) else { return nil }
            return build { () throws(StochasticsError) in
                try .pert(min: p["min"]!, mode: p["mode"]!, max: p["max"]!, lambda: p["lambda"] ?? 4)
            }
        case "normal":
            guard let p = parameters(body, path: path, family: family, named: ["mean", "sd", "p10", "p90", "min", "max"])
            else { return nil }
            if p["p10"] != nil || p["p90"] != nil {
                guard p["mean"] == nil, p["sd"] == nil else {
                    report(body, path, "normal: give either mean and sd or p10 and p90, not both",
                           fix: "remove one pair")
                    return nil
                }
                guard let p10 = p["p10"], let p90 = p["p90"] else {
                    report(body, path, "normal: p10 and p90 must be given together", fix: "add the missing percentile")
                    return nil
                }
                return build { () throws(StochasticsError) in try .normal(p10: p10, p90: p90, min: p["min"], max: p["max"]) }
            }
            guard let mean = p["mean"], let sd = p["sd"] else {
                report(body, path, "normal: needs mean and sd (or p10 and p90)",
                       fix: "write e.g. {normal: {mean: 0.25, sd: 0.08, min: 0, max: 1}}")
                return nil
            }
            return build { () throws(StochasticsError) in try .normal(mean: mean, sd: sd, min: p["min"], max: p["max"]) }
        case "lognormal":
            guard let p = parameters(body, path: path, family: family, named: ["median", "p90", "mean", "sd", "p10"])
            else { return nil }
            let forms: [([String], (Double, Double) throws(StochasticsError) -> Distribution)] = [
                (["median", "p90"], { (a, b) throws(StochasticsError) in try .lognormal(median: a, p90: b) }),
                (["mean", "sd"], { (a, b) throws(StochasticsError) in try .lognormal(mean: a, sd: b) }),
                (["p10", "p90"], { (a, b) throws(StochasticsError) in try .lognormal(p10: a, p90: b) }),
            ]
            let keys = Set(p.keys)
            guard let form = forms.first(where: { Set($0.0) == keys }) else {
                report(body, path, "lognormal: give exactly one pair: median and p90, mean and sd, or p10 and p90 (found \(p.keys.sorted().joined(separator: ", ")))",
                       fix: "write e.g. {lognormal: {median: 150000, p90: 600000}}")
                return nil
            }
            return build { () throws(StochasticsError) in try form.1(p[form.0[0]]!, p[form.0[1]]!) }
        case "beta":
            guard let p = parameters(body, path: path, family: family, named: ["alpha", "beta", "min", "max"],
                                     required: ["alpha", "beta"]) else { return nil }
            return build { () throws(StochasticsError) in
                try .beta(alpha: p["alpha"]!, beta: p["beta"]!, min: p["min"] ?? 0, max: p["max"] ?? 1)
            }
        case "gamma":
            guard let p = parameters(body, path: path, family: family, named: ["shape", "scale"],
                                     required: ["shape", "scale"]) else { return nil }
            return build { () throws(StochasticsError) in try .gamma(shape: p["shape"]!, scale: p["scale"]!) }
        case "bernoulli":
            guard let p = parameters(body, path: path, family: family, named: ["p"], required: ["p"]) else { return nil }
            return build { () throws(StochasticsError) in try .bernoulli(p: p["p"]!) }
        case "discrete":
            guard let f = fields(body, path: path, allowed: ["values", "weights"], required: ["values", "weights"],
                                 what: "discrete", inputPath: path, prefix: "discrete: "),
                  let valuesNode = f["values"], let weightsNode = f["weights"] else { return nil }
            let values = numbers(valuesNode, path: path, what: "discrete values", example: "[0, 1, 2]")
            let weights = numbers(weightsNode, path: path, what: "discrete weights", example: "[0.6, 0.3, 0.1]")
            guard let values, let weights else { return nil }
            return build { () throws(StochasticsError) in try .discrete(values: values, weights: weights) }
        default:
            preconditionFailure("unhandled family \(family)")
        }
    }

    /// A list of plain numbers.
    func numbers(_ node: Node, path: String, what: String, example: String) -> [Double]? {
        guard let items = list(node, path: path, example: example) else { return nil }
        var result: [Double] = []
        var ok = true
        for item in items {
            if let x = number(item, path: path) { result.append(x) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// Parameters written as a mapping (`{min: 1, max: 2}`) or, for families with a natural
    /// order, as a list (`[1, 2]`). Every parameter must be a plain number.
    private func parameters(_ body: Node, path: String, family: String, positional: [String],
                            optional: [String] = []) -> [String: Double]? {
        if case .sequence(let items) = body {
            guard items.count == positional.count else {
                report(body, path, "\(family): the list form takes \(positional.count) numbers [\(positional.joined(separator: ", "))], found \(items.count)",
                       fix: optional.isEmpty ? "give [\(positional.joined(separator: ", "))]"
                           : "give [\(positional.joined(separator: ", "))], or use the long form {\(family): {\((positional + optional).map { "\($0): …" }.joined(separator: ", "))}} for \(optional.joined(separator: ", "))")
                return nil
            }
            var result: [String: Double] = [:]
            var ok = true
            for (name, item) in zip(positional, items) {
                if let x = number(item, path: path) { result[name] = x } else { ok = false }
            }
            return ok ? result : nil
        }
        return parameters(body, path: path, family: family, named: positional + optional, required: positional)
    }

    private func parameters(_ body: Node, path: String, family: String, named: [String],
                            required: [String] = []) -> [String: Double]? {
        guard case .mapping = body else {
            report(body, path, "\(family): expected its parameters {\(named.joined(separator: ", "))}, found \(Self.kind(body))",
                   fix: "write e.g. {\(family): {\(named.prefix(required.isEmpty ? 2 : required.count).map { "\($0): …" }.joined(separator: ", "))}}")
            return nil
        }
        let before = problems.count
        guard let f = fields(body, path: path, allowed: named, required: required, what: family,
                             inputPath: path, prefix: "\(family): ") else { return nil }
        var result: [String: Double] = [:]
        for key in f.order {
            if let x = number(f[key]!, path: path) { result[key] = x }
        }
        return problems.count == before ? result : nil
    }
}
