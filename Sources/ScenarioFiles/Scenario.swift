import Stochastics

// The validated scenario: what a scenario file means, in the model's terms
// (MODEL.md §1–§7). Loading and validation live in ScenarioLoader; the model only
// ever sees a `Scenario` that passed validation.

/// Where something was written: file, line and column (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    /// `file:line:column`, or just the origin for something not in a file (a `--set`
    /// override, line 0).
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }
}

/// An uncertain number from the scenario: its distribution, the citation behind it, the
/// key path that names it (`functions.hr.payroll.saving`), and where it was written.
/// Drawn once per iteration at the place it is written (MODEL.md §2).
public struct Input: Sendable, Hashable {
    public var distribution: Distribution
    public var source: String?
    /// Canonical key path, used in reports, correlations and (later) `--set`.
    public var path: String
    public var location: SourceLocation?
    /// The distribution as the user wrote it (`pert: {min: 0.1, mode: 0.2, max: 0.35}`), for
    /// the assumptions register; nil for plain numbers and inputs built in code.
    public var written: String?

    public init(_ distribution: Distribution, path: String, source: String? = nil, location: SourceLocation? = nil,
                written: String? = nil) {
        self.distribution = distribution
        self.path = path
        self.source = source
        self.location = location
        self.written = written
    }

    public static func fixed(_ x: Double, path: String) -> Input { Input(.fixed(x), path: path) }
}

/// How the Green Book discount rate runs over the years (MODEL.md §1).
public enum Discounting: Sendable, Hashable {
    /// HM Treasury STPR: 3.5 % for years 0–30, 3.0 % for 31–75, 2.5 % for 76–125, then 2.0 %
    /// (Green Book 2022, Annex A6, table 8).
    case greenBook
    /// One rate every year.
    case constant(rate: Double)
}

/// When an authority joins the shared service.
public enum JoinRule: Sendable, Hashable {
    /// In a given year index (0 = first year of the case); may be a distribution, floored.
    case year(Input)
    /// Drawn from the consortium's Bass adoption curve.
    case adoption
}

public struct Authority: Sendable, Hashable {
    public var name: String
    public var joins: JoinRule
    public var population: Double?
    public var location: SourceLocation?
    public init(name: String, joins: JoinRule, population: Double? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.joins = joins
        self.population = population
        self.location = location
    }
}

/// One authority–function row of the baseline (MODEL.md §3).
public struct BaselineRow: Sendable, Hashable {
    /// Index into `Scenario.authorities`.
    public var authority: Int
    /// Index into `Scenario.functions`.
    public var function: Int
    public var fte: Input
    /// Fully loaded annual cost per FTE (salary + on-costs), £.
    public var costPerFTE: Input
    /// Annual non-staff cost (systems, licences, accommodation), £.
    public var nonStaff: Input
    /// Workload driver for scale economies; nil means "use fte".
    public var volume: Input?
    public var location: SourceLocation?
    public init(authority: Int, function: Int, fte: Input, costPerFTE: Input, nonStaff: Input, volume: Input? = nil, location: SourceLocation? = nil) {
        self.authority = authority
        self.function = function
        self.fte = fte
        self.costPerFTE = costPerFTE
        self.nonStaff = nonStaff
        self.volume = volume
        self.location = location
    }
}

/// How a function's saving rate at full realisation is set (MODEL.md §5).
public enum SavingRule: Sendable, Hashable {
    /// s = σ.
    case rate(Input)
    /// s = 1 − (Σ V)^β / Σ V^β, with cost elasticity β ∈ (0, 1].
    case scale(elasticity: Input)
}

/// The realisation ramp ρ(k) by years since joining (MODEL.md §5), x = k + 1.
public enum RealisationRamp: Sendable, Hashable {
    case immediate
    case linear(years: Input)
    case logistic(midpoint: Input, steepness: Input)
    case steps([Input])
}

/// A back-office function in scope (e.g. `finance.accounts_payable`).
public struct BackOfficeFunction: Sendable, Hashable {
    public var name: String
    public var saving: SavingRule
    public var nonStaffSaving: Input
    public var ramp: RealisationRamp
    public var cashableShare: Input
    public var location: SourceLocation?
    public init(name: String, saving: SavingRule, nonStaffSaving: Input, ramp: RealisationRamp, cashableShare: Input, location: SourceLocation? = nil) {
        self.name = name
        self.saving = saving
        self.nonStaffSaving = nonStaffSaving
        self.ramp = ramp
        self.cashableShare = cashableShare
        self.location = location
    }
}

/// Bass (1969) adoption: innovation p, imitation q, and the share that ever joins.
public struct BassAdoption: Sendable, Hashable {
    public var p: Input
    public var q: Input
    public var ceiling: Input
    public init(p: Input, q: Input, ceiling: Input) {
        self.p = p
        self.q = q
        self.ceiling = ceiling
    }
}

public struct ExitRule: Sendable, Hashable {
    /// Annual probability that a member leaves, from the year after it joins.
    public var annualHazard: Input
    /// Shared cost charged in the exit year (one draw per iteration, MODEL.md §11).
    public var cost: Input
    public init(annualHazard: Input, cost: Input) {
        self.annualHazard = annualHazard
        self.cost = cost
    }
}

public struct Workforce: Sendable, Hashable {
    public var redundancyCostPerFTE: Input
    /// Share of released posts absorbed by natural turnover (no redundancy cost).
    public var attritionAbsorbs: Input
    public init(redundancyCostPerFTE: Input, attritionAbsorbs: Input) {
        self.redundancyCostPerFTE = redundancyCostPerFTE
        self.attritionAbsorbs = attritionAbsorbs
    }
}

/// A one-off cost line (MODEL.md §6).
public struct OneOffCost: Sendable, Hashable {
    public enum Charge: Sendable, Hashable {
        /// `amount` spread over years from t = 0 by `profile` (shares summing to 1).
        case profiled(amount: Input, profile: [Double])
        /// Charged to each authority in its (delayed) join year.
        case perJoiner(Input)
    }
    public var name: String
    public var charge: Charge
    public init(name: String, charge: Charge) {
        self.name = name
        self.charge = charge
    }
}

/// An ongoing cost line (MODEL.md §6).
public struct OngoingCost: Sendable, Hashable {
    public enum Charge: Sendable, Hashable {
        /// Every year from the first operating year.
        case annual(Input)
        /// For each member, each year.
        case perMember(Input)
    }
    public var name: String
    public var charge: Charge
    public init(name: String, charge: Charge) {
        self.name = name
        self.charge = charge
    }
}

/// A risk event that may strike in any year (MODEL.md §7).
public struct RiskEvent: Sendable, Hashable {
    public var name: String
    public var annualProbability: Input
    public var cost: Input?
    public var savingsFactor: Input?
    public init(name: String, annualProbability: Input, cost: Input? = nil, savingsFactor: Input? = nil) {
        self.name = name
        self.annualProbability = annualProbability
        self.cost = cost
        self.savingsFactor = savingsFactor
    }
}

/// How shared costs are split between the members of a year (MODEL.md §8).
public enum CostSharing: Sendable, Hashable {
    case baseline
    case equal
    case population
    case fte
    /// Explicit weights, one per authority, in `Scenario.authorities` order.
    case weights([Double])
}

/// A target Spearman rank correlation between two inputs, named by their paths.
public struct Correlation: Sendable, Hashable {
    public var first: String
    public var second: String
    public var spearman: Double
    public var location: SourceLocation?
    public init(first: String, second: String, spearman: Double, location: SourceLocation? = nil) {
        self.first = first
        self.second = second
        self.spearman = spearman
        self.location = location
    }
}

/// A published figure a `reproduce` run compares against (kept for the reports).
public struct PublishedFigure: Sendable, Hashable {
    public var metric: String
    /// Financial year (the first calendar year of it, e.g. 2030 for 2030/31) the metric is read in or through.
    public var throughYear: Int?
    public var fromYear: Int?
    public var year: Int?
    public var value: Double
    public var source: String?
    public var location: SourceLocation?
    public init(metric: String, throughYear: Int? = nil, fromYear: Int? = nil, year: Int? = nil, value: Double, source: String? = nil, location: SourceLocation? = nil) {
        self.metric = metric
        self.throughYear = throughYear
        self.fromYear = fromYear
        self.year = year
        self.value = value
        self.source = source
        self.location = location
    }
}

/// A whole, validated scenario.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var description: String
    /// First financial year of the case, e.g. 2026 for 2026/27.
    public var startYear: Int
    public var horizonYears: Int
    public var priceBase: Int
    /// Defaults for the command line; flags override them.
    public var seed: UInt64?
    public var iterations: Int?
    public var discounting: Discounting
    /// Real growth of staff costs a year, g (MODEL.md §1).
    public var realPayGrowth: Input
    public var authorities: [Authority]
    public var baseline: [BaselineRow]
    public var functions: [BackOfficeFunction]
    public var adoption: BassAdoption?
    /// Programme delay in whole years (floored), shifting every join.
    public var delay: Input
    public var delayCostPerYear: Input
    public var exit: ExitRule?
    public var minPartners: Int
    /// φ: scales every saving.
    public var benefitRealisation: Input
    public var workforce: Workforce
    public var oneOffCosts: [OneOffCost]
    public var ongoingCosts: [OngoingCost]
    public var optimismBias: Input
    public var costSharing: CostSharing
    /// Gershon target per year, cumulative: target(t) = efficiencyTarget · (t + 1).
    public var efficiencyTarget: Double
    public var risks: [RiskEvent]
    public var correlations: [Correlation]
    public var published: [PublishedFigure]
    /// The file it came from, for reports ("" when built in code).
    public var file: String
    /// The GSL generator named in the file (`generator: mt19937`); nil means the default.
    public var generator: String?
    /// `monte-carlo`, `latin-hypercube` or `sobol` from the file (`sampling:`); nil means the default.
    public var sampling: String?
    /// The `--set PATH=VALUE` overrides applied to the file, in order (empty for the file
    /// as written). Reports list them and put them in the reproducing command.
    public var overrides: [ScenarioOverride] = []

    public init(
        name: String, description: String = "", startYear: Int = 2026, horizonYears: Int = 10,
        priceBase: Int? = nil, seed: UInt64? = nil, iterations: Int? = nil,
        discounting: Discounting = .greenBook, realPayGrowth: Input = .fixed(0, path: "real_pay_growth"),
        authorities: [Authority], baseline: [BaselineRow], functions: [BackOfficeFunction],
        adoption: BassAdoption? = nil, delay: Input = .fixed(0, path: "delay"),
        delayCostPerYear: Input = .fixed(0, path: "delay_cost_per_year"), exit: ExitRule? = nil,
        minPartners: Int = 2, benefitRealisation: Input = .fixed(1, path: "benefit_realisation"),
        workforce: Workforce = Workforce(
            redundancyCostPerFTE: .fixed(0, path: "workforce.redundancy_cost_per_fte"),
            attritionAbsorbs: .fixed(0, path: "workforce.attrition_absorbs")),
        oneOffCosts: [OneOffCost] = [], ongoingCosts: [OngoingCost] = [],
        optimismBias: Input = .fixed(0, path: "optimism_bias"), costSharing: CostSharing = .baseline,
        efficiencyTarget: Double = 0.025, risks: [RiskEvent] = [], correlations: [Correlation] = [],
        published: [PublishedFigure] = [], file: String = "",
        generator: String? = nil, sampling: String? = nil
    ) {
        self.name = name
        self.description = description
        self.startYear = startYear
        self.horizonYears = horizonYears
        self.priceBase = priceBase ?? startYear
        self.seed = seed
        self.iterations = iterations
        self.discounting = discounting
        self.realPayGrowth = realPayGrowth
        self.authorities = authorities
        self.baseline = baseline
        self.functions = functions
        self.adoption = adoption
        self.delay = delay
        self.delayCostPerYear = delayCostPerYear
        self.exit = exit
        self.minPartners = minPartners
        self.benefitRealisation = benefitRealisation
        self.workforce = workforce
        self.oneOffCosts = oneOffCosts
        self.ongoingCosts = ongoingCosts
        self.optimismBias = optimismBias
        self.costSharing = costSharing
        self.efficiencyTarget = efficiencyTarget
        self.risks = risks
        self.correlations = correlations
        self.published = published
        self.file = file
        self.generator = generator
        self.sampling = sampling
    }

    /// Financial-year label of year index t: start 2026, t = 3 → "2029/30".
    public func yearLabel(_ t: Int) -> String {
        let y = startYear + t
        let next = (y + 1) % 100
        return "\(y)/\(next < 10 ? "0" : "")\(next)"
    }
}
