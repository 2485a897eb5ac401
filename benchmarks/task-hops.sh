#!/usr/bin/env bash
# How many times the Swift concurrency runtime queues a task per gateway request: uprobes (perf) on
# swift_task_enqueueGlobal, swift_task_switch and swift_job_run of the costwise-net process while wrk
# sends chat completions (one connection) through it to a static nginx upstream, then GET /health.
# Each enqueue is a trip through an event loop's queue; a task that resumes where it runs needs none.
#
#   bash benchmarks/task-hops.sh [COSTWISE_NET]   (from the repository root, as root: uprobes need it)
#
# COSTWISE_NET defaults to .build/release/costwise-net. The probes go where the runtime is: the
# binary itself when it was linked with --static-swift-stdlib, else libswift_Concurrency.so. Needs
# perf, nginx and wrk; everything listens on 127.0.0.1 and the script stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$(realpath "${1:-.build/release/costwise-net}")"
[ -x "$binary" ] || { echo "task-hops.sh: build costwise-net in release first" >&2; exit 1; }
runtime="$(ldd "$binary" | awk '/libswift_Concurrency/ { print $3 }')"
runtime="${runtime:-$binary}"
functions="swift_task_enqueueGlobal swift_task_switch swift_job_run"
group="costwise_task_hops"

work="$(mktemp -d)"
upstream_port=18941
gateway_port=18942
cleanup() {
    [ -f "$work/gateway.pid" ] && kill "$(cat "$work/gateway.pid")" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    perf probe -q -d "$group:*" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for function in $functions; do perf probe -q -x "$runtime" -a "$group:$function=$function"; done

source benchmarks/static-upstream.sh
start_static_upstream "$work" "$upstream_port"
printf 'providers:\n  "*":\n    base_url: http://127.0.0.1:%s/v1\n    model_ids: full\n' "$upstream_port" > "$work/gateway.yaml"
"$binary" serve --config "$work/gateway.yaml" --port "$gateway_port" --db "$work/costwise.sqlite" 2>"$work/gateway.log" &
echo $! > "$work/gateway.pid"
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$gateway_port/health" >/dev/null && break; sleep 0.1; done
cat > "$work/chat.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"costwise/summarization","messages":[{"role":"user","content":"Summarize: the gateway routes each request."}]}'
LUA
printf 'wrk.method = "GET"\n' > "$work/get.lua"

# count NAME PATH SCRIPT: the probes' hits per request while wrk sends 2 s of requests to PATH.
count() {
    local stat="$work/$(basename "$3").stat"
    wrk -t1 -c1 -d1s -s "$3" "http://127.0.0.1:$gateway_port$2" >/dev/null   # warm up
    perf stat -x, -e "$group:*" -p "$(cat "$work/gateway.pid")" -o "$stat" -- sleep 2.5 &
    local perf_pid=$!
    sleep 0.2
    local requests
    requests="$(wrk -t1 -c1 -d2s -s "$3" "http://127.0.0.1:$gateway_port$2" | awk '/requests in/ { print $1 }')"
    wait "$perf_pid"
    awk -F, -v name="$1" -v n="$requests" '$3 ~ /costwise_task_hops/ {
        sub(/.*:/, "", $3); printf "%-22s %-26s %6.2f per request (%d requests)\n", name, $3, $1 / n, n }' "$stat"
}
echo "costwise-net: $binary (runtime probed in $runtime)"
count "chat completion" /v1/chat/completions "$work/chat.lua"
count "GET /health" /health "$work/get.lua"
