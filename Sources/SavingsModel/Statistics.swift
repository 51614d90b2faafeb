import Foundation

/// Summary statistics over iterations (MODEL.md §9). Every sum runs in iteration order,
/// so the same columns always give the same bits.
///
/// Percentiles, CVaR and ranks need order, not a full sort: they find order statistics by
/// radix selection and rank by radix sort, over order-preserving integer keys of the values
/// (`orderKey`). An order statistic is a value, not a position, so any exact method finds
/// the same one; the results are the bits the earlier comparison-based code gave (see
/// `percentiles(_:_:)` and `ScalarSummary.init?(_:)` for the one case, a zero of either
/// sign, where the sign of a zero result could differ).
/// NaN is not expected (callers drop undefined values first, and a run whose columns hold
/// one is refused by `OutputCheck`); if one comes, it is ordered by IEEE totalOrder as in
/// `orderKey` rather than trapping, so the result is deterministic but means nothing.
public enum Statistics {
    /// Percentile by linear interpolation between order statistics (Hyndman & Fan 1996,
    /// type 7; R's default, NumPy's `linear`, GSL's `gsl_stats_quantile_from_sorted_data`):
    /// h = (n − 1)p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), 0-based order statistics.
    public static func percentile(sorted x: [Double], _ p: Double) -> Double {
        precondition(!x.isEmpty)
        let h = Double(x.count - 1) * p
        let lo = Int(h.rounded(.down))
        if lo >= x.count - 1 { return x[x.count - 1] }
        return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
    }

    /// Type-7 percentiles (as `percentile(sorted:_:)`) at several levels in 0 … 1, without
    /// sorting. The array is only read; it is `inout` for callers written against the earlier
    /// quickselect, which reordered it. See `percentiles(_:_:)`.
    public static func percentiles(selecting x: inout [Double], _ levels: [Double]) -> [Double] {
        // Read-only access: no copy-on-write copy of a column shared with the caller.
        x.withUnsafeBufferPointer { percentiles($0, levels) }
    }

    /// `percentiles(_:_:)` for storage the caller owns (flat column buffers); the values are
    /// only read, never reordered.
    public static func percentiles(selecting x: UnsafeMutableBufferPointer<Double>, _ levels: [Double]) -> [Double] {
        percentiles(UnsafeBufferPointer(x), levels)
    }

    /// Type-7 percentiles at several levels in 0 … 1. Precondition: `x` is not empty. It should
    /// hold no NaN (callers filter undefined values; see `Statistics` for what happens if it
    /// does); ±infinity is allowed and ordered as usual.
    ///
    /// Each level needs the order statistics ⌊h⌋ and ⌊h⌋ + 1; all of them are found in one
    /// radix selection (`orderStatisticKeys`) and combined with exactly the expression of
    /// `percentile(sorted:_:)`, so the result is the same double as from a full sort.
    ///
    /// Signed zeros: −0 and +0 compare equal, so a sort may place them either way; the
    /// selection orders −0 before +0. That cannot change an interpolated percentile: when
    /// x₍ℓ₎ is a zero, x₍ℓ₊₁₎ − x₍ℓ₎ is x₍ℓ₊₁₎ if that is non-zero, and +0 if it is a zero
    /// unless x₍ℓ₎ = +0 (then −0); x₍ℓ₎ + f·(that) with f ≥ 0 is then the same non-zero
    /// value, or +0 whichever zeros they were. When x₍ℓ₊₁₎ is a zero and x₍ℓ₎ is not, the
    /// difference is −x₍ℓ₎ either way. Only a returned order statistic itself (level 1, or
    /// a single value) keeps its sign: the largest value, +0 here if the maximum is a zero
    /// of both signs. The earlier quickselect returned whichever zero its partitioning left
    /// there; no caller asks for level 1 (what-if levels are below 100 %, the summaries' at
    /// most 99.5 %), and every report prints −0 and +0 alike ("0", "£0").
    public static func percentiles(_ x: UnsafeBufferPointer<Double>, _ levels: [Double]) -> [Double] {
        precondition(!x.isEmpty)
        let wanted = orderStatisticsNeeded(count: x.count, levels)
        return interpolate(count: x.count, levels, wanted, orderStatisticKeys(x, wanted))
    }

    /// The order statistics type-7 percentiles at `levels` need, ascending and distinct.
    static func orderStatisticsNeeded(count n: Int, _ levels: [Double], with extra: [Int] = []) -> [Int] {
        var wanted = extra
        for p in levels {
            precondition(p >= 0 && p <= 1, "percentile level \(p) outside 0 … 1")
            let lo = Int((Double(n - 1) * p).rounded(.down))
            wanted.append(lo)
            if lo + 1 < n { wanted.append(lo + 1) }
        }
        return Array(Set(wanted)).sorted()
    }

    /// The percentiles from the keys of the order statistics `wanted` (which include those
    /// `orderStatisticsNeeded` gives), by exactly the expression of `percentile(sorted:_:)`.
    static func interpolate(count n: Int, _ levels: [Double], _ wanted: [Int], _ keys: [UInt64]) -> [Double] {
        func value(_ k: Int) -> Double { Statistics.value(orderKey: keys[position(of: k, in: wanted)]) }
        return levels.map { p in
            let h = Double(n - 1) * p
            let lo = Int(h.rounded(.down))
            if lo >= n - 1 { return value(n - 1) }
            let a = value(lo), b = value(lo + 1)
            return a + (h - Double(lo)) * (b - a)
        }
    }

    /// Where `k` is in the ascending array `sorted` (which holds it), by bisection.
    static func position(of k: Int, in sorted: [Int]) -> Int {
        var a = 0, b = sorted.count - 1
        while a < b {
            let m = (a + b) / 2
            if sorted[m] < k { a = m + 1 } else { b = m }
        }
        precondition(sorted[a] == k)
        return a
    }

    // MARK: - Order-preserving keys

    /// The key of a double: its bits with every bit flipped for a negative value and the sign
    /// bit set for a positive one. Keys compare as unsigned integers the way the values
    /// compare (IEEE 754 totalOrder): −∞ < negatives < −0 < +0 < positives < +∞, with NaN
    /// beyond the infinities (a NaN with the sign bit set below −∞, others above +∞).
    /// The map is a bijection, so `value(orderKey:)` gives back the very bits.
    @inline(__always)
    static func orderKey(_ v: Double) -> UInt64 {
        let bits = v.bitPattern
        return bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63))
    }

    @inline(__always)
    static func value(orderKey k: UInt64) -> Double {
        Double(bitPattern: k ^ (UInt64(bitPattern: Int64(bitPattern: ~k) >> 63) | (1 << 63)))
    }

    /// The keys of the order statistics `ranks` (0-based, ascending, distinct, each < count)
    /// of `x`: the values the same positions of a sorted copy would hold (−0 before +0).
    ///
    /// Radix selection. A level puts every value in a bucket by a non-decreasing function of
    /// the value, so buckets follow one another in the order of the values and equal values
    /// share one; a histogram gives each bucket's place in that order, hence the bucket that
    /// holds each wanted rank. Only those buckets' keys are gathered, and the search goes on
    /// inside each, until a bucket's keys are all equal or few enough to sort. Nothing is
    /// ever compared approximately, so the result is exact.
    ///
    /// The first level splits the range min … max into equal-width buckets by
    /// (v − min)·scale rounded to an integer (`EqualWidthBuckets`; monotone, since IEEE
    /// subtraction and multiplication round monotonically): for the smooth distributions of a Monte Carlo run the wanted buckets
    /// then hold a few dozen values each. Deeper levels, and the first when the range is not
    /// finite, split on the highest key bits in which the smallest and largest key differ, at
    /// least 4 more bits a level, so no input takes more than 17 levels of linear passes.
    static func orderStatisticKeys(_ x: UnsafeBufferPointer<Double>, _ ranks: [Int]) -> [UInt64] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < x.count })
        var out = [UInt64](repeating: 0, count: ranks.count)
        ranks.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in selectTop(x, r, o.baseAddress!) }
        }
        return out
    }

    /// The bits a key-bit selection level splits on: about n/32 buckets, between 16 and 4,096
    /// (a histogram that stays in the L1 cache, few buckets to scan for small inputs).
    @inline(__always)
    static func digitBits(_ n: Int) -> Int { Swift.min(12, Swift.max(4, (Int.bitWidth - n.leadingZeroBitCount) - 5)) }

    /// Inputs at most this long are sorted outright (insertion sort).
    static let smallSelection = 48

    /// The first selection level: equal-width buckets over a finite range, else key bits.
    static func selectTop(_ x: UnsafeBufferPointer<Double>, _ ranks: UnsafeBufferPointer<Int>,
                          _ out: UnsafeMutablePointer<UInt64>) {
        let n = x.count
        let source = DoubleKeys(values: x)
        guard n > smallSelection else { return selectKeys(source, ranks, out) }
        let (lo, hi) = keyRange(source)
        if lo == hi {
            for j in ranks.indices { out[j] = lo }
            return
        }
        let low = value(orderKey: lo), high = value(orderKey: hi)
        let buckets = Swift.min(4_096, Swift.max(16, n / 16))
        let scale = Double(buckets) / (high - low)
        // A finite range and scale keep every (v − low)·scale finite, in 0 … about `buckets`
        // (a NaN makes the smallest or largest key a NaN's, so it takes the key-bit path).
        guard low.isFinite, high.isFinite, (high - low).isFinite, scale.isFinite, scale > 0 else {
            return selectKeys(source, ranks, out)
        }
        let bucketing = EqualWidthBuckets(values: x, low: low, scale: scale, last: buckets - 1)
        selectInBuckets(source, bucketing, bucketCount: buckets, singleKey: nil, ranks, out)
    }

    /// The smallest and largest key.
    static func keyRange<S: OrderKeys>(_ source: S) -> (UInt64, UInt64) {
        var lo = source[0], hi = lo
        for i in 1..<source.count {
            let k = source[i]
            lo = Swift.min(lo, k)
            hi = Swift.max(hi, k)
        }
        return (lo, hi)
    }

    /// A key-bit selection level over `source` (see `orderStatisticKeys`): writes the key of
    /// the `ranks[j]`-th smallest to `out[j]`.
    static func selectKeys<S: OrderKeys>(_ source: S, _ ranks: UnsafeBufferPointer<Int>,
                                         _ out: UnsafeMutablePointer<UInt64>) {
        let n = source.count
        if n <= smallSelection {
            let t = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
            defer { t.deallocate() }
            for i in 0..<n { t[i] = source[i] }
            insertionSort(t)
            for j in ranks.indices { out[j] = t[ranks[j]] }
            return
        }
        let (lo, hi) = keyRange(source)
        if lo == hi {
            for j in ranks.indices { out[j] = lo }
            return
        }
        // Bits above `varying` are the same in every key; split on the next `digitBits` below.
        let varying = UInt64.bitWidth - (lo ^ hi).leadingZeroBitCount
        let shift = UInt64(Swift.max(varying - digitBits(n), 0))
        let base = lo >> shift
        let bucketCount = Int(truncatingIfNeeded: (hi >> shift) &- base) + 1
        // With no bits below the split, each bucket is a single key.
        let singleKey: ((Int) -> UInt64)? = shift == 0 ? { base &+ UInt64($0) } : nil
        selectInBuckets(source, KeyBitBuckets(source: source, shift: shift, base: base),
                        bucketCount: bucketCount, singleKey: singleKey, ranks, out)
    }

    /// Histogram, the buckets holding `ranks`, their keys gathered, and the search continued
    /// inside each by key bits.
    static func selectInBuckets<S: OrderKeys, B: Bucketing>(
        _ source: S, _ bucketing: B, bucketCount: Int, singleKey: ((Int) -> UInt64)?,
        _ ranks: UnsafeBufferPointer<Int>, _ out: UnsafeMutablePointer<UInt64>
    ) {
        let n = source.count
        let count = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount)
        defer { count.deallocate() }
        do {
            count.initialize(repeating: 0)
            for i in 0..<n { count[bucketing.bucket(i)] += 1 }

            // Walk buckets and ranks together: bucket b holds ranks start ..< start + count[b].
            var needed: [(bucket: Int, start: Int, size: Int, ranks: Range<Int>)] = []
            var b = 0, start = 0, j = 0
            while j < ranks.count {
                while start + count[b] <= ranks[j] {
                    start += count[b]
                    b += 1
                }
                let first = j
                while j < ranks.count && ranks[j] < start + count[b] { j += 1 }
                needed.append((b, start, count[b], first..<j))
            }
            if let singleKey {
                for w in needed { for j in w.ranks { out[j] = singleKey(w.bucket) } }
                return
            }
            // Gather the needed buckets' keys, each bucket contiguous; `count` becomes the
            // next free slot of a needed bucket, −1 for the others.
            var total = 0
            for b in 0..<bucketCount { count[b] = -1 }
            for w in needed {
                count[w.bucket] = total
                total += w.size
            }
            let gathered = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: total)
            defer { gathered.deallocate() }
            for i in 0..<n {
                let d = bucketing.bucket(i)
                let slot = count[d]
                if slot >= 0 {
                    gathered[slot] = source[i]
                    count[d] = slot + 1
                }
            }
            // Search on inside each needed bucket, with ranks relative to its start.
            var offset = 0
            for w in needed {
                let relative = w.ranks.map { ranks[$0] - w.start }
                relative.withUnsafeBufferPointer { r in
                    selectKeys(UnsafeBufferPointer(rebasing: gathered[offset..<(offset + w.size)]), r, out + w.ranks.lowerBound)
                }
                offset += w.size
            }
        }
    }

    static func insertionSort(_ t: UnsafeMutableBufferPointer<UInt64>) {
        guard t.count > 1 else { return }
        for i in 1..<t.count {
            let k = t[i]
            var j = i
            while j > 0 && t[j - 1] > k {
                t[j] = t[j - 1]
                j -= 1
            }
            t[j] = k
        }
    }

    // MARK: - Moments

    /// The mean; exactly the value when every value is the same (a degenerate input, a
    /// fixed scenario), where rounding in the sum would otherwise give a spurious spread.
    public static func mean(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { mean($0) }
    }

    /// `mean(_:)` over a buffer: the same sum in the same order.
    public static func mean(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let first = x.first else { return .nan }
        var s = 0.0, constant = true
        for v in x {
            s += v
            constant = constant && v == first
        }
        return constant ? first : s / Double(x.count)
    }

    /// Sample standard deviation with the n − 1 divisor (0 for a single value).
    public static func standardDeviation(_ x: [Double], mean m: Double) -> Double {
        x.withUnsafeBufferPointer { standardDeviation($0, mean: m) }
    }

    /// `standardDeviation(_:mean:)` over a buffer: the same sum in the same order.
    public static func standardDeviation(_ x: UnsafeBufferPointer<Double>, mean m: Double) -> Double {
        guard x.count > 1 else { return 0 }
        var s = 0.0
        for v in x { s += (v - m) * (v - m) }
        return (s / Double(x.count - 1)).squareRoot()
    }

    // MARK: - Ranks

    /// Ranks 1 … n, ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        x.withUnsafeBufferPointer { ranks($0) }
    }

    /// Ranks 1 … n, ties (values that compare equal, −0 with +0 too) given their average rank.
    /// NaN is not expected (see `Statistics`); each one would get a rank of its own.
    ///
    /// The values' keys (`orderKey`) are sorted together with their positions, which orders
    /// them exactly as the values (−0 just before +0): a counting sort into about n/2
    /// equal-width buckets over min … max (`EqualWidthBuckets`, non-decreasing in the value,
    /// so the buckets follow the order of the values), then each bucket sorted by key —
    /// insertion sort when small, LSD radix sort when not (`sortPairs`). Without a finite
    /// range (infinities) the radix sort takes the whole column. Equal values end up as
    /// adjacent runs, and a run's average rank depends only on where it starts and ends, so
    /// the ranks are those of any correct sort.
    public static func ranks(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        let n = x.count
        guard n > 0 else { return [] }
        precondition(n <= Int(UInt32.max), "too many values to rank")
        // Keys and positions, and as much scratch for the radix sort.
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * n)
        let index = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * n)
        defer {
            keys.deallocate()
            index.deallocate()
        }
        let source = DoubleKeys(values: x)
        let (lo, hi) = keyRange(source)
        let low = value(orderKey: lo), high = value(orderKey: hi)
        let buckets = Swift.max(1, n / 2)
        let scale = Double(buckets) / (high - low)
        if lo != hi && low.isFinite && high.isFinite && (high - low).isFinite && scale.isFinite && scale > 0 {
            let bucketing = EqualWidthBuckets(values: x, low: low, scale: scale, last: buckets - 1)
            let count = UnsafeMutableBufferPointer<Int>.allocate(capacity: buckets)
            defer { count.deallocate() }
            count.initialize(repeating: 0)
            for i in 0..<n { count[bucketing.bucket(i)] &+= 1 }
            var sum = 0
            for b in 0..<buckets {
                let size = count[b]
                count[b] = sum
                sum += size
            }
            for i in 0..<n {
                let b = bucketing.bucket(i)
                let slot = count[b]
                count[b] = slot &+ 1
                keys[slot] = source[i]
                index[slot] = UInt32(truncatingIfNeeded: i)
            }
            // count[b] is now where bucket b ends.
            var start = 0
            for b in 0..<buckets {
                if count[b] - start > 1 {
                    sortPairs(keys.baseAddress! + start, index.baseAddress! + start, count[b] - start,
                              scratch: keys.baseAddress! + n + start, index.baseAddress! + n + start)
                }
                start = count[b]
            }
        } else {
            for i in 0..<n {
                keys[i] = source[i]
                index[i] = UInt32(truncatingIfNeeded: i)
            }
            sortPairs(keys.baseAddress!, index.baseAddress!, n, scratch: keys.baseAddress! + n, index.baseAddress! + n)
        }
        var r = [Double](repeating: 0, count: n)
        r.withUnsafeMutableBufferPointer { r in
            var start = 0
            while start < n {
                let v = value(orderKey: keys[start])
                var end = start
                while end + 1 < n && value(orderKey: keys[end + 1]) == v { end += 1 }
                let average = Double(start + end) / 2 + 1
                for j in start...end { r[Int(index[j])] = average }
                start = end + 1
            }
        }
        return r
    }

    /// Sorts `count` keys ascending, moving `payload` with them (stably); `scratch` and
    /// `payloadScratch` hold as many. Insertion sort up to 32 elements, else an LSD radix sort
    /// on 8-bit digits (11-bit from 4,096 elements, where fewer passes pay for the larger
    /// histograms) that skips the digits every key shares.
    static func sortPairs(_ keys: UnsafeMutablePointer<UInt64>, _ payload: UnsafeMutablePointer<UInt32>, _ count: Int,
                          scratch: UnsafeMutablePointer<UInt64>, _ payloadScratch: UnsafeMutablePointer<UInt32>) {
        guard count > 1 else { return }
        if count <= 32 {
            for i in 1..<count {
                let k = keys[i], p = payload[i]
                var j = i
                while j > 0 && keys[j - 1] > k {
                    keys[j] = keys[j - 1]
                    payload[j] = payload[j - 1]
                    j -= 1
                }
                keys[j] = k
                payload[j] = p
            }
            return
        }
        let bits = count < 4_096 ? 8 : 11, radix = 1 << bits, mask = UInt64(radix - 1)
        // Digits in which some key differs from the first.
        var differs: UInt64 = 0
        for i in 0..<count { differs |= keys[i] ^ keys[0] }
        var shifts: [UInt64] = []
        for d in stride(from: 0, to: UInt64.bitWidth, by: bits) where (differs >> UInt64(d)) & mask != 0 {
            shifts.append(UInt64(d))
        }
        let histogram = UnsafeMutableBufferPointer<Int>.allocate(capacity: radix * shifts.count)
        defer { histogram.deallocate() }
        do {
            histogram.initialize(repeating: 0)
            for i in 0..<count {
                let k = keys[i]
                for (p, shift) in shifts.enumerated() { histogram[p * radix + Int(truncatingIfNeeded: (k >> shift) & mask)] &+= 1 }
            }
            var (fromK, fromP, toK, toP) = (keys, payload, scratch, payloadScratch)
            for (p, shift) in shifts.enumerated() {
                let c = histogram.baseAddress! + p * radix
                var sum = 0
                for b in 0..<radix {
                    let size = c[b]
                    c[b] = sum
                    sum += size
                }
                for i in 0..<count {
                    let k = fromK[i]
                    let b = Int(truncatingIfNeeded: (k >> shift) & mask)
                    let slot = c[b]
                    c[b] = slot &+ 1
                    toK[slot] = k
                    toP[slot] = fromP[i]
                }
                swap(&fromK, &toK)
                swap(&fromP, &toP)
            }
            if fromK != keys {
                keys.update(from: fromK, count: count)
                payload.update(from: fromP, count: count)
            }
        }
    }

    /// Pearson correlation; NaN when either variable is constant.
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = mean(a), mb = mean(b)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db
            saa += da * da
            sbb += db * db
        }
        guard saa > 0 && sbb > 0 else { return .nan }
        return sab / (saa * sbb).squareRoot()
    }

    /// Spearman's rank correlation: Pearson on average ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double { pearson(ranks(a), ranks(b)) }
}

// Scratch memory here is allocated on the heap, not with `withUnsafeTemporaryAllocation`:
// in the release build (Swift 6.3.1) a call through it trapped on return (the closure came
// back with Swift's error register set); valgrind's memcheck found no bad write in the same
// code with heap buffers.

/// Where a selection level reads its keys: the values themselves at the top level (keys
/// computed on the fly, so no key array as long as the input), gathered keys below.
protocol OrderKeys {
    var count: Int { get }
    subscript(_ i: Int) -> UInt64 { get }
}

struct DoubleKeys: OrderKeys {
    let values: UnsafeBufferPointer<Double>
    var count: Int { values.count }
    subscript(_ i: Int) -> UInt64 { Statistics.orderKey(values[i]) }
}

extension UnsafeBufferPointer: OrderKeys where Element == UInt64 {}

/// How a selection or sort level assigns element i to a bucket: a non-decreasing function of
/// the value, so that buckets follow the order of the values.
protocol Bucketing {
    func bucket(_ i: Int) -> Int
}

/// (v − low)·scale rounded to an integer, at most `last` (the largest value may round past
/// it). Non-decreasing in v because rounded subtraction, multiplication by a positive scale
/// and addition are, and so is the bit pattern of a positive double: adding 2⁵² puts the
/// integer nearest t = (v − low)·scale (0 ≤ t < 2⁵²) in the low bits, which is cheaper than
/// a checked `Int(t)`. Needs a finite range (no infinities, no overflow of v − low), no NaN.
struct EqualWidthBuckets: Bucketing {
    let values: UnsafeBufferPointer<Double>
    let low, scale: Double
    let last: Int
    @inline(__always) func bucket(_ i: Int) -> Int {
        let t = (values[i] - low) * scale + 0x1p52
        return Swift.min(Int(truncatingIfNeeded: t.bitPattern &- (0x1p52 as Double).bitPattern), last)
    }
}

/// Key bits from `shift` up, less those of the smallest key (`base`): non-decreasing in the key.
struct KeyBitBuckets<S: OrderKeys>: Bucketing {
    let source: S
    let shift, base: UInt64
    @inline(__always) func bucket(_ i: Int) -> Int { Int(truncatingIfNeeded: (source[i] >> shift) &- base) }
}

/// Mean, spread and percentiles of one scalar output over the iterations.
public struct ScalarSummary: Sendable, Equatable {
    /// Iterations where the output is defined (BCR and payback can be undefined).
    public let count: Int
    public let mean: Double
    public let sd: Double
    /// Monte Carlo standard error of the mean, SD/√n.
    public let se: Double
    public let p5, p10, p25, p50, p75, p90, p95: Double
    /// Share of defined iterations with a value > 0.
    public let probabilityPositive: Double
    /// Conditional value at risk: the mean of the lowest ⌈0.05 n⌉ values.
    public let cvar5: Double

    public static let percentileLevels: [Double] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]

    /// Summary of the defined (non-NaN) values; nil when there are none.
    public init?(_ values: [Double]) {
        guard let s = values.withUnsafeBufferPointer({ ScalarSummary($0) }) else { return nil }
        self = s
    }

    /// Summary of the defined (non-NaN) values of a buffer (only read); nil when there are
    /// none.
    ///
    /// Mean and SD are sums in iteration order. The percentiles and the CVaR's threshold are
    /// order statistics from one radix selection (`Statistics.orderStatisticKeys`); the
    /// lowest ⌈0.05 n⌉ values are those below the threshold plus enough copies of it, summed
    /// in ascending order as before (the order the sum's rounding depends on). Which of
    /// equal values comes first cannot change that sum, −0 and +0 included (the running sum
    /// starts at +0 and adding a zero to it never changes it). The one bit that can differ
    /// from sorting with `<`: when those lowest values are all zeros of both signs, the
    /// CVaR is −0 here (the mean of equal values is the first of them), where a sort could
    /// have put either zero first.
    public init?(_ values: UnsafeBufferPointer<Double>) {
        var filtered: [Double] = []
        var nans = 0
        for v in values { nans &+= v.isNaN ? 1 : 0 }   // no early exit: a loop that vectorises
        let hasNaN = nans > 0
        if hasNaN { filtered = values.filter { !$0.isNaN } }
        let result: ScalarSummary? = hasNaN
            ? filtered.withUnsafeBufferPointer { ScalarSummary(defined: $0) }
            : ScalarSummary(defined: values)
        guard let result else { return nil }
        self = result
    }

    /// The summary of values with no NaN; nil when empty.
    private init?(defined x: UnsafeBufferPointer<Double>) {
        guard !x.isEmpty else { return nil }
        count = x.count
        mean = Statistics.mean(x)
        sd = Statistics.standardDeviation(x, mean: mean)
        se = sd / Double(count).squareRoot()

        // The lowest ⌈0.05 n⌉ values end at order statistic tail − 1, found in the same
        // selection as the percentiles'.
        let tail = Swift.max(Int((0.05 * Double(count)).rounded(.up)), 1)
        let wanted = Statistics.orderStatisticsNeeded(count: count, Self.percentileLevels, with: [tail - 1])
        let keys = Statistics.orderStatisticKeys(x, wanted)
        let threshold = keys[Statistics.position(of: tail - 1, in: wanted)]
        // One pass for P(> 0) and the keys below the threshold.
        var positive = 0
        var lowest = [UInt64]()
        lowest.reserveCapacity(tail)
        for v in x {
            if v > 0 { positive += 1 }
            let k = Statistics.orderKey(v)
            if k < threshold { lowest.append(k) }
        }
        probabilityPositive = Double(positive) / Double(count)
        // Fewer than `tail` lie below the threshold (it is the tail-th smallest); the rest
        // are copies of it.
        while lowest.count < tail { lowest.append(threshold) }
        lowest.sort()   // 5 % of the values; a comparison sort of integers is quick enough
        cvar5 = Statistics.mean(lowest.map { Statistics.value(orderKey: $0) })
        let p = Statistics.interpolate(count: count, Self.percentileLevels, wanted, keys)
        (p5, p10, p25, p50, p75, p90, p95) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
    }

    public var percentiles: [Double] { [p5, p10, p25, p50, p75, p90, p95] }
}
