import Stochastics

/// Root finding for switching values and `solve` (docs/whatif.md): bracketing, then
/// bisection. Bisection needs only a sign change, so it works for the piecewise-smooth
/// statistics a simulation gives (a percentile moves in small steps as the input moves)
/// and never jumps outside the bracket.
public enum GoalSeek {
    public struct Outcome: Sendable, Equatable {
        /// The root, or nil when f has the same sign at both ends of every bracket tried.
        public let value: Double?
        /// The final bracket (around the root when one was found).
        public let low: Double, high: Double
        /// The whole range searched: the starting bracket after any widening.
        public let searchedLow: Double, searchedHigh: Double
        /// Function evaluations used.
        public let evaluations: Int
    }

    /// Finds x in [low, high] with f(x) = 0. If f(low) and f(high) have the same sign the
    /// bracket is widened (each side by the current width, at most `widenings` times,
    /// never past `limits`) before giving up. Bisection stops when the bracket is narrower
    /// than `tolerance` (absolute) or after 200 steps; the midpoint is returned.
    public static func solve(low: Double, high: Double, limits: ClosedRange<Double> = -Double.infinity...Double.infinity,
                             tolerance: Double, widenings: Int = 6, _ f: (Double) throws -> Double) rethrows -> Outcome {
        precondition(low <= high && tolerance > 0)
        var a = low, b = high
        var fa = try f(a), fb = try f(b)
        var evaluations = 2
        var widened = 0
        while !(fa == 0 || fb == 0 || (fa < 0) != (fb < 0)) || fa.isNaN || fb.isNaN {
            guard widened < widenings, a > limits.lowerBound || b < limits.upperBound else {
                return Outcome(value: nil, low: a, high: b, searchedLow: a, searchedHigh: b, evaluations: evaluations)
            }
            let width = Swift.max(b - a, tolerance)
            let na = Swift.max(limits.lowerBound, a - width), nb = Swift.min(limits.upperBound, b + width)
            if na < a { a = na; fa = try f(a); evaluations += 1 }
            if nb > b { b = nb; fb = try f(b); evaluations += 1 }
            widened += 1
        }
        let (searchedLow, searchedHigh) = (a, b)
        if fa == 0 { return Outcome(value: a, low: a, high: b, searchedLow: a, searchedHigh: b, evaluations: evaluations) }
        if fb == 0 { return Outcome(value: b, low: a, high: b, searchedLow: a, searchedHigh: b, evaluations: evaluations) }
        var steps = 0
        while b - a > tolerance && steps < 200 {
            let m = a + (b - a) / 2
            let fm = try f(m)
            evaluations += 1
            steps += 1
            if fm == 0 {
                return Outcome(value: m, low: a, high: b, searchedLow: searchedLow, searchedHigh: searchedHigh, evaluations: evaluations)
            }
            if (fm < 0) == (fa < 0) { (a, fa) = (m, fm) } else { b = m }
        }
        return Outcome(value: a + (b - a) / 2, low: a, high: b, searchedLow: searchedLow, searchedHigh: searchedHigh,
                       evaluations: evaluations)
    }

    /// Where to look for an input's switching value: its distribution's P0.1–P99.9 range
    /// widened by that width on each side (a switching value is often outside the
    /// plausible range — that is what makes it reassuring), kept at or above 0 when the
    /// distribution cannot go negative and within [0, 1] when it is a fraction.
    public static func searchRange(for d: Distribution) -> (start: ClosedRange<Double>, limits: ClosedRange<Double>) {
        let lo = d.quantile(0.001), hi = d.quantile(0.999), median = d.median
        var width = hi - lo
        if !(width > 0) { width = Swift.max(abs(median), 1) }
        let support = d.support
        var limits = -Double.infinity...Double.infinity
        if support.lowerBound >= 0 { limits = 0...Double.infinity }
        if support.lowerBound >= 0 && support.upperBound <= 1 { limits = 0...1 }
        let start = Swift.max(limits.lowerBound, lo - width)...Swift.min(limits.upperBound, hi + width)
        return (start, limits)
    }
}

/// Green Book switching values (docs/whatif.md): how far a key input would have to move
/// for the case to stop paying.
public struct SwitchingValue: Sendable, Equatable {
    public let input: Int
    public let path: String
    public let median: Double
    /// The value at which the base-case NPV (every other input at its median) is zero.
    public let deterministic: Double?
    /// The value at which the simulated median NPV is zero, i.e. P(NPV > 0) = 50 %, with
    /// every other input uncertain (common random numbers over `iterations`).
    public let probabilistic: Double?
    public let iterations: Int
    /// The widest range searched.
    public let low: Double, high: Double
}

public enum SwitchingValues {
    /// Switching values of the given scalar inputs for `metric` (financial NPV by default).
    /// The probabilistic one uses the first `iterations` points of the run's streams
    /// (same seed, same blocks), the same points at every trial value.
    public static func compute(_ model: CompiledModel, inputs: [Int], settings: RunSettings, iterations: Int,
                               metric: ScalarMetric = .npvFinancial) -> [SwitchingValue] {
        let space = model.space
        let d = space.scalarCount + space.eventUniformCount
        let n = Swift.max(1, Swift.min(iterations, settings.iterations))
        // The points: the run's own uniform matrices, block by block, as its sampling
        // method lays them out.
        let u = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n * d, 1))
        defer { u.deallocate() }
        let plan = BlockPlan(iterations: n, blockSize: settings.blockSize)
        for b in 0..<plan.blockCount {
            let range = plan.range(ofBlock: b)
            let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64(b))
            let permutation = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(range.count, 1))
            defer { permutation.deallocate() }
            let slice = UnsafeMutableBufferPointer(rebasing: u[(range.lowerBound * d)..<(range.upperBound * d)])
            UniformMatrix.fill(slice, iterations: range.count, dimension: d, method: settings.sampling,
                               stream: stream, permutation: permutation)
        }
        let points = Array(u)  // read-only from here, shared by the input workers
        let medians = space.scalars.map(\.distribution.median)
        let baseEvents: [Double] = (0..<space.eventUniformCount).map { e in
            e < space.bassUniformCount ? (Double(e) + 0.5) / Double(space.bassUniformCount) : 0.5
        }
        return BlockRunner.run(blocks: Array(inputs.indices), threads: settings.threads) { j in
            let k = inputs[j]
            let evaluator = PointEvaluator(model: model)
            let distribution = space.scalars[k].distribution
            let (start, limits) = GoalSeek.searchRange(for: distribution)
            // Three significant figures of the plausible range: plenty for a committee table.
            let tolerance = Swift.max(1e-3 * (start.upperBound - start.lowerBound), 1e-12)
            var values = medians
            // Widened at most 3 times (to about 8 times the plausible range): beyond that a
            // "none" is the honest answer.
            let deterministic = GoalSeek.solve(low: start.lowerBound, high: start.upperBound, limits: limits,
                                               tolerance: tolerance, widenings: 3) { x -> Double in
                values[k] = x
                values.withUnsafeBufferPointer { v in
                    baseEvents.withUnsafeBufferPointer { e in evaluator.evaluate(values: v, events: e) }
                }
                return evaluator.scalar(metric)
            }
            var outputs = [Double](repeating: 0, count: n)
            let probabilistic = GoalSeek.solve(low: start.lowerBound, high: start.upperBound, limits: limits,
                                               tolerance: tolerance, widenings: 3) { x -> Double in
                evaluator.pinned = (k, x)
                points.withUnsafeBufferPointer { p in
                    for i in 0..<n {
                        evaluator.evaluate(UnsafeBufferPointer(rebasing: p[(i * d)..<((i + 1) * d)]))
                        outputs[i] = evaluator.scalar(metric)
                    }
                }
                return OutputStatistic(kind: .percentile(0.5), metric: metric).value(of: outputs)
            }
            return SwitchingValue(input: k, path: space.scalars[k].path, median: distribution.median,
                                  deterministic: deterministic.value, probabilistic: probabilistic.value,
                                  iterations: n,
                                  low: Swift.min(deterministic.searchedLow, probabilistic.searchedLow),
                                  high: Swift.max(deterministic.searchedHigh, probabilistic.searchedHigh))
        }
    }
}
