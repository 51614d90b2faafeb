import Foundation

/// "Never joins" (or never exits): later than any year index.
let neverYear = Int.max / 4

extension CompiledModel {
    /// Baseline row r at the iteration's input values (MODEL.md §3): its FTE, its staff cost
    /// S = FTE × cost per FTE and its non-staff cost G. Fixed rows take it once per workspace,
    /// uncertain rows once per iteration.
    @inline(__always)
    func baselineRow(_ r: Int, _ values: UnsafeMutableBufferPointer<Double>) -> (fte: Double, staff: Double, nonStaff: Double) {
        let fte = rowFTE[r].value(values)
        return (fte, fte * rowCostPerFTE[r].value(values), rowNonStaff[r].value(values))
    }
}

extension Workspace {
    /// One iteration of the savings model (MODEL.md §3–§8, with the clarifications of §11),
    /// from `values` (scalar inputs) and `events` (event uniforms) to `series`, `scalars`,
    /// `authorityNPV` and `joinYear`. Allocates nothing.
    func evaluate() {
        let m = model
        let T = years
        let n = m.authorityCount
        let functions = m.functionCount
        let df = discount

        // Consortium-wide draws.
        let g = m.realPayGrowth.value(values)
        let delay = Swift.max(0, Int(Swift.min(m.delay.value(values).rounded(.down), 1e6)))
        let phi0 = m.benefitRealisation.value(values)
        let redundancyPerFTE = m.redundancyCostPerFTE.value(values)
        let attrition = m.attritionAbsorbs.value(values)
        let uplift = 1 + m.optimismBias.value(values)
        for t in 0..<T { growth[t] = Foundation.pow(1 + g, Double(t)) }

        // Join years (MODEL.md §4, §11): fixed or Bass, then shifted by the delay.
        let p = m.bassP.value(values), q = m.bassQ.value(values), ceiling = m.bassCeiling.value(values)
        var earliestJoin = neverYear
        // F(1) … F(T): a Bass joiner's year by comparisons (Formulas), not a logarithm each.
        let bassThresholdsUsable = !bassMembers.isEmpty && Formulas.bassYearThresholds(p: p, q: q, into: bassThresholds)
        for i in 0..<n {
            var join: Int
            switch m.joins[i] {
            case .year(let parameter):
                join = Swift.max(0, Int(Swift.min(parameter.value(values).rounded(.down), 1e6)))
            case .bass(let u):
                // With the thresholds, Bass joiners are done four at a time below.
                if bassThresholdsUsable { continue }
                join = Formulas.bassJoinYear(v: events[u], p: p, q: q, ceiling: ceiling) ?? neverYear
            }
            if join != neverYear { join += delay }
            joinYear[i] = join
            earliestJoin = Swift.min(earliestJoin, join)
        }
        if bassThresholdsUsable {
            // Four at a time, lanes filled and read at fixed positions (a lane chosen at run
            // time goes through memory); the last one to three one at a time (the same years).
            @inline(__always) func record(_ k: Int, _ year: Int64) {
                let join = year < 0 ? neverYear : Int(year) + delay
                joinYear[bassMembers[k]] = join
                earliestJoin = Swift.min(earliestJoin, join)
            }
            let count = bassMembers.count
            var c = 0
            while c &+ 4 <= count {
                let v = SIMD4(events[bassUniforms[c]], events[bassUniforms[c &+ 1]],
                              events[bassUniforms[c &+ 2]], events[bassUniforms[c &+ 3]])
                let years = Formulas.bassJoinYearsWithinHorizon(v: v, ceiling: ceiling, thresholds: bassThresholds)
                record(c, years[0])
                record(c &+ 1, years[1])
                record(c &+ 2, years[2])
                record(c &+ 3, years[3])
                c &+= 4
            }
            while c < count {
                let year = Formulas.bassJoinYearWithinHorizon(v: events[bassUniforms[c]], ceiling: ceiling,
                                                              thresholds: bassThresholds)
                record(c, year.map { Int64($0) } ?? -1)
                c &+= 1
            }
        }
        // A Bass joiner after the horizon was recorded at year T (plus the delay). Its exact
        // year matters only when nobody joins within the horizon, for then the earliest
        // joiners carry the shared costs (apportionSharedCosts): take the closed form then.
        if bassThresholdsUsable && earliestJoin >= T {
            earliestJoin = neverYear
            for i in 0..<n {
                if case .bass(let u) = m.joins[i], joinYear[i] != neverYear,
                   let exact = Formulas.bassJoinYear(v: events[u], p: p, q: q, ceiling: ceiling) {
                    joinYear[i] = exact + delay
                }
                earliestJoin = Swift.min(earliestJoin, joinYear[i])
            }
        }

        // Exit years: E = J + 1 + G, G geometric in the annual hazard.
        if let hazard = m.exitHazard {
            let h = hazard.value(values)
            let offset = m.space.exitOffset
            // The branches of Formulas.geometricFailures(u:hazard:), taken once per iteration,
            // and ln(1 − h) once rather than once per authority.
            let never = h <= 0, immediate = !never && h >= 1
            let logSurvival = never || immediate ? 0 : Foundation.log1p(-h)
            // (1 − h)^g for g = 1 … T: each gap by comparisons (Formulas), not a logarithm each.
            if !never && !immediate { Formulas.survivalThresholds(logSurvival: logSurvival, into: survivalThresholds) }
            for i in 0..<n {
                if joinYear[i] == neverYear || never {
                    exitYear[i] = neverYear
                } else if immediate {
                    exitYear[i] = joinYear[i] + 1
                } else {
                    exitYear[i] = joinYear[i] + 1 + Formulas.geometricFailuresWithinHorizon(u: events[offset + i],
                                                                                               thresholds: survivalThresholds)
                }
            }
        } else {
            for i in 0..<n { exitYear[i] = neverYear }
        }

        // Function-level draws and the ramp table ρ[f](k), k = 0 … T−1, at [k * Fp + f].
        let F = functions, Fp = paddedFunctions
        for f in 0..<functions {
            saving[f] = m.functionSaving[f].value(values)
            nonStaffRate[f] = m.functionNonStaffSaving[f].value(values)
            cashableShare[f] = m.functionCashableShare[f].value(values)
            nonCashableShare[f] = 1 - cashableShare[f]
            switch m.functionRamp[f] {
            case .immediate:
                for k in 0..<T { ramp[k * Fp + f] = 1 }
            case .linear(let years):
                let r = years.value(values)
                for k in 0..<T { ramp[k * Fp + f] = Formulas.linearRamp(yearsSinceJoining: k, years: r) }
            case .logistic(let midpoint, let steepness):
                let x0 = midpoint.value(values), kappa = steepness.value(values)
                for k in 0..<T { ramp[k * Fp + f] = Formulas.logisticRamp(yearsSinceJoining: k, midpoint: x0, steepness: kappa) }
            case .steps(let steps):
                for k in 0..<T { ramp[k * Fp + f] = steps[Swift.min(k, steps.count - 1)].value(values) }
            }
        }

        // Baseline rows and each authority's baseline totals.
        // Fixed rows were computed once (Workspace.init); only uncertain rows are drawn, and
        // their (authority, function) cells start again from the fixed rows' part.
        for i in 0..<n {
            staffBase[i] = fixedStaffBase[i]
            nonStaffBase[i] = fixedNonStaffBase[i]
            fteBase[i] = fixedFTEBase[i]
            authorityNPV[i] = 0
            authorityCosts[i] = 0
        }
        for r in m.randomRows {
            let c = rowCell[r]
            cellStaff[c] = fixedCellStaff[c]
            cellNonStaff[c] = fixedCellNonStaff[c]
            cellFTE[c] = fixedCellFTE[c]
        }
        for r in m.randomRows {
            let i = m.rowAuthority[r], c = rowCell[r]
            let (fte, staff, nonStaff) = m.baselineRow(r, values)
            rowFTE[r] = fte
            rowStaff[r] = staff
            rowNonStaff[r] = nonStaff
            staffBase[i] += staff
            nonStaffBase[i] += nonStaff
            fteBase[i] += fte
            cellStaff[c] += staff
            cellNonStaff[c] += nonStaff
            cellFTE[c] += fte
        }
        var staffTotal = 0.0, nonStaffTotal = 0.0
        for i in 0..<n {
            staffTotal += staffBase[i]
            nonStaffTotal += nonStaffBase[i]
        }

        // Members A(t) = { i : J ≤ t < E }, exits, and join cohorts (members by join year).
        // One pass tallies each authority's join year and, for a member, its exit year (year
        // T standing for "after the horizon"); then running sums give the members of each
        // year (joins in, exits out: integers, so exact) and where each cohort starts.
        // Four interleaved tallies: successive authorities mostly share a year, and one
        // tally would make each increment wait for the one before.
        let slots = T + 1
        for k in 0..<(8 * slots) { yearTallies[k] = 0 }
        for i in 0..<n {
            let join = Swift.min(joinYear[i], T)
            let exit = join < T ? Swift.min(exitYear[i], T) : T
            let lane = (i & 3) &* slots
            yearTallies[lane &+ join] += 1
            yearTallies[4 &* slots &+ lane &+ exit] += 1
        }
        var members = 0, cohortEnd = 0
        for t in 0..<T {
            let joins = (yearTallies[t] + yearTallies[slots + t]) + (yearTallies[2 * slots + t] + yearTallies[3 * slots + t])
            let exitsPart = 4 * slots + t
            let exits = (yearTallies[exitsPart] + yearTallies[exitsPart + slots])
                + (yearTallies[exitsPart + 2 * slots] + yearTallies[exitsPart + 3 * slots])
            cohortStart[t] = cohortEnd
            cohortFill[t] = cohortEnd
            cohortEnd += joins
            members += joins - exits
            membersByYear[t] = members
            exitsByYear[t] = exits
        }
        cohortStart[T] = cohortEnd
        cohortFill[T] = cohortEnd
        // The counting sort, stable in listed order; authorities joining after the horizon
        // go after cohortStart[T] (no branch for them; nothing reads them there).
        for i in 0..<n {
            let join = Swift.min(joinYear[i], T)
            cohortMembers[cohortFill[join]] = i
            cohortFill[join] += 1
        }

        // Risk events (MODEL.md §7): event in year t strikes when its uniform u > 1 − p; a
        // savings factor applies from that year on, compounding.
        var factor = 1.0
        var riskEvents = 0
        for r in 0..<m.riskProbability.count { riskOccurrences[r] = 0 }
        let riskOffset = m.space.riskOffset
        for t in 0..<T {
            var cost = 0.0
            for r in 0..<m.riskProbability.count where events[riskOffset + r * T + t] > 1 - m.riskProbability[r].value(values) {
                riskEvents += 1
                riskOccurrences[r] += 1
                if let c = m.riskCost[r] { cost += c.value(values) }
                if let s = m.riskFactor[r] { factor *= s.value(values) }
            }
            riskCost[t] = cost
            realisation[t] = phi0 * factor
            // Below min_partners nothing is saved or released that year (MODEL.md §11).
            operatingRealisation[t] = membersByYear[t] >= m.minPartners ? realisation[t] : 0
        }

        // Saving rates s[f](t). Scale economies (MODEL.md §5) sum V and V^β over the year's
        // members with a row for the function: each member adds its row at its join year and
        // takes it away at its exit (a difference array), so a row costs O(1), not O(years).
        if hasScaleFunctions {
            for f in 0..<functions where m.functionIsScale[f] {
                for t in 0..<T { volumeSums[f * T + t] = .zero }
            }
            let sums = volumeSums.baseAddress!
            for (cell, input) in scaleRandom {
                let v = values[input]
                scaleVolume[cell] = v
                scaleLogVolume[cell] = v > 0 ? Foundation.log(v) : 0
            }
            let W = scaleWidth, S = scaleFunctionCount
            let volumeP = scaleVolume.baseAddress!, logP = scaleLogVolume.baseAddress!
            let betaP = scaleBeta.baseAddress!, cohortVP = scaleCohortVolume.baseAddress!
            let cohortPP = scaleCohortPower.baseAddress!, gridFunction = scaleGridFunction.baseAddress!
            for j in 0..<S { betaP[j] = saving[gridFunction[j]] }
            // Cohort by cohort: each member's grid layers, four scale functions at a time —
            // V^β = exp(β ln V) (0 where V ≤ 0), Σ V and Σ V^β added up by function (in listed
            // order) and entered at the join year in one go, each exit taken away at its year.
            // V^β only for members within the horizon.
            for join in 0..<T where cohortStart[join + 1] > cohortStart[join] {
                for c4 in 0..<(W / 4) {
                    Self.setLanes(cohortVP, c4 &* 4, .zero)
                    Self.setLanes(cohortPP, c4 &* 4, .zero)
                }
                for position in cohortStart[join]..<cohortStart[join + 1] {
                    let i = cohortMembers[position]
                    let end = exitYear[i], leaves = end < T
                    for layer in scaleLayerStart[i]..<scaleLayerStart[i + 1] {
                        for c4 in 0..<(W / 4) {
                            let c = c4 &* 4, cell = layer &* W &+ c
                            let v = Self.lanes(volumeP, cell)
                            let power = FastExp.exp(Self.lanes(betaP, c) * Self.lanes(logP, cell))
                                .replacing(with: 0, where: .!(v .> 0))
                            Self.setLanes(cohortVP, c, Self.lanes(cohortVP, c) + v)
                            Self.setLanes(cohortPP, c, Self.lanes(cohortPP, c) + power)
                            if leaves {
                                for lane in 0..<Swift.min(4, S &- c) {
                                    sums[gridFunction[c &+ lane] &* T &+ end] -= SIMD2(v[lane], power[lane])
                                }
                            }
                        }
                    }
                }
                for j in 0..<S { sums[gridFunction[j] &* T &+ join] += SIMD2(cohortVP[j], cohortPP[j]) }
            }
            for f in 0..<functions where m.functionIsScale[f] {
                for t in 1..<Swift.max(T, 1) { volumeSums[f * T + t] += volumeSums[f * T + t - 1] }
            }
        }
        for f in 0..<functions {
            if m.functionIsScale[f] {
                for t in 0..<T {
                    let sum = volumeSums[f * T + t]
                    savingByYear[t * Fp + f] = Formulas.scaleSaving(sumVolume: sum.x, sumVolumePowBeta: sum.y, beta: saving[f])
                }
            } else {
                for t in 0..<T { savingByYear[t * Fp + f] = saving[f] }
            }
            for t in 0..<T { savingAndGrowth[t * Fp + f] = savingByYear[t * Fp + f] * growth[t] }
        }

        // Consortium-wide cost draws (one draw per iteration each, MODEL.md §11).
        var perJoinerCost = 0.0
        for a in m.perJoinerAmounts { perJoinerCost += a.value(values) }
        perJoinerCost *= uplift
        let exitCost = m.exitCost.value(values)
        var ongoingAnnual = 0.0
        for a in m.ongoingAnnual { ongoingAnnual += a.value(values) }
        var ongoingPerMember = 0.0
        for a in m.ongoingPerMember { ongoingPerMember += a.value(values) }
        let delayCost = m.delayCostPerYear.value(values) * Double(delay)

        // Savings, FTE released and each authority's own costs (MODEL.md §5, §6). For member
        // i in year t, k = t − J years after joining, row (i, f):
        //   saving = (S·(1+g)^t·s[f](t) + G·σns[f]) · ρ[f](k) · φ(t),  cashable = κ[f]·saving,
        //   FTE released = fte·s[f](t)·ρ[f](k)·φ(t).
        // Members who join in the same year J share the year factors
        //   MS[t][f] = (1+g)^t·s[f](t)·ρ[f](t − J)·φ(t),  MN[t][f] = ρ[f](t − J)·φ(t),
        //   MP[t][f] = s[f](t)·ρ[f](t − J)·φ(t),
        // so the work is arranged by join cohort: the factors once per cohort; per member only
        // the discounted sums (prefix sums of df·κ·MS and df·κ·σns·MN up to its exit, so its
        // cashable saving is Σ_f S·ΣκMS + G·ΣκσnsMN) and, when redundancy can cost anything,
        // its cashable posts year by year (a dot product of its FTE with κ·MP over functions);
        // the consortium's yearly totals from the cohort's running baseline sums
        // (members add their rows at J and take them away at exit). Same sums as adding row
        // by row and year by year, in another order: O(rows + cohorts·functions·years + members·
        // functions·years) multiply-adds, contiguous over functions.
        //
        // Everything indexed by function is laid out [year * Fp + f] and computed four
        // functions at a time (SIMD4 lanes). Each lane does the same operations in the same
        // order as one function of a scalar loop, so the vectors change the instruction count,
        // not the numbers. A sum over functions (posts released, a cohort-year's cashable and
        // non-cashable saving) keeps one fixed order, "the four-sum order": sum j (j = 0 … 3)
        // adds the products of functions k ≡ j (mod 4) from the whole groups of four, sum 0
        // then the remaining F mod 4 products one by one, and the total is (s0 + s1) + (s2 + s3)
        // (four independent additions per step; it differs from a plain loop only in rounding).
        // A member's discounted saving is summed over its functions in the same lane order,
        // the padding lanes (zeros) included.
        // Vector loops count groups of four (`for c4 in 0..<(Fp / 4)`) rather than use
        // `stride(from:to:by:)`, whose iterator Swift 6.3 leaves out of line: a call per step.
        for t in 0..<T {
            cashableByYear[t] = 0
            nonCashableByYear[t] = 0
            releasedByYear[t] = 0
            redundancyByYear[t] = 0
            perJoinerByYear[t] = 0
        }
        let redundancyRate = (1 - attrition) * redundancyPerFTE * uplift
        let rampP = ramp.baseAddress!, growthSavingP = savingAndGrowth.baseAddress!
        let savingP = savingByYear.baseAddress!
        let msP = factorStaff.baseAddress!, mnP = factorNonStaff.baseAddress!, mpP = factorPosts.baseAddress!
        let psP = prefixStaff.baseAddress!, pnP = prefixNonStaff.baseAddress!
        let csP = cohortStaff.baseAddress!, cnP = cohortNonStaff.baseAddress!, cfP = cohortFTE.baseAddress!
        let rsP = runningStaff.baseAddress!, rnP = runningNonStaff.baseAddress!, rfP = runningFTE.baseAddress!
        let kappaP = cashableShare.baseAddress!, otherP = nonCashableShare.baseAddress!
        let rateP = nonStaffRate.baseAddress!
        let staffP = cellStaff.baseAddress!, nonStaffP = cellNonStaff.baseAddress!, fteP = cellFTE.baseAddress!
        let postsP = factorPostsByFunction.baseAddress!, releasedP = releasedPosts.baseAddress!
        let Tp = paddedYears
        for join in 0..<T where cohortStart[join + 1] > cohortStart[join] {
            // The cohort's year factors and their discounted prefix sums from J.
            for c4 in 0..<(Fp / 4) {
                let c = c4 &* 4
                Self.setLanes(psP, join * Fp + c, .zero)
                Self.setLanes(pnP, join * Fp + c, .zero)
            }
            for t in join..<T {
                let row = t * Fp, rampRow = (t - join) * Fp
                let phi = SIMD4(repeating: operatingRealisation[t]), d = SIMD4(repeating: discount[t])
                for c4 in 0..<(Fp / 4) {
                    let c = c4 &* 4
                    let rho = Self.lanes(rampP, rampRow + c) * phi
                    let ms = Self.lanes(growthSavingP, row + c) * rho
                    Self.setLanes(msP, row + c, ms)
                    Self.setLanes(mnP, row + c, rho)
                    let mp = Self.lanes(savingP, row + c) * rho
                    Self.setLanes(mpP, row + c, mp)
                    // The cashable share κ (and the non-staff rate) taken into the member's
                    // sums here, once per cohort year, rather than once per member.
                    let kappa = Self.lanes(kappaP, c)
                    Self.setLanes(psP, row + Fp + c, Self.lanes(psP, row + c) + d * (kappa * ms))
                    Self.setLanes(pnP, row + Fp + c, Self.lanes(pnP, row + c) + d * (kappa * Self.lanes(rateP, c) * rho))
                    if redundancyRate != 0 {
                        let cashablePosts = kappa * mp
                        let column = postsP + (c &* Tp &+ t)
                        column[0] = cashablePosts[0]
                        column[Tp] = cashablePosts[1]
                        column[Tp &* 2] = cashablePosts[2]
                        column[Tp &* 3] = cashablePosts[3]
                    }
                }
            }
            for k4 in ((join * Fp) / 4)..<((T * Fp) / 4) {
                let k = k4 &* 4
                Self.setLanes(csP, k, .zero)
                Self.setLanes(cnP, k, .zero)
                Self.setLanes(cfP, k, .zero)
            }
            for position in cohortStart[join]..<cohortStart[join + 1] {
                let i = cohortMembers[position]
                let end = Swift.min(exitYear[i], T)
                // Per function: κ·(staff·ΣMS + σns·G·ΣMN) over its member years, the cohort
                // sums entering at J and leaving at the exit, and κ·fte (cashable posts).
                let cell = i * Fp, enter = join * Fp, leave = end * Fp
                var savedLanes = SIMD4<Double>.zero
                for c4 in 0..<(Fp / 4) {
                    let c = c4 &* 4
                    let staff = Self.lanes(staffP, cell + c), nonStaff = Self.lanes(nonStaffP, cell + c)
                    let fte = Self.lanes(fteP, cell + c)
                    savedLanes += staff * Self.lanes(psP, leave + c) + nonStaff * Self.lanes(pnP, leave + c)
                    Self.setLanes(csP, enter + c, Self.lanes(csP, enter + c) + staff)
                    Self.setLanes(cnP, enter + c, Self.lanes(cnP, enter + c) + nonStaff)
                    Self.setLanes(cfP, enter + c, Self.lanes(cfP, enter + c) + fte)
                    // Year T is past the horizon: nobody reads what leaves then.
                    if end < T {
                        Self.setLanes(csP, leave + c, Self.lanes(csP, leave + c) - staff)
                        Self.setLanes(cnP, leave + c, Self.lanes(cnP, leave + c) - nonStaff)
                        Self.setLanes(cfP, leave + c, Self.lanes(cfP, leave + c) - fte)
                    }
                }
                // Summed over functions lane by lane (padding lanes hold +0), then the lanes.
                let savedPV = (savedLanes[0] + savedLanes[1]) + (savedLanes[2] + savedLanes[3])
                // Redundancy on cashable posts released above the previous peak (which
                // starts at 0), net of attrition; per-joiner lines in the join year.
                // Posts released in year t, Σ_f fte[f]·κ[f]MP[t][f] in the four-sum order, four
                // years at a time (lane t of sum j is year t's sum j).
                if redundancyRate != 0 {
                    // (Index arithmetic wraps: every index is below the buffers' sizes.)
                    let weightsP = fteP + cell
                    for c4 in 0..<((end &- join &+ 3) / 4) {
                        let c = c4 &* 4
                        var column = postsP + (join &+ c)
                        var s0 = SIMD4<Double>.zero, s1 = SIMD4<Double>.zero
                        var s2 = SIMD4<Double>.zero, s3 = SIMD4<Double>.zero
                        var f = 0
                        while f &+ 4 <= F {
                            s0 += SIMD4(repeating: weightsP[f]) * Self.lanes(column, 0)
                            s1 += SIMD4(repeating: weightsP[f &+ 1]) * Self.lanes(column, Tp)
                            s2 += SIMD4(repeating: weightsP[f &+ 2]) * Self.lanes(column, Tp &* 2)
                            s3 += SIMD4(repeating: weightsP[f &+ 3]) * Self.lanes(column, Tp &* 3)
                            column += Tp &* 4
                            f &+= 4
                        }
                        while f < F {
                            s0 += SIMD4(repeating: weightsP[f]) * Self.lanes(column, 0)
                            column += Tp
                            f &+= 1
                        }
                        Self.setLanes(releasedP, c, (s0 + s1) + (s2 + s3))
                    }
                }
                // The join year (own costs: redundancy, then the per-joiner lines), then the
                // later years, where a year with no rise costs nothing and adds nothing to
                // ownPV (ownPV + 0 is ownPV: it starts at +0 and a sum is never −0).
                // Without a branch per year (whether posts rise is data, so it was mispredicted):
                // the new peak is max(peak, released), and a year without a rise adds
                // (peak − peak)·rate = ±0, which leaves every sum as it was.
                var peak = 0.0
                var own = 0.0
                if redundancyRate != 0 {
                    let next = Swift.max(peak, releasedP[0])
                    own = (next - peak) * redundancyRate
                    peak = next
                    redundancyByYear[join] += own
                }
                own += perJoinerCost
                perJoinerByYear[join] += perJoinerCost
                var ownPV = 0.0 + discount[join] * own
                if redundancyRate != 0 {
                    for t in (join + 1)..<end {
                        let next = Swift.max(peak, releasedP[t &- join])
                        let cost = (next - peak) * redundancyRate
                        peak = next
                        redundancyByYear[t] += cost
                        ownPV += discount[t] * cost
                    }
                }
                authorityNPV[i] = savedPV - ownPV
                authorityCosts[i] = ownPV
            }
            // The cohort's yearly totals: running baseline sums of its members still in.
            for c4 in 0..<(Fp / 4) {
                let c = c4 &* 4
                Self.setLanes(rsP, c, .zero)
                Self.setLanes(rnP, c, .zero)
                Self.setLanes(rfP, c, .zero)
            }
            // Per year three sums over functions in the four-sum order (cashable, non-cashable,
            // posts released; lane j is sum j), taken while the running sums are updated.
            let whole = F / 4 * 4
            for t in join..<T {
                let row = t * Fp
                var cash = SIMD4<Double>.zero, other = SIMD4<Double>.zero, posts = SIMD4<Double>.zero
                for c4 in 0..<(Fp / 4) {
                    let c = c4 &* 4
                    let staff = Self.lanes(rsP, c) + Self.lanes(csP, row + c)
                    let nonStaff = Self.lanes(rnP, c) + Self.lanes(cnP, row + c)
                    let fte = Self.lanes(rfP, c) + Self.lanes(cfP, row + c)
                    Self.setLanes(rsP, c, staff)
                    Self.setLanes(rnP, c, nonStaff)
                    Self.setLanes(rfP, c, fte)
                    let saved = Self.lanes(msP, row + c) * staff + Self.lanes(rateP, c) * Self.lanes(mnP, row + c) * nonStaff
                    let cashPart = Self.lanes(kappaP, c) * saved, otherPart = Self.lanes(otherP, c) * saved
                    let postsPart = fte * Self.lanes(mpP, row + c)
                    if c < whole {
                        cash += cashPart
                        other += otherPart
                        posts += postsPart
                    } else {
                        var cash0 = cash[0], other0 = other[0], posts0 = posts[0]
                        for lane in 0..<(F - c) {
                            cash0 += cashPart[lane]
                            other0 += otherPart[lane]
                            posts0 += postsPart[lane]
                        }
                        cash[0] = cash0
                        other[0] = other0
                        posts[0] = posts0
                    }
                }
                cashableByYear[t] += (cash[0] + cash[1]) + (cash[2] + cash[3])
                nonCashableByYear[t] += (other[0] + other[1]) + (other[2] + other[3])
                releasedByYear[t] += (posts[0] + posts[1]) + (posts[2] + posts[3])
            }
        }

        // Year by year: shared costs, their split, and the consortium's totals.
        var operatingStarted = false
        var cumulativeNet = 0.0, cumulativeDiscounted = 0.0, cumulativeCosts = 0.0
        var payback = -1, discountedPayback = -1
        var pvCashable = 0.0, pvCosts = 0.0, npvFinancial = 0.0, npvEconomic = 0.0
        var oneOffTotal = 0.0, redundancyTotal = 0.0, costTotal = 0.0
        var exits = 0
        for t in 0..<T {
            let members = membersByYear[t]
            operatingStarted = operatingStarted || members >= m.minPartners
            let cashable = cashableByYear[t]
            let nonCashable = nonCashableByYear[t]
            let redundancy = redundancyByYear[t], perJoiner = perJoinerByYear[t]

            var profiled = 0.0
            for (line, amount) in m.profiledAmounts.enumerated() { profiled += amount.value(values) * m.profiles[line][t] }
            profiled *= uplift
            let oneOff = profiled + perJoiner + (t == 0 ? delayCost : 0)
            let ongoing = (operatingStarted ? ongoingAnnual : 0) + ongoingPerMember * Double(members)
            exits += exitsByYear[t]
            let exitCosts = exitCost * Double(exitsByYear[t])
            let shared = profiled + (t == 0 ? delayCost : 0) + ongoing + riskCost[t] + exitCosts
            sharedByYear[t] = shared * df[t]

            // The year's totals (MODEL.md §8).
            let costs = oneOff + redundancy + ongoing + riskCost[t] + exitCosts
            let net = cashable - costs
            cumulativeNet += net
            cumulativeCosts += costs
            cumulativeDiscounted += df[t] * net
            if payback < 0 && cumulativeCosts > 0 && cumulativeNet >= 0 { payback = t }
            if discountedPayback < 0 && cumulativeCosts > 0 && cumulativeDiscounted >= 0 { discountedPayback = t }
            pvCashable += df[t] * cashable
            pvCosts += df[t] * costs
            npvFinancial += df[t] * net
            npvEconomic += df[t] * (net + nonCashable)
            oneOffTotal += oneOff + redundancy
            redundancyTotal += redundancy
            costTotal += costs

            let baseline = staffTotal * growth[t] + nonStaffTotal
            store(.cashableSavings, t, cashable)
            store(.nonCashableSavings, t, nonCashable)
            store(.oneOffCosts, t, oneOff)
            store(.redundancyCosts, t, redundancy)
            store(.ongoingCosts, t, ongoing)
            store(.riskCosts, t, riskCost[t])
            store(.exitCosts, t, exitCosts)
            store(.totalCosts, t, costs)
            store(.netFinancial, t, net)
            store(.netEconomic, t, net + nonCashable)
            store(.cumulativeNetFinancial, t, cumulativeNet)
            store(.discountedNetFinancial, t, df[t] * net)
            store(.cumulativeDiscountedNetFinancial, t, cumulativeDiscounted)
            store(.members, t, Double(members))
            store(.fteReleased, t, releasedByYear[t])
            store(.baselineCost, t, baseline)
            store(.efficiency, t, baseline > 0 ? (cashable + nonCashable) / baseline : 0)
        }

        apportionSharedCosts(earliestJoin: earliestJoin)

        var joined = 0, everyoneGains = true
        for i in 0..<n where joinYear[i] < T {
            joined += 1
            if !(authorityNPV[i] > 0) { everyoneGains = false }
        }
        let last = T - 1
        set(.npvFinancial, npvFinancial)
        set(.npvEconomic, npvEconomic)
        set(.bcr, pvCosts > 0 ? pvCashable / pvCosts : .nan)
        set(.pvCashableSavings, pvCashable)
        set(.pvCosts, pvCosts)
        set(.paybackYear, payback >= 0 ? Double(payback) : .nan)
        set(.discountedPaybackYear, discountedPayback >= 0 ? Double(discountedPayback) : .nan)
        set(.finalYearCashableSaving, seriesValue(.cashableSavings, last))
        set(.finalYearNonCashableSaving, seriesValue(.nonCashableSavings, last))
        set(.fteReleasedFinalYear, seriesValue(.fteReleased, last))
        set(.oneOffCosts, oneOffTotal)
        set(.redundancyCosts, redundancyTotal)
        set(.totalCosts, costTotal)
        set(.cumulativeNetFinancial, cumulativeNet)
        set(.membersFinalYear, seriesValue(.members, last))
        set(.membersJoined, Double(joined))
        set(.delayYears, Double(delay))
        set(.riskEvents, Double(riskEvents))
        set(.exits, Double(exits))
        set(.everyPartnerGains, joined > 0 && everyoneGains ? 1 : 0)
    }

    /// Charges each year's discounted shared cost to the authorities' NPVs (MODEL.md §8,
    /// §11): split over the year's members by the cost-sharing weights (equal shares when
    /// the weights sum to 0); in a year with no members, over the earliest-joining cohort
    /// (everyone, if nobody ever joins).
    ///
    /// A member's weight is a·(1+g)^t + b: a = its staff cost and b = its non-staff cost
    /// under `baseline`, a = 0 and b = its population, FTE or agreed weight otherwise. So
    /// with W(t) the members' total weight and D(t) the year's discounted shared cost, member
    /// i pays Σ over its member years of (a·(1+g)^t + b)·D(t)/W(t) — found from running sums
    /// over years of (1+g)^t·D/W and D/W, in O(authorities + years²) rather than
    /// O(authorities × years).
    private func apportionSharedCosts(earliestJoin: Int) {
        let m = model, T = years, n = m.authorityCount
        let byBaseline = m.fixedShareWeights == nil && !m.sharesByFTE
        let growingP = shareGrowing.baseAddress!, flatP = shareFlat.baseAddress!
        @inline(__always) func weights(_ i: Int) -> (Double, Double) { (growingP[i], flatP[i]) }
        // W(t) = Σ over members of year t. Members are first added up by (join year, exit
        // year) — O(authorities) — and then W(t) = Σ_{J ≤ t} Σ_{E > t} of those totals, in
        // O(T²) rather than a loop over every member year. Only additions: weights are never
        // negative, so W(t) is exactly 0 when every member's weight is 0 (a difference array,
        // adding at J and subtracting at E, could leave a rounding residue there).
        // Cohort by cohort (members in listed order); the members still in at the horizon,
        // most of them, are added up in a register, the few who leave earlier in memory.
        let stride = T + 1
        for k in 0..<(T * stride) { weightByJoinAndExit[k] = .zero }
        for join in 0..<T where cohortStart[join + 1] > cohortStart[join] {
            var stay = SIMD2<Double>.zero
            for position in cohortStart[join]..<cohortStart[join + 1] {
                let i = cohortMembers[position]
                let (a, b) = weights(i)
                if exitYear[i] < T {
                    weightByJoinAndExit[join &* stride &+ exitYear[i]] += SIMD2(a, b)
                } else {
                    stay += SIMD2(a, b)
                }
            }
            weightByJoinAndExit[join &* stride &+ T] += stay
        }
        // In place, [J * stride + t] becomes Σ_{E > t} of cohort J's totals, for t = T−1 … J.
        for j in 0..<T {
            let row = weightByJoinAndExit.baseAddress! + j * stride
            var sum = SIMD2<Double>.zero, next = row[T]
            var t = T - 1
            while t >= j {
                sum += next
                next = row[t]
                row[t] = sum
                t -= 1
            }
        }
        for t in 0..<T {
            var total = SIMD2<Double>.zero
            for j in 0...t { total += weightByJoinAndExit[j * stride + t] }
            weightByYear[t] = total
        }
        var sumGrowing = 0.0, sumFlat = 0.0, sumEqual = 0.0
        for t in 0..<T {
            runningGrowing[t] = sumGrowing
            runningFlat[t] = sumFlat
            runningEqual[t] = sumEqual
            let d = sharedByYear[t], members = membersByYear[t]
            guard d != 0 && members > 0 else { continue }
            let total = (byBaseline ? weightByYear[t].x * growth[t] : 0) + weightByYear[t].y
            if total > 0 {
                sumGrowing += growth[t] * d / total
                sumFlat += d / total
            } else {
                sumEqual += d / Double(members)
            }
        }
        runningGrowing[T] = sumGrowing
        runningFlat[T] = sumFlat
        runningEqual[T] = sumEqual
        for position in 0..<cohortStart[T] {
            let i = cohortMembers[position]
            let (a, b) = weights(i)
            let j = joinYear[i], e = Swift.min(exitYear[i], T)
            let charge = a * (runningGrowing[e] - runningGrowing[j]) + b * (runningFlat[e] - runningFlat[j])
                + (runningEqual[e] - runningEqual[j])
            authorityNPV[i] -= charge
            authorityCosts[i] += charge
        }

        // Years with nobody in membership: the earliest-joining cohort carries the cost. When
        // it joins within the horizon it is a join cohort already listed (in listed order).
        // Otherwise (nobody joins within the horizon) every authority is scanned.
        let listed = earliestJoin < T
        let earliestRange = listed ? cohortStart[earliestJoin]..<cohortStart[earliestJoin + 1] : 0..<n
        @inline(__always) func earliest(_ k: Int) -> Int { listed ? cohortMembers[k] : k }
        for t in 0..<T where membersByYear[t] == 0 && sharedByYear[t] != 0 {
            var total = 0.0, count = 0
            for k in earliestRange where joinYear[earliest(k)] == earliestJoin {
                let (a, b) = weights(earliest(k))
                total += (byBaseline ? a * growth[t] : 0) + b
                count += 1
            }
            for k in earliestRange where joinYear[earliest(k)] == earliestJoin {
                let i = earliest(k)
                let (a, b) = weights(i)
                let w = (byBaseline ? a * growth[t] : 0) + b
                let charge = (total > 0 ? w / total : 1 / Double(count)) * sharedByYear[t]
                authorityNPV[i] -= charge
                authorityCosts[i] += charge
            }
        }
    }

    @inline(__always) private func store(_ s: YearlySeries, _ t: Int, _ x: Double) { series[s.rawValue * years + t] = x }
    @inline(__always) private func set(_ metric: ScalarMetric, _ x: Double) { scalars[metric.rawValue] = x }
}
