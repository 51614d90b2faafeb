/// How the uniforms behind each block's inputs are laid out.
public enum SamplingMethod: String, Sendable, CaseIterable {
    /// Independent uniforms: plain Monte Carlo.
    case monteCarlo = "monte-carlo"
    /// Latin hypercube (McKay, Beckman & Conover 1979) within each block: for every input
    /// the block's n iterations fall one in each of the n equal strata of (0, 1), in a
    /// random order. Stratifying per block keeps results independent of threads and shards.
    case latinHypercube = "latin-hypercube"
    // A Sobol (quasi-random) method slots in here: it only changes how `fillBlock` fills
    // the matrix.
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
        }
    }
}
