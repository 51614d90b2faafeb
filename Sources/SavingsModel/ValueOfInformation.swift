/// The expected value of perfect (partial) information from a Monte Carlo sample
/// (Raiffa & Schlaifer 1961; for health-economic practice Claxton 1999 and Strong, Oakley
/// & Brennan 2014).
///
/// A decision chooses one of D options; `netBenefits[d][j]` is option d's net benefit in
/// iteration j of M. For the shared-service go/no-go decision the options are "go" with
/// net benefit the NPV, and "no go" with net benefit 0 (`goNoGo`).
///
/// - **EVPI** = E[max_d NB_d] − max_d E[NB_d]: what it would be worth to know every
///   uncertain input before deciding. It is zero when the same option is best in every
///   iteration.
/// - **EVPPI** of an input (or group) θ = E_θ[max_d E(NB_d | θ)] − max_d E[NB_d]: what it
///   would be worth to know θ alone. E(NB_d | θ) is not known in closed form, so it is
///   estimated by regressing the simulated NB_d on the simulated θ (the single-loop,
///   regression method of Strong & Oakley 2013, "An efficient method for computing
///   single-parameter partial expected value of perfect information", Med. Decis. Making
///   33, 755–766, and Strong, Oakley & Brennan 2014, Med. Decis. Making 34, 311–326;
///   Sadatsafavi et al. 2013, "Need for speed: an efficient algorithm for calculation of
///   single-parameter expected value of partial perfect information", Value Health 16,
///   438–448, for the sort-and-bin idea used here):
///   - one input: sort the iterations by θ and cut them into ⌈√M⌉ bins of (about) equal
///     count, never splitting equal values of θ between bins; E(NB_d | θ) is the bin's mean.
///   - a group of inputs: ordinary least squares of NB_d on a full quadratic in the
///     standardised inputs (1, z_a, z_a², z_a·z_b), terms that are constant or collinear
///     dropped.
///   Either smoother is biased: bins average noise over only ~√M iterations, which pushes
///   the estimate up (by about σ/M^¼ at worst), and a quadratic misses sharper shapes,
///   which pulls it down. The estimate is therefore clamped to [0, EVPI], the bounds the
///   true value obeys.
///
/// Every sum runs in a fixed order, so the same sample gives the same bits.
public enum ValueOfInformation {
    /// The go/no-go decision on a net benefit (an NPV): options {NPV, 0}.
    public static func goNoGo(_ npv: [Double]) -> [[Double]] {
        [npv, [Double](repeating: 0, count: npv.count)]
    }

    /// EVPI = E[max_d NB_d] − max_d E[NB_d], in the units of the net benefits. Exactly
    /// zero when one option is best (or tied best) in every iteration.
    public static func evpi(_ netBenefits: [[Double]]) -> Double {
        let (d, m) = check(netBenefits)
        var perfect = 0.0
        for j in 0..<m {
            var best = netBenefits[0][j]
            for o in 1..<d { best = Swift.max(best, netBenefits[o][j]) }
            perfect += best
        }
        var current = -Double.infinity
        for o in 0..<d {
            var sum = 0.0
            for j in 0..<m { sum += netBenefits[o][j] }
            current = Swift.max(current, sum)
        }
        // Both are sums over the same iterations in the same order: when one option wins
        // every iteration the two sums are the same additions and the difference is 0.
        return Swift.max(0, (perfect - current) / Double(m))
    }

    /// The option with the highest expected net benefit (the first on a tie).
    public static func bestOption(_ netBenefits: [[Double]]) -> Int {
        let (d, m) = check(netBenefits)
        var best = 0, bestSum = -Double.infinity
        for o in 0..<d {
            var sum = 0.0
            for j in 0..<m { sum += netBenefits[o][j] }
            if sum > bestSum { best = o; bestSum = sum }
        }
        return best
    }

    /// An EVPPI estimate: `value` is clamped to [0, EVPI]; `unclamped` is the smoother's raw figure.
    public struct Estimate: Sendable, Equatable {
        public let value: Double
        public let unclamped: Double
        public var wasClamped: Bool { value != unclamped }
    }

    /// EVPPI of one input, `input[j]` its value in iteration j, by the sort-and-bin smoother.
    public static func evppi(_ netBenefits: [[Double]], input theta: [Double]) -> Estimate {
        let (d, m) = check(netBenefits)
        precondition(theta.count == m, "one input value per iteration")
        let order = (0..<m).sorted { theta[$0] < theta[$1] || (theta[$0] == theta[$1] && $0 < $1) }
        let bins = binStarts(sortedValues: order.map { theta[$0] })
        // E_θ[max_d E(NB_d | θ)] = (1/M) Σ_bins max_d (sum of NB_d in the bin), since each
        // bin's mean times its count is its sum. The reference max_d E[NB_d] is summed
        // bin by bin in the same order, so a decision that no bin changes gives exactly 0.
        var partial = 0.0
        var totals = [Double](repeating: 0, count: d)
        for (b, start) in bins.enumerated() {
            let end = b + 1 < bins.count ? bins[b + 1] : m
            var best = -Double.infinity
            for o in 0..<d {
                var sum = 0.0
                for r in start..<end { sum += netBenefits[o][order[r]] }
                totals[o] += sum
                best = Swift.max(best, sum)
            }
            partial += best
        }
        let raw = (partial - (totals.max() ?? 0)) / Double(m)
        return clamp(raw, to: evpi(netBenefits))
    }

    /// EVPPI of a group of inputs (`inputs[a][j]`: input a in iteration j). One input uses
    /// the bins; two or more a quadratic least-squares fit.
    public static func evppi(_ netBenefits: [[Double]], inputs: [[Double]]) -> Estimate {
        precondition(!inputs.isEmpty)
        if inputs.count == 1 { return evppi(netBenefits, input: inputs[0]) }
        let (d, m) = check(netBenefits)
        let design = QuadraticDesign(inputs: inputs, rows: m)
        var fitted: [[Double]] = []
        for o in 0..<d { fitted.append(design.fit(netBenefits[o])) }
        var partial = 0.0
        for j in 0..<m {
            var best = fitted[0][j]
            for o in 1..<d { best = Swift.max(best, fitted[o][j]) }
            partial += best
        }
        var current = -Double.infinity
        for o in 0..<d {
            var sum = 0.0
            for j in 0..<m { sum += fitted[o][j] }
            current = Swift.max(current, sum)
        }
        return clamp((partial - current) / Double(m), to: evpi(netBenefits))
    }

    /// Where each bin starts in the sorted order: ⌈√M⌉ bins of ⌊M/bins⌋ or one more,
    /// each boundary moved later past any run of equal values so that equal θ share a bin
    /// (fewer bins when there are many ties; a two-valued θ gives two bins).
    static func binStarts(sortedValues x: [Double]) -> [Int] {
        let m = x.count
        let count = Swift.max(1, Int(Double(m).squareRoot().rounded(.up)))
        var starts = [0]
        for b in 1..<count {
            var s = b * m / count
            guard s > starts.last! else { continue }
            while s < m && x[s] == x[s - 1] { s += 1 }
            if s < m && s > starts.last! { starts.append(s) }
        }
        return starts
    }

    static func clamp(_ raw: Double, to evpi: Double) -> Estimate {
        let value = raw.isNaN ? 0 : Swift.min(Swift.max(raw, 0), evpi)
        return Estimate(value: value, unclamped: raw)
    }

    static func check(_ netBenefits: [[Double]]) -> (options: Int, iterations: Int) {
        precondition(!netBenefits.isEmpty, "at least one option")
        let m = netBenefits[0].count
        precondition(m >= 1 && netBenefits.allSatisfy { $0.count == m }, "every option needs one net benefit per iteration")
        return (netBenefits.count, m)
    }
}

/// Least squares on a full quadratic in standardised inputs, by the normal equations with
/// a Cholesky factorisation that drops a term whose pivot falls below 1e-10 of its
/// diagonal (a constant input, or a term collinear with earlier ones).
struct QuadraticDesign {
    /// `columns[t][j]`: term t in row j; column 0 is the intercept.
    let columns: [[Double]]
    let rows: Int
    /// The factor L (row-major, p × p) and which terms were kept.
    let factor: [Double]
    let kept: [Bool]

    init(inputs: [[Double]], rows m: Int) {
        rows = m
        var z: [[Double]] = []
        for x in inputs {
            precondition(x.count == m)
            var mean = 0.0
            for v in x { mean += v }
            mean /= Double(m)
            var ss = 0.0
            for v in x { ss += (v - mean) * (v - mean) }
            let sd = (ss / Double(m)).squareRoot()
            guard sd > 0 && sd.isFinite else { continue }
            z.append(x.map { ($0 - mean) / sd })
        }
        var cols: [[Double]] = [[Double](repeating: 1, count: m)]
        cols.append(contentsOf: z)
        for a in z.indices { cols.append(z[a].map { $0 * $0 }) }
        for a in z.indices {
            for b in (a + 1)..<z.count where b > a { cols.append((0..<m).map { z[a][$0] * z[b][$0] }) }
        }
        columns = cols
        let p = cols.count
        var g = [Double](repeating: 0, count: p * p)
        for r in 0..<p {
            for c in 0...r {
                var s = 0.0
                for j in 0..<m { s += cols[r][j] * cols[c][j] }
                g[r * p + c] = s
                g[c * p + r] = s
            }
        }
        // Cholesky G = L Lᵀ, dropping terms with a negligible pivot.
        var l = [Double](repeating: 0, count: p * p)
        var keep = [Bool](repeating: false, count: p)
        for r in 0..<p {
            var diag = g[r * p + r]
            for c in 0..<r where keep[c] { diag -= l[r * p + c] * l[r * p + c] }
            guard diag > 1e-10 * Swift.max(g[r * p + r], 1e-300) else { continue }
            keep[r] = true
            let pivot = diag.squareRoot()
            l[r * p + r] = pivot
            for q in (r + 1)..<Swift.max(p, r + 1) {
                var s = g[q * p + r]
                for c in 0..<r where keep[c] { s -= l[q * p + c] * l[r * p + c] }
                l[q * p + r] = s / pivot
            }
        }
        factor = l
        kept = keep
    }

    /// The fitted values of `y` at every row.
    func fit(_ y: [Double]) -> [Double] {
        let p = columns.count, m = rows
        var rhs = [Double](repeating: 0, count: p)
        for t in 0..<p where kept[t] {
            var s = 0.0
            for j in 0..<m { s += columns[t][j] * y[j] }
            rhs[t] = s
        }
        // Solve L w = rhs, then Lᵀ β = w, over the kept terms.
        var w = [Double](repeating: 0, count: p)
        for r in 0..<p where kept[r] {
            var s = rhs[r]
            for c in 0..<r where kept[c] { s -= factor[r * p + c] * w[c] }
            w[r] = s / factor[r * p + r]
        }
        var beta = [Double](repeating: 0, count: p)
        for r in stride(from: p - 1, through: 0, by: -1) where kept[r] {
            var s = w[r]
            for q in (r + 1)..<Swift.max(p, r + 1) where kept[q] { s -= factor[q * p + r] * beta[q] }
            beta[r] = s / factor[r * p + r]
        }
        var out = [Double](repeating: 0, count: m)
        for t in 0..<p where kept[t] && beta[t] != 0 {
            let b = beta[t]
            for j in 0..<m { out[j] += b * columns[t][j] }
        }
        return out
    }
}

// MARK: - The savings model's decision

/// The value of information for a scenario's go/no-go decision, from a Monte Carlo run:
/// the net benefit of "go" is a money metric (the financial NPV by default), of "no go" 0.
public struct ValueOfInformationStudy: Sendable {
    public struct InputValue: Sendable {
        /// The input's path in the scenario.
        public let input: String
        public let evppi: ValueOfInformation.Estimate
    }

    /// A group of inputs researched together (e.g. every saving rate).
    public struct GroupValue: Sendable {
        public let inputs: [String]
        public let evppi: ValueOfInformation.Estimate
    }

    public struct PartnerValue: Sendable {
        public let authority: String
        public let meanNPV: Double
        public let probabilityNegative: Double
        /// EVPI of the authority's own join decision, on its own financial NPV.
        public let evpi: Double
    }

    public let metric: ScalarMetric
    public let iterations: Int
    public let meanNetBenefit: Double
    public let probabilityNegative: Double
    public let evpi: Double
    /// Scalar inputs in scenario order.
    public let inputs: [InputValue]
    /// The groups asked for (`--evppi-group`), in the order given.
    public let groups: [GroupValue]
    public let partners: [PartnerValue]

    /// The metrics that are a net benefit in pounds, so a go/no-go decision can rest on them.
    public static let netBenefitMetrics: [ScalarMetric] = [.npvFinancial, .npvEconomic, .cumulativeNetFinancial]

    /// `groups` are lists of scalar input indices whose EVPPI is wanted together.
    public init(model: CompiledModel, columns: SimulationColumns, metric: ScalarMetric, groups: [[Int]] = []) {
        precondition(Self.netBenefitMetrics.contains(metric))
        let npv = columns.scalar(metric)
        let nb = ValueOfInformation.goNoGo(npv)
        self.metric = metric
        iterations = columns.iterations
        meanNetBenefit = Statistics.mean(npv)
        probabilityNegative = Self.share(npv) { $0 < 0 }
        evpi = ValueOfInformation.evpi(nb)
        inputs = model.space.scalars.enumerated().map { k, input in
            InputValue(input: input.path, evppi: ValueOfInformation.evppi(nb, input: Array(columns.inputs[k])))
        }
        self.groups = groups.map { members in
            GroupValue(inputs: members.map { model.space.scalars[$0].path },
                       evppi: ValueOfInformation.evppi(nb, inputs: members.map { Array(columns.inputs[$0]) }))
        }
        partners = model.scenario.authorities.enumerated().map { i, authority in
            let own = Array(columns.authorityNPV[i])
            return PartnerValue(authority: authority.name, meanNPV: Statistics.mean(own),
                                probabilityNegative: Self.share(own) { $0 < 0 },
                                evpi: ValueOfInformation.evpi(ValueOfInformation.goNoGo(own)))
        }
    }

    static func share(_ x: [Double], _ test: (Double) -> Bool) -> Double {
        guard !x.isEmpty else { return .nan }
        var n = 0
        for v in x where test(v) { n += 1 }
        return Double(n) / Double(x.count)
    }
}
