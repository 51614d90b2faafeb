import ScenarioFiles
import Stochastics

/// Every uncertain thing in a scenario, numbered (ARCHITECTURE.md: the model is a pure
/// function of uniforms).
///
/// - *Scalar inputs* are the distributions written in the scenario: one value each per
///   iteration, index k in 0 ..< scalarCount. They are what sensitivity analysis ranks.
/// - *Event uniforms* drive the structural randomness: one per Bass joiner (its adoption
///   time), one per authority for its exit time, one per risk per year for whether the
///   event strikes. They are uniforms on (0, 1) turned into events by the model.
public struct InputSpace: Sendable {
    public let scalars: [Input]
    /// Index of each scalar input by canonical path.
    public let indexByPath: [String: Int]
    public let copula: GaussianCopula?
    /// Scalar indices taking part in the copula, in the copula's order.
    public let correlated: [Int]
    /// For each scalar input, tabulated quantile starts when it is correlated and beta or
    /// PERT (it then takes a quantile every iteration: `Distribution.quantile(_:from:)`);
    /// nil otherwise. Decided by the scenario alone, so every run of it takes the same path.
    public let quantileStarts: [BetaQuantileStarts?]

    public let bassUniformCount: Int
    public let exitUniformCount: Int
    public let riskUniformCount: Int
    public var eventUniformCount: Int { bassUniformCount + exitUniformCount + riskUniformCount }
    public var scalarCount: Int { scalars.count }
    /// Offsets of each event-uniform group within the event vector.
    public var exitOffset: Int { bassUniformCount }
    public var riskOffset: Int { bassUniformCount + exitUniformCount }

    init(scalars: [Input], bass: Int, exit: Int, risk: Int, correlations: [Correlation]) throws(ModelError) {
        self.scalars = scalars
        var byPath: [String: Int] = [:]
        for (k, input) in scalars.enumerated() { byPath[input.path] = k }
        indexByPath = byPath
        bassUniformCount = bass
        exitUniformCount = exit
        riskUniformCount = risk

        guard !correlations.isEmpty else {
            copula = nil
            correlated = []
            quantileStarts = Array(repeating: nil, count: scalars.count)
            return
        }
        var order: [Int] = []
        for c in correlations {
            for path in [c.first, c.second] {
                guard let k = byPath[path] else {
                    throw ModelError("correlation names '\(path)', which is not an uncertain input of this scenario",
                                     fix: "name an input written as a distribution; the uncertain inputs are: \(scalars.map(\.path).joined(separator: ", "))")
                }
                if !order.contains(k) { order.append(k) }
            }
        }
        var matrix = Array(repeating: Array(repeating: 0.0, count: order.count), count: order.count)
        for i in order.indices { matrix[i][i] = 1 }
        for c in correlations {
            let a = order.firstIndex(of: byPath[c.first]!)!, b = order.firstIndex(of: byPath[c.second]!)!
            guard a != b else {
                throw ModelError("correlation between '\(c.first)' and itself", fix: "name two different inputs")
            }
            matrix[a][b] = c.spearman
            matrix[b][a] = c.spearman
        }
        do {
            copula = try GaussianCopula(names: order.map { scalars[$0].path }, spearman: matrix)
        } catch {
            throw ModelError(error.problem, fix: error.fix)
        }
        correlated = order
        var starts = [BetaQuantileStarts?](repeating: nil, count: scalars.count)
        for k in order { starts[k] = scalars[k].distribution.quantileStarts() }
        quantileStarts = starts
    }
}

/// A scenario that cannot be simulated as written (found after file validation, e.g.
/// inconsistent correlations).
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public let problem: String
    public let fix: String
    public init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }
    public var description: String { "\(problem). Fix: \(fix)" }
}
