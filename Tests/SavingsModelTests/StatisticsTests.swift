// MODEL.md §9 and §11: type-7 percentiles, SD with n − 1, SE, CVaR5 as the mean of the
// lowest ⌈0.05 M⌉ values, Spearman on average ranks.
import Foundation
import Testing
@testable import SavingsModel

@Suite("Summary statistics (MODEL.md §9)")
struct StatisticsTests {
    @Test("Type-7 percentiles on [1, 2, 3, 4]")
    func percentiles() {
        // h = (n − 1)p = 3p; Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]):
        // P10: h = 0.3 ⇒ 1.3; P25: 0.75 ⇒ 1.75; P50: 1.5 ⇒ 2.5; P95: 2.85 ⇒ 3.85; P0 1; P100 4.
        let x: [Double] = [1, 2, 3, 4]
        expectClose(Statistics.percentile(sorted: x, 0.10), 1.3, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.25), 1.75, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.50), 2.5, 1e-12)
        expectClose(Statistics.percentile(sorted: x, 0.95), 3.85, 1e-12)
        #expect(Statistics.percentile(sorted: x, 0) == 1)
        #expect(Statistics.percentile(sorted: x, 1) == 4)
        #expect(Statistics.percentile(sorted: [7], 0.9) == 7)
    }

    @Test("ScalarSummary: mean, SD (n − 1), SE, percentiles, P(> 0)")
    func summary() throws {
        // [−1, 2, 3, 4] (unsorted input [3, −1, 4, 2]): mean 2; deviations −3, 0, 1, 2 ⇒
        // Σd² = 14 ⇒ SD = √(14/3) = 2.160247; SE = SD/2 = 1.080123.
        // P10: h = 0.3 ⇒ −1 + 0.3 · 3 = −0.1; P50: h = 1.5 ⇒ 2.5. P(> 0) = 3/4.
        let s = try #require(ScalarSummary([3, -1, 4, 2]))
        #expect(s.count == 4)
        expectClose(s.mean, 2, 1e-12)
        expectClose(s.sd, (14.0 / 3).squareRoot(), 1e-12)
        expectClose(s.sd, 2.160247, 1e-6)
        expectClose(s.se, 1.080123, 1e-6)
        expectClose(s.p10, -0.1, 1e-12)
        expectClose(s.p50, 2.5, 1e-12)
        expectClose(s.probabilityPositive, 0.75)
        // Undefined (NaN) values are left out; nothing defined ⇒ no summary.
        #expect(ScalarSummary([.nan, 1, 3])?.count == 2)
        #expect(ScalarSummary([.nan]) == nil)
        // One value: SD 0.
        #expect(ScalarSummary([5])?.sd == 0)
    }

    @Test("CVaR5 = mean of the lowest ⌈0.05 M⌉ values")
    func cvar() throws {
        // M = 40: ⌈2⌉ = 2 ⇒ mean(1, 2) = 1.5. M = 41: ⌈2.05⌉ = 3 ⇒ mean(1, 2, 3) = 2.
        // M = 10: ⌈0.5⌉ = 1 ⇒ 1. Values given in reverse to show sorting.
        #expect(try #require(ScalarSummary((1...40).reversed().map(Double.init))).cvar5 == 1.5)
        #expect(try #require(ScalarSummary((1...41).reversed().map(Double.init))).cvar5 == 2)
        #expect(try #require(ScalarSummary((1...10).map(Double.init))).cvar5 == 1)
    }

    @Test("Spearman with ties uses average ranks")
    func spearman() {
        // a = [1, 2, 2, 3] ⇒ ranks [1, 2.5, 2.5, 4]; b = [1, 3, 2, 4] ⇒ ranks [1, 3, 2, 4].
        // Rank deviations from 2.5: a −1.5, 0, 0, 1.5; b −1.5, 0.5, −0.5, 1.5.
        // Σab = 2.25 + 2.25 = 4.5; Σa² = 4.5; Σb² = 5 ⇒ ρ = 4.5/√22.5 = 0.948683.
        #expect(Statistics.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Statistics.ranks([5, 5, 5]) == [2, 2, 2])
        expectClose(Statistics.spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.948683, 1e-6)
        // Monotone but non-linear ⇒ 1; reversed ⇒ −1; a constant ⇒ undefined.
        expectClose(Statistics.spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1, 1e-12)
        expectClose(Statistics.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, 1e-12)
        #expect(Statistics.spearman([1, 2, 3], [5, 5, 5]).isNaN)
    }
}
