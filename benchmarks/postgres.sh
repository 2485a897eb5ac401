#!/usr/bin/env bash
# Costwise on PostgreSQL, against baselines measured in the same run on a throwaway cluster
# (scripts/postgres-test-cluster.sh):
#   1. `costwise evals import` of 300,000 CSV results into a PostgreSQL store, against psql's \copy of
#      the same CSV into an unindexed table (the floor of loading those rows at all);
#   2. a budget reservation's round trip: keyed chat completions through `costwise serve` on a store
#      (each reserves, then settles) against the same requests without a key through a second gateway,
#      asked in turn, to a stub upstream; and the reservation's own duration from the keyed gateway's
#      /metrics (costwise_budget_reservation_seconds);
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
# Any request to a gateway whose store holds a key must carry one, and every keyed request reserves: so two
# gateways, each on a store of its own in the same cluster, one without keys and one with a budgeted key,
# both warmed up, then asked in turn (one client, kept-alive connections, alternating which goes first), so
# that load, warm-up and client noise fall on both series alike. The keyed gateway's /metrics gives the
# reservation's own duration (costwise_budget_reservation_seconds) from the same requests.
python3 - "$DATA/stub.port" <<'PY' &
import http.server, json, socketserver, sys
class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm holds the body until the
    # gateway's delayed ACK, 40 ms, which would swamp what is measured.
    disable_nagle_algorithm = True
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
UNKEYED_SERVER=""
trap 'kill $STUB 2>/dev/null; [ -n "$UNKEYED_SERVER" ] && kill "$UNKEYED_SERVER" 2>/dev/null; cleanup' EXIT
sleep 1
printf 'providers:\n  "*":\n    base_url: http://127.0.0.1:%s/v1\n    model_ids: full\n' "$(cat "$DATA/stub.port")" >"$DATA/gateway.yaml"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
psql -q "$ADMIN" -c 'CREATE DATABASE bench_gateway' -c 'CREATE DATABASE bench_unkeyed'
STORE="$BASE/bench_gateway"
"$NET" init --db "$STORE" >/dev/null
"$NET" init --db "$BASE/bench_unkeyed" >/dev/null
TOKEN=$("$NET" keys create bench --budget-usd 1000 --json --db "$STORE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
OPS=$("$NET" keys create ops --scopes admin --json --db "$STORE" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
PORT=$(free_port)
UNKEYED_PORT=$(free_port)
"$NET" serve --db "$STORE" --config "$DATA/gateway.yaml" --port "$PORT" 2>"$DATA/serve.log" &
SERVER=$!
"$NET" serve --db "$BASE/bench_unkeyed" --config "$DATA/gateway.yaml" --port "$UNKEYED_PORT" 2>"$DATA/serve-unkeyed.log" &
UNKEYED_SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$UNKEYED_PORT/health" >/dev/null; do sleep 0.2; done
python3 - "$PORT" "$UNKEYED_PORT" "$TOKEN" "$OPS" <<'PY'
import http.client, json, re, sys, time
keyed_port, unkeyed_port, token, ops = sys.argv[1:5]
body = json.dumps({"model": "costwise/classification", "max_tokens": 10, "messages": [{"role": "user", "content": "Is this spam?"}]})
keyed = http.client.HTTPConnection("127.0.0.1", int(keyed_port))
unkeyed = http.client.HTTPConnection("127.0.0.1", int(unkeyed_port))
def request(connection, headers):
    start = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"content-type": "application/json", **headers})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
    return (time.perf_counter() - start) * 1000
ask = {"keyed": lambda: request(keyed, {"authorization": "Bearer " + token}), "unkeyed": lambda: request(unkeyed, {})}
for _ in range(50):
    ask["keyed"](); ask["unkeyed"]()
def metrics():
    connection = http.client.HTTPConnection("127.0.0.1", int(keyed_port))
    connection.request("GET", "/metrics", headers={"authorization": "Bearer " + ops})
    text = connection.getresponse().read().decode()
    buckets = [(float(le), float(n)) for le, n in re.findall(r'costwise_budget_reservation_seconds_bucket\{le="([^"]+)"\} (\S+)', text)]
    total = float(re.search(r"costwise_budget_reservation_seconds_sum (\S+)", text).group(1))
    count = float(re.search(r"costwise_budget_reservation_seconds_count (\S+)", text).group(1))
    return sorted(buckets), total, count
before, sum_before, count_before = metrics()
times = {"keyed": [], "unkeyed": []}
ROUNDS = 400
for round in range(ROUNDS):
    for name in (("keyed", "unkeyed") if round % 2 == 0 else ("unkeyed", "keyed")):
        times[name].append(ask[name]())
after, sum_after, count_after = metrics()
def quantile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]
for name in ("unkeyed", "keyed"):
    print(f"{name}: median {quantile(times[name], 0.5):.3f} ms, p90 {quantile(times[name], 0.9):.3f} ms ({ROUNDS} requests)")
differences = sorted(k - u for k, u in zip(times["keyed"], times["unkeyed"]))
print(f"keyed minus unkeyed, median of the {ROUNDS} paired differences: {quantile(differences, 0.5):.3f} ms;"
      f" difference of the medians: {quantile(times['keyed'], 0.5) - quantile(times['unkeyed'], 0.5):.3f} ms")
# The histogram of the measured requests alone: the buckets after minus before, quantiles interpolated within a bucket.
counts = [(le, n - dict(before).get(le, 0)) for le, n in after]
observed = count_after - count_before
def bucket_quantile(q):
    rank, lower, below = q * observed, 0.0, 0.0
    for le, cumulative in counts:
        if cumulative >= rank:
            if le == float("inf"): return lower
            return lower + (le - lower) * (rank - below) / max(cumulative - below, 1)
        lower, below = le, cumulative
    return lower
print(f"costwise_budget_reservation_seconds over those {observed:.0f} reservations: mean {(sum_after - sum_before) / observed * 1000:.3f} ms,"
      f" p50 {bucket_quantile(0.5) * 1000:.3f} ms, p99 {bucket_quantile(0.99) * 1000:.3f} ms (interpolated within the histogram's buckets)")
PY

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
