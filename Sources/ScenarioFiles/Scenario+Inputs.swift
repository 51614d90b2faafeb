extension Scenario {
    /// Every input of the scenario, fixed or random, defaults included, each with its
    /// canonical path, in a stable order: real pay growth, authority joins, baseline rows
    /// (fte, cost_per_fte, non_staff, volume), functions (saving, non_staff_saving,
    /// cashable_share, ramp parameters), adoption, delay, delay cost, exit, benefit
    /// realisation, workforce, one-off costs, ongoing costs, optimism bias, risks.
    /// Correlations are checked against the random ones.
    public var allInputs: [Input] {
        var inputs: [Input] = [realPayGrowth]
        for authority in authorities {
            if case .year(let joins) = authority.joins { inputs.append(joins) }
        }
        for row in baseline {
            inputs += [row.fte, row.costPerFTE, row.nonStaff]
            if let volume = row.volume { inputs.append(volume) }
        }
        for function in functions {
            switch function.saving {
            case .rate(let rate): inputs.append(rate)
            case .scale(let elasticity): inputs.append(elasticity)
            }
            inputs += [function.nonStaffSaving, function.cashableShare]
            switch function.ramp {
            case .immediate: break
            case .linear(let years): inputs.append(years)
            case .logistic(let midpoint, let steepness): inputs += [midpoint, steepness]
            case .steps(let steps): inputs += steps
            }
        }
        if let adoption { inputs += [adoption.p, adoption.q, adoption.ceiling] }
        inputs += [delay, delayCostPerYear]
        if let exit { inputs += [exit.annualHazard, exit.cost] }
        inputs += [benefitRealisation, workforce.redundancyCostPerFTE, workforce.attritionAbsorbs]
        for cost in oneOffCosts {
            switch cost.charge {
            case .profiled(let amount, _): inputs.append(amount)
            case .perJoiner(let amount): inputs.append(amount)
            }
        }
        for cost in ongoingCosts {
            switch cost.charge {
            case .annual(let amount): inputs.append(amount)
            case .perMember(let amount): inputs.append(amount)
            }
        }
        inputs.append(optimismBias)
        for risk in risks {
            inputs.append(risk.annualProbability)
            if let cost = risk.cost { inputs.append(cost) }
            if let factor = risk.savingsFactor { inputs.append(factor) }
        }
        return inputs
    }
}
