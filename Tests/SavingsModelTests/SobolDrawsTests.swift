// Which coordinates of a block are quasi-random under Sobol sampling: the scalar inputs,
// then event uniforms up to GSL's 40 dimensions; the rest is pseudo-random padding.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

@Suite("Sobol draws")
struct SobolDrawsTests {
    /// Whether column d of an n × k matrix (n = 2^m) has exactly n/16 values in each of 16 strata.
    static func stratified(_ u: UnsafeMutableBufferPointer<Double>, n: Int, k: Int, column d: Int) -> Bool {
        var hits = [Int](repeating: 0, count: 16)
        for i in 0..<n { hits[Int(u[i * k + d] * 16)] += 1 }
        return hits.allSatisfy { $0 == n / 16 }
    }

    @Test("Scalar inputs and the first event uniforms are Sobol coordinates; beyond 40, padding")
    func coordinates() throws {
        let model = try CompiledModel(try richScenario())
        let n = 1024
        let draws = InputDraws(space: model.space, method: .sobol, iterations: n, stream: RandomStream(seed: 5, block: 3))
        let k = draws.dimension
        // richScenario: a few scalar inputs and many event uniforms, more than 40 in all.
        #expect(model.space.scalarCount < 40 && k > 40, "\(model.space.scalarCount) scalars, \(k) coordinates")
        for d in 0..<40 { #expect(Self.stratified(draws.matrix, n: n, k: k, column: d), "coordinate \(d) of \(k)") }
        // Pseudo-random padding is (almost surely) not exactly stratified.
        let padded = (40..<k).filter { !Self.stratified(draws.matrix, n: n, k: k, column: $0) }.count
        #expect(padded == k - 40)
        #expect(Simulation.samplingProblem(model, settings: RunSettings(iterations: 1, seed: 1, sampling: .sobol)) == nil)
    }
}
