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

    /// Function-indexed buffers laid out by year, `[t * paddedFunctions + f]`, are padded to
    /// a multiple of 4 functions so the cohort loops run over whole `SIMD4<Double>` lanes; the
    /// padding lanes hold 0 and are never read into a result (sums over functions stop at F).
    let paddedFunctions: Int
    let hasScaleFunctions: Bool
    /// The authorities that join on the Bass curve (listed order) and the index of each one's
    /// uniform in `events`. (Buffers, not arrays: the optimiser left an array's subscript
    /// out of line in the loop that reads them, a call per read.)
    let bassMembers: UnsafeMutableBufferPointer<Int>
    let bassUniforms: UnsafeMutableBufferPointer<Int>
    /// DF(t), a copy of `model.discountFactors` the loops can index without bounds checks.
    let discount: UnsafeMutableBufferPointer<Double>

    // Per baseline row.
    let rowStaff: UnsafeMutableBufferPointer<Double>
    let rowNonStaff: UnsafeMutableBufferPointer<Double>
    let rowFTE: UnsafeMutableBufferPointer<Double>
    /// The (authority, function) cell of each row, `i * paddedFunctions + f`.
    let rowCell: UnsafeMutableBufferPointer<Int>

    /// Each authority's baseline by function (the sum of its rows for that function — one
    /// row, as the scenario loader requires), `[i * paddedFunctions + f]`: what a member adds
    /// to its cohort's sums. Cells of fixed rows are set once (init); cells of uncertain rows
    /// are reset from `fixedCell…` and redrawn each iteration.
    let cellStaff: UnsafeMutableBufferPointer<Double>
    let cellNonStaff: UnsafeMutableBufferPointer<Double>
    let cellFTE: UnsafeMutableBufferPointer<Double>
    let fixedCellStaff: UnsafeMutableBufferPointer<Double>
    let fixedCellNonStaff: UnsafeMutableBufferPointer<Double>
    let fixedCellFTE: UnsafeMutableBufferPointer<Double>

    /// The scale-economy rows (`model.scaleRows`) on a grid, so that a member's V^β terms
    /// are computed and added up four functions at a time with no gathering: column j of the
    /// grid is scale function `scaleGridFunction[j]` (the scale functions in order, padded
    /// to `scaleWidth`, a whole number of vectors); each authority has
    /// `scaleLayerStart[i + 1] − scaleLayerStart[i]` layers (rows of the grid) — one, or as
    /// many as its most repeated scale function has baseline rows (its first row for a
    /// function in its first layer, the second in the next…), or none without scale rows.
    /// Grid cells without a row hold V = 0, which adds nothing (x + 0 = x: the sums start
    /// at +0 and never become −0).
    let scaleWidth: Int
    let scaleFunctionCount: Int
    let scaleGridFunction: UnsafeMutableBufferPointer<Int>
    let scaleLayerStart: UnsafeMutableBufferPointer<Int>
    /// V and ln V at `[layer * scaleWidth + j]` (ln V = 0 where V ≤ 0: such a row's V^β is
    /// taken as 0). Fixed once; cells whose volume is uncertain (`scaleRandom`: cell, input
    /// index) are set each iteration.
    let scaleVolume: UnsafeMutableBufferPointer<Double>
    let scaleLogVolume: UnsafeMutableBufferPointer<Double>
    let scaleRandom: [(cell: Int, input: Int)]
    /// β of each grid column (padding 0), and one join cohort's Σ V and Σ V^β by grid
    /// column while its members are added up.
    let scaleBeta: UnsafeMutableBufferPointer<Double>
    let scaleCohortVolume: UnsafeMutableBufferPointer<Double>
    let scaleCohortPower: UnsafeMutableBufferPointer<Double>

    // Per function (padded to `paddedFunctions`).
    let saving: UnsafeMutableBufferPointer<Double>
    let nonStaffRate: UnsafeMutableBufferPointer<Double>
    let cashableShare: UnsafeMutableBufferPointer<Double>
    /// Scale-economy sums over each year's members, (Σ V, Σ V^β) at `volumeSums[f * years + t]`
    /// (a pair, so a member's row adds both with one vector addition).
    let volumeSums: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// The saving rate s[f](t) at `savingByYear[t * paddedFunctions + f]`.
    let savingByYear: UnsafeMutableBufferPointer<Double>
    /// s[f](t)·(1 + g)^t, the staff-saving factor of each function-year, laid out as `savingByYear`.
    let savingAndGrowth: UnsafeMutableBufferPointer<Double>
    /// ρ[f](k) at `ramp[k * paddedFunctions + f]`.
    let ramp: UnsafeMutableBufferPointer<Double>

    // Per year.
    /// The Bass CDF F(1) … F(T) and the survival probabilities (1 − h)^1 … (1 − h)^T of the
    /// iteration, against which join years and exit gaps are found (Formulas).
    let bassThresholds: UnsafeMutableBufferPointer<Double>
    let survivalThresholds: UnsafeMutableBufferPointer<Double>
    let growth: UnsafeMutableBufferPointer<Double>
    let realisation: UnsafeMutableBufferPointer<Double>
    let riskCost: UnsafeMutableBufferPointer<Double>
    /// φ(t) in operating years, 0 in years below min_partners.
    let operatingRealisation: UnsafeMutableBufferPointer<Double>
    /// Members in year t, built as running sums of a difference array (+1 at J, −1 at E < T).
    let membersByYear: UnsafeMutableBufferPointer<Int>
    let exitsByYear: UnsafeMutableBufferPointer<Int>
    let cashableByYear: UnsafeMutableBufferPointer<Double>
    let nonCashableByYear: UnsafeMutableBufferPointer<Double>
    let releasedByYear: UnsafeMutableBufferPointer<Double>
    let redundancyByYear: UnsafeMutableBufferPointer<Double>
    let perJoinerByYear: UnsafeMutableBufferPointer<Double>
    /// One authority's cashable savings, cashable FTE released and own costs by year.
    // Join cohorts (members by join year): `cohortStart[J] ..< cohortStart[J + 1]` index
    // `cohortMembers` (J < T; authorities joining later follow from cohortStart[T] on);
    // `cohortFill` is scratch for the counting sort, `yearTallies` for counting join and
    // exit years (four tallies each, years 0 … T).
    let cohortStart: UnsafeMutableBufferPointer<Int>
    let cohortFill: UnsafeMutableBufferPointer<Int>
    let cohortMembers: UnsafeMutableBufferPointer<Int>
    let yearTallies: UnsafeMutableBufferPointer<Int>
    /// A cohort's year factors `[t * paddedFunctions + f]` (MS, MN, MP in Model+Evaluate) and
    /// the discounted prefix sums of κ·MS and κ·σns·MN, t = J … T.
    let factorStaff: UnsafeMutableBufferPointer<Double>
    let factorNonStaff: UnsafeMutableBufferPointer<Double>
    let factorPosts: UnsafeMutableBufferPointer<Double>
    let prefixStaff: UnsafeMutableBufferPointer<Double>
    let prefixNonStaff: UnsafeMutableBufferPointer<Double>
    /// A cohort's baseline staff, non-staff and FTE entering (+) and leaving (−) in year t,
    /// `[t * paddedFunctions + f]`, t = J … T − 1 (leaving at T is past the horizon), and
    /// their running sums over years `[f]`.
    let cohortStaff: UnsafeMutableBufferPointer<Double>
    let cohortNonStaff: UnsafeMutableBufferPointer<Double>
    let cohortFTE: UnsafeMutableBufferPointer<Double>
    let runningStaff: UnsafeMutableBufferPointer<Double>
    let runningNonStaff: UnsafeMutableBufferPointer<Double>
    let runningFTE: UnsafeMutableBufferPointer<Double>
    /// κ[f]·MP, by function: `[f * paddedYears + t]`, so one member's cashable posts released
    /// in four consecutive years are one vector sum over functions (`paddedYears` = T + 3 keeps
    /// its last group of four years inside the buffer).
    let factorPostsByFunction: UnsafeMutableBufferPointer<Double>
    let paddedYears: Int
    /// One member's cashable posts released in each of its years since joining, `[t − J]`.
    let releasedPosts: UnsafeMutableBufferPointer<Double>
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
    /// (growing, flat) weight of each year's members, a pair so both are added at once.
    let weightByYear: UnsafeMutableBufferPointer<SIMD2<Double>>
    /// (growing, flat) weight of the members who join in year J and leave in year E (E = T
    /// for "not within the horizon"), at [J * (T + 1) + E].
    let weightByJoinAndExit: UnsafeMutableBufferPointer<SIMD2<Double>>
    let runningGrowing: UnsafeMutableBufferPointer<Double>
    let runningFlat: UnsafeMutableBufferPointer<Double>
    let runningEqual: UnsafeMutableBufferPointer<Double>
    /// Authority i's cost-sharing weight in year t is shareGrowing[i]·(1+g)^t + shareFlat[i]
    /// (MODEL.md §8): staff and non-staff baseline under `baseline`; 0 and its FTE under
    /// `fte`; 0 and its fixed weight (population, agreed weights, 1 for equal shares)
    /// otherwise. Chosen once here, so the split does not ask which rule applies per member.
    let shareGrowing: UnsafeMutableBufferPointer<Double>
    let shareFlat: UnsafeMutableBufferPointer<Double>
    /// The zeros and the fixed weights those point to when the rule needs them.
    private let shareZeros: UnsafeMutableBufferPointer<Double>
    private let shareFixed: UnsafeMutableBufferPointer<Double>

    /// Output: `series[s * years + t]` for each YearlySeries s.
    let series: UnsafeMutableBufferPointer<Double>
    /// Output: one value per ScalarMetric.
    let scalars: UnsafeMutableBufferPointer<Double>

    init(model: CompiledModel) {
        self.model = model
        years = model.years
        let n = model.authorityCount, r = model.rowCount, t = model.years
        // `f` sizes the function-indexed buffers: F rounded up to whole SIMD4 lanes.
        let f = (model.functionCount + 3) / 4 * 4
        paddedFunctions = f
        hasScaleFunctions = model.hasScaleFunctions
        var members: [Int] = [], uniforms: [Int] = []
        for (i, join) in model.joins.enumerated() {
            if case .bass(let u) = join {
                members.append(i)
                uniforms.append(u)
            }
        }
        func intBuffer(_ values: [Int]) -> UnsafeMutableBufferPointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(values.count, 1))
            p.initialize(from: values, count: values.count)
            return UnsafeMutableBufferPointer(start: p, count: values.count)
        }
        bassMembers = intBuffer(members)
        bassUniforms = intBuffer(uniforms)
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
        discount = doubles(t)
        for k in 0..<t { discount[k] = model.discountFactors[k] }
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
        rowCell = ints(r)
        cellStaff = doubles(n * f)
        cellNonStaff = doubles(n * f)
        cellFTE = doubles(n * f)
        fixedCellStaff = doubles(n * f)
        fixedCellNonStaff = doubles(n * f)
        fixedCellFTE = doubles(n * f)
        // The scale grid: columns for the scale functions, layers per authority.
        let scaleFunctions = (0..<model.functionCount).filter { model.functionIsScale[$0] }
        var gridColumn = [Int](repeating: -1, count: model.functionCount)
        for (j, function) in scaleFunctions.enumerated() { gridColumn[function] = j }
        scaleFunctionCount = scaleFunctions.count
        scaleWidth = (scaleFunctions.count + 3) / 4 * 4
        scaleGridFunction = intBuffer(scaleFunctions)
        // Each scale row's (layer within its authority, column), and each authority's layers.
        var rowPlace: [(layer: Int, column: Int)] = []
        var layerStart = [0]
        for i in 0..<n {
            var seen = [Int](repeating: 0, count: scaleFunctions.count)
            var layers = 0
            for k in model.scaleRowRanges[i] {
                let column = gridColumn[model.rowFunction[model.scaleRows[k]]]
                rowPlace.append((layerStart[i] + seen[column], column))
                seen[column] += 1
                layers = Swift.max(layers, seen[column])
            }
            layerStart.append(layerStart[i] + layers)
        }
        scaleLayerStart = intBuffer(layerStart)
        scaleVolume = doubles(layerStart[n] * scaleWidth)
        scaleLogVolume = doubles(layerStart[n] * scaleWidth)
        scaleBeta = doubles(scaleWidth)
        scaleCohortVolume = doubles(scaleWidth)
        scaleCohortPower = doubles(scaleWidth)
        saving = doubles(f)
        nonStaffRate = doubles(f)
        cashableShare = doubles(f)
        volumeSums = .allocate(capacity: Swift.max(f * t, 1))
        volumeSums.initialize(repeating: .zero)
        savingByYear = doubles(f * t)
        savingAndGrowth = doubles(f * t)
        ramp = doubles(f * t)
        bassThresholds = doubles(t)
        survivalThresholds = doubles(t)
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
        yearTallies = ints(8 * (t + 1))
        factorStaff = doubles(t * f)
        factorNonStaff = doubles(t * f)
        factorPosts = doubles(t * f)
        prefixStaff = doubles((t + 1) * f)
        prefixNonStaff = doubles((t + 1) * f)
        cohortStaff = doubles(t * f)
        cohortNonStaff = doubles(t * f)
        cohortFTE = doubles(t * f)
        runningStaff = doubles(f)
        runningNonStaff = doubles(f)
        runningFTE = doubles(f)
        paddedYears = t + 3
        factorPostsByFunction = doubles(f * (t + 3))
        releasedPosts = doubles(t + 3)
        nonCashableShare = doubles(f)
        fixedStaffBase = doubles(n)
        fixedNonStaffBase = doubles(n)
        fixedFTEBase = doubles(n)
        sharedByYear = doubles(t)
        weightByYear = .allocate(capacity: Swift.max(t, 1))
        weightByYear.initialize(repeating: .zero)
        weightByJoinAndExit = .allocate(capacity: Swift.max(t * (t + 1), 1))
        weightByJoinAndExit.initialize(repeating: .zero)
        runningGrowing = doubles(t + 1)
        runningFlat = doubles(t + 1)
        runningEqual = doubles(t + 1)
        shareZeros = doubles(n)
        shareFixed = doubles(n)
        if let fixed = model.fixedShareWeights {
            for i in 0..<n { shareFixed[i] = fixed[i] }
            (shareGrowing, shareFlat) = (shareZeros, shareFixed)
        } else if model.sharesByFTE {
            (shareGrowing, shareFlat) = (shareZeros, fteBase)
        } else {
            (shareGrowing, shareFlat) = (staffBase, nonStaffBase)
        }
        series = doubles(YearlySeries.allCases.count * t)
        scalars = doubles(ScalarMetric.allCases.count)
        // Fixed rows: their baseline once, here.
        var random = [Bool](repeating: false, count: r)
        for row in model.randomRows { random[row] = true }
        let none = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
        defer { none.deallocate() }
        for row in 0..<r {
            rowCell[row] = model.rowAuthority[row] * f + model.rowFunction[row]
        }
        for row in 0..<r where !random[row] {
            let i = model.rowAuthority[row]
            let (fte, staff, nonStaff) = model.baselineRow(row, none)
            rowFTE[row] = fte
            rowStaff[row] = staff
            rowNonStaff[row] = nonStaff
            fixedStaffBase[i] += staff
            fixedNonStaffBase[i] += nonStaff
            fixedFTEBase[i] += fte
            fixedCellStaff[rowCell[row]] += staff
            fixedCellNonStaff[rowCell[row]] += nonStaff
            fixedCellFTE[rowCell[row]] += fte
        }
        for k in 0..<(n * f) {
            cellStaff[k] = fixedCellStaff[k]
            cellNonStaff[k] = fixedCellNonStaff[k]
            cellFTE[k] = fixedCellFTE[k]
        }
        var randomVolumes: [(cell: Int, input: Int)] = []
        for (k, row) in model.scaleRows.enumerated() {
            let volume = model.rowVolume[row], cell = rowPlace[k].layer * scaleWidth + rowPlace[k].column
            if volume.isRandom {
                randomVolumes.append((cell, volume.index))
            } else {
                scaleVolume[cell] = volume.constant
                scaleLogVolume[cell] = volume.constant > 0 ? model.rowLogVolume[row] : 0
            }
        }
        scaleRandom = randomVolumes
    }

    /// p[k], …, p[k + 3] as one vector.
    @inline(__always)
    static func lanes(_ p: UnsafeMutablePointer<Double>, _ k: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + k).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Stores `x` at p[k], …, p[k + 3].
    @inline(__always)
    static func setLanes(_ p: UnsafeMutablePointer<Double>, _ k: Int, _ x: SIMD4<Double>) {
        UnsafeMutableRawPointer(p + k).storeBytes(of: x, as: SIMD4<Double>.self)
    }

    deinit {
        for p in [scaleVolume, scaleLogVolume, scaleBeta, scaleCohortVolume, scaleCohortPower, bassThresholds, survivalThresholds, discount, values, events, staffBase, nonStaffBase, fteBase,
                  authorityNPV, authorityCosts, riskOccurrences, rowStaff, rowNonStaff, rowFTE, saving,
                  cellStaff, cellNonStaff, cellFTE, fixedCellStaff, fixedCellNonStaff, fixedCellFTE,
                  nonStaffRate, cashableShare, savingByYear, savingAndGrowth, ramp, growth,
                  realisation, riskCost, operatingRealisation, cashableByYear, nonCashableByYear, releasedByYear,
                  redundancyByYear, perJoinerByYear, factorStaff, factorNonStaff, factorPosts, prefixStaff, prefixNonStaff,
                  cohortStaff, cohortNonStaff, cohortFTE, runningStaff, runningNonStaff, runningFTE,
                  factorPostsByFunction, releasedPosts, nonCashableShare, fixedStaffBase, fixedNonStaffBase, fixedFTEBase, sharedByYear, runningGrowing, runningFlat, runningEqual, shareZeros, shareFixed,
                  series, scalars] {
            p.deallocate()
        }
        rowCell.deallocate()
        scaleGridFunction.baseAddress!.deallocate()
        scaleLayerStart.baseAddress!.deallocate()
        volumeSums.deallocate()
        weightByYear.deallocate()
        weightByJoinAndExit.deallocate()
        joinYear.deallocate()
        exitYear.deallocate()
        membersByYear.deallocate()
        exitsByYear.deallocate()
        cohortStart.deallocate()
        cohortFill.deallocate()
        cohortMembers.deallocate()
        yearTallies.deallocate()
        bassMembers.baseAddress!.deallocate()
        bassUniforms.baseAddress!.deallocate()
    }

    @inline(__always) func seriesValue(_ s: YearlySeries, _ t: Int) -> Double { series[s.rawValue * years + t] }
    @inline(__always) func scalar(_ m: ScalarMetric) -> Double { scalars[m.rawValue] }
}
