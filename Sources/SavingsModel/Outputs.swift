/// The scalar results of one iteration (MODEL.md §8). Names carry their unit, as they
/// appear in summary.csv.
public enum ScalarMetric: Int, CaseIterable, Sendable {
    case npvFinancial, npvEconomic, bcr
    case pvCashableSavings, pvCosts
    case paybackYear, discountedPaybackYear
    case finalYearCashableSaving, finalYearNonCashableSaving, fteReleasedFinalYear
    case oneOffCosts, redundancyCosts, totalCosts, cumulativeNetFinancial
    case membersFinalYear, membersJoined, delayYears, riskEvents, exits
    case everyPartnerGains

    public var name: String {
        switch self {
        case .npvFinancial: "npv_financial_gbp"
        case .npvEconomic: "npv_economic_gbp"
        case .bcr: "bcr"
        case .pvCashableSavings: "pv_cashable_savings_gbp"
        case .pvCosts: "pv_costs_gbp"
        case .paybackYear: "payback_year_index"
        case .discountedPaybackYear: "discounted_payback_year_index"
        case .finalYearCashableSaving: "final_year_cashable_saving_gbp"
        case .finalYearNonCashableSaving: "final_year_non_cashable_saving_gbp"
        case .fteReleasedFinalYear: "fte_released_final_year"
        case .oneOffCosts: "one_off_costs_gbp"
        case .redundancyCosts: "redundancy_costs_gbp"
        case .totalCosts: "total_costs_gbp"
        case .cumulativeNetFinancial: "cumulative_net_financial_gbp"
        case .membersFinalYear: "members_final_year"
        case .membersJoined: "members_joined_within_horizon"
        case .delayYears: "delay_years"
        case .riskEvents: "risk_events"
        case .exits: "exits_within_horizon"
        case .everyPartnerGains: "every_partner_gains"
        }
    }

    /// What the figure means, for reports.
    public var meaning: String {
        switch self {
        case .npvFinancial: "net present value of cashable savings less all costs (Green Book discounting)"
        case .npvEconomic: "financial NPV plus the present value of non-cashable (time released) savings"
        case .bcr: "benefit–cost ratio: PV of cashable savings over PV of all costs (undefined when there are no costs)"
        case .pvCashableSavings: "present value of cashable savings"
        case .pvCosts: "present value of all costs"
        case .paybackYear: "first year index with cumulative net ≥ 0 after costs began (blank when not within the horizon)"
        case .discountedPaybackYear: "as payback, on discounted net cash flows"
        case .finalYearCashableSaving: "cashable saving in the last year of the horizon"
        case .finalYearNonCashableSaving: "non-cashable saving in the last year of the horizon"
        case .fteReleasedFinalYear: "posts (FTE) released in the last year of the horizon"
        case .oneOffCosts: "one-off costs over the horizon, undiscounted: cost lines, per-joiner, redundancy and delay"
        case .redundancyCosts: "redundancy costs over the horizon, undiscounted, optimism bias included"
        case .totalCosts: "all costs over the horizon, undiscounted"
        case .cumulativeNetFinancial: "cashable savings less all costs over the horizon, undiscounted"
        case .membersFinalYear: "members of the shared service in the last year"
        case .membersJoined: "authorities that join within the horizon"
        case .delayYears: "programme delay in whole years"
        case .riskEvents: "risk events that struck within the horizon"
        case .exits: "members that left within the horizon"
        case .everyPartnerGains: "1 when every authority that joins has a positive NPV, else 0"
        }
    }
}

/// The per-year series of one iteration (MODEL.md §8); each has one value per year.
public enum YearlySeries: Int, CaseIterable, Sendable {
    case cashableSavings, nonCashableSavings
    case oneOffCosts, redundancyCosts, ongoingCosts, riskCosts, exitCosts, totalCosts
    case netFinancial, netEconomic, cumulativeNetFinancial
    case discountedNetFinancial, cumulativeDiscountedNetFinancial
    case members, fteReleased, baselineCost, efficiency

    public var name: String {
        switch self {
        case .cashableSavings: "cashable_savings_gbp"
        case .nonCashableSavings: "non_cashable_savings_gbp"
        case .oneOffCosts: "one_off_costs_gbp"
        case .redundancyCosts: "redundancy_costs_gbp"
        case .ongoingCosts: "ongoing_costs_gbp"
        case .riskCosts: "risk_costs_gbp"
        case .exitCosts: "exit_costs_gbp"
        case .totalCosts: "total_costs_gbp"
        case .netFinancial: "net_financial_gbp"
        case .netEconomic: "net_economic_gbp"
        case .cumulativeNetFinancial: "cumulative_net_financial_gbp"
        case .discountedNetFinancial: "discounted_net_financial_gbp"
        case .cumulativeDiscountedNetFinancial: "cumulative_discounted_net_financial_gbp"
        case .members: "members"
        case .fteReleased: "fte_released"
        case .baselineCost: "baseline_cost_gbp"
        case .efficiency: "efficiency_ratio"
        }
    }
}
