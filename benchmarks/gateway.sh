#!/usr/bin/env bash
# The gateway's overhead and throughput against a static upstream on loopback: nginx returning a
# fixed chat completion (one worker, access log off), loaded by wrk. Each figure is printed beside
# the same load sent straight to nginx in the same run.
#
#   bash benchmarks/gateway.sh [SECONDS]    (from the repository root; default 10 s per measurement)
#
# Needs a release build of costwise (`swift build -c release --static-swift-stdlib`, or
# $COSTWISE_BINARY), nginx and wrk (as root it installs them with apt-get when missing). Everything
# listens on 127.0.0.1 only; each load runs for SECONDS and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
binary="${COSTWISE_BINARY:-.build/release/costwise}"
[ -x "$binary" ] || { echo "gateway.sh: build costwise in release first (or set COSTWISE_BINARY)" >&2; exit 1; }
for tool in nginx wrk; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null
        else echo "gateway.sh: $tool is needed (apt-get install $tool)" >&2; exit 1; fi
    fi
done

work="$(mktemp -d)"
upstream_port=18931
gateway_port=18932
cleanup() {
    [ -f "$work/gateway.pid" ] && kill "$(cat "$work/gateway.pid")" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

completion='{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}'
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/body;
    server {
        listen 127.0.0.1:$upstream_port;
        location / {
            default_type application/json;
            return 200 '$completion';
        }
    }
}
CONF
nginx -c "$work/nginx.conf"

cat > "$work/gateway.yaml" <<CONF
providers:
  "*":
    base_url: http://127.0.0.1:$upstream_port/v1
    model_ids: full
CONF
"$binary" serve --config "$work/gateway.yaml" --port "$gateway_port" --db "$work/costwise.sqlite" 2>"$work/gateway.log" &
echo $! > "$work/gateway.pid"
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$gateway_port/health" >/dev/null 2>&1 && break
    sleep 0.1
done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"costwise/summarization","messages":[{"role":"user","content":"Summarize: the gateway routes each request to the cheapest model that qualifies."}]}'
LUA

# run NAME CONNECTIONS URL: wrk's p50 and p99 (µs) and requests/s
run() {
    local out threads
    threads=$(( $2 < 2 ? 1 : 2 ))
    out="$(wrk -t"$threads" -c"$2" -d"${seconds}s" --latency -s "$work/post.lua" "$3")"
    echo "$out" > "$work/$1.txt"
    python3 - "$work/$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def micros(label):
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{micros('50%'):.1f} {micros('99%'):.1f} {rps:.0f}")
PY
}

curl -s "http://127.0.0.1:$gateway_port/v1/chat/completions" -H 'content-type: application/json' \
    -d '{"model":"costwise/summarization","messages":[{"role":"user","content":"warm up"}]}' >/dev/null

read -r d1_p50 d1_p99 d1_rps < <(run direct1 1 "http://127.0.0.1:$upstream_port/v1/chat/completions")
read -r g1_p50 g1_p99 g1_rps < <(run gateway1 1 "http://127.0.0.1:$gateway_port/v1/chat/completions")
read -r d8_p50 d8_p99 d8_rps < <(run direct8 8 "http://127.0.0.1:$upstream_port/v1/chat/completions")
read -r g8_p50 g8_p99 g8_rps < <(run gateway8 8 "http://127.0.0.1:$gateway_port/v1/chat/completions")
sleep 1
kill -TERM "$(cat "$work/gateway.pid")"; wait "$(cat "$work/gateway.pid")" || true; rm -f "$work/gateway.pid"
recorded="$(sqlite3 "$work/costwise.sqlite" "SELECT count(*) FROM gateway_requests")"
answered="$(cat "$work"/gateway*.txt | python3 -c 'import re,sys; print(sum(int(n) for n in re.findall(r"(\d+) requests in", sys.stdin.read())) + 1)')"

python3 - "$d1_p50" "$d1_p99" "$d1_rps" "$g1_p50" "$g1_p99" "$g1_rps" "$d8_p50" "$d8_p99" "$d8_rps" "$g8_p50" "$g8_p99" "$g8_rps" "$recorded" "$answered" <<'PY'
import sys
d1p50, d1p99, d1rps, g1p50, g1p99, g1rps, d8p50, d8p99, d8rps, g8p50, g8p99, g8rps = map(float, sys.argv[1:13])
recorded, answered = int(sys.argv[13]), int(sys.argv[14])
print("== gateway against a static nginx upstream on loopback (wrk, same run)")
print(f"1 connection:  direct p50 {d1p50:.0f} µs, p99 {d1p99:.0f} µs, {d1rps:.0f} req/s")
print(f"               gateway p50 {g1p50:.0f} µs, p99 {g1p99:.0f} µs, {g1rps:.0f} req/s")
print(f"               overhead (gateway − direct): p50 +{g1p50 - d1p50:.0f} µs, p99 +{g1p99 - d1p99:.0f} µs")
print(f"8 connections: direct {d8rps:.0f} req/s (p50 {d8p50:.0f} µs); gateway {g8rps:.0f} req/s (p50 {g8p50:.0f} µs, p99 {g8p99:.0f} µs)")
print(f"               gateway/direct throughput {g8rps / d8rps:.3f}")
print(f"records stored: {recorded}; answers wrk counted: {answered} (it leaves out those cut off at its end)")
PY
