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

/// Which store columns hold which results (all Float64, in this order). Each authority's
/// costs and join year are not columns: they are reduced block by block (`PartnerTallies`).
public struct ColumnLayout: Sendable, Equatable {
    public let scalars, series, authorityNPV, inputs, riskOccurrences: Range<Int>
    public var count: Int { riskOccurrences.upperBound }

    public init(model: CompiledModel) {
        var next = 0
        func take(_ n: Int) -> Range<Int> {
            defer { next += n }
            return next..<(next + n)
        }
        scalars = take(ScalarMetric.allCases.count)
        series = take(YearlySeries.allCases.count * model.years)
        authorityNPV = take(model.authorityCount)
        inputs = take(model.space.scalarCount)
        riskOccurrences = take(model.riskProbability.count)
    }
}

/// Every iteration's results, by column, in iteration order (MODEL.md §8): scalars, each
/// series × year, each authority's NPV, each scalar input, each risk's occurrences; and, per
/// block, each authority's costs and join years reduced (`partners`). Blocks write their own
/// ranges of one `ColumnStore` and their own slot of the tallies in place, so neither
/// depends on the thread count. Copies of this value share the store (it can hold
/// gigabytes); `appending` and `copied` make new ones.
public struct SimulationColumns: Sendable {
    public private(set) var iterations: Int
    /// Block slots filled so far (the blocks behind `iterations`).
    public private(set) var blocks: Int
    public let layout: ColumnLayout
    public let store: ColumnStore
    /// Each authority's costs and join years, block by block.
    public let partners: PartnerTallies

    /// Room for `capacity` iterations in up to `blocks` blocks; `iterations` counts those
    /// filled so far.
    public init(model: CompiledModel, capacity: Int, blocks: Int, memoryBudget: Int = ColumnStore.defaultMemoryBudget) {
        self.init(layout: ColumnLayout(model: model), authorities: model.authorityCount, years: model.years,
                  capacity: capacity, blocks: blocks, memoryBudget: memoryBudget)
    }

    init(layout: ColumnLayout, authorities: Int, years: Int, capacity: Int, blocks: Int,
         memoryBudget: Int = ColumnStore.defaultMemoryBudget) {
        self.layout = layout
        store = ColumnStore(columns: layout.count, capacity: capacity, memoryBudget: memoryBudget)
        partners = PartnerTallies(authorities: authorities, years: years, blocks: blocks)
        iterations = 0
        self.blocks = 0
    }

    /// Authority a's mean costs PV over the iterations (PartnerTallies.meanCosts).
    public func meanCosts(authority a: Int) -> Double {
        partners.meanCosts(authority: a, blocks: blocks, iterations: iterations)
    }

    /// Authority a's join-year counts over the iterations, and how often it does not join
    /// within the horizon.
    public func joinYearCounts(authority a: Int) -> (counts: [Int], never: Int) {
        partners.joinYearCounts(authority: a, blocks: blocks)
    }

    /// `scalars[metric.rawValue]`.
    public var scalars: ColumnGroup { ColumnGroup(columns: self, range: layout.scalars) }
    /// `series[s.rawValue * years + t]`.
    public var series: ColumnGroup { ColumnGroup(columns: self, range: layout.series) }
    /// `authorityNPV[i]`.
    public var authorityNPV: ColumnGroup { ColumnGroup(columns: self, range: layout.authorityNPV) }
    /// `riskOccurrences[r]`: times risk r struck within the horizon.
    public var riskOccurrences: ColumnGroup { ColumnGroup(columns: self, range: layout.riskOccurrences) }
    /// `inputs[k]`: the value of scalar input k.
    public var inputs: ColumnGroup { ColumnGroup(columns: self, range: layout.inputs) }

    public func scalar(_ m: ScalarMetric) -> [Double] { Array(scalars[m.rawValue]) }
    public func series(_ s: YearlySeries, year t: Int, years: Int) -> [Double] { Array(series[s.rawValue * years + t]) }

    /// Calls `body` with store column c's filled values (in place when in memory).
    public func withColumn<R>(_ c: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try store.withColumn(c, count: iterations, body)
    }

    /// Appends the workspace's current iteration as a block of one (single-iteration runs:
    /// the base case).
    mutating func append(_ w: Workspace) {
        precondition(iterations < store.capacity && blocks < partners.capacity, "SimulationColumns.append beyond its capacity")
        let sink = BlockSink(columns: self, slot: blocks, offset: iterations, count: 1)
        sink.put(w, iteration: 0)
        sink.finish()
        iterations += 1
        blocks += 1
    }

    /// Marks `count` iterations in `blocks` block slots as filled (blocks have written them
    /// in place).
    mutating func filled(_ count: Int, blocks: Int) {
        precondition(count <= store.capacity && blocks <= partners.capacity)
        iterations = count
        self.blocks = blocks
    }

    /// These columns followed by another run's, in a new store (shards joined in block order).
    public func appending(contentsOf other: SimulationColumns) -> SimulationColumns {
        precondition(layout == other.layout)
        var joined = SimulationColumns(layout: layout, authorities: partners.authorities, years: partners.years,
                                       capacity: iterations + other.iterations, blocks: blocks + other.blocks)
        for part in [self, other] {
            for c in 0..<layout.count {
                part.withColumn(c) { joined.store.write($0, column: c, at: joined.iterations) }
            }
            joined.partners.copy(part.blocks, slotsOf: part.partners, from: 0, to: joined.blocks)
            joined.iterations += part.iterations
            joined.blocks += part.blocks
        }
        return joined
    }

    /// The same columns in a new store with the given memory budget (a budget of 1 byte
    /// puts them on disk: tests of the spilled path).
    public func copied(memoryBudget: Int) -> SimulationColumns {
        var copy = SimulationColumns(layout: layout, authorities: partners.authorities, years: partners.years,
                                     capacity: iterations, blocks: blocks, memoryBudget: memoryBudget)
        for c in 0..<layout.count { withColumn(c) { copy.store.write($0, column: c, at: 0) } }
        copy.partners.copy(blocks, slotsOf: partners, from: 0, to: 0)
        copy.filled(iterations, blocks: blocks)
        return copy
    }

    public mutating func append(contentsOf other: SimulationColumns) {
        self = appending(contentsOf: other)
    }
}

/// A group of columns (e.g. every authority's NPV), indexed from 0.
public struct ColumnGroup: RandomAccessCollection, Sendable {
    let columns: SimulationColumns
    let range: Range<Int>
    public var startIndex: Int { 0 }
    public var endIndex: Int { range.count }
    public subscript(k: Int) -> Column {
        precondition(k >= 0 && k < range.count)
        return Column(store: columns.store, index: range.lowerBound + k, count: columns.iterations)
    }
}

/// One column's values over the iterations. Element access reads the store (and writes it:
/// tests plant values with it); bulk readers use `withValues`.
public struct Column: RandomAccessCollection, Sendable {
    let store: ColumnStore
    let index: Int
    public let count: Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> Double {
        get {
            precondition(i >= 0 && i < count)
            return store[column: index, iteration: i]
        }
        nonmutating set {
            precondition(i >= 0 && i < count)
            store[column: index, iteration: i] = newValue
        }
    }
    public func withValues<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try store.withColumn(index, count: count, body)
    }
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R? {
        store.isOnDisk ? nil : try store.withColumn(index, count: count, body)
    }
}

extension Array where Element == Double {
    /// A column's values as an array (one copy).
    public init(_ column: Column) {
        self = column.withValues { values in
            Array(unsafeUninitializedCapacity: values.count) { buffer, n in
                if let base = values.baseAddress { buffer.baseAddress!.initialize(from: base, count: values.count) }
                n = values.count
            }
        }
    }
}

/// Where one block's iterations go: straight into the store's columns when it is in memory,
/// into a block-sized buffer written out at the end when it is on disk; each authority's
/// costs and join year into the block's own tallies, copied to its slot at the end (the
/// slots of blocks running side by side share cache lines at their edges, and a line
/// written by two threads every iteration would bounce between the cores). Either way the
/// per-iteration path is plain stores and additions, no allocation.
struct BlockSink {
    let store: ColumnStore
    let layout: ColumnLayout
    let partners: PartnerTallies
    /// The block's slot in `partners`.
    let slot: Int
    /// The block's tallies while it runs (one slot).
    let tallies: PartnerTallies
    let offset: Int
    let count: Int
    /// Column c's value for the block's iteration i is at `base[c * stride + i]`.
    let base: UnsafeMutablePointer<Double>
    let stride: Int
    let ownsBuffer: Bool
    let bufferCapacity: Int

    init(columns: SimulationColumns, slot: Int, offset: Int, count: Int) {
        let store = columns.store, layout = columns.layout
        precondition(slot < columns.partners.capacity)
        self.store = store
        self.layout = layout
        partners = columns.partners
        self.slot = slot
        tallies = PartnerTallies(authorities: partners.authorities, years: partners.years, blocks: 1)
        self.offset = offset
        self.count = count
        if let start = store.address(column: 0, iteration: offset) {
            base = start
            bufferCapacity = 0
            stride = store.capacity
            ownsBuffer = false
        } else {
            let buffer = store.takeBlockBuffer(count: layout.count * count)
            base = buffer.pointer
            bufferCapacity = buffer.capacity
            stride = count
            ownsBuffer = true
        }
    }

    @inline(__always)
    func put(_ w: Workspace, iteration i: Int) {
        @inline(__always) func column(_ c: Int) -> UnsafeMutablePointer<Double> { base + c * stride + i }
        for m in 0..<layout.scalars.count { column(layout.scalars.lowerBound + m).pointee = w.scalars[m] }
        for s in 0..<layout.series.count { column(layout.series.lowerBound + s).pointee = w.series[s] }
        for a in 0..<layout.authorityNPV.count { column(layout.authorityNPV.lowerBound + a).pointee = w.authorityNPV[a] }
        tallies.record(slot: 0, first: i == 0, costs: w.authorityCosts, joinYears: w.joinYear)
        for k in 0..<layout.inputs.count { column(layout.inputs.lowerBound + k).pointee = w.values[k] }
        for r in 0..<layout.riskOccurrences.count { column(layout.riskOccurrences.lowerBound + r).pointee = w.riskOccurrences[r] }
    }

    /// Copies the block's tallies to its slot, writes a buffered block out (nothing to do in
    /// memory) and hands the buffer back.
    func finish() {
        partners.copy(1, slotsOf: tallies, from: 0, to: slot)
        guard ownsBuffer else { return }
        for c in 0..<layout.count {
            store.write(UnsafeBufferPointer(start: base + c * stride, count: count), column: c, at: offset)
        }
        store.returnBlockBuffer((base, bufferCapacity))
    }
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

    /// Runs only the given blocks (in the order given), e.g. one shard's share; their
    /// iterations follow each other in the columns in that order.
    public static func run(_ model: CompiledModel, settings: RunSettings, blocks: [Int],
                           progress: (@Sendable (Int) -> Void)? = nil) -> SimulationColumns {
        let plan = settings.plan
        var offsets: [Int] = []
        var total = 0
        for b in blocks {
            offsets.append(total)
            total += plan.range(ofBlock: b).count
        }
        var columns = SimulationColumns(model: model, capacity: total, blocks: blocks.count)
        let target = columns
        let positions = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($1, (slot: $0, offset: offsets[$0])) })
        _ = BlockRunner.run(blocks: blocks, threads: settings.threads) { b in
            let n = plan.range(ofBlock: b).count, position = positions[b]!
            runBlock(model, settings: settings, block: b, iterations: n, into: target, slot: position.slot, at: position.offset)
            progress?(n)
            return n
        }
        columns.filled(total, blocks: blocks.count)
        return columns
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

    /// One block: its stream is seeded from (seed, block) alone. Its n iterations are
    /// written to `columns` from iteration `offset` on, its tallies to block slot `slot`.
    static func runBlock(_ model: CompiledModel, settings: RunSettings, block: Int, iterations n: Int,
                         into columns: SimulationColumns, slot: Int, at offset: Int) {
        let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64(block))
        let workspace = Workspace(model: model)
        let draws = InputDraws(space: model.space, method: settings.sampling, iterations: n, stream: stream)
        let sink = BlockSink(columns: columns, slot: slot, offset: offset, count: n)
        for i in 0..<n {
            draws.fill(iteration: i, into: workspace)
            workspace.evaluate()
            sink.put(workspace, iteration: i)
        }
        sink.finish()
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
        var columns = SimulationColumns(model: model, capacity: 1, blocks: 1)
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
            stream.fillUniforms(w.events.baseAddress!, count: space.eventUniformCount)
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
        for (j, k) in space.correlated.enumerated() {
            w.values[k] = distributions[k].quantile(correlatedUniforms[j], from: space.quantileStarts[k])
        }
    }
}
