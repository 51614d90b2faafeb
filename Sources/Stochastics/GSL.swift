// The one file that talks to GSL. Everything else in the project calls these
// wrappers, so there is one place to read for how C memory is owned, how GSL's
// abort-on-error handler is switched off, and how status codes become Swift errors.
@preconcurrency import CGSL

/// A GSL status code turned into a Swift error. `code` is GSL's `GSL_E*` constant
/// (for example `GSL_EDOM` = 1 for a domain error); `reason` is `gsl_strerror(code)`.
public struct GSLError: Error, CustomStringConvertible, Equatable {
    public let code: Int32
    public let reason: String
    public let operation: String

    init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.reason = String(cString: gsl_strerror(code))
    }

    public var description: String { "GSL \(operation) failed: \(reason) (status \(code))" }
}

/// Switches GSL's default error handler (which prints and aborts the process) off,
/// once, before any GSL call. Every wrapper below reaches GSL through `GSL.ready`.
enum GSL {
    static let ready: Void = {
        _ = gsl_set_error_handler_off()
    }()

    /// Names of every generator GSL provides (`mt19937`, `taus2`, `gfsr4`, …).
    static let generatorNames: [String] = {
        _ = ready
        var names: [String] = []
        guard var cursor = gsl_rng_types_setup() else { return names }
        while let type = cursor.pointee {
            names.append(String(cString: type.pointee.name))
            cursor = cursor.advanced(by: 1)
        }
        return names
    }()

    static func generatorType(named name: String) -> UnsafePointer<gsl_rng_type>? {
        _ = ready
        guard var cursor = gsl_rng_types_setup() else { return nil }
        while let type = cursor.pointee {
            if String(cString: type.pointee.name) == name { return type }
            cursor = cursor.advanced(by: 1)
        }
        return nil
    }
}

// MARK: - Generator ownership

/// Owns one `gsl_rng` and frees it in `deinit`. Not thread-safe: one per block, used by
/// the one thread that runs the block.
final class GSLGenerator {
    let pointer: UnsafeMutablePointer<gsl_rng>
    let name: String
    /// For mt19937 (when `MersenneTwister.agreesWithGSL`): the generator's state, which the
    /// uniform draws below advance themselves instead of calling through GSL's function
    /// pointer. GSL's own samplers (gamma, ziggurat, …) advance the same state, so the two
    /// interleave exactly. Nil for every other generator.
    private let twister: UnsafeMutablePointer<sharedsavings_mt19937_state>?

    /// `swiftTwister: false` keeps every draw in GSL (for the tests that compare the two).
    init(type: UnsafePointer<gsl_rng_type>, key: UInt64, swiftTwister: Bool = true) {
        _ = GSL.ready
        guard let rng = gsl_rng_alloc(type) else {
            fatalError("gsl_rng_alloc returned NULL: out of memory")
        }
        pointer = rng
        name = String(cString: type.pointee.name)
        if name == "mt19937" {
            // gsl_rng_set keeps only 32 bits of a seed; fill the whole 19937-bit state from
            // the SplitMix64 stream instead, so distinct blocks cannot share a stream.
            precondition(gsl_rng_size(rng) >= MemoryLayout<sharedsavings_mt19937_state>.size)
            let state = gsl_rng_state(rng)!.assumingMemoryBound(to: sharedsavings_mt19937_state.self)
            var mixer = SplitMix64(state: key)
            withUnsafeMutableBytes(of: &state.pointee.mt) { raw in
                let words = raw.bindMemory(to: UInt.self)
                var anyNonZero = false
                for j in 0..<624 {
                    let w = UInt(truncatingIfNeeded: mixer.next() & 0xFFFF_FFFF)
                    words[j] = w
                    anyNonZero = anyNonZero || w != 0
                }
                if !anyNonZero { words[0] = 0x8000_0000 }
            }
            state.pointee.mti = 624
            twister = swiftTwister && MersenneTwister.agreesWithGSL ? state : nil
        } else {
            twister = nil
            // Only the low 32 bits: several GSL generators assume a seed below 2³² and with a
            // wider one ran1 and ran2 crash, zuf hangs, ran0 and minstd return numbers out of
            // range (GSL 2.7). Most of the others use only 32 bits of the seed anyway.
            gsl_rng_set(rng, UInt(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
    }

    deinit { gsl_rng_free(pointer) }

    /// Whether uniform draws step the Mersenne Twister here rather than in GSL.
    var usesSwiftTwister: Bool { twister != nil }

    /// mt19937 only, for tests: its 624 state words and its position `mti` (the next word
    /// to temper; 624 means "regenerate first"), to set up edge cases.
    var twisterWords: UnsafeMutablePointer<UInt> {
        precondition(name == "mt19937")
        return MersenneTwister.words(gsl_rng_state(pointer)!.assumingMemoryBound(to: sharedsavings_mt19937_state.self))
    }
    var twisterPosition: Int {
        get {
            precondition(name == "mt19937")
            return Int(gsl_rng_state(pointer)!.assumingMemoryBound(to: sharedsavings_mt19937_state.self).pointee.mti)
        }
        set {
            precondition(name == "mt19937" && (0...624).contains(newValue))
            gsl_rng_state(pointer)!.assumingMemoryBound(to: sharedsavings_mt19937_state.self).pointee.mti = Int32(newValue)
        }
    }

    /// Uniform on the open interval (0, 1): never exactly 0 or 1, so quantile functions
    /// with infinite tails (normal, lognormal, gamma) stay finite.
    @inline(__always) func uniformOpen() -> Double {
        guard let twister else { return gsl_rng_uniform_pos(pointer) }
        return MersenneTwister.uniformOpen(twister)
    }

    /// `count` draws of `uniformOpen()` into `buffer`, the same numbers in the same order.
    func fillUniformsOpen(_ buffer: UnsafeMutablePointer<Double>, count: Int) {
        guard let twister else {
            for k in 0..<count { buffer[k] = gsl_rng_uniform_pos(pointer) }
            return
        }
        MersenneTwister.fillUniformsOpen(twister, buffer, count: count)
    }

    /// Integer uniform on 0 ..< n (n ≥ 1), GSL's unbiased method.
    @inline(__always) func uniformInt(_ n: Int) -> Int {
        Int(gsl_rng_uniform_int(pointer, UInt(n)))
    }

    /// Standard normal by Marsaglia–Tsang's ziggurat (`gsl_ran_gaussian_ziggurat`).
    @inline(__always) func standardNormal() -> Double { gsl_ran_gaussian_ziggurat(pointer, 1.0) }

    /// Beta(a, b) on [0, 1] (`gsl_ran_beta`, two gamma variates).
    @inline(__always) func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(pointer, a, b) }

    /// Gamma(shape, scale) by Marsaglia–Tsang (`gsl_ran_gamma`).
    @inline(__always) func gamma(shape: Double, scale: Double) -> Double {
        gsl_ran_gamma(pointer, shape, scale)
    }
}

// MARK: - The Mersenne Twister's uniform draws, on GSL's state

/// MT19937 (Matsumoto & Nishimura, ACM TOMACS 8(1), 1998) stepped here, on the state of a
/// GSL `mt19937` generator, for the uniform draws: GSL's `gsl_rng_uniform_pos` reaches the
/// generator through a function pointer per draw and reloads its position from memory each
/// time (about 9.5 ns a draw on this machine); a loop here over the same 624 words takes
/// about 3 ns. The engine draws some 300 event uniforms an iteration, so this is about a
/// twentieth of a large run's time (docs/performance.md).
///
/// The numbers are GSL's, draw for draw: the same state (`sharedsavings_mt19937_state`,
/// GSL's layout in gsl/rng/mt.c), the same regeneration and tempering, the same
/// conversion `k / 2³²` and the same rejection of k = 0 that makes the interval open. GSL's
/// samplers read and advance that state too, so draws here and in GSL interleave. The tests
/// compare every draw with GSL's own; `agreesWithGSL` checks it once more at run time, and
/// without it the draws stay in GSL.
enum MersenneTwister {
    /// The state's 624 words and the "middle word" distance of the recurrence.
    static let wordCount = 624, middle = 397

    /// The 624 words' first address (the state's `mt` array of C `unsigned long`).
    @inline(__always)
    static func words(_ state: UnsafeMutablePointer<sharedsavings_mt19937_state>) -> UnsafeMutablePointer<UInt> {
        UnsafeMutableRawPointer(state).assumingMemoryBound(to: UInt.self)
    }

    /// Word k of the next generation: the top bit of x[k] joined to the low 31 bits of
    /// x[k+1], shifted right once, XORed with x[k+397] and, when its low bit is 1, with
    /// the matrix constant 0x9908B0DF (the recurrence of the 1998 paper, eq. 2.1). Words
    /// hold 32-bit values in 64-bit integers, as in GSL; every step keeps them below 2³².
    @inline(__always)
    static func next(_ x: UInt, _ following: UInt, _ far: UInt) -> UInt {
        let y = (x & 0x8000_0000) | (following & 0x7FFF_FFFF)
        return far ^ (y >> 1) ^ ((y & 1) &* 0x9908_B0DF)
    }

    /// The whole next generation of 624 words, in place and in index order (later words
    /// read words already replaced, as the recurrence requires).
    static func regenerate(_ mt: UnsafeMutablePointer<UInt>) {
        let n = wordCount, m = middle
        for k in 0..<(n - m) { mt[k] = next(mt[k], mt[k &+ 1], mt[k &+ m]) }
        for k in (n - m)..<(n - 1) { mt[k] = next(mt[k], mt[k &+ 1], mt[k &- (n - m)]) }
        mt[n - 1] = next(mt[n - 1], mt[0], mt[m - 1])
    }

    /// The output of word y: the paper's tempering (shifts 11, 7, 15, 18 with masks
    /// 0x9D2C5680 and 0xEFC60000), a bijection of 32-bit values.
    @inline(__always)
    static func temper(_ word: UInt) -> UInt {
        var y = word
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// k / 2³², exactly (k < 2³² has 32 significant bits). Converted as a signed integer,
    /// which it fits: x86-64 has one instruction for that, several for an unsigned one.
    @inline(__always)
    static func fraction(_ k: UInt) -> Double { Double(Int(bitPattern: k)) * 0x1p-32 }

    /// One draw of `gsl_rng_uniform_pos`: k / 2³² for the next output k, skipping k = 0.
    @inline(__always)
    static func uniformOpen(_ state: UnsafeMutablePointer<sharedsavings_mt19937_state>) -> Double {
        let mt = words(state)
        var i = Int(state.pointee.mti)
        while true {
            if i >= wordCount {
                regenerate(mt)
                i = 0
            }
            let k = temper(mt[i])
            i &+= 1
            if k != 0 {
                state.pointee.mti = Int32(i)
                return fraction(k)
            }
        }
    }

    /// `count` draws of `uniformOpen` into `buffer`. A zero output is written and then
    /// overwritten by the next draw (the position in `buffer` moves on only for k ≠ 0), so
    /// the loop has no branch for it.
    static func fillUniformsOpen(_ state: UnsafeMutablePointer<sharedsavings_mt19937_state>,
                                 _ buffer: UnsafeMutablePointer<Double>, count: Int) {
        let mt = words(state)
        var i = Int(state.pointee.mti), filled = 0
        while filled < count {
            if i >= wordCount {
                regenerate(mt)
                i = 0
            }
            // Up to the end of this generation or of the buffer, whichever comes first.
            let end = Swift.min(wordCount, i &+ (count &- filled))
            while i < end {
                let k = temper(mt[i])
                i &+= 1
                buffer[filled] = fraction(k)
                filled &+= k == 0 ? 0 : 1
            }
        }
        state.pointee.mti = Int32(i)
    }

    /// Whether draws here equal GSL's on this machine's GSL: its mt19937 state is at least
    /// as large as the layout assumed, and two generators seeded alike give the same 2,000
    /// draws (three regenerations) one through GSL and one here. Checked once per process.
    static let agreesWithGSL: Bool = {
        _ = GSL.ready
        guard let type = GSL.generatorType(named: "mt19937"),
              let viaGSL = gsl_rng_alloc(type), let viaSwift = gsl_rng_alloc(type) else { return false }
        defer {
            gsl_rng_free(viaGSL)
            gsl_rng_free(viaSwift)
        }
        guard gsl_rng_size(viaSwift) >= MemoryLayout<sharedsavings_mt19937_state>.size else { return false }
        gsl_rng_set(viaGSL, 20_261_123)
        gsl_rng_set(viaSwift, 20_261_123)
        let state = gsl_rng_state(viaSwift)!.assumingMemoryBound(to: sharedsavings_mt19937_state.self)
        for _ in 0..<2000 where gsl_rng_uniform_pos(viaGSL) != uniformOpen(state) { return false }
        return true
    }()
}

// MARK: - Distribution functions

/// Thin, total wrappers over GSL's `gsl_cdf_*` functions. With the error handler off, GSL
/// returns NaN on a domain error; callers validate parameters first so that cannot happen.
/// Each touches `GSL.ready`: it may be the process's first GSL call, and the default
/// handler would abort on a domain error.
enum GSLCDF {
    @inline(__always) static func normalQuantile(_ p: Double) -> Double { _ = GSL.ready; return gsl_cdf_ugaussian_Pinv(p) }
    @inline(__always) static func normalCDF(_ x: Double) -> Double { _ = GSL.ready; return gsl_cdf_ugaussian_P(x) }
    @inline(__always) static func normalUpperCDF(_ x: Double) -> Double { _ = GSL.ready; return gsl_cdf_ugaussian_Q(x) }
    @inline(__always) static func normalDensity(_ x: Double) -> Double { _ = GSL.ready; return gsl_ran_ugaussian_pdf(x) }
    /// GSL's beta quantile; `BetaQuantile.quantile` uses it outside its own fast path.
    @inline(__always) static func gslBetaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_beta_Pinv(p, a, b)
    }
    @inline(__always) static func betaCDF(_ x: Double, _ a: Double, _ b: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_beta_P(x, a, b)
    }
    /// ln B(a, b) for a, b > 0 (`gsl_sf_lnbeta`: thread-safe, unlike the C library's
    /// `lgamma`, which writes the global `signgam`).
    @inline(__always) static func lnBeta(_ a: Double, _ b: Double) -> Double {
        _ = GSL.ready
        return gsl_sf_lnbeta(a, b)
    }
    @inline(__always) static func betaUpperCDF(_ x: Double, _ a: Double, _ b: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_beta_Q(x, a, b)
    }
    @inline(__always) static func gammaQuantile(_ p: Double, shape: Double, scale: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_gamma_Pinv(p, shape, scale)
    }
    @inline(__always) static func gammaCDF(_ x: Double, shape: Double, scale: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_gamma_P(x, shape, scale)
    }
    /// Quantile of Student's t with `nu` degrees of freedom (`gsl_cdf_tdist_Pinv`).
    static func tQuantile(_ p: Double, nu: Double) -> Double {
        _ = GSL.ready
        return gsl_cdf_tdist_Pinv(p, nu)
    }
}

// MARK: - Linear algebra

enum GSLLinearAlgebra {
    /// Lower Cholesky factor L of a symmetric matrix A = L Lᵀ (row-major, n × n), by
    /// `gsl_linalg_cholesky_decomp1`. Throws GSL's `GSL_EDOM` when A is not positive definite.
    static func cholesky(_ a: [Double], n: Int) throws(GSLError) -> [Double] {
        _ = GSL.ready
        guard let m = gsl_matrix_alloc(n, n) else { fatalError("gsl_matrix_alloc: out of memory") }
        defer { gsl_matrix_free(m) }
        for i in 0..<n { for j in 0..<n { gsl_matrix_set(m, i, j, a[i * n + j]) } }
        let status = gsl_linalg_cholesky_decomp1(m)
        guard status == GSL_SUCCESS else { throw GSLError(code: status, operation: "Cholesky decomposition") }
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { l[i * n + j] = gsl_matrix_get(m, i, j) } }
        return l
    }
}

// MARK: - Sobol quasi-random sequence

/// Owns one `gsl_qrng` of type `gsl_qrng_sobol` (Antonov & Saleev 1979; Bratley & Fox 1988)
/// and frees it in `deinit`. Not thread-safe: one per block.
///
/// GSL's `gsl_qrng_alloc` does not check the dimension (its Sobol initialiser reports an
/// invalid one by a status code that `gsl_qrng_alloc` drops, and the generator would then
/// read past its tables), so the dimension is checked here before GSL sees it.
final class GSLSobol {
    let pointer: UnsafeMutablePointer<gsl_qrng>
    let dimension: Int

    /// The largest dimension GSL's Sobol generator supports (40 in GSL 2.x).
    static var maximumDimension: Int {
        _ = GSL.ready
        return Int(gsl_qrng_sobol.pointee.max_dimension)
    }

    /// GSL's Sobol generator works with 30-bit numerators: every coordinate is a multiple of
    /// 2⁻³⁰, and at most 2³⁰ − 1 points follow the origin.
    static let bitCount = 30

    init(dimension: Int) throws(GSLError) {
        _ = GSL.ready
        guard dimension >= 1 && dimension <= Self.maximumDimension else {
            throw GSLError(code: Int32(GSL_EINVAL), operation: "Sobol sequence of dimension \(dimension) (GSL supports 1 to \(Self.maximumDimension))")
        }
        guard let q = gsl_qrng_alloc(gsl_qrng_sobol, UInt32(dimension)) else {
            fatalError("gsl_qrng_alloc returned NULL: out of memory")
        }
        pointer = q
        self.dimension = dimension
    }

    deinit { gsl_qrng_free(pointer) }

    /// The next point of the sequence, `dimension` coordinates in [0, 1). GSL starts after
    /// the origin: its first point is (½, ½, …).
    func next(into x: UnsafeMutablePointer<Double>) throws(GSLError) {
        let status = gsl_qrng_get(pointer, x)
        guard status == GSL_SUCCESS else { throw GSLError(code: status, operation: "Sobol sequence") }
    }
}
