/// Each authority's costs and join year, reduced block by block instead of stored for every
/// iteration.
///
/// The reports use these two results of an authority only as a mean (the present value of
/// the costs it bears, MODEL.md §9) and as counts (how often it joins in each year). Storing
/// them as columns took 2 × authorities Float64 values an iteration — 43 % of the 150-
/// authority benchmark's 5.5 kB, and as large a share of the page faults and memory
/// traffic (docs/performance.md) — so each block keeps, per authority:
/// - the sum of its costs over the block's iterations, in iteration order from +0;
/// - its first cost in the block, and whether every cost in the block equals it (`==`);
/// - how many of the block's iterations it joins in year t (t = 0 … T−1), and in how many it
///   does not join within the horizon (slot T).
///
/// A mean over the run adds the blocks' sums in block order and divides by the iterations
/// (or is the common value when every iteration has the same one, as `Statistics.mean`
/// does). Blocks are fixed by the seed and block size, not by threads or shards, so the mean
/// is the same for any thread count and any sharding; with one block it is exactly
/// `Statistics.mean` of the values. Counts are integers and exact in any order.
///
/// Memory: authorities × (17 + 4 (T + 1)) bytes a block, in memory whatever the run's size
/// (9 kB a block for the 150-authority benchmark: 9 MB at 10⁶ iterations).
public final class PartnerTallies: @unchecked Sendable {
    // @unchecked: each block writes only its own slot; reads happen after the writes have
    // finished (BlockRunner joins its threads before returning).

    public let authorities: Int
    /// The horizon T: join-year slots 0 … T−1, slot T for "not within the horizon".
    public let years: Int
    /// Block slots this holds room for.
    public let capacity: Int

    /// `costSums[k * authorities + a]`: block slot k's sum of authority a's costs PV.
    let costSums: UnsafeMutablePointer<Double>
    /// `firstCosts[k * authorities + a]`: its first value in the block.
    let firstCosts: UnsafeMutablePointer<Double>
    /// `costsConstant[k * authorities + a]`: 1 when every value in the block equals the first.
    let costsConstant: UnsafeMutablePointer<UInt8>
    /// `joinCounts[(k * authorities + a) * (years + 1) + t]`.
    let joinCounts: UnsafeMutablePointer<UInt32>

    /// Bytes a block's tallies take (for ResourceEstimate).
    public static func bytesPerBlock(authorities: Int, years: Int) -> Int {
        authorities * (8 + 8 + 1 + 4 * (years + 1))
    }

    public init(authorities: Int, years: Int, blocks: Int) {
        self.authorities = authorities
        self.years = years
        capacity = blocks
        let n = Swift.max(authorities * blocks, 1)
        costSums = .allocate(capacity: n)
        costSums.initialize(repeating: 0, count: n)
        firstCosts = .allocate(capacity: n)
        firstCosts.initialize(repeating: 0, count: n)
        costsConstant = .allocate(capacity: n)
        costsConstant.initialize(repeating: 1, count: n)
        let counts = Swift.max(authorities * (years + 1) * blocks, 1)
        joinCounts = .allocate(capacity: counts)
        joinCounts.initialize(repeating: 0, count: counts)
    }

    deinit {
        costSums.deallocate()
        firstCosts.deallocate()
        costsConstant.deallocate()
        joinCounts.deallocate()
    }

    /// Adds one iteration to block slot k: `costs[a]` is authority a's costs PV, `joinYears[a]`
    /// its (delayed) join year, any value ≥ T meaning "not within the horizon". `first` marks
    /// the block's first iteration (it starts the slot afresh rather than adding to it).
    @inline(__always)
    func record(slot k: Int, first: Bool, costs: UnsafeMutableBufferPointer<Double>,
                joinYears: UnsafeMutableBufferPointer<Int>) {
        let n = authorities, T = years, slots = T + 1
        let sums = costSums + k * n, firsts = firstCosts + k * n, constant = costsConstant + k * n
        let counts = joinCounts + k * n * slots
        if first {
            counts.update(repeating: 0, count: n * slots)
            for a in 0..<n {
                // +0 + x rather than x, so the sum starts as `Statistics.sum` does (−0 becomes +0).
                sums[a] = 0 + costs[a]
                firsts[a] = costs[a]
                constant[a] = 1
                counts[a &* slots &+ Swift.min(joinYears[a], T)] &+= 1
            }
        } else {
            for a in 0..<n {
                let x = costs[a]
                sums[a] += x
                constant[a] &= x == firsts[a] ? 1 : 0
                counts[a &* slots &+ Swift.min(joinYears[a], T)] &+= 1
            }
        }
    }

    /// Authority a's mean costs PV over the first `blocks` block slots, which hold
    /// `iterations` iterations: the blocks' sums added in block order, divided by the
    /// iterations — or the common value, when every iteration has the same one. NaN when
    /// there are no iterations.
    public func meanCosts(authority a: Int, blocks: Int, iterations: Int) -> Double {
        precondition(a < authorities && blocks <= capacity)
        guard iterations > 0, blocks > 0 else { return .nan }
        let n = authorities
        let common = firstCosts[a]
        var sum = 0.0
        var constant = true
        for k in 0..<blocks {
            sum += costSums[k * n + a]
            constant = constant && costsConstant[k * n + a] == 1 && firstCosts[k * n + a] == common
        }
        return constant ? common : sum / Double(iterations)
    }

    /// Authority a's join-year counts over the first `blocks` block slots: `counts[t]`
    /// iterations in which it joins in year t, `never` in which it does not within the horizon.
    public func joinYearCounts(authority a: Int, blocks: Int) -> (counts: [Int], never: Int) {
        precondition(a < authorities && blocks <= capacity)
        let slots = years + 1
        var total = [Int](repeating: 0, count: slots)
        for k in 0..<blocks {
            let counts = joinCounts + (k * authorities + a) * slots
            for t in 0..<slots { total[t] += Int(counts[t]) }
        }
        return (Array(total[0..<years]), total[years])
    }

    /// Copies `count` block slots of `other` from its slot `from` into this one's slots from `to`.
    func copy(_ count: Int, slotsOf other: PartnerTallies, from: Int, to: Int) {
        precondition(other.authorities == authorities && other.years == years)
        precondition(from + count <= other.capacity && to + count <= capacity)
        let n = authorities, slots = years + 1
        (costSums + to * n).update(from: other.costSums + from * n, count: count * n)
        (firstCosts + to * n).update(from: other.firstCosts + from * n, count: count * n)
        (costsConstant + to * n).update(from: other.costsConstant + from * n, count: count * n)
        (joinCounts + to * n * slots).update(from: other.joinCounts + from * n * slots, count: count * n * slots)
    }

    /// The tallies of the block slots in `range` as raw bytes, in the partial file's order (docs/scaling.md):
    /// the cost sums, the first costs (Float64), the "all equal" flags (one byte each), the
    /// join counts (UInt32), all little-endian.
    func bytes(slots range: Range<Int>) -> [UInt8] {
        precondition(range.upperBound <= capacity)
        let n = authorities, slots = years + 1, k = range.lowerBound, m = range.count
        var out: [UInt8] = []
        out.reserveCapacity(m * Self.bytesPerBlock(authorities: n, years: years))
        for i in 0..<(m * n) { withUnsafeBytes(of: costSums[k * n + i].bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        for i in 0..<(m * n) { withUnsafeBytes(of: firstCosts[k * n + i].bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        for i in 0..<(m * n) { out.append(costsConstant[k * n + i]) }
        for i in 0..<(m * n * slots) { withUnsafeBytes(of: joinCounts[k * n * slots + i].littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// Reads `count` block slots written by `bytes(slots:)` into slots from `to`. False when
    /// a flag is neither 0 nor 1 (a damaged file).
    func read(_ raw: UnsafeRawBufferPointer, slots count: Int, to: Int) -> Bool {
        precondition(to + count <= capacity)
        let n = authorities, slots = years + 1
        precondition(raw.count == count * Self.bytesPerBlock(authorities: n, years: years))
        var at = 0
        func double() -> Double {
            defer { at += 8 }
            return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
        }
        for i in 0..<(count * n) { costSums[to * n + i] = double() }
        for i in 0..<(count * n) { firstCosts[to * n + i] = double() }
        for i in 0..<(count * n) {
            let flag = raw[at]
            at += 1
            guard flag <= 1 else { return false }
            costsConstant[to * n + i] = flag
        }
        for i in 0..<(count * n * slots) {
            joinCounts[to * n * slots + i] = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            at += 4
        }
        return true
    }
}
