import Foundation
import SavingsModel

/// iterations.csv (with --iterations-csv): one row per iteration with every scalar output
/// and every sampled input, written in chunks straight to the file.
public enum IterationsCSV {
    public static func write(_ columns: SimulationColumns, model: CompiledModel, to handle: FileHandle) throws {
        let metrics = ScalarMetric.allCases
        let header = ["iteration"] + metrics.map(\.name) + model.space.scalars.map { "input:" + $0.path }
        var buffer = header.map { CSVTable.render(.text($0)) }.joined(separator: ",") + "\r\n"
        for i in 0..<columns.iterations {
            var cells = [String(i + 1)]
            for m in metrics { cells.append(NumberText.plain(columns.scalars[m.rawValue][i])) }
            for k in 0..<model.space.scalarCount { cells.append(NumberText.plain(columns.inputs[k][i])) }
            buffer += cells.joined(separator: ",")
            buffer += "\r\n"
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
    }
}
