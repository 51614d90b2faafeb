#!/usr/bin/env bash
# Builds the libFuzzer target and fuzzes the scenario and baseline-CSV loaders.
#   bash Fuzz/run.sh [SECONDS] [extra libFuzzer flags…]
# SECONDS defaults to 60; 0 means until stopped. New inputs that add coverage go to a
# scratch corpus (not the committed one; `merge.sh` folds them in); crashes are written to
# Fuzz/Crashers/ (add each as a regression test, see Tests/ScenarioFilesTests/ErrorCatalogueTests.swift).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"; shift || true
swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link >/dev/null
mkdir -p Crashers "${FUZZ_SCRATCH:=${TMPDIR:-/tmp}/shared-savings-fuzz-corpus}"
# Let libFuzzer, not the Swift runtime's backtracer, handle a trap, so the input is saved.
export SWIFT_BACKTRACE=enable=no
exec .build/release/FuzzScenario "$FUZZ_SCRATCH" Corpus -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -artifact_prefix=Crashers/ -print_final_stats=1 "$@"
