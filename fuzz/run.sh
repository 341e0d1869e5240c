#!/usr/bin/env bash
# Fuzz every target for a while: bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# Uses cargo-fuzz (libFuzzer) on the stable toolchain via RUSTC_BOOTSTRAP=1.
# Prints, per target, the executions done and whether it crashed.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(segment labelled model_load)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
# Seed corpora from the repository's own files.
mkdir -p corpus/segment corpus/labelled corpus/model_load
# Seed articles, cut to the 4 KiB the segment target reads.
for f in ../seeds/*.txt; do head -c 4096 "$f" > "corpus/segment/$(basename "$f")"; done
printf '\000' > corpus/labelled/.prefix
{ printf '\000'; cat ../labels/seeds.tsv; } > corpus/labelled/seeds-labels
{ printf '\003'; printf '{"label":"a","text":"x"}\n{"label":["a","b"],"text":"y"}\n'; } > corpus/labelled/jsonl
{ printf '\001'; printf 'label,text\na,"x, y"\nb,z\n'; } > corpus/labelled/csv
{ printf '\004'; printf '__label__a __label__b some text\n'; } > corpus/labelled/ft
rm -f corpus/labelled/.prefix
# model_load: the first byte picks raw (odd) or header sealed after mutation (even).
rm -f corpus/model_load/topics.model corpus/model_load/truncated  # seeds without that byte
{ printf '\001'; cat ../models/topics.model; } > corpus/model_load/raw-topics.model
{ printf '\000'; cat ../models/topics.model; } > corpus/model_load/sealed-topics.model
{ printf '\001'; head -c 2000 ../models/topics.model; } > corpus/model_load/raw-truncated
status=0
for t in "${targets[@]}"; do
  log=$(mktemp)
  # Texts up to 4 KiB for the segmenter (its bugs show on short inputs, and long ones
  # cost throughput); 64 KiB for the parsers and the model loader.
  max_len=65536; [ "$t" = segment ] && max_len=4096
  cargo fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -max_len="$max_len" >"$log" 2>&1
  rc=$?
  runs=$(grep -oE '(Done|DONE) *[0-9]+ runs|#[0-9]+\s+DONE' "$log" | grep -oE '[0-9]+' | tail -1)
  [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  if [ $rc -eq 0 ]; then verdict="no crash"; else verdict="CRASH (see $log)"; status=1; fi
  printf '%-12s %12s executions in %ss: %s\n' "$t" "${runs:-?}" "$secs" "$verdict"
done
exit $status
