/// The scenario with only its first k authorities, for sweeping the number of partners
/// (docs/whatif.md): "what if only the first k councils signed up?"
extension Scenario {
    /// Keeps authorities 0 ..< k in listed order with their baseline rows, join rules and
    /// cost-sharing weights; drops correlations that name an input of a dropped authority,
    /// and the published figures (they describe the whole partnership). Everything else —
    /// functions, costs, risks, min_partners — is unchanged, so a k below min_partners
    /// gives a service that never runs (no savings), as the model says.
    public func firstPartners(_ k: Int) -> Scenario {
        precondition(k >= 1 && k <= authorities.count)
        var s = self
        s.authorities = Array(authorities.prefix(k))
        s.baseline = baseline.filter { $0.authority < k }
        if case .weights(let w) = costSharing { s.costSharing = .weights(Array(w.prefix(k))) }
        let kept = Set(s.allInputs.map(\.path))
        s.correlations = correlations.filter { kept.contains($0.first) && kept.contains($0.second) }
        s.published = []
        return s
    }
}
