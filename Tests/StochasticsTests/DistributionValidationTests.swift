// Every invalid parameter combination is refused with its documented message. The
// scenario loader adds the file, line and key in front of `problem`, so the exact text
// here is what a council analyst reads.
import Foundation
import Testing
@testable import Stochastics

struct InvalidCase: Sendable, CustomTestStringConvertible {
    let build: @Sendable () throws -> Distribution
    let problem: String
    var testDescription: String { problem }
    init(_ problem: String, _ build: @escaping @Sendable () throws -> Distribution) {
        self.problem = problem
        self.build = build
    }
}

@Suite("Distribution validation")
struct DistributionValidationTests {
    static let nan = Double.nan, inf = Double.infinity

    static let invalid: [InvalidCase] = [
        // Ordering of min ≤ mode ≤ max.
        InvalidCase("pert: min (0.3) is greater than mode (0.2)") { try .pert(min: 0.3, mode: 0.2, max: 0.4) },
        InvalidCase("pert: mode (0.5) is greater than max (0.4)") { try .pert(min: 0.1, mode: 0.5, max: 0.4) },
        InvalidCase("triangular: min (100) is greater than mode (50)") { try .triangular(min: 100, mode: 50, max: 300) },
        InvalidCase("triangular: mode (400) is greater than max (300)") { try .triangular(min: 100, mode: 400, max: 300) },
        InvalidCase("uniform: min (0.5) is greater than max (0.2)") { try .uniform(min: 0.5, max: 0.2) },
        // PERT λ.
        InvalidCase("pert: lambda must be greater than 0, got 0") { try .pert(min: 0, mode: 1, max: 2, lambda: 0) },
        InvalidCase("pert: lambda must be greater than 0, got -1.5") { try .pert(min: 0, mode: 1, max: 2, lambda: -1.5) },
        // Normal.
        InvalidCase("normal: sd must not be negative, got -1") { try .normal(mean: 0, sd: -1) },
        InvalidCase("normal: the truncation bounds are empty (min 1 ≥ max 0)") { try .normal(mean: 0.5, sd: 1, min: 1, max: 0) },
        InvalidCase("normal: the truncation bounds are empty (min 0.5 ≥ max 0.5)") { try .normal(mean: 0.5, sd: 1, min: 0.5, max: 0.5) },
        InvalidCase("normal: [min, max] lies so far in the tail that it holds no probability") { try .normal(mean: 0, sd: 1, min: 50) },
        InvalidCase("normal: sd is 0 and the mean 5 lies outside [min, max]") { try .normal(mean: 5, sd: 0, min: 0, max: 1) },
        InvalidCase("normal: p10 (0.3) must be less than p90 (0.1)") { try .normal(p10: 0.3, p90: 0.1) },
        InvalidCase("normal: p10 (0.2) must be less than p90 (0.2)") { try .normal(p10: 0.2, p90: 0.2) },
        // Lognormal, all three forms.
        InvalidCase("lognormal: median must be greater than 0, got 0") { try .lognormal(median: 0, p90: 10) },
        InvalidCase("lognormal: median must be greater than 0, got -5") { try .lognormal(median: -5, p90: 10) },
        InvalidCase("lognormal: p90 (100) must be greater than the median (100)") { try .lognormal(median: 100, p90: 100) },
        InvalidCase("lognormal: p90 (50) must be greater than the median (100)") { try .lognormal(median: 100, p90: 50) },
        InvalidCase("lognormal: mean must be greater than 0, got 0") { try .lognormal(mean: 0, sd: 1) },
        InvalidCase("lognormal: mean must be greater than 0, got -3") { try .lognormal(mean: -3, sd: 1) },
        InvalidCase("lognormal: sd must be greater than 0, got 0") { try .lognormal(mean: 10, sd: 0) },
        InvalidCase("lognormal: sd must be greater than 0, got -2") { try .lognormal(mean: 10, sd: -2) },
        InvalidCase("lognormal: p10 must be greater than 0, got 0") { try .lognormal(p10: 0, p90: 10) },
        InvalidCase("lognormal: p90 (5) must be greater than p10 (10)") { try .lognormal(p10: 10, p90: 5) },
        // Beta.
        InvalidCase("beta: alpha and beta must both be greater than 0 (got 0, 2)") { try .beta(alpha: 0, beta: 2) },
        InvalidCase("beta: alpha and beta must both be greater than 0 (got 2, -1)") { try .beta(alpha: 2, beta: -1) },
        InvalidCase("beta: min (1) must be less than max (1)") { try .beta(alpha: 2, beta: 3, min: 1, max: 1) },
        InvalidCase("beta: min (2) must be less than max (1)") { try .beta(alpha: 2, beta: 3, min: 2, max: 1) },
        // Gamma.
        InvalidCase("gamma: shape and scale must both be greater than 0 (got 0, 1)") { try .gamma(shape: 0, scale: 1) },
        InvalidCase("gamma: shape and scale must both be greater than 0 (got 2, -3)") { try .gamma(shape: 2, scale: -3) },
        InvalidCase("gamma: shape and scale must both be greater than 0 (got 2, 0)") { try .gamma(shape: 2, scale: 0) },
        // Discrete.
        InvalidCase("discrete: values is empty") { try .discrete(values: [], weights: []) },
        InvalidCase("discrete: 3 values but 2 weights") { try .discrete(values: [0, 1, 2], weights: [0.5, 0.5]) },
        InvalidCase("discrete: weight 2 (-0.1) must be a number ≥ 0") { try .discrete(values: [0, 1, 2], weights: [0.6, -0.1, 0.5]) },
        InvalidCase("discrete: the weights sum to 0.75, not 1") { try .discrete(values: [0, 1], weights: [0.5, 0.25]) },
        InvalidCase("discrete: the weights sum to 1.25, not 1") { try .discrete(values: [0, 1], weights: [0.5, 0.75]) },
        InvalidCase("discrete: a value is listed twice") { try .discrete(values: [1, 2, 1], weights: [0.25, 0.5, 0.25]) },
        InvalidCase("discrete: value 2 is not a finite number") { try .discrete(values: [0, nan], weights: [0.5, 0.5]) },
        InvalidCase("discrete: value 1 is not a finite number") { try .discrete(values: [-inf, 0], weights: [0.5, 0.5]) },
        InvalidCase("discrete: weight 1 (nan) must be a number ≥ 0") { try .discrete(values: [0, 1], weights: [nan, 1]) },
        InvalidCase("discrete: weight 2 (inf) must be a number ≥ 0") { try .discrete(values: [0, 1], weights: [0, inf]) },
        // Bernoulli.
        InvalidCase("bernoulli: p (1.5) must lie between 0 and 1") { try .bernoulli(p: 1.5) },
        InvalidCase("bernoulli: p (-0.1) must lie between 0 and 1") { try .bernoulli(p: -0.1) },
        // NaN and infinite parameters, for every family and parameter position.
        InvalidCase("fixed: value is NaN") { try .fixedValue(nan) },
        InvalidCase("fixed: value is infinite") { try .fixedValue(-inf) },
        InvalidCase("uniform: min is NaN") { try .uniform(min: nan, max: 1) },
        InvalidCase("uniform: max is infinite") { try .uniform(min: 0, max: inf) },
        InvalidCase("triangular: mode is NaN") { try .triangular(min: 0, mode: nan, max: 1) },
        InvalidCase("triangular: max is infinite") { try .triangular(min: 0, mode: 0.5, max: inf) },
        InvalidCase("pert: min is infinite") { try .pert(min: -inf, mode: 0, max: 1) },
        InvalidCase("pert: lambda is NaN") { try .pert(min: 0, mode: 0.5, max: 1, lambda: nan) },
        InvalidCase("pert: lambda is infinite") { try .pert(min: 0, mode: 0.5, max: 1, lambda: inf) },
        InvalidCase("normal: mean is NaN") { try .normal(mean: nan, sd: 1) },
        InvalidCase("normal: sd is infinite") { try .normal(mean: 0, sd: inf) },
        InvalidCase("normal: min is NaN") { try .normal(mean: 0, sd: 1, min: nan) },
        InvalidCase("normal: max is infinite") { try .normal(mean: 0, sd: 1, max: inf) },
        InvalidCase("normal: p10 is NaN") { try .normal(p10: nan, p90: 1) },
        InvalidCase("normal: p90 is infinite") { try .normal(p10: 0, p90: inf) },
        InvalidCase("lognormal: median is NaN") { try .lognormal(median: nan, p90: 2) },
        InvalidCase("lognormal: p90 is infinite") { try .lognormal(median: 1, p90: inf) },
        InvalidCase("lognormal: mean is infinite") { try .lognormal(mean: inf, sd: 1) },
        InvalidCase("lognormal: sd is NaN") { try .lognormal(mean: 1, sd: nan) },
        InvalidCase("lognormal: p10 is NaN") { try .lognormal(p10: nan, p90: 2) },
        InvalidCase("beta: alpha is infinite") { try .beta(alpha: inf, beta: 2) },
        InvalidCase("beta: beta is NaN") { try .beta(alpha: 2, beta: nan) },
        InvalidCase("beta: min is NaN") { try .beta(alpha: 2, beta: 2, min: nan, max: 1) },
        InvalidCase("beta: max is infinite") { try .beta(alpha: 2, beta: 2, min: 0, max: inf) },
        InvalidCase("gamma: shape is NaN") { try .gamma(shape: nan, scale: 1) },
        InvalidCase("gamma: scale is infinite") { try .gamma(shape: 1, scale: inf) },
        InvalidCase("bernoulli: p is NaN") { try .bernoulli(p: nan) },
    ]

    @Test("an invalid parameter gives its documented error", arguments: invalid)
    func invalidParameters(_ c: InvalidCase) {
        let error = #expect(throws: StochasticsError.self) { try c.build() }
        #expect(error?.problem == c.problem)
        #expect(error.map { !$0.fix.isEmpty } ?? false, "every error says how to fix it")
        #expect(error.map { $0.description == "\($0.problem); \($0.fix)" } ?? false)
    }

    @Test("degenerate ranges collapse to a fixed value")
    func degenerate() throws {
        #expect(try Distribution.uniform(min: 2, max: 2) == .fixed(2))
        #expect(try Distribution.triangular(min: 3, mode: 3, max: 3) == .fixed(3))
        #expect(try Distribution.pert(min: 4, mode: 4, max: 4) == .fixed(4))
        #expect(try Distribution.pert(min: 4, mode: 4, max: 4, lambda: 6) == .fixed(4))
        #expect(try Distribution.normal(mean: 0.3, sd: 0) == .fixed(0.3))
        #expect(try Distribution.normal(mean: 0.3, sd: 0, min: 0, max: 1) == .fixed(0.3))
        #expect(try Distribution.discrete(values: [5], weights: [1]) == .fixed(5))
        for d in [try Distribution.uniform(min: 2, max: 2), try Distribution.pert(min: 4, mode: 4, max: 4)] {
            #expect(!d.isRandom && d.variance == 0 && d.median == d.mean)
        }
    }

    @Test("valid edge cases are accepted")
    func validEdges() throws {
        // Mode at either end of the range, probabilities 0 and 1, weights summing to 1 within 1e-9.
        _ = try Distribution.pert(min: 0, mode: 0, max: 1)
        _ = try Distribution.pert(min: 0, mode: 1, max: 1)
        _ = try Distribution.triangular(min: 0, mode: 1, max: 1)
        #expect(try Distribution.bernoulli(p: 0) == .bernoulli(0))
        #expect(try Distribution.bernoulli(p: 1) == .bernoulli(1))
        _ = try Distribution.discrete(values: [0, 1, 2], weights: [0.6, 0.3, 0.1])   // sums to 0.9999999999999999
        _ = try Distribution.discrete(values: [0, 1], weights: [0.5, 0.5 + 5e-10])
        #expect(throws: StochasticsError.self) { try Distribution.discrete(values: [0, 1], weights: [0.5, 0.5 + 2e-9]) }
        // The discrete constructor sorts values and carries their weights with them.
        #expect(try Distribution.discrete(values: [2, 0, 1], weights: [0.1, 0.6, 0.3]) == .discrete([0, 1, 2], [0.6, 0.3, 0.1]))
        // A one-sided truncation keeps the other side open.
        guard case let .normal(_, _, lo, hi) = try Distribution.normal(mean: 0, sd: 1, max: 2) else {
            Issue.record("not a normal"); return
        }
        #expect(lo == -.infinity && hi == 2)
    }
}
