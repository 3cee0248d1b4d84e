#!/usr/bin/env bash
# Builds the fuzz harnesses with libFuzzer + AddressSanitizer and runs each for SECONDS (default 60).
# Seeds come from goldens/fixtures; crashes land in Fuzz/Crashes/<target>/ and belong, once fixed,
# in Tests/Regressions/files/ (listed in its expected.json), where the test suite replays them.
#   Fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzSafetensors FuzzJSON FuzzTFCheckpoint FuzzKerasH5 FuzzKeras3 FuzzFlaxMsgpack FuzzONNX)
swift build -c release --scratch-path .build -Xswiftc -sanitize=fuzzer,address >/dev/null
bin=$(swift build -c release --scratch-path .build --show-bin-path)
seed() {  # target -> seed files
  case "$1" in
    FuzzSafetensors) find ../goldens/fixtures -name '*.safetensors' -size -200k ;;
    FuzzJSON) find ../goldens/fixtures -name '*.json' ;;
    FuzzTFCheckpoint) find ../goldens/fixtures -name '*.index' ;;
    FuzzKerasH5) find ../goldens/fixtures -name 'tf_model*.h5' -size -200k ;;
    FuzzKeras3) find ../goldens/fixtures -name '*.keras' -size -200k ;;
    FuzzFlaxMsgpack) find ../goldens/fixtures -name '*.msgpack' -size -200k ;;
    FuzzONNX) find ../goldens/fixtures ../Tests -name '*.onnx' -size -200k ;;
  esac
}
dict() {
  case "$1" in
    FuzzSafetensors) echo Dictionaries/safetensors.dict ;;
    FuzzJSON) echo Dictionaries/json.dict ;;
    *) [ -f "Dictionaries/${1#Fuzz}.dict" ] && echo "Dictionaries/${1#Fuzz}.dict" || echo /dev/null ;;
  esac
}
for target in "${targets[@]}"; do
  corpus="Corpus/$target"; mkdir -p "$corpus" "Crashes/$target"
  seed "$target" | while read -r f; do cp -n "$f" "$corpus/" 2>/dev/null || true; done
  echo "== $target for ${seconds}s"
  d=$(dict "$target"); dictflag=(); [ "$d" != /dev/null ] && dictflag=(-dict="$d")
  "$bin/$target" "$corpus" "${dictflag[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="Crashes/$target/" -print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)|ERROR|SUMMARY' || true
done
