#!/usr/bin/env python3
"""Writes scenarios/top-tier-150.yaml and scenarios/top-tier-150-baseline.csv.

The 150 top-tier authorities of England (counties, unitaries, metropolitan districts and
London boroughs) and the estimate (seed 000) that "£500m could be saved if the 150
top-tier local authorities were to follow best practice in sharing corporate services".

No per-authority data is used: the 150 authorities are synthetic, with sizes drawn from a
seeded log-normal and scaled so that together they hold England's population, and each
one's corporate-services baseline is its population times national per-head figures
(sources in the YAML). Run from the repository root: python3 scripts/make-top-tier-150.py
"""
import math
import random

ENGLAND_POPULATION = 53_500_000   # ONS mid-2012 estimate for England
STAFF_PER_HEAD = 28.6             # £ a year: £3.0bn back office x 51% on employees / 53.5m
NON_STAFF_PER_HEAD = 27.5         # £ a year: the other 49%
COST_PER_FTE = 36_000             # £ loaded

rng = random.Random(150)
raw = [math.exp(rng.gauss(math.log(280_000), 0.6)) for _ in range(150)]
scale = ENGLAND_POPULATION / sum(raw)
populations = [int(round(r * scale / 100.0)) * 100 for r in raw]
names = [f"Top-tier authority {i + 1:03d}" for i in range(150)]

with open("scenarios/top-tier-150-baseline.csv", "w", newline="") as f:
    f.write("authority,function,fte,cost_per_fte,non_staff\r\n")
    for name, pop in zip(names, populations):
        fte = round(pop * STAFF_PER_HEAD / COST_PER_FTE, 1)
        non_staff = int(round(pop * NON_STAFF_PER_HEAD, -3))
        f.write(f"{name},corporate_services,{fte},{COST_PER_FTE},{non_staff}\r\n")

authorities = "\n".join(
    f"  - {{name: {name}, joins: {i // 30}, population: {pop}}}" for i, (name, pop) in enumerate(zip(names, populations)))

with open("scenarios/top-tier-150.yaml", "w") as f:
    f.write(open("scripts/top-tier-150.head.yaml").read().rstrip("\n") + "\n\nauthorities:\n" + authorities + "\n")
