import Stochastics

/// A precision target for `run --precision`: stop once the financial NPV's mean (or one of
/// its percentiles) is known to within `percent` % of its value (docs/reproducibility.md §7).
public struct PrecisionTarget: Sendable, Equatable {
    /// What must be precise.
    public enum Statistic: Sendable, Equatable {
        /// The mean financial NPV, judged by its standard error.
        case mean
        /// The p-th percentile (1…99) of financial NPV, judged by the half-width of its 95 %
        /// order-statistic (binomial) confidence interval.
        case percentile(Int)

        /// `mean` or `p10`, as written on the command line.
        public var name: String {
            switch self {
            case .mean: "mean"
            case .percentile(let p): "p\(p)"
            }
        }

        /// Parses `mean`, `p1` … `p99` (also `P10`).
        public init?(_ text: String) {
            let t = text.lowercased()
            if t == "mean" { self = .mean; return }
            let digits = t.dropFirst()
            guard t.hasPrefix("p"), !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }),
                  let p = Int(digits), (1...99).contains(p) else { return nil }
            self = .percentile(p)
        }
    }

    /// The target as a percentage (0.5 for "0.5%"), as written.
    public let percent: Double
    public let statistic: Statistic

    /// The fewest blocks the rule looks at under Monte Carlo sampling: a standard error from
    /// fewer than 4,000 iterations is too rough to stop on.
    public static let minimumBlocks = 4
    /// The fewest under Latin hypercube and Sobol sampling, whose standard error comes from
    /// the spread of the block means: with 10 blocks it has 9 degrees of freedom (its own
    /// relative error about 24 %); with 4 it would have 3 (about 42 %) and a run would too
    /// often stop on a lucky underestimate.
    public static let minimumBlocksBetweenBlocks = 10

    /// The fewest blocks the rule looks at for this sampling method.
    public static func minimumBlocks(for sampling: SamplingMethod) -> Int {
        sampling == .monteCarlo ? minimumBlocks : minimumBlocksBetweenBlocks
    }

    public init(percent: Double, statistic: Statistic = .mean) {
        precondition(percent > 0 && percent < 100)
        self.percent = percent
        self.statistic = statistic
    }

    /// The target as a fraction (0.005 for 0.5 %).
    public var relative: Double { percent / 100 }

    /// "0.5%", as the command line takes it.
    public var percentText: String {
        let whole = percent.rounded()
        return (whole == percent && abs(whole) < 1e15 ? String(Int64(whole)) : "\(percent)") + "%"
    }

    /// Parses "0.5%" (a number followed by %, more than 0 and less than 100); nil otherwise.
    public init?(percentText text: String, statistic: Statistic = .mean) {
        guard text.hasSuffix("%"), let p = Double(text.dropLast()), p.isFinite, p > 0, p < 100 else { return nil }
        self.init(percent: p, statistic: statistic)
    }
}

/// How precisely the statistic is known after some blocks.
public struct PrecisionMeasure: Sendable, Equatable {
    /// The statistic itself (mean or percentile of financial NPV).
    public let estimate: Double
    /// Its standard error (mean) or the half-width of its 95 % interval (percentile), in £.
    public let uncertainty: Double
    /// `uncertainty / |estimate|` (infinite when the estimate is 0 and the uncertainty not).
    public var relative: Double {
        uncertainty == 0 ? 0 : uncertainty / abs(estimate)
    }
    /// Whether it meets a target: `uncertainty ≤ target × |estimate|`.
    public func meets(_ target: PrecisionTarget) -> Bool { uncertainty <= target.relative * abs(estimate) }

    public init(estimate: Double, uncertainty: Double) {
        self.estimate = estimate
        self.uncertainty = uncertainty
    }

    /// Measures `statistic` of `values` (the first iterations of a run, in block order).
    ///
    /// - Mean, Monte Carlo: the standard error sd/√M, exactly as summary.csv's `se`.
    /// - Mean, Latin hypercube or Sobol: iterations within a block are not independent, so
    ///   the standard error comes from the spread of the independent block means:
    ///   √( B/(B−1) · Σ_b w_b² (m_b − m)² ) with w_b = n_b/M (sd of the block means / √B
    ///   when the blocks are equal), multiplied by t₀.₉₇₅,B−1 / 1.96 (1.15 for 10 blocks,
    ///   1.01 for 100) so that, estimated from only B means, it still gives a 95 % interval
    ///   of ±1.96 standard errors (Student's t; batch means). The iteration formula would
    ///   overstate it. (Within a single block there is no spread to use, and the iteration
    ///   formula is used.)
    /// - Percentile p: the 95 % distribution-free interval [x₍l₎, x₍u₎] with
    ///   l = ⌊Mp − 1.96√(Mp(1−p))⌋, u = ⌈Mp + 1.96√(Mp(1−p))⌉ (1-based order statistics,
    ///   clamped to 1…M; the normal approximation to the binomial), half-width (x₍u₎ − x₍l₎)/2.
    ///   It assumes independent iterations: for Latin hypercube and Sobol samples it is
    ///   usually conservative.
    public static func of(_ statistic: PrecisionTarget.Statistic, values: [Double], blockSize: Int,
                          sampling: SamplingMethod) -> PrecisionMeasure {
        let m = values.count
        precondition(m >= 1)
        switch statistic {
        case .mean:
            let mean = Statistics.mean(values)
            if sampling == .monteCarlo || m <= blockSize {
                let se = Statistics.standardDeviation(values, mean: mean) / Double(m).squareRoot()
                return PrecisionMeasure(estimate: mean, uncertainty: se)
            }
            let plan = BlockPlan(iterations: m, blockSize: blockSize)
            var sum = 0.0
            for b in 0..<plan.blockCount {
                let r = plan.range(ofBlock: b)
                let blockMean = Statistics.mean(Array(values[r]))
                let w = Double(r.count) / Double(m)
                sum += w * w * (blockMean - mean) * (blockMean - mean)
            }
            let blocks = Double(plan.blockCount)
            // Widened by t(0.975, B − 1) / 1.96: an estimate from B block means is itself
            // uncertain, and this gives it the 95 % confidence a Monte Carlo standard error has.
            let widen = StudentT.quantile(0.975, degreesOfFreedom: blocks - 1) / 1.959_963_984_540_054
            return PrecisionMeasure(estimate: mean, uncertainty: (blocks / (blocks - 1) * sum).squareRoot() * widen)
        case .percentile(let percent):
            return percentile(percent, sorted: values.sorted())
        }
    }

    /// The percentile measure from values already sorted in ascending order.
    static func percentile(_ percent: Int, sorted: [Double]) -> PrecisionMeasure {
        let m = sorted.count
        precondition(m >= 1)
        let p = Double(percent) / 100
        let estimate = Statistics.percentile(sorted: sorted, p)
        let centre = Double(m) * p, spread = 1.96 * (Double(m) * p * (1 - p)).squareRoot()
        let l = Swift.min(Swift.max(Int((centre - spread).rounded(.down)), 1), m)
        let u = Swift.min(Swift.max(Int((centre + spread).rounded(.up)), 1), m)
        return PrecisionMeasure(estimate: estimate, uncertainty: (sorted[u - 1] - sorted[l - 1]) / 2)
    }

    /// Merges two ascending arrays (for the running sorted NPVs of a percentile target).
    static func merge(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }
}

/// What a run with a precision target did.
public struct PrecisionOutcome: Sendable, Equatable {
    public let target: PrecisionTarget
    /// The precision reached by the iterations kept.
    public let measure: PrecisionMeasure
    /// Whether the target was met (false: the maximum was reached first).
    public let met: Bool
    /// Blocks and iterations kept: the same as a plain run with `--iterations iterations`.
    public let blocks: Int
    public let iterations: Int
    /// The most iterations the run was allowed (`--iterations` or the scenario's).
    public let maximumIterations: Int

    public init(target: PrecisionTarget, measure: PrecisionMeasure, met: Bool, blocks: Int, iterations: Int,
                maximumIterations: Int) {
        self.target = target
        self.measure = measure
        self.met = met
        self.blocks = blocks
        self.iterations = iterations
        self.maximumIterations = maximumIterations
    }

    /// "relative standard error of the mean" or "relative half-width of the P10's 95 % interval".
    public var measureName: String {
        switch target.statistic {
        case .mean: "relative standard error of the mean financial NPV"
        case .percentile(let p): "relative half-width of the 95 % interval of the financial NPV's P\(p)"
        }
    }
}

extension Simulation {
    /// Runs blocks in order until the first k blocks (k ≥ `PrecisionTarget.minimumBlocks(for:)`)
    /// meet the target, or every block of `settings.iterations` has run. Blocks are computed
    /// in waves of `settings.threads` in parallel; blocks computed beyond the stopping point
    /// are discarded. The decision looks only at blocks 0 … k−1 in block order, so the result
    /// is the same for any thread count and equals `run` with `iterations = k × blockSize`
    /// (or the whole run when the target is never met).
    public static func run(_ model: CompiledModel, settings: RunSettings, precision target: PrecisionTarget,
                           progress: (@Sendable (Int) -> Void)? = nil) -> (SimulationColumns, PrecisionOutcome) {
        let plan = settings.plan
        let total = plan.blockCount
        let wave = Swift.max(1, settings.threads)
        let minimum = Swift.min(PrecisionTarget.minimumBlocks(for: settings.sampling), total)
        // Room for every block; blocks beyond the stopping point are written and ignored
        // (untouched pages of an in-memory store cost nothing).
        var all = SimulationColumns(model: model, capacity: settings.iterations, blocks: total)
        let store = all
        var done = 0
        var sorted: [Double] = []
        var outcome: PrecisionOutcome?
        while outcome == nil {
            // The first wave reaches the minimum at once; later ones add a block per thread.
            let size = done == 0 ? Swift.max(wave, minimum) : wave
            let blocks = Array(done..<Swift.min(done + size, total))
            _ = BlockRunner.run(blocks: blocks, threads: settings.threads) { b in
                let range = plan.range(ofBlock: b)
                runBlock(model, settings: settings, block: b, iterations: range.count, into: store, slot: b,
                         at: range.lowerBound)
                progress?(range.count)
                return range.count
            }
            for b in blocks {
                let range = plan.range(ofBlock: b)
                done += 1
                all.filled(range.upperBound, blocks: done)
                // For a percentile, keep the NPVs sorted as blocks arrive (a merge, not a sort).
                if case .percentile = target.statistic {
                    let part = all.scalars[ScalarMetric.npvFinancial.rawValue].withValues { Array($0[range]) }
                    sorted = PrecisionMeasure.merge(sorted, part.sorted())
                }
                guard done >= minimum else { continue }
                let measure: PrecisionMeasure
                if case .percentile(let p) = target.statistic {
                    measure = PrecisionMeasure.percentile(p, sorted: sorted)
                } else {
                    measure = PrecisionMeasure.of(target.statistic, values: all.scalar(.npvFinancial),
                                                  blockSize: plan.blockSize, sampling: settings.sampling)
                }
                let met = measure.meets(target)
                if met || done == total {
                    outcome = PrecisionOutcome(target: target, measure: measure, met: met, blocks: done,
                                               iterations: all.iterations, maximumIterations: settings.iterations)
                    break
                }
            }
        }
        return (all, outcome!)
    }
}
