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

    /// Refuses to replace a folder that holds something other than a report (and is not
    /// empty), unless forced: `--out .` must never wipe a working folder.
    public struct NotAReportFolder: Error, CustomStringConvertible {
        public let path: String
        public init(path: String) { self.path = path }
        public var description: String {
            "\(path) exists and does not look like a SharedSavings report (it has no summary.csv), so it was left untouched. Choose another --out folder, or add --force to replace it."
        }
    }

    /// True when the target is missing, empty, or a report written by this tool.
    public func isSafeToReplace() -> Bool {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return true }
        guard isDirectory.boolValue else { return false }
        let contents = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
        return contents.isEmpty || contents.contains("summary.csv")
    }

    /// Writes `files` (relative name → contents), and any `streamed` files (written by a
    /// closure into an open file, so large tables need not be held in memory), into the
    /// target folder as one unit.
    public func write(_ files: [(name: String, contents: String)],
                      streamed: [(name: String, write: (FileHandle) throws -> Void)] = [],
                      force: Bool = false) throws {
        let fm = FileManager.default
        try recoverInterruptedSwap()
        removeAbandonedStaging()
        guard force || isSafeToReplace() else { throw NotAReportFolder(path: target.path) }
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

    /// Staging folders left by runs that were killed while writing (their process is gone).
    func removeAbandonedStaging() {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).partial-"
        for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try? fm.removeItem(at: parent.appendingPathComponent(name))
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
