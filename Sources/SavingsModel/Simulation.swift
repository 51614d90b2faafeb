import Stochastics

/// How a run is made: everything that, with the scenario, fixes its numbers.
public struct RunSettings: Sendable, Equatable {
    public var iterations: Int
    public var seed: UInt64
    public var sampling: SamplingMethod
    public var generator: GeneratorKind
    /// Threads change only the speed, never the numbers.
    public var threads: Int
    public var blockSize: Int

    public init(iterations: Int, seed: UInt64, sampling: SamplingMethod = .monteCarlo,
                generator: GeneratorKind = .mt19937, threads: Int = BlockRunner.availableCores,
                blockSize: Int = BlockPlan.defaultBlockSize) {
        self.iterations = iterations
        self.seed = seed
        self.sampling = sampling
        self.generator = generator
        self.threads = threads
        self.blockSize = blockSize
    }

    public var plan: BlockPlan { BlockPlan(iterations: iterations, blockSize: blockSize) }
}

/// Every iteration's results, stored by column in iteration order. Columns are
/// filled block by block and concatenated in block order, so they do not depend on the
/// thread count.
public struct SimulationColumns: Sendable {
    public var iterations: Int
    /// `scalars[metric.rawValue][iteration]`.
    public var scalars: [[Double]]
    /// `series[s.rawValue * years + t][iteration]`.
    public var series: [[Double]]
    /// `authorityNPV[i][iteration]`.
    public var authorityNPV: [[Double]]
    /// `authorityCosts[i][iteration]`: PV of the costs authority i bears.
    public var authorityCosts: [[Double]]
    /// `riskOccurrences[r][iteration]`: times risk r struck within the horizon.
    public var riskOccurrences: [[Double]]
    /// `joinYear[i][iteration]`: the delayed join year index, or −1 when the authority
    /// does not join within the horizon.
    public var joinYear: [[Int16]]
    /// `inputs[k][iteration]`: the value of scalar input k.
    public var inputs: [[Double]]

    public init(model: CompiledModel, capacity: Int) {
        iterations = 0
        func columns<T>(_ count: Int, _: T.Type) -> [[T]] {
            (0..<count).map { _ in
                var c = [T]()
                c.reserveCapacity(capacity)
                return c
            }
        }
        scalars = columns(ScalarMetric.allCases.count, Double.self)
        series = columns(YearlySeries.allCases.count * model.years, Double.self)
        authorityNPV = columns(model.authorityCount, Double.self)
        authorityCosts = columns(model.authorityCount, Double.self)
        riskOccurrences = columns(model.riskProbability.count, Double.self)
        joinYear = columns(model.authorityCount, Int16.self)
        inputs = columns(model.space.scalarCount, Double.self)
    }

    /// Appends the workspace's current iteration.
    mutating func append(_ w: Workspace) {
        iterations += 1
        for m in scalars.indices { scalars[m].append(w.scalars[m]) }
        for s in series.indices { series[s].append(w.series[s]) }
        for i in authorityNPV.indices {
            authorityNPV[i].append(w.authorityNPV[i])
            authorityCosts[i].append(w.authorityCosts[i])
            let j = w.joinYear[i]
            joinYear[i].append(j < w.years ? Int16(j) : -1)
        }
        for k in inputs.indices { inputs[k].append(w.values[k]) }
        for r in riskOccurrences.indices { riskOccurrences[r].append(w.riskOccurrences[r]) }
    }

    /// Appends another block's columns after these.
    public mutating func append(contentsOf other: SimulationColumns) {
        iterations += other.iterations
        for m in scalars.indices { scalars[m].append(contentsOf: other.scalars[m]) }
        for s in series.indices { series[s].append(contentsOf: other.series[s]) }
        for i in authorityNPV.indices {
            authorityNPV[i].append(contentsOf: other.authorityNPV[i])
            authorityCosts[i].append(contentsOf: other.authorityCosts[i])
            joinYear[i].append(contentsOf: other.joinYear[i])
        }
        for k in inputs.indices { inputs[k].append(contentsOf: other.inputs[k]) }
        for r in riskOccurrences.indices { riskOccurrences[r].append(contentsOf: other.riskOccurrences[r]) }
    }

    public func scalar(_ m: ScalarMetric) -> [Double] { scalars[m.rawValue] }
    public func series(_ s: YearlySeries, year t: Int, years: Int) -> [Double] { series[s.rawValue * years + t] }
}

/// The Monte Carlo engine: draws each block's inputs from its own stream, evaluates the
/// model for every iteration, and gathers the columns in block order.
public enum Simulation {
    /// Runs every block. `progress`, if given, is called (from any thread) with the number
    /// of iterations each block completes; it cannot affect the results.
    public static func run(_ model: CompiledModel, settings: RunSettings,
                           progress: (@Sendable (Int) -> Void)? = nil) -> SimulationColumns {
        run(model, settings: settings, blocks: Array(0..<settings.plan.blockCount), progress: progress)
    }

    /// Runs only the given blocks (in the order given), e.g. one shard's share.
    public static func run(_ model: CompiledModel, settings: RunSettings, blocks: [Int],
                           progress: (@Sendable (Int) -> Void)? = nil) -> SimulationColumns {
        let plan = settings.plan
        let parts = BlockRunner.run(blocks: blocks, threads: settings.threads) { b in
            let n = plan.range(ofBlock: b).count
            let part = runBlock(model, settings: settings, block: b, iterations: n)
            progress?(n)
            return part
        }
        var all = SimulationColumns(model: model, capacity: parts.reduce(0) { $0 + $1.iterations })
        for part in parts { all.append(contentsOf: part) }
        return all
    }

    /// Why these settings cannot run this model, or nil: Sobol sampling gives every uncertain
    /// scalar input a quasi-random coordinate and GSL's generator has at most 40. (Event
    /// uniforms beyond the 40th coordinate are padded with pseudo-random numbers instead.)
    public static func samplingProblem(_ model: CompiledModel, settings: RunSettings) -> String? {
        guard settings.sampling == .sobol else { return nil }
        let count = model.space.scalarCount, limit = SobolPoints.maximumDimension
        if count > limit {
            return "sobol sampling needs one quasi-random coordinate per uncertain input, and this scenario has \(count) uncertain inputs but GSL's Sobol sequence has at most \(limit) dimensions. Fix: use --sampling latin-hypercube (or `sampling: latin-hypercube` in the scenario), or make some inputs fixed numbers"
        }
        if settings.blockSize > SobolPoints.maximumPoints {
            return "sobol sampling takes at most \(SobolPoints.maximumPoints) points per block (blocks of \(settings.blockSize) were asked for). Fix: use smaller blocks"
        }
        return nil
    }

    /// One block: its stream is seeded from (seed, block) alone.
    static func runBlock(_ model: CompiledModel, settings: RunSettings, block: Int, iterations n: Int) -> SimulationColumns {
        let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64(block))
        let workspace = Workspace(model: model)
        let draws = InputDraws(space: model.space, method: settings.sampling, iterations: n, stream: stream)
        var columns = SimulationColumns(model: model, capacity: n)
        for i in 0..<n {
            draws.fill(iteration: i, into: workspace)
            workspace.evaluate()
            columns.append(workspace)
        }
        return columns
    }

    /// The base case (MODEL.md §2): every input at its median; the k-th of n Bass joiners
    /// at Bass quantile (k − 0.5)/n; exit and risk uniforms at 0.5 (so an event occurs only
    /// when its probability exceeds one half).
    public static func baseCase(_ model: CompiledModel) -> SimulationColumns {
        let w = Workspace(model: model)
        for (k, input) in model.space.scalars.enumerated() { w.values[k] = input.distribution.median }
        let bassCount = model.space.bassUniformCount
        for k in 0..<bassCount { w.events[k] = (Double(k) + 0.5) / Double(bassCount) }
        for e in bassCount..<model.space.eventUniformCount { w.events[e] = 0.5 }
        w.evaluate()
        var columns = SimulationColumns(model: model, capacity: 1)
        columns.append(w)
        return columns
    }
}

/// Turns a block's random stream into each iteration's input values and event uniforms.
///
/// Monte Carlo: each uncorrelated scalar input by its distribution's direct sampler,
/// correlated ones as uniforms through the copula and then their quantile; event
/// uniforms straight from the stream. Latin hypercube: the whole block's uniforms are
/// stratified first, then the same copula and quantiles. Sobol: the scalar inputs' uniforms
/// are the block's shifted Sobol points, the event uniforms pseudo-random padding; then the
/// same copula and quantiles.
final class InputDraws {
    let space: InputSpace
    let method: SamplingMethod
    let stream: RandomStream
    let dimension: Int
    let inputs: UniformInputs
    /// Latin hypercube and Sobol only: the block's uniform matrix, `n × dimension`.
    let matrix: UnsafeMutableBufferPointer<Double>

    init(space: InputSpace, method: SamplingMethod, iterations n: Int, stream: RandomStream) {
        self.space = space
        self.method = method
        self.stream = stream
        dimension = space.scalarCount + space.eventUniformCount
        inputs = UniformInputs(space: space)
        if method == .monteCarlo {
            matrix = .allocate(capacity: 1)
        } else {
            matrix = .allocate(capacity: Swift.max(n * dimension, 1))
            let permutation = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(n, 1))
            defer { permutation.deallocate() }
            UniformMatrix.fill(matrix, iterations: n, dimension: dimension, method: method,
                               stream: stream, permutation: permutation)
        }
    }

    deinit {
        matrix.deallocate()
    }

    @inline(__always)
    func fill(iteration i: Int, into w: Workspace) {
        switch method {
        case .monteCarlo:
            for k in 0..<space.scalarCount {
                w.values[k] = inputs.isCorrelated[k] ? stream.uniform() : inputs.distributions[k].sample(using: stream)
            }
            for e in 0..<space.eventUniformCount { w.events[e] = stream.uniform() }
            inputs.correlate(w)
        case .latinHypercube, .sobol:
            inputs.fill(UnsafeBufferPointer(rebasing: matrix[(i * dimension)..<((i + 1) * dimension)]), into: w)
        }
    }
}

/// A point of the unit hypercube turned into an iteration's inputs (ARCHITECTURE.md): the
/// first `scalarCount` coordinates through each distribution's quantile function (the
/// correlated ones through the Gaussian copula first), the rest as event uniforms. Shared by
/// Latin hypercube and Sobol runs and by `PointEvaluator`. One per thread.
final class UniformInputs {
    let space: InputSpace
    let distributions: [Distribution]
    let isCorrelated: [Bool]
    let correlatedUniforms: UnsafeMutableBufferPointer<Double>
    let scratch: UnsafeMutableBufferPointer<Double>

    init(space: InputSpace) {
        self.space = space
        distributions = space.scalars.map(\.distribution)
        var flags = [Bool](repeating: false, count: space.scalarCount)
        for k in space.correlated { flags[k] = true }
        isCorrelated = flags
        let c = Swift.max(space.correlated.count, 1)
        correlatedUniforms = .allocate(capacity: c)
        scratch = .allocate(capacity: c)
    }

    deinit {
        correlatedUniforms.deallocate()
        scratch.deallocate()
    }

    @inline(__always)
    func fill(_ u: UnsafeBufferPointer<Double>, into w: Workspace) {
        let scalars = space.scalarCount
        for k in 0..<scalars { w.values[k] = isCorrelated[k] ? u[k] : distributions[k].quantile(u[k]) }
        for e in 0..<space.eventUniformCount { w.events[e] = u[scalars + e] }
        correlate(w)
    }

    /// The correlated inputs, which hold uniforms, through the copula and their quantiles.
    @inline(__always)
    func correlate(_ w: Workspace) {
        guard let copula = space.copula else { return }
        for (j, k) in space.correlated.enumerated() { correlatedUniforms[j] = w.values[k] }
        copula.correlate(correlatedUniforms, scratch: scratch)
        for (j, k) in space.correlated.enumerated() { w.values[k] = distributions[k].quantile(correlatedUniforms[j]) }
    }
}
