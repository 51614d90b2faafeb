// Each authority's costs and join years reduced block by block (PartnerTallies): the mean
// and the counts against the definitions, computed here from the raw values; the run's
// tallies against identities of the model that hold iteration by iteration.
import Foundation
import Stochastics
import Testing
@testable import SavingsModel

@Suite("Per-authority tallies, block by block")
struct PartnerTalliesTests {
    /// Records `costs[i][a]` and `joins[i][a]` for iterations i, in blocks of the given sizes.
    static func tallies(costs: [[Double]], joins: [[Int]], blockSizes: [Int], years: Int) -> PartnerTallies {
        let n = costs[0].count
        let t = PartnerTallies(authorities: n, years: years, blocks: blockSizes.count)
        var i = 0
        for (k, size) in blockSizes.enumerated() {
            for j in 0..<size {
                var c = costs[i], y = joins[i]
                c.withUnsafeMutableBufferPointer { c in
                    y.withUnsafeMutableBufferPointer { t.record(slot: k, first: j == 0, costs: c, joinYears: $0) }
                }
                i += 1
            }
        }
        precondition(i == costs.count)
        return t
    }

    @Test("The mean adds each block's sum in block order; one block gives Statistics.mean's bits")
    func meanByBlocks() {
        var g = RadixStatisticsTests.Generator(state: 77)
        let n = 3, years = 5, m = 23
        // Costs spread over many magnitudes, so the order of the additions shows in the bits.
        let costs = (0..<m).map { _ in (0..<n).map { _ in (g.uniform() - 0.3) * pow(10, Double(g.below(12))) } }
        let joins = (0..<m).map { _ in (0..<n).map { _ in g.below(years + 3) } }
        for sizes in [[23], [5, 5, 5, 8], [1, 22], [10, 13], Array(repeating: 1, count: 23)] {
            let t = Self.tallies(costs: costs, joins: joins, blockSizes: sizes, years: years)
            for a in 0..<n {
                // The definition, written out: each block from +0 in iteration order, then the
                // blocks from +0 in block order.
                var total = 0.0, start = 0
                for size in sizes {
                    var block = 0.0
                    for i in start..<(start + size) { block += costs[i][a] }
                    total += block
                    start += size
                }
                let got = t.meanCosts(authority: a, blocks: sizes.count, iterations: m)
                #expect(got.bitPattern == (total / Double(m)).bitPattern, "blocks \(sizes), authority \(a)")
                if sizes.count == 1 {
                    #expect(got.bitPattern == Statistics.mean(costs.map { $0[a] }).bitPattern)
                }
                // Counts: slot t for a join in year t, "never" for any year ≥ T.
                let (counts, never) = t.joinYearCounts(authority: a, blocks: sizes.count)
                #expect(counts == (0..<years).map { y in joins.filter { $0[a] == y }.count })
                #expect(never == joins.filter { $0[a] >= years }.count)
            }
        }
        // Splitting the same values into blocks does change bits somewhere (else the checks
        // above could not tell a mean by blocks from one plain sum; blocks of one value each
        // are the plain sum again).
        let one = Self.tallies(costs: costs, joins: joins, blockSizes: [23], years: years)
        let split = Self.tallies(costs: costs, joins: joins, blockSizes: [5, 5, 5, 8], years: years)
        #expect((0..<n).contains { one.meanCosts(authority: $0, blocks: 1, iterations: m)
                    != split.meanCosts(authority: $0, blocks: 4, iterations: m) })
    }

    @Test("Equal values give that value (as Statistics.mean), across blocks too; a slot starts afresh")
    func constantAndFresh() {
        let m = 7
        let x = 0.1 + 0.2   // 0.30000000000000004: seven of them do not sum to exactly 7x
        let costs = Array(repeating: [x, 5], count: m), joins = Array(repeating: [0, 1], count: m)
        let t = Self.tallies(costs: costs, joins: joins, blockSizes: [3, 4], years: 2)
        #expect(t.meanCosts(authority: 0, blocks: 2, iterations: m) == x)
        #expect(Statistics.mean(Array(repeating: x, count: m)) == x)
        // One differing value in the second block: the plain quotient.
        var other = costs
        other[5][0] = 1
        let u = Self.tallies(costs: other, joins: joins, blockSizes: [3, 4], years: 2)
        var s0 = 0.0, s1 = 0.0
        for i in 0..<3 { s0 += other[i][0] }
        for i in 3..<7 { s1 += other[i][0] }
        #expect(u.meanCosts(authority: 0, blocks: 2, iterations: m) == (0 + s0 + s1) / 7)
        // Two blocks each constant but with different values: not constant overall.
        let split = Self.tallies(costs: [[1, 0], [1, 0], [2, 0], [2, 0]], joins: Array(repeating: [0, 0], count: 4),
                                 blockSizes: [2, 2], years: 1)
        #expect(split.meanCosts(authority: 0, blocks: 2, iterations: 4) == 1.5)
        // Recording a block's first iteration again replaces what the slot held.
        var c = [9.0, 9.0], j = [1, 1]
        c.withUnsafeMutableBufferPointer { c in j.withUnsafeMutableBufferPointer { t.record(slot: 0, first: true, costs: c, joinYears: $0) } }
        #expect(t.joinYearCounts(authority: 0, blocks: 1).counts == [0, 1])
        #expect(t.meanCosts(authority: 0, blocks: 1, iterations: 1) == 9)
        #expect(t.meanCosts(authority: 0, blocks: 0, iterations: 0).isNaN)
    }

    @Test("Bytes out and in give the same tallies; a damaged flag is refused")
    func bytesRoundTrip() {
        var g = RadixStatisticsTests.Generator(state: 3)
        let costs = (0..<9).map { _ in (0..<4).map { _ in g.uniform() * 1e6 } }
        let joins = (0..<9).map { _ in (0..<4).map { _ in g.below(8) } }
        let t = Self.tallies(costs: costs, joins: joins, blockSizes: [4, 4, 1], years: 6)
        let bytes = t.bytes(slots: 1..<3)
        #expect(bytes.count == 2 * PartnerTallies.bytesPerBlock(authorities: 4, years: 6))
        let copy = PartnerTallies(authorities: 4, years: 6, blocks: 3)
        copy.copy(1, slotsOf: t, from: 0, to: 0)
        #expect(bytes.withUnsafeBytes { copy.read($0, slots: 2, to: 1) })
        #expect(copy.bytes(slots: 0..<3) == t.bytes(slots: 0..<3))
        var damaged = bytes
        damaged[2 * 4 * 8 * 2] = 2   // the first "all equal" flag
        #expect(!damaged.withUnsafeBytes { copy.read($0, slots: 2, to: 1) })
    }

    @Test("A run's tallies: Σ of the authorities' mean costs is the mean PV of costs; joins count exactly",
          arguments: [100, 250, 1_000])
    func runIdentities(blockSize: Int) throws {
        let model = try CompiledModel(richScenario())
        let m = 1_100
        let c = Simulation.run(model, settings: RunSettings(iterations: m, seed: 12, threads: 2, blockSize: blockSize))
        #expect(c.blocks == (m + blockSize - 1) / blockSize)
        // Costs borne by the authorities add up to all costs, iteration by iteration
        // (MODEL.md §8: own costs plus the shares of the shared ones), so their means do.
        let meanCosts = (0..<model.authorityCount).map { c.meanCosts(authority: $0) }
        let pvCosts = Statistics.mean(c.scalar(.pvCosts))
        expectClose(meanCosts.reduce(0, +), pvCosts, 1e-9)
        // Joins within the horizon: the counts add up to Σ over iterations of the members who
        // joined — integers, so exactly; and every iteration is counted once per authority.
        var joined = 0
        for a in 0..<model.authorityCount {
            let (counts, never) = c.joinYearCounts(authority: a)
            #expect(counts.reduce(never, +) == m)
            joined += counts.reduce(0, +)
        }
        #expect(Double(joined) == c.scalar(.membersJoined).reduce(0, +))
    }
}
