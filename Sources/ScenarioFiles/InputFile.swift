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
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        return .success(data)
    }
}
