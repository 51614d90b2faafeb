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
    // Join cohorts (members by join year): `cohortStart[J] ..< cohortStart[J + 1]` index
    // `cohortMembers`; `cohortFill` is scratch for the counting sort.
    let cohortStart: UnsafeMutableBufferPointer<Int>
    let cohortFill: UnsafeMutableBufferPointer<Int>
    let cohortMembers: UnsafeMutableBufferPointer<Int>
    /// A cohort's year factors `[t * F + f]` (MS, MN, MP in Model+Evaluate) and the
    /// discounted prefix sums of the first two `[t * F + f]`, t = J … T.
    let factorStaff: UnsafeMutableBufferPointer<Double>
    let factorNonStaff: UnsafeMutableBufferPointer<Double>
    let factorPosts: UnsafeMutableBufferPointer<Double>
    let prefixStaff: UnsafeMutableBufferPointer<Double>
    let prefixNonStaff: UnsafeMutableBufferPointer<Double>
    /// A cohort's baseline staff, non-staff and FTE entering (+) and leaving (−) in year t,
    /// `[t * F + f]`, t = J … T, and their running sums over years `[f]`.
    let cohortStaff: UnsafeMutableBufferPointer<Double>
    let cohortNonStaff: UnsafeMutableBufferPointer<Double>
    let cohortFTE: UnsafeMutableBufferPointer<Double>
    let runningStaff: UnsafeMutableBufferPointer<Double>
    let runningNonStaff: UnsafeMutableBufferPointer<Double>
    let runningFTE: UnsafeMutableBufferPointer<Double>
    /// One member's cashable FTE by function (κ[f]·fte), for its posts released by year.
    let postWeights: UnsafeMutableBufferPointer<Double>
    /// A cohort-year's saving by function before the cashable split.
    let savedByFunction: UnsafeMutableBufferPointer<Double>
    /// 1 − κ[f] for each function.
    let nonCashableShare: UnsafeMutableBufferPointer<Double>
    /// Each authority's baseline from its fixed rows only (computed once): the iteration
    /// adds its uncertain rows to a copy.
    let fixedStaffBase: UnsafeMutableBufferPointer<Double>
    let fixedNonStaffBase: UnsafeMutableBufferPointer<Double>
    let fixedFTEBase: UnsafeMutableBufferPointer<Double>
    /// Each year's discounted shared cost, and the members' cost-sharing weights (the part
    /// growing with pay and the flat part), with running sums over years (length T + 1).
    let sharedByYear: UnsafeMutableBufferPointer<Double>
    let weightGrowingByYear: UnsafeMutableBufferPointer<Double>
    let weightFlatByYear: UnsafeMutableBufferPointer<Double>
    let runningGrowing: UnsafeMutableBufferPointer<Double>
    let runningFlat: UnsafeMutableBufferPointer<Double>
    let runningEqual: UnsafeMutableBufferPointer<Double>

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
        cohortStart = ints(t + 1)
        cohortFill = ints(t + 1)
        cohortMembers = ints(n)
        factorStaff = doubles(t * f)
        factorNonStaff = doubles(t * f)
        factorPosts = doubles(t * f)
        prefixStaff = doubles((t + 1) * f)
        prefixNonStaff = doubles((t + 1) * f)
        cohortStaff = doubles((t + 1) * f)
        cohortNonStaff = doubles((t + 1) * f)
        cohortFTE = doubles((t + 1) * f)
        runningStaff = doubles(f)
        runningNonStaff = doubles(f)
        runningFTE = doubles(f)
        postWeights = doubles(f)
        savedByFunction = doubles(f)
        nonCashableShare = doubles(f)
        fixedStaffBase = doubles(n)
        fixedNonStaffBase = doubles(n)
        fixedFTEBase = doubles(n)
        sharedByYear = doubles(t)
        weightGrowingByYear = doubles(t)
        weightFlatByYear = doubles(t)
        runningGrowing = doubles(t + 1)
        runningFlat = doubles(t + 1)
        runningEqual = doubles(t + 1)
        series = doubles(YearlySeries.allCases.count * t)
        scalars = doubles(ScalarMetric.allCases.count)
        // Fixed rows: their baseline once, here.
        var random = [Bool](repeating: false, count: r)
        for row in model.randomRows { random[row] = true }
        let none = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
        defer { none.deallocate() }
        for row in 0..<r where !random[row] {
            let i = model.rowAuthority[row]
            let fte = model.rowFTE[row].value(none)
            let staff = fte * model.rowCostPerFTE[row].value(none)
            let nonStaff = model.rowNonStaff[row].value(none)
            rowFTE[row] = fte
            rowStaff[row] = staff
            rowNonStaff[row] = nonStaff
            fixedStaffBase[i] += staff
            fixedNonStaffBase[i] += nonStaff
            fixedFTEBase[i] += fte
        }
    }

    /// Σ a[k]·b[offset + k] for k < count, with four running sums so the additions need not
    /// wait for each other (the order of additions differs from a plain loop only in
    /// rounding).
    @inline(__always)
    func dot(_ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>, offset: Int, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k + 4 <= count {
            s0 += a[k] * b[offset + k]
            s1 += a[k + 1] * b[offset + k + 1]
            s2 += a[k + 2] * b[offset + k + 2]
            s3 += a[k + 3] * b[offset + k + 3]
            k += 4
        }
        while k < count {
            s0 += a[k] * b[offset + k]
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    deinit {
        for p in [values, events, staffBase, nonStaffBase, fteBase,
                  authorityNPV, authorityCosts, riskOccurrences, rowStaff, rowNonStaff, rowFTE, rowVolume, rowVolumePow, saving,
                  nonStaffRate, cashableShare, sumVolume, sumVolumePow, savingByYear, savingAndGrowth, ramp, growth,
                  realisation, riskCost, operatingRealisation, cashableByYear, nonCashableByYear, releasedByYear,
                  redundancyByYear, perJoinerByYear, factorStaff, factorNonStaff, factorPosts, prefixStaff, prefixNonStaff,
                  cohortStaff, cohortNonStaff, cohortFTE, runningStaff, runningNonStaff, runningFTE, postWeights,
                  savedByFunction, nonCashableShare, fixedStaffBase, fixedNonStaffBase, fixedFTEBase, sharedByYear, weightGrowingByYear, weightFlatByYear, runningGrowing, runningFlat, runningEqual,
                  series, scalars] {
            p.deallocate()
        }
        joinYear.deallocate()
        exitYear.deallocate()
        membersByYear.deallocate()
        exitsByYear.deallocate()
        cohortStart.deallocate()
        cohortFill.deallocate()
        cohortMembers.deallocate()
    }

    @inline(__always) func seriesValue(_ s: YearlySeries, _ t: Int) -> Double { series[s.rawValue * years + t] }
    @inline(__always) func scalar(_ m: ScalarMetric) -> Double { scalars[m.rawValue] }
}
