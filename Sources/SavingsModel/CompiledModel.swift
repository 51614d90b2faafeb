import Foundation
import ScenarioFiles
import Stochastics

/// A scenario turned into flat arrays of `Parameter`s, built once per run and shared
/// read-only by every block. The per-iteration code (Model+Evaluate.swift) only indexes
/// into these arrays.
public struct CompiledModel: Sendable {
    public let scenario: Scenario
    public let space: InputSpace

    public var years: Int { scenario.horizonYears }
    public var authorityCount: Int { scenario.authorities.count }
    public var functionCount: Int { scenario.functions.count }
    public var rowCount: Int { rowAuthority.count }

    /// DF(t) for t = 0 … T−1.
    public let discountFactors: [Double]

    // Consortium-wide parameters.
    let realPayGrowth: Parameter
    let delay: Parameter
    let delayCostPerYear: Parameter
    let benefitRealisation: Parameter
    let redundancyCostPerFTE: Parameter
    let attritionAbsorbs: Parameter
    let optimismBias: Parameter
    let exitHazard: Parameter?
    let exitCost: Parameter
    let bassP: Parameter
    let bassQ: Parameter
    let bassCeiling: Parameter

    // Authorities.
    enum Join: Sendable { case year(Parameter), bass(uniform: Int) }
    let joins: [Join]
    /// Position of each Bass joiner among the Bass joiners (for the base case), or −1.
    let bassRank: [Int]
    let bassJoinerCount: Int
    /// Cost-sharing weight basis per authority when it is fixed (population, explicit
    /// weights); `nil` for baseline and fte, which depend on the iteration's draws.
    let fixedShareWeights: [Double]?
    /// True when shared costs are split by total baseline FTE.
    let sharesByFTE: Bool
    let minPartners: Int

    // Baseline rows, grouped by authority.
    /// The rows of authority i are `authorityRows[i]`.
    let authorityRows: [Range<Int>]
    /// Rows with an uncertain FTE, cost per FTE or non-staff cost.
    let randomRows: [Int]
    /// The rows of scale-economy functions, authority by authority: authority i's are
    /// `scaleRows[scaleRowRanges[i]]` (one flat list, so the iteration loop does not touch
    /// an array per authority).
    let scaleRows: [Int]
    let scaleRowRanges: [Range<Int>]
    let rowAuthority: [Int]
    let rowFunction: [Int]
    let rowFTE: [Parameter]
    let rowCostPerFTE: [Parameter]
    let rowNonStaff: [Parameter]
    let rowVolume: [Parameter]
    /// ln V for rows whose volume is a fixed number (scale economies need V^β each iteration).
    let rowLogVolume: [Double]

    // Functions.
    enum Ramp: Sendable {
        case immediate
        case linear(Parameter)
        case logistic(midpoint: Parameter, steepness: Parameter)
        case steps([Parameter])
    }
    let functionSaving: [Parameter]
    let functionIsScale: [Bool]
    /// Whether any function saves by scale economies (then member volumes are summed).
    var hasScaleFunctions: Bool { functionIsScale.contains(true) }
    let functionNonStaffSaving: [Parameter]
    let functionCashableShare: [Parameter]
    let functionRamp: [Ramp]

    // Costs.
    let profiledAmounts: [Parameter]
    /// Share of each profiled line in year t: `profiles[line][t]` (0 beyond the profile).
    let profiles: [[Double]]
    let perJoinerAmounts: [Parameter]
    let ongoingAnnual: [Parameter]
    let ongoingPerMember: [Parameter]

    // Risks.
    let riskProbability: [Parameter]
    let riskCost: [Parameter?]
    let riskFactor: [Parameter?]

    public init(_ scenario: Scenario) throws(ModelError) {
        self.scenario = scenario
        let years = scenario.horizonYears
        var scalars: [Input] = []
        /// Registers an input: a constant when fixed, else the next scalar index.
        func parameter(_ input: Input) -> Parameter {
            if case .fixed(let x) = input.distribution { return .constant(x) }
            scalars.append(input)
            return .input(scalars.count - 1)
        }

        switch scenario.discounting {
        case .greenBook: discountFactors = Formulas.discountFactors(years: years, rate: Formulas.greenBookRate)
        case .constant(let r): discountFactors = Formulas.discountFactors(years: years) { _ in r }
        }

        realPayGrowth = parameter(scenario.realPayGrowth)
        delay = parameter(scenario.delay)
        delayCostPerYear = parameter(scenario.delayCostPerYear)
        benefitRealisation = parameter(scenario.benefitRealisation)
        redundancyCostPerFTE = parameter(scenario.workforce.redundancyCostPerFTE)
        attritionAbsorbs = parameter(scenario.workforce.attritionAbsorbs)
        optimismBias = parameter(scenario.optimismBias)
        if let exit = scenario.exit {
            let h = parameter(exit.annualHazard)
            exitHazard = h.isRandom || h.constant > 0 ? h : nil
            exitCost = parameter(exit.cost)
        } else {
            exitHazard = nil
            exitCost = .constant(0)
        }
        if let bass = scenario.adoption {
            bassP = parameter(bass.p)
            bassQ = parameter(bass.q)
            bassCeiling = parameter(bass.ceiling)
        } else {
            bassP = .constant(0)
            bassQ = .constant(0)
            bassCeiling = .constant(0)
        }

        var joins: [Join] = []
        var bassRank: [Int] = []
        var bassCount = 0
        for authority in scenario.authorities {
            switch authority.joins {
            case .year(let input):
                joins.append(.year(parameter(input)))
                bassRank.append(-1)
            case .adoption:
                joins.append(.bass(uniform: bassCount))
                bassRank.append(bassCount)
                bassCount += 1
            }
        }
        self.joins = joins
        self.bassRank = bassRank
        bassJoinerCount = bassCount

        switch scenario.costSharing {
        case .population: fixedShareWeights = scenario.authorities.map { $0.population ?? 0 }
        case .weights(let w): fixedShareWeights = w
        case .equal: fixedShareWeights = Array(repeating: 1, count: scenario.authorities.count)
        case .baseline, .fte: fixedShareWeights = nil
        }
        sharesByFTE = scenario.costSharing == .fte
        minPartners = scenario.minPartners

        var fSaving: [Parameter] = [], fIsScale: [Bool] = [], fNonStaff: [Parameter] = []
        var fCashable: [Parameter] = [], fRamp: [Ramp] = []
        for function in scenario.functions {
            switch function.saving {
            case .rate(let s):
                fSaving.append(parameter(s))
                fIsScale.append(false)
            case .scale(let beta):
                fSaving.append(parameter(beta))
                fIsScale.append(true)
            }
            fNonStaff.append(parameter(function.nonStaffSaving))
            fCashable.append(parameter(function.cashableShare))
            switch function.ramp {
            case .immediate: fRamp.append(.immediate)
            case .linear(let r): fRamp.append(.linear(parameter(r)))
            case .logistic(let m, let k): fRamp.append(.logistic(midpoint: parameter(m), steepness: parameter(k)))
            case .steps(let a): fRamp.append(.steps(a.map { parameter($0) }))
            }
        }
        functionSaving = fSaving
        functionIsScale = fIsScale
        functionNonStaffSaving = fNonStaff
        functionCashableShare = fCashable
        functionRamp = fRamp

        var rA: [Int] = [], rF: [Int] = [], rFTE: [Parameter] = [], rCPF: [Parameter] = []
        var rNS: [Parameter] = [], rV: [Parameter] = []
        for row in scenario.baseline {
            rA.append(row.authority)
            rF.append(row.function)
            let fte = parameter(row.fte)
            rFTE.append(fte)
            rCPF.append(parameter(row.costPerFTE))
            rNS.append(parameter(row.nonStaff))
            // V defaults to the row's FTE (the same draw, MODEL.md §11).
            rV.append(row.volume.map { parameter($0) } ?? fte)
        }
        // Rows grouped by authority (stable), so one iteration walks each member's rows in
        // one contiguous run. Inputs were registered above in file order, so the draws do
        // not depend on this grouping.
        let order = rA.indices.sorted { rA[$0] != rA[$1] ? rA[$0] < rA[$1] : $0 < $1 }
        rowAuthority = order.map { rA[$0] }
        rowFunction = order.map { rF[$0] }
        rowFTE = order.map { rFTE[$0] }
        rowCostPerFTE = order.map { rCPF[$0] }
        rowNonStaff = order.map { rNS[$0] }
        rowVolume = order.map { rV[$0] }
        rowLogVolume = rowVolume.map { $0.isRandom || !($0.constant > 0) ? 0 : Foundation.log($0.constant) }
        var ranges = [Range<Int>](repeating: 0..<0, count: scenario.authorities.count)
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count && rowAuthority[end] == rowAuthority[start] { end += 1 }
            ranges[rowAuthority[start]] = start..<end
            start = end
        }
        authorityRows = ranges
        // Rows whose FTE, cost per FTE and non-staff cost are all fixed give the same
        // baseline every iteration: the engine copies them instead of recomputing them.
        let (sortedFTE, sortedCPF, sortedNS, sortedF) = (rowFTE, rowCostPerFTE, rowNonStaff, rowFunction)
        randomRows = sortedFTE.indices.filter { sortedFTE[$0].isRandom || sortedCPF[$0].isRandom || sortedNS[$0].isRandom }
        var scale: [Int] = [], scaleRanges: [Range<Int>] = []
        for range in ranges {
            let first = scale.count
            scale += range.filter { fIsScale[sortedF[$0]] }
            scaleRanges.append(first..<scale.count)
        }
        scaleRows = scale
        scaleRowRanges = scaleRanges

        var amounts: [Parameter] = [], profiles: [[Double]] = [], perJoiner: [Parameter] = []
        for line in scenario.oneOffCosts {
            switch line.charge {
            case .profiled(let amount, let profile):
                amounts.append(parameter(amount))
                // Shares beyond the horizon are dropped (MODEL.md §11).
                profiles.append((0..<years).map { $0 < profile.count ? profile[$0] : 0 })
            case .perJoiner(let amount):
                perJoiner.append(parameter(amount))
            }
        }
        profiledAmounts = amounts
        self.profiles = profiles
        perJoinerAmounts = perJoiner

        var annual: [Parameter] = [], perMember: [Parameter] = []
        for line in scenario.ongoingCosts {
            switch line.charge {
            case .annual(let a): annual.append(parameter(a))
            case .perMember(let a): perMember.append(parameter(a))
            }
        }
        ongoingAnnual = annual
        ongoingPerMember = perMember

        riskProbability = scenario.risks.map { parameter($0.annualProbability) }
        riskCost = scenario.risks.map { $0.cost.map { parameter($0) } }
        riskFactor = scenario.risks.map { $0.savingsFactor.map { parameter($0) } }

        space = try InputSpace(
            scalars: scalars, bass: bassCount,
            exit: exitHazard == nil ? 0 : scenario.authorities.count,
            risk: scenario.risks.count * years,
            correlations: scenario.correlations)
    }
}
