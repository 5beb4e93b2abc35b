#!/usr/bin/env bash
# The benchmarks of bench/README.md. Usage: bench/run.sh [SIZE…]  (default: 100000 1000000)
# Each PostgreSQL size: build/reuse motcua_bench_<size>, wrk every page against gunicorn, time the
# reports; then the reports on SQLite at 1 M. Results: bench/out/*.json → summarised in RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
sizes=("${@:-100000 1000000}")
for size in ${sizes[@]}; do
  .venv/bin/python bench/bench.py size "$size"
done
.venv/bin/python bench/bench.py sqlite-reports "${BENCH_SQLITE_SIZE:-1000000}"
