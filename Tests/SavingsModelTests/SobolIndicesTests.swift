// Sobol indices (SobolIndices.swift) against functions whose indices are known in closed
// form: the Ishigami function (Ishigami & Homma 1990; the variance decomposition as in
// Sobol' & Levitan 1999 and Saltelli et al. 2010 §4) and a linear additive model.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

struct SobolIndicesTests {
    /// f(x) = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁, xᵢ ~ U(−π, π), from u ∈ (0, 1)³.
    static func ishigami(a: Double, b: Double) -> @Sendable () -> SobolIndices.Evaluator {
        { { u in
            let x1 = -Double.pi + 2 * Double.pi * u[0]
            let x2 = -Double.pi + 2 * Double.pi * u[1]
            let x3 = -Double.pi + 2 * Double.pi * u[2]
            let s2 = sin(x2)
            return sin(x1) + a * s2 * s2 + b * pow(x3, 4) * sin(x1)
        } }
    }

    /// The analytic partial variances of the Ishigami function:
    /// V₁ = ½(1 + bπ⁴/5)², V₂ = a²/8, V₃ = 0, V₁₃ = b²π⁸(1/18 − 1/50) = 8b²π⁸/225,
    /// V = a²/8 + bπ⁴/5 + b²π⁸/18 + ½.
    /// First order Sᵢ = Vᵢ/V; total ST₁ = (V₁ + V₁₃)/V, ST₂ = V₂/V, ST₃ = V₁₃/V.
    static func ishigamiIndices(a: Double, b: Double) -> (first: [Double], total: [Double]) {
        let pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
        let v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5)
        let v2 = a * a / 8
        let v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
        let v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5
        #expect(abs(v - (v1 + v2 + v13)) < 1e-9 * v, "the partial variances add up to V")
        return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    static let singles = (0..<3).map { SobolGroup(name: "x\($0 + 1)", coordinates: [$0]) }

    @Test func ishigamiIndicesLieWithinTheirBootstrapIntervals() {
        let (first, total) = Self.ishigamiIndices(a: 7, b: 0.1)
        // The closed forms give the published figures.
        #expect(abs(first[0] - 0.3139) < 1e-4 && abs(first[1] - 0.4424) < 1e-4)
        #expect(abs(total[0] - 0.5576) < 1e-4 && abs(total[2] - 0.2437) < 1e-4)
        let settings = SobolSettings(baseSamples: 20_000, bootstrap: 500, seed: 2026, threads: 2)
        let result = SobolIndices.estimate(dimension: 3, groups: Self.singles, settings: settings,
                                           makeEvaluator: Self.ishigami(a: 7, b: 0.1))
        #expect(result.evaluations == 20_000 * 5)
        for (i, index) in result.indices.enumerated() {
            print("Ishigami x\(i + 1): S = \(index.firstOrder) [\(index.firstOrderLow), \(index.firstOrderHigh)] (exact \(first[i])), ST = \(index.total) [\(index.totalLow), \(index.totalHigh)] (exact \(total[i]))")
            #expect(index.firstOrderLow <= first[i] && first[i] <= index.firstOrderHigh, "S\(i + 1)")
            #expect(index.totalLow <= total[i] && total[i] <= index.totalHigh, "ST\(i + 1)")
            #expect(index.firstOrderLow <= index.firstOrder && index.firstOrder <= index.firstOrderHigh)
            #expect(index.firstOrderHigh - index.firstOrderLow < 0.1 && index.totalHigh - index.totalLow < 0.1,
                    "the intervals are narrow enough to mean something")
        }
    }

    /// f = Σ aᵢ uᵢ with uᵢ ~ U(0, 1): Var uᵢ = 1/12, so Sᵢ = STᵢ = aᵢ² / Σ a².
    @Test func linearAdditiveModelHasItsClosedFormIndices() {
        let a = [4.0, 2.0, 1.0, 0.0]
        let exact = a.map { $0 * $0 / a.reduce(0) { $0 + $1 * $1 } }
        let groups = (0..<4).map { SobolGroup(name: "u\($0)", coordinates: [$0]) }
        let settings = SobolSettings(baseSamples: 8_000, bootstrap: 300, seed: 11, threads: 2)
        let result = SobolIndices.estimate(dimension: 4, groups: groups, settings: settings) {
            { u in a[0] * u[0] + a[1] * u[1] + a[2] * u[2] + a[3] * u[3] }
        }
        #expect(abs(result.variance - a.reduce(0) { $0 + $1 * $1 } / 12) < 0.05 * result.variance)
        for (i, index) in result.indices.enumerated() {
            #expect(index.firstOrderLow <= exact[i] && exact[i] <= index.firstOrderHigh, "S\(i)")
            #expect(index.totalLow <= exact[i] && exact[i] <= index.totalHigh, "ST\(i)")
        }
        // An input the output ignores has a total index of exactly 0: f(A) = f(A_B^(i)).
        #expect(result.indices[3].total == 0)
    }

    /// A group of one coordinate gives exactly the ungrouped index, and grouping the other
    /// coordinates leaves it untouched; a group's first-order index of an additive model
    /// is the sum of its members'.
    @Test func aGroupOfOneEqualsTheUngroupedIndex() {
        let settings = SobolSettings(baseSamples: 2_000, bootstrap: 100, seed: 5, threads: 1)
        let ungrouped = SobolIndices.estimate(dimension: 3, groups: Self.singles, settings: settings,
                                              makeEvaluator: Self.ishigami(a: 7, b: 0.1))
        let grouped = SobolIndices.estimate(dimension: 3, groups: [SobolGroup(name: "x1", coordinates: [0]),
                                                                    SobolGroup(name: "x2 and x3", coordinates: [1, 2])],
                                            settings: settings, makeEvaluator: Self.ishigami(a: 7, b: 0.1))
        #expect(grouped.indices[0] == ungrouped.indices[0])
        #expect(grouped.variance == ungrouped.variance)

        let additive: @Sendable () -> SobolIndices.Evaluator = { { u in 3 * u[0] + 2 * u[1] + u[2] } }
        let pair = SobolIndices.estimate(dimension: 3, groups: [SobolGroup(name: "u0 and u1", coordinates: [0, 1])],
                                         settings: SobolSettings(baseSamples: 8_000, bootstrap: 200, seed: 3, threads: 1),
                                         makeEvaluator: additive)
        let exact = (9.0 + 4.0) / 14.0
        #expect(pair.indices[0].firstOrderLow <= exact && exact <= pair.indices[0].firstOrderHigh)
        #expect(pair.indices[0].totalLow <= exact && exact <= pair.indices[0].totalHigh)
    }

    /// The same seed gives the same bits for any thread count and block split of the work.
    @Test func resultsDoNotDependOnTheThreadCount() {
        func run(_ threads: Int) -> SobolResult {
            SobolIndices.estimate(dimension: 3, groups: Self.singles,
                                  settings: SobolSettings(baseSamples: 1_000, bootstrap: 50, seed: 9, threads: threads,
                                                          rowsPerBlock: 37),
                                  makeEvaluator: Self.ishigami(a: 7, b: 0.1))
        }
        let one = run(1), three = run(3)
        #expect(one.indices == three.indices)
        #expect(one.variance == three.variance && one.mean == three.mean)
    }

    /// The estimators on hand-made evaluations: N = 2, one group.
    /// fA = (1, 3), fB = (2, 4), fAB = (1, 5): V over {1, 3, 2, 4} = 1.25;
    /// S = (1.25 − ((2−1)² + (4−5)²)/4) / 1.25 = 0.6; ST = ((1−1)² + (3−5)²)/4 / 1.25 = 0.8.
    @Test func jansenEstimatorsOnHandMadeNumbers() {
        let r = SobolIndices.estimate(fA: [1, 3], fB: [2, 4], fAB: [1, 5], groups: ["g"],
                                      settings: SobolSettings(baseSamples: 2, bootstrap: 0, seed: 1))
        #expect(r.variance == 1.25 && r.mean == 2.5)
        #expect(abs(r.indices[0].firstOrder - 0.6) < 1e-15)
        #expect(abs(r.indices[0].total - 0.8) < 1e-15)
        #expect(r.indices[0].firstOrderLow.isNaN, "no bootstrap, no interval")
    }

    /// The model's groups: one per scalar input, then the event groups that exist, at the
    /// PointEvaluator's coordinates.
    @Test func modelGroupsFollowTheInputSpace() throws {
        let space = try InputSpace(scalars: [Input(try .uniform(min: 0, max: 1), path: "a"), Input(try .uniform(min: 0, max: 1), path: "b")],
                                   bass: 2, exit: 0, risk: 3, correlations: [])
        let groups = SobolIndices.groups(for: space)
        #expect(groups.map(\.name) == ["a", "b", "adoption timing", "risk events"])
        #expect(groups.map(\.coordinates) == [[0], [1], [2, 3], [4, 5, 6]])
    }
}
