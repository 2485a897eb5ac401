#!/usr/bin/env bash
# Instructions per chat completion on the gateway's event loop, counted with callgrind: the figure
# of the gateway's own work that does not move with what else the machine is doing, so that two
# builds compare on a shared 2-core machine where CPU time moves by 10-20% from run to run.
# One Python client sends chat completions over one keep-alive connection to a static nginx
# upstream (benchmarks/static-upstream.sh); after a warm-up, callgrind counts REQUESTS of them on
# each thread. The thread that served the connection is the one that ran `Gateway.forward`.
#
#   bash benchmarks/gateway-instructions.sh [REQUESTS] [COSTWISE_NET]   (from the repository root)
#
# REQUESTS defaults to 1,500, COSTWISE_NET to .build/release/costwise-net. It prints the loop's
# instructions per request and, per request, those of the gateway's larger steps (inclusive).
# GATEWAY_INSTRUCTIONS_FLOOR=1 counts the SwiftNIO proxy floor (benchmarks/.build/release/
# NIOProxyFloor, which gateway.sh builds) the same way instead: its busiest thread, which serves
# the connection and its upstream connection both.
# Under callgrind a request takes about 50 times as long, so the work the gateway does once a
# second (the snapshot's reload) weighs about 50 times as much per request as at speed, and
# varies from run to run with the machine's speed: the figure without it is the one to compare.
# Other timed work on the loop (timers, the records' hand-over every 100 ms) grows per request
# the same way when the machine is busy: with a build running alongside, a build that gives
# 415,000-417,000 on an idle machine gave 431,000. Compare builds on an idle machine.
# valgrind 3.19 cannot read the DWARF 5 of Swift's release builds, so the binary is measured from
# a copy without debug information. Needs valgrind (installed with apt-get as root when missing),
# nginx, objcopy and python3; everything listens on 127.0.0.1 and the script stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-1500}"
floor="${GATEWAY_INSTRUCTIONS_FLOOR:-0}"
if [ "$floor" = 1 ]; then binary="benchmarks/.build/release/NIOProxyFloor"; else binary="${2:-.build/release/costwise-net}"; fi
[ -x "$binary" ] || { echo "gateway-instructions.sh: build $binary in release first" >&2; exit 1; }
if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
    else echo "gateway-instructions.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 1; fi
fi

work="$(mktemp -d)"
upstream_port=18951
gateway_port=18952
cleanup() {
    [ -f "$work/gateway.pid" ] && kill -KILL "$(cat "$work/gateway.pid")" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
objcopy --strip-debug "$binary" "$work/measured"

source benchmarks/static-upstream.sh
start_static_upstream "$work" "$upstream_port"
printf 'providers:\n  "*":\n    base_url: http://127.0.0.1:%s/v1\n    model_ids: full\n' "$upstream_port" > "$work/gateway.yaml"
if [ "$floor" = 1 ]; then
    command=("$work/measured" "$gateway_port" "$upstream_port")
else
    command=("$work/measured" serve --config "$work/gateway.yaml" --port "$gateway_port" --db "$work/costwise.sqlite")
fi
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" --instr-atstart=no --dump-instr=no --separate-threads=yes \
    "${command[@]}" 2>"$work/gateway.log" &
echo $! > "$work/gateway.pid"
disown
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$gateway_port/health" >/dev/null && break; sleep 0.2; done

# send COUNT: chat completions over one keep-alive connection, each checked.
send() {
    python3 - "$gateway_port" "$1" <<'PY'
import http.client, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
connection = http.client.HTTPConnection("127.0.0.1", port)
body = ('{"model":"costwise/summarization","messages":[{"role":"user","content":'
        '"Summarize: the gateway routes each request to the cheapest model that qualifies."}]}')
for _ in range(count):
    connection.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200, answer.status
PY
}
send 300
callgrind_control -i on "$(cat "$work/gateway.pid")" >/dev/null 2>&1
send "$requests"
callgrind_control -d "$(cat "$work/gateway.pid")" >/dev/null 2>&1
for _ in $(seq 1 100); do ls "$work"/callgrind.*.1-* >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1

loop=""
if [ "$floor" = 1 ]; then
    loop="$(for file in "$work"/callgrind.*.1-*; do echo "$(awk '/^totals:/ { print $2 }' "$file") $file"; done | sort -n | tail -1 | cut -d' ' -f2)"
else
    for file in "$work"/callgrind.*.1-*; do
        if callgrind_annotate "$file" 2>/dev/null | swift demangle --simplified | grep 'Gateway\.forward(' >/dev/null; then
            [ -z "$loop" ] || { echo "gateway-instructions.sh: two threads ran Gateway.forward" >&2; exit 1; }
            loop="$file"
        fi
    done
fi
[ -n "$loop" ] || { echo "gateway-instructions.sh: no thread ran Gateway.forward" >&2; exit 1; }
total="$(awk '/^totals:/ { print $2 }' "$loop")"
callgrind_annotate --inclusive=yes --threshold=100 "$loop" 2>/dev/null | swift demangle --simplified > "$work/inclusive.txt"
reload="$(awk '/\?\?\?:StoreFollower\.reloadSnapshot\(\)/ { gsub(",", "", $1); print $1; exit }' "$work/inclusive.txt")"
echo "measured: $(realpath "$binary")"
if [ "$floor" = 1 ]; then
    awk -v t="$total" -v n="$requests" 'BEGIN { printf "event loop: %.0f instructions per request (%d requests)\n", t / n, n }'
    exit 0
fi
awk -v t="$total" -v r="${reload:-0}" -v n="$requests" 'BEGIN {
    printf "event loop: %.0f instructions per request (%d requests); %.0f without the snapshot'"'"'s reloads\n", t / n, n, (t - r) / n }'
echo "of which, inclusive, per request:"
grep -E '\?\?\?:(static ChatRequest\.decode|specialized RoutePlan\.init|Gateway\.choose\(|(specialized )?static Gateway\.upstreamBody|UpstreamClient\.postChat|AnswerRewriter\.rewrite|(specialized )?Gateway\.headers|Gateway\.record\(|ResponseWriter\.write\(response|StoreFollower\.reloadSnapshot)' "$work/inclusive.txt" \
    | awk -v n="$requests" '{ gsub(",", "", $1); name = substr($0, index($0, "???:") + 4); sub(/ \[.*/, "", name);
                               if (!seen[name]++) printf "  %8.0f  %s\n", $1 / n, name }'
