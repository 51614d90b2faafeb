import Foundation

/// Imposes Spearman rank correlations on a set of inputs with a Gaussian copula
/// (Iman & Conover 1982 use ranks; the copula form is in Nelsen, *An Introduction to
/// Copulas*, 2nd ed. 2006). For a target Spearman ρₛ the normal copula needs Pearson
/// r = 2 sin(π ρₛ / 6) (Pearson 1907; Kruskal 1958), which is exact for the copula.
///
/// Per iteration: z = Φ⁻¹(u), z′ = L z with L the Cholesky factor of R, u′ = Φ(z′).
/// Each u′ is again uniform, so every input keeps its own distribution.
public struct GaussianCopula: Sendable {
    /// Names of the correlated inputs, in the order of the matrix.
    public let names: [String]
    /// Lower-triangular Cholesky factor of the Pearson matrix, row-major.
    let lower: [Double]
    public var dimension: Int { names.count }

    /// `spearman[i][j]` is the target rank correlation between inputs i and j (symmetric,
    /// unit diagonal). Throws, naming the inputs, when the implied matrix is not positive
    /// definite.
    public init(names: [String], spearman: [[Double]]) throws(StochasticsError) {
        let n = names.count
        precondition(spearman.count == n && spearman.allSatisfy { $0.count == n })
        var pearson = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                pearson[i * n + j] = i == j ? 1 : Self.pearson(fromSpearman: spearman[i][j])
            }
        }
        do {
            lower = try GSLLinearAlgebra.cholesky(pearson, n: n)
        } catch {
            throw StochasticsError(
                "the rank correlations between \(Self.culprits(names: names, pearson: pearson)) are not consistent (the correlation matrix is not positive definite)",
                fix: "weaken one or more of these correlations; for example, if A and B are both strongly correlated with C they must also be correlated with each other")
        }
        self.names = names
    }

    /// Pearson r giving Spearman ρₛ under a normal copula: r = 2 sin(π ρₛ / 6).
    public static func pearson(fromSpearman rho: Double) -> Double { 2 * sin(Double.pi * rho / 6) }

    /// Transforms `u[0..<dimension]` in place (independent uniforms in, correlated out).
    /// `scratch` must hold `dimension` doubles; no allocation.
    @inline(__always)
    public func correlate(_ u: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>) {
        let n = names.count
        for i in 0..<n { scratch[i] = GSLCDF.normalQuantile(u[i]) }
        lower.withUnsafeBufferPointer { l in
            for i in 0..<n {
                var z = 0.0
                for j in 0...i { z += l[i * n + j] * scratch[j] }
                // Keep u′ strictly inside (0, 1) so infinite-tailed quantiles stay finite.
                let v = GSLCDF.normalCDF(z)
                u[i] = Swift.min(Swift.max(v, 0x1p-53), 1 - 0x1p-53)
            }
        }
    }

    /// The smallest leading set of inputs whose matrix already fails, reported by name
    /// (only those correlated with the last one), so the user sees where to look.
    private static func culprits(names: [String], pearson: [Double]) -> String {
        let n = names.count
        for k in 2...max(2, n) where k <= n {
            var sub = [Double](repeating: 0, count: k * k)
            for i in 0..<k { for j in 0..<k { sub[i * k + j] = pearson[i * n + j] } }
            if (try? GSLLinearAlgebra.cholesky(sub, n: k)) == nil {
                let last = k - 1
                var involved = (0..<last).filter { pearson[$0 * n + last] != 0 }.map { names[$0] }
                involved.append(names[last])
                return involved.map { "'\($0)'" }.joined(separator: ", ")
            }
        }
        return names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
