#!/usr/bin/env bash
# A cold `costwise select` with the request's own token counts against the sqlite3 shell answering the
# same request with one query, on a 300-model store (12 task types, 20 results per pair): three series
# of 300 runs each (hyperfine -N), medians, with the plain select beside them.
#
#   bash benchmarks/cold-tokens.sh     (from the repository root; after `bash benchmarks/run.sh` has built
#                                       costwise in release, or with COSTWISE_BINARY set)
#
# The store is made with awk and costwise itself under benchmarks/.build/cold-tokens/ (fixed seeds, so
# every run makes the same store). Needs hyperfine and the sqlite3 shell.
set -euo pipefail
cd "$(dirname "$0")"
binary="${COSTWISE_BINARY:-$PWD/.build/costwise/release/costwise}"
[ -x "$binary" ] || { echo "cold-tokens.sh: build costwise first (bash benchmarks/run.sh), or set COSTWISE_BINARY" >&2; exit 1; }
work="$PWD/.build/cold-tokens"
mkdir -p "$work"
cd "$work"
tasks="classification extraction summarization analysis reasoning code simple-qa translation math chat rewriting planning"

if [ ! -s store.sqlite ]; then
    awk 'BEGIN { srand(7); print "model,input_usd_per_mtok,output_usd_per_mtok,context_window,tier"
        split("openai anthropic google meta mistral deepseek", p, " ")
        for (i = 0; i < 300; i++) { input = 0.02 + rand() * 10
            printf "%s/m-%03d,%.3f,%.3f,%d,%d\n", p[i % 6 + 1], i, input, input * (2 + rand() * 3), (i % 3 == 0 ? 32000 : 128000), 1 + i % 3 } }' > prices.csv
    awk -v tasks="$tasks" 'BEGIN { srand(11); print "model,task,score,run,item"; n = split(tasks, t, " ")
        split("openai anthropic google meta mistral deepseek", p, " ")
        for (i = 0; i < 300; i++) for (k = 1; k <= n; k++) { q = 0.5 + rand() * 0.5
            for (j = 0; j < 20; j++) printf "%s/m-%03d,%s,%d,r1,i%d\n", p[i % 6 + 1], i, t[k], (rand() < q), j } }' > results.csv
    rm -f store.sqlite*
    "$binary" init --empty --db store.sqlite >/dev/null
    "$binary" models import prices.csv --db store.sqlite >/dev/null
    for task in $tasks; do "$binary" tasks set "$task" --db store.sqlite >/dev/null; done
    "$binary" evals import results.csv --db store.sqlite >/dev/null
    sqlite3 store.sqlite "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi

# The same request in SQL: candidates whose mean reaches the threshold (the index on (task, mean)),
# enabled, with room for 700 tokens, cheapest at 500 input and 200 output tokens first.
cat > tokens.sql <<'SQL'
SELECT m.name FROM model_task_stats s JOIN models m ON m.id = s.model_id WHERE s.task_id = (SELECT id FROM task_types WHERE name = 'classification') AND s.mean >= 0.8 AND m.enabled AND (m.context_window IS NULL OR m.context_window >= 700) ORDER BY (500 * m.input_usd_per_mtok + 200 * m.output_usd_per_mtok) / 1000000.0 + coalesce(m.request_usd, 0), s.mean DESC, m.name LIMIT 1
SQL
select=("$binary" select --db store.sqlite --task classification --min-quality 0.8)
echo "answers: costwise $("${select[@]}" --input-tokens 500 --output-tokens 200 | head -1), sqlite3 $(sqlite3 store.sqlite "$(cat tokens.sql)")"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for series in 1 2 3; do
    hyperfine --style none -N --warmup 20 --runs 300 --export-csv "series-$series.csv" \
        -n tokens "${select[*]} --input-tokens 500 --output-tokens 200" \
        -n sqlite3 "sqlite3 store.sqlite \"$(cat tokens.sql)\"" \
        -n plain "${select[*]}" >/dev/null
    awk -F, 'NR > 1 { median[$1] = $4 * 1000 }
        END { printf "series %d: costwise select with tokens %.2f ms, sqlite3 shell %.2f ms: %.2fx [<= 3x]; plain select %.2f ms (%.2fx)\n",
              series, median["tokens"], median["sqlite3"], median["tokens"] / median["sqlite3"], median["plain"], median["plain"] / median["sqlite3"] }' \
        series="$series" "series-$series.csv"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
