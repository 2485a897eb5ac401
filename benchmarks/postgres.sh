#!/usr/bin/env bash
# Costwise on PostgreSQL, against baselines measured in the same run on a throwaway cluster
# (scripts/postgres-test-cluster.sh):
#   1. `costwise evals import` of 300,000 CSV results into a PostgreSQL store, against psql's \copy of
#      the same CSV into an unindexed table (the floor of loading those rows at all);
#   2. a budget reservation's round trip: keyed chat completions through `costwise serve` on the store
#      (each reserves, then settles) against the same requests without a key, to a stub upstream;
#   3. the time from a price change written by another process to a changed `/v1/select` answer.
#
#   bash benchmarks/postgres.sh          (from the repository root; CONFIG=debug for a quick check)
#
# Needs psql, hyperfine and python3; as root it installs hyperfine with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
ROWS=${ROWS:-300000}

if ! command -v hyperfine >/dev/null; then apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; fi

echo "== build ($CONFIG)"
swift build -c "$CONFIG" --product costwise-net 2>&1 | tail -1
NET="$(swift build -c "$CONFIG" --show-bin-path)/costwise-net"
DATA=$(mktemp -d /tmp/costwise-pg-bench.XXXXXX)
chmod 755 "$DATA"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    scripts/postgres-test-cluster.sh stop "$DATA/cluster"
    rm -rf "$DATA"
}
trap cleanup EXIT
ADMIN=$(scripts/postgres-test-cluster.sh start "$DATA/cluster")
BASE=${ADMIN%/postgres}
echo "cluster: $ADMIN; nproc: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "costwise: commit $(git rev-parse --short HEAD)"

median() { awk -F, -v row="$2" 'NR == row + 1 { print $4 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "== 1. evals import of $ROWS results into PostgreSQL vs psql \\copy into an unindexed table"
python3 - "$DATA/results.csv" "$ROWS" <<'PY'
import random, sys
random.seed(7)
models = ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "google/gemini-1.5-flash-8b", "ai21/jamba-1.5-large"]
with open(sys.argv[1], "w") as f:
    f.write("model,task,run,item,score,latency_ms,input_tokens,output_tokens\n")
    for i in range(int(sys.argv[2])):
        f.write(f"{models[i % 4]},classification,run{i % 7},item{i},{random.random():.4f},{random.randint(50, 900)},"
                f"{random.randint(100, 2000)},{random.randint(5, 200)}\n")
PY
RUN=0
hyperfine --style basic --runs 3 --export-csv "$DATA/import.csv" \
    --prepare "psql -q '$ADMIN' -c 'DROP DATABASE IF EXISTS bench_import' -c 'CREATE DATABASE bench_import' && '$NET' init --db '$BASE/bench_import' >/dev/null" \
    -n "costwise evals import (PostgreSQL)" "'$NET' evals import '$DATA/results.csv' --db '$BASE/bench_import'"
hyperfine --style basic --runs 3 --export-csv "$DATA/copy.csv" \
    --prepare "psql -q '$ADMIN' -c 'DROP TABLE IF EXISTS raw' -c 'CREATE TABLE raw (model text, task text, run text, item text, score float8, latency_ms float8, input_tokens bigint, output_tokens bigint)'" \
    -n "psql \\copy" "psql -q '$ADMIN' -c \"\\\\copy raw FROM '$DATA/results.csv' CSV HEADER\""
echo "rows stored: costwise $(psql -qtA "$BASE/bench_import" -c 'SELECT count(*) FROM results'), psql $(psql -qtA "$ADMIN" -c 'SELECT count(*) FROM raw')"
OURS=$(median "$DATA/import.csv" 1)
THEIRS=$(median "$DATA/copy.csv" 1)
echo "costwise evals import: ${OURS}s; psql \\copy: ${THEIRS}s; speed relative to \\copy: $(ratio "$THEIRS" "$OURS") (goal >= 0.5)"

echo
echo "== 2. a reservation's round trip: keyed vs unkeyed chat completions through costwise serve"
psql -q "$ADMIN" -c 'CREATE DATABASE bench_gateway'
STORE="$BASE/bench_gateway"
"$NET" init --db "$STORE" >/dev/null
python3 - "$DATA/stub.port" <<'PY' &
import http.server, json, socketserver, sys
class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"id": "x", "object": "chat.completion", "model": "m", "choices": [{"index": 0,
            "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}}).encode()
        self.send_response(200); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Stub)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
STUB=$!
trap 'kill $STUB 2>/dev/null; cleanup' EXIT
sleep 1
printf 'providers:\n  "*":\n    base_url: http://127.0.0.1:%s/v1\n    model_ids: full\n' "$(cat "$DATA/stub.port")" >"$DATA/gateway.yaml"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NET" serve --db "$STORE" --config "$DATA/gateway.yaml" --port "$PORT" 2>"$DATA/serve.log" &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.2; done
BODY='{"model":"costwise/classification","max_tokens":10,"messages":[{"role":"user","content":"Is this spam?"}]}'
request() { curl -sf -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/v1/chat/completions" -H 'content-type: application/json' "$@" -d "$BODY"; }
for _ in $(seq 20); do request >/dev/null; done
UNKEYED=$(for _ in $(seq 200); do request; done | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2)] }')
TOKEN=$("$NET" keys create bench --budget-usd 1000 --json --db "$STORE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
sleep 1
for _ in $(seq 20); do request -H "authorization: Bearer $TOKEN" >/dev/null; done
KEYED=$(for _ in $(seq 200); do request -H "authorization: Bearer $TOKEN"; done | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2)] }')
echo "median request, one at a time: without a key ${UNKEYED}s; with a key (reserve, then settle) ${KEYED}s;" \
    "the reservation's round trip adds $(awk -v a="$KEYED" -v b="$UNKEYED" 'BEGIN { printf "%.2f ms", (a - b) * 1000 }')"

echo
echo "== 3. from a price change in another process to a changed /v1/select answer"
select_model() { curl -sf "http://127.0.0.1:$PORT/v1/select" -H "authorization: Bearer $TOKEN" -d '{"model":"costwise/classification","costwise":{"min_quality":0.5}}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["model"])'; }
for attempt in 1 2 3 4 5; do
    CHOSEN=$(select_model)
    START=$(date +%s.%N)
    "$NET" models set "$CHOSEN" --input-usd-per-mtok 1000 --output-usd-per-mtok 1000 --db "$STORE" >/dev/null
    WRITTEN=$(date +%s.%N)
    while [ "$(select_model)" = "$CHOSEN" ]; do :; done
    SEEN=$(date +%s.%N)
    echo "attempt $attempt: the write took $(awk -v a="$WRITTEN" -v b="$START" 'BEGIN { printf "%.0f ms", (a - b) * 1000 }');" \
        "seen by the gateway $(awk -v a="$SEEN" -v b="$WRITTEN" 'BEGIN { printf "%.0f ms", (a - b) * 1000 }') after it committed"
done
