// The beta quantile's own search (BetaQuantile) against closed forms and against GSL's
// independent CDF: it must invert I_x(a, b) to near machine precision in both tails.
import Foundation
import Testing
@testable import Stochastics

@Suite("Beta quantile")
struct BetaQuantileTests {
    /// Probabilities from deep in the lower tail to deep in the upper one.
    static let probabilities: [Double] = [1e-300, 1e-100, 1e-12, 1e-9, 1e-6, 1e-4, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3,
                                          0.4, 0.4999, 0.5, 0.5001, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999,
                                          1 - 1e-6, 1 - 1e-9, 1 - 1e-12, 1.0.nextDown]
    /// Shapes of PERTs (α = 1 + 4(m − a)/(b − a)) and of beta inputs people write.
    static let shapes: [(Double, Double)] = [(1, 1), (1, 7), (7, 1), (1.5, 3.2), (2, 8), (6, 3), (3, 5), (4.6, 1.4),
                                             (1.0000001, 4.9999999), (2.333333333333333, 3.666666666666667),
                                             (20, 2), (12, 19), (20, 20), (50, 50), (45, 3)]

    /// |x − exact| within 10⁻¹² of the distance to the nearer end (relative precision in
    /// both tails), plus one unit in the last place of 1.
    static func close(_ x: Double, _ exact: Double) -> Bool {
        abs(x - exact) <= 1e-12 * min(exact, 1 - exact) + Double.ulpOfOne
    }

    /// x^(a−1) (1−x)^(b−1) / B(a, b), with 0⁰ = 1 at the ends.
    static func density(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let lnB: Double = GSLCDF.lnBeta(a, b)
        let left: Double = a == 1 ? 0 : (a - 1) * Foundation.log(x)
        let right: Double = b == 1 ? 0 : (b - 1) * Foundation.log1p(-x)
        return Foundation.exp(left + right - lnB)
    }

    @Test("a = 1 or b = 1: closed forms x = 1 − (1 − p)^(1/b) and x = p^(1/a)")
    func closedForms() {
        for p in Self.probabilities {
            for b in [1.0, 1.5, 3, 7, 40] {
                let exact = -Foundation.expm1(Foundation.log1p(-p) / b)
                let x = BetaQuantile.quantile(p, 1, b)
                #expect(Self.close(x, exact), "Beta(1, \(b)) at p = \(p): \(x), exact \(exact)")
            }
            for a in [1.5, 3, 7, 40] {
                let exact = Foundation.pow(p, 1 / a)
                let x = BetaQuantile.quantile(p, a, 1)
                #expect(Self.close(x, exact), "Beta(\(a), 1) at p = \(p): \(x), exact \(exact)")
            }
        }
    }

    @Test("GSL's CDF at the quantile gives back p (the lower tail below ½, the upper above)")
    func invertsGSLsCDF() {
        for (a, b) in Self.shapes {
            for p in Self.probabilities {
                let x = BetaQuantile.quantile(p, a, b)
                #expect(x >= 0 && x <= 1)
                if p <= 0.5 {
                    let back = GSLCDF.betaCDF(x, a, b)
                    #expect(abs(back - p) <= 1e-12 * p, "Beta(\(a), \(b)) at p = \(p): x = \(x), I_x = \(back)")
                } else {
                    let back = GSLCDF.betaUpperCDF(x, a, b)
                    // x is rounded to a double near 1; what that rounding moves Q by is allowed.
                    let slack: Double = Self.density(x, a, b) * x.ulp
                    #expect(abs(back - (1 - p)) <= 1e-12 * (1 - p) + slack,
                            "Beta(\(a), \(b)) at p = \(p): x = \(x), 1 − I_x = \(back)")
                }
            }
        }
    }

    @Test("agrees with GSL's own quantile")
    func agreesWithGSLQuantile() {
        for (a, b) in Self.shapes {
            for p in Self.probabilities where p >= 1e-12 && p <= 1 - 1e-12 {
                let x = BetaQuantile.quantile(p, a, b), gsl = GSLCDF.gslBetaQuantile(p, a, b)
                #expect(abs(x - gsl) <= 1e-10 * min(gsl, 1 - gsl) + 4 * Double.ulpOfOne,
                        "Beta(\(a), \(b)) at p = \(p): \(x), GSL \(gsl)")
            }
        }
    }

    @Test("increasing in p")
    func monotone() {
        for (a, b) in Self.shapes {
            var previous = 0.0
            for k in 1..<2000 {
                let x = BetaQuantile.quantile(Double(k) / 2000, a, b)
                #expect(x >= previous, "Beta(\(a), \(b)) at p = \(Double(k) / 2000)")
                previous = x
            }
        }
    }

    @Test("the incomplete beta function matches GSL's CDF")
    func incompleteBeta() {
        for (a, b) in Self.shapes {
            let lnB = GSLCDF.lnBeta(a, b)
            for k in 1..<200 {
                let x = Double(k) / 200
                let mine = BetaQuantile.regularisedIncompleteBeta(x, a, b, lnB), gsl = GSLCDF.betaCDF(x, a, b)
                #expect(abs(mine - gsl) <= 1e-13 * max(min(gsl, 1 - gsl), 1e-300) + 1e-15,
                        "I_\(x)(\(a), \(b)): \(mine), GSL \(gsl)")
            }
        }
    }

    @Test("outside 1 ≤ a, b ≤ 50 and at p = 0 or 1 the answer is GSL's")
    func fallback() {
        for (a, b) in [(0.5, 0.5), (0.3, 2.0), (2.0, 0.9), (50.5, 3.0), (2.0, 200.0)] {
            for p in [0.01, 0.5, 0.99] {
                #expect(BetaQuantile.quantile(p, a, b) == GSLCDF.gslBetaQuantile(p, a, b))
            }
        }
        #expect(BetaQuantile.quantile(0, 2, 3) == 0)
        #expect(BetaQuantile.quantile(1, 2, 3) == 1)
    }

    // Tabulated starts (BetaQuantileStarts): the same quantile in one Halley step.

    @Test("from tabulated starts: the same quantile as the plain search, in both tails")
    func tabulatedStartsAgree() throws {
        for (a, b) in Self.shapes {
            let starts = try #require(BetaQuantileStarts(a: a, b: b))
            var worst = 0.0
            for p in Self.probabilities + (1..<4000).map({ Double($0) / 4000 }) {
                let x = starts.quantile(p), plain = BetaQuantile.quantile(p, a, b)
                // Both are roots of I_x(a, b) = p as exact as the CDF's rounding allows.
                worst = max(worst, abs(x - plain) / (min(plain, 1 - plain) + Double.ulpOfOne))
            }
            #expect(worst <= 1e-13, "Beta(\(a), \(b)): largest relative difference \(worst)")
        }
        // And the closed forms.
        for p in Self.probabilities {
            let starts = try #require(BetaQuantileStarts(a: 1, b: 3.5)), mirrored = try #require(BetaQuantileStarts(a: 6, b: 1))
            #expect(Self.close(starts.quantile(p), -Foundation.expm1(Foundation.log1p(-p) / 3.5)), "Beta(1, 3.5) at \(p)")
            #expect(Self.close(mirrored.quantile(p), Foundation.pow(p, 1 / 6.0)), "Beta(6, 1) at \(p)")
        }
    }

    @Test("tabulated starts are within 10⁻¹⁰ of the quantile for most p, so one step settles it")
    func tabulatedStartsAreClose() throws {
        for (a, b) in [(2.6, 3.4), (2.333333333333333, 3.666666666666667), (1.5, 3.2), (6.0, 3.0), (12.0, 19.0), (50.0, 50.0)] {
            let starts = try #require(BetaQuantileStarts(a: a, b: b))
            var close = 0, tried = 0
            for k in 1..<10_000 {
                let p = Double(k) / 10_000
                guard let start = starts.start(p) else { continue }
                tried += 1
                let q = BetaQuantile.quantile(p, a, b)
                if abs(start - q) <= 1e-10 * min(q, 1 - q) { close += 1 }
            }
            // Every p but those in the first and last of the 256 intervals has a start.
            #expect(tried >= 9_900, "Beta(\(a), \(b)): \(tried) starts")
            #expect(Double(close) >= 0.9 * Double(tried), "Beta(\(a), \(b)): \(close) of \(tried) within 1e-10")
        }
    }

    @Test("tabulated starts: none outside 1 ≤ a, b ≤ 50; Distribution.quantile(_:from:) uses them for beta and PERT only")
    func tabulatedStartsScope() throws {
        for (a, b) in [(0.5, 2.0), (2.0, 0.99), (51.0, 2.0), (2.0, 60.0)] { #expect(BetaQuantileStarts(a: a, b: b) == nil) }
        let pert = try Distribution.pert(min: 8e6, mode: 12e6, max: 20e6)
        let starts = try #require(pert.quantileStarts())
        for u in [0.001, 0.2, 0.5, 0.77, 0.999] {
            #expect(pert.quantile(u, from: starts) == 8e6 + 12e6 * starts.quantile(u))
            #expect(abs(pert.quantile(u, from: starts) - pert.quantile(u)) <= 1e-13 * pert.quantile(u))
            #expect(pert.quantile(u, from: nil) == pert.quantile(u))
        }
        #expect(try Distribution.normal(mean: 0, sd: 1).quantileStarts() == nil)
    }
}
