import Stochastics

/// The model as a function of one point of the unit hypercube (ARCHITECTURE.md): the
/// first `space.scalarCount` coordinates are the scalar inputs' uniforms, turned into
/// values by each distribution's quantile function (through the Gaussian copula for the
/// correlated ones); the rest are the event uniforms (Bass, exit, risk), used as they are.
///
/// Every what-if method is built on this: common random numbers (the same point evaluated
/// under two scenarios), Saltelli's matrices for Sobol indices, goal seeking. Drawing by
/// inverse transform is what makes the points comparable: a direct sampler (ziggurat,
/// rejection) may consume a different number of uniforms when a parameter changes, which
/// would break the pairing. It is slower than the direct samplers `run` uses, so `run`
/// keeps those.
///
/// Not thread-safe: one evaluator per thread (it owns a workspace).
public final class PointEvaluator {
    public let model: CompiledModel
    let workspace: Workspace
    let inputs: UniformInputs
    /// An input held at a value whatever its uniform says (switching values, goal seek).
    public var pinned: (input: Int, value: Double)?

    public init(model: CompiledModel) {
        self.model = model
        workspace = Workspace(model: model)
        inputs = UniformInputs(space: model.space)
    }

    /// Scalar inputs then event uniforms.
    public var dimension: Int { model.space.scalarCount + model.space.eventUniformCount }

    /// Evaluates the model at `u` (`dimension` coordinates, each in (0, 1)). The results
    /// stay readable through `scalar(_:)`, `series(_:year:)` and `authorityNPV(_:)` until
    /// the next call.
    public func evaluate(_ u: UnsafeBufferPointer<Double>) {
        precondition(u.count >= dimension)
        inputs.fill(u, into: workspace)
        if let pinned { workspace.values[pinned.input] = pinned.value }
        workspace.evaluate()
    }

    /// Evaluates the model at given input values (not uniforms) and event uniforms: for
    /// a goal seek or a base case where an input is pinned to a value.
    public func evaluate(values: UnsafeBufferPointer<Double>, events: UnsafeBufferPointer<Double>) {
        let space = model.space
        precondition(values.count >= space.scalarCount && events.count >= space.eventUniformCount)
        for k in 0..<space.scalarCount { workspace.values[k] = values[k] }
        for e in 0..<space.eventUniformCount { workspace.events[e] = events[e] }
        workspace.evaluate()
    }

    /// A scalar result of the last evaluation.
    public func scalar(_ m: ScalarMetric) -> Double { workspace.scalars[m.rawValue] }

    /// A yearly result of the last evaluation.
    public func series(_ s: YearlySeries, year t: Int) -> Double { workspace.series[s.rawValue * model.years + t] }

    /// Authority i's financial NPV in the last evaluation.
    public func authorityNPV(_ i: Int) -> Double { workspace.authorityNPV[i] }

    /// The value scalar input k took in the last evaluation.
    public func inputValue(_ k: Int) -> Double { workspace.values[k] }
}
