// Generator streams: SplitMix64 against its reference outputs, the block-key contract of
// docs/reproducibility.md, the mt19937 full-state fill against an independent
// implementation, and every GSL generator name.
import Foundation
import Testing
@testable import Stochastics

@Suite("Random streams")
struct RandomStreamTests {
    @Test("SplitMix64 matches Vigna's splitmix64.c")
    func splitMixReference() {
        // First outputs of splitmix64.c seeded with x = 1234567 (recomputed independently
        // in Python from the published C code before being written here).
        var s = SplitMix64(state: 1_234_567)
        let expected: [UInt64] = [6457827717110365317, 3203168211198807973, 9817491932198370423,
                                  4593380528125082431, 16408922859458223821]
        #expect((0..<5).map { _ in s.next() } == expected)
        // And from state 0: 0xE220A8397B1DCDAF, the first output quoted in many ports.
        var z = SplitMix64(state: 0)
        #expect(z.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("block key = next(SplitMix64(seed ⊕ next(SplitMix64(block))))")
    func blockKeyContract() {
        // Values from an independent Python implementation of the documented formula.
        #expect(SplitMix64.blockKey(seed: 42, block: 0) == 5592132763777985307)
        #expect(SplitMix64.blockKey(seed: 42, block: 1) == 9129838320742759465)
        #expect(SplitMix64.blockKey(seed: 0, block: 0) == 12035550249420947055)
        // Spelled out with the public type.
        for (seed, block) in [(UInt64(7), UInt64(3)), (2026, 123_456), (.max, .max)] {
            var b = SplitMix64(state: block)
            var s = SplitMix64(state: seed ^ b.next())
            #expect(SplitMix64.blockKey(seed: seed, block: block) == s.next())
        }
        // Swapping seed and block gives a different key (the mixing is not symmetric).
        #expect(SplitMix64.blockKey(seed: 1, block: 2) != SplitMix64.blockKey(seed: 2, block: 1))
    }

    @Test("fillUniforms gives the numbers of successive uniform() calls and leaves the stream where they would")
    func fillUniformsEqualsSuccessiveDraws() {
        let one = RandomStream(seed: 11, block: 3), many = RandomStream(seed: 11, block: 3)
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 301)
        defer { buffer.deallocate() }
        many.fillUniforms(buffer, count: 301)
        for k in 0..<301 { #expect(buffer[k] == one.uniform(), "draw \(k)") }
        #expect(many.uniform() == one.uniform())
        many.fillUniforms(buffer, count: 0)
        #expect(many.uniform() == one.uniform())
    }

    @Test("mt19937 streams equal an independent MT19937 filled from the SplitMix64 stream")
    func mt19937Golden() {
        // Python: 624 words = next() & 0xFFFFFFFF from SplitMix64(state: blockKey(seed, b)),
        // mti = 624, standard MT19937 tempering, uniform_pos = k / 2³² skipping k = 0.
        let golden: [(UInt64, UInt64, [Double])] = [
            (42, 0, [0.8241160293109715, 0.5318958447314799, 0.634181325789541, 0.8224430680274963, 0.23944835807196796]),
            (42, 1, [0.3854106741491705, 0.014689385425299406, 0.7130922577343881, 0.0525048584677279, 0.3441447960212827]),
            (0, 0, [0.08619696227833629, 0.8062294169794768, 0.8483137167058885, 0.3718227962963283, 0.11167422472499311]),
            (2026, 7, [0.029219479532912374, 0.8098980730865151, 0.8215902608353645, 0.4453886516857892, 0.5991269215010107]),
        ]
        for (seed, block, expected) in golden {
            let stream = RandomStream(seed: seed, block: block)
            #expect((0..<5).map { _ in stream.uniform() } == expected, "seed \(seed), block \(block)")
        }
        // Past the first regeneration of the 624-word state.
        let stream = RandomStream(seed: 42, block: 0)
        var last = 0.0
        for _ in 0..<1000 { last = stream.uniform() }
        #expect(last == 0.24822111544199288)
    }

    @Test("same (seed, block) gives the same numbers; another block or seed does not",
          arguments: ["mt19937", "taus2", "gfsr4", "ranlxd2"])
    func sameAndDifferent(_ name: String) throws {
        let kind = try GeneratorKind(named: name)
        func first(_ seed: UInt64, _ block: UInt64) -> [Double] {
            let s = RandomStream(kind: kind, seed: seed, block: block)
            return (0..<1000).map { _ in s.uniform() }
        }
        let a = first(42, 0)
        #expect(a == first(42, 0))
        #expect(a != first(42, 1))
        #expect(a != first(43, 0))
        // Not merely different but unrelated: no shared values at all.
        #expect(Set(a).intersection(first(42, 1)).count <= 1)
    }

    @Test("mt19937 uses the whole 64-bit key; taus2 (via gsl_rng_set) only its low 32 bits")
    func keyWidth() throws {
        let key: UInt64 = 0x0123_4567_89AB_CDEF
        let other = key ^ (1 << 40)            // same low 32 bits
        func draws(_ name: String, _ k: UInt64) -> [Double] {
            let g = GSLGenerator(type: GSL.generatorType(named: name)!, key: k)
            return (0..<20).map { _ in g.uniformOpen() }
        }
        #expect(draws("mt19937", key) != draws("mt19937", other))
        // The documented caveat (docs/reproducibility.md): gsl_rng_set seeds taus2 with
        // 32 bits, so keys that agree in their low 32 bits give the same stream.
        #expect(draws("taus2", key) == draws("taus2", other))
    }

    @Test("every GSL generator name constructs and draws uniforms in (0, 1)")
    func everyGenerator() throws {
        let names = GeneratorKind.availableNames
        #expect(names.count > 50)
        #expect(names.contains("mt19937") && names.contains("taus2") && names.contains("gfsr4") && names.contains("ranlxd2"))
        #expect(Set(names).count == names.count)
        for name in names {
            let kind = try GeneratorKind(named: name)
            #expect(kind.name == name && kind.description == name)
            let stream = RandomStream(kind: kind, seed: 2026, block: 3)
            let u = (0..<200).map { _ in stream.uniform() }
            // A generator whose raw output is out of range would make integer(below:)
            // loop for ever (gsl_rng_uniform_int rejects until in range): stop here.
            guard u.allSatisfy({ $0 > 0 && $0 < 1 }) else {
                Issue.record("\(name): uniform() outside (0, 1), e.g. \(u.first { !($0 > 0 && $0 < 1) }!)")
                continue
            }
            #expect(Set(u).count > 150, "\(name) repeats itself")
            let ints = (0..<200).map { _ in stream.integer(below: 1000) }
            #expect(ints.allSatisfy { (0..<1000).contains($0) } && Set(ints).count > 100, "\(name): integer(below: 1000)")
        }
    }

    @Test("an unknown generator name throws and lists the choices")
    func unknownGenerator() {
        let error = #expect(throws: StochasticsError.self) { try GeneratorKind(named: "mt19938") }
        #expect(error?.problem == "unknown random number generator 'mt19938'")
        #expect(error?.fix.hasPrefix("use one of: ") ?? false)
        for name in ["mt19937", "taus2", "gfsr4", "ranlxd2"] {
            #expect(error?.fix.contains(name) ?? false, "the list should include \(name)")
        }
        #expect(throws: StochasticsError.self) { try GeneratorKind(named: "") }
        #expect(throws: StochasticsError.self) { try GeneratorKind(named: "MT19937") }
    }

    @Test("taus2 gives uniform numbers")
    func taus2Uniform() throws {
        let stream = RandomStream(kind: try GeneratorKind(named: "taus2"), seed: 99, block: 0)
        let u = (0..<100_000).map { _ in stream.uniform() }
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let m = SampleMoments(u)
        #expect(abs(m.mean - 0.5) <= 5 * m.standardErrorOfMean(sd: (1.0 / 12).squareRoot()))
        #expect(kolmogorovSmirnov(u) { $0 } < ksCritical1Percent(u.count))
        // Distributions work on it too.
        let d = try Distribution.pert(min: 0.1, mode: 0.2, max: 0.35)
        let xs = (0..<20_000).map { _ in d.sample(using: stream) }
        let mx = SampleMoments(xs)
        #expect(abs(mx.mean - d.mean) <= 5 * mx.standardErrorOfMean(sd: d.variance.squareRoot()))
    }

    @Test("integer(below:) is uniform on 0..<n")
    func integers() {
        let stream = RandomStream(seed: 5, block: 0)
        let n = 60_000
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<n { counts[stream.integer(below: 6)] += 1 }
        let p = 1.0 / 6, se = (p * (1 - p) / Double(n)).squareRoot()
        for c in counts { #expect(abs(Double(c) / Double(n) - p) <= 5 * se, "\(counts)") }
        #expect((0..<100).allSatisfy { _ in stream.integer(below: 1) == 0 })
    }

    @Test("standard normals from the ziggurat have mean 0 and variance 1")
    func standardNormal() {
        let stream = RandomStream(seed: 8, block: 0)
        let z = (0..<100_000).map { _ in stream.standardNormal() }
        let m = SampleMoments(z)
        #expect(abs(m.mean) <= 5 * m.standardErrorOfMean(sd: 1))
        #expect(abs(m.variance - 1) <= 5 * m.standardErrorOfVariance)
        #expect(kolmogorovSmirnov(z, cdf: phi) < ksCritical1Percent(z.count))
    }

    // The Mersenne Twister stepped in Swift on GSL's state (MersenneTwister in GSL.swift):
    // every draw must be GSL's own.

    /// An mt19937 generator whose draws go through Swift (`swift`) or all through GSL.
    private func twister(key: UInt64, swift: Bool) -> GSLGenerator {
        let g = GSLGenerator(type: GSL.generatorType(named: "mt19937")!, key: key, swiftTwister: swift)
        #expect(g.usesSwiftTwister == swift)
        return g
    }

    @Test("the Swift twister is in use for mt19937 and only for it")
    func swiftTwisterInUse() {
        #expect(MersenneTwister.agreesWithGSL)
        #expect(RandomStream(seed: 1, block: 0).generator.usesSwiftTwister)
        for name in ["taus2", "gfsr4", "mt19937_1999", "ranlxd2"] {
            let g = GSLGenerator(type: GSL.generatorType(named: name)!, key: 9)
            #expect(!g.usesSwiftTwister, "\(name)")
        }
    }

    @Test("the Swift twister gives MT19937's published output (C++ [rand.predef]: 10,000th draw from seed 5489)")
    func swiftTwisterPublishedValue() {
        for swift in [true, false] {
            let g = twister(key: 0, swift: swift)
            // init_genrand(5489) of Matsumoto & Nishimura's mt19937ar.c, written out here.
            let words = g.twisterWords
            words[0] = 5489
            for i in 1..<624 { words[i] = (1_812_433_253 &* (words[i - 1] ^ (words[i - 1] >> 30)) &+ UInt(i)) & 0xFFFF_FFFF }
            g.twisterPosition = 624
            // The first output from that state is 3,499,211,612; the 10,000th is 4,123,659,995.
            #expect(g.uniformOpen() == 3_499_211_612 / 4_294_967_296.0, "swift: \(swift)")
            for _ in 2..<10_000 { _ = g.uniformOpen() }
            #expect(g.uniformOpen() == 4_123_659_995 / 4_294_967_296.0, "swift: \(swift)")
        }
    }

    @Test("Swift twister draws equal GSL's, single and in bulk, interleaved with GSL's own samplers")
    func swiftTwisterEqualsGSL() {
        for key: UInt64 in [0, 42, 0xDEAD_BEEF_0123_4567] {
            let fast = twister(key: key, swift: true), gsl = twister(key: key, swift: false)
            var plan = SplitMix64(state: key &+ 1)
            let a = UnsafeMutablePointer<Double>.allocate(capacity: 1500), b = UnsafeMutablePointer<Double>.allocate(capacity: 1500)
            defer { a.deallocate(); b.deallocate() }
            var mismatches = 0
            for _ in 0..<3000 {
                switch plan.next() % 6 {
                case 0:
                    if fast.uniformOpen() != gsl.uniformOpen() { mismatches += 1 }
                case 1, 2:
                    // 0 … 1,499 draws: many fills cross a regeneration of the 624 words.
                    let count = Int(plan.next() % 1500)
                    fast.fillUniformsOpen(a, count: count)
                    gsl.fillUniformsOpen(b, count: count)
                    for k in 0..<count where a[k] != b[k] { mismatches += 1 }
                case 3:
                    if fast.standardNormal() != gsl.standardNormal() { mismatches += 1 }
                case 4:
                    if fast.gamma(shape: 2.5, scale: 1) != gsl.gamma(shape: 2.5, scale: 1) { mismatches += 1 }
                default:
                    if fast.uniformInt(1000) != gsl.uniformInt(1000) { mismatches += 1 }
                }
                if fast.twisterPosition != gsl.twisterPosition { mismatches += 1 }
            }
            #expect(mismatches == 0, "key \(key)")
            #expect((0..<624).allSatisfy { fast.twisterWords[$0] == gsl.twisterWords[$0] }, "key \(key)")
        }
    }

    @Test("an output of 0 is skipped as GSL skips it, also as a generation's last word",
          arguments: [5, 623])
    func swiftTwisterSkipsZero(_ position: Int) {
        // Tempering maps 0 to 0, so a state word of 0 at the position is an output of 0.
        for bulk in [false, true] {
            let fast = twister(key: 77, swift: true), gsl = twister(key: 77, swift: false)
            for g in [fast, gsl] {
                g.twisterWords[position] = 0
                g.twisterPosition = position - 2
            }
            let a = UnsafeMutablePointer<Double>.allocate(capacity: 4), b = UnsafeMutablePointer<Double>.allocate(capacity: 4)
            defer { a.deallocate(); b.deallocate() }
            if bulk {
                fast.fillUniformsOpen(a, count: 4)
            } else {
                for k in 0..<4 { a[k] = fast.uniformOpen() }
            }
            for k in 0..<4 { b[k] = gsl.uniformOpen() }
            #expect((0..<4).allSatisfy { a[$0] == b[$0] && a[$0] > 0 }, "bulk \(bulk)")
            // Four numbers from five words: the zero was passed over.
            #expect(fast.twisterPosition == gsl.twisterPosition)
            #expect(fast.twisterPosition == (position == 623 ? 2 : position + 3))
        }
    }
}
