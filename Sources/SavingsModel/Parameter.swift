/// A model parameter as the engine sees it: a constant, or the index of a random input
/// drawn each iteration. Resolving one is a branch and a load, with no allocation.
public struct Parameter: Sendable, Hashable {
    /// Index into the iteration's input values, or −1 for a constant.
    public let index: Int
    public let constant: Double

    public static func constant(_ x: Double) -> Parameter { Parameter(index: -1, constant: x) }
    public static func input(_ k: Int) -> Parameter { Parameter(index: k, constant: .nan) }

    @inline(__always) public func value(_ values: UnsafeMutableBufferPointer<Double>) -> Double {
        index < 0 ? constant : values[index]
    }
    public var isRandom: Bool { index >= 0 }
}
