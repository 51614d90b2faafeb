#!/usr/bin/env python3
"""An independent, vectorised NumPy implementation of the SharedSavings model.

Written from the contract alone (/work/shared/MODEL.md v1, §1-§9 and the §11
clarifications) and the "Choices we made" table of docs/model.md -- never from the
Swift sources -- so that it can serve as a cross-check of the Swift tool and as the
"what a researcher would otherwise write" speed baseline.

    python3 bench/numpy_model.py SCENARIO.yaml [--iterations N] [--seed S] [--chunk C]
                                               [--base-case] [--json OUT.json]

Iterations are simulated in chunks; every per-iteration quantity is an array whose
first axis is the iteration within the chunk.  Chunk b draws its random numbers from
PCG64 seeded with (seed, b), so results depend on the seed and the chunk size (they
are a statistical, not a bit-for-bit, cross-check of the Swift tool).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time

# Single-threaded BLAS: the matrix products here are small and batched, where OpenBLAS threads
# cost more than they save (and a busy machine makes that much worse).  Override by exporting
# OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before starting Python.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")



def _tune_malloc():
    """Keep freed chunk-sized arrays in the heap instead of returning them to the kernel.

    Every chunk allocates and frees arrays of a few to a few tens of MB.  With glibc's
    defaults these are mmap'ed and unmapped each time, so every chunk pays again in page
    faults (on large-150 the system time was as large as the user time).  Raising the
    mmap and trim thresholds (mallopt) makes the memory reused.  Linux/glibc only; set
    NUMPY_MODEL_NO_MALLOPT=1 to keep the defaults."""
    if os.environ.get("NUMPY_MODEL_NO_MALLOPT") or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)    # the largest glibc accepts on 64-bit
        libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1)   # (int arguments)
    except (OSError, AttributeError):
        pass


_tune_malloc()

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402
import yaml  # noqa: E402
from scipy import special, stats  # noqa: E402

Z90 = float(special.ndtri(0.9))
NEVER = 10**9                       # join / exit year meaning "never"
CHUNK_ELEMENTS = 1_000_000          # default chunk = CHUNK_ELEMENTS / (authorities * functions * years)
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)


class ScenarioError(ValueError):
    pass


# --------------------------------------------------------------------------- numbers

_NUMBER = re.compile(
    r"^\s*([-+])?\s*£?\s*([-+])?\s*((?:\d[\d,_]*)?\.?\d*(?:[eE][-+]?\d+)?)\s*(k|m|mn|bn|b|%)?\s*$",
    re.IGNORECASE)
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "%": 0.01}


def number(x, where="value"):
    """A plain number, or a string such as "£1.5m", "35k", "2.5%", "1.2e6"."""
    if isinstance(x, bool):
        raise ScenarioError(f"{where}: expected a number, got {x!r}")
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str):
        m = _NUMBER.match(x)
        if m and m.group(3) and any(ch.isdigit() for ch in m.group(3)):
            v = float(m.group(3).replace(",", "").replace("_", ""))
            v *= _SUFFIX[(m.group(4) or "").lower()]
            if "-" in ((m.group(1) or "") + (m.group(2) or "")):
                v = -v
            return v
    raise ScenarioError(f"{where}: expected a number, got {x!r}")


# --------------------------------------------------------------------------- distributions

class Dist:
    """A distribution: quantile function `ppf` (vectorised) and an exact sampler."""

    def ppf(self, u):
        raise NotImplementedError

    def sample(self, rng, n):
        return self.ppf(rng.random(n))

    def median(self):
        return float(np.asarray(self.ppf(np.array([0.5])), float)[0])

    @property
    def is_fixed(self):
        return False


class Fixed(Dist):
    def __init__(self, v):
        self.v = float(v)

    def ppf(self, u):
        return np.full(np.shape(u), self.v)

    def sample(self, rng, n):
        return np.full(n, self.v)

    @property
    def is_fixed(self):
        return True


class Uniform(Dist):
    def __init__(self, lo, hi):
        if not hi >= lo:
            raise ScenarioError(f"uniform: max {hi} < min {lo}")
        self.lo, self.hi = lo, hi

    def ppf(self, u):
        return self.lo + (self.hi - self.lo) * np.asarray(u, float)

    def sample(self, rng, n):
        return rng.uniform(self.lo, self.hi, n)


class Triangular(Dist):
    def __init__(self, lo, mode, hi):
        if not (lo <= mode <= hi and lo < hi):
            raise ScenarioError(f"triangular: need min <= mode <= max, min < max ({lo}, {mode}, {hi})")
        self.lo, self.mode, self.hi = lo, mode, hi

    def ppf(self, u):
        u = np.asarray(u, float)
        a, c, b = self.lo, self.mode, self.hi
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    def sample(self, rng, n):
        return rng.triangular(self.lo, self.mode, self.hi, n)


class ScaledBeta(Dist):
    def __init__(self, a, b, lo, hi, what="beta"):
        if not (a > 0 and b > 0):
            raise ScenarioError(f"{what}: shape parameters must be > 0 ({a}, {b})")
        if not hi > lo:
            raise ScenarioError(f"{what}: max {hi} must exceed min {lo}")
        self.a, self.b, self.lo, self.hi = a, b, lo, hi

    def ppf(self, u):
        return self.lo + (self.hi - self.lo) * special.betaincinv(self.a, self.b, np.asarray(u, float))

    def sample(self, rng, n):
        return self.lo + (self.hi - self.lo) * rng.beta(self.a, self.b, n)


def pert(lo, mode, hi, lam=4.0):
    if not (lo <= mode <= hi):
        raise ScenarioError(f"pert: need min <= mode <= max ({lo}, {mode}, {hi})")
    if hi == lo:
        return Fixed(lo)
    a = 1.0 + lam * (mode - lo) / (hi - lo)
    b = 1.0 + lam * (hi - mode) / (hi - lo)
    return ScaledBeta(a, b, lo, hi, "pert")


class Normal(Dist):
    def __init__(self, mean, sd, lo=None, hi=None):
        if not sd > 0:
            raise ScenarioError(f"normal: sd must be > 0 ({sd})")
        self.mean, self.sd = mean, sd
        self.truncated = lo is not None or hi is not None
        self.a = -np.inf if lo is None else (lo - mean) / sd        # standardised bounds
        self.b = np.inf if hi is None else (hi - mean) / sd
        if not self.b > self.a:
            raise ScenarioError("normal: max must exceed min")

    def ppf(self, u):
        u = np.asarray(u, float)
        if not self.truncated:
            return self.mean + self.sd * special.ndtri(u)
        a, b = self.a, self.b
        if a > 0:      # interval in the upper tail: invert the survival function for accuracy
            qa, qb = special.ndtr(-a), special.ndtr(-b)
            z = -special.ndtri(qa - u * (qa - qb))
        else:
            pa, pb = special.ndtr(a), special.ndtr(b)
            z = special.ndtri(pa + u * (pb - pa))
        return self.mean + self.sd * np.clip(z, a, b)

    def sample(self, rng, n):
        if self.truncated:
            return self.ppf(rng.random(n))
        return rng.normal(self.mean, self.sd, n)


class LogNormal(Dist):
    def __init__(self, mu, sigma):
        if not sigma > 0:
            raise ScenarioError(f"lognormal: sigma must be > 0 ({sigma})")
        self.mu, self.sigma = mu, sigma

    def ppf(self, u):
        return np.exp(self.mu + self.sigma * special.ndtri(np.asarray(u, float)))

    def sample(self, rng, n):
        return rng.lognormal(self.mu, self.sigma, n)


class Gamma(Dist):
    def __init__(self, shape, scale):
        if not (shape > 0 and scale > 0):
            raise ScenarioError("gamma: shape and scale must be > 0")
        self.shape, self.scale = shape, scale

    def ppf(self, u):
        return self.scale * special.gammaincinv(self.shape, np.asarray(u, float))

    def sample(self, rng, n):
        return rng.gamma(self.shape, self.scale, n)


class Discrete(Dist):
    def __init__(self, values, weights=None):
        values = np.asarray(values, float)
        weights = np.ones_like(values) if weights is None else np.asarray(weights, float)
        if values.size == 0 or values.shape != weights.shape or (weights < 0).any() or weights.sum() <= 0:
            raise ScenarioError("discrete: need values and non-negative weights of the same length")
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        w = weights[order] / weights.sum()
        self.cdf = np.cumsum(w)
        self.cdf[-1] = 1.0

    def ppf(self, u):
        # Q(u) = min{x : F(x) >= u}, with a tolerance for the rounding of the cumulative sum
        idx = np.searchsorted(self.cdf, np.asarray(u, float) - 1e-12, side="left")
        return self.values[np.minimum(idx, self.values.size - 1)]


class Bernoulli(Dist):
    def __init__(self, p):
        if not 0 <= p <= 1:
            raise ScenarioError(f"bernoulli: p must be in [0, 1] ({p})")
        self.p = p

    def ppf(self, u):
        return (np.asarray(u, float) > 1.0 - self.p).astype(float)


def _args(fam, args, names, required):
    """Long form {k: v} or shorthand list [v1, v2, ...] in the order `names`."""
    if isinstance(args, dict):
        out = {k: number(v, f"{fam}.{k}") for k, v in args.items() if k != "source"}
    elif isinstance(args, (list, tuple)):
        if len(args) > len(names):
            raise ScenarioError(f"{fam}: too many values {args!r}")
        out = {names[k]: number(v, fam) for k, v in enumerate(args)}
    else:
        out = {names[0]: number(args, fam)}
    missing = [k for k in required if k not in out]
    if missing:
        raise ScenarioError(f"{fam}: missing {', '.join(missing)}")
    return out


def parse_dist(node, where="value"):
    """Any numeric input: number, money string, or {family: params[, source: ...]}."""
    if isinstance(node, (int, float, str)) and not isinstance(node, bool):
        return Fixed(number(node, where))
    if not isinstance(node, dict):
        raise ScenarioError(f"{where}: cannot read {node!r} as a number or distribution")
    keys = [k for k in node if k != "source"]
    if len(keys) != 1:
        raise ScenarioError(f"{where}: expected one distribution family, got {keys}")
    fam = keys[0]
    args = node[fam]
    if fam == "fixed":
        return Fixed(number(args if not isinstance(args, dict) else args.get("value"), where))
    if fam == "uniform":
        a = _args(fam, args, ["min", "max"], ["min", "max"])
        return Uniform(a["min"], a["max"])
    if fam == "triangular":
        a = _args(fam, args, ["min", "mode", "max"], ["min", "mode", "max"])
        return Triangular(a["min"], a["mode"], a["max"])
    if fam == "pert":
        a = _args(fam, args, ["min", "mode", "max", "lambda"], ["min", "mode", "max"])
        return pert(a["min"], a["mode"], a["max"], a.get("lambda", 4.0))
    if fam == "normal":
        a = _args(fam, args, ["mean", "sd", "min", "max"], [])
        if "p10" in a and "p90" in a:
            mean, sd = (a["p10"] + a["p90"]) / 2, (a["p90"] - a["p10"]) / (2 * Z90)
        else:
            mean, sd = a["mean"], a["sd"]
        return Normal(mean, sd, a.get("min"), a.get("max"))
    if fam == "lognormal":
        a = _args(fam, args, ["median", "p90"], [])
        if "median" in a and "p90" in a:
            if not (a["p90"] > a["median"] > 0):
                raise ScenarioError("lognormal: need p90 > median > 0")
            mu = math.log(a["median"])
            return LogNormal(mu, (math.log(a["p90"]) - mu) / Z90)
        if "mean" in a and "sd" in a:
            s2 = math.log(1.0 + (a["sd"] / a["mean"]) ** 2)
            return LogNormal(math.log(a["mean"]) - s2 / 2, math.sqrt(s2))
        if "p10" in a and "p90" in a:
            l10, l90 = math.log(a["p10"]), math.log(a["p90"])
            return LogNormal((l10 + l90) / 2, (l90 - l10) / (2 * Z90))
        raise ScenarioError("lognormal: give {median, p90}, {mean, sd} or {p10, p90}")
    if fam == "beta":
        a = _args(fam, args, ["alpha", "beta", "min", "max"], ["alpha", "beta"])
        return ScaledBeta(a["alpha"], a["beta"], a.get("min", 0.0), a.get("max", 1.0))
    if fam == "gamma":
        a = _args(fam, args, ["shape", "scale"], ["shape", "scale"])
        return Gamma(a["shape"], a["scale"])
    if fam == "discrete":
        if isinstance(args, dict):
            vals = [number(v, where) for v in args["values"]]
            w = args.get("weights")
            return Discrete(vals, None if w is None else [number(x, where) for x in w])
        return Discrete([number(v, where) for v in args])
    if fam == "bernoulli":
        a = _args(fam, args, ["p"], ["p"])
        return Bernoulli(a["p"])
    raise ScenarioError(f"{where}: unknown distribution family {fam!r}")


# --------------------------------------------------------------------------- inputs

class Param:
    """A scalar input: a constant, or column `idx` of the chunk's value matrix."""
    __slots__ = ("name", "dist", "const", "idx")

    def __init__(self, name, dist, idx):
        self.name, self.dist, self.idx = name, dist, idx
        self.const = dist.v if dist.is_fixed else None

    def __call__(self, vals):
        return self.const if self.idx is None else vals[self.idx]

    def col(self, vals, c):
        return np.full(c, self.const) if self.idx is None else vals[self.idx]


class Inputs:
    """Every scalar input of the scenario, drawn once per iteration where it is written."""

    def __init__(self):
        self.random = []          # Params with a non-degenerate distribution
        self.by_name = {}
        self.corr_idx = []        # indices into self.random that are correlated
        self.chol = None

    def add(self, name, node, default=None):
        if node is None:
            if default is None:
                return None
            node = default
        dist = parse_dist(node, name)
        if dist.is_fixed:
            p = Param(name, dist, None)
        else:
            p = Param(name, dist, len(self.random))
            self.random.append(p)
        self.by_name[name] = p
        return p

    def set_correlations(self, entries):
        if not entries:
            return
        names, pairs = [], []
        for e in entries:
            a, b = e["between"]
            rho = number(e["spearman"], "spearman")
            for n in (a, b):
                if n not in self.by_name:
                    raise ScenarioError(f"correlations: unknown input {n!r}")
                if self.by_name[n].idx is None:
                    raise ScenarioError(f"correlations: input {n!r} is fixed")
                if n not in names:
                    names.append(n)
            pairs.append((names.index(a), names.index(b), rho))
        m = len(names)
        R = np.eye(m)
        for i, j, rho in pairs:
            R[i, j] = R[j, i] = 2.0 * math.sin(math.pi * rho / 6.0)     # Spearman -> Pearson
        try:
            self.chol = np.linalg.cholesky(R)
        except np.linalg.LinAlgError:
            raise ScenarioError("correlation matrix is not positive definite: " + ", ".join(names))
        self.corr_idx = [self.by_name[n].idx for n in names]

    def draw(self, rng, c, base):
        """Matrix (K, c): one value per random input and iteration."""
        K = len(self.random)
        vals = np.empty((K, c))
        if base:
            for p in self.random:
                vals[p.idx] = p.dist.median()
            return vals
        corr = set(self.corr_idx)
        for p in self.random:
            if p.idx not in corr:
                vals[p.idx] = p.dist.sample(rng, c)
        if self.corr_idx:
            z = rng.standard_normal((c, len(self.corr_idx))) @ self.chol.T
            u = special.ndtr(z)
            for k, idx in enumerate(self.corr_idx):
                vals[idx] = self.random[idx].dist.ppf(u[:, k])
        return vals


# --------------------------------------------------------------------------- scenario

def green_book_df(T):
    df = np.empty(T)
    d = 1.0
    for t in range(T):
        if t > 0:
            r = 0.035 if t <= 30 else (0.030 if t <= 75 else 0.025)
            d /= 1.0 + r
        df[t] = d
    return df


def discount_factors(spec, T):
    if spec is None or spec == "green_book" or spec == {"green_book": None}:
        return green_book_df(T)
    if isinstance(spec, dict) and "rate" in spec:
        r = number(spec["rate"], "discounting.rate")
        return (1.0 + r) ** -np.arange(T, dtype=float)
    if isinstance(spec, (int, float)):
        return (1.0 + float(spec)) ** -np.arange(T, dtype=float)
    raise ScenarioError(f"discounting: cannot read {spec!r}")


def _get(d, key, default=None):
    return d.get(key, default) if isinstance(d, dict) else default


class Model:
    def __init__(self, path):
        with open(path) as fh:
            sc = yaml.safe_load(fh)
        here = os.path.dirname(os.path.abspath(path))
        inp = self.inputs = Inputs()
        self.name = sc.get("name", os.path.basename(path))
        self.T = T = int(number(sc.get("horizon_years", 10), "horizon_years"))
        if not 1 <= T <= 125:
            raise ScenarioError("horizon_years must be 1..125")
        self.start_year = int(number(sc.get("start_year", 2026), "start_year"))
        self.default_iterations = int(number(sc.get("iterations", 10000), "iterations"))
        self.default_seed = int(number(sc.get("seed", 1), "seed"))
        self.DF = discount_factors(sc.get("discounting", "green_book"), T)
        self.growth = inp.add("real_pay_growth", sc.get("real_pay_growth"), 0)

        # ---- authorities
        auths = sc["authorities"]
        self.auth_names = [a["name"] for a in auths]
        self.N = N = len(auths)
        aidx = {n: i for i, n in enumerate(self.auth_names)}
        self.fixed_joins = []                      # (i, Param)
        self.bass = []                             # authority indices in listed order
        self.population = []
        for i, a in enumerate(auths):
            j = a.get("joins", 0)
            if j == "adoption":
                self.bass.append(i)
            else:
                p = inp.add(f"authorities.{a['name']}.joins", j)
                if p.idx is None and p.const < 0:
                    raise ScenarioError(f"authority {a['name']}: join year below 0")
                self.fixed_joins.append((i, p))
            self.population.append(inp.add(f"authorities.{a['name']}.population", a.get("population"), 0))
        ad = sc.get("adoption")
        if self.bass:
            if not ad:
                raise ScenarioError("joins: adoption needs an `adoption:` block")
            self.bass_p = inp.add("adoption.p", ad["p"])
            self.bass_q = inp.add("adoption.q", ad["q"])
            self.bass_ceiling = inp.add("adoption.ceiling", ad.get("ceiling"), 1)

        # ---- functions
        fspec = sc.get("functions") or {}
        fnames = list(fspec.keys())

        # ---- baseline rows
        bl = sc["baseline"]
        if isinstance(bl, dict) and "file" in bl:
            with open(os.path.join(here, bl["file"]), newline="") as fh:
                rows = list(csv.DictReader(fh))
        else:
            rows = bl
        for r in rows:
            if r["function"] not in fnames:
                fnames.append(r["function"])          # in the baseline but never saved on
        self.fnames = fnames
        self.F = F = len(fnames)
        fidx = {n: k for k, n in enumerate(fnames)}
        self.cells = {k: [] for k in ("fte", "cpf", "ns", "vol")}
        self.has_row = np.zeros((N, F), bool)
        for r in rows:
            a, f = r["authority"], r["function"]
            if a not in aidx:
                raise ScenarioError(f"baseline: unknown authority {a!r}")
            i, k = aidx[a], fidx[f]
            if self.has_row[i, k]:
                raise ScenarioError(f"baseline: duplicate row for {a} / {f}")
            self.has_row[i, k] = True
            pre = f"baseline.{a}.{f}"
            fte = inp.add(pre + ".fte", r["fte"])
            vol_node = r.get("volume")
            vol = inp.add(pre + ".volume", vol_node) if vol_node not in (None, "") else fte
            self.cells["fte"].append((i, k, fte))
            self.cells["cpf"].append((i, k, inp.add(pre + ".cost_per_fte", r["cost_per_fte"])))
            ns_node = r.get("non_staff")
            self.cells["ns"].append((i, k, inp.add(pre + ".non_staff", ns_node if ns_node not in (None, "") else 0)))
            self.cells["vol"].append((i, k, vol))
        self.baseline_random = any(p.idx is not None for cl in self.cells.values() for _, _, p in cl)

        self.kind, self.saving, self.ns_saving, self.cashable, self.ramps = [], [], [], [], []
        for f in fnames:
            spec = fspec.get(f) or {"saving": {"rate": 0}}
            sv = spec.get("saving", {"rate": 0})
            kinds = [k for k in sv if k != "source"]
            if len(kinds) != 1 or kinds[0] not in ("rate", "scale"):
                raise ScenarioError(f"functions.{f}.saving: expected rate or scale")
            self.kind.append(kinds[0])
            self.saving.append(inp.add(f"functions.{f}.saving", sv[kinds[0]]))
            self.ns_saving.append(inp.add(f"functions.{f}.non_staff_saving", spec.get("non_staff_saving"), 0))
            self.cashable.append(inp.add(f"functions.{f}.cashable_share", spec.get("cashable_share"), 1))
            self.ramps.append(self._ramp(f, spec.get("ramp", "immediate")))
        self.rate_f = np.array([k == "rate" for k in self.kind])
        self.scale_ix = np.flatnonzero(~self.rate_f)
        # scale functions whose cashable share is random need their own (kappa-weighted) pass
        self.scale_kr = [k for k in self.scale_ix if self.cashable[k].idx is not None]

        # ---- delay, exit, partners, benefit realisation, workforce
        self.delay = inp.add("delay", sc.get("delay"), 0)
        self.delay_cost = inp.add("delay_cost_per_year", sc.get("delay_cost_per_year"), 0)
        ex = sc.get("exit") or {}
        self.exit_h = inp.add("exit.annual_hazard", ex.get("annual_hazard"), 0)
        self.exit_cost = inp.add("exit.cost", ex.get("cost"), 0)
        self.min_partners = int(number(sc.get("min_partners", 2), "min_partners"))
        self.benefit = inp.add("benefit_realisation", sc.get("benefit_realisation"), 1)
        wf = sc.get("workforce") or {}
        self.red_cost = inp.add("workforce.redundancy_cost_per_fte", wf.get("redundancy_cost_per_fte"), 0)
        self.attrition = inp.add("workforce.attrition_absorbs", wf.get("attrition_absorbs"), 0)
        self.ob = inp.add("optimism_bias", sc.get("optimism_bias"), 0)
        self.eff_target = number(sc.get("efficiency_target", 0.025), "efficiency_target")

        # ---- costs
        self.profiled, self.per_joiner = [], []     # (Param, profile array over T) / Param
        for line in sc.get("one_off_costs") or []:
            nm = line.get("name", "one-off")
            if "per_joiner" in line:
                self.per_joiner.append(inp.add(f"one_off_costs.{nm}.per_joiner", line["per_joiner"]))
            else:
                prof = line.get("profile") or [1.0]
                shares = np.zeros(T)
                for t, s in enumerate(prof[:T]):
                    shares[t] = number(s, f"one_off_costs.{nm}.profile")
                self.profiled.append((inp.add(f"one_off_costs.{nm}.amount", line["amount"]), shares))
        self.ongoing_annual, self.ongoing_member = [], []
        for line in sc.get("ongoing_costs") or []:
            nm = line.get("name", "ongoing")
            if "annual" in line:
                self.ongoing_annual.append(inp.add(f"ongoing_costs.{nm}.annual", line["annual"]))
            if "per_member_annual" in line:
                self.ongoing_member.append(inp.add(f"ongoing_costs.{nm}.per_member_annual", line["per_member_annual"]))

        # ---- cost sharing
        cs = sc.get("cost_sharing", "baseline")
        if isinstance(cs, dict):
            w = cs.get("weights")
            if w is None:
                raise ScenarioError("cost_sharing: expected {weights: {...}}")
            self.sharing = "weights"
            self.share_w = np.array([number(w.get(n, 0), "cost_sharing.weights") for n in self.auth_names])
        elif cs in ("baseline", "equal", "population", "fte"):
            self.sharing = cs
        else:
            raise ScenarioError(f"cost_sharing: unknown {cs!r}")

        # ---- risks
        self.risks = []
        for r in sc.get("risks") or []:
            nm = r.get("name", "risk")
            self.risks.append((inp.add(f"risks.{nm}.annual_probability", r.get("annual_probability"), 0),
                               inp.add(f"risks.{nm}.cost", r.get("cost"), 0),
                               inp.add(f"risks.{nm}.savings_factor", r.get("savings_factor"), 1)))

        inp.set_correlations(sc.get("correlations"))
        self._prepare_fixed_baseline()

    def _ramp(self, f, spec):
        inp = self.inputs
        pre = f"functions.{f}.ramp"
        if spec is None or spec == "immediate" or (isinstance(spec, dict) and "immediate" in spec):
            return ("immediate",)
        if not isinstance(spec, dict) or len(spec) != 1:
            raise ScenarioError(f"{pre}: cannot read {spec!r}")
        (kind, args), = spec.items()
        if kind == "linear":
            yrs = args["years"] if isinstance(args, dict) else args
            return ("linear", inp.add(pre + ".years", yrs))
        if kind == "logistic":
            return ("logistic", inp.add(pre + ".midpoint", args["midpoint"]),
                    inp.add(pre + ".steepness", args["steepness"]))
        if kind == "steps":
            return ("steps", [inp.add(f"{pre}.steps[{k}]", a) for k, a in enumerate(args)])
        raise ScenarioError(f"{pre}: unknown ramp {kind!r}")

    # ------------------------------------------------------------------ helpers per chunk

    def _cell_array(self, which, vals, c):
        """(N, F) when every cell is fixed, else (c, N, F)."""
        cells = self.cells[which]
        if not any(p.idx is not None for _, _, p in cells):
            a = np.zeros((self.N, self.F))
            for i, k, p in cells:
                a[i, k] = p.const
            return a
        a = np.zeros((c, self.N, self.F))
        for i, k, p in cells:
            a[:, i, k] = p(vals)
        return a

    def _prepare_fixed_baseline(self):
        if self.baseline_random:
            return
        self.fte = self._cell_array("fte", None, 0)
        self.S0 = self.fte * self._cell_array("cpf", None, 0)           # staff cost at t = 0
        self.Gns = self._cell_array("ns", None, 0)
        self.vol = self._cell_array("vol", None, 0)
        self.S0_i, self.G_i = self.S0.sum(axis=1), self.Gns.sum(axis=1)
        with np.errstate(divide="ignore"):
            self.lnV_scale = np.log(self.vol[:, self.scale_ix])
        N, F = self.N, self.F
        cst = np.zeros((2 * F, N, 4))             # rows: rho sigma kappa (f), rho sigma (f)
        cst[:F, :, 0], cst[:F, :, 1] = self.S0.T, self.fte.T
        cst[F:, :, 2], cst[F:, :, 3] = self.S0.T, self.fte.T
        self.C_staff = cst.reshape(2 * F, 4 * N)
        cns = np.zeros((2 * F, N, 2))             # rows: rho sigma_ns kappa (f), rho sigma_ns (f)
        cns[:F, :, 0] = self.Gns.T
        cns[F:, :, 1] = self.Gns.T
        self.C_nonstaff = cns.reshape(2 * F, 2 * N)

    def _baseline(self, vals, c):
        """fte, staff cost S0 = fte * cost_per_fte, non-staff, volume: (N, F) or (c, N, F)."""
        if not self.baseline_random:
            return self.fte, self.S0, self.Gns, self.vol
        N, F = self.N, self.F
        fte, cpf, ns, vol = (np.broadcast_to(self._cell_array(w, vals, c), (c, N, F))
                             for w in ("fte", "cpf", "ns", "vol"))
        return fte, fte * cpf, ns, vol

    def _ramp_table(self, vals, c):
        """rho[c, k, f] for k = 0..T-1 years since joining (x = k + 1)."""
        T = self.T
        x = np.arange(1, T + 1, dtype=float)
        out = np.empty((c, T, self.F))
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            for k, r in enumerate(self.ramps):
                if r[0] == "immediate":
                    out[:, :, k] = 1.0
                elif r[0] == "linear":
                    R = np.asarray(r[1](vals), float)
                    out[:, :, k] = np.minimum(1.0, x[None, :] / np.reshape(R, (-1, 1)))
                elif r[0] == "logistic":
                    x0 = np.reshape(np.asarray(r[1](vals), float), (-1, 1))
                    kap = np.reshape(np.asarray(r[2](vals), float), (-1, 1))
                    out[:, :, k] = 1.0 / (1.0 + np.exp(-kap * (x[None, :] - x0)))
                else:
                    steps = np.stack([np.broadcast_to(p(vals), (c,)) for p in r[1]], axis=1)   # (c, S)
                    out[:, :, k] = steps[:, np.minimum(np.arange(T), steps.shape[1] - 1)]
        return out

    # ------------------------------------------------------------------ one chunk

    def draw(self, c, rng, base=False):
        """Every random number of c iterations: the scalar inputs (K, c), one Bass uniform per
        Bass authority, one exit uniform per authority, one uniform per risk and year.  The base
        case uses the medians, v = (k - 0.5)/n for the Bass joiners and 0.5 for the events."""
        N, T = self.N, self.T
        nb = len(self.bass)
        vals = self.inputs.draw(rng, c, base)
        if base:
            v_bass = np.broadcast_to((np.arange(1, nb + 1) - 0.5) / nb, (c, nb))
            u_exit = np.full((c, N), 0.5)
            u_risk = [np.full((c, T), 0.5) for _ in self.risks]
        else:
            v_bass = rng.random((c, nb))
            u_exit = rng.random((c, N))
            u_risk = [rng.random((c, T)) for _ in self.risks]
        return {"c": c, "vals": vals, "v_bass": v_bass, "u_exit": u_exit, "u_risk": u_risk}

    def simulate_chunk(self, c, rng, base=False):
        return self.evaluate(self.draw(c, rng, base))

    def evaluate(self, dr):
        """Evaluate c iterations; every array has the iteration as its first axis."""
        T, N, F = self.T, self.N, self.F
        c, vals = dr["c"], dr["vals"]
        tt = np.arange(T)
        DF = self.DF
        ci = np.arange(c)

        # ---- joins (delayed), exits, membership  (MODEL §4, §11)
        D = np.maximum(np.floor(self.delay.col(vals, c)), 0).astype(np.int64)
        J = np.full((c, N), NEVER, np.int64)
        for i, p in self.fixed_joins:
            J[:, i] = np.floor(p.col(vals, c)).astype(np.int64)
        if self.bass:
            v = dr["v_bass"]
            bp, bq = self.bass_p.col(vals, c)[:, None], self.bass_q.col(vals, c)[:, None]
            ceil = self.bass_ceiling.col(vals, c)[:, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                w = v / ceil
                tau = np.log((1.0 + (bq / bp) * w) / (1.0 - w)) / (bp + bq)
            never = (v >= ceil) | ~np.isfinite(tau)
            J[:, self.bass] = np.floor(np.where(never, NEVER, tau)).astype(np.int64)
        joined = J < NEVER
        Jd = np.where(joined, J + D[:, None], NEVER)                       # delayed join year
        h = self.exit_h.col(vals, c)[:, None]
        u_exit = dr["u_exit"]
        with np.errstate(divide="ignore", invalid="ignore"):
            G = np.ceil(np.log1p(-u_exit) / np.log1p(-h)) - 1.0           # failures before exit
        G = np.where(h > 0, np.clip(np.nan_to_num(G, nan=0.0, posinf=NEVER), 0, NEVER), NEVER)
        E = np.where(joined, np.minimum(Jd + 1 + G.astype(np.int64), NEVER), NEVER)
        Jc = np.minimum(Jd, T)                                             # T = not within horizon
        Ec = np.minimum(E, T)
        # counts by year via bincount: joins, exits, members
        jcount = np.bincount((ci[:, None] * (T + 1) + Jc).ravel(), minlength=c * (T + 1)).reshape(c, T + 1)[:, :T]
        ecount = np.bincount((ci[:, None] * (T + 1) + Ec).ravel(), minlength=c * (T + 1)).reshape(c, T + 1)[:, :T]
        members = np.cumsum(jcount, axis=1) - np.cumsum(ecount, axis=1)  # |A(t)|   (c, T)
        oper = members >= self.min_partners
        mask = (tt >= Jd[:, :, None]) & (tt < E[:, :, None])              # i in A(t)  (c, N, T)
        exited = np.nonzero(Ec < T)                                        # (iteration, authority) pairs
        maskf = mask.astype(float)

        # ---- risk events (MODEL §7): strike when u > 1 - p
        fac = np.ones((c, T))
        risk_cost = np.zeros((c, T))
        n_events = np.zeros(c)
        for (rp, rc, rs), u in zip(self.risks, dr["u_risk"]):
            strike = u > 1.0 - rp.col(vals, c)[:, None]
            risk_cost += strike * rc.col(vals, c)[:, None]
            if not (rs.idx is None and rs.const == 1.0):
                fac *= np.where(strike, rs.col(vals, c)[:, None], 1.0)
            n_events += strike.sum(axis=1)
        phi = self.benefit.col(vals, c)[:, None] * np.cumprod(fac, axis=1) * oper     # (c, T)

        # ---- baseline arrays: (N, F) when fixed, (c, N, F) when a baseline cell is random
        fte, S0, Gns, vol = self._baseline(vals, c)
        randbl = S0.ndim == 3
        g = self.growth.col(vals, c)
        gt = (1.0 + g[:, None]) ** tt                                      # (c, T)

        # ---- function parameters (c, F) and ramps rho[c, k, f]
        sig = np.stack([np.broadcast_to(p(vals), (c,)) for p in self.saving], axis=1)
        kap = np.stack([np.broadcast_to(p(vals), (c,)) for p in self.cashable], axis=1)
        sns = np.stack([np.broadcast_to(p(vals), (c,)) for p in self.ns_saving], axis=1)
        ramp = self._ramp_table(vals, c)                                   # (c, T, F)

        # ---- savings before phi(t) and (1+g)^t, per authority and year, in two arrays:
        #      Xs[c, i, t, :] = (cashable staff, cashable FTE Rc, gross staff, FTE released) and
        #      Xn[c, i, t, :] = (cashable non-staff, gross non-staff).
        # Relative-time part: rate-function staff savings and every non-staff saving depend on t
        # only through k = t - J, so contract over f first (Y[c, k, i, :]) and shift by J after:
        # a gather from a flat table whose last row is zero (not a member that year).
        sig_rate = np.where(self.rate_f, sig, 0.0)
        Lb = ramp * sig_rate[:, None, :]              # rho * sigma           (c, T, F)
        Lab = np.concatenate([Lb * kap[:, None, :], Lb], axis=2)                              # (c, T, 2F)
        Nab = np.concatenate([ramp * (sns * kap)[:, None, :], ramp * sns[:, None, :]], axis=2)  # (c, T, 2F)
        cTN = c * T * N
        idx = np.where(mask, ((ci[:, None] * T - Jd) * N + np.arange(N)[None, :])[:, :, None] + tt * N, cTN)

        def rel(Lm, Cm, q):
            Y = np.empty((cTN + 1, q))
            Y[-1] = 0.0
            if randbl:
                Y[:-1] = np.einsum("ctf,cnfq->ctnq", Lm, Cm).reshape(cTN, q)
            else:
                np.matmul(Lm.reshape(c * T, -1), Cm, out=Y[:-1].reshape(c * T, q * N))
            return np.take(Y, idx, axis=0)

        if randbl:
            Cst = np.zeros((c, N, 2 * F, 4))
            Cst[:, :, :F, 0], Cst[:, :, :F, 1], Cst[:, :, F:, 2], Cst[:, :, F:, 3] = S0, fte, S0, fte
            Cns = np.zeros((c, N, 2 * F, 2))
            Cns[:, :, :F, 0], Cns[:, :, F:, 1] = Gns, Gns
        else:
            Cst, Cns = self.C_staff, self.C_nonstaff        # (2F, 4N) and (2F, 2N), block structured
        Xs, Xn = rel(Lab, Cst, 4), rel(Nab, Cns, 2)       # (c, N, T, 4), (c, N, T, 2)

        # Absolute-time part: scale functions, whose s[f](t) depends on who is a member at t.
        if self.scale_ix.size:
            sx = self.scale_ix
            Fs = sx.size
            beta = sig[:, sx]                                              # (c, Fs)
            mT = maskf.transpose(0, 2, 1)                                  # (c, T, N)
            Vs = vol[..., sx]
            if Vs.ndim == 2:
                lnV = self.lnV_scale
            else:
                with np.errstate(divide="ignore"):
                    lnV = np.log(Vs)
            sumV = np.matmul(mT, Vs)                                       # (c, T, Fs)
            Vb = np.exp(beta[:, None, :] * lnV)                            # V^beta; V = 0 -> 0
            sumVb = np.matmul(mT, Vb)
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.where(sumVb > 0, 1.0 - sumV ** beta[:, None, :] / sumVb, 0.0)
            s = np.maximum(s, 0.0)   # (sum V)^b <= sum V^b for b in (0, 1]: only rounding goes below 0
            # W[c, j, t, f] = rho_f(t - j) s_f(t) for a member that joined in year j (j = T: never)
            P = np.zeros((c, 2 * T, Fs))                                   # rho at k = m - T, 0 for k < 0
            P[:, T:] = ramp[:, :, sx]
            win = sliding_window_view(P, T, axis=1)                        # [c, w, f, t] = P[c, w + t, f]
            W = win[:, ::-1].transpose(0, 1, 3, 2) * s[:, None, :, :]      # (c, T+1, T, Fs), j = T - w
            kap_s = kap[:, sx]
            fixed_k = np.array([self.cashable[k].idx is None for k in sx])
            if not fixed_k.all():                                          # random kappa: fold into W
                W = np.concatenate([W, W[..., ~fixed_k] * kap_s[:, None, None, ~fixed_k]], axis=-1)
            Fw = W.shape[-1]
            rows = ci[:, None] * (T + 1) + Jc                              # (c, N)
            Gt = np.take(W.reshape(c * (T + 1), T * Fw), rows, axis=0).reshape(c, N, T, Fw)
            kfix = np.where(fixed_k, kap_s[0], 0.0)                        # kappa of the fixed-kappa fns
            S0s, ftes = S0[..., sx], fte[..., sx]                          # (N, Fs) or (c, N, Fs)
            C = np.stack([S0s * kfix, ftes * kfix, S0s, ftes], axis=-1)    # (.., N, Fs, 4)
            if not fixed_k.all():
                Sr, fr = S0s[..., ~fixed_k], ftes[..., ~fixed_k]
                C = np.concatenate([C, np.stack([Sr, fr, np.zeros_like(Sr), np.zeros_like(Sr)], axis=-1)], axis=-2)
            A = np.matmul(Gt, C)                                           # (c, N, T, 4)
            if exited[0].size:                                             # zero the years after an exit
                A[exited] *= (tt < E[exited][:, None])[..., None]
            Xs += A

        # ---- totals over authorities, with phi(t) (benefit x risk factors x operating) and (1+g)^t
        ones = np.ones(N)
        ts = np.matmul(ones, Xs.reshape(c, N, 4 * T)).reshape(c, T, 4)
        tn = np.matmul(ones, Xn.reshape(c, N, 2 * T)).reshape(c, T, 2)
        gph = gt * phi
        cash = gph * ts[..., 0] + phi * tn[..., 0]
        gross = gph * ts[..., 2] + phi * tn[..., 1]
        noncash = gross - cash
        fte_rel = phi * ts[..., 3]
        ws = np.zeros((c, T, 4))
        ws[..., 0] = DF * gph
        wn = np.zeros((c, T, 2))
        wn[..., 0] = DF * phi
        pv_cash_i = (np.matmul(Xs.reshape(c, N, 4 * T), ws.reshape(c, 4 * T, 1))
                     + np.matmul(Xn.reshape(c, N, 2 * T), wn.reshape(c, 2 * T, 1)))[..., 0]   # (c, N)

        # ---- redundancy: cashable FTE released above the previous peak (peak starts at 0)
        peak = np.maximum(Xs[..., 1] * phi[:, None, :], 0.0)               # Rc, then its running peak
        for t in range(1, T):
            np.maximum(peak[:, :, t], peak[:, :, t - 1], out=peak[:, :, t])
        # released above the previous peak in year t = peak(t) - peak(t-1); so the yearly total is
        # the difference of the summed peaks, and its PV is peak . (DF(t) - DF(t+1))
        ob1 = 1.0 + self.ob.col(vals, c)
        red_unit = (1.0 - self.attrition.col(vals, c)) * self.red_cost.col(vals, c) * ob1
        redundancy = red_unit[:, None] * np.diff(np.matmul(ones, peak), axis=1, prepend=0.0)   # (c, T)
        pv_red_i = red_unit[:, None] * (peak @ (DF - np.append(DF[1:], 0.0)))                  # (c, N)

        # ---- costs (c, T)
        pj_amt = np.zeros(c)
        for p in self.per_joiner:
            pj_amt += p.col(vals, c)
        pj_amt *= ob1
        perjoiner = pj_amt[:, None] * jcount
        profiled = np.zeros((c, T))
        for p, shares in self.profiled:
            profiled += (p.col(vals, c) * ob1)[:, None] * shares[None, :]
        delay_c = np.zeros((c, T))
        delay_c[:, 0] = self.delay_cost.col(vals, c) * D
        exit_c = self.exit_cost.col(vals, c)[:, None] * ecount
        started = np.logical_or.accumulate(oper, axis=1)
        ongoing = np.zeros((c, T))
        for p in self.ongoing_annual:
            ongoing += p.col(vals, c)[:, None] * started
        for p in self.ongoing_member:
            ongoing += p.col(vals, c)[:, None] * members
        oneoff_series = profiled + perjoiner + delay_c
        shared = profiled + delay_c + ongoing + risk_cost + exit_c
        total_costs = oneoff_series + redundancy + ongoing + risk_cost + exit_c
        net_fin = cash - total_costs

        # ---- baseline B(t) and B_i(t)
        if randbl:
            S0_i, G_i = S0.sum(axis=2), Gns.sum(axis=2)                    # (c, N)
        else:
            S0_i, G_i = np.broadcast_to(self.S0_i, (c, N)), np.broadcast_to(self.G_i, (c, N))
        B_t = S0_i.sum(axis=1)[:, None] * gt + G_i.sum(axis=1)[:, None]   # (c, T)

        # ---- shared costs of year t split over S(t) = A(t), or the earliest-joining cohort when
        #      A(t) is empty (everyone when nobody joins), by weights w_i(t) = sum_m a[i, m] b[t, m]
        cohort = (Jd == Jd.min(axis=1, keepdims=True)).astype(float)      # (c, N)
        empty = members == 0                                               # (c, T)
        if self.sharing == "equal":
            a = np.ones((c, N, 1)); b = np.ones((c, T, 1))
        elif self.sharing == "baseline":
            a = np.stack([S0_i, G_i], axis=-1); b = np.stack([gt, np.ones((c, T))], axis=-1)
        elif self.sharing == "population":
            if all(p.idx is None for p in self.population):
                a = np.broadcast_to(np.array([p.const for p in self.population]), (c, N))[:, :, None]
            else:
                a = np.stack([p.col(vals, c) for p in self.population], axis=1)[:, :, None]
            b = np.ones((c, T, 1))
        elif self.sharing == "fte":
            ftot = fte.sum(axis=-1)
            a = np.broadcast_to(ftot, (c, N))[:, :, None]; b = np.ones((c, T, 1))
        else:
            a = np.broadcast_to(self.share_w, (c, N))[:, :, None]; b = np.ones((c, T, 1))
        mT = maskf.transpose(0, 2, 1)
        aw_members = np.matmul(mT, a)                                      # (c, T, M): sum over A(t)
        aw_cohort = np.matmul(cohort[:, None, :], a)                       # (c, 1, M)
        Wt = np.where(empty, (aw_cohort * b).sum(-1), (aw_members * b).sum(-1))   # (c, T)
        nS = np.where(empty, cohort.sum(axis=1, keepdims=True), members)
        with np.errstate(divide="ignore", invalid="ignore"):
            qw = np.where(Wt > 0, DF * shared / Wt, 0.0)
            qe = np.where(Wt > 0, 0.0, DF * shared / nS)
        # columns: b_m(t) * qw(t) for each m, then qe(t)
        V = np.concatenate([b * qw[:, :, None], qe[:, :, None]], axis=-1)  # (c, T, M+1)
        inS_V = np.matmul(maskf, V) + cohort[:, :, None] * (V * empty[:, :, None]).sum(axis=1)[:, None, :]
        pv_share_i = (a * inS_V[..., :-1]).sum(-1) + inS_V[..., -1]        # (c, N)

        # ---- per-authority financial NPV
        in_h = Jd < T
        pv_pj_i = np.where(in_h, pj_amt[:, None] * DF[np.minimum(Jd, T - 1)], 0.0)
        npv_i = pv_cash_i - pv_red_i - pv_pj_i - pv_share_i

        # ---- scalar outputs
        pv_cash = cash @ DF
        pv_costs = total_costs @ DF
        with np.errstate(divide="ignore", invalid="ignore"):
            bcr = np.where(pv_costs > 0, pv_cash / pv_costs, np.nan)
        cum_net = np.cumsum(net_fin, axis=1)
        cum_dnet = np.cumsum(net_fin * DF, axis=1)
        cum_cost_pos = np.cumsum(total_costs, axis=1) > 0

        def first_year(cond):
            return np.where(cond.any(axis=1), cond.argmax(axis=1), np.nan)

        npv_fin = net_fin @ DF
        partners_gain = in_h.any(axis=1) & np.all(~in_h | (npv_i > 0), axis=1)
        scal = {
            "npv_financial_gbp": npv_fin,
            "npv_economic_gbp": npv_fin + noncash @ DF,
            "bcr": bcr,
            "pv_cashable_savings_gbp": pv_cash,
            "pv_costs_gbp": pv_costs,
            "final_year_cashable_saving_gbp": cash[:, -1],
            "final_year_non_cashable_saving_gbp": noncash[:, -1],
            "fte_released_final_year": fte_rel[:, -1],
            "one_off_costs_gbp": oneoff_series.sum(axis=1) + redundancy.sum(axis=1),
            "redundancy_costs_gbp": redundancy.sum(axis=1),
            "total_costs_gbp": total_costs.sum(axis=1),
            "cumulative_net_financial_gbp": cum_net[:, -1],
            "members_final_year": members[:, -1].astype(float),
            "members_joined_within_horizon": in_h.sum(axis=1).astype(float),
            "delay_years": D.astype(float),
            "risk_events": n_events,
            "exits_within_horizon": ecount.sum(axis=1).astype(float),
            "payback_year": first_year((cum_net >= 0) & cum_cost_pos),
            "discounted_payback_year": first_year((cum_dnet >= 0) & cum_cost_pos),
        }
        with np.errstate(divide="ignore", invalid="ignore"):
            efficiency = np.where(B_t > 0, gross / B_t, np.nan)
        series = {
            "cashable_savings": cash, "non_cashable_savings": noncash,
            "one_off_costs": oneoff_series, "redundancy_costs": redundancy,
            "ongoing_costs": ongoing, "risk_costs": risk_cost, "exit_costs": exit_c,
            "total_costs": total_costs, "net_financial": net_fin,
            "net_economic": net_fin + noncash, "members": members.astype(float),
            "fte_released": fte_rel, "baseline_cost": B_t, "efficiency": efficiency,
        }
        return scal, series, npv_i, partners_gain


# --------------------------------------------------------------------------- driver

def summarise(x):
    x = np.asarray(x, float)
    n_all = x.size
    x = x[~np.isnan(x)]
    M = x.size
    out = {"n": int(M)}
    if M == 0:
        out.update({k: None for k in ("mean", "sd", "se", "cvar5")})
        out.update({f"p{q}": None for q in PERCENTILES})
        return out
    out["mean"] = float(x.mean())
    out["sd"] = float(x.std(ddof=1)) if M > 1 else float("nan")
    out["se"] = out["sd"] / math.sqrt(M) if M > 1 else float("nan")
    pct = np.percentile(x, PERCENTILES, method="linear")
    for q, v in zip(PERCENTILES, pct):
        out[f"p{q}"] = float(v)
    out["p_positive"] = float((x > 0).mean())
    k = max(1, math.ceil(0.05 * M))
    out["cvar5"] = float(np.sort(x)[:k].mean())
    if M != n_all:
        out["n_undefined"] = int(n_all - M)
    return out


def run(model, iterations, seed, chunk, base):
    T, N = model.T, model.N
    if base:
        iterations, chunk = 1, 1
    nchunks = -(-iterations // chunk)
    scal_all, series_sum, series_cnt = {}, {}, {}
    npv_sum = np.zeros(N)
    npv_pos = np.zeros(N)
    gain = 0
    t0 = time.perf_counter()
    for b in range(nchunks):
        c = min(chunk, iterations - b * chunk)
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, b])))
        scal, series, npv_i, pg = model.simulate_chunk(c, rng, base)
        for k, v in scal.items():
            scal_all.setdefault(k, []).append(v)
        for k, v in series.items():
            ok = ~np.isnan(v)
            series_sum[k] = series_sum.get(k, 0.0) + np.where(ok, v, 0.0).sum(axis=0)
            series_cnt[k] = series_cnt.get(k, 0) + ok.sum(axis=0)
        npv_sum += npv_i.sum(axis=0)
        npv_pos += (npv_i > 0).sum(axis=0)
        gain += int(pg.sum())
    sim_s = time.perf_counter() - t0
    scal_all = {k: np.concatenate(v) for k, v in scal_all.items()}
    with np.errstate(invalid="ignore", divide="ignore"):
        series_mean = {k: (series_sum[k] / series_cnt[k]).tolist() for k in series_sum}
    npv = scal_all["npv_financial_gbp"]
    result = {
        "scenario": model.name,
        "mode": "base_case" if base else "monte_carlo",
        "iterations": int(iterations),
        "seed": int(seed),
        "chunk": int(chunk),
        "horizon_years": T,
        "years": [f"{model.start_year + t}/{(model.start_year + t + 1) % 100:02d}" for t in range(T)],
        "discount_factors": model.DF.tolist(),
        "simulate_seconds": sim_s,
        "scalars": {k: summarise(v) for k, v in scal_all.items()},
        "p_npv_financial_positive": float((npv > 0).mean()),
        "p_every_partner_gains": gain / iterations,
        "payback_within_horizon": float((~np.isnan(scal_all["payback_year"])).mean()),
        "series_mean": series_mean,
        "efficiency_target": [model.eff_target * (t + 1) for t in range(T)],
        "per_authority": {n: {"mean_npv_gbp": float(npv_sum[i] / iterations),
                              "p_npv_positive": float(npv_pos[i] / iterations)}
                          for i, n in enumerate(model.auth_names)},
    }
    return result, sim_s


def _clean(o):
    if isinstance(o, float):
        return None if (math.isnan(o) or math.isinf(o)) else o
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--iterations", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--chunk", type=int, help="iterations per chunk (default 1e6 / (authorities*functions*years), at least 1)")
    ap.add_argument("--base-case", action="store_true", help="one deterministic iteration, every input at its median")
    ap.add_argument("--json", help="write the summary to this file")
    a = ap.parse_args(argv)
    try:
        model = Model(a.scenario)
    except (ScenarioError, KeyError, TypeError) as e:
        print(f"{a.scenario}: {e}", file=sys.stderr)
        return 2
    iters = a.iterations or model.default_iterations
    seed = model.default_seed if a.seed is None else a.seed
    chunk = a.chunk or max(1, CHUNK_ELEMENTS // (model.N * model.F * model.T))
    res, sim_s = run(model, iters, seed, max(1, min(chunk, iters)), a.base_case)
    print(f"simulate: {sim_s:.3f} s ({res['iterations']} iterations, chunk {res['chunk']})", file=sys.stderr)
    s = res["scalars"]
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(_clean(res), fh, indent=1)
    else:
        for k in ("npv_financial_gbp", "npv_economic_gbp", "bcr", "total_costs_gbp"):
            print(f"{k:32s} mean {s[k]['mean']:16.2f}  p10 {s[k]['p10']:16.2f}  p90 {s[k]['p90']:16.2f}")
        print(f"P(npv_financial > 0) = {res['p_npv_financial_positive']:.4f}   "
              f"P(every partner gains) = {res['p_every_partner_gains']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
