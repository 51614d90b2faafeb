import Foundation
import Stochastics

/// One shard's share of a run: the iteration columns and the per-block tallies of a
/// contiguous range of blocks, with everything needed to check that shards belong together.
/// `merge` joins shards in block order into exactly the columns and tallies a single process
/// would have made, so the reports are byte-identical.
///
/// File format (version 2), all numbers little-endian:
/// - the line `SHAREDSAVINGS-PARTIAL 2\n`;
/// - one line of JSON (the header: format, tool and model versions, scenario path and
///   SHA-256, seed, iterations, block size, sampling, generator, shard k of K, first block
///   and block count, the column counts, and the tallies' shape: authorities and
///   join-year slots), then `\n`;
/// - the columns, each `iterations-in-shard` Float64 values long, in this order: scalars
///   (ScalarMetric order), series (YearlySeries × year), authority NPVs, inputs, risk
///   occurrences;
/// - the shard's block tallies (`PartnerTallies`), for all its blocks in block order: the
///   authorities' cost sums (Float64, block-major), their first costs (Float64), the "all
///   equal" flags (one byte, 0 or 1), the join-year counts (UInt32, block, then authority,
///   then slot; slot T is "not within the horizon").
///
/// Version 1 (before 23 November 2026) held each authority's costs and join year as columns;
/// this version refuses such files (make every shard with the same tool).
public struct PartialResult {
    public static let magic = "SHAREDSAVINGS-PARTIAL 2\n"
    public static let formatVersion = 2

    public struct Header: Codable, Equatable, Sendable {
        public var format: Int
        public var toolVersion: String
        public var modelVersion: String
        public var scenarioPath: String
        public var scenarioSHA256: String
        public var seed: UInt64
        public var iterations: Int
        public var blockSize: Int
        public var sampling: String
        public var generator: String
        public var shard: Int
        public var shardCount: Int
        public var firstBlock: Int
        public var blockCount: Int
        public var shardIterations: Int
        public var columnCounts: [Int]
        /// The tallies' shape: [authorities, join-year slots (T + 1)].
        public var tallyShape: [Int]
        /// The `--set` overrides as `PATH=VALUE`, in order; absent when there were none
        /// (so files without overrides read exactly as before).
        public var overrides: [String]?
    }

    public var header: Header
    public var columns: SimulationColumns

    /// Shard k (1-based) of K covers blocks ⌊(k−1)B/K⌋ ..< ⌊kB/K⌋ of the B blocks.
    public static func blocks(shard k: Int, of count: Int, plan: BlockPlan) -> Range<Int> {
        let b = plan.blockCount
        return (k - 1) * b / count ..< k * b / count
    }

    public init(model: CompiledModel, settings: RunSettings, scenarioPath: String, scenarioSHA256: String,
                shard k: Int, of count: Int, columns: SimulationColumns) {
        let blocks = Self.blocks(shard: k, of: count, plan: settings.plan)
        header = Header(format: Self.formatVersion, toolVersion: Versions.tool, modelVersion: Versions.model,
                        scenarioPath: scenarioPath, scenarioSHA256: scenarioSHA256, seed: settings.seed,
                        iterations: settings.iterations, blockSize: settings.blockSize,
                        sampling: settings.sampling.rawValue, generator: settings.generator.name,
                        shard: k, shardCount: count, firstBlock: blocks.lowerBound, blockCount: blocks.count,
                        shardIterations: columns.iterations, columnCounts: Self.counts(columns),
                        tallyShape: Self.tallyShape(model))
        let overrides = model.scenario.overrides.map { "\($0.path)=\($0.value)" }
        header.overrides = overrides.isEmpty ? nil : overrides
        self.columns = columns
    }

    static func counts(_ c: SimulationColumns) -> [Int] { counts(c.layout) }

    static func counts(_ l: ColumnLayout) -> [Int] {
        [l.scalars.count, l.series.count, l.authorityNPV.count, l.inputs.count, l.riskOccurrences.count]
    }

    static func tallyShape(_ model: CompiledModel) -> [Int] { [model.authorityCount, model.years + 1] }

    /// Writes the file to `handle`, a column at a time (a shard of a large run never holds
    /// the whole file in memory).
    public func write(to handle: FileHandle) throws {
        var head = Data(Self.magic.utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        head.append(try encoder.encode(header))
        head.append(0x0A)
        try handle.write(contentsOf: head)
        // The store's column order is the file's; then the tallies.
        for c in 0..<columns.layout.count {
            var data = Data()
            columns.withColumn(c) { Self.appendLittleEndian($0, to: &data) }
            try handle.write(contentsOf: data)
        }
        try handle.write(contentsOf: Data(columns.partners.bytes(slots: 0..<columns.blocks)))
    }

    /// Appends a column's values as little-endian bytes (a straight copy on little-endian machines).
    static func appendLittleEndian<T: FixedWidthInteger>(_ column: [T], to data: inout Data) {
        #if _endian(little)
        column.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        for x in column { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        #endif
    }

    static func appendLittleEndian(_ column: UnsafeBufferPointer<Double>, to data: inout Data) {
        #if _endian(little)
        data.append(contentsOf: UnsafeRawBufferPointer(column))
        #else
        appendLittleEndian(column.map(\.bitPattern), to: &data)
        #endif
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let file: String
        public let problem: String
        public init(file: String, problem: String) {
            self.file = file
            self.problem = problem
        }
        public var description: String { "\(file): \(problem)" }
    }

    /// A partial file's header and where its columns start, reading only the first line.
    public static func readHeader(file: String) throws -> (header: Header, dataOffset: Int) {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw FormatError(file: file, problem: "the partial file could not be read (is the path right?)")
        }
        defer { try? handle.close() }
        let magic = Data(Self.magic.utf8)
        var head = Data()
        // The header is one JSON line of well under 64 kB (overrides included).
        while head.count < 1 << 20, let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            head.append(chunk)
            if head.count > magic.count, head[magic.count...].contains(0x0A) { break }
        }
        // Another format's file starts with the same word and its own version number.
        let family = Data("SHAREDSAVINGS-PARTIAL ".utf8)
        if head.prefix(family.count) == family, head.prefix(magic.count) != magic {
            let line = head[family.count...].prefix(while: { $0 != 0x0A }).prefix(20)
            let version = String(decoding: line, as: UTF8.self)
            throw FormatError(file: file, problem: "partial format \(version), but this tool reads format \(formatVersion); make all shards with the same version of the tool")
        }
        guard head.count > magic.count, head.prefix(magic.count) == magic else {
            throw FormatError(file: file, problem: "not a SharedSavings partial result (it does not start with '\(Self.magic.dropLast())'); make it with `shared-savings run SCENARIO --shard k/K --partial FILE`")
        }
        guard let newline = head[magic.count...].firstIndex(of: 0x0A) else {
            throw FormatError(file: file, problem: "the header line is missing or cut short")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: head[magic.count..<newline])
        } catch {
            throw FormatError(file: file, problem: "the header cannot be read (\(error))")
        }
        guard header.format == formatVersion else {
            throw FormatError(file: file, problem: "partial format \(header.format), but this tool reads format \(formatVersion); make all shards with the same version of the tool")
        }
        guard header.iterations >= 1, header.blockSize >= 1, header.shardIterations >= 0, header.firstBlock >= 0,
              header.blockCount >= 0, header.shard >= 1, header.shardCount >= 1 else {
            throw FormatError(file: file, problem: "the header's counts are not possible (iterations \(header.iterations), block size \(header.blockSize), shard \(header.shard) of \(header.shardCount)); the file is damaged")
        }
        return (header, newline + 1)
    }

    /// Checks a partial file's shape against `model` and copies its columns into `columns`
    /// from iteration `offset` on, one column at a time, and its block tallies into block
    /// slots from `slot` on.
    public static func copyColumns(file: String, header: Header, dataOffset: Int, model: CompiledModel,
                                   into columns: SimulationColumns, slot: Int, at offset: Int) throws {
        let n = header.shardIterations
        let layout = ColumnLayout(model: model)
        let expected = counts(layout), shape = tallyShape(model)
        guard header.columnCounts == expected, header.tallyShape == shape, layout == columns.layout else {
            throw FormatError(file: file, problem: "its columns (\(header.columnCounts), tallies \(header.tallyShape)) do not fit this scenario (\(expected), tallies \(shape)); it was made from a different scenario")
        }
        let doubles = expected.reduce(0, +)
        let tallyBytes = header.blockCount * PartnerTallies.bytesPerBlock(authorities: model.authorityCount, years: model.years)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? -1
        guard n >= 0, n <= columns.store.capacity - offset, header.blockCount <= columns.partners.capacity - slot,
              size - dataOffset == n * 8 * doubles + tallyBytes else {
            throw FormatError(file: file, problem: "the file is truncated or damaged (\(size - dataOffset) bytes of data, \(n * 8 * doubles + tallyBytes) expected)")
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw FormatError(file: file, problem: "the partial file could not be read (is the path right?)")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(dataOffset))
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n, 1))
        defer { buffer.deallocate() }
        for c in 0..<layout.count {
            let bytes = 8 * n
            guard let data = try handle.read(upToCount: bytes), data.count == bytes || n == 0 else {
                throw FormatError(file: file, problem: "the file is truncated or damaged (it ends inside column \(c + 1))")
            }
            data.withUnsafeBytes { raw in
                for i in 0..<n {
                    buffer[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                }
            }
            columns.store.write(UnsafeBufferPointer(rebasing: buffer[0..<n]), column: c, at: offset)
        }
        guard let data = try handle.read(upToCount: tallyBytes), data.count == tallyBytes || tallyBytes == 0 else {
            throw FormatError(file: file, problem: "the file is truncated or damaged (it ends inside the block tallies)")
        }
        let read = data.withUnsafeBytes { columns.partners.read($0, slots: header.blockCount, to: slot) }
        guard read else {
            throw FormatError(file: file, problem: "the file is damaged (a block tally's flag is neither 0 nor 1)")
        }
    }

    /// Checks that shards belong together and cover every block exactly once; returns them
    /// in block order.
    public static func check(_ parts: [(file: String, header: Header)]) throws -> [(file: String, header: Header)] {
        guard let first = parts.first else { throw FormatError(file: "merge", problem: "no partial files given") }
        let h = first.header
        for (file, o) in parts.dropFirst() {
            let theirOverrides: String = (o.overrides ?? []).joined(separator: " ")
            let ourOverrides: String = (h.overrides ?? []).joined(separator: " ")
            let differences: [(String, String, String)] = [
                ("tool version", o.toolVersion, h.toolVersion), ("model version", o.modelVersion, h.modelVersion),
                ("scenario (SHA-256)", o.scenarioSHA256, h.scenarioSHA256), ("seed", String(o.seed), String(h.seed)),
                ("iterations", String(o.iterations), String(h.iterations)), ("block size", String(o.blockSize), String(h.blockSize)),
                ("sampling", o.sampling, h.sampling), ("generator", o.generator, h.generator),
                ("shard count", String(o.shardCount), String(h.shardCount)),
                ("--set overrides", theirOverrides, ourOverrides),
            ].filter { $0.1 != $0.2 }
            if let (what, theirs, ours) = differences.first {
                throw FormatError(file: file, problem: "its \(what) is \(theirs) but \(first.file) has \(ours); every shard must come from the same scenario, seed, iterations and tool version")
            }
        }
        let ordered = parts.sorted { $0.header.firstBlock < $1.header.firstBlock }
        let plan = BlockPlan(iterations: h.iterations, blockSize: h.blockSize)
        var nextBlock = 0
        for (file, p) in ordered {
            guard p.firstBlock == nextBlock else {
                let problem = p.firstBlock < nextBlock
                    ? "it repeats blocks already covered by another shard (shard \(p.shard) given twice?)"
                    : "blocks \(nextBlock) to \(p.firstBlock - 1) are missing: is a shard file left out?"
                throw FormatError(file: file, problem: problem)
            }
            nextBlock += p.blockCount
        }
        guard nextBlock == plan.blockCount else {
            throw FormatError(file: ordered.last!.file, problem: "blocks \(nextBlock) to \(plan.blockCount - 1) are missing: is a shard file left out?")
        }
        return ordered
    }

    /// Joins shard files into one run's columns, one file and one column at a time, in block
    /// order: exactly the columns a single process would have made.
    public static func merge(files: [String], model: CompiledModel) throws -> (Header, SimulationColumns) {
        var parts: [(file: String, header: Header)] = []
        var offsets: [String: Int] = [:]
        for file in files {
            let (header, offset) = try readHeader(file: file)
            parts.append((file, header))
            offsets[file] = offset
        }
        let ordered = try check(parts)
        let h = ordered[0].header
        let plan = BlockPlan(iterations: h.iterations, blockSize: h.blockSize)
        var all = SimulationColumns(model: model, capacity: h.iterations, blocks: plan.blockCount)
        var at = 0, slot = 0
        for (file, header) in ordered {
            try copyColumns(file: file, header: header, dataOffset: offsets[file]!, model: model, into: all,
                            slot: slot, at: at)
            at += header.shardIterations
            slot += header.blockCount
        }
        guard at == h.iterations else {
            throw FormatError(file: ordered.last!.file, problem: "the shards hold \(at) iterations, but the run has \(h.iterations)")
        }
        all.filled(at, blocks: slot)
        return (h, all)
    }
}
