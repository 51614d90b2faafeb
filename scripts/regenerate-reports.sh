#!/usr/bin/env bash
# Regenerates reports/<name>/ for every scenario in scenarios/ (not scenarios/bench), with
# each scenario's own seed and iterations, using the release build. The committed reports
# must match what the code writes: Tests/ReportsTests/CommittedReportsTests.swift
# regenerates them in-process with the same settings and fails on any difference.
#
# Usage (from anywhere): bash scripts/regenerate-reports.sh
# Set SCRATCH to use another build folder (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product shared-savings >&2
bin="$scratch/release/shared-savings"
for scenario in scenarios/*.yaml; do
  echo "== $scenario" >&2
  # The scenario path is given relative to the repository root, as the test does, so the
  # report's "reproduce this report" command is the same on every machine.
  "$bin" run "$scenario" --quiet
done
