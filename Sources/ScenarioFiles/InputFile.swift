import Foundation

/// Reads a file the loader was pointed at (the scenario, or the baseline CSV it names),
/// refusing up front what cannot be one: a folder, a device or a pipe (which could block
/// or never end, e.g. /dev/zero), or a file larger than any scenario needs.
enum InputFile {
    /// 100 MB: a baseline of a million rows is about 50 MB; real ones are kilobytes.
    static let maximumSize = 100_000_000

    enum Failure: Error, Equatable {
        case missing, folder, notAFile, unreadable
        case tooLarge(bytes: Int)

        /// Completes "the scenario file 'x' …".
        var reason: String {
            switch self {
            case .missing: "does not exist"
            case .folder: "is a folder, not a file"
            case .notAFile: "is not a regular file (it is a device, a pipe or a socket)"
            case .unreadable: "cannot be read (check its permissions)"
            case .tooLarge(let bytes):
                "is \(bytes / 1_000_000) MB, larger than any scenario needs (the limit is \(InputFile.maximumSize / 1_000_000) MB)"
            }
        }
    }

    static func read(_ path: String) -> Result<Data, Failure> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.folder)
        default: return .failure(.notAFile)
        }
        guard status.st_size <= maximumSize else { return .failure(.tooLarge(bytes: Int(status.st_size))) }
        // Foundation leaks its 4 kB read buffer on an empty file (seen by LeakSanitizer).
        guard status.st_size > 0 else { return .success(Data()) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        return .success(data)
    }

    /// Where UTF-8 decoding first fails: the 1-based line and column (counting characters)
    /// and the offending byte, so "not UTF-8" can point at the `£` saved as Latin-1.
    /// Approximate for the rare invalid sequences it does not check (surrogates, overlong
    /// 3- and 4-byte forms): then nil, and the caller points at the start of the file.
    static func firstInvalidUTF8(_ data: Data) -> (line: Int, column: Int, byte: UInt8)? {
        let bytes = [UInt8](data)
        var i = 0, line = 1, column = 1
        while i < bytes.count {
            let lead = bytes[i]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, column, lead)
            }
            guard i + length <= bytes.count,
                  bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return (line, column, lead) }
            if lead == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return nil
    }

    /// "…: byte A3 on line 2, column 13 is not UTF-8", or "" when it cannot be placed.
    static func notUTF8Detail(_ data: Data) -> (line: Int, column: Int, text: String) {
        guard let at = firstInvalidUTF8(data) else { return (1, 1, "") }
        return (at.line, at.column, String(format: ": the byte %02X here is not UTF-8 (the file was probably saved as Latin-1 or Windows-1252)", at.byte))
    }
}
