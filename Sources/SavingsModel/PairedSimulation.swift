import Stochastics

/// Common random numbers for what-if analysis (docs/whatif.md): several variants of a
/// scenario (sweep points, options to compare, goal-seek trials) evaluated at the *same*
/// uniforms, so that the difference between two variants is the change's, not sampling
/// noise.
///
/// Each coordinate of each variant's unit hypercube (PointEvaluator) is named by what it
/// drives — `input:<path>`, `bass:<authority>`, `exit:<authority>`, `risk:<name>:<year>` —
/// and coordinates with the same name share one column of a block's uniform matrix. So an
/// input keeps its uniform when another input changes, an authority keeps its adoption and
/// exit draws when a partner is added or removed, and a risk keeps its year-by-year draws.
/// An input that is uncertain in only some variants gets its own column; where it is fixed
/// the column is simply unused.
public struct CommonLayout: Sendable {
    /// The union of every variant's coordinate names, first variant first.
    public let keys: [String]
    /// `columns[v][c]`: the column of variant v's coordinate c.
    public let columns: [[Int]]

    public init(variants: [CompiledModel]) {
        var index: [String: Int] = [:]
        var keys: [String] = []
        columns = variants.map { model in
            Self.keys(of: model).map { key in
                if let k = index[key] { return k }
                index[key] = keys.count
                keys.append(key)
                return keys.count - 1
            }
        }
        self.keys = keys
    }

    public var dimension: Int { keys.count }

    /// The names of a model's coordinates, in PointEvaluator order.
    public static func keys(of model: CompiledModel) -> [String] {
        let space = model.space
        var keys = space.scalars.map { "input:\($0.path)" }
        let authorities = model.scenario.authorities
        for i in authorities.indices where model.bassRank[i] >= 0 {
            keys.append("bass:\(authorities[i].name)")
        }
        // bassRank numbers the Bass joiners in listed order, so the loop above is in
        // uniform order; check the count in case that ever changes.
        precondition(keys.count == space.scalarCount + space.bassUniformCount)
        if space.exitUniformCount > 0 {
            for a in authorities { keys.append("exit:\(a.name)") }
        }
        let years = model.years
        for risk in model.scenario.risks {
            for t in 0..<years { keys.append("risk:\(risk.name):\(t)") }
        }
        precondition(keys.count == space.scalarCount + space.eventUniformCount)
        return keys
    }
}

/// Runs variants with common random numbers, block by block over all cores; the result is
/// the same for any thread count (each block's uniforms come from its own stream, and
/// blocks are gathered in order).
public enum PairedSimulation {
    /// Every variant's scalar results: `[variant][ScalarMetric.rawValue][iteration]`.
    public static func scalars(_ variants: [CompiledModel], settings: RunSettings) -> [[[Double]]] {
        let layout = CommonLayout(variants: variants)
        let plan = settings.plan
        let parts = BlockRunner.run(blocks: Array(0..<plan.blockCount), threads: settings.threads) { b in
            block(variants, layout: layout, settings: settings, block: b, iterations: plan.range(ofBlock: b).count)
        }
        let metrics = ScalarMetric.allCases.count
        var result = variants.map { _ in
            (0..<metrics).map { _ -> [Double] in
                var c = [Double]()
                c.reserveCapacity(settings.iterations)
                return c
            }
        }
        for part in parts {
            for v in variants.indices {
                for m in 0..<metrics { result[v][m].append(contentsOf: part[v][m]) }
            }
        }
        return result
    }

    /// One block: fill its uniform matrix over the common layout, then evaluate every
    /// variant on every row.
    static func block(_ variants: [CompiledModel], layout: CommonLayout, settings: RunSettings,
                      block b: Int, iterations n: Int) -> [[[Double]]] {
        let d = layout.dimension
        let stream = RandomStream(kind: settings.generator, seed: settings.seed, block: UInt64(b))
        let u = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n * d, 1))
        let permutation = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(n, 1))
        defer {
            u.deallocate()
            permutation.deallocate()
        }
        UniformMatrix.fill(u, iterations: n, dimension: d, method: settings.sampling, stream: stream,
                           permutation: permutation)
        let metrics = ScalarMetric.allCases.count
        var out: [[[Double]]] = []
        for (v, model) in variants.enumerated() {
            let evaluator = PointEvaluator(model: model)
            let map = layout.columns[v]
            let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(map.count, 1))
            defer { row.deallocate() }
            var columns = (0..<metrics).map { _ -> [Double] in
                var c = [Double]()
                c.reserveCapacity(n)
                return c
            }
            for i in 0..<n {
                let base = i * d
                for (c, column) in map.enumerated() { row[c] = u[base + column] }
                evaluator.evaluate(UnsafeBufferPointer(row))
                for m in 0..<metrics { columns[m].append(evaluator.workspace.scalars[m]) }
            }
            out.append(columns)
        }
        return out
    }
}
