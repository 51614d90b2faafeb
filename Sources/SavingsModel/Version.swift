/// Versions written into every report, so a reader knows which code and which model
/// contract produced the numbers.
public enum Versions {
    /// The tool's release.
    public static let tool = "0.1.0"
    /// The model contract (MODEL.md) the numbers follow.
    public static let model = "1"
}
