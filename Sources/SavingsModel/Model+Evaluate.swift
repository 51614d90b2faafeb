import Foundation

/// "Never joins" (or never exits): later than any year index.
let neverYear = Int.max / 4

extension Workspace {
    /// One iteration of the savings model (MODEL.md §3–§8, with the clarifications of §11),
    /// from `values` (scalar inputs) and `events` (event uniforms) to `series`, `scalars`,
    /// `authorityNPV` and `joinYear`. Allocates nothing.
    func evaluate() {
        let m = model
        let T = years
        let n = m.authorityCount
        let functions = m.functionCount
        let df = m.discountFactors

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
        for i in 0..<n {
            var join: Int
            switch m.joins[i] {
            case .year(let parameter):
                join = Swift.max(0, Int(Swift.min(parameter.value(values).rounded(.down), 1e6)))
            case .bass(let u):
                join = Formulas.bassJoinYear(v: events[u], p: p, q: q, ceiling: ceiling) ?? neverYear
            }
            if join != neverYear { join += delay }
            joinYear[i] = join
            earliestJoin = Swift.min(earliestJoin, join)
        }

        // Exit years: E = J + 1 + G, G geometric in the annual hazard.
        if let hazard = m.exitHazard {
            let h = hazard.value(values)
            let offset = m.space.exitOffset
            // The branches of Formulas.geometricFailures(u:hazard:), taken once per iteration,
            // and ln(1 − h) once rather than once per authority.
            let never = h <= 0, immediate = !never && h >= 1
            let logSurvival = never || immediate ? 0 : Foundation.log1p(-h)
            for i in 0..<n {
                if joinYear[i] == neverYear || never {
                    exitYear[i] = neverYear
                } else if immediate {
                    exitYear[i] = joinYear[i] + 1
                } else {
                    exitYear[i] = joinYear[i] + 1 + Formulas.geometricFailures(u: events[offset + i], logSurvival: logSurvival)
                }
            }
        } else {
            for i in 0..<n { exitYear[i] = neverYear }
        }

        // Function-level draws and the ramp table ρ[f](k), k = 0 … T−1.
        for f in 0..<functions {
            saving[f] = m.functionSaving[f].value(values)
            nonStaffRate[f] = m.functionNonStaffSaving[f].value(values)
            cashableShare[f] = m.functionCashableShare[f].value(values)
            nonCashableShare[f] = 1 - cashableShare[f]
            let base = f * T
            switch m.functionRamp[f] {
            case .immediate:
                for k in 0..<T { ramp[base + k] = 1 }
            case .linear(let years):
                let r = years.value(values)
                for k in 0..<T { ramp[base + k] = Formulas.linearRamp(yearsSinceJoining: k, years: r) }
            case .logistic(let midpoint, let steepness):
                let x0 = midpoint.value(values), kappa = steepness.value(values)
                for k in 0..<T { ramp[base + k] = Formulas.logisticRamp(yearsSinceJoining: k, midpoint: x0, steepness: kappa) }
            case .steps(let steps):
                for k in 0..<T { ramp[base + k] = steps[Swift.min(k, steps.count - 1)].value(values) }
            }
        }

        // Baseline rows and each authority's baseline totals.
        // Fixed rows were computed once (Workspace.init); only uncertain rows are drawn.
        for i in 0..<n {
            staffBase[i] = fixedStaffBase[i]
            nonStaffBase[i] = fixedNonStaffBase[i]
            fteBase[i] = fixedFTEBase[i]
            authorityNPV[i] = 0
            authorityCosts[i] = 0
        }
        for r in m.randomRows {
            let i = m.rowAuthority[r]
            let fte = m.rowFTE[r].value(values)
            let staff = fte * m.rowCostPerFTE[r].value(values)
            let nonStaff = m.rowNonStaff[r].value(values)
            rowFTE[r] = fte
            rowStaff[r] = staff
            rowNonStaff[r] = nonStaff
            staffBase[i] += staff
            nonStaffBase[i] += nonStaff
            fteBase[i] += fte
        }
        for i in 0..<n where joinYear[i] < T {
            for s in m.scaleRowRanges[i] {
                let r = m.scaleRows[s]
                // V^β = exp(β ln V); ln V is computed once per run when V is a fixed number.
                let parameter = m.rowVolume[r]
                let v = parameter.value(values)
                rowVolume[r] = v
                let logV = parameter.isRandom ? Foundation.log(v) : m.rowLogVolume[r]
                rowVolumePow[r] = v > 0 ? Foundation.exp(saving[m.rowFunction[r]] * logV) : 0
            }
        }
        var staffTotal = 0.0, nonStaffTotal = 0.0
        for i in 0..<n {
            staffTotal += staffBase[i]
            nonStaffTotal += nonStaffBase[i]
        }

        // Members A(t) = { i : J ≤ t < E }, and exits, counted over each member's years only.
        // A difference array: +1 at J, −1 at E, then running sums (integers, so exact).
        for t in 0..<T {
            membersByYear[t] = 0
            exitsByYear[t] = 0
        }
        for i in 0..<n where joinYear[i] < T {
            membersByYear[joinYear[i]] += 1
            if exitYear[i] < T {
                membersByYear[exitYear[i]] -= 1
                exitsByYear[exitYear[i]] += 1
            }
        }
        for t in stride(from: 1, to: T, by: 1) { membersByYear[t] += membersByYear[t - 1] }

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

        // Saving rates s[f](t). Scale economies sum V and V^β over the year's members with a
        // row for the function: each member adds its row at its join year and takes it away
        // at its exit (a difference array), so a row costs O(1), not O(years).
        for f in 0..<functions where m.functionIsScale[f] {
            for t in 0..<T {
                sumVolume[f * T + t] = 0
                sumVolumePow[f * T + t] = 0
            }
        }
        if m.hasScaleFunctions {
            for i in 0..<n where joinYear[i] < T {
                let join = joinYear[i], end = exitYear[i]
                for s in m.scaleRowRanges[i] {
                    let r = m.scaleRows[s]
                    let f = m.rowFunction[r]
                    sumVolume[f * T + join] += rowVolume[r]
                    sumVolumePow[f * T + join] += rowVolumePow[r]
                    if end < T {
                        sumVolume[f * T + end] -= rowVolume[r]
                        sumVolumePow[f * T + end] -= rowVolumePow[r]
                    }
                }
            }
            for f in 0..<functions where m.functionIsScale[f] {
                for t in 1..<Swift.max(T, 1) {
                    sumVolume[f * T + t] += sumVolume[f * T + t - 1]
                    sumVolumePow[f * T + t] += sumVolumePow[f * T + t - 1]
                }
            }
        }
        for f in 0..<functions {
            if m.functionIsScale[f] {
                for t in 0..<T {
                    savingByYear[f * T + t] = Formulas.scaleSaving(
                        sumVolume: sumVolume[f * T + t], sumVolumePowBeta: sumVolumePow[f * T + t], beta: saving[f])
                }
            } else {
                for t in 0..<T { savingByYear[f * T + t] = saving[f] }
            }
            for t in 0..<T { savingAndGrowth[f * T + t] = savingByYear[f * T + t] * growth[t] }
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
        // the discounted sums (prefix sums of df·MS and df·MN up to its exit) and, when
        // redundancy can cost anything, its cashable posts year by year (a dot product over
        // functions); the consortium's yearly totals from the cohort's running baseline sums
        // (members add their rows at J and take them away at exit). Same sums as adding row
        // by row and year by year, in another order: O(rows + cohorts·functions·years + members·
        // functions·years) multiply-adds, contiguous over functions.
        for t in 0..<T {
            cashableByYear[t] = 0
            nonCashableByYear[t] = 0
            releasedByYear[t] = 0
            redundancyByYear[t] = 0
            perJoinerByYear[t] = 0
        }
        let F = functions
        let redundancyRate = (1 - attrition) * redundancyPerFTE * uplift
        // Members by join year (a counting sort, stable in listed order).
        for t in 0...T { cohortStart[t] = 0 }
        for i in 0..<n where joinYear[i] < T { cohortStart[joinYear[i] + 1] += 1 }
        for t in 0..<T { cohortStart[t + 1] += cohortStart[t] }
        for t in 0...T { cohortFill[t] = cohortStart[t] }
        for i in 0..<n where joinYear[i] < T {
            cohortMembers[cohortFill[joinYear[i]]] = i
            cohortFill[joinYear[i]] += 1
        }
        for join in 0..<T where cohortStart[join + 1] > cohortStart[join] {
            // The cohort's year factors and their discounted prefix sums from J.
            for f in 0..<F {
                prefixStaff[join * F + f] = 0
                prefixNonStaff[join * F + f] = 0
                let rampBase = f * T - join
                for t in join..<T {
                    let rho = ramp[rampBase + t] * operatingRealisation[t]
                    let ms = savingAndGrowth[f * T + t] * rho
                    factorStaff[t * F + f] = ms
                    factorNonStaff[t * F + f] = rho
                    factorPosts[t * F + f] = savingByYear[f * T + t] * rho
                    prefixStaff[(t + 1) * F + f] = prefixStaff[t * F + f] + df[t] * ms
                    prefixNonStaff[(t + 1) * F + f] = prefixNonStaff[t * F + f] + df[t] * rho
                }
            }
            for k in (join * F)..<((T + 1) * F) {
                cohortStaff[k] = 0
                cohortNonStaff[k] = 0
                cohortFTE[k] = 0
            }
            for position in cohortStart[join]..<cohortStart[join + 1] {
                let i = cohortMembers[position]
                let end = Swift.min(exitYear[i], T)
                var savedPV = 0.0
                if redundancyRate != 0 { for f in 0..<F { postWeights[f] = 0 } }
                for r in m.authorityRows[i] {
                    let f = m.rowFunction[r]
                    let staff = rowStaff[r], nonStaff = rowNonStaff[r], fte = rowFTE[r], kappa = cashableShare[f]
                    savedPV += kappa * (staff * prefixStaff[end * F + f] + nonStaffRate[f] * nonStaff * prefixNonStaff[end * F + f])
                    cohortStaff[join * F + f] += staff
                    cohortNonStaff[join * F + f] += nonStaff
                    cohortFTE[join * F + f] += fte
                    cohortStaff[end * F + f] -= staff
                    cohortNonStaff[end * F + f] -= nonStaff
                    cohortFTE[end * F + f] -= fte
                    if redundancyRate != 0 { postWeights[f] += kappa * fte }
                }
                // Redundancy on cashable posts released above the previous peak (which
                // starts at 0), net of attrition; per-joiner lines in the join year.
                var peak = 0.0
                var ownPV = 0.0
                for t in join..<end {
                    var own = 0.0
                    if redundancyRate != 0 {
                        let released = dot(postWeights, factorPosts, offset: t * F, count: F)
                        let rise = released - peak
                        if rise > 0 {
                            own = rise * redundancyRate
                            peak = released
                            redundancyByYear[t] += own
                        }
                    }
                    if t == join {
                        own += perJoinerCost
                        perJoinerByYear[t] += perJoinerCost
                    }
                    ownPV += df[t] * own
                }
                authorityNPV[i] = savedPV - ownPV
                authorityCosts[i] = ownPV
            }
            // The cohort's yearly totals: running baseline sums of its members still in.
            for f in 0..<F {
                runningStaff[f] = 0
                runningNonStaff[f] = 0
                runningFTE[f] = 0
            }
            for t in join..<T {
                let row = t * F
                for f in 0..<F {
                    runningStaff[f] += cohortStaff[row + f]
                    runningNonStaff[f] += cohortNonStaff[row + f]
                    runningFTE[f] += cohortFTE[row + f]
                    savedByFunction[f] = factorStaff[row + f] * runningStaff[f]
                        + nonStaffRate[f] * factorNonStaff[row + f] * runningNonStaff[f]
                }
                let cashable = dot(cashableShare, savedByFunction, offset: 0, count: F)
                cashableByYear[t] += cashable
                nonCashableByYear[t] += dot(nonCashableShare, savedByFunction, offset: 0, count: F)
                releasedByYear[t] += dot(runningFTE, factorPosts, offset: row, count: F)
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
    /// over years of (1+g)^t·D/W and D/W, in O(authorities + years) rather than O(both).
    private func apportionSharedCosts(earliestJoin: Int) {
        let m = model, T = years, n = m.authorityCount
        let byBaseline = m.fixedShareWeights == nil && !m.sharesByFTE
        @inline(__always) func weights(_ i: Int) -> (Double, Double) {
            if let fixed = m.fixedShareWeights { return (0, fixed[i]) }
            return m.sharesByFTE ? (0, fteBase[i]) : (staffBase[i], nonStaffBase[i])
        }
        for t in 0..<T {
            weightGrowingByYear[t] = 0
            weightFlatByYear[t] = 0
        }
        for i in 0..<n where joinYear[i] < T {
            let (a, b) = weights(i)
            for t in joinYear[i]..<Swift.min(exitYear[i], T) {
                weightGrowingByYear[t] += a
                weightFlatByYear[t] += b
            }
        }
        var sumGrowing = 0.0, sumFlat = 0.0, sumEqual = 0.0
        for t in 0..<T {
            runningGrowing[t] = sumGrowing
            runningFlat[t] = sumFlat
            runningEqual[t] = sumEqual
            let d = sharedByYear[t], members = membersByYear[t]
            guard d != 0 && members > 0 else { continue }
            let total = (byBaseline ? weightGrowingByYear[t] * growth[t] : 0) + weightFlatByYear[t]
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
        for i in 0..<n where joinYear[i] < T {
            let (a, b) = weights(i)
            let j = joinYear[i], e = Swift.min(exitYear[i], T)
            let charge = a * (runningGrowing[e] - runningGrowing[j]) + b * (runningFlat[e] - runningFlat[j])
                + (runningEqual[e] - runningEqual[j])
            authorityNPV[i] -= charge
            authorityCosts[i] += charge
        }

        // Years with nobody in membership: the earliest-joining cohort carries the cost.
        for t in 0..<T where membersByYear[t] == 0 && sharedByYear[t] != 0 {
            var total = 0.0, count = 0
            for i in 0..<n where joinYear[i] == earliestJoin {
                let (a, b) = weights(i)
                total += (byBaseline ? a * growth[t] : 0) + b
                count += 1
            }
            for i in 0..<n where joinYear[i] == earliestJoin {
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
