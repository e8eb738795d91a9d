#!/bin/bash
# Instructions per request of one workload, counted by valgrind (callgrind), not timed.
#
#   bench/instructions.sh W2 [N] [SETTINGS]
#
# Wall-clock and even CPU-time figures move by ±20-30 % on these shared machines; the number of
# instructions a request executes is repeatable to 0.1 %. Runs bench/measure.py twice under
# callgrind (0 and N measured requests after the same warm-up) and prints the difference per
# request. SETTINGS is a settings module (default bench.settings) found on PYTHONPATH.
set -euo pipefail
cd "$(dirname "$0")/.."
W=$1; N=${2:-20}; S=${3:-bench.settings}
run() {
  local out
  out=$(PYTHONHASHSEED=0 BENCH_SETTINGS=$S PYTHONPATH=${PYTHONPATH:-} valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null .venv/bin/python bench/measure.py --rounds 1 --count "$1" \
    --only "$W" 2>&1) || { echo "$out" | tail -20 >&2; exit 1; }
  echo "$out" | grep Collected | awk '{print $4}'
}
A=$(run 0) ; B=$(run $N)
python3 -c "print('$W', '$S', round(($B-$A)/$N/1e6,2), 'M instructions/request')"
