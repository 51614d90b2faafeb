import Foundation

/// Where a run keeps every iteration's results: `columnCount` columns of `capacity`
/// Float64 values each, column after column.
///
/// Blocks of iterations are computed in parallel and each writes its own range of every
/// column, so the store is filled in place: no per-block copies, no gathering step, and the
/// values sit at the same positions whatever the thread count.
///
/// Small runs keep the columns in memory. A run whose columns would take more than
/// `memoryBudget` bytes keeps them in a temporary file instead (unlinked as soon as it is
/// made, so it disappears with the process), and readers bring one column at a time into
/// memory. The numbers are the same either way: only where the bytes wait differs. This is
/// what lets 10⁶ iterations of a 150-authority case run in well under 1 GiB
/// (docs/performance.md) while every percentile stays exact.
public final class ColumnStore: @unchecked Sendable {
    // @unchecked: writers touch disjoint ranges (one block each); reads happen after the
    // writes have finished (BlockRunner joins its threads before returning).

    /// Above this many bytes of columns, they go to a temporary file (768 MiB: 10⁵
    /// iterations of the 150-authority benchmark stay in memory, 10⁶ spill, and the peak
    /// stays under 1 GiB either side of the line).
    public static let defaultMemoryBudget = 768 * 1024 * 1024

    public let columnCount: Int
    public let capacity: Int
    /// Column-major values when the store is in memory.
    private let memory: UnsafeMutablePointer<Double>?
    /// The unlinked temporary file when it is not (−1 otherwise).
    private let file: Int32

    /// Whether the columns wait in a temporary file rather than in memory.
    public var isOnDisk: Bool { memory == nil }

    /// A store for `columns` columns of `capacity` values. `directory` is where a spilled
    /// store's temporary file goes (default: the system's temporary directory, `TMPDIR`).
    /// If that file cannot be made the columns are kept in memory: the numbers do not
    /// depend on it, and `ResourceEstimate` has already checked the space up front.
    public init(columns: Int, capacity: Int, memoryBudget: Int = ColumnStore.defaultMemoryBudget,
                directory: String? = nil) {
        columnCount = columns
        self.capacity = capacity
        let count = Swift.max(columns * capacity, 1)
        if count * 8 > memoryBudget, let fd = Self.temporaryFile(in: directory ?? Self.temporaryDirectory()),
           ftruncate(fd, off_t(count * 8)) == 0 {
            file = fd
            memory = nil
        } else {
            // Untouched pages are not resident, so a precision run's unused tail costs nothing.
            let pointer = UnsafeMutablePointer<Double>.allocate(capacity: count)
            file = -1
            memory = pointer
        }
    }

    deinit {
        memory?.deallocate()
        if file >= 0 { close(file) }
        for buffer in spareBuffers { buffer.pointer.deallocate() }
    }

    // Block buffers for a store on disk, kept for reuse: a fresh buffer per block would
    // page-fault its way through the whole run's volume of memory again (at 10⁶ iterations
    // of large-150, 5.5 GB of first touches). One per thread is ever in use at a time.
    private let spareLock = NSLock()
    private var spareBuffers: [(pointer: UnsafeMutablePointer<Double>, capacity: Int)] = []

    /// A buffer of at least `count` values for one block (BlockSink), reused when possible.
    func takeBlockBuffer(count: Int) -> (pointer: UnsafeMutablePointer<Double>, capacity: Int) {
        spareLock.lock()
        defer { spareLock.unlock() }
        if let k = spareBuffers.lastIndex(where: { $0.capacity >= count }) { return spareBuffers.remove(at: k) }
        let capacity = Swift.max(count, 1)
        return (.allocate(capacity: capacity), capacity)
    }

    /// Hands a block buffer back for the next block.
    func returnBlockBuffer(_ buffer: (pointer: UnsafeMutablePointer<Double>, capacity: Int)) {
        spareLock.lock()
        defer { spareLock.unlock() }
        spareBuffers.append(buffer)
    }

    public static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.path
    }

    /// A fresh file in `directory`, already unlinked, or nil.
    private static func temporaryFile(in directory: String) -> Int32? {
        var template = Array((directory + "/shared-savings-columns-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    /// Where column c's value for iteration i lives, when the store is in memory.
    @inline(__always)
    func address(column c: Int, iteration i: Int) -> UnsafeMutablePointer<Double>? {
        memory.map { $0 + c * capacity + i }
    }

    /// Copies `values` into column c from iteration `offset` on.
    public func write(_ values: UnsafeBufferPointer<Double>, column c: Int, at offset: Int) {
        precondition(c < columnCount && offset + values.count <= capacity)
        guard !values.isEmpty else { return }
        if let memory {
            (memory + c * capacity + offset).update(from: values.baseAddress!, count: values.count)
        } else {
            transfer(UnsafeMutableRawPointer(mutating: values.baseAddress!), bytes: values.count * 8,
                     at: (c * capacity + offset) * 8, reading: false)
        }
    }

    /// Copies column c's values for `range` into `buffer` (which holds `range.count` values).
    public func read(column c: Int, range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) {
        precondition(c < columnCount && range.upperBound <= capacity && buffer.count >= range.count)
        guard !range.isEmpty else { return }
        if let memory {
            buffer.baseAddress!.update(from: memory + c * capacity + range.lowerBound, count: range.count)
        } else {
            transfer(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: range.count * 8,
                     at: (c * capacity + range.lowerBound) * 8, reading: true)
        }
    }

    /// Calls `body` with column c's first `count` values: in place for a store in memory,
    /// read into a temporary buffer for one on disk.
    public func withColumn<R>(_ c: Int, count: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        if let memory { return try body(UnsafeBufferPointer(start: memory + c * capacity, count: count)) }
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(count, 1))
        defer { buffer.deallocate() }
        read(column: c, range: 0..<count, into: buffer)
        return try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
    }

    /// One value (slow on disk: for tests and single-iteration stores).
    public subscript(column c: Int, iteration i: Int) -> Double {
        get {
            if let p = address(column: c, iteration: i) { return p.pointee }
            var x = 0.0
            withUnsafeMutablePointer(to: &x) { transfer(UnsafeMutableRawPointer($0), bytes: 8, at: (c * capacity + i) * 8, reading: true) }
            return x
        }
        set {
            var x = newValue
            withUnsafePointer(to: &x) { write(UnsafeBufferPointer(start: $0, count: 1), column: c, at: i) }
        }
    }

    /// pread/pwrite until every byte has moved. A failure here means the temporary file's
    /// disk failed under us (the space was checked up front); there is no sound way to go
    /// on with missing numbers, so the run stops with the reason rather than print wrong ones.
    private func transfer(_ pointer: UnsafeMutableRawPointer, bytes: Int, at offset: Int, reading: Bool) {
        var done = 0
        while done < bytes {
            let n = reading
                ? pread(file, pointer + done, bytes - done, off_t(offset + done))
                : pwrite(file, pointer + done, bytes - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                let reason = n == 0 ? "unexpected end of file" : String(cString: strerror(errno))
                FileHandle.standardError.write(Data("shared-savings: the temporary column file in \(Self.temporaryDirectory()) could not be \(reading ? "read" : "written") (\(reason)). Fix: free disk space there or point TMPDIR at a folder with room, then run again.\n".utf8))
                exit(1)
            }
        }
    }
}
