import Stochastics

/// A set of coordinates of the unit hypercube whose joint effect is measured as one
/// Sobol index (e.g. all the event uniforms of the risk register).
public struct SobolGroup: Sendable, Equatable {
    public let name: String
    public let coordinates: [Int]
    public init(name: String, coordinates: [Int]) {
        self.name = name
        self.coordinates = coordinates
    }
}

/// How a Sobol study is sampled.
public struct SobolSettings: Sendable, Equatable {
    /// N, the rows of each of the matrices A and B.
    public var baseSamples: Int
    /// Bootstrap replicates for the confidence intervals (0: no intervals).
    public var bootstrap: Int
    public var seed: UInt64
    public var generator: GeneratorKind
    /// Changes speed only, never the numbers.
    public var threads: Int
    /// Rows per block: block b covers rows `b·rowsPerBlock ..< (b+1)·rowsPerBlock` and
    /// draws them from the stream seeded from `(seed, b)`.
    public var rowsPerBlock: Int

    public static let defaultRowsPerBlock = 64

    public init(baseSamples: Int, bootstrap: Int = 500, seed: UInt64, generator: GeneratorKind = .mt19937,
                threads: Int = BlockRunner.availableCores, rowsPerBlock: Int = SobolSettings.defaultRowsPerBlock) {
        precondition(baseSamples >= 2 && bootstrap >= 0 && rowsPerBlock >= 1)
        self.baseSamples = baseSamples
        self.bootstrap = bootstrap
        self.seed = seed
        self.generator = generator
        self.threads = threads
        self.rowsPerBlock = rowsPerBlock
    }

    public var plan: BlockPlan { BlockPlan(iterations: baseSamples, blockSize: rowsPerBlock) }

    /// Model evaluations a study of `groups` groups costs: N(k + 2).
    public func evaluations(groups: Int) -> Int { baseSamples * (groups + 2) }
}

/// One group's indices with their bootstrap 95 % percentile intervals (NaN when there is
/// no bootstrap or the output has no variance).
public struct SobolIndex: Sendable, Equatable {
    public let group: String
    public let firstOrder: Double
    public let firstOrderLow: Double
    public let firstOrderHigh: Double
    public let total: Double
    public let totalLow: Double
    public let totalHigh: Double
}

public struct SobolResult: Sendable {
    public let indices: [SobolIndex]
    /// V: the variance of f over the rows of A and B together.
    public let variance: Double
    /// The mean of f over the rows of A and B together.
    public let mean: Double
    public let baseSamples: Int
    public let evaluations: Int
    public let bootstrap: Int
    /// Evaluations that gave NaN or ±∞ (the indices are then NaN: the metric is undefined
    /// somewhere, e.g. a payback year that is never reached).
    public let nonFiniteEvaluations: Int
}

/// Variance-based global sensitivity indices (Sobol' 1993; 2001) by the Saltelli scheme
/// with Jansen's estimators.
///
/// **Sampling** (Saltelli et al. 2010, "Variance based sensitivity analysis of model
/// output. Design and estimator for the total sensitivity index", Comput. Phys. Commun.
/// 181, 259–270, §3): two independent N × d matrices A and B of uniforms, and for each
/// group i the matrix A_B^(i), equal to A except that the columns of group i are taken
/// from B. That is N(k + 2) model evaluations for k groups. Here the rows are pseudo-random
/// (RandomStream), not a quasi-random Sobol' sequence, so that the study splits into
/// independent blocks like a Monte Carlo run: row j of A and of B comes from the stream of
/// block ⌊j / rowsPerBlock⌋ (d uniforms for A, then d for B).
///
/// **Estimators** (Jansen 1999, "Analysis of variance designs for model output", Comput.
/// Phys. Commun. 117, 35–43; Saltelli et al. 2010, Table 2, rows (b) and (f)), with
/// V the variance of f over the 2N rows of A and B together (divisor 2N):
///
///     S_i  = (V − (1/2N) Σ_j (f(B)_j − f(A_B^(i))_j)²) / V      first order
///     ST_i = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)² / V            total
///
/// f(B) and f(A_B^(i)) share only group i, so half their mean squared difference is
/// V − V_i; f(A) and f(A_B^(i)) differ only in group i, so half theirs is E[Var(f | X~i)].
///
/// **Confidence intervals**: the N rows (each row: f(A)_j, f(B)_j and every f(A_B^(i))_j)
/// are resampled with replacement, V and the indices recomputed, `bootstrap` times; the
/// interval is the 2.5th–97.5th percentile (type 7) of the replicates (Efron & Tibshirani
/// 1993, ch. 13; Archer, Saltelli & Sobol' 1997 for its use with Sobol' indices).
/// Replicate r draws its row indices from the stream seeded from (key, r), where key is
/// `SplitMix64.blockKey(seed: seed, block: UInt64.max)`: a stream no sampling block uses.
///
/// **Determinism**: blocks run in parallel with `BlockRunner`, one evaluator per block,
/// and their results are gathered in block order before any sum is taken, so the result
/// is bit-identical for any thread count. The per-evaluation loop allocates nothing (the
/// block's buffers are allocated once, before it).
public enum SobolIndices {
    /// A function of a point of the unit hypercube: one per block, used on one thread.
    public typealias Evaluator = (UnsafeBufferPointer<Double>) -> Double

    /// Runs the study. `makeEvaluator` is called once per block (possibly concurrently)
    /// and must give a function that depends only on the point. `progress`, if given, is
    /// called with the evaluations each block completes.
    public static func estimate(dimension d: Int, groups: [SobolGroup], settings: SobolSettings,
                                progress: (@Sendable (Int) -> Void)? = nil,
                                makeEvaluator: @Sendable () -> Evaluator) -> SobolResult {
        precondition(d >= 1 && !groups.isEmpty)
        for g in groups { precondition(g.coordinates.allSatisfy { $0 >= 0 && $0 < d }, "group \(g.name) outside the hypercube") }
        let k = groups.count
        let plan = settings.plan
        let blocks = BlockRunner.run(blocks: Array(0..<plan.blockCount), threads: settings.threads) { b in
            let part = runBlock(b, rows: plan.range(ofBlock: b).count, dimension: d, groups: groups,
                                settings: settings, evaluate: makeEvaluator())
            progress?(part.fA.count * (k + 2))
            return part
        }
        // Gather in block order: row j of the study is row j of the concatenation.
        let n = settings.baseSamples
        var fA = [Double](), fB = [Double]()
        fA.reserveCapacity(n)
        fB.reserveCapacity(n)
        var fAB = [Double](repeating: 0, count: k * n)   // fAB[i * n + j]
        for (b, part) in blocks.enumerated() {
            let start = plan.range(ofBlock: b).lowerBound
            fA.append(contentsOf: part.fA)
            fB.append(contentsOf: part.fB)
            let m = part.fA.count
            for i in 0..<k {
                for j in 0..<m { fAB[i * n + start + j] = part.fAB[i * m + j] }
            }
        }
        return estimate(fA: fA, fB: fB, fAB: fAB, groups: groups.map(\.name), settings: settings)
    }

    /// The indices from the evaluations themselves (`fAB[i * N + j]` = f(A_B^(i))_j).
    /// Exposed so a test can check the estimators on hand-made numbers.
    public static func estimate(fA: [Double], fB: [Double], fAB: [Double], groups names: [String],
                                settings: SobolSettings) -> SobolResult {
        let n = fA.count, k = names.count
        precondition(fB.count == n && fAB.count == k * n && n >= 2)
        let all = fA + fB
        let nonFinite = all.filter { !$0.isFinite }.count + fAB.filter { !$0.isFinite }.count
        let point = Estimates(fA: fA, fB: fB, fAB: fAB, n: n, k: k, rows: nil)
        var lowS = [Double](repeating: .nan, count: k), highS = lowS, lowT = lowS, highT = lowS
        if settings.bootstrap > 0 && nonFinite == 0 && point.variance > 0 {
            let key = SplitMix64.blockKey(seed: settings.seed, block: UInt64.max)
            let replicates = BlockRunner.run(blocks: Array(0..<settings.bootstrap), threads: settings.threads) { r in
                let stream = RandomStream(kind: settings.generator, seed: key, block: UInt64(r))
                var rows = [Int](repeating: 0, count: n)
                for j in 0..<n { rows[j] = stream.integer(below: n) }
                let e = Estimates(fA: fA, fB: fB, fAB: fAB, n: n, k: k, rows: rows)
                return e.first + e.total
            }
            for i in 0..<k {
                let s = replicates.map { $0[i] }.sorted()
                let t = replicates.map { $0[k + i] }.sorted()
                lowS[i] = Statistics.percentile(sorted: s, 0.025)
                highS[i] = Statistics.percentile(sorted: s, 0.975)
                lowT[i] = Statistics.percentile(sorted: t, 0.025)
                highT[i] = Statistics.percentile(sorted: t, 0.975)
            }
        }
        let indices = (0..<k).map { i in
            SobolIndex(group: names[i], firstOrder: point.first[i], firstOrderLow: lowS[i], firstOrderHigh: highS[i],
                       total: point.total[i], totalLow: lowT[i], totalHigh: highT[i])
        }
        return SobolResult(indices: indices, variance: point.variance, mean: point.mean, baseSamples: n,
                           evaluations: n * (k + 2), bootstrap: settings.bootstrap, nonFiniteEvaluations: nonFinite)
    }

    /// Jansen's estimators over the rows `rows` (every row once, in order, when nil).
    /// Sums run in row order. V is computed about the full sample's mean (a shift that
    /// leaves the variance unchanged and keeps the one-pass sum of squares accurate).
    struct Estimates {
        var mean: Double
        var variance: Double
        var first: [Double]
        var total: [Double]

        init(fA: [Double], fB: [Double], fAB: [Double], n: Int, k: Int, rows: [Int]?) {
            var shift = 0.0
            for j in 0..<n { shift += fA[j] + fB[j] }
            shift /= Double(2 * n)
            var sum = 0.0, sumSquares = 0.0
            for r in 0..<n {
                let j = rows?[r] ?? r
                let a = fA[j] - shift, b = fB[j] - shift
                sum += a + b
                sumSquares += a * a + b * b
            }
            let twoN = Double(2 * n)
            let centred = sum / twoN
            mean = shift + centred
            let v = sumSquares / twoN - centred * centred
            variance = v.isNaN ? .nan : Swift.max(0, v)   // NaN when some evaluation was undefined
            first = [Double](repeating: .nan, count: k)
            total = first
            for i in 0..<k {
                var sb = 0.0, sa = 0.0
                let base = i * n
                for r in 0..<n {
                    let j = rows?[r] ?? r
                    let y = fAB[base + j]
                    let db = fB[j] - y, da = fA[j] - y
                    sb += db * db
                    sa += da * da
                }
                guard variance > 0 else { continue }
                first[i] = (variance - sb / twoN) / variance
                total[i] = sa / twoN / variance
            }
        }
    }

    struct Block: Sendable {
        var fA: [Double]
        var fB: [Double]
        /// `fAB[i * rows + j]`.
        var fAB: [Double]
    }

    /// One block: its rows of A and B from the stream of (seed, b), then every evaluation.
    static func runBlock(_ b: Int, rows m: Int, dimension d: Int, groups: [SobolGroup], settings: SobolSettings,
                         evaluate: Evaluator) -> Block {
        let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64(b))
        let k = groups.count
        let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        let bRow = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        let mixed = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        defer { a.deallocate(); bRow.deallocate(); mixed.deallocate() }
        let coordinates = groups.map(\.coordinates)
        var block = Block(fA: [Double](repeating: 0, count: m), fB: [Double](repeating: 0, count: m),
                          fAB: [Double](repeating: 0, count: k * m))
        block.fA.withUnsafeMutableBufferPointer { fA in
            block.fB.withUnsafeMutableBufferPointer { fB in
                block.fAB.withUnsafeMutableBufferPointer { fAB in
                    for j in 0..<m {
                        for c in 0..<d { a[c] = stream.uniform() }
                        for c in 0..<d { bRow[c] = stream.uniform() }
                        fA[j] = evaluate(UnsafeBufferPointer(a))
                        fB[j] = evaluate(UnsafeBufferPointer(bRow))
                        for i in 0..<k {
                            _ = mixed.update(fromContentsOf: a)
                            coordinates[i].withUnsafeBufferPointer { cs in
                                for c in cs { mixed[c] = bRow[c] }
                            }
                            fAB[i * m + j] = evaluate(UnsafeBufferPointer(mixed))
                        }
                    }
                }
            }
        }
        return block
    }
}

// MARK: - The savings model's groups

extension SobolIndices {
    /// The groups of a scenario: each scalar input (named by its path), then the event
    /// uniforms as up to three groups (only those present): "adoption timing" (the Bass
    /// joiners' uniforms), "partner exits", "risk events". Coordinates are those of
    /// `PointEvaluator`: scalars first, then the events at their `InputSpace` offsets.
    public static func groups(for space: InputSpace) -> [SobolGroup] {
        var groups = space.scalars.enumerated().map { k, input in SobolGroup(name: input.path, coordinates: [k]) }
        let s = space.scalarCount
        func add(_ name: String, _ offset: Int, _ count: Int) {
            guard count > 0 else { return }
            groups.append(SobolGroup(name: name, coordinates: Array((s + offset)..<(s + offset + count))))
        }
        add(eventGroupNames.adoption, 0, space.bassUniformCount)
        add(eventGroupNames.exits, space.exitOffset, space.exitUniformCount)
        add(eventGroupNames.risks, space.riskOffset, space.riskUniformCount)
        return groups
    }

    public static let eventGroupNames = (adoption: "adoption timing", exits: "partner exits", risks: "risk events")

    /// The study on a compiled model for one scalar metric: one `PointEvaluator` per block.
    public static func estimate(model: CompiledModel, metric: ScalarMetric, settings: SobolSettings,
                                progress: (@Sendable (Int) -> Void)? = nil) -> SobolResult {
        let evaluatorDimension = model.space.scalarCount + model.space.eventUniformCount
        return estimate(dimension: Swift.max(1, evaluatorDimension), groups: groups(for: model.space),
                        settings: settings, progress: progress) {
            let evaluator = PointEvaluator(model: model)
            return { u in
                evaluator.evaluate(u)
                return evaluator.scalar(metric)
            }
        }
    }
}
