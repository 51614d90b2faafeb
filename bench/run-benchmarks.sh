#!/usr/bin/env bash
# Benchmarks SharedSavings against the independent NumPy implementation, side by side in
# one run, on the bundled benchmark scenarios. Usage:
#   bash bench/run-benchmarks.sh [ITERATIONS] [SCENARIO...]
# Defaults: 100000 iterations; small-2, medium-20 and large-150.
# Prints a Markdown table (the figures recorded in docs/performance.md come from it).
#
# TARGET_CPU=native (or another LLVM CPU name, e.g. haswell) benchmarks a build compiled for
# that CPU (`-Xswiftc -target-cpu`, in .build/cpu-NAME) instead of the portable default. It
# first checks that the two builds write byte-identical reports for every scenario given,
# and stops if they do not.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-100000}
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(scenarios/bench/small-2.yaml scenarios/bench/medium-20.yaml scenarios/bench/large-150.yaml)

bash .ci/setup
swift build -c release --product shared-savings >/dev/null
tool=.build/release/shared-savings
if [ -n "${TARGET_CPU:-}" ]; then
  cpu_scratch=".build/cpu-$TARGET_CPU"
  swift build -c release --product shared-savings --scratch-path "$cpu_scratch" \
    -Xswiftc -target-cpu -Xswiftc "$TARGET_CPU" >/dev/null
  cpu_tool="$cpu_scratch/release/shared-savings"
  # Same numbers, or no benchmark: the CPU-specific build may only be faster.
  check=$(mktemp -d)
  for scenario in "${scenarios[@]}"; do
    "$tool" run "$scenario" --iterations 2000 --threads 2 --quiet --iterations-csv --out "$check/portable"
    "$cpu_tool" run "$scenario" --iterations 2000 --threads 2 --quiet --iterations-csv --out "$check/cpu"
    if ! diff -r "$check/portable" "$check/cpu" >/dev/null; then
      echo "the $TARGET_CPU build's reports for $scenario differ from the portable build's" >&2
      exit 1
    fi
  done
  rm -rf "$check"
  echo "Build: -target-cpu $TARGET_CPU (reports and every iteration's outputs byte-identical to the portable build's at 2,000 iterations)."
  echo
  tool="$cpu_tool"
fi

echo "| scenario | iterations | Swift 1 thread (s) | Swift 2 threads (s) | speed-up 1→2 | iterations/s (2 threads) | ns per authority-function-year (1 thread) | Swift peak memory (MiB) | Swift whole process, 2 threads (s) | NumPy whole process (s) | NumPy peak memory (MiB) | Swift vs NumPy (whole processes) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" .yaml)
  one=$("$tool" bench "$scenario" --iterations "$iterations" --threads 1)
  # Two threads: the engine's own timing (simulation + summary) and the wall clock of the
  # whole process (start-up and loading the scenario included), as for NumPy below.
  swift_log=$(mktemp)
  two=$(/usr/bin/time -f "%e %M" -o "$swift_log" "$tool" bench "$scenario" --iterations "$iterations" --threads 2)
  read -r swift_s _ < "$swift_log"
  rm -f "$swift_log"
  # NumPy: wall clock and peak memory of the whole process, as a researcher would see it.
  numpy_log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$numpy_log" python3 bench/numpy_model.py "$scenario" --iterations "$iterations" >/dev/null 2>&1
  read -r numpy_s numpy_kib < "$numpy_log"
  rm -f "$numpy_log"
  python3 - "$name" "$iterations" "$one" "$two" "$swift_s" "$numpy_s" "$numpy_kib" <<'PY'
import sys
name, iterations, one, two, swift_s, numpy_s, numpy_kib = sys.argv[1:]
f1, f2 = one.split(","), two.split(",")
t1 = float(f1[3]) + float(f1[4]); t2 = float(f2[3]) + float(f2[4])
print(f"| {name} | {int(iterations):,} | {t1:.2f} | {t2:.2f} | {t1 / t2:.2f}× | {int(iterations) / t2:,.0f} | {f1[6]} | {max(float(f1[7]), float(f2[7])):.0f} | {float(swift_s):.2f} | {float(numpy_s):.2f} | {int(numpy_kib) / 1024:.0f} | {float(numpy_s) / float(swift_s):.1f}× |")
PY
done
