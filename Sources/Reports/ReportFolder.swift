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
        /// Why it is refused: not a report, a file, or a folder no report may replace.
        public let kind: Kind
        public enum Kind: Sendable { case notAReport, file, protected }

        public init(path: String) {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            self.init(path: path, kind: exists && !isDirectory.boolValue ? .file : .notAReport)
        }

        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }

        public var description: String {
            switch kind {
            case .notAReport:
                "\(path) exists and does not look like a SharedSavings report (it has no summary.csv), so it was left untouched. Choose another --out folder, or add --force to replace it."
            case .file:
                "\(path) is a file, not a folder, so it was left untouched (even with --force). Choose a folder for --out; it is created if missing."
            case .protected:
                "\(path) is the root, your home folder, the current folder or one of its parents, or holds the scenario, so it is never replaced (even with --force). Choose a new folder for --out, e.g. reports/mine."
            }
        }
    }

    /// Why this target may not be replaced even with --force, or nil: it is a file, or a
    /// folder whose loss would be a disaster (the root, the home folder, the working folder
    /// or one of its parents, or a folder holding `keep`, e.g. the scenario file).
    public func forbidden(keeping keep: [String] = []) -> NotAReportFolder? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let path = target.resolvingSymlinksInPath().path
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return NotAReportFolder(path: target.path, kind: .file)
        }
        func inside(_ child: String) -> Bool {
            let c = URL(fileURLWithPath: child).standardizedFileURL.resolvingSymlinksInPath().path
            return c == path || path == "/" || c.hasPrefix(path + "/")
        }
        let home = fm.homeDirectoryForCurrentUser.resolvingSymlinksInPath().path
        if path == "/" || path == home || inside(fm.currentDirectoryPath) || keep.contains(where: inside) {
            return NotAReportFolder(path: target.path, kind: .protected)
        }
        return nil
    }

    /// A write failure in plain words: the operating system's reason ("Permission
    /// denied", "Read-only file system", "No space left on device") where there is one.
    public static func reason(_ error: Error) -> String {
        var current: NSError? = error as NSError
        while let e = current {
            if e.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(e.code))) }
            current = e.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "a folder on the way does not exist and cannot be created there"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteFileExists: return "a file is in the way of a folder it needs"
            case .fileWriteOutOfSpace: return "no space left on the disk"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            default: break
            }
        }
        let text = error.localizedDescription
        return text.hasSuffix(".") ? String(text.dropLast()) : text
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
        if let refusal = forbidden() { throw refusal }
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
