import Foundation
import SavingsModel

/// iterations.csv (with --iterations-csv): one row per iteration with every scalar output
/// and every sampled input, written in chunks straight to the file.
public enum IterationsCSV {
    public static func write(_ columns: SimulationColumns, model: CompiledModel, to handle: FileHandle) throws {
        let metrics = ScalarMetric.allCases
        let header = ["iteration"] + metrics.map(\.name) + model.space.scalars.map { "input:" + $0.path }
        var buffer = header.map { CSVTable.render(.text($0)) }.joined(separator: ",") + "\r\n"
        // Rows are read a chunk at a time, each column's slice in one piece, so a run whose
        // columns wait on disk (ColumnStore) is read sequentially, not cell by cell.
        let wanted = metrics.map { columns.layout.scalars.lowerBound + $0.rawValue }
            + (0..<model.space.scalarCount).map { columns.layout.inputs.lowerBound + $0 }
        let chunk = 4096
        let slices = UnsafeMutableBufferPointer<Double>.allocate(capacity: wanted.count * chunk)
        defer { slices.deallocate() }
        var start = 0
        while start < columns.iterations {
            let rows = Swift.min(chunk, columns.iterations - start)
            for (j, c) in wanted.enumerated() {
                columns.store.read(column: c, range: start..<(start + rows),
                                   into: UnsafeMutableBufferPointer(rebasing: slices[(j * chunk)..<(j * chunk + rows)]))
            }
            for r in 0..<rows {
                var cells = [String(start + r + 1)]
                for j in wanted.indices { cells.append(NumberText.plain(slices[j * chunk + r])) }
                buffer += cells.joined(separator: ",")
                buffer += "\r\n"
                if buffer.utf8.count > 1 << 20 {
                    try handle.write(contentsOf: Data(buffer.utf8))
                    buffer = ""
                }
            }
            start += rows
        }
        try handle.write(contentsOf: Data(buffer.utf8))
    }
}
