import Foundation

/// Writes a report folder so that a failed or killed run never leaves a half-written
/// report where a good one was: every file goes into a hidden staging folder beside the
/// target, which then replaces the target by renames.
///
/// Replacing: the old folder is renamed to `.<name>.previous`, the staging folder renamed
/// into place, then the old one deleted. If the process dies between the two renames the
/// previous report survives whole as `.<name>.previous`, and the next run puts it back
/// before starting.
public struct ReportFolder {
    public let target: URL
    let staging: URL
    let previous: URL

    public init(target: URL) {
        self.target = target.standardizedFileURL
        let parent = self.target.deletingLastPathComponent()
        let name = self.target.lastPathComponent
        staging = parent.appendingPathComponent(".\(name).partial-\(getpid())")
        previous = parent.appendingPathComponent(".\(name).previous")
    }

    /// Writes `files` (relative name → contents), and any `streamed` files (written by a
    /// closure into an open file, so large tables need not be held in memory), into the
    /// target folder as one unit.
    public func write(_ files: [(name: String, contents: String)],
                      streamed: [(name: String, write: (FileHandle) throws -> Void)] = []) throws {
        let fm = FileManager.default
        try recoverInterruptedSwap()
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            for file in files {
                precondition(!file.name.contains("/") && !file.name.hasPrefix("."), "report file names are plain")
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
            for file in streamed {
                precondition(!file.name.contains("/") && !file.name.hasPrefix("."), "report file names are plain")
                let url = staging.appendingPathComponent(file.name)
                guard fm.createFile(atPath: url.path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
                }
                let handle = try FileHandle(forWritingTo: url)
                defer { try? handle.close() }
                try file.write(handle)
            }
            if fm.fileExists(atPath: target.path) {
                try fm.moveItem(at: target, to: previous)
                try fm.moveItem(at: staging, to: target)
                try fm.removeItem(at: previous)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// A previous run died between its renames: put the old report back.
    func recoverInterruptedSwap() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: previous.path) {
            if fm.fileExists(atPath: target.path) {
                try fm.removeItem(at: previous)
            } else {
                try fm.moveItem(at: previous, to: target)
            }
        }
    }
}
