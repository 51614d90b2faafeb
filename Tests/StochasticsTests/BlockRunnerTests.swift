// Blocks run in parallel but come back in block order, so any thread count gives the
// same bytes (MODEL.md §10).
import Foundation
import Testing
@testable import Stochastics

@Suite("Block runner")
struct BlockRunnerTests {
    /// What one block of a run computes: its draws from (seed, block) reduced to a sum,
    /// plus the first and last draw so a mix-up between blocks cannot cancel out.
    struct BlockSummary: Sendable, Equatable {
        let block: Int
        let sum: Double
        let first: Double
        let last: Double
    }

    static let distributions: [Distribution] = [
        try! .pert(min: 0.1, mode: 0.2, max: 0.35),
        try! .lognormal(median: 150_000, p90: 600_000),
        try! .gamma(shape: 4, scale: 75_000),
        try! .discrete(values: [0, 1, 2], weights: [0.6, 0.3, 0.1]),
    ]

    static func work(seed: UInt64, plan: BlockPlan) -> @Sendable (Int) -> BlockSummary {
        { b in
            let stream = RandomStream(seed: seed, block: UInt64(b))
            var sum = 0.0, first = Double.nan, last = Double.nan
            for i in plan.range(ofBlock: b) {
                var x = 0.0
                for d in distributions { x += d.sample(using: stream) }
                if i == plan.range(ofBlock: b).lowerBound { first = x }
                last = x
                sum += x
            }
            return BlockSummary(block: b, sum: sum, first: first, last: last)
        }
    }

    /// Bit patterns, so the comparison is about bytes, not approximate equality.
    static func bits(_ r: [BlockSummary]) -> [[UInt64]] {
        r.map { [UInt64($0.block), $0.sum.bitPattern, $0.first.bitPattern, $0.last.bitPattern] }
    }

    @Test("1, 2 and 8 threads give bit-identical results in block order")
    func threadCountInvariance() {
        let plan = BlockPlan(iterations: 40_500, blockSize: 1000)      // 41 blocks, the last short
        let blocks = Array(0..<plan.blockCount)
        let work = Self.work(seed: 2026, plan: plan)
        let sequential = blocks.map(work)
        let one = BlockRunner.run(blocks: blocks, threads: 1, work)
        let two = BlockRunner.run(blocks: blocks, threads: 2, work)
        let eight = BlockRunner.run(blocks: blocks, threads: 8, work)
        #expect(Self.bits(one) == Self.bits(sequential))
        #expect(Self.bits(two) == Self.bits(sequential))
        #expect(Self.bits(eight) == Self.bits(sequential))
        #expect(one.map(\.block) == blocks)

        // Reducing the ordered results gives the same total to the last bit.
        let total = { (r: [BlockSummary]) in r.reduce(0.0) { $0 + $1.sum } }
        #expect(total(one).bitPattern == total(eight).bitPattern)
        // Blocks really differ, so an ordering mistake would be visible.
        #expect(Set(sequential.map(\.sum)).count == sequential.count)
    }

    @Test("results come back in the order the blocks were listed (a shard of a run)")
    func listedOrder() {
        let plan = BlockPlan(iterations: 20_000)
        let shard = [17, 3, 9, 0, 12, 5, 19, 1]
        let work = Self.work(seed: 7, plan: plan)
        for threads in [1, 2, 8] {
            let r = BlockRunner.run(blocks: shard, threads: threads, work)
            #expect(r.map(\.block) == shard, "threads \(threads)")
            #expect(Self.bits(r) == Self.bits(shard.map(work)), "threads \(threads)")
        }
        // Two shards run separately match the whole run, block for block.
        let whole = BlockRunner.run(blocks: Array(0..<plan.blockCount), threads: 2, work)
        let a = BlockRunner.run(blocks: Array(0..<7), threads: 2, work)
        let b = BlockRunner.run(blocks: Array(7..<plan.blockCount), threads: 8, work)
        #expect(Self.bits(a + b) == Self.bits(whole))
    }

    @Test("every block runs exactly once")
    func eachBlockOnce() {
        let counter = Counter()
        let blocks = Array(0..<257)
        let r = BlockRunner.run(blocks: blocks, threads: 8) { b -> Int in
            counter.increment(b)
            return b * b
        }
        #expect(r == blocks.map { $0 * $0 })
        #expect(counter.counts == [Int](repeating: 1, count: 257))
        // Degenerate inputs.
        #expect(BlockRunner.run(blocks: [], threads: 4) { $0 }.isEmpty)
        #expect(BlockRunner.run(blocks: [5], threads: 0) { $0 + 1 } == [6])
        #expect(BlockRunner.availableCores >= 1)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var storage = [Int](repeating: 0, count: 257)
        func increment(_ i: Int) { lock.lock(); storage[i] += 1; lock.unlock() }
        var counts: [Int] { lock.lock(); defer { lock.unlock() }; return storage }
    }

    @Test("block ranges cover 0..<M exactly once", arguments: [1, 999, 1000, 1001, 12345])
    func planCoverage(_ m: Int) {
        for size in [BlockPlan.defaultBlockSize, 1, 7, 1000, 5000] {
            let plan = BlockPlan(iterations: m, blockSize: size)
            var seen = [Int](repeating: 0, count: m)
            var expectedStart = 0
            for b in 0..<plan.blockCount {
                let r = plan.range(ofBlock: b)
                #expect(!r.isEmpty, "block \(b) of \(plan.blockCount) is empty (M \(m), size \(size))")
                #expect(r.lowerBound == expectedStart && r.count <= size)
                if b < plan.blockCount - 1 { #expect(r.count == size) }
                expectedStart = r.upperBound
                for i in r { seen[i] += 1 }
            }
            #expect(expectedStart == m)
            #expect(seen.allSatisfy { $0 == 1 }, "M \(m), size \(size)")
            #expect(plan.blockCount == (m + size - 1) / size)
        }
        #expect(BlockPlan.defaultBlockSize == 1000)
        #expect(BlockPlan(iterations: m).blockSize == 1000)
    }
}
