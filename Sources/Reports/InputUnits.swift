import ScenarioFiles
import Stochastics

/// How an input's values read to a person: money, a share, or a plain number. Decided by
/// the input's key, the way a finance officer would read it.
enum InputUnit {
    case money, share, number

    static func of(_ input: Input, in scenario: Scenario) -> InputUnit {
        let path = input.path
        let last = path.split(separator: ".").last.map(String.init) ?? path
        if ["cost", "amount", "per_joiner", "annual", "per_member_annual", "cost_per_fte", "non_staff",
            "delay_cost_per_year", "redundancy_cost_per_fte"].contains(last) {
            return .money
        }
        if path.hasPrefix("functions."), last == "saving" {
            // A `rate` saving is a share of cost; a `scale` one is an elasticity.
            let name = String(path.dropFirst("functions.".count).dropLast(".saving".count))
            if let f = scenario.functions.first(where: { $0.name == name }), case .scale = f.saving { return .number }
            return .share
        }
        if ["non_staff_saving", "cashable_share", "attrition_absorbs", "optimism_bias", "benefit_realisation",
            "annual_probability", "annual_hazard", "real_pay_growth", "savings_factor", "ceiling"].contains(last)
            || last.hasPrefix("steps[") {
            return .share
        }
        return .number
    }

    func format(_ x: Double) -> String {
        switch self {
        case .money: NumberText.money(x)
        case .share: NumberText.percent(x, digits: abs(x) < 0.1 && x != 0 ? 1 : 0)
        case .number: NumberText.significant(x)
        }
    }
}
