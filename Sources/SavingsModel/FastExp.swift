import Foundation

/// e^x four lanes at a time, for the scale-economy terms V^β = exp(β ln V) of the model's
/// inner loop.
///
/// Why: the loop needs several hundred exponentials an iteration, and glibc's `exp` costs
/// about 57 instructions a value plus the call, the register spills around it and a
/// scalar round trip per lane. Here the whole computation stays in vector registers with
/// plain SSE2 arithmetic (the baseline x86-64 target: no FMA, no SSE4.1 `roundpd`), so it
/// contains no call and no float↔int conversion instruction.
///
/// Method. Write x = k·ln 2 + r with k an integer and |r| ≤ ln2/2, so e^x = 2^k · e^r.
/// - k = round(x·log₂e) by the "magic number" trick: adding M = 1.5·2^52 to x·log₂e rounds
///   to an integer (round to nearest even) and leaves k in the low bits of the sum's
///   significand; subtracting M again gives k as a Double.
/// - Cody–Waite reduction with ln 2 = ln2hi + ln2lo: ln2hi is ln 2 rounded to 32 bits (its
///   significand has 29 significant bits), so k·ln2hi is exact for |k| < 2^24, and
///   hi = x − k·ln2hi is exact as well (Sterbenz: x and k·ln2hi are close); ln2lo is
///   ln 2 − ln2hi rounded to a double (what remains, |ln 2 − ln2hi − ln2lo| ≈ 1.3e−27, adds at
///   most about 1e−24 to r for |k| ≤ 1021). lo = k·ln2lo, and r = hi − lo.
/// - e^r ≈ 1 + r + r²·q(r), q(r) = c2 + c3 r + … + c11 r⁹ (a degree-11 polynomial with its
///   first two coefficients exactly 1). The coefficients are a minimax fit to the relative
///   error on |r| ≤ (ln2/2)(1 + 2⁻²⁰), derived for this file: a linear programme on 3,001
///   Chebyshev-spaced points with residuals from mpmath at 40 digits, rounding the
///   coefficients to double one at a time from c2 upwards and re-fitting the higher ones
///   after each. The rounded polynomial, checked in 40-digit arithmetic on 20,001 points
///   refined at every local maximum, has |p(r)/e^r − 1| ≤ 3.7e−18 (2^−57.9), about 0.03 ulp.
///   (A degree-10 fit reaches only 2.9e−16, too much for a 1-ulp bound.) For comparison the
///   Taylor coefficients would be 1/k!; the fitted ones differ from them from the 16th
///   significant digit (c2) to the 3rd (c11).
/// - The sum is formed as 1 + (hi + (r²·q − lo)) rather than from r alone, so the rounding
///   of r = hi − lo reaches the result only through the small r² term. q is evaluated by
///   Horner's rule, with separate multiplications and additions (Swift does not fuse them,
///   so every CPU gives the same bits).
/// - 2^k: p = e^r lies in [0.70, 1.42], so adding k·2^52 to its bit pattern adds k to its
///   exponent. k·2^52 is the magic sum's bit pattern shifted left by 52 (the 1.5·2^52 part
///   and the sign fall off the top), so no float→int conversion is needed.
///
/// Accuracy. Before the last rounding the error is below about 0.45 ulp (0.25 ulp from
/// rounding hi + (r²q − lo), the rest from r, q and the polynomial), so the result is
/// within 0.95 ulp of e^x and never more than 1 ulp from the correctly rounded value: a
/// bit-exact numpy emulation measured at most 0.85 ulp from e^x (mpmath) over 500,000
/// arguments weighted towards |r| ≈ ln2/2, where the errors are largest; about 12 % of
/// results are not the correctly rounded one (they are its neighbour). The tests compare
/// with glibc's `exp` (correctly rounded in almost all cases) on more than 2,000,000
/// arguments: never more than 1 ulp apart. e^0 = 1 exactly.
///
/// Range. The fast path covers |x| ≤ 708, where e^x and 2^k are normal doubles
/// (e^−708 ≈ 3.3e−308 > 2^−1022). If any lane lies outside it (|x| > 708, ±infinity or NaN,
/// caught by one vector compare), those lanes — and only those — are recomputed with
/// `Foundation.exp`, so overflow, subnormal results, underflow to 0 and NaN are exactly
/// glibc's; the other lanes keep their fast-path bits.
///
/// Cost: about 15 instructions a value in a loop over a buffer, against about 70 for a
/// loop calling `Foundation.exp` (callgrind, baseline x86-64 release build).
enum FastExp {
    /// e^x lane by lane: within 1 ulp of the correctly rounded value wherever e^x is normal,
    /// and exactly `Foundation.exp(x)` for |x| > 708, ±infinity and NaN.
    @inline(__always) static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
        // log₂e, and ln 2 = ln2hi + ln2lo (derived with mpmath: ln2hi is ln 2 rounded to 32 bits).
        let log2e = 0x1.71547652b82fep+0
        let ln2hi = 0x1.62e42ffp-1
        let ln2lo = -0x1.718432a1b0e26p-35
        // 1.5·2^52: v + magic − magic rounds v to an integer for |v| < 2^51.
        let magic = 0x1.8p52
        // Minimax c2 … c11 of e^r ≈ 1 + r + c2 r² + … + c11 r¹¹ on |r| ≤ ln2/2 (relative
        // error ≤ 3.7e−18, see above).
        let c2 = 0x1.000000000000ap-1, c3 = 0x1.555555555550dp-3, c4 = 0x1.55555555507bap-5
        let c5 = 0x1.1111111124540p-7, c6 = 0x1.6c16c184319f9p-10, c7 = 0x1.a01a01384fd1ap-13
        let c8 = 0x1.a0199a21b52c0p-16, c9 = 0x1.71df0cc2f3bf4p-19, c10 = 0x1.28ad4c270ce9cp-22
        let c11 = 0x1.ad9eee75eb7e5p-26
        // Largest |x| of the fast path: e^−708 ≈ 3.3e−308 is still normal.
        let fastLimit = 708.0

        // |x| by clearing the sign bits; NaN fails the compare, so it takes the slow path too.
        let magnitude = unsafeBitCast(
            unsafeBitCast(x, to: SIMD4<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: SIMD4<Double>.self)
        let inRange = magnitude .<= SIMD4(repeating: fastLimit)

        // k = round(x log₂e); the sum's low significand bits hold k.
        let sum = x * log2e + magic
        let k = sum - magic
        // Cody–Waite: hi exact, r = x − k ln 2 to within half an ulp.
        let hi = x - k * ln2hi
        let lo = k * ln2lo
        let r = hi - lo
        // q(r) = c2 + c3 r + … + c11 r⁹ (Horner), e^r ≈ 1 + (hi + (r² q − lo)).
        var q = r * c11 + c10
        q = q * r + c9
        q = q * r + c8
        q = q * r + c7
        q = q * r + c6
        q = q * r + c5
        q = q * r + c4
        q = q * r + c3
        q = q * r + c2
        let p = 1 + (hi + ((r * r) * q - lo))
        // × 2^k: add k to the exponent field.
        let kBits = unsafeBitCast(sum, to: SIMD4<UInt64>.self) &<< 52
        let y = unsafeBitCast(unsafeBitCast(p, to: SIMD4<UInt64>.self) &+ kBits, to: SIMD4<Double>.self)

        if _fastPath(all(inRange)) { return y }
        return slowLanes(x, y, inRange)
    }

    /// The lanes outside the fast range from `Foundation.exp`; the others keep `fast`.
    @inline(never)
    static func slowLanes(_ x: SIMD4<Double>, _ fast: SIMD4<Double>,
                          _ inRange: SIMDMask<SIMD4<Int64>>) -> SIMD4<Double> {
        var y = fast
        for i in 0..<4 where !inRange[i] { y[i] = Foundation.exp(x[i]) }
        return y
    }
}
