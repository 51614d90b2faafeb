// GSL's default error handler prints and aborts the process. The wrappers switch it off,
// so a domain error must come back as a value (an error or NaN), never kill the run.
import Foundation
import Testing
@testable import Stochastics

@Suite("GSL wrappers")
struct GSLTests {
    @Test("Cholesky of a matrix that is not positive definite throws GSLError (GSL_EDOM)")
    func choleskyNotPositiveDefinite() {
        let a: [Double] = [1, 2, 2, 1]   // eigenvalues 3 and −1
        let error = #expect(throws: GSLError.self) { try GSLLinearAlgebra.cholesky(a, n: 2) }
        #expect(error?.code == 1)       // GSL_EDOM
        #expect(error?.operation == "Cholesky decomposition")
        #expect(!(error?.reason.isEmpty ?? true))
        #expect(error?.description.hasPrefix("GSL Cholesky decomposition failed: ") ?? false)
        // The 3 × 3 example of the copula tests, in Pearson form.
        let r = 2 * sin(Double.pi * 0.9 / 6)
        #expect(throws: GSLError.self) { try GSLLinearAlgebra.cholesky([1, r, r, r, 1, -r, r, -r, 1], n: 3) }
    }

    @Test("Cholesky of a positive definite matrix gives L with L·Lᵀ = A")
    func choleskyFactor() throws {
        let a: [Double] = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]
        let l = try GSLLinearAlgebra.cholesky(a, n: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                if j > i { #expect(l[i * 3 + j] == 0, "L is lower triangular") }
                let llt = (0..<3).reduce(0.0) { $0 + l[i * 3 + $1] * l[j * 3 + $1] }
                #expect(abs(llt - a[i * 3 + j]) < 1e-12)
            }
        }
        #expect(l[0] == 2)
    }

    @Test("GSL domain errors come back as NaN instead of aborting")
    func domainErrorsDoNotAbort() {
        // Each of these would print "gsl: ... ERROR" and abort with GSL's default handler.
        #expect(GSLCDF.gslBetaQuantile(1.5, 2, 3).isNaN)
        #expect(GSLCDF.gslBetaQuantile(-0.5, 2, 3).isNaN)
        _ = GSLCDF.betaCDF(0.5, -1, 2)
        _ = GSLCDF.gammaCDF(1, shape: -1, scale: 1)
        _ = GSLCDF.normalQuantile(2)
        let error = GSLError(code: 1, operation: "test")
        #expect(error.reason == "input domain error")
    }

    @Test("the normal wrappers agree with the C library's erfc")
    func normalWrappers() {
        for x in [-6.0, -1.5, 0, 0.3, 2.5, 7] {
            #expect(abs(GSLCDF.normalCDF(x) - phi(x)) < 1e-15)
            #expect(abs(GSLCDF.normalUpperCDF(x) - phi(-x)) < 1e-15)
            #expect(abs(GSLCDF.normalDensity(x) - standardNormalDensity(x)) < 1e-15)
        }
        for p in [1e-10, 0.01, 0.5, 0.9, 0.999999] {
            #expect(abs(phi(GSLCDF.normalQuantile(p)) - p) < 1e-12 * Swift.max(1, p))
        }
    }
}
