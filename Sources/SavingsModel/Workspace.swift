/// Scratch memory for one block: allocated once, reused by every iteration of the block,
/// so the per-iteration path allocates nothing. Confined to the thread running the block.
final class Workspace {
    let model: CompiledModel
    let years: Int

    /// The iteration's scalar input values (index = InputSpace scalar index).
    let values: UnsafeMutableBufferPointer<Double>
    /// The iteration's event uniforms (Bass, exit, risk).
    let events: UnsafeMutableBufferPointer<Double>

    // Per authority.
    let joinYear: UnsafeMutableBufferPointer<Int>
    let exitYear: UnsafeMutableBufferPointer<Int>
    let staffBase: UnsafeMutableBufferPointer<Double>
    let nonStaffBase: UnsafeMutableBufferPointer<Double>
    let fteBase: UnsafeMutableBufferPointer<Double>
    let cashableNow: UnsafeMutableBufferPointer<Double>
    let releasedNow: UnsafeMutableBufferPointer<Double>
    let previousPeak: UnsafeMutableBufferPointer<Double>
    let weight: UnsafeMutableBufferPointer<Double>
    /// Output: each authority's financial NPV.
    let authorityNPV: UnsafeMutableBufferPointer<Double>
    /// Output: the present value of the costs each authority bears (its own plus its shares).
    let authorityCosts: UnsafeMutableBufferPointer<Double>
    /// Output: how many times each risk struck within the horizon.
    let riskOccurrences: UnsafeMutableBufferPointer<Double>

    // Per baseline row.
    let rowStaff: UnsafeMutableBufferPointer<Double>
    let rowNonStaff: UnsafeMutableBufferPointer<Double>
    let rowFTE: UnsafeMutableBufferPointer<Double>
    let rowVolume: UnsafeMutableBufferPointer<Double>
    let rowVolumePow: UnsafeMutableBufferPointer<Double>

    // Per function.
    let saving: UnsafeMutableBufferPointer<Double>
    let savingNow: UnsafeMutableBufferPointer<Double>
    let nonStaffRate: UnsafeMutableBufferPointer<Double>
    let cashableShare: UnsafeMutableBufferPointer<Double>
    let sumVolume: UnsafeMutableBufferPointer<Double>
    let sumVolumePow: UnsafeMutableBufferPointer<Double>
    /// ρ[f](k) at `ramp[f * years + k]`.
    let ramp: UnsafeMutableBufferPointer<Double>

    // Per year.
    let growth: UnsafeMutableBufferPointer<Double>
    let realisation: UnsafeMutableBufferPointer<Double>
    let riskCost: UnsafeMutableBufferPointer<Double>

    /// Output: `series[s * years + t]` for each YearlySeries s.
    let series: UnsafeMutableBufferPointer<Double>
    /// Output: one value per ScalarMetric.
    let scalars: UnsafeMutableBufferPointer<Double>

    init(model: CompiledModel) {
        self.model = model
        years = model.years
        let n = model.authorityCount, r = model.rowCount, f = model.functionCount, t = model.years
        func doubles(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let p = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0)
            return p
        }
        func ints(_ count: Int) -> UnsafeMutableBufferPointer<Int> {
            let p = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0)
            return p
        }
        values = doubles(model.space.scalarCount)
        events = doubles(model.space.eventUniformCount)
        joinYear = ints(n)
        exitYear = ints(n)
        staffBase = doubles(n)
        nonStaffBase = doubles(n)
        fteBase = doubles(n)
        cashableNow = doubles(n)
        releasedNow = doubles(n)
        previousPeak = doubles(n)
        weight = doubles(n)
        authorityNPV = doubles(n)
        authorityCosts = doubles(n)
        riskOccurrences = doubles(model.riskProbability.count)
        rowStaff = doubles(r)
        rowNonStaff = doubles(r)
        rowFTE = doubles(r)
        rowVolume = doubles(r)
        rowVolumePow = doubles(r)
        saving = doubles(f)
        savingNow = doubles(f)
        nonStaffRate = doubles(f)
        cashableShare = doubles(f)
        sumVolume = doubles(f)
        sumVolumePow = doubles(f)
        ramp = doubles(f * t)
        growth = doubles(t)
        realisation = doubles(t)
        riskCost = doubles(t)
        series = doubles(YearlySeries.allCases.count * t)
        scalars = doubles(ScalarMetric.allCases.count)
    }

    deinit {
        for p in [values, events, staffBase, nonStaffBase, fteBase, cashableNow, releasedNow, previousPeak,
                  weight, authorityNPV, authorityCosts, riskOccurrences, rowStaff, rowNonStaff, rowFTE, rowVolume, rowVolumePow, saving,
                  savingNow, nonStaffRate, cashableShare, sumVolume, sumVolumePow, ramp, growth,
                  realisation, riskCost, series, scalars] {
            p.deallocate()
        }
        joinYear.deallocate()
        exitYear.deallocate()
    }

    @inline(__always) func seriesValue(_ s: YearlySeries, _ t: Int) -> Double { series[s.rawValue * years + t] }
    @inline(__always) func scalar(_ m: ScalarMetric) -> Double { scalars[m.rawValue] }
}
