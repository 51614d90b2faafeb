// EVPI and EVPPI (ValueOfInformation.swift) on cases worked by hand.
import Foundation
import Stochastics
import Testing
@testable import SavingsModel

struct ValueOfInformationTests {
    /// When every NPV is positive, "go" wins in every iteration: nothing is worth knowing.
    @Test func noValueWhenTheDecisionNeverChanges() {
        let stream = RandomStream(seed: 4, block: 0)
        let theta = (0..<5_000).map { _ in stream.uniform() }
        let other = (0..<5_000).map { _ in stream.uniform() }
        let npv = theta.indices.map { 1_000 + 5e6 * theta[$0] + 3e5 * other[$0] }
        let nb = ValueOfInformation.goNoGo(npv)
        #expect(ValueOfInformation.evpi(nb) == 0)
        #expect(ValueOfInformation.evppi(nb, input: theta).value == 0)
        #expect(ValueOfInformation.evppi(nb, input: theta).unclamped == 0, "exactly, not just after clamping")
        #expect(ValueOfInformation.evppi(nb, inputs: [theta, other]).value == 0)
        // And the same when "no go" always wins.
        let losing = ValueOfInformation.goNoGo(npv.map { -$0 })
        #expect(ValueOfInformation.evpi(losing) == 0)
        #expect(ValueOfInformation.evppi(losing, input: theta).unclamped == 0)
    }

    /// θ ∈ {0, 1} equally likely; NPV = 10 when θ = 1, −6 when θ = 0. E[NPV] = 2, so
    /// without information we go. EVPI = E[max(NPV, 0)] − max(E[NPV], 0) = (½·10 + ½·0) − 2
    /// = 3. Knowing θ is knowing the NPV, so EVPPI(θ) = 3 too. An input independent of the
    /// NPV is worth nothing; its estimate is only the bins' noise (bound derived below).
    @Test func twoOutcomeCaseWorkedByHand() {
        let m = 10_000
        let theta = (0..<m).map { Double($0 % 2) }   // exactly half each
        let npv = theta.map { $0 == 1 ? 10.0 : -6.0 }
        let nb = ValueOfInformation.goNoGo(npv)
        #expect(ValueOfInformation.evpi(nb) == 3)
        #expect(ValueOfInformation.evppi(nb, input: theta).value == 3)
        #expect(ValueOfInformation.bestOption(nb) == 0)

        let stream = RandomStream(seed: 17, block: 0)
        let noise = (0..<m).map { _ in stream.uniform() }
        // With ⌈√M⌉ = 100 bins of n = 100 iterations, each bin mean X has mean μ = 2 and
        // s = σ/√n = 8/10 (σ = 8: the NPV is 2 ± 8). The estimate is the average over bins
        // of max(X, 0) − 2 = max(−X, 0), whose expectation is the bias
        // s·φ(μ/s) − μ·Φ(−μ/s) and whose standard error is at most s/√bins (max(−X, 0) is
        // 1-Lipschitz in X). Tolerance: bias + 3 standard errors.
        let s = 8.0 / 10.0, mu = 2.0, bins = 100.0
        let phi = exp(-0.5 * (mu / s) * (mu / s)) / (2 * Double.pi).squareRoot()
        let tail = 0.5 * erfc((mu / s) / 2.0.squareRoot())
        let bias = s * phi - mu * tail
        let tolerance = bias + 3 * s / bins.squareRoot()
        let noiseValue = ValueOfInformation.evppi(nb, input: noise)
        #expect(noiseValue.value >= 0 && noiseValue.value <= tolerance, "\(noiseValue) vs \(tolerance)")

        // The group method (quadratic least squares) on θ with the noise: θ² = θ is dropped
        // as collinear, the fit is 10 or −6 up to the noise terms, so the value is about 3.
        let group = ValueOfInformation.evppi(nb, inputs: [theta, noise])
        #expect(abs(group.value - 3) < 0.05, "\(group)")
        // The noise alone through the group method (with a second noise input).
        let noise2 = (0..<m).map { _ in stream.uniform() }
        #expect(ValueOfInformation.evppi(nb, inputs: [noise, noise2]).value < tolerance)
    }

    /// Three options over four equally likely iterations:
    ///   A = (10, 0, 5, −5): mean 2.5;  B = (4, 4, 4, 4): mean 4;  C = (0, 12, −2, 6): mean 4.
    /// Best per iteration: 10, 12, 5, 6 → mean 33/4 = 8.25. EVPI = 8.25 − 4 = 4.25.
    @Test func evpiForThreeOptionsByHand() {
        let nb: [[Double]] = [[10, 0, 5, -5], [4, 4, 4, 4], [0, 12, -2, 6]]
        #expect(ValueOfInformation.evpi(nb) == 4.25)
        #expect(ValueOfInformation.bestOption(nb) == 1, "B and C tie at 4; the first is taken")
        // Knowing the iteration itself (a distinct θ per iteration) is perfect information:
        // 4 iterations make ⌈√4⌉ = 2 bins of two: {10,0 | 4,4 | 0,12} → best sum 12 (C),
        // {5,−5 | 4,4 | −2,6} → best sum 8 (B): (12 + 8)/4 − 4 = 1.
        #expect(ValueOfInformation.evppi(nb, input: [1, 2, 3, 4]).value == 1)
    }

    /// Bins never split equal values: a two-valued input gives two bins.
    @Test func binsKeepTiesTogether() {
        #expect(ValueOfInformation.binStarts(sortedValues: [0, 0, 0, 0, 0, 1, 1, 1, 1]) == [0, 5])
        #expect(ValueOfInformation.binStarts(sortedValues: [1, 2, 3, 4, 5, 6, 7, 8, 9]) == [0, 3, 6])
        #expect(ValueOfInformation.binStarts(sortedValues: [7, 7, 7]) == [0])
    }
}
