#!/usr/bin/env bash
# Many costwise processes on one store at once, for a while, and what they left behind.
#
#   scripts/concurrency-soak.sh [SECONDS] [WRITERS] [SELECTORS] [ROWS_PER_IMPORT]   (default: 60 8 4 20000)
#
# First, TRIALS (default 30) times, WRITERS + SELECTORS processes create one new store at once, and
# one writer waits behind a write lock held for 15 s, longer than SQLite's busy timeout. Then WRITERS
# processes record single results and import files of ROWS_PER_IMPORT results (every third import is
# the writer's previous file again, which must replace, not add), while SELECTORS processes run
# `costwise select` in a loop. At the end every result must be stored exactly once, the statistics
# must equal a recomputation from the rows, and no command may have failed.
# Prints the figures; exit status 1 when a check fails. Uses $COSTWISE_BINARY when set, else a
# release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/reliability-common.sh

seconds=${1:-60}
writers=${2:-8}
selectors=${3:-4}
rows=${4:-20000}
trials=${TRIALS:-30}
costwise=$(costwise_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# 1. Creating one store from many processes at once.
creation_failures=0
unseeded=0
for trial in $(seq 1 "$trials"); do
    db="$work/created-$trial.sqlite"
    for process in $(seq 1 $((writers + selectors))); do
        if [ $((process % 3)) = 0 ]; then
            "$costwise" select --task classification --min-quality 0.5 --db "$db" > /dev/null 2>> "$work/creation.err" &
        else
            "$costwise" record --model openai/gpt-4o-mini --task classification --score 1 --db "$db" > /dev/null 2>> "$work/creation.err" &
        fi
    done
    wait
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM price_history')" = "$(sqlite3 "$db" 'SELECT count(*) FROM models')" ] || unseeded=$((unseeded + 1))
done
creation_failures=$(grep -c . "$work/creation.err" || true)

# 2. A writer behind a lock held for longer than SQLite's busy timeout (10 s) must wait, not fail.
db="$work/held.sqlite"
small_store "$db"
printf 'BEGIN IMMEDIATE;\nDELETE FROM results WHERE 0;\n.shell sleep 15\nCOMMIT;\n' | sqlite3 "$db" &
holder=$!
sleep 1
held_started=$(date +%s)
if "$costwise" record --model acme/a --task classification --score 1 --db "$db" > /dev/null 2> "$work/held.err"; then
    held_result="recorded"; else held_result="failed: $(cat "$work/held.err")"; status=1; fi
held_waited=$(($(date +%s) - held_started))
wait "$holder"

# 3. Writers and selectors on one store.
db="$work/soak.sqlite"
small_store "$db"
deadline=$(($(date +%s) + seconds))
writer() {
    local w=$1 imports=0 reimports=0 singles=0 failures=0 k=0
    while [ "$(date +%s)" -lt "$deadline" ]; do
        k=$((k + 1))
        if [ $((k % 3)) = 0 ] && [ $imports -gt 0 ]; then
            if "$costwise" evals import "$work/w$w-$imports.jsonl" --db "$db" > /dev/null 2>> "$work/w$w.err"; then
                reimports=$((reimports + 1)); else failures=$((failures + 1)); fi
        elif [ $((k % 3)) = 1 ]; then
            local next=$((imports + 1))
            results_file "$work/w$w-$next.jsonl" "w$w-$next" "$rows" "0.$((k % 10))"
            if "$costwise" evals import "$work/w$w-$next.jsonl" --db "$db" > /dev/null 2>> "$work/w$w.err"; then
                imports=$next; else failures=$((failures + 1)); rm -f "$work/w$w-$next.jsonl"; fi
        else
            if "$costwise" record --model acme/a --task classification --score 0.5 --run "w$w" --item "single-$k" \
                --latency-ms 20 --db "$db" > /dev/null 2>> "$work/w$w.err"; then
                singles=$((singles + 1)); else failures=$((failures + 1)); fi
        fi
    done
    echo "$imports $reimports $singles $failures" > "$work/w$w.tally"
}
selector() {
    local s=$1 selects=0 during=0 failures=0
    while [ "$(date +%s)" -lt "$deadline" ] || [ "$(ls "$work"/*.tally 2> /dev/null | wc -l)" -lt "$writers" ]; do
        local running=$(( $(ls "$work"/*.tally 2> /dev/null | wc -l) < writers ))
        if "$costwise" select --task classification --min-quality 0 --db "$db" > /dev/null 2>> "$work/s$s.err"; then
            selects=$((selects + 1)); during=$((during + running)); else failures=$((failures + 1)); fi
    done
    echo "$selects $during $failures" > "$work/s$s.stally"
}
started=$(date +%s)
for w in $(seq 1 "$writers"); do writer "$w" & done
for s in $(seq 1 "$selectors"); do selector "$s" & done
wait
elapsed=$(($(date +%s) - started))

read -r imports reimports singles write_failures < <(cat "$work"/*.tally | awk '{a+=$1; b+=$2; c+=$3; d+=$4} END {print a, b, c, d}')
read -r selects during select_failures < <(cat "$work"/*.stally | awk '{a+=$1; b+=$2; c+=$3} END {print a, b, c}')
expected=$((imports * rows + singles + 1))  # and the one small_store records
stored=$(sqlite3 "$db" 'SELECT count(*) FROM results')
distinct=$(sqlite3 "$db" 'SELECT count(*) FROM (SELECT DISTINCT model_id, task_id, run, item FROM results)')
mismatches=$(statistics_mismatches "$db")
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
# The stored frontiers the writers kept must give the answers of a full read of each task type
# (--explain reads every candidate).
frontier_disagreements=0
for task in $(sqlite3 "$db" 'SELECT name FROM task_types'); do
    for q in 0.5 0.6 0.7 0.8 0.85 0.9 0.95; do
        plain=$("$costwise" select --task "$task" --min-quality "$q" --db "$db" 2> /dev/null | head -1 || true)
        full=$("$costwise" select --task "$task" --min-quality "$q" --explain --db "$db" 2> /dev/null | head -1 || true)
        [ "$plain" = "$full" ] || frontier_disagreements=$((frontier_disagreements + 1))
    done
done

echo "creation: $trials trials of $((writers + selectors)) processes; failed commands: $creation_failures; stores not seeded exactly once: $unseeded"
echo "a write behind a lock held 15 s: $held_result after $held_waited s"
echo "soak: $writers writers, $selectors selectors, $elapsed s"
echo "  imports: $imports new ($rows results each), $reimports again; single records: $singles; failed writes: $write_failures"
echo "  selects: $selects ($during while writers ran); failed selects: $select_failures"
echo "  results written: $expected; stored: $stored; distinct keys: $distinct"
echo "  statistics differing from the rows: $mismatches; integrity_check: $integrity"
echo "  selects through the stored frontiers differing from a full read: $frontier_disagreements"
if [ -s "$work/creation.err" ] || cat "$work"/w*.err "$work"/s*.err 2> /dev/null | grep -q .; then
    echo "errors:"
    cat "$work/creation.err" "$work"/w*.err "$work"/s*.err 2> /dev/null | sort | uniq -c | sed 's/^/  /'
fi
[ "$creation_failures" = 0 ] && [ "$unseeded" = 0 ] && [ "$write_failures" = 0 ] && [ "$select_failures" = 0 ] \
    && [ "$stored" = "$expected" ] && [ "$distinct" = "$expected" ] && [ "$mismatches" = 0 ] && [ "$integrity" = ok ] \
    && [ "$frontier_disagreements" = 0 ] || status=1
exit $status
