/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014; constants from Vigna's reference implementation). Used only to turn a
/// (seed, block) pair into a generator's starting state, never for the draws themselves.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }

    @inline(__always) public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The key of block `block` under run seed `seed`:
    /// `key = next(SplitMix64(state: seed ⊕ next(SplitMix64(state: block))))`.
    /// Mixing the block index before combining keeps nearby seeds and nearby blocks
    /// from giving related keys. The documented contract (docs/reproducibility.md).
    public static func blockKey(seed: UInt64, block: UInt64) -> UInt64 {
        var b = SplitMix64(state: block)
        var s = SplitMix64(state: seed ^ b.next())
        return s.next()
    }
}

/// The pseudo-random generators a scenario may name. `mt19937` (Matsumoto & Nishimura
/// 1998) is the default; any other GSL generator name (`taus2`, `gfsr4`, `ranlxd2`, …)
/// is accepted too.
public struct GeneratorKind: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public static let mt19937 = GeneratorKind(validated: "mt19937")

    private init(validated name: String) { self.name = name }

    /// Throws when GSL has no generator of that name; the message lists the choices.
    public init(named name: String) throws(StochasticsError) {
        guard GSL.generatorType(named: name) != nil else {
            throw StochasticsError(
                "unknown random number generator '\(name)'",
                fix: "use one of: \(GSL.generatorNames.joined(separator: ", "))")
        }
        self.name = name
    }

    public static var availableNames: [String] { GSL.generatorNames }
    public var description: String { name }
}

/// One block's stream of random numbers: a GSL generator seeded from `(seed, block)`,
/// so block b gets the same numbers whichever thread or machine runs it.
/// Not thread-safe by design: a block owns its stream and runs on one thread.
public final class RandomStream {
    let generator: GSLGenerator

    public init(kind: GeneratorKind = .mt19937, seed: UInt64, block: UInt64) {
        let key = SplitMix64.blockKey(seed: seed, block: block)
        generator = GSLGenerator(type: GSL.generatorType(named: kind.name)!, key: key)
    }

    /// Uniform on (0, 1), endpoints excluded.
    @inline(__always) public func uniform() -> Double { generator.uniformOpen() }
    /// `count` uniforms on (0, 1) into `buffer`: the same numbers as `count` calls of
    /// `uniform()`, without a call across modules for each (the engine draws hundreds of
    /// event uniforms an iteration).
    public func fillUniforms(_ buffer: UnsafeMutablePointer<Double>, count: Int) {
        generator.fillUniformsOpen(buffer, count: count)
    }
    /// Uniform integer in 0 ..< n.
    @inline(__always) public func integer(below n: Int) -> Int { generator.uniformInt(n) }
    @inline(__always) public func standardNormal() -> Double { generator.standardNormal() }
    @inline(__always) func beta(_ a: Double, _ b: Double) -> Double { generator.beta(a, b) }
    @inline(__always) func gamma(shape: Double, scale: Double) -> Double {
        generator.gamma(shape: shape, scale: scale)
    }
}

/// A problem with a stochastic specification: what is wrong and how to fix it. The
/// scenario loader adds the file, line and key.
public struct StochasticsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let problem: String
    public let fix: String
    public init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }
    public var description: String { "\(problem); \(fix)" }
}
