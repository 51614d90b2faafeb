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
        percentiles(x, levels, scan: nil)
    }

    /// `percentiles(_:_:)` reusing a `ColumnScan` of `x` the caller made anyway (for a mean),
    /// which spares the selection its own pass for the range.
    static func percentiles(_ x: UnsafeBufferPointer<Double>, _ levels: [Double], scan: ColumnScan?) -> [Double] {
        precondition(!x.isEmpty)
        let wanted = orderStatisticsNeeded(count: x.count, levels)
        return interpolate(count: x.count, levels, wanted, orderStatisticKeys(x, wanted, scan: scan))
    }

    /// Type-7 percentiles of values whose keys are all at hand in ascending order (as
    /// `withSortedKeys` gives them): the same order statistics, so the same bits, as
    /// `percentiles(_:_:)`.
    static func percentiles(sortedKeys keys: UnsafeBufferPointer<UInt64>, _ levels: [Double]) -> [Double] {
        precondition(!keys.isEmpty)
        let wanted = orderStatisticsNeeded(count: keys.count, levels)
        return interpolate(count: keys.count, levels, wanted, wanted.map { keys[$0] })
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
    /// subtraction and multiplication round monotonically): for the smooth distributions of
    /// a Monte Carlo run the wanted buckets then hold a few dozen values each. The range comes
    /// from a `ColumnScan`, the caller's if it made one for a mean. Deeper levels, and the
    /// first when the range is not finite (or a NaN is present), split on the highest key bits
    /// in which the keys differ, at least 4 more bits a level, so no input takes more than 17
    /// levels of linear passes.
    static func orderStatisticKeys(_ x: UnsafeBufferPointer<Double>, _ ranks: [Int], scan: ColumnScan? = nil) -> [UInt64] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < x.count })
        var out = [UInt64](repeating: 0, count: ranks.count)
        ranks.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in selectTop(x, r, o.baseAddress!, scan: scan) }
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
                          _ out: UnsafeMutablePointer<UInt64>, scan: ColumnScan? = nil) {
        guard x.count > smallSelection, let level = RangeSelection(x, scan ?? ColumnScan(x)) else {
            return selectKeys(DoubleKeys(values: x), ranks, out)
        }
        defer { level.deallocate() }
        level.countBuckets()
        _ = level.select(ranks, out)
    }

    /// The bits set in every key (AND) and in any key (OR). They are equal when all keys are
    /// (a bucket of one value, such as an atom at zero, is common), and the highest bit in
    /// which they differ is the highest in which the smallest and largest key differ. A loop
    /// that vectorises, unlike a minimum and maximum of 64-bit keys.
    static func commonBits<S: OrderKeys>(_ source: S) -> (all: UInt64, any: UInt64) {
        var all = UInt64.max, any: UInt64 = 0
        for i in 0..<source.count {
            let k = source[i]
            all &= k
            any |= k
        }
        return (all, any)
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
        let (all, any) = commonBits(source)
        if all == any {
            for j in ranks.indices { out[j] = all }
            return
        }
        // Bits above `varying` are the same in every key; split on the next `digitBits` below.
        // Every key's prefix above the split lies between those of `all` and `any`.
        let varying = UInt64.bitWidth - (all ^ any).leadingZeroBitCount
        let shift = UInt64(Swift.max(varying - digitBits(n), 0))
        let base = all >> shift
        let bucketCount = Int(truncatingIfNeeded: (any >> shift) &- base) + 1
        // With no bits below the split, each bucket is a single key.
        let singleKey: ((Int) -> UInt64)? = shift == 0 ? { base &+ UInt64($0) } : nil
        let bucketing = KeyBitBuckets(source: source, shift: shift, base: base)
        let count = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount)
        defer { count.deallocate() }
        count.initialize(repeating: 0)
        for i in 0..<n { count[bucketing.bucket(i)] += 1 }
        _ = selectInBuckets(source, bucketing, count, singleKey: singleKey, ranks, out)
    }

    /// A bucket that holds wanted ranks (`ranks`, indices into the ranks asked for) or lies
    /// wholly among the lowest values asked for (no ranks): its place among the buckets and
    /// its values' ranks start ..< start + size.
    typealias NeededBucket = (bucket: Int, start: Int, size: Int, ranks: Range<Int>)

    /// Given each bucket's size in `count`: the buckets holding `ranks`, their keys gathered,
    /// and the search continued inside each by key bits. `count` is used up (it becomes the
    /// gathering's cursor).
    ///
    /// With `lowest` = m > 0 (rank m − 1 must be among `ranks`) the buckets below the one
    /// holding rank m − 1 are gathered too, and the m smallest keys are returned in ascending
    /// order (see `lowestKeys`); otherwise the result is empty.
    static func selectInBuckets<S: OrderKeys, B: Bucketing>(
        _ source: S, _ bucketing: B, _ count: UnsafeMutableBufferPointer<Int>, singleKey: ((Int) -> UInt64)?,
        _ ranks: UnsafeBufferPointer<Int>, _ out: UnsafeMutablePointer<UInt64>, lowest: Int = 0
    ) -> [UInt64] {
        let needed = neededBuckets(count, ranks, lowest: lowest)
        if let singleKey {
            precondition(lowest == 0, "the lowest keys are only gathered at the first level")
            for w in needed { for j in w.ranks { out[j] = singleKey(w.bucket) } }
            return []
        }
        let gathered = gather(source, bucketing, count, needed)
        defer { gathered.deallocate() }
        // Search on inside each bucket with wanted ranks, with ranks relative to its start.
        var offset = 0
        for w in needed {
            if !w.ranks.isEmpty {
                let relative = w.ranks.map { ranks[$0] - w.start }
                relative.withUnsafeBufferPointer { r in
                    selectKeys(UnsafeBufferPointer(rebasing: gathered[offset..<(offset + w.size)]), r, out + w.ranks.lowerBound)
                }
            }
            offset += w.size
        }
        guard lowest > 0 else { return [] }
        let threshold = out[ranks.firstIndex(of: lowest - 1)!]
        return lowestKeys(gathered, needed, lowest, threshold: threshold)
    }

    /// Walks buckets and ranks together (bucket b holds ranks start ..< start + count[b]): the
    /// buckets holding wanted ranks, and those wholly below rank `lowest`, in bucket order.
    static func neededBuckets(_ count: UnsafeMutableBufferPointer<Int>, _ ranks: UnsafeBufferPointer<Int>,
                              lowest: Int) -> [NeededBucket] {
        precondition(lowest == 0 || ranks.contains(lowest - 1))
        var needed: [NeededBucket] = []
        var b = 0, start = 0, j = 0
        while j < ranks.count {
            while start + count[b] <= ranks[j] {
                // Wholly below rank `lowest`: the bucket holding rank lowest − 1 has a wanted
                // rank, so it is not skipped here.
                if start < lowest && count[b] > 0 { needed.append((b, start, count[b], j..<j)) }
                start += count[b]
                b += 1
            }
            let first = j
            while j < ranks.count && ranks[j] < start + count[b] { j += 1 }
            needed.append((b, start, count[b], first..<j))
            start += count[b]
            b += 1
        }
        return needed
    }

    /// The keys of the needed buckets, each bucket's contiguous and in bucket order. `count`
    /// becomes the next free slot of a needed bucket, −1 for the others.
    static func gather<S: OrderKeys, B: Bucketing>(
        _ source: S, _ bucketing: B, _ count: UnsafeMutableBufferPointer<Int>, _ needed: [NeededBucket]
    ) -> UnsafeMutableBufferPointer<UInt64> {
        var total = 0
        for b in count.indices { count[b] = -1 }
        for w in needed {
            count[w.bucket] = total
            total += w.size
        }
        let gathered = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: total)
        @inline(__always) func take(_ i: Int) {
            let d = bucketing.bucket(i)
            let slot = count[d]
            if slot >= 0 {
                gathered[slot] = source[i]
                count[d] = slot + 1
            }
        }
        // Most values are in no needed bucket, so four at a time are checked with one branch:
        // only a needed bucket's slot is ≥ 0 (taking a value leaves it so), so when the four
        // slots ANDed together are negative, none of the four is taken.
        let n = source.count
        var i = 0
        while i + 4 <= n {
            let none = count[bucketing.bucket(i)] & count[bucketing.bucket(i + 1)]
                & count[bucketing.bucket(i + 2)] & count[bucketing.bucket(i + 3)] < 0
            if !none {
                for k in i..<(i + 4) { take(k) }
            }
            i += 4
        }
        while i < n {
            take(i)
            i += 1
        }
        return gathered
    }

    /// The m smallest keys in ascending order, from `gathered` laid out as `needed` says, which
    /// begins with every non-empty bucket below the one holding rank m − 1 (so each one's keys
    /// start at its `start`), and `threshold`, the key of rank m − 1. Those buckets are sorted
    /// one by one (they follow in the order of the values); from the threshold's bucket come
    /// its keys below the threshold, sorted, and as many copies of the threshold as it takes.
    static func lowestKeys(_ gathered: UnsafeMutableBufferPointer<UInt64>, _ needed: [NeededBucket], _ m: Int,
                           threshold: UInt64) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(m)
        for w in needed where w.start < m {
            let bucket = UnsafeMutableBufferPointer(rebasing: gathered[w.start..<(w.start + w.size)])
            if w.start + w.size <= m {
                sortKeys(bucket)
                keys.append(contentsOf: bucket)
            } else {
                var below = bucket.filter { $0 < threshold }
                below.withUnsafeMutableBufferPointer { sortKeys($0) }
                keys.append(contentsOf: below)
            }
        }
        while keys.count < m { keys.append(threshold) }
        return keys
    }

    /// Ascending: insertion sort when short, the standard library's sort otherwise.
    static func sortKeys(_ t: UnsafeMutableBufferPointer<UInt64>) {
        if t.count <= 32 { return insertionSort(t) }
        var t = t   // the pointer, not the memory, is copied
        t.sort()
    }

    /// Insertion sort; a key already in place (not below the one before it) is left alone,
    /// without being stored again.
    static func insertionSort(_ t: UnsafeMutableBufferPointer<UInt64>) {
        guard t.count > 1 else { return }
        for i in 1..<t.count {
            let k = t[i]
            guard t[i - 1] > k else { continue }
            var j = i
            repeat {
                t[j] = t[j - 1]
                j -= 1
            } while j > 0 && t[j - 1] > k
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
        let s = sum(x)
        // Whether every value equals the first is asked after the sum, stopping at the first
        // that does not (nearly always the second): a flag kept up for every value inside
        // the sum's loop cost more than the sum itself.
        return x.allSatisfy({ $0 == first }) ? first : s / Double(x.count)
    }

    /// The sum from the first value to the last, one addition at a time.
    @inline(__always)
    static func sum(_ x: UnsafeBufferPointer<Double>) -> Double {
        var s = 0.0
        for v in x { s += v }
        return s
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
    /// The values' keys, sorted with their positions (`withSortedKeys`), fall into runs of
    /// equal values, and a run's average rank depends only on where it starts and ends, so
    /// the ranks are those of any correct sort.
    public static func ranks(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        guard !x.isEmpty else { return [] }
        return withSortedKeys(x) { keys, index in ranks(sortedKeys: keys, index) }
    }

    /// Calls `body` with the keys (`orderKey`) of `x` in ascending order, which is the order of
    /// the values with −0 just before +0, and with the position each came from.
    ///
    /// A counting sort into about n/2 equal-width buckets over min … max (`EqualWidthBuckets`,
    /// non-decreasing in the value, so the buckets follow the order of the values), then each
    /// bucket sorted by key (`bucketSort`). Without a finite range (infinities, a NaN) an LSD
    /// radix sort (`sortPairs`) takes the whole column.
    static func withSortedKeys<R>(_ x: UnsafeBufferPointer<Double>,
                                  _ body: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt32>) -> R) -> R {
        let n = x.count
        precondition(n <= Int(UInt32.max), "too many values to rank")
        // Keys and positions, and as much scratch for the radix sort.
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * n)
        let index = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * n)
        defer {
            keys.deallocate()
            index.deallocate()
        }
        if let bucketing = EqualWidthBuckets(x, ColumnScan(x), buckets: Swift.max(1, n / 2)) {
            bucketSort(x, bucketing, keys.baseAddress!, index.baseAddress!)
        } else {
            for i in 0..<n {
                keys[i] = orderKey(x[i])
                index[i] = UInt32(truncatingIfNeeded: i)
            }
            sortPairs(keys.baseAddress!, index.baseAddress!, n, scratch: keys.baseAddress! + n, index.baseAddress! + n)
        }
        return body(UnsafeBufferPointer(rebasing: keys[0..<n]), UnsafeBufferPointer(rebasing: index[0..<n]))
    }

    /// The keys of `x` with their positions into `keys` and `index` (each with room for 2n,
    /// the second half scratch), sorted: a counting sort into `bucketing`'s buckets, then the
    /// buckets sorted by key.
    static func bucketSort(_ x: UnsafeBufferPointer<Double>, _ bucketing: EqualWidthBuckets,
                           _ keys: UnsafeMutablePointer<UInt64>, _ index: UnsafeMutablePointer<UInt32>) {
        let n = x.count
        let count = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketing.count)
        defer { count.deallocate() }
        count.initialize(repeating: 0)
        for i in 0..<n { count[bucketing.bucket(i)] &+= 1 }
        var sum = 0, largest = 0
        for b in count.indices {
            let size = count[b]
            count[b] = sum
            sum += size
            largest = Swift.max(largest, size)
        }
        for i in 0..<n {
            let b = bucketing.bucket(i)
            let slot = count[b]
            count[b] = slot &+ 1
            keys[slot] = orderKey(x[i])
            index[slot] = UInt32(truncatingIfNeeded: i)
        }
        // Every key now lies in its bucket, after every smaller bucket's keys. When no bucket
        // is longer than `sortPairs` would sort by insertion anyway, one insertion sort over
        // the whole does the same moves without a call for each of the n/2 buckets.
        if largest <= smallPairs { return insertionSortPairs(keys, index, n) }
        // count[b] is now where bucket b ends.
        var start = 0
        for b in count.indices {
            if count[b] - start > 1 {
                sortPairs(keys + start, index + start, count[b] - start, scratch: keys + n + start, index + n + start)
            }
            start = count[b]
        }
    }

    /// Average ranks (1-based) from keys in ascending order and the positions they came from.
    static func ranks(sortedKeys keys: UnsafeBufferPointer<UInt64>, _ index: UnsafeBufferPointer<UInt32>) -> [Double] {
        let n = keys.count
        // Every slot is written: `index` holds each position once.
        return [Double](unsafeUninitializedCapacity: n) { r, initialized in
            // NaN keys lie beyond the infinities', so at the ends once sorted.
            let hasNaN = n > 0 && (keys[0] < orderKey(-.infinity) || keys[n - 1] > orderKey(.infinity))
            if hasNaN {
                assignRanksComparingValues(keys, index, r)
            } else {
                assignRanks(keys, index, r)
            }
            initialized = n
        }
    }

    /// `ranks(sortedKeys:_:)` without NaN: equal keys are equal values, and so are −0 and +0
    /// (adjacent keys), so runs are found by comparing keys with −0's made +0's. Most values
    /// in a Monte Carlo column are a run of their own, which takes one comparison.
    private static func assignRanks(_ keys: UnsafeBufferPointer<UInt64>, _ index: UnsafeBufferPointer<UInt32>,
                                    _ r: UnsafeMutableBufferPointer<Double>) {
        @inline(__always) func tieKey(_ k: UInt64) -> UInt64 { k == orderKey(-0.0) ? orderKey(0.0) : k }
        let n = keys.count
        var start = 0
        while start < n {
            let k = tieKey(keys[start])
            var end = start + 1
            if end == n || tieKey(keys[end]) != k {
                // A value of its own: rank start + 1, which is what the average below gives.
                r.initializeElement(at: Int(index[start]), to: Double(end))
                start = end
                continue
            }
            while end < n && tieKey(keys[end]) == k { end += 1 }
            // (start + end − 1)/2 + 1, the average of ranks start + 1 … end.
            let average = Double(start + end - 1) / 2 + 1
            for j in start..<end { r.initializeElement(at: Int(index[j]), to: average) }
            start = end
        }
    }

    /// `ranks(sortedKeys:_:)` when there is a NaN: runs of values that compare equal, so each
    /// NaN is a run of its own.
    private static func assignRanksComparingValues(_ keys: UnsafeBufferPointer<UInt64>, _ index: UnsafeBufferPointer<UInt32>,
                                                   _ r: UnsafeMutableBufferPointer<Double>) {
        let n = keys.count
        var start = 0
        while start < n {
            let v = value(orderKey: keys[start])
            var end = start
            while end + 1 < n && value(orderKey: keys[end + 1]) == v { end += 1 }
            let average = Double(start + end) / 2 + 1
            for j in start...end { r.initializeElement(at: Int(index[j]), to: average) }
            start = end + 1
        }
    }

    /// Runs up to this long are sorted by insertion (`sortPairs`).
    static let smallPairs = 32

    /// Insertion sort of `count` keys ascending, moving `payload` with them (stably). A key
    /// already in place is left alone, without being stored again.
    static func insertionSortPairs(_ keys: UnsafeMutablePointer<UInt64>, _ payload: UnsafeMutablePointer<UInt32>, _ count: Int) {
        guard count > 1 else { return }
        for i in 1..<count {
            let k = keys[i]
            guard keys[i - 1] > k else { continue }
            let p = payload[i]
            var j = i
            repeat {
                keys[j] = keys[j - 1]
                payload[j] = payload[j - 1]
                j -= 1
            } while j > 0 && keys[j - 1] > k
            keys[j] = k
            payload[j] = p
        }
    }

    /// Sorts `count` keys ascending, moving `payload` with them (stably); `scratch` and
    /// `payloadScratch` hold as many. Insertion sort up to `smallPairs` elements, else an LSD
    /// radix sort on 8-bit digits (11-bit from 4,096 elements, where fewer passes pay for the
    /// larger histograms) that skips the digits every key shares.
    static func sortPairs(_ keys: UnsafeMutablePointer<UInt64>, _ payload: UnsafeMutablePointer<UInt32>, _ count: Int,
                          scratch: UnsafeMutablePointer<UInt64>, _ payloadScratch: UnsafeMutablePointer<UInt32>) {
        guard count > 1 else { return }
        if count <= smallPairs { return insertionSortPairs(keys, payload, count) }
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

/// One pass over a column for what several statistics share: the sum in iteration order,
/// exactly as `Statistics.mean` forms it, the smallest and largest value and, if asked, how
/// many values are above 0. A NaN makes the sum NaN, so a sum that is not NaN shows there is
/// none and that `min` … `max` is the range; a NaN sum (a NaN, or infinities of both signs)
/// sends callers to the paths that do not use them.
struct ColumnScan {
    let sum, min, max: Double
    /// The values above 0 when counted (`countingPositive`), else 0.
    let positive: Int

    /// Inlined so that each caller gets a loop with or without the count.
    @inline(__always)
    init(_ x: UnsafeBufferPointer<Double>, countingPositive: Bool = false) {
        // Two lanes at a time for the extremes and the count (one minpd, one maxpd, one
        // compare for two values); the sum strictly one value after another.
        var s = 0.0
        var lo = SIMD2<Double>(repeating: .infinity), hi = SIMD2<Double>(repeating: -.infinity)
        var above = SIMD2<Int64>()
        for k in 0..<(x.count / 2) {
            let v = SIMD2(x[2 * k], x[2 * k + 1])
            s += v[0]
            s += v[1]
            lo = lo.replacing(with: v, where: .!(lo .< v))
            hi = hi.replacing(with: v, where: .!(hi .> v))
            if countingPositive { above &+= SIMD2<Int64>().replacing(with: 1, where: v .> 0) }
        }
        var result = (min: lo.min(), max: hi.max(), positive: Int(above.wrappedSum()))
        if x.count % 2 == 1 {
            let v = x[x.count - 1]
            s += v
            result = (v < result.min ? v : result.min, v > result.max ? v : result.max,
                      result.positive + (countingPositive && v > 0 ? 1 : 0))
        }
        (sum, min, max, positive) = (s, result.min, result.max, result.positive)
    }

    /// `Statistics.mean(x)` of the scanned values, bit for bit: the same sum, and without a
    /// NaN the values all equal the first exactly when the smallest equals the largest.
    func mean(of x: UnsafeBufferPointer<Double>) -> Double {
        guard let first = x.first else { return .nan }
        let constant = sum.isNaN ? x.allSatisfy { $0 == first } : min == max
        return constant ? first : sum / Double(x.count)
    }
}

/// How a selection or sort level assigns element i to a bucket: a non-decreasing function of
/// the value, so that buckets follow the order of the values.
protocol Bucketing {
    func bucket(_ i: Int) -> Int
}

/// (v − low)·scale rounded to an integer, for values with no NaN whose exact range
/// low … high a `ColumnScan` found, and scale = buckets / (high − low).
///
/// Non-decreasing in v because rounded subtraction, multiplication by a positive scale and
/// addition are, and so is the bit pattern of a positive double: adding 2⁵² puts the
/// integer nearest t = (v − low)·scale in the low bits, which is cheaper than a checked
/// `Int(t)`. No clamping is needed: rounding is monotone, so low ≤ v ≤ high gives
/// 0 ≤ v − low ≤ high − low after rounding, and t is at most (high − low)·scale rounded,
/// which is buckets·(1 + δ) with δ a few rounding units, below buckets + ½. So the indices
/// are 0 … buckets, and `count` is buckets + 1. (`RangeSelection` computes the same
/// operations two lanes at a time.)
struct EqualWidthBuckets: Bucketing {
    let values: UnsafeBufferPointer<Double>
    let low, scale: Double
    /// The number of bucket indices.
    let count: Int

    /// Nil when the range cannot be split so: a NaN (the range is unknown), every value equal
    /// (zeros of both signs included), or a range that is not finite.
    init?(_ values: UnsafeBufferPointer<Double>, _ scan: ColumnScan, buckets: Int) {
        let width = scan.max - scan.min
        let scale = Double(buckets) / width
        guard !scan.sum.isNaN, scan.min < scan.max, width.isFinite, scale.isFinite, scale > 0,
              buckets > 0, buckets < 1 << 40 else { return nil }
        self.values = values
        low = scan.min
        self.scale = scale
        count = buckets + 1
    }

    @inline(__always) func bucket(_ i: Int) -> Int {
        let t = (values[i] - low) * scale + 0x1p52
        return Int(truncatingIfNeeded: t.bitPattern &- (0x1p52 as Double).bitPattern)
    }
}

/// The first level of a radix selection (see `Statistics.orderStatisticKeys`) over a column
/// whose range a `ColumnScan` found: equal-width buckets, about 16 values each on average and
/// at most 4,096. Counting them takes a pass of its own (`countBuckets()`) or shares the one
/// a summary makes for its SD; `select` then gathers the wanted buckets and finishes.
///
/// The counting pass keeps each value's bucket (`bucketOf`, two bytes a value), so the
/// gathering pass reads it instead of working it out again from the value.
/// The owner calls `deallocate()`.
struct RangeSelection {
    let buckets: EqualWidthBuckets
    let count: UnsafeMutableBufferPointer<Int>
    let bucketOf: UnsafeMutableBufferPointer<UInt16>

    /// Nil when the column cannot be split into equal-width buckets (see `EqualWidthBuckets`).
    init?(_ x: UnsafeBufferPointer<Double>, _ scan: ColumnScan) {
        guard let buckets = EqualWidthBuckets(x, scan, buckets: Swift.min(4_096, Swift.max(16, x.count / 16))) else {
            return nil
        }
        self.buckets = buckets
        count = .allocate(capacity: buckets.count)
        count.initialize(repeating: 0)
        bucketOf = .allocate(capacity: x.count)
    }

    func deallocate() {
        count.deallocate()
        bucketOf.deallocate()
    }

    @inline(__always) private func note(_ b: Int, at i: Int) {
        bucketOf[i] = UInt16(truncatingIfNeeded: b)
        count[b] &+= 1
    }

    /// Notes values i and i + 1, whose buckets come from one packed computation (the same
    /// IEEE operations lane by lane as `EqualWidthBuckets.bucket`).
    @inline(__always) private func notePair(_ v: SIMD2<Double>, at i: Int) {
        let t = (v - SIMD2(repeating: buckets.low)) * SIMD2(repeating: buckets.scale) + SIMD2(repeating: 0x1p52)
        let zero = (0x1p52 as Double).bitPattern
        note(Int(truncatingIfNeeded: t[0].bitPattern &- zero), at: i)
        note(Int(truncatingIfNeeded: t[1].bitPattern &- zero), at: i + 1)
    }

    func countBuckets() {
        let x = buckets.values
        for k in 0..<(x.count / 2) { notePair(SIMD2(x[2 * k], x[2 * k + 1]), at: 2 * k) }
        if x.count % 2 == 1 { note(buckets.bucket(x.count - 1), at: x.count - 1) }
    }

    /// Counts the buckets, and in the same pass sums (v − m)² in iteration order, exactly as
    /// `Statistics.standardDeviation` does (the squares two at a time, added one by one).
    func countBuckets(squaredDeviationsFrom m: Double) -> Double {
        let x = buckets.values
        var squares = 0.0
        for k in 0..<(x.count / 2) {
            let v = SIMD2(x[2 * k], x[2 * k + 1])
            let d = (v - SIMD2(repeating: m)) * (v - SIMD2(repeating: m))
            squares += d[0]
            squares += d[1]
            notePair(v, at: 2 * k)
        }
        if x.count % 2 == 1 {
            let v = x[x.count - 1]
            squares += (v - m) * (v - m)
            note(buckets.bucket(x.count - 1), at: x.count - 1)
        }
        return squares
    }

    /// After counting: writes the key of the `ranks[j]`-th smallest value to `out[j]` and, with
    /// `lowest` = m > 0 (rank m − 1 among `ranks`), returns the m smallest keys ascending.
    /// Uses up the counts: call once.
    func select(_ ranks: UnsafeBufferPointer<Int>, _ out: UnsafeMutablePointer<UInt64>, lowest: Int = 0) -> [UInt64] {
        Statistics.selectInBuckets(DoubleKeys(values: buckets.values), StoredBuckets(bucketOf: UnsafeBufferPointer(bucketOf)),
                                   count, singleKey: nil, ranks, out, lowest: lowest)
    }
}

/// The buckets a counting pass noted, one per value.
struct StoredBuckets: Bucketing {
    let bucketOf: UnsafeBufferPointer<UInt16>
    @inline(__always) func bucket(_ i: Int) -> Int { Int(bucketOf[i]) }
}

/// Key bits from `shift` up, less `base` (those bits of the AND of every key, so at most any
/// key's): non-decreasing in the key.
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
    ///
    /// Each column is read three times: `ColumnScan` (the mean's sum, the range and P(> 0)),
    /// then the selection's two passes, the first of which also sums the squared deviations;
    /// the lowest values are gathered with the wanted buckets (`RangeSelection.select`).
    public init?(_ values: UnsafeBufferPointer<Double>) {
        let scan = ColumnScan(values, countingPositive: true)
        // Only a NaN sum can hide a NaN, so only then are the values searched for one.
        let result: ScalarSummary?
        if scan.sum.isNaN && values.contains(where: \.isNaN) {
            let defined = values.filter { !$0.isNaN }
            result = defined.withUnsafeBufferPointer { ScalarSummary(defined: $0, ColumnScan($0, countingPositive: true)) }
        } else {
            result = ScalarSummary(defined: values, scan)
        }
        guard let result else { return nil }
        self = result
    }

    /// The summary of values with no NaN, given their scan; nil when empty.
    private init?(defined x: UnsafeBufferPointer<Double>, _ scan: ColumnScan) {
        guard !x.isEmpty else { return nil }
        count = x.count
        mean = scan.mean(of: x)
        // The lowest ⌈0.05 n⌉ values end at order statistic tail − 1, found in the same
        // selection as the percentiles'.
        let tail = Swift.max(Int((0.05 * Double(count)).rounded(.up)), 1)
        let wanted = Statistics.orderStatisticsNeeded(count: count, Self.percentileLevels, with: [tail - 1])
        let order = Self.orderAndSpread(x, scan, mean: mean, wanted: wanted, tail: tail)
        sd = count > 1 ? (order.squares / Double(count - 1)).squareRoot() : 0
        se = sd / Double(count).squareRoot()
        probabilityPositive = Double(scan.positive) / Double(count)
        cvar5 = Statistics.mean(order.lowest.map { Statistics.value(orderKey: $0) })
        let p = Statistics.interpolate(count: count, Self.percentileLevels, wanted, order.keys)
        (p5, p10, p25, p50, p75, p90, p95) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
    }

    /// Σ (v − mean)² in iteration order, the keys of the order statistics `wanted` and the
    /// `tail` smallest keys ascending (`wanted` holds tail − 1).
    /// In two passes when the range allows equal-width buckets (`RangeSelection`), else in
    /// separate passes.
    private static func orderAndSpread(_ x: UnsafeBufferPointer<Double>, _ scan: ColumnScan, mean m: Double,
                                       wanted: [Int], tail: Int)
        -> (squares: Double, keys: [UInt64], lowest: [UInt64]) {
        if x.count > Statistics.smallSelection, let level = RangeSelection(x, scan) {
            defer { level.deallocate() }
            let squares = level.countBuckets(squaredDeviationsFrom: m)
            var keys = [UInt64](repeating: 0, count: wanted.count)
            let lowest = wanted.withUnsafeBufferPointer { r in
                keys.withUnsafeMutableBufferPointer { level.select(r, $0.baseAddress!, lowest: tail) }
            }
            return (squares, keys, lowest)
        }
        var squares = 0.0
        for v in x { squares += (v - m) * (v - m) }
        let keys = Statistics.orderStatisticKeys(x, wanted, scan: scan)
        // The keys below the threshold, then copies of it up to `tail` (it is the tail-th
        // smallest, so fewer than `tail` lie below it).
        let threshold = keys[Statistics.position(of: tail - 1, in: wanted)]
        var lowest = [UInt64]()
        lowest.reserveCapacity(tail)
        for v in x where Statistics.orderKey(v) < threshold { lowest.append(Statistics.orderKey(v)) }
        while lowest.count < tail { lowest.append(threshold) }
        lowest.sort()
        return (squares, keys, lowest)
    }

    public var percentiles: [Double] { [p5, p10, p25, p50, p75, p90, p95] }
}
