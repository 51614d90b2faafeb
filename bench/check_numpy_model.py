#!/usr/bin/env python3
"""Self-check of bench/numpy_model.py: its vectorised evaluation against a plain loop.

The loop below evaluates one iteration at a time, written line by line from MODEL.md
§3-§8 (and §11), with no vectorisation tricks (no shift tables, no slot gathers, no
cost-sharing algebra).  Both evaluate the *same* draws, so every output must agree to
rounding.  Besides the bundled scenarios it checks stress variants that switch on the
rare paths: frequent exits, frequent risk events, nobody joining, empty years, every
cost-sharing rule, random baseline cells and volumes, random cashable shares.

    python3 bench/check_numpy_model.py [--iterations 60]
"""

import argparse
import copy
import math
import os
import sys
import tempfile

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_model as nm  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "..", "scenarios")


def loop_iteration(model, dr, m):
    """One iteration, the slow and obvious way.  Returns (scalars, series, npv_by_authority)."""
    T, N, F = model.T, model.N, model.F
    vals = dr["vals"][:, m]

    def val(p):
        return p.const if p.idx is None else vals[p.idx]

    DF = model.DF
    # joins, delay, exits
    D = max(math.floor(val(model.delay)), 0)
    J = [None] * N
    for i, p in model.fixed_joins:
        J[i] = math.floor(val(p))
    for k, i in enumerate(model.bass):
        v = dr["v_bass"][m, k]
        p, q, ceil = val(model.bass_p), val(model.bass_q), val(model.bass_ceiling)
        if v >= ceil:
            J[i] = None
        else:
            w = v / ceil
            J[i] = math.floor(math.log((1 + (q / p) * w) / (1 - w)) / (p + q))
    Jd = [None if j is None else j + D for j in J]
    h = val(model.exit_h)
    E = [None] * N
    for i in range(N):
        if Jd[i] is not None and h > 0:
            u = dr["u_exit"][m, i]
            G = max(math.ceil(math.log(1 - u) / math.log(1 - h)) - 1, 0)
            E[i] = Jd[i] + 1 + G

    def member(i, t):
        return Jd[i] is not None and Jd[i] <= t and (E[i] is None or t < E[i])

    A = [[i for i in range(N) if member(i, t)] for t in range(T)]
    oper = [len(A[t]) >= model.min_partners for t in range(T)]

    # risks
    factor, risk_cost, n_events = [1.0] * T, [0.0] * T, 0
    f_run = 1.0
    strikes = [[dr["u_risk"][r][m, t] > 1 - val(rp) for t in range(T)] for r, (rp, _, _) in enumerate(model.risks)]
    for t in range(T):
        for r, (rp, rc, rs) in enumerate(model.risks):
            if strikes[r][t]:
                n_events += 1
                risk_cost[t] += val(rc)
                f_run *= val(rs)
        factor[t] = f_run
    phi = [val(model.benefit) * factor[t] for t in range(T)]

    # baseline
    cell = {}
    for which in ("fte", "cpf", "ns", "vol"):
        for i, f, p in model.cells[which]:
            cell[(which, i, f)] = val(p)
    has = model.has_row
    g = val(model.growth)

    def rho(f, k):
        r = model.ramps[f]
        x = k + 1
        if r[0] == "immediate":
            return 1.0
        if r[0] == "linear":
            return min(1.0, x / val(r[1]))
        if r[0] == "logistic":
            return 1.0 / (1.0 + math.exp(-val(r[2]) * (x - val(r[1]))))
        steps = r[1]
        return val(steps[min(k, len(steps) - 1)])

    def s_rate(f, t):
        if model.kind[f] == "rate":
            return val(model.saving[f])
        b = val(model.saving[f])
        ms = [i for i in A[t] if has[i, f]]
        sv = sum(cell[("vol", i, f)] for i in ms)
        svb = sum(cell[("vol", i, f)] ** b for i in ms)
        return 1 - sv ** b / svb if svb > 0 else 0.0

    cash_i = np.zeros((N, T))
    non = np.zeros(T)
    fte_rel = np.zeros(T)
    Rc = np.zeros((N, T))
    for t in range(T):
        if not oper[t]:
            continue
        for f in range(F):
            s = s_rate(f, t)
            kap = val(model.cashable[f])
            sns = val(model.ns_saving[f])
            for i in A[t]:
                if not has[i, f]:
                    continue
                r = rho(f, t - Jd[i])
                S = cell[("fte", i, f)] * cell[("cpf", i, f)] * (1 + g) ** t
                dS = S * s * r * phi[t]
                dG = cell[("ns", i, f)] * sns * r * phi[t]
                R = cell[("fte", i, f)] * s * r * phi[t]
                cash_i[i, t] += kap * (dS + dG)
                non[t] += (1 - kap) * (dS + dG)
                fte_rel[t] += R
                Rc[i, t] += kap * R
    # redundancy
    ob = val(model.ob)
    unit = (1 - val(model.attrition)) * val(model.red_cost) * (1 + ob)
    red_i = np.zeros((N, T))
    for i in range(N):
        peak = 0.0
        for t in range(T):
            red_i[i, t] = max(0.0, Rc[i, t] - peak) * unit
            peak = max(peak, Rc[i, t])
    # costs
    pj_i = np.zeros((N, T))
    pj = sum(val(p) for p in model.per_joiner) * (1 + ob)
    for i in range(N):
        if Jd[i] is not None and Jd[i] < T:
            pj_i[i, Jd[i]] = pj
    profiled = np.zeros(T)
    for p, shares in model.profiled:
        profiled += val(p) * (1 + ob) * shares
    delay_c = np.zeros(T)
    delay_c[0] = val(model.delay_cost) * D
    exit_c = np.zeros(T)
    for i in range(N):
        if E[i] is not None and E[i] < T:
            exit_c[E[i]] += val(model.exit_cost)
    ongoing = np.zeros(T)
    first_op = next((t for t in range(T) if oper[t]), None)
    for t in range(T):
        for p in model.ongoing_annual:
            if first_op is not None and t >= first_op:
                ongoing[t] += val(p)
        for p in model.ongoing_member:
            ongoing[t] += val(p) * len(A[t])
    shared = profiled + delay_c + ongoing + np.array(risk_cost) + exit_c
    # shares
    joined = [i for i in range(N) if Jd[i] is not None]
    if joined:
        mj = min(Jd[i] for i in joined)
        cohort = [i for i in joined if Jd[i] == mj]
    else:
        cohort = list(range(N))
    share_i = np.zeros((N, T))
    for t in range(T):
        S = A[t] if A[t] else cohort

        def w(i):
            if model.sharing == "equal":
                return 1.0
            if model.sharing == "baseline":
                return sum(cell[("fte", i, f)] * cell[("cpf", i, f)] * (1 + g) ** t + cell[("ns", i, f)]
                           for f in range(F) if has[i, f])
            if model.sharing == "population":
                return val(model.population[i])
            if model.sharing == "fte":
                return sum(cell[("fte", i, f)] for f in range(F) if has[i, f])
            return model.share_w[i]
        ws = {i: w(i) for i in S}
        tot = sum(ws.values())
        for i in S:
            share_i[i, t] = shared[t] * (ws[i] / tot if tot > 0 else 1.0 / len(S))
    cash = cash_i.sum(0)
    redundancy = red_i.sum(0)
    perjoiner = pj_i.sum(0)
    oneoff = profiled + perjoiner + delay_c
    total = oneoff + redundancy + ongoing + np.array(risk_cost) + exit_c
    net = cash - total
    npv_i = (cash_i - red_i - pj_i - share_i) @ DF
    B = np.zeros(T)
    for (which, i, f), v in cell.items():
        if which == "fte":
            B += v * cell[("cpf", i, f)] * (1 + g) ** np.arange(T) + cell[("ns", i, f)]
    pv_cost = total @ DF
    cum = np.cumsum(net)
    cumc = np.cumsum(total)
    dcum = np.cumsum(net * DF)
    pb = next((t for t in range(T) if cum[t] >= 0 and cumc[t] > 0), np.nan)
    dpb = next((t for t in range(T) if dcum[t] >= 0 and cumc[t] > 0), np.nan)
    in_h = [i for i in range(N) if Jd[i] is not None and Jd[i] < T]
    scal = {
        "npv_financial_gbp": net @ DF,
        "npv_economic_gbp": (net + non) @ DF,
        "bcr": (cash @ DF) / pv_cost if pv_cost > 0 else np.nan,
        "pv_cashable_savings_gbp": cash @ DF,
        "pv_costs_gbp": pv_cost,
        "final_year_cashable_saving_gbp": cash[-1],
        "final_year_non_cashable_saving_gbp": non[-1],
        "fte_released_final_year": fte_rel[-1],
        "one_off_costs_gbp": oneoff.sum() + redundancy.sum(),
        "redundancy_costs_gbp": redundancy.sum(),
        "total_costs_gbp": total.sum(),
        "cumulative_net_financial_gbp": net.sum(),
        "members_final_year": len(A[-1]),
        "members_joined_within_horizon": len(in_h),
        "delay_years": D,
        "risk_events": n_events,
        "exits_within_horizon": sum(1 for i in range(N) if E[i] is not None and E[i] < T),
        "payback_year": pb,
        "discounted_payback_year": dpb,
    }
    series = {
        "cashable_savings": cash, "non_cashable_savings": non, "one_off_costs": oneoff,
        "redundancy_costs": redundancy, "ongoing_costs": ongoing, "risk_costs": np.array(risk_cost),
        "exit_costs": exit_c, "total_costs": total, "net_financial": net, "net_economic": net + non,
        "members": np.array([len(a) for a in A], float), "fte_released": fte_rel, "baseline_cost": B,
        "efficiency": (cash + non) / B,
    }
    gain = bool(in_h) and all(npv_i[i] > 0 for i in in_h)
    return scal, series, npv_i, gain


def compare(model, label, iterations, seed):
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 0])))
    dr = model.draw(iterations, rng)
    scal, series, npv_i, gain = model.evaluate(dr)
    worst = 0.0
    problems = []

    def close(a, b, what):
        nonlocal worst
        a, b = np.asarray(a, float), np.asarray(b, float)
        if np.isnan(a).any() or np.isnan(b).any():
            if not np.array_equal(np.isnan(a), np.isnan(b)):
                problems.append(f"{what}: NaN pattern {a} vs {b}")
            a, b = np.nan_to_num(a), np.nan_to_num(b)
        scale = max(1.0, float(np.abs(b).max(initial=0.0)))
        err = float(np.abs(a - b).max(initial=0.0)) / scale
        worst = max(worst, err)
        if err > 1e-9:
            problems.append(f"{what}: {a} vs {b} (rel {err:.2e})")

    for m in range(iterations):
        s2, se2, n2, g2 = loop_iteration(model, dr, m)
        for k, v in s2.items():
            close(scal[k][m], v, f"it {m} {k}")
        for k, v in se2.items():
            close(series[k][m], v, f"it {m} series {k}")
        close(npv_i[m], n2, f"it {m} npv by authority")
        close(npv_i[m].sum(), scal["npv_financial_gbp"][m], f"it {m} sum of authority NPVs")
        if bool(gain[m]) != g2:
            problems.append(f"it {m} every-partner-gains {gain[m]} vs {g2}")
    status = "ok" if not problems else f"{len(problems)} PROBLEMS"
    print(f"{label:48s} {iterations} iterations, worst relative difference {worst:.1e}: {status}")
    for p in problems[:10]:
        print("   ", p)
    return not problems


def variants():
    """(label, scenario dict) for the stress cases (baseline files made absolute)."""
    def load(path):
        with open(path) as fh:
            return yaml.safe_load(fh)
    ex = load(os.path.join(SCEN, "example.yaml"))
    small = load(os.path.join(SCEN, "bench", "small-2.yaml"))
    med = load(os.path.join(SCEN, "bench", "medium-20.yaml"))
    bench_dir = os.path.abspath(os.path.join(SCEN, "bench"))
    out = []

    v = copy.deepcopy(ex)
    v["exit"]["annual_hazard"] = 0.3
    v["risks"][0]["annual_probability"] = 0.4
    v["risks"][1]["annual_probability"] = 0.3
    v["real_pay_growth"] = {"uniform": [0.0, 0.03]}
    v["cost_sharing"] = "fte"
    out.append(("example: frequent exits and risks, fte sharing", v))

    v = copy.deepcopy(ex)
    for a in v["authorities"]:
        a["joins"] = "adoption"
    v["adoption"]["ceiling"] = 0.5
    v["delay"] = {"discrete": {"values": [0, 3, 8], "weights": [0.4, 0.3, 0.3]}}
    v["min_partners"] = 3
    v["cost_sharing"] = "population"
    out.append(("example: all Bass, ceiling 0.5, long delays, min 3", v))

    v = copy.deepcopy(ex)
    v["authorities"][0]["joins"] = 4
    v["authorities"][1]["joins"] = {"discrete": {"values": [2, 6, 12], "weights": [1, 1, 1]}}
    v["exit"]["annual_hazard"] = 0.5
    v["cost_sharing"] = {"weights": {"Northdown District Council": 2, "Southvale Borough Council": 1}}
    v["baseline"][0]["volume"] = {"uniform": [100, 300]}
    v["baseline"][1]["fte"] = {"triangular": [4, 6, 9]}
    v["baseline"][2]["non_staff"] = {"normal": {"p10": 60000, "p90": 80000}}
    v["functions"]["hr.payroll"]["cashable_share"] = {"beta": [4, 2]}
    v["functions"]["hr.payroll"]["non_staff_saving"] = {"bernoulli": {"p": 0.5}}
    out.append(("example: empty years, weights, random baseline", v))

    v = copy.deepcopy(small)
    v["exit"]["annual_hazard"] = 0.2
    v["cost_sharing"] = "baseline"
    v["risks"][1]["annual_probability"] = 0.5
    v["risks"][1]["savings_factor"] = {"uniform": [0.5, 0.9]}
    out.append(("small-2: exits, baseline sharing, harsh risk", v))

    v = copy.deepcopy(med)
    v["baseline"]["file"] = os.path.join(bench_dir, v["baseline"]["file"])
    v["exit"]["annual_hazard"] = 0.15
    v["real_pay_growth"] = 0.01
    v["risks"][0]["annual_probability"] = 0.3
    v["risks"][0]["savings_factor"] = 0.9
    out.append(("medium-20: exits, growth, risk factors", v))

    v = copy.deepcopy(ex)
    for a in v["authorities"]:
        a["joins"] = "adoption"
    v["adoption"]["ceiling"] = 0.05
    out.append(("example: (almost) nobody joins", v))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=60)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    ok = True
    for rel in ("example.yaml", "bench/small-2.yaml", "bench/medium-20.yaml", "bench/large-150.yaml"):
        path = os.path.join(SCEN, rel)
        model = nm.Model(path)
        n = a.iterations if "large" not in rel else max(4, a.iterations // 6)
        ok &= compare(model, rel, n, a.seed)
        rng = np.random.default_rng(0)
        base = model.evaluate(model.draw(1, rng, base=True))
        dr = model.draw(1, rng, base=True)
        s2 = loop_iteration(model, dr, 0)[0]
        if not math.isclose(base[0]["npv_financial_gbp"][0], s2["npv_financial_gbp"], rel_tol=1e-12, abs_tol=1e-6):
            print("   base case differs:", base[0]["npv_financial_gbp"][0], s2["npv_financial_gbp"])
            ok = False
    for label, sc in variants():
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            yaml.safe_dump(sc, fh, sort_keys=False)
            path = fh.name
        try:
            ok &= compare(nm.Model(path), label, a.iterations, a.seed)
        finally:
            os.unlink(path)
    print("all agree" if ok else "DISAGREEMENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
