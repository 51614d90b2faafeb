import Foundation
import Synchronization

/// A progress bar on standard error: shown only when stderr is a terminal, and only once a
/// run has taken more than a second, so pipes, CI logs and quick runs stay clean.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var lastDrawn = 0.0
        var shown = false
    }
    private let total: Int
    private let start: Double
    private let enabled: Bool
    private let state = Mutex(State())

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(2) != 0
        start = Self.now()
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func advance(by n: Int) {
        guard enabled else { return }
        state.withLock { s in
            s.done += n
            let t = Self.now(), elapsed = t - start
            guard elapsed > 1, t - s.lastDrawn > 0.1 || s.done == total else { return }
            s.lastDrawn = t
            s.shown = true
            let fraction = Double(s.done) / Double(total)
            let width = 30, filled = Int(fraction * Double(width))
            let rate = Double(s.done) / elapsed
            let left = rate > 0 ? Double(total - s.done) / rate : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = String(format: "\r%@ %3.0f%%  %@ iterations/s  %@ left ", bar, fraction * 100,
                              Self.grouped(Int(rate)), Self.duration(left))
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Clears the bar's line if it was drawn.
    func finish() {
        guard enabled else { return }
        state.withLock { s in
            if s.shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m \(s % 60)s" : "\(s)s"
    }
}
