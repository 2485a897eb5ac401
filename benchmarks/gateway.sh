#!/usr/bin/env bash
# The gateway against a static upstream on loopback: nginx returning a fixed chat completion, or a
# fixed event stream when asked for `text/event-stream` (one worker, access log off). Every figure is
# printed beside its baseline measured in the same run, with the load average when it was taken:
#   - latency at 1 connection (wrk): direct to nginx, through the gateway, and the difference;
#   - requests/s at 8 connections (wrk), and whether every answered request was recorded;
#   - the gateway's CPU time per request in each wrk run (user + system time of its process, from
#     /proc/PID/stat, over the requests answered): the figure least moved by other work on the machine;
#     at 8 connections also the part spent on NIO's thread pool, off the request path (the records);
#   - time to the first streamed event (benchmarks/first_byte.py), direct and through the gateway;
#   - LiteLLM proxy 1.77.7 (one worker, no database) on the same upstream, 1 and 8 connections;
#   - three floors that bound what any code of the gateway's could reach on this machine: the HTTP
#     server alone (Hummingbird answering GET /health in the gateway, against nginx answering the same
#     GET), a proxy written in C (a second nginx, one worker, proxy_pass with keep-alive to the same
#     upstream), and one on SwiftNIO's channel handlers alone (benchmarks/Sources/NIOProxyFloor: no
#     HTTP framework, no Swift concurrency, no routing or records), at 1 and 8 connections.
#
#   bash benchmarks/gateway.sh [SECONDS]    (from the repository root; default 10 s per wrk run)
#
# The gateway's store is a new SQLite file; GATEWAY_BENCH_DB=postgres://… serves from that PostgreSQL
# database instead (a new one: `costwise init --db URL`; its records are counted with psql).
# GATEWAY_BENCH_RECORDS=N starts it on a SQLite store that already holds N request records (ids as
# random as before they sorted by time, spread over the past week), as a store in use does.
#
# Needs a release build of costwise and of costwise-net, which serves for it (`swift build -c release
# --static-swift-stdlib`, or $COSTWISE_BINARY with costwise-net in its folder; the script builds the
# SwiftNIO proxy in benchmarks/.build, about 2 minutes the first time), nginx, wrk and sqlite3
# (as root it installs them with apt-get when missing), and python3. LiteLLM goes into a venv of its
# own under .build/ the first time (pip, from PyPI); GATEWAY_BENCH_LITELLM=0 leaves it out. Everything
# listens on 127.0.0.1 only, every load stops by itself, and the script stops every process it
# started, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
binary="${COSTWISE_BINARY:-.build/release/costwise}"
litellm_venv=".build/litellm-1.77.7"
nio_proxy="benchmarks/.build/release/NIOProxyFloor"
[ -x "$binary" ] && [ -x "$(dirname "$binary")/costwise-net" ] \
    || { echo "gateway.sh: build costwise and costwise-net in release first (or set COSTWISE_BINARY)" >&2; exit 1; }
for tool in nginx wrk sqlite3; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx wrk sqlite3 >/dev/null
        else echo "gateway.sh: $tool is needed (apt-get install $tool)" >&2; exit 1; fi
    fi
done
# The SwiftNIO floor, built (or brought up to date, seconds) in the benchmark package's own .build.
swift build -c release --package-path benchmarks --product NIOProxyFloor 2>&1 | tail -1 >&2
if [ "${GATEWAY_BENCH_LITELLM:-1}" != 0 ] && [ ! -x "$litellm_venv/bin/litellm" ]; then
    echo "gateway.sh: installing litellm[proxy]==1.77.7 into $litellm_venv" >&2
    python3 -m venv "$litellm_venv"
    "$litellm_venv/bin/pip" install -q 'litellm[proxy]==1.77.7'
fi

work="$(mktemp -d)"
upstream_port=18931
gateway_port=18932
litellm_port=18933
proxy_port=18934
nio_proxy_port=18935
stop() {
    local pid
    [ -f "$work/$1.pid" ] || return 0
    pid="$(cat "$work/$1.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$work/$1.pid"
}
cleanup() {
    stop litellm
    stop gateway
    stop proxy
    stop nioproxy
    stop nginx
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for URL: until it answers, for at most 60 s.
wait_for() {
    for _ in $(seq 1 600); do
        curl -sf "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "gateway.sh: $1 did not answer within 60 s" >&2
    return 1
}
load() { cut -d' ' -f1 /proc/loadavg; }

source benchmarks/static-upstream.sh
start_static_upstream "$work" "$upstream_port"
# The C proxy's floor: a second nginx passing every request to the first over keep-alive connections.
cat > "$work/proxy.conf" <<CONF
worker_processes 1;
pid $work/proxy.pid;
error_log $work/proxy-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path $work/proxy-body;
    proxy_temp_path $work/proxy-temp;
    upstream static { server 127.0.0.1:$upstream_port; keepalive 16; }
    server {
        listen 127.0.0.1:$proxy_port;
        location / {
            proxy_pass http://static;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
nginx -c "$work/proxy.conf"
"$nio_proxy" "$nio_proxy_port" "$upstream_port" &
echo $! > "$work/nioproxy.pid"

cat > "$work/gateway.yaml" <<CONF
providers:
  "*":
    base_url: http://127.0.0.1:$upstream_port/v1
    model_ids: full
CONF
store="${GATEWAY_BENCH_DB:-$work/costwise.sqlite}"
# count_records WHERE: the gateway's stored request records that match.
count_records() {
    case "$store" in
        postgres://*) psql -qtA "$store" -c "SELECT count(*) FROM gateway_requests WHERE $1" ;;
        *) sqlite3 "$store" "SELECT count(*) FROM gateway_requests WHERE $1" ;;
    esac
}
prefilled="${GATEWAY_BENCH_RECORDS:-0}"
if [ "$prefilled" -gt 0 ]; then
    case "$store" in postgres://*) echo "gateway.sh: GATEWAY_BENCH_RECORDS is for a SQLite store" >&2; exit 1 ;; esac
    "$binary" init --db "$store" >/dev/null
    sqlite3 "$store" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $prefilled)
INSERT INTO gateway_requests (id, at, task, model, status, http_status, stream, attempt_count, attempts, threshold,
                              input_tokens, output_tokens, estimated_cost_usd, cost_usd, upstream_latency_ms,
                              time_to_first_token_ms, overhead_ms, premium_model, premium_cost_usd)
SELECT 'cw-' || lower(hex(randomblob(12))), unixepoch() - 7 * 86400 + i * 7.0 * 86400 / $prefilled, 'summarization',
       'meta/llama-3.3-70b-instruct', 'ok', 200, 0, 1, 'meta/llama-3.3-70b-instruct' || char(9) || 'ok' || char(9) || '2.8', 0.8,
       20, 2, 0.00025, 0.000013, 2.8, 2.8, 0.15, 'google/gemini-2.5-pro', 0.000045
FROM n;
SQL
fi
"$binary" serve --config "$work/gateway.yaml" --port "$gateway_port" --db "$store" 2>"$work/gateway.log" &
echo $! > "$work/gateway.pid"
wait_for "http://127.0.0.1:$gateway_port/health"
wait_for "http://127.0.0.1:$nio_proxy_port/health"

message='{"role":"user","content":"Summarize: the gateway routes each request to the cheapest model that qualifies."}'
printf '{"model":"costwise/summarization","messages":[%s],"stream":true}' "$message" > "$work/stream.json"
post_script() {
    cat > "$work/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"$2","messages":[$message]}'
LUA
}
post_script costwise costwise/summarization
printf 'wrk.method = "GET"\n' > "$work/get.lua"
post_script litellm bench

# cpu_ticks NAME: the user + system time of a started process so far, in clock ticks (0 if not running).
cpu_ticks() {
    local pid
    pid="$(cat "$work/$1.pid" 2>/dev/null)" || { echo 0; return; }
    awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0
}
ticks_per_second="$(getconf CLK_TCK)"
# The user + system time of PROCESS's NIO thread pool (threads SGLTN-TP-#n), where the gateway writes
# its request records and rebuilds its snapshot: the part of its CPU time off the request path.
pool_ticks() {
    local pid task
    pid="$(cat "$work/$1.pid" 2>/dev/null)" || { echo 0; return; }
    for task in /proc/"$pid"/task/*; do
        case "$(cat "$task/comm" 2>/dev/null)" in SGLTN-TP-*) awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null ;; esac
    done | awk '{ ticks += $1 } END { print ticks + 0 }'
}

# run NAME CONNECTIONS PORT SCRIPT [PROCESS] [PATH]: prints p50 and p99 (µs), requests/s, the load
# average before it, and the CPU time PROCESS (a started process: gateway, litellm) spent per request
# (µs; 0 without). PATH is /v1/chat/completions unless given.
run() {
    local out threads before ticks_before ticks_after
    threads=$(( $2 < 2 ? 1 : 2 ))
    before="$(load)"
    ticks_before="$(cpu_ticks "${5:-none}")"
    out="$(wrk -t"$threads" -c"$2" -d"${seconds}s" --latency -s "$work/$4.lua" "http://127.0.0.1:$3${6:-/v1/chat/completions}")"
    ticks_after="$(cpu_ticks "${5:-none}")"
    echo "$out" > "$work/$1.txt"
    python3 - "$work/$1.txt" "$before" "$(( ticks_after - ticks_before ))" "$ticks_per_second" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
if "Non-2xx" in text:
    sys.exit(f"gateway.sh: {sys.argv[1]} got answers other than 2xx:\n{text}")
def micros(label):
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
cpu = int(sys.argv[3]) / int(sys.argv[4]) * 1e6 / max(requests, 1)
print(f"{micros('50%'):.1f} {micros('99%'):.1f} {rps:.0f} {sys.argv[2]} {cpu:.0f}")
PY
}

for _ in 1 2 3; do
    curl -sf "http://127.0.0.1:$gateway_port/v1/chat/completions" -H 'content-type: application/json' \
        -d '{"model":"costwise/summarization","messages":[{"role":"user","content":"warm up"}]}' >/dev/null
done
warmups=3

read -r d1_p50 d1_p99 d1_rps d1_load _ < <(run direct1 1 "$upstream_port" costwise)
read -r g1_p50 g1_p99 g1_rps g1_load g1_cpu < <(run gateway1 1 "$gateway_port" costwise gateway)
read -r d8_p50 d8_p99 d8_rps d8_load _ < <(run direct8 8 "$upstream_port" costwise)
pool_before="$(pool_ticks gateway)"
read -r g8_p50 g8_p99 g8_rps g8_load g8_cpu < <(run gateway8 8 "$gateway_port" costwise gateway)
pool_after="$(pool_ticks gateway)"
g8_requests="$(grep -o '[0-9]* requests in' "$work/gateway8.txt" | cut -d' ' -f1)"
g8_pool_cpu="$(awk -v t=$(( pool_after - pool_before )) -v hz="$ticks_per_second" -v n="$g8_requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')"
# The floors: the HTTP server alone, a proxy written in C, and one on SwiftNIO alone.
read -r h_d1_p50 _ _ h_d1_load _ < <(run health-direct1 1 "$upstream_port" get none /health)
read -r h_g1_p50 _ _ h_g1_load h_g1_cpu < <(run health-gateway1 1 "$gateway_port" get gateway /health)
read -r _ _ h_d8_rps _ _ < <(run health-direct8 8 "$upstream_port" get none /health)
read -r _ _ h_g8_rps h_g8_load h_g8_cpu < <(run health-gateway8 8 "$gateway_port" get gateway /health)
read -r p1_p50 p1_p99 _ p1_load _ < <(run proxy1 1 "$proxy_port" costwise)
read -r _ _ p8_rps p8_load _ < <(run proxy8 8 "$proxy_port" costwise)
read -r n1_p50 n1_p99 _ n1_load n1_cpu < <(run nioproxy1 1 "$nio_proxy_port" costwise nioproxy)
read -r _ _ n8_rps n8_load n8_cpu < <(run nioproxy8 8 "$nio_proxy_port" costwise nioproxy)
stop nioproxy
ttfb_load="$(load)"
ttfb_rounds=20
first_byte="$(python3 benchmarks/first_byte.py "$ttfb_rounds" "$work/stream.json" direct="$upstream_port" gateway="$gateway_port")"
read -r _ s_d_p50 s_d_p99 _ < <(echo "$first_byte" | grep '^direct ')
read -r _ s_g_p50 s_g_p99 streamed < <(echo "$first_byte" | grep '^gateway ')
streamed=$(( streamed + 100 ))  # and its warm-up block

sleep 1
stop gateway
recorded="$(( $(count_records true) - prefilled ))"
# A request wrk left in flight when a run ended is recorded as 499 (client closed): not a failure.
failed="$(count_records "status <> 'ok' AND http_status <> 499")"
answered="$(cat "$work"/gateway1.txt "$work"/gateway8.txt | python3 -c 'import re,sys; print(sum(int(n) for n in re.findall(r"(\d+) requests in", sys.stdin.read())))')"
answered=$(( answered + warmups + streamed ))

l1_p50=0; l1_p99=0; l1_rps=0; l1_load=-; l8_p50=0; l8_p99=0; l8_rps=0; l8_load=-
if [ "${GATEWAY_BENCH_LITELLM:-1}" != 0 ]; then
    cat > "$work/litellm.yaml" <<CONF
model_list:
  - model_name: bench
    litellm_params:
      model: openai/bench
      api_base: http://127.0.0.1:$upstream_port/v1
      api_key: unused
CONF
    # The bundled price list, not one fetched from the network; no database.
    LITELLM_LOCAL_MODEL_COST_MAP=True "$litellm_venv/bin/litellm" --config "$work/litellm.yaml" --host 127.0.0.1 \
        --port "$litellm_port" --num_workers 1 >"$work/litellm.log" 2>&1 &
    echo $! > "$work/litellm.pid"
    wait_for "http://127.0.0.1:$litellm_port/health/liveliness"
    for _ in 1 2 3; do
        curl -sf "http://127.0.0.1:$litellm_port/v1/chat/completions" -H 'content-type: application/json' \
            -d '{"model":"bench","messages":[{"role":"user","content":"warm up"}]}' >/dev/null
    done
    read -r l1_p50 l1_p99 l1_rps l1_load _ < <(run litellm1 1 "$litellm_port" litellm)
    read -r l8_p50 l8_p99 l8_rps l8_load _ < <(run litellm8 8 "$litellm_port" litellm)
    stop litellm
fi

G8_POOL_CPU="$g8_pool_cpu" python3 - "$d1_p50" "$d1_p99" "$d1_rps" "$g1_p50" "$g1_p99" "$g1_rps" "$d8_p50" "$d8_p99" "$d8_rps" "$g8_p50" "$g8_p99" "$g8_rps" \
    "$s_d_p50" "$s_d_p99" "$s_g_p50" "$s_g_p99" "$l1_p50" "$l1_p99" "$l1_rps" "$l8_p50" "$l8_p99" "$l8_rps" \
    "$recorded" "$failed" "$answered" "$d1_load" "$g1_load" "$d8_load" "$g8_load" "$ttfb_load" "$l1_load" "$l8_load" \
    "$g1_cpu" "$g8_cpu" "$h_d1_p50" "$h_g1_p50" "$h_g1_cpu" "$h_d8_rps" "$h_g8_rps" "$h_g8_cpu" "$p1_p50" "$p1_p99" "$p8_rps" \
    "$h_g1_load" "$h_g8_load" "$p1_load" "$p8_load" "$n1_p50" "$n1_p99" "$n1_cpu" "$n8_rps" "$n8_cpu" "$n1_load" "$n8_load" <<'PY'
import os, sys
(d1p50, d1p99, d1rps, g1p50, g1p99, g1rps, d8p50, d8p99, d8rps, g8p50, g8p99, g8rps,
 sdp50, sdp99, sgp50, sgp99, l1p50, l1p99, l1rps, l8p50, l8p99, l8rps) = map(float, sys.argv[1:23])
recorded, failed, answered = map(int, sys.argv[23:26])
d1l, g1l, d8l, g8l, sl, l1l, l8l = sys.argv[26:33]
g1cpu, g8cpu = sys.argv[33:35]
hd1p50, hg1p50, hg1cpu, hd8rps, hg8rps, hg8cpu, p1p50, p1p99, p8rps = map(float, sys.argv[35:44])
hg1l, hg8l, p1l, p8l = sys.argv[44:48]
n1p50, n1p99, n1cpu, n8rps, n8cpu = map(float, sys.argv[48:53])
n1l, n8l = sys.argv[53:55]
print("== gateway against a static nginx upstream on loopback (same run; load average when each was taken)")
print(f"1 connection (wrk):  direct p50 {d1p50:.0f} µs, p99 {d1p99:.0f} µs [load {d1l}]")
print(f"                     gateway p50 {g1p50:.0f} µs, p99 {g1p99:.0f} µs [load {g1l}]")
print(f"                     overhead p50 {g1p50 - d1p50:+.0f} µs, p99 {g1p99 - d1p99:+.0f} µs")
print(f"8 connections (wrk): direct {d8rps:.0f} req/s [load {d8l}]; gateway {g8rps:.0f} req/s, p50 {g8p50:.0f} µs, p99 {g8p99:.0f} µs [load {g8l}]")
print(f"gateway CPU time per request (user + system): {g1cpu} µs at 1 connection, {g8cpu} µs at 8 connections "
      f"(of which {os.environ['G8_POOL_CPU']} µs on NIO's thread pool: writing the records, rebuilding the snapshot)")
print(f"first streamed event: direct p50 {sdp50:.0f} µs, p99 {sdp99:.0f} µs; gateway p50 {sgp50:.0f} µs, p99 {sgp99:.0f} µs [load {sl}]")
print(f"                     gateway − direct: p50 {sgp50 - sdp50:+.0f} µs, p99 {sgp99 - sdp99:+.0f} µs")
print("floors (same run): the HTTP server alone, GET /health: Hummingbird in the gateway p50 "
      f"{hg1p50:.0f} µs against nginx {hd1p50:.0f} µs ({hg1p50 - hd1p50:+.0f} µs), {hg1cpu:.0f} µs CPU per request [load {hg1l}];")
print(f"                     8 connections {hg8rps:.0f} req/s against nginx {hd8rps:.0f}, {hg8cpu:.0f} µs CPU per request [load {hg8l}]")
print(f"                     nginx as a reverse proxy: 1 connection p50 overhead {p1p50 - d1p50:+.0f} µs, p99 {p1p99 - d1p99:+.0f} µs "
      f"[load {p1l}]; 8 connections {p8rps:.0f} req/s [load {p8l}]")
print(f"                     SwiftNIO alone as a reverse proxy: 1 connection p50 overhead {n1p50 - d1p50:+.0f} µs, p99 {n1p99 - d1p99:+.0f} µs, "
      f"{n1cpu:.0f} µs CPU per request [load {n1l}]; 8 connections {n8rps:.0f} req/s, {n8cpu:.0f} µs CPU per request [load {n8l}]")
if l1rps:
    print(f"LiteLLM 1.77.7:      1 connection p50 {l1p50:.0f} µs, p99 {l1p99:.0f} µs, {l1rps:.0f} req/s [load {l1l}]; "
          f"8 connections {l8rps:.0f} req/s, p50 {l8p50:.0f} µs [load {l8l}]")
    print(f"                     gateway/LiteLLM at 8 connections: {g8rps / l8rps:.1f}×")
# wrk leaves out the requests in flight when it stops (at most one per connection of each run).
complete = answered <= recorded <= answered + 1 + 8
print(f"records: {recorded} stored ({failed} failed, besides those wrk left in flight) for {answered} answers counted; "
      + ("every request recorded" if complete and failed == 0 else "MISSING OR FAILED RECORDS"))
PY
