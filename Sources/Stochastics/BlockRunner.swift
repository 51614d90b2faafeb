import Dispatch
import Synchronization

/// How M iterations are cut into fixed-size blocks. Block b covers iterations
/// `b·size ..< min((b+1)·size, M)` and always gets the stream seeded from `(seed, b)`,
/// so the numbers do not depend on how many threads or machines share the work.
public struct BlockPlan: Sendable, Equatable {
    public static let defaultBlockSize = 1000

    public let iterations: Int
    public let blockSize: Int

    public init(iterations: Int, blockSize: Int = BlockPlan.defaultBlockSize) {
        precondition(iterations >= 1 && blockSize >= 1)
        self.iterations = iterations
        self.blockSize = blockSize
    }

    /// ⌈iterations / blockSize⌉, without the overflow of iterations + blockSize − 1 near Int.max.
    public var blockCount: Int { iterations / blockSize + (iterations % blockSize == 0 ? 0 : 1) }

    public func range(ofBlock b: Int) -> Range<Int> {
        b * blockSize ..< Swift.min((b + 1) * blockSize, iterations)
    }
}

/// Runs blocks on up to `threads` threads and returns their results in block order.
/// Each worker takes the next unclaimed block; which thread runs a block never affects
/// what the block computes, so the ordered results are the same for any thread count.
public enum BlockRunner {
    public static var availableCores: Int { System.coreCount }

    /// `work` is called once per block index in `blocks`, possibly concurrently, and must
    /// depend only on the index. Results come back ordered as `blocks`.
    public static func run<Result: Sendable>(
        blocks: [Int], threads: Int, _ work: @Sendable (Int) -> Result
    ) -> [Result] {
        let threads = Swift.max(1, Swift.min(threads, blocks.count))
        let slots = ResultSlots<Result>(count: blocks.count)
        let next = Atomic<Int>(0)
        if threads == 1 {
            for (position, block) in blocks.enumerated() { slots.store(work(block), at: position) }
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let position = next.add(1, ordering: .relaxed).oldValue
                    if position >= blocks.count { break }
                    slots.store(work(blocks[position]), at: position)
                }
            }
        }
        return slots.take()
    }
}

/// One slot per block; each slot is written by exactly one worker, then read after all
/// workers have joined (concurrentPerform returns only when every worker is done).
///
/// Slots are separate memory, so workers never touch the same bytes and need no lock. (An
/// array behind a `Mutex` was correct too, but ThreadSanitizer cannot see Synchronization's
/// futex-based `Mutex` on Linux and reported every contended store as a race.)
private final class ResultSlots<Result>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: Swift.max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func store(_ value: Result, at index: Int) {
        precondition(index >= 0 && index < count)
        slots[index] = value
    }
    func take() -> [Result] { (0..<count).map { slots[$0]! } }
}

enum System {
    static var coreCount: Int {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
