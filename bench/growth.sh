#!/usr/bin/env bash
# How time and peak memory grow with iterations, one process per row (so each peak is that
# run's own). Usage:
#   bash bench/growth.sh [SCENARIO] [ITERATIONS...]
# Defaults: scenarios/bench/large-150.yaml at 10,000, 100,000 and 1,000,000 iterations, 2 threads.
# Prints a Markdown table (docs/performance.md, "How the cost grows").
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/bench/large-150.yaml}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 100000 1000000)

bash .ci/setup
swift build -c release --product shared-savings >/dev/null
tool=.build/release/shared-savings

echo "| $(basename "$scenario" .yaml), iterations | simulate (s) | summary (s) | iterations/s | peak memory (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
  line=$("$tool" bench "$scenario" --iterations "$n" --threads 2)
  IFS=, read -r _ iterations _ simulate summary rate _ peak _ <<< "$line"
  printf "| %'d | %s | %s | %'d | %s |\n" "$iterations" "$simulate" "$summary" "$rate" "$peak"
done
