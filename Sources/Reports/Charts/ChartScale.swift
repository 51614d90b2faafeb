/// A value axis: a domain with "nice" ends and the ticks inside it, every tick a whole
/// multiple of a 1, 2 or 5 × 10^k step.
struct NiceAxis: Equatable {
    var lo: Double
    var hi: Double
    var step: Double

    /// The ticks, each computed as `k × step` (never by repeated addition, so no drift).
    var ticks: [Double] {
        let first = (lo / step).rounded()
        let last = (hi / step).rounded()
        guard last >= first, last - first <= 200 else { return [lo, hi] }
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            return v == 0 ? 0 : v   // no −0
        }
    }

    var spansZero: Bool { lo <= 0 && hi >= 0 }

    /// The smallest 1, 2 or 5 × 10^k that is at least `raw` (at least 1 for counts). Powers
    /// of ten are found by multiplying and dividing, not by `log10`, so the result is the
    /// same on every platform.
    static func step(atLeast raw: Double, integer: Bool = false) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var p = 1.0
        while p * 10 <= raw, p < 1e300 { p *= 10 }
        while p > raw, p > 1e-300 { p /= 10 }
        var result = 10 * p
        for m in [1.0, 2.0, 5.0] where m * p >= raw * (1 - 1e-12) {
            result = m * p
            break
        }
        return integer ? max(1, result.rounded(.up)) : result
    }

    /// An axis over the finite `values` with `target` intervals or somewhat fewer. A single value or
    /// all-equal values get a little room either side; no finite value gives 0…1.
    static func fit(_ values: [Double], target: Int = 6, integer: Bool = false, includeZero: Bool = false) -> NiceAxis {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? (includeZero ? 1 : 0)
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo <= max(abs(lo), abs(hi)) * 1e-12 {
            if lo == 0 {
                hi = 1
                if !includeZero && !integer { lo = -1 }
            } else {
                let pad = abs(lo) * 0.1
                if includeZero && lo > 0 { lo = 0 } else { lo -= pad }
                if includeZero && hi < 0 { hi = 0 } else { hi += pad }
            }
        }
        let step = NiceAxis.step(atLeast: (hi - lo) / Double(max(1, target)), integer: integer)
        return NiceAxis(lo: (lo / step).rounded(.down) * step, hi: (hi / step).rounded(.up) * step, step: step)
    }

    /// Two axes whose zeros sit on the same gridline and whose ticks coincide, for a
    /// secondary axis that is read against the same gridlines. Both include zero.
    static func aligned(_ a: [Double], _ b: [Double], target: Int = 5) -> (NiceAxis, NiceAxis) {
        func extent(_ v: [Double]) -> (neg: Double, pos: Double) {
            let f = v.filter(\.isFinite)
            return (max(0, -(f.min() ?? 0)), max(0, f.max() ?? 0))
        }
        let ea = extent(a), eb = extent(b)
        func stepFor(_ e: (neg: Double, pos: Double)) -> Double {
            let span = e.neg + e.pos
            return span > 0 ? NiceAxis.step(atLeast: span / Double(target)) : 1
        }
        let sa = stepFor(ea), sb = stepFor(eb)
        let below = max((ea.neg / sa).rounded(.up), (eb.neg / sb).rounded(.up))
        var above = max((ea.pos / sa).rounded(.up), (eb.pos / sb).rounded(.up))
        if below + above == 0 { above = 1 }
        return (NiceAxis(lo: -below * sa, hi: above * sa, step: sa),
                NiceAxis(lo: -below * sb, hi: above * sb, step: sb))
    }
}

/// Maps a domain onto a pixel range (either way round).
struct LinearScale {
    let d0: Double, d1: Double, r0: Double, r1: Double

    init(domain: (Double, Double), range: (Double, Double)) {
        (d0, d1, r0, r1) = (domain.0, domain.1, range.0, range.1)
    }

    init(_ axis: NiceAxis, range: (Double, Double)) {
        self.init(domain: (axis.lo, axis.hi), range: range)
    }

    func callAsFunction(_ v: Double) -> Double {
        guard d1 != d0 else { return (r0 + r1) / 2 }
        return r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// Tick-label text. Money goes through `NumberText.money`, with trailing zeros after the
/// point dropped (£1.50m → £1.5m, £2.00m → £2m) so a set of ticks reads cleanly.
enum TickText {
    static func money(_ values: [Double]) -> [String] {
        let compact = values.map { trimZeros(NumberText.money($0)) }
        if Set(compact).count == compact.count { return compact }
        // Ticks too close together for the compact form (e.g. £1.002m vs £1.004m): whole
        // pounds with thousands separators, with decimals only if the step needs them.
        let decimals = decimalsFor(values)
        return values.map { v in
            (v < 0 ? "−£" : "£") + grouped(abs(v), decimals: decimals)
        }
    }

    static func count(_ values: [Double]) -> [String] {
        let decimals = decimalsFor(values)
        return values.map { v in (v < 0 ? "−" : "") + grouped(abs(v), decimals: decimals) }
    }

    static func percent(_ fractions: [Double]) -> [String] {
        let decimals = decimalsFor(fractions.map { $0 * 100 })
        return fractions.map { ($0 < 0 ? "−" : "") + grouped(abs($0) * 100, decimals: decimals) + "%" }
    }

    /// "£1.50m" → "£1.5m", "£1.0k" → "£1k"; text without a decimal point is unchanged.
    static func trimZeros(_ s: String) -> String {
        guard let dot = s.firstIndex(of: ".") else { return s }
        var digitsEnd = s.index(after: dot)
        while digitsEnd < s.endIndex, s[digitsEnd].isASCII, s[digitsEnd].isNumber { digitsEnd = s.index(after: digitsEnd) }
        var fraction = s[s.index(after: dot)..<digitsEnd]
        while fraction.last == "0" { fraction.removeLast() }
        let head = s[..<dot]
        let tail = s[digitsEnd...]
        return fraction.isEmpty ? String(head + tail) : String(head) + "." + fraction + tail
    }

    /// Decimals needed to tell evenly spaced values apart (0 for whole numbers).
    static func decimalsFor(_ values: [Double]) -> Int {
        guard values.count >= 2 else { return 0 }
        var step = abs(values[1] - values[0])
        guard step.isFinite, step > 0 else { return 0 }
        var d = 0
        while step < 0.999_999, d < 6 { step *= 10; d += 1 }
        return d
    }

    /// `x` ≥ 0 with a comma every three digits and `decimals` decimals; locale-free.
    static func grouped(_ x: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (x * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, scaled < 9e18 else { return NumberText.plain(x) }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale)
        let fraction = n % UInt64(scale)
        var digits = Array(String(whole))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        out = String(digits) + out
        if decimals > 0 {
            let f = String(fraction)
            out += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return out
    }
}
