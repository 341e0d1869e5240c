#!/usr/bin/env bash
# Peak memory of `classify label` as input grows: 10 MB, 100 MB and 1 GB, as many
# articles and as one single file (with paragraphs, and with no line break at all), and
# as files of random words, nearly all distinct.
# Prints one row per run: input, bytes, seconds, MB/s, peak RSS (from /usr/bin/time -v).
# Usage: bash bench/memory.sh [SIZES_MB...]   (default: 10 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
cargo build --release -q
bin=target/release/classify
work=bench/work/memory
mkdir -p "$work"
sizes=("${@:-10 100 1000}")
model_mb=$(du -m models/topics.model | cut -f1)
echo "model: models/topics.model, $(stat -c %s models/topics.model) bytes"
printf '| input | MB | seconds | MB/s | peak RSS MB |\n|---|---|---|---|---|\n'
for mb in ${sizes[@]}; do
  bytes=$((mb * 1000 * 1000))
  many="$work/many-$mb"
  one="$work/one-$mb.txt"
  flat="$work/flat-$mb.txt"
  if [ ! -d "$many" ]; then
    mkdir -p "$many"; i=0; total=0
    while [ "$total" -lt "$bytes" ]; do
      for f in seeds/*.txt; do cp "$f" "$many/$(printf %07d $i)-$(basename "$f")"; total=$((total + $(stat -c %s "$f"))); i=$((i + 1)); done
    done
  fi
  if [ ! -f "$one" ]; then
    cat seeds/*.txt > "$work/unit.txt"
    python3 - "$work/unit.txt" "$one" "$flat" "$bytes" <<'PY'
import sys
unit = open(sys.argv[1], 'rb').read()
flat_unit = b' '.join(unit.split())  + b' '
n = int(sys.argv[4])
for path, u in ((sys.argv[2], unit), (sys.argv[3], flat_unit)):
    with open(path, 'wb') as f:
        written = 0
        while written < n:
            f.write(u); written += len(u)
PY
  fi
  distinct="$work/distinct-$mb"
  if [ ! -d "$distinct" ]; then
    # Random words, nearly all distinct: the worst case for per-thread term caches.
    python3 - "$distinct" "$bytes" <<'PY'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
table = bytes((b' '[0] if b % 7 == 0 else 97 + b % 26) for b in range(256))
written, i = 0, 0
while written < n:
    raw = os.urandom(1 << 20).translate(table)
    text = b'.\n\n'.join(raw[j:j + 300] for j in range(0, len(raw), 300)) + b'.\n'
    with open(os.path.join(out, f'{i:06d}.txt'), 'wb') as f:
        f.write(text)
    written += len(text); i += 1
PY
  fi
  for input in "$many" "$one" "$flat" "$distinct"; do
    size=$(du -sb "$input" | cut -f1)
    out=$( { /usr/bin/time -v "$bin" label --format jsonl "$input" > /dev/null; } 2>&1 )
    secs=$(echo "$out" | awk -F': ' '/Elapsed \(wall clock\)/{split($2,t,":"); s=0; for(i=1;i<=length(t);i++) s=s*60+t[i]; print s}')
    rss=$(echo "$out" | awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}')
    rate=$(python3 -c "print(f'{$size/1e6/max($secs,1e-9):.1f}')")
    printf '| %s | %.0f | %s | %s | %s |\n' "$(basename "$input")" "$(python3 -c "print($size/1e6)")" "$secs" "$rate" "$rss"
  done
done
echo "budget: model size ($model_mb MB on disk) + 64 MB"
