#!/usr/bin/env bash
# One command for the whole benchmark:
#   bash bench/run.sh [splits...]      (default: 20ng 20ng-clean r8 r52 bbc agtest)
# setup.sh -> cargo build --release -> prepare.py into bench/work/data -> for each split
# the peers (scikit-learn, fastText) and classify -> one markdown table, printed and
# written to bench/work/results.md (raw rows: bench/work/results.jsonl).
# BENCH_SKIP_BUILD=1 skips cargo build (uses whatever target/release/classify exists).
# BENCH_REPEAT=N runs every system N times, round the systems of a split, and reports
# medians (times, accuracy) and the largest peak RSS: this machine is shared, and one run
# can be slowed by a neighbour.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$bench")"
cd "$repo"

splits=("$@")
[ ${#splits[@]} -gt 0 ] || splits=(20ng 20ng-clean r8 r52 bbc agtest)

echo "== setup" >&2
bash "$bench/setup.sh" >&2

bin="$repo/target/release/classify"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== cargo build --release" >&2
  if ! cargo build --release >&2; then
    echo "cargo build failed: classify rows will be reported as failed" >&2
    bin="$repo/target/release/classify.build-failed"   # a path that does not exist
  fi
fi

work="$bench/work"
mkdir -p "$work"
echo "== prepare" >&2
python3 "$bench/prepare.py" --out "$work/data" --splits "$(IFS=,; echo "${splits[*]}")" >&2

results="$work/results.jsonl"
: > "$results"
for split in "${splits[@]}"; do
  echo "== $split" >&2
  "$bench/.venv/bin/python" "$bench/peers.py" "$work/data/$split" --split "$split" \
    --work "$work/runs/$split" --classify "$bin" \
    --classify-settings "$bench/classify-settings.txt" --out "$results" >&2
done

"$bench/.venv/bin/python" "$bench/peers.py" --report "$results" --md "$work/results.md"
