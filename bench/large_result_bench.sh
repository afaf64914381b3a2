#!/bin/bash
# large_result_bench.sh - one job with a large test set, end to end: the size of the result event
# the executor XADDs, and how long `dlaaw tracker` takes from start to the run written.
#
# Usage: bench/large_result_bench.sh DLAAW_BINARY [ROWS]   (ROWS: synthetic rows, default 1500000)
# Compare binaries by running it once with each; it starts and stops its own redis-server.
set -euo pipefail
DLAAW=$(realpath "$1")
ROWS=${2:-1500000}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >redis.log &
PIDS+=($!)
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
URL=redis://127.0.0.1:$PORT
cat >wf.json <<JSON
{"schema": "dlaaw/workflow@1", "name": "large-result",
 "dataset": {"synthetic": {"rows": $ROWS, "features": 4, "seed": 1}},
 "network": [{"type": "Linear", "in": 4, "out": 3}, {"type": "ReLU"},
             {"type": "Linear", "in": 3, "out": 1}, {"type": "Sigmoid"}],
 "plan": {"type": "train_test", "test_fraction": 0.2},
 "training": {"epochs": 1, "batches": 6}, "resource": "cpu"}
JSON
"$DLAAW" executor --resource cpu --redis "$URL" --threads 2 --cache-dir cache >executor.log 2>&1 &
PIDS+=($!)
"$DLAAW" submit wf.json --wait --redis "$URL" >submit.log 2>&1
# The result event's `result` field as XADD wrote it.
EVENT_BYTES=$(redis-cli -p "$PORT" --raw XRANGE dlaaw:events - + |
  awk 'prev == "result" && $0 ~ /^\{/ {print length($0) + 0; exit} {prev = $0}')
START=$(date +%s.%N)
"$DLAAW" tracker --redis "$URL" --db t.db >tracker.log 2>&1 &
PIDS+=($!)
until [ "$(sqlite3 t.db "SELECT COUNT(*) FROM runs WHERE state = 'finished'" 2>/dev/null || echo 0)" = 1 ]; do
  sleep 0.05
done
END=$(date +%s.%N)
PREDICTIONS=$(sqlite3 t.db "SELECT length(content) FROM artifacts WHERE name = 'predictions'")
echo "rows $ROWS: result event field $EVENT_BYTES bytes; tracker start to run written" \
  "$(echo "$END - $START" | bc) s; stored predictions $PREDICTIONS bytes"
