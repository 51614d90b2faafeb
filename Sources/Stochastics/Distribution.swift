import Foundation

/// An uncertain input: a fixed number or one of the families of MODEL.md §2.
///
/// Every family provides a quantile function `quantile(u)` (the inverse CDF), a direct
/// sampler `sample(using:)` (GSL's exact sampler where one exists, else the quantile of a
/// uniform), `mean`, `variance` and `median`. Construct through the validating
/// static functions (`Distribution.pert(min:mode:max:)` …); the cases hold parameters
/// already checked and normalised.
public enum Distribution: Sendable, Equatable, Hashable {
    /// A known number. Draws nothing.
    case fixed(Double)
    /// Uniform on [min, max].
    case uniform(Double, Double)
    /// Triangular on [min, max] with peak at mode.
    case triangular(Double, Double, Double)
    /// A beta(α, β) variate scaled onto [min, max]. PERT is this with
    /// α = 1 + λ(mode − min)/(max − min), β = 1 + λ(max − mode)/(max − min).
    case scaledBeta(alpha: Double, beta: Double, min: Double, max: Double)
    /// Normal(mean, sd), truncated to [lower, upper] (either may be infinite).
    case normal(mean: Double, sd: Double, lower: Double, upper: Double)
    /// exp(Normal(mu, sigma)): mu and sigma are the log-scale parameters.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with shape k and scale θ: mean kθ.
    case gamma(Double, Double)
    /// Finite values with probabilities; values sorted ascending, weights summing to 1.
    case discrete([Double], [Double])
    /// 1 with probability p, else 0.
    case bernoulli(Double)

    /// Standard normal 90th percentile, z₀.₉ = Φ⁻¹(0.9), used by the percentile forms.
    public static let z90 = 1.2815515655446004

    // MARK: - Validating constructors

    public static func uniform(min: Double, max: Double) throws(StochasticsError) -> Distribution {
        try finite(["min": min, "max": max], family: "uniform")
        guard min <= max else {
            throw StochasticsError("uniform: min (\(fmt(min))) is greater than max (\(fmt(max)))",
                                   fix: "swap them so that min ≤ max")
        }
        return min == max ? .fixed(min) : .uniform(min, max)
    }

    public static func triangular(min: Double, mode: Double, max: Double) throws(StochasticsError) -> Distribution {
        try finite(["min": min, "mode": mode, "max": max], family: "triangular")
        try ordered(min: min, mode: mode, max: max, family: "triangular")
        return min == max ? .fixed(min) : .triangular(min, mode, max)
    }

    /// PERT (Malcolm et al. 1959; Vose, *Risk Analysis*, 3rd ed. 2008, §9.1.3): a beta on
    /// [min, max] whose mean is (min + λ·mode + max)/(λ + 2). λ = 4 is the classic choice.
    public static func pert(min: Double, mode: Double, max: Double, lambda: Double = 4) throws(StochasticsError) -> Distribution {
        try finite(["min": min, "mode": mode, "max": max, "lambda": lambda], family: "pert")
        try ordered(min: min, mode: mode, max: max, family: "pert")
        guard lambda > 0 else {
            throw StochasticsError("pert: lambda must be greater than 0, got \(fmt(lambda))",
                                   fix: "leave lambda out for the usual 4, or give a positive number")
        }
        if min == max { return .fixed(min) }
        let range = max - min
        return .scaledBeta(alpha: 1 + lambda * (mode - min) / range,
                           beta: 1 + lambda * (max - mode) / range, min: min, max: max)
    }

    /// Normal, optionally truncated to [min, max] (either bound may be left out).
    public static func normal(mean: Double, sd: Double, min: Double? = nil, max: Double? = nil) throws(StochasticsError) -> Distribution {
        try finite(["mean": mean, "sd": sd], family: "normal")
        guard sd >= 0 else {
            throw StochasticsError("normal: sd must not be negative, got \(fmt(sd))",
                                   fix: "give the standard deviation as a positive number")
        }
        let lower = min ?? -.infinity, upper = max ?? .infinity
        if let min { try finite(["min": min], family: "normal") }
        if let max { try finite(["max": max], family: "normal") }
        guard lower < upper else {
            throw StochasticsError("normal: the truncation bounds are empty (min \(fmt(lower)) ≥ max \(fmt(upper)))",
                                   fix: "give min < max")
        }
        if sd == 0 {
            guard mean >= lower && mean <= upper else {
                throw StochasticsError("normal: sd is 0 and the mean \(fmt(mean)) lies outside [min, max]",
                                       fix: "put the mean inside the bounds or give a positive sd")
            }
            return .fixed(mean)
        }
        // Guard against a truncation window so far in a tail that it has (numerically) no mass.
        let mass = GSLCDF.normalCDF((upper - mean) / sd) - GSLCDF.normalCDF((lower - mean) / sd)
        guard mass > 1e-12 else {
            throw StochasticsError("normal: [min, max] lies so far in the tail that it holds no probability",
                                   fix: "widen the bounds or move the mean towards them")
        }
        return .normal(mean: mean, sd: sd, lower: lower, upper: upper)
    }

    /// Normal given its 10th and 90th percentiles: mean = (p10 + p90)/2, sd = (p90 − p10)/(2 z₀.₉).
    public static func normal(p10: Double, p90: Double, min: Double? = nil, max: Double? = nil) throws(StochasticsError) -> Distribution {
        try finite(["p10": p10, "p90": p90], family: "normal")
        guard p10 < p90 else {
            throw StochasticsError("normal: p10 (\(fmt(p10))) must be less than p90 (\(fmt(p90)))",
                                   fix: "give the 10th percentile first and the 90th second")
        }
        return try normal(mean: (p10 + p90) / 2, sd: (p90 - p10) / (2 * z90), min: min, max: max)
    }

    /// Lognormal given its median and 90th percentile: μ = ln median, σ = (ln p90 − μ)/z₀.₉.
    public static func lognormal(median: Double, p90: Double) throws(StochasticsError) -> Distribution {
        try finite(["median": median, "p90": p90], family: "lognormal")
        guard median > 0 else {
            throw StochasticsError("lognormal: median must be greater than 0, got \(fmt(median))",
                                   fix: "a lognormal quantity is always positive; give a positive median")
        }
        guard p90 > median else {
            throw StochasticsError("lognormal: p90 (\(fmt(p90))) must be greater than the median (\(fmt(median)))",
                                   fix: "give a 90th percentile above the median")
        }
        let mu = Foundation.log(median)
        return .lognormal(mu: mu, sigma: (Foundation.log(p90) - mu) / z90)
    }

    /// Lognormal given its 10th and 90th percentiles: μ = (ln p10 + ln p90)/2, σ = (ln p90 − ln p10)/(2 z₀.₉).
    public static func lognormal(p10: Double, p90: Double) throws(StochasticsError) -> Distribution {
        try finite(["p10": p10, "p90": p90], family: "lognormal")
        guard p10 > 0 else {
            throw StochasticsError("lognormal: p10 must be greater than 0, got \(fmt(p10))",
                                   fix: "a lognormal quantity is always positive; give a positive p10")
        }
        guard p90 > p10 else {
            throw StochasticsError("lognormal: p90 (\(fmt(p90))) must be greater than p10 (\(fmt(p10)))",
                                   fix: "give the 10th percentile first and the 90th second")
        }
        let a = Foundation.log(p10), b = Foundation.log(p90)
        return .lognormal(mu: (a + b) / 2, sigma: (b - a) / (2 * z90))
    }

    /// Lognormal given its arithmetic mean m and standard deviation s:
    /// σ² = ln(1 + s²/m²), μ = ln m − σ²/2.
    public static func lognormal(mean: Double, sd: Double) throws(StochasticsError) -> Distribution {
        try finite(["mean": mean, "sd": sd], family: "lognormal")
        guard mean > 0 else {
            throw StochasticsError("lognormal: mean must be greater than 0, got \(fmt(mean))",
                                   fix: "a lognormal quantity is always positive; give a positive mean")
        }
        guard sd > 0 else {
            throw StochasticsError("lognormal: sd must be greater than 0, got \(fmt(sd))",
                                   fix: "give a positive standard deviation (or use a fixed number)")
        }
        let sigma2 = Foundation.log(1 + (sd * sd) / (mean * mean))
        return .lognormal(mu: Foundation.log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
    }

    /// Beta(α, β) scaled onto [min, max] (default [0, 1]).
    public static func beta(alpha: Double, beta: Double, min: Double = 0, max: Double = 1) throws(StochasticsError) -> Distribution {
        try finite(["alpha": alpha, "beta": beta, "min": min, "max": max], family: "beta")
        guard alpha > 0, beta > 0 else {
            throw StochasticsError("beta: alpha and beta must both be greater than 0 (got \(fmt(alpha)), \(fmt(beta)))",
                                   fix: "give positive shape parameters, e.g. alpha: 2, beta: 5")
        }
        guard min < max else {
            throw StochasticsError("beta: min (\(fmt(min))) must be less than max (\(fmt(max)))",
                                   fix: "give the range as min < max")
        }
        return .scaledBeta(alpha: alpha, beta: beta, min: min, max: max)
    }

    /// Gamma with shape k > 0 and scale θ > 0 (mean kθ, variance kθ²).
    public static func gamma(shape: Double, scale: Double) throws(StochasticsError) -> Distribution {
        try finite(["shape": shape, "scale": scale], family: "gamma")
        guard shape > 0, scale > 0 else {
            throw StochasticsError("gamma: shape and scale must both be greater than 0 (got \(fmt(shape)), \(fmt(scale)))",
                                   fix: "give positive numbers; the mean is shape × scale")
        }
        return .gamma(shape, scale)
    }

    /// A finite list of values with weights summing to 1 (within 1e-9).
    public static func discrete(values: [Double], weights: [Double]) throws(StochasticsError) -> Distribution {
        guard !values.isEmpty else {
            throw StochasticsError("discrete: values is empty", fix: "list at least one value")
        }
        guard values.count == weights.count else {
            throw StochasticsError("discrete: \(values.count) values but \(weights.count) weights",
                                   fix: "give exactly one weight for each value")
        }
        for (i, v) in values.enumerated() where !v.isFinite {
            throw StochasticsError("discrete: value \(i + 1) is not a finite number", fix: "use ordinary numbers")
        }
        for (i, w) in weights.enumerated() where !(w.isFinite && w >= 0) {
            throw StochasticsError("discrete: weight \(i + 1) (\(fmt(w))) must be a number ≥ 0",
                                   fix: "weights are probabilities: use numbers between 0 and 1")
        }
        let total = weights.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else {
            // Shown to 12 significant digits: 0.6 + 0.3 + 0.2 is "1.1", not 1.0999999999999999.
            throw StochasticsError("discrete: the weights sum to \(fmt((total * 1e12).rounded() / 1e12)), not 1",
                                   fix: "make the weights add up to exactly 1")
        }
        if Set(values).count != values.count {
            throw StochasticsError("discrete: a value is listed twice",
                                   fix: "list each value once and add its weights together")
        }
        let order = values.indices.sorted { values[$0] < values[$1] }
        let sortedValues = order.map { values[$0] }
        let sortedWeights = order.map { weights[$0] }
        if sortedValues.count == 1 { return .fixed(sortedValues[0]) }
        return .discrete(sortedValues, sortedWeights)
    }

    public static func bernoulli(p: Double) throws(StochasticsError) -> Distribution {
        try finite(["p": p], family: "bernoulli")
        guard p >= 0 && p <= 1 else {
            throw StochasticsError("bernoulli: p (\(fmt(p))) must lie between 0 and 1",
                                   fix: "give a probability, e.g. 0.25 for one in four")
        }
        return .bernoulli(p)
    }

    public static func fixedValue(_ x: Double) throws(StochasticsError) -> Distribution {
        try finite(["value": x], family: "fixed")
        return .fixed(x)
    }

    // MARK: - Properties

    /// True when the input varies (it is drawn each iteration).
    public var isRandom: Bool {
        if case .fixed = self { return false }
        return true
    }

    /// The family name used in scenario files and reports.
    public var family: String {
        switch self {
        case .fixed: "fixed"
        case .uniform: "uniform"
        case .triangular: "triangular"
        case .scaledBeta: "beta"
        case .normal: "normal"
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .discrete: "discrete"
        case .bernoulli: "bernoulli"
        }
    }

    /// The smallest and largest values the distribution can take.
    public var support: ClosedRange<Double> {
        switch self {
        case .fixed(let x): x...x
        case .uniform(let a, let b), .triangular(let a, _, let b), .scaledBeta(_, _, let a, let b): a...b
        case .normal(_, _, let lo, let hi): lo...hi
        case .lognormal, .gamma: 0...Double.infinity
        case .discrete(let v, _): v.first!...v.last!
        case .bernoulli: 0...1
        }
    }

    /// The expected value.
    public var mean: Double {
        switch self {
        case .fixed(let x): return x
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + b + c) / 3
        case .scaledBeta(let al, let be, let a, let b): return a + (b - a) * al / (al + be)
        case .normal(let m, let s, let lo, let hi):
            let (alpha, beta, z) = Self.truncation(m, s, lo, hi)
            return m + s * (GSLCDF.normalDensity(alpha) - GSLCDF.normalDensity(beta)) / z
        case .lognormal(let mu, let sigma): return Foundation.exp(mu + sigma * sigma / 2)
        case .gamma(let k, let theta): return k * theta
        case .discrete(let v, let w): return zip(v, w).reduce(0) { $0 + $1.0 * $1.1 }
        case .bernoulli(let p): return p
        }
    }

    /// The variance.
    public var variance: Double {
        switch self {
        case .fixed: return 0
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .triangular(let a, let c, let b): return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case .scaledBeta(let al, let be, let a, let b):
            let s = al + be
            return (b - a) * (b - a) * al * be / (s * s * (s + 1))
        case .normal(let m, let s, let lo, let hi):
            // Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 1, §13.10.
            let (alpha, beta, z) = Self.truncation(m, s, lo, hi)
            let pa = GSLCDF.normalDensity(alpha), pb = GSLCDF.normalDensity(beta)
            let ta = alpha.isFinite ? alpha * pa : 0, tb = beta.isFinite ? beta * pb : 0
            let r = (pa - pb) / z
            return s * s * (1 + (ta - tb) / z - r * r)
        case .lognormal(let mu, let sigma):
            let s2 = sigma * sigma
            return (Foundation.exp(s2) - 1) * Foundation.exp(2 * mu + s2)
        case .gamma(let k, let theta): return k * theta * theta
        case .discrete(let v, let w):
            let m = mean
            return zip(v, w).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
        case .bernoulli(let p): return p * (1 - p)
        }
    }

    /// The median, `quantile(0.5)` (MODEL.md §2: the base case uses it).
    public var median: Double { quantile(0.5) }

    /// Tabulated starting points for this distribution's quantile (beta and PERT within
    /// `BetaQuantileStarts`' shapes; nil otherwise). Built once, for inputs that take a
    /// quantile every iteration.
    public func quantileStarts() -> BetaQuantileStarts? {
        if case .scaledBeta(let al, let be, _, _) = self { return BetaQuantileStarts(a: al, b: be) }
        return nil
    }

    /// `quantile(u)`, from tabulated starting points when given (`quantileStarts()`).
    @inline(__always)
    public func quantile(_ u: Double, from starts: BetaQuantileStarts?) -> Double {
        if let starts, case .scaledBeta(_, _, let a, let b) = self { return a + (b - a) * starts.quantile(u) }
        return quantile(u)
    }

    /// The inverse CDF: the smallest x with F(x) ≥ u, for u in (0, 1).
    /// Closed forms where they exist; `BetaQuantile` for beta and PERT (GSL outside its
    /// range); GSL's `gsl_cdf_*_Pinv` for gamma and normal.
    @inline(__always)
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .fixed(let x):
            return x
        case .uniform(let a, let b):
            return a + (b - a) * u
        case .triangular(let a, let c, let b):
            // F(c) = (c − a)/(b − a); invert each side of the peak.
            let fc = (c - a) / (b - a)
            if u < fc { return a + ((b - a) * (c - a) * u).squareRoot() }
            return b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .scaledBeta(let al, let be, let a, let b):
            return a + (b - a) * BetaQuantile.quantile(u, al, be)
        case .normal(let m, let s, let lo, let hi):
            if lo == -.infinity && hi == .infinity { return m + s * GSLCDF.normalQuantile(u) }
            let pa = lo == -.infinity ? 0 : GSLCDF.normalCDF((lo - m) / s)
            let pb = hi == .infinity ? 1 : GSLCDF.normalCDF((hi - m) / s)
            let x = m + s * GSLCDF.normalQuantile(pa + u * (pb - pa))
            return Swift.min(Swift.max(x, lo), hi)
        case .lognormal(let mu, let sigma):
            return Foundation.exp(mu + sigma * GSLCDF.normalQuantile(u))
        case .gamma(let k, let theta):
            return GSLCDF.gammaQuantile(u, shape: k, scale: theta)
        case .discrete(let v, let w):
            // F(x) ≥ u with a relative tolerance of 1e-12: weights written as decimals do not
            // add up exactly in binary (0.6 + 0.3 = 0.8999999999999999), and without it
            // Q(0.9) of {0: 0.6, 1: 0.3, 2: 0.1} would be 2 instead of 1.
            var cumulative = 0.0
            for j in 0..<(v.count - 1) {
                cumulative += w[j]
                if cumulative >= u * (1 - 1e-12) { return v[j] }
            }
            return v[v.count - 1]
        case .bernoulli(let p):
            return u <= 1 - p ? 0 : 1
        }
    }

    /// One draw. Uses GSL's exact samplers where they are faster than inversion
    /// (beta, gamma, untruncated normal and lognormal by the ziggurat); otherwise the
    /// quantile of one uniform. `fixed` draws nothing from the stream.
    @inline(__always)
    public func sample(using stream: RandomStream) -> Double {
        switch self {
        case .fixed(let x):
            return x
        case .scaledBeta(let al, let be, let a, let b):
            return a + (b - a) * stream.beta(al, be)
        case .normal(let m, let s, let lo, let hi) where lo == -.infinity && hi == .infinity:
            return m + s * stream.standardNormal()
        case .lognormal(let mu, let sigma):
            return Foundation.exp(mu + sigma * stream.standardNormal())
        case .gamma(let k, let theta):
            return stream.gamma(shape: k, scale: theta)
        default:
            return quantile(stream.uniform())
        }
    }

    /// The CDF F(x) = P(X ≤ x), used by tests (Kolmogorov–Smirnov) and by reports.
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .fixed(let v): return x >= v ? 1 : 0
        case .uniform(let a, let b): return Swift.min(1, Swift.max(0, (x - a) / (b - a)))
        case .triangular(let a, let c, let b):
            if x <= a { return 0 }
            if x >= b { return 1 }
            if x <= c { return (x - a) * (x - a) / ((b - a) * (c - a)) }
            return 1 - (b - x) * (b - x) / ((b - a) * (b - c))
        case .scaledBeta(let al, let be, let a, let b):
            if x <= a { return 0 }
            if x >= b { return 1 }
            return GSLCDF.betaCDF((x - a) / (b - a), al, be)
        case .normal(let m, let s, let lo, let hi):
            if x <= lo { return 0 }
            if x >= hi { return 1 }
            let pa = lo == -.infinity ? 0 : GSLCDF.normalCDF((lo - m) / s)
            let pb = hi == .infinity ? 1 : GSLCDF.normalCDF((hi - m) / s)
            return (GSLCDF.normalCDF((x - m) / s) - pa) / (pb - pa)
        case .lognormal(let mu, let sigma):
            return x <= 0 ? 0 : GSLCDF.normalCDF((Foundation.log(x) - mu) / sigma)
        case .gamma(let k, let theta):
            return x <= 0 ? 0 : GSLCDF.gammaCDF(x, shape: k, scale: theta)
        case .discrete(let v, let w):
            if x >= v[v.count - 1] { return 1 }   // the weights may sum to 1 only within 1e-9
            var c = 0.0
            for (value, weight) in zip(v, w) where value <= x { c += weight }
            return Swift.min(c, 1)
        case .bernoulli(let p):
            return x < 0 ? 0 : (x < 1 ? 1 - p : 1)
        }
    }

    // MARK: - Helpers

    /// Standardised truncation points and the mass between them.
    private static func truncation(_ m: Double, _ s: Double, _ lo: Double, _ hi: Double) -> (Double, Double, Double) {
        let alpha = (lo - m) / s, beta = (hi - m) / s
        let z = (beta == .infinity ? 1 : GSLCDF.normalCDF(beta)) - (alpha == -.infinity ? 0 : GSLCDF.normalCDF(alpha))
        return (alpha, beta, z)
    }

    private static func finite(_ parameters: KeyValuePairs<String, Double>, family: String) throws(StochasticsError) {
        for (name, value) in parameters where !value.isFinite {
            throw StochasticsError("\(family): \(name) is \(value.isNaN ? "NaN" : "infinite")",
                                   fix: "give \(name) as an ordinary finite number")
        }
    }

    private static func ordered(min: Double, mode: Double, max: Double, family: String) throws(StochasticsError) {
        guard min <= mode else {
            throw StochasticsError("\(family): min (\(fmt(min))) is greater than mode (\(fmt(mode)))",
                                   fix: "order the values so that min ≤ mode ≤ max")
        }
        guard mode <= max else {
            throw StochasticsError("\(family): mode (\(fmt(mode))) is greater than max (\(fmt(max)))",
                                   fix: "order the values so that min ≤ mode ≤ max")
        }
    }
}

/// Numbers in messages: shortest form that reads back to the same Double.
func fmt(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
