#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer targets of fuzz/ (clang-14, ASan, UBSan) and runs each in turn.
#
# Environment: FUZZ_SECONDS per target (default 60), FUZZ_TARGETS (default all, space-separated),
# FUZZ_BUILD (default build-fuzz), JOBS (build parallelism). Each target starts from the committed
# seeds (fuzz/corpus/<target>, read only) and its own growing corpus in $FUZZ_BUILD/corpus; a
# crash leaves its input in $FUZZ_BUILD/crashes/<target>/. Prints executions and crashes per
# target and exits 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${JOBS:-2}
all="csv_reader_fuzzer workflow_document_fuzzer sweep_document_fuzzer job_event_fuzzer run_result_fuzzer query_params_fuzzer"
targets=${FUZZ_TARGETS:-$all}

bash scripts/install-deps.sh clang-14 libclang-rt-14-dev
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -C cmake/fuzz.cmake -S . -B "$build" "${launcher[@]}" >/dev/null
cmake --build "$build" --target fuzzers -j "$jobs"

# The dictionary of each target's input format (the CSV and workflow targets share theirs).
dict_of() {
  case "$1" in
    csv_reader_fuzzer) echo fuzz/dicts/csv_reader.dict ;;
    job_event_fuzzer) echo fuzz/dicts/job_event.dict ;;
    query_params_fuzzer) echo fuzz/dicts/query_params.dict ;;
    *) echo fuzz/dicts/documents.dict ;;
  esac
}

failed=0
summary=""
for t in $targets; do
  mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs"
  log="$build/logs/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  status=0
  "$build/fuzz/$t" "$build/corpus/$t" "fuzz/corpus/$t" -dict="$(dict_of "$t")" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$build/crashes/$t/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$build/crashes/$t" -type f | wc -l)
  [ "$status" -ne 0 ] && failed=1 && tail -n 40 "$log"
  summary+=$(printf '%-26s %12s execs  exit %3s  %s saved crash inputs' "$t" "${execs:-?}" "$status" "$crashes")$'\n'
done
printf '\nfuzz: %ss per target\n%s' "$seconds" "$summary"
exit $failed
