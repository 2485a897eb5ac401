#!/usr/bin/env bash
# How long `GET /` (the dashboard) takes with 100,000 recorded requests, beside `GET /health` and
# the dashboard of the same store without requests, measured in the same run with the same binary;
# and what summing the request rows themselves would cost instead of the per-day sums.
#
#   bash benchmarks/dashboard.sh [REQUESTS] [FETCHES]    (from the repository root; defaults 100000 and 50)
#
# The store is the bundled catalog with 20,000 evaluation results (so that the review reads real
# rows) and REQUESTS gateway requests spread over 90 days, written with the sqlite3 shell (the
# triggers keep the per-day sums as the gateway's own writes do). Needs costwise ($COSTWISE_BINARY,
# else .build/release/costwise, else .build/debug/costwise), curl and sqlite3. Listens on
# 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-100000}"
fetches="${2:-50}"
binary="${COSTWISE_BINARY:-}"
if [ -z "$binary" ]; then
    for candidate in .build/release/costwise .build/debug/costwise; do
        [ -x "$candidate" ] && { binary="$candidate"; break; }
    done
fi
[ -x "$binary" ] || { echo "dashboard.sh: build costwise first (or set COSTWISE_BINARY)" >&2; exit 1; }

work="$(mktemp -d)"
cleanup() {
    for pidfile in "$work"/*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT

# Store: the bundled catalog, then 20,000 results of five models on five task types.
make_store() {
    local db="$1" count="$2"
    "$binary" init --db "$db" >/dev/null
    awk 'BEGIN {
        split("openai/gpt-4o-mini google/gemini-2.0-flash deepseek/deepseek-chat openai/gpt-4.1-nano anthropic/claude-sonnet-4-5", m, " ")
        split("summarization classification code extraction simple-qa", t, " ")
        for (i = 0; i < 20000; i++) printf "{\"model\":\"%s\",\"task\":\"%s\",\"score\":%d,\"run\":\"bench\",\"item\":\"%d\"}\n", m[i%5+1], t[int(i/5)%5+1], (i*7)%10 < 8, i
    }' > "$work/results.jsonl"
    "$binary" evals import "$work/results.jsonl" --db "$db" >/dev/null
    sqlite3 "$db" <<SQL
CREATE TEMP TABLE routes (k INTEGER PRIMARY KEY, task TEXT, model TEXT);
INSERT INTO routes VALUES (0, 'summarization', 'google/gemini-2.0-flash'), (1, 'classification', 'openai/gpt-4.1-nano'),
    (2, 'code', 'deepseek/deepseek-chat'), (3, 'extraction', 'openai/gpt-4o-mini'), (4, 'simple-qa', 'openai/gpt-4o-mini');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
INSERT INTO gateway_requests (id, at, task, model, status, http_status, stream, attempt_count, attempts, threshold,
                              input_tokens, output_tokens, cost_usd, premium_model, premium_cost_usd)
SELECT printf('cw-bench-%07d', i), unixepoch('now') - 90 * 86400.0 * ($count - i) / $count, r.task, r.model,
       CASE WHEN i % 40 = 7 THEN 'failed' ELSE 'ok' END, 200, i % 3 = 0, 1, r.model || char(9) || 'ok' || char(9) || '640', 0.8,
       800 + i % 1700, 100 + i % 600, (800 + i % 1700) * 1e-7 + (100 + i % 600) * 4e-7,
       'anthropic/claude-sonnet-4-5', (800 + i % 1700) * 3e-6 + (100 + i % 600) * 1.5e-5
FROM n JOIN routes r ON r.k = i % 5 WHERE i < $count;
SQL
}

# Starts costwise serve on the store, named NAME; prints its address.
serve() {
    local db="$1" name="$2" log="$work/$2.log"
    "$binary" serve --port 0 --db "$db" >/dev/null 2>"$log" &
    echo "$!" > "$work/$name.pid"
    for _ in $(seq 1 600); do
        if grep -q "gateway listening on " "$log"; then sed -n 's/.*gateway listening on //p' "$log" | head -1; return; fi
        sleep 0.05
    done
    echo "dashboard.sh: costwise serve did not start: $(cat "$log")" >&2
    exit 1
}

# The first fetch of a URL (for the dashboard: the one that reviews the store, which the gateway then
# keeps for a minute), then the median and 90th percentile, in ms, of FETCHES sequential fetches.
timing() {
    local url="$1"
    curl -sf -o /dev/null -w '%{time_total}\n' "$url" | awk '{ printf "first %.2f ms; ", $1 * 1000 }'
    for _ in $(seq 1 "$fetches"); do curl -sf -o /dev/null -w '%{time_total}\n' "$url"; done \
        | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "then median %.2f ms, p90 %.2f ms", t[int((NR + 1) / 2)], t[int(NR * 0.9)] }'
}

make_store "$work/full.sqlite" "$requests"
make_store "$work/empty.sqlite" 0
full="$(serve "$work/full.sqlite" full)"
empty="$(serve "$work/empty.sqlite" empty)"

echo "binary: $binary; $(sqlite3 "$work/full.sqlite" 'SELECT count(*) FROM gateway_requests') recorded requests, $(sqlite3 "$work/full.sqlite" 'SELECT count(*) FROM results') results; $fetches fetches each"
echo "GET /health                          $(timing "$full/health")"
echo "GET / with no requests               $(timing "$empty/")"
echo "GET / with $requests requests        $(timing "$full/")"
echo "page size: $(curl -sf "$full/" | wc -c) bytes"
# What the per-day sums save: the same figures summed from the rows, in the sqlite3 shell.
sqlite3 "$work/full.sqlite" <<'SQL' | awk '/Run Time/ { printf "summing the rows instead (sqlite3 shell, per day then in total): %.1f ms\n", $4 * 1000 }'
.timer on
SELECT CAST(at / 86400 AS INTEGER), coalesce(task, ''), count(*), count(cost_usd), total(cost_usd),
       total(CASE WHEN cost_usd IS NOT NULL THEN coalesce(premium_cost_usd, cost_usd) END)
FROM gateway_requests WHERE status = 'ok' GROUP BY 1, 2;
SQL
