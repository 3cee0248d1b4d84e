#!/usr/bin/env bash
# Builds the fuzz harnesses with libFuzzer + AddressSanitizer and runs each, one after the other,
# for SECONDS (default 60) or RUNS executions, whichever comes first.
#   Fuzz/run.sh [--runs N] SECONDS [TARGET...]
# A campaign (10 million executions or 30 minutes per target, out of the way of other work):
#   nohup nice -n 19 Fuzz/run.sh --runs 10000000 1800 > /dev/null 2>&1 &
# Seeds come from goldens/fixtures (and Fuzz/Seeds: base.onnx is `bertconv export-onnx
# goldens/fixtures/base/hf`); crashes land in Fuzz/Crashes/<target>/ and belong, once fixed,
# in Tests/Regressions/files/ (listed in its expected.json), where the test suite replays them.
# Each target's full libFuzzer output goes to Fuzz/Logs/<target>.out, and one line of figures per
# target (executions, exec/s, seconds, peak RSS, findings) is appended to Fuzz/Logs/runs.log.
# Never pause a run (SIGSTOP): libFuzzer's -timeout is wall-clock, so a pause over 10 s is
# reported as a timeout of whatever input was running.
set -euo pipefail
cd "$(dirname "$0")"
runs=-1
if [ "${1:-}" = --runs ]; then runs=$2; shift 2; fi
seconds=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzSafetensors FuzzJSON FuzzTFCheckpoint FuzzKerasH5 FuzzKeras3 FuzzFlaxMsgpack FuzzONNX)
# SwiftPM keeps the build plan of the path dependency (..) and misses source files added to it, so
# plan afresh each time (seconds).
rm -f .build/release.yaml .build/*/release/description.json
swift build -c release --scratch-path .build -Xswiftc -sanitize=fuzzer,address >/dev/null
bin=$(swift build -c release --scratch-path .build --show-bin-path)
mkdir -p Logs
# Leaks inside libhdf5's own error paths are not bertconv's (lsan.supp says why).
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp:print_suppressions=0"
seed() {  # target -> seed files
  case "$1" in
    FuzzSafetensors) find ../goldens/fixtures -name '*.safetensors' -size -200k ;;
    FuzzJSON) find ../goldens/fixtures -name '*.json' ;;
    FuzzTFCheckpoint) find ../goldens/fixtures -name '*.index' ;;
    FuzzKerasH5) find ../goldens/fixtures -name 'tf_model*.h5' -size -200k ;;
    FuzzKeras3) find ../goldens/fixtures -name '*.keras' -size -200k ;;
    FuzzFlaxMsgpack) find ../goldens/fixtures -name '*.msgpack' -size -200k ;;
    FuzzONNX) find ../goldens/fixtures ../Tests Seeds -name '*.onnx' -size -200k ;;
  esac
}
dict() {
  case "$1" in
    FuzzSafetensors) echo Dictionaries/safetensors.dict ;;
    FuzzJSON) echo Dictionaries/json.dict ;;
    *) [ -f "Dictionaries/${1#Fuzz}.dict" ] && echo "Dictionaries/${1#Fuzz}.dict" || echo /dev/null ;;
  esac
}
final() {  # name file -> the value of libFuzzer's final stat::name
  sed -n "s/^stat::$1: *//p" "$2" | tail -1
}
for target in "${targets[@]}"; do
  corpus="Corpus/$target"; mkdir -p "$corpus" "Crashes/$target"
  seed "$target" | while read -r f; do cp -n "$f" "$corpus/" 2>/dev/null || true; done
  echo "== $target for ${seconds}s$([ "$runs" -gt 0 ] && echo " or $runs runs")"
  d=$(dict "$target"); dictflag=(); [ "$d" != /dev/null ] && dictflag=(-dict="$d")
  out="Logs/$target.out"; before=$(ls "Crashes/$target" | wc -l); start=$(date +%s)
  "$bin/$target" "$corpus" "${dictflag[@]}" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Crashes/$target/" -print_final_stats=1 >"$out" 2>&1 || true
  elapsed=$(( $(date +%s) - start ))
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)|ERROR|SUMMARY' "$out" || true
  executions=$(final number_of_executed_units "$out"); findings=$(( $(ls "Crashes/$target" | wc -l) - before ))
  printf '%s %s executions=%s exec_per_s=%s seconds=%s peak_rss_mb=%s findings=%s %s\n' \
    "$(date -u +%FT%TZ)" "$target" "${executions:-?}" "$(final average_exec_per_sec "$out")" "$elapsed" \
    "$(final peak_rss_mb "$out")" "$findings" "$(grep -m1 -oE 'SUMMARY: [A-Za-z]+: [a-z-]+' "$out" || true)" >>Logs/runs.log
done
