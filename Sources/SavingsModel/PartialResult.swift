import Foundation
import Stochastics

/// One shard's share of a run: the iteration columns of a contiguous range of blocks, with
/// everything needed to check that shards belong together. `merge` joins shards in block
/// order into exactly the columns a single process would have made, so the reports are
/// byte-identical.
///
/// File format (version 1), all numbers little-endian:
/// - the line `SHAREDSAVINGS-PARTIAL 1\n`;
/// - one line of JSON (the header: format, tool and model versions, scenario path and
///   SHA-256, seed, iterations, block size, sampling, generator, shard k of K, first and last
///   block, and the column counts), then `\n`;
/// - the columns, each `iterations-in-shard` values long, in this order: scalars
///   (ScalarMetric order), series (YearlySeries × year), authority NPVs, authority costs,
///   inputs, risk occurrences — all Float64 — then join years as Int16.
public struct PartialResult {
    public static let magic = "SHAREDSAVINGS-PARTIAL 1\n"
    public static let formatVersion = 1

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

    public init(header: Header, columns: SimulationColumns) {
        self.header = header
        self.columns = columns
    }

    public init(model: CompiledModel, settings: RunSettings, scenarioPath: String, scenarioSHA256: String,
                shard k: Int, of count: Int, columns: SimulationColumns) {
        let blocks = Self.blocks(shard: k, of: count, plan: settings.plan)
        header = Header(format: Self.formatVersion, toolVersion: Versions.tool, modelVersion: Versions.model,
                        scenarioPath: scenarioPath, scenarioSHA256: scenarioSHA256, seed: settings.seed,
                        iterations: settings.iterations, blockSize: settings.blockSize,
                        sampling: settings.sampling.rawValue, generator: settings.generator.name,
                        shard: k, shardCount: count, firstBlock: blocks.lowerBound, blockCount: blocks.count,
                        shardIterations: columns.iterations, columnCounts: Self.counts(columns))
        let overrides = model.scenario.overrides.map { "\($0.path)=\($0.value)" }
        header.overrides = overrides.isEmpty ? nil : overrides
        self.columns = columns
    }

    static func counts(_ c: SimulationColumns) -> [Int] { counts(c.layout) }

    static func counts(_ l: ColumnLayout) -> [Int] {
        [l.scalars.count, l.series.count, l.authorityNPV.count, l.authorityCosts.count, l.inputs.count,
         l.riskOccurrences.count, l.joinYear.count]
    }

    public func encoded() throws -> Data {
        var data = Data(Self.magic.utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        data.append(try encoder.encode(header))
        data.append(0x0A)
        // The store's column order is the file's: the Float64 groups, then join years.
        let l = columns.layout
        for c in l.scalars.lowerBound..<l.joinYear.lowerBound {
            columns.withColumn(c) { Self.appendLittleEndian($0, to: &data) }
        }
        for c in l.joinYear {
            columns.withColumn(c) { Self.appendLittleEndian($0.map { Int16($0) }, to: &data) }
        }
        return data
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

    /// Reads a partial file, checking its shape against `model`.
    public static func decode(_ data: Data, file: String, model: CompiledModel) throws -> PartialResult {
        let magic = Data(Self.magic.utf8)
        guard data.count > magic.count, data.prefix(magic.count) == magic else {
            throw FormatError(file: file, problem: "not a SharedSavings partial result (it does not start with '\(Self.magic.dropLast())'); make it with `shared-savings run SCENARIO --shard k/K --partial FILE`")
        }
        guard let newline = data[magic.count...].firstIndex(of: 0x0A) else {
            throw FormatError(file: file, problem: "the header line is missing or cut short")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data[magic.count..<newline])
        } catch {
            throw FormatError(file: file, problem: "the header cannot be read (\(error))")
        }
        guard header.format == formatVersion else {
            throw FormatError(file: file, problem: "partial format \(header.format), but this tool reads format \(formatVersion); make all shards with the same version of the tool")
        }
        let n = header.shardIterations
        let layout = ColumnLayout(model: model)
        let expected = counts(layout)
        guard header.columnCounts == expected else {
            throw FormatError(file: file, problem: "its columns (\(header.columnCounts)) do not fit this scenario (\(expected)); it was made from a different scenario")
        }
        let doubles = expected[0..<6].reduce(0, +), shorts = expected[6]
        let offset = newline + 1
        guard data.count - offset == n * (8 * doubles + 2 * shorts) else {
            throw FormatError(file: file, problem: "the file is truncated or damaged (\(data.count - offset) bytes of data, \(n * (8 * doubles + 2 * shorts)) expected)")
        }
        var columns = SimulationColumns(layout: layout, capacity: n)
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(n, 1))
        defer { buffer.deallocate() }
        data.withUnsafeBytes { raw in
            var at = offset
            for c in 0..<layout.count {
                let isJoinYear = layout.joinYear.contains(c)
                for i in 0..<n {
                    buffer[i] = isJoinYear
                        ? Double(Int16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at + 2 * i, as: UInt16.self))))
                        : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8 * i, as: UInt64.self)))
                }
                at += (isJoinYear ? 2 : 8) * n
                columns.store.write(UnsafeBufferPointer(rebasing: buffer[0..<n]), column: c, at: 0)
            }
        }
        columns.filled(n)
        return PartialResult(header: header, columns: columns)
    }

    /// Joins shards into one run's columns, refusing shards that do not belong together or
    /// do not cover every block exactly once.
    public static func merge(_ parts: [(file: String, partial: PartialResult)]) throws -> (Header, SimulationColumns) {
        guard let first = parts.first else { throw FormatError(file: "merge", problem: "no partial files given") }
        let h = first.partial.header
        for (file, p) in parts.dropFirst() {
            let o = p.header
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
        let ordered = parts.sorted { $0.partial.header.firstBlock < $1.partial.header.firstBlock }
        let plan = BlockPlan(iterations: h.iterations, blockSize: h.blockSize)
        var nextBlock = 0
        for (file, p) in ordered {
            guard p.header.firstBlock == nextBlock else {
                let problem = p.header.firstBlock < nextBlock
                    ? "it repeats blocks already covered by another shard (shard \(p.header.shard) given twice?)"
                    : "blocks \(nextBlock) to \(p.header.firstBlock - 1) are missing: is a shard file left out?"
                throw FormatError(file: file, problem: problem)
            }
            nextBlock += p.header.blockCount
        }
        guard nextBlock == plan.blockCount else {
            throw FormatError(file: ordered.last!.file, problem: "blocks \(nextBlock) to \(plan.blockCount - 1) are missing: is a shard file left out?")
        }
        // One store for the whole run, each shard's columns copied to its place.
        var all = SimulationColumns(layout: ordered[0].partial.columns.layout, capacity: h.iterations)
        var at = 0
        for (_, p) in ordered {
            for c in 0..<all.layout.count {
                p.columns.withColumn(c) { all.store.write($0, column: c, at: at) }
            }
            at += p.columns.iterations
        }
        all.filled(at)
        return (h, all)
    }
}
