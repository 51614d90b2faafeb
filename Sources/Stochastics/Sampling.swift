/// How the uniforms behind each block's inputs are laid out.
public enum SamplingMethod: String, Sendable, CaseIterable {
    /// Independent uniforms: plain Monte Carlo.
    case monteCarlo = "monte-carlo"
    /// Latin hypercube (McKay, Beckman & Conover 1979) within each block: for every input
    /// the block's n iterations fall one in each of the n equal strata of (0, 1), in a
    /// random order. Stratifying per block keeps results independent of threads and shards.
    case latinHypercube = "latin-hypercube"
    /// Randomised quasi-Monte Carlo: within each block the first n points of the Sobol
    /// sequence (Antonov & Saleev 1979, GSL's `gsl_qrng_sobol`), moved by the block's own
    /// Cranley–Patterson random shift, give the scalar inputs and then as many event
    /// uniforms as fit in `SobolPoints.maximumDimension` (40) coordinates; any further event
    /// uniforms are pseudo-random padding. At most 40 scalar inputs
    /// (docs/reproducibility.md §4).
    case sobol
}

/// The block's Sobol points: the first n points of the Sobol sequence, origin first, each
/// coordinate shifted modulo 1 by a random amount drawn once per block (Cranley & Patterson
/// 1976). Independent shifts make the blocks independent, unbiased estimates, so the spread
/// of their means is an honest standard error and no block depends on another.
public enum SobolPoints {
    /// The most quasi-random coordinates GSL's Sobol generator provides (40).
    public static var maximumDimension: Int { GSLSobol.maximumDimension }
    /// The most points a block may take from the sequence (2³⁰).
    public static var maximumPoints: Int { 1 << GSLSobol.bitCount }

    /// Fills columns `0 ..< sobolColumns` of the row-major `n × k` matrix `u` with the block's
    /// shifted Sobol points and the remaining columns (the padding) with pseudo-random
    /// uniforms. The stream is read in this order: the `sobolColumns` shifts, then the
    /// padding row by row.
    ///
    /// A shift is an odd multiple of 2⁻³³ in (0, 1) — `(⌊2³² v⌋ + ½) / 2³²` for a stream
    /// uniform v — and a Sobol coordinate is a multiple of 2⁻³⁰, so their sum modulo 1 is
    /// never 0 or 1: every value lies in [2⁻³³, 1 − 2⁻³³] and every quantile stays finite.
    /// (The origin, the sequence's point 0, which GSL skips, becomes the shift itself.)
    public static func fill(
        _ u: UnsafeMutableBufferPointer<Double>, iterations n: Int, dimension k: Int,
        sobolColumns s: Int, stream: RandomStream
    ) {
        precondition(u.count >= n * k && s >= 0 && s <= k)
        precondition(n <= maximumPoints, "a Sobol block holds at most 2^30 points")
        if s > 0 {
            let sequence: GSLSobol
            do {
                sequence = try GSLSobol(dimension: s)
            } catch {
                // Callers check the dimension first (Simulation.samplingProblem).
                preconditionFailure("\(error)")
            }
            var shift = [Double](repeating: 0, count: s)
            for d in 0..<s { shift[d] = (Double(UInt64(stream.uniform() * 4_294_967_296.0)) + 0.5) / 4_294_967_296.0 }
            var x = [Double](repeating: 0, count: s)   // point 0: the origin
            for i in 0..<n {
                if i > 0 {
                    do { try x.withUnsafeMutableBufferPointer { try sequence.next(into: $0.baseAddress!) } }
                    catch { preconditionFailure("\(error)") }
                }
                for d in 0..<s {
                    var v = x[d] + shift[d]
                    if v >= 1 { v -= 1 }
                    u[i * k + d] = v
                }
            }
        }
        if s < k {
            for i in 0..<n { for d in s..<k { u[i * k + d] = stream.uniform() } }
        }
    }
}

/// Fills a block's matrix of uniforms, row-major `u[iteration * dimension + input]`.
public enum UniformMatrix {
    /// `u` must hold `iterations * dimension` doubles and `permutation` `iterations` ints.
    public static func fill(
        _ u: UnsafeMutableBufferPointer<Double>, iterations n: Int, dimension k: Int,
        method: SamplingMethod, stream: RandomStream, permutation: UnsafeMutableBufferPointer<Int>
    ) {
        precondition(u.count >= n * k && permutation.count >= n)
        switch method {
        case .monteCarlo:
            for i in 0..<(n * k) { u[i] = stream.uniform() }
        case .latinHypercube:
            let width = 1.0 / Double(n)
            for d in 0..<k {
                for i in 0..<n { permutation[i] = i }
                // Fisher–Yates shuffle (Durstenfeld 1964).
                var i = n - 1
                while i > 0 {
                    let j = stream.integer(below: i + 1)
                    permutation.swapAt(i, j)
                    i -= 1
                }
                for i in 0..<n {
                    u[i * k + d] = (Double(permutation[i]) + stream.uniform()) * width
                }
            }
        case .sobol:
            // Sobol coordinates while GSL's dimensions last, pseudo-random padding beyond.
            SobolPoints.fill(u, iterations: n, dimension: k, sobolColumns: Swift.min(k, SobolPoints.maximumDimension),
                             stream: stream)
        }
    }
}
