#!/usr/bin/env bash
# Kills `costwise evals import` of a large file with SIGKILL at random moments, and checks the store
# after every kill.
#
#   scripts/kill-loop.sh [KILLS] [ROWS]     (default: 200 kills, 100000 rows)
#
# The file comes in two versions of one run, every result scoring 0 in one and 1 in the other, and
# the imports alternate between them. After each kill: `PRAGMA integrity_check` is ok, the results
# recorded before the loop are all there, the statistics equal a recomputation from the rows, and
# the run is either as it was before the attempt or wholly the version imported. A final import
# must then end with exact counts. Prints the figures; exit status 1 when a check fails. Uses
# $COSTWISE_BINARY when set, else a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/reliability-common.sh

kills_wanted=${1:-200}
rows=${2:-100000}
costwise=$(costwise_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

db="$work/store.sqlite"
small_store "$db"
results_file "$work/kept.jsonl" kept 500 0.5
"$costwise" evals import "$work/kept.jsonl" --db "$db" > /dev/null
results_file "$work/big-0.jsonl" big "$rows" 0
results_file "$work/big-1.jsonl" big "$rows" 1

# Byte 120 of the -shm file is WAL's write lock: while PID holds it, its import is inside its
# write transaction.
holds_write_lock() {
    awk -v pid="$1" '$2 == "POSIX" && $4 == "WRITE" && $5 == pid && $7 == 120 { found = 1 } END { exit !found }' /proc/locks
}

# How long one whole import takes, and its transaction, on a copy: to spread the kills over them.
cp "$db" "$work/timing.sqlite"
started=$(date +%s%N)
"$costwise" evals import "$work/big-0.jsonl" --db "$work/timing.sqlite" > /dev/null &
pid=$!
locked_at=""
while kill -0 "$pid" 2> /dev/null; do
    [ -z "$locked_at" ] && holds_write_lock "$pid" && locked_at=$(date +%s%N)
done
wait "$pid"
finished=$(date +%s%N)
duration_ms=$(((finished - started) / 1000000))
transaction_ms=$(((finished - ${locked_at:-$started}) / 1000000))

# Odd attempts kill at a moment of the whole run; even ones once the transaction has begun.
attempts=0 kills=0 writing=0 completed=0 unchanged=0 replaced=0 broken=0 previous=absent
while [ "$kills" -lt "$kills_wanted" ]; do
    attempts=$((attempts + 1))
    version=$((attempts % 2))
    "$costwise" evals import "$work/big-$version.jsonl" --db "$db" > /dev/null 2>&1 &
    pid=$!
    window=$duration_ms
    if [ "$version" = 0 ]; then
        until holds_write_lock "$pid" || ! kill -0 "$pid" 2> /dev/null; do :; done
        window=$transaction_ms
    fi
    sleep "$(awk -v ms="$window" -v r="$RANDOM" 'BEGIN { printf "%.3f", ms * r / 32767 / 1000 }')"
    in_transaction=0
    holds_write_lock "$pid" && in_transaction=1
    kill -KILL "$pid" 2> /dev/null || true
    if { wait "$pid"; } 2> /dev/null; then
        completed=$((completed + 1))
    else
        kills=$((kills + 1))
        writing=$((writing + in_transaction))
    fi

    read -r count sum < <(sqlite3 -separator ' ' "$db" "SELECT count(*), CAST(coalesce(sum(score), 0) AS INTEGER) FROM results WHERE run = 'big'")
    sound=$(sqlite3 "$db" 'PRAGMA integrity_check')
    kept=$(sqlite3 "$db" "SELECT count(*) FROM results WHERE run = 'kept'")
    mismatches=$(statistics_mismatches "$db")
    if [ "$sound" != ok ] || [ "$kept" != 500 ] || [ "$mismatches" != 0 ]; then
        broken=$((broken + 1))
        echo "attempt $attempts: integrity $sound, kept $kept, statistics mismatches $mismatches" >&2
    else
        # The run as it stands: absent, or wholly version 0 or 1; anything else is a partial import.
        if [ "$count" = 0 ]; then state=absent
        elif [ "$count" = "$rows" ] && [ "$sum" = 0 ]; then state=0
        elif [ "$count" = "$rows" ] && [ "$sum" = "$rows" ]; then state=1
        else state=partial; fi
        if [ "$state" = "$previous" ]; then unchanged=$((unchanged + 1))
        elif [ "$state" = "$version" ]; then replaced=$((replaced + 1))
        else
            broken=$((broken + 1))
            echo "attempt $attempts: $count rows of $rows, score sum $sum, after $previous: a partial import" >&2
        fi
        previous=$state
    fi
done

"$costwise" evals import "$work/big-1.jsonl" --db "$db" > /dev/null
read -r count sum < <(sqlite3 -separator ' ' "$db" "SELECT count(*), CAST(sum(score) AS INTEGER) FROM results WHERE run = 'big'")
final_mismatches=$(statistics_mismatches "$db")

echo "one whole import of $rows results: $duration_ms ms, its write transaction $transaction_ms ms"
echo "attempts: $attempts; killed mid-run: $kills ($writing of them inside the write transaction); finished before the kill: $completed"
echo "after each: the run as it was before $unchanged times, wholly the imported version $replaced times; broken or partial: $broken"
echo "final import: $count of $rows results, score sum $sum (expected $rows); statistics differing from the rows: $final_mismatches"
[ "$broken" = 0 ] && [ "$count" = "$rows" ] && [ "$sum" = "$rows" ] && [ "$final_mismatches" = 0 ]
