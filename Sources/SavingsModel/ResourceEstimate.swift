import Foundation
import Stochastics

/// How much memory and disk a run will need, estimated from the model's column layout
/// before anything is allocated, so a run that cannot fit is refused up front with the
/// figures and the fix instead of swapping or being killed.
///
/// The results are one Float64 per iteration for every column of `ColumnLayout`, held once
/// (blocks write them in place), and each block's `PartnerTallies` (always in memory, a few
/// bytes an iteration). Up to `ColumnStore.defaultMemoryBudget` the columns are held in
/// memory; beyond it they wait in a temporary file (TMPDIR) and only the summary's
/// column-sized scratch arrays and the tallies are in memory. `ResourceEstimateTests` checks the figure
/// against a real run's store.
public struct ResourceEstimate: Sendable, Equatable {
    public let iterations: Int
    /// Bytes held per iteration by the columns of results.
    public let bytesPerIteration: Int
    /// Bytes of `PartnerTallies` per block, and the block size.
    public let tallyBytesPerBlock: Int
    public let blockSize: Int
    /// Whether the columns will wait on disk (more than the store's memory budget).
    public let spillsToDisk: Bool
    /// Estimated peak memory of the run in bytes (Double: 10¹⁸ iterations must not trap).
    public let peakBytes: Double
    /// Bytes of temporary file the columns take when they spill (0 otherwise).
    public let temporaryFileBytes: Double
    /// Estimated size of iterations.csv in bytes (0 without `--iterations-csv`).
    public let iterationsCSVBytes: Double

    /// Copies of the columns alive at once in the what-if commands, which still gather
    /// each block's scalar columns into one array (PairedSimulation).
    public static let gatherCopies = 2.0
    /// Column-sized scratch arrays `Summary` allocates for one column at a time, on each of
    /// up to two threads (the non-NaN filter, the sorted copy, ranks and their sort order
    /// for sensitivity).
    public static let summaryScratchColumns = 6.0
    /// Fixed overhead: the binary, the runtime, the scenario, report text.
    public static let baseBytes = 64.0 * 1024 * 1024

    /// Bytes per number in iterations.csv: up to 17 significant digits, sign, point,
    /// exponent and the comma (a generous figure; most cells are shorter).
    public static let csvBytesPerCell = 24.0

    public init(model: CompiledModel, iterations: Int, blockSize: Int = BlockPlan.defaultBlockSize,
                iterationsCSV: Bool = false, memoryBudget: Int = ColumnStore.defaultMemoryBudget) {
        let perIteration = 8 * ColumnLayout(model: model).count
        self.iterations = iterations
        bytesPerIteration = perIteration
        tallyBytesPerBlock = PartnerTallies.bytesPerBlock(authorities: model.authorityCount, years: model.years)
        self.blockSize = Swift.max(blockSize, 1)
        let m = Double(iterations)
        let columnBytes = m * Double(perIteration)
        spillsToDisk = columnBytes > Double(memoryBudget)
        peakBytes = Self.peak(iterations: m, perIteration: Double(perIteration), budget: Double(memoryBudget),
                              tallyBytesPerBlock: Double(tallyBytesPerBlock), blockSize: Double(self.blockSize))
        temporaryFileBytes = spillsToDisk ? columnBytes : 0
        let cells = Double(1 + ScalarMetric.allCases.count + model.space.scalarCount)
        iterationsCSVBytes = iterationsCSV ? m * cells * Self.csvBytesPerCell : 0
        self.memoryBudget = Double(memoryBudget)
    }

    private let memoryBudget: Double

    private static func peak(iterations m: Double, perIteration: Double, budget: Double,
                             tallyBytesPerBlock: Double, blockSize: Double) -> Double {
        let columns = m * perIteration
        let tallies = (m / blockSize).rounded(.up) * tallyBytesPerBlock
        return baseBytes + (columns > budget ? 0 : columns) + summaryScratchColumns * 8 * m + tallies
    }

    private func peak(iterations m: Double) -> Double {
        Self.peak(iterations: m, perIteration: Double(bytesPerIteration), budget: memoryBudget,
                  tallyBytesPerBlock: Double(tallyBytesPerBlock), blockSize: Double(blockSize))
    }

    /// The most iterations whose peak fits in `bytes`.
    public func iterationsFitting(in bytes: Double) -> Int {
        // One block's tallies set aside for the last, partial block.
        let room = bytes - Self.baseBytes - Double(tallyBytesPerBlock)
        guard room > 0 else { return 0 }
        let perIteration = Double(bytesPerIteration)
        let scratch = Self.summaryScratchColumns * 8 + Double(tallyBytesPerBlock) / Double(blockSize)
        // In memory (up to the budget), or spilled (only the scratch counts).
        let inMemory = Swift.min(room / (perIteration + scratch), memoryBudget / perIteration)
        let spilled = room / scratch
        var fit = Swift.min((spilled * perIteration > memoryBudget ? spilled : inMemory).rounded(.down), 1e15)
        // The tallies come a block at a time, so the figure above can be short by up to a
        // block's worth of iterations: step up to the exact largest count that fits.
        var steps = 0
        while fit < 1e15, steps < 1_000_000, peak(iterations: fit + 1) <= bytes {
            fit += 1
            steps += 1
        }
        return fit < 1 ? 0 : Int(fit)
    }

    /// Why the run cannot be made here, or nil when it fits: memory is allowed up to
    /// `memoryShare` of `memory` (the rest is the system's and the report's), spilled
    /// columns must fit in `temporaryDisk` (free space in TMPDIR) and iterations.csv in
    /// `freeDisk`.
    public func refusal(memory: Double = ResourceEstimate.physicalMemory(),
                        freeDisk: Double? = nil,
                        temporaryDisk: Double? = ResourceEstimate.freeDiskSpace(at: ColumnStore.temporaryDirectory()),
                        temporaryDirectoryWritable: Bool = ResourceEstimate.isWritableDirectory(ColumnStore.temporaryDirectory()),
                        memoryShare: Double = 0.8) -> String? {
        let allowed = memory * memoryShare
        if peakBytes > allowed {
            let fits = iterationsFitting(in: allowed)
            return "this run needs about \(Self.bytes(peakBytes)) of memory "
                + "(\(Self.count(iterations)) iterations: \(bytesPerIteration) bytes of results each, and the summary's working copies of one column at a time) "
                + "but this machine has \(Self.bytes(memory)). "
                + "Fix: use at most \(Self.count(fits)) iterations (--iterations), "
                + "or split the run into shards (--shard) and combine them"
        }
        if spillsToDisk && !temporaryDirectoryWritable {
            return "this run keeps its \(Self.count(iterations)) iterations of results (about \(Self.bytes(temporaryFileBytes))) "
                + "in a temporary file, but the temporary folder \(ColumnStore.temporaryDirectory()) does not exist or cannot be written. "
                + "Fix: point TMPDIR at a folder you can write with room for it, use fewer iterations (--iterations), "
                + "or split the run into shards (--shard) and combine them"
        }
        if spillsToDisk, let temporaryDisk, temporaryFileBytes > temporaryDisk {
            return "this run keeps its \(Self.count(iterations)) iterations of results (about \(Self.bytes(temporaryFileBytes))) "
                + "in a temporary file in \(ColumnStore.temporaryDirectory()), which has only \(Self.bytes(temporaryDisk)) free. "
                + "Fix: point TMPDIR at a folder with room, use fewer iterations (--iterations), "
                + "or split the run into shards (--shard) and combine them"
        }
        if let freeDisk, iterationsCSVBytes > freeDisk {
            return "iterations.csv would take about \(Self.bytes(iterationsCSVBytes)) of disk "
                + "(\(Self.count(iterations)) rows) but only \(Self.bytes(freeDisk)) is free where the report goes. "
                + "Fix: leave out --iterations-csv, use fewer iterations, or choose another --out folder"
        }
        return nil
    }

    // MARK: - The machine

    /// Physical memory in bytes, lowered to the control group's limit when the process
    /// runs in a container with one (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`).
    public static func physicalMemory() -> Double {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        var memory = pages > 0 && size > 0 ? Double(pages) * Double(size) : .infinity
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 else { continue }
            memory = Swift.min(memory, limit)
        }
        return memory
    }

    /// Whether `path` is a folder this process can create files in.
    public static func isWritableDirectory(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            && access(path, W_OK | X_OK) == 0
    }

    /// Free bytes on the file system holding `path` (or its nearest existing parent).
    public static func freeDiskSpace(at path: String) -> Double? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: url.path) && url.path != "/" {
            url = url.deletingLastPathComponent()
        }
        var stats = statvfs()
        guard statvfs(url.path, &stats) == 0 else { return nil }
        return Double(stats.f_bavail) * Double(stats.f_frsize)
    }

    // MARK: - Figures for people

    /// 1.5 GB, 310 MB, 12 kB (decimal units, as disk and memory are sold).
    public static func bytes(_ x: Double) -> String {
        guard x.isFinite else { return "an unlimited amount" }
        for (unit, scale) in [("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)] where x >= scale {
            return String(format: "%.1f", x / scale) + " " + unit
        }
        return "\(Int(x)) bytes"
    }

    /// 1,000,000,000.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
