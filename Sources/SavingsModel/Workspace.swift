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
    let nonStaffRate: UnsafeMutableBufferPointer<Double>
    let cashableShare: UnsafeMutableBufferPointer<Double>
    /// Scale-economy sums over each year's members: `sumVolume[f * years + t]`.
    let sumVolume: UnsafeMutableBufferPointer<Double>
    let sumVolumePow: UnsafeMutableBufferPointer<Double>
    /// The saving rate s[f](t) at `savingByYear[f * years + t]`.
    let savingByYear: UnsafeMutableBufferPointer<Double>
    /// s[f](t)·(1 + g)^t, the staff-saving factor of each function-year.
    let savingAndGrowth: UnsafeMutableBufferPointer<Double>
    /// ρ[f](k) at `ramp[f * years + k]`.
    let ramp: UnsafeMutableBufferPointer<Double>

    // Per year.
    let growth: UnsafeMutableBufferPointer<Double>
    let realisation: UnsafeMutableBufferPointer<Double>
    let riskCost: UnsafeMutableBufferPointer<Double>
    /// φ(t) in operating years, 0 in years below min_partners.
    let operatingRealisation: UnsafeMutableBufferPointer<Double>
    let membersByYear: UnsafeMutableBufferPointer<Int>
    let exitsByYear: UnsafeMutableBufferPointer<Int>
    let cashableByYear: UnsafeMutableBufferPointer<Double>
    let nonCashableByYear: UnsafeMutableBufferPointer<Double>
    let releasedByYear: UnsafeMutableBufferPointer<Double>
    let redundancyByYear: UnsafeMutableBufferPointer<Double>
    let perJoinerByYear: UnsafeMutableBufferPointer<Double>
    /// One authority's cashable savings, cashable FTE released and own costs by year.
    let authorityCashable: UnsafeMutableBufferPointer<Double>
    let authorityReleased: UnsafeMutableBufferPointer<Double>
    let authorityOwnCosts: UnsafeMutableBufferPointer<Double>
    let authorityNonCashable: UnsafeMutableBufferPointer<Double>
    /// Each year's discounted shared cost, and the members' cost-sharing weights (the part
    /// growing with pay and the flat part), with running sums over years (length T + 1).
    let sharedByYear: UnsafeMutableBufferPointer<Double>
    let weightGrowingByYear: UnsafeMutableBufferPointer<Double>
    let weightFlatByYear: UnsafeMutableBufferPointer<Double>
    let runningGrowing: UnsafeMutableBufferPointer<Double>
    let runningFlat: UnsafeMutableBufferPointer<Double>
    let runningEqual: UnsafeMutableBufferPointer<Double>
    let authorityPosts: UnsafeMutableBufferPointer<Double>

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
        authorityNPV = doubles(n)
        authorityCosts = doubles(n)
        riskOccurrences = doubles(model.riskProbability.count)
        rowStaff = doubles(r)
        rowNonStaff = doubles(r)
        rowFTE = doubles(r)
        rowVolume = doubles(r)
        rowVolumePow = doubles(r)
        saving = doubles(f)
        nonStaffRate = doubles(f)
        cashableShare = doubles(f)
        sumVolume = doubles(f * t)
        sumVolumePow = doubles(f * t)
        savingByYear = doubles(f * t)
        savingAndGrowth = doubles(f * t)
        ramp = doubles(f * t)
        growth = doubles(t)
        realisation = doubles(t)
        riskCost = doubles(t)
        operatingRealisation = doubles(t)
        membersByYear = ints(t)
        exitsByYear = ints(t)
        cashableByYear = doubles(t)
        nonCashableByYear = doubles(t)
        releasedByYear = doubles(t)
        redundancyByYear = doubles(t)
        perJoinerByYear = doubles(t)
        authorityCashable = doubles(t)
        authorityReleased = doubles(t)
        authorityOwnCosts = doubles(t)
        authorityNonCashable = doubles(t)
        sharedByYear = doubles(t)
        weightGrowingByYear = doubles(t)
        weightFlatByYear = doubles(t)
        runningGrowing = doubles(t + 1)
        runningFlat = doubles(t + 1)
        runningEqual = doubles(t + 1)
        authorityPosts = doubles(t)
        series = doubles(YearlySeries.allCases.count * t)
        scalars = doubles(ScalarMetric.allCases.count)
    }

    deinit {
        for p in [values, events, staffBase, nonStaffBase, fteBase,
                  authorityNPV, authorityCosts, riskOccurrences, rowStaff, rowNonStaff, rowFTE, rowVolume, rowVolumePow, saving,
                  nonStaffRate, cashableShare, sumVolume, sumVolumePow, savingByYear, savingAndGrowth, ramp, growth,
                  realisation, riskCost, operatingRealisation, cashableByYear, nonCashableByYear, releasedByYear,
                  redundancyByYear, perJoinerByYear, authorityCashable, authorityReleased, authorityOwnCosts, authorityNonCashable, authorityPosts, sharedByYear, weightGrowingByYear, weightFlatByYear, runningGrowing, runningFlat, runningEqual,
                  series, scalars] {
            p.deallocate()
        }
        joinYear.deallocate()
        exitYear.deallocate()
        membersByYear.deallocate()
        exitsByYear.deallocate()
    }

    @inline(__always) func seriesValue(_ s: YearlySeries, _ t: Int) -> Double { series[s.rawValue * years + t] }
    @inline(__always) func scalar(_ m: ScalarMetric) -> Double { scalars[m.rawValue] }
}
