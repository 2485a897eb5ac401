#!/usr/bin/env bash
# Runs out of room in the middle of an import, two ways: on a 2 MiB tmpfs (only where this may
# mount one, as root) and under a 1 MiB file size limit (`ulimit -f`). Each import must fail with a
# one-line error and leave the store exactly as it was; with room again, the same import must
# succeed with exact counts.
#
#   scripts/full-disk.sh [ROWS]     (default: 100000)
#
# Prints one line per way; exit status 1 when a check fails. Uses $COSTWISE_BINARY when set, else a
# release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/reliability-common.sh

rows=${1:-100000}
costwise=$(costwise_binary)
work=$(mktemp -d)
mounted=""
cleanup() {
    [ -z "$mounted" ] || umount "$mounted"
    rm -rf "$work"
}
trap cleanup EXIT
results_file "$work/big.jsonl" big "$rows" 1
status=0

# attempt WAY DB LIMIT RELIEF: imports big.jsonl into a new store at DB after the shell commands
# LIMIT, checks what is left, then runs RELIEF and imports again.
attempt() {
    local way=$1 db=$2 limit=$3 relief=$4
    small_store "$db"
    local before
    before=$(sqlite3 "$db" 'SELECT count(*), sum(score) FROM results; SELECT * FROM model_task_stats ORDER BY 1, 2')
    local code=0
    bash -c "$limit"' && exec "$0" "$@"' "$costwise" evals import "$work/big.jsonl" --db "$db" > /dev/null 2> "$work/error" || code=$?
    local after integrity
    after=$(sqlite3 "$db" 'SELECT count(*), sum(score) FROM results; SELECT * FROM model_task_stats ORDER BY 1, 2')
    integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
    eval "$relief"
    "$costwise" evals import "$work/big.jsonl" --db "$db" > /dev/null
    local imported
    imported=$(sqlite3 "$db" "SELECT count(*) FROM results WHERE run = 'big'")
    echo "$way: exit $code, $(wc -l < "$work/error") line of error: $(cat "$work/error")"
    echo "  store unchanged: $([ "$before" = "$after" ] && echo yes || echo no); integrity_check: $integrity;" \
        "with room again: $imported of $rows results"
    [ "$code" = 1 ] && [ "$(wc -l < "$work/error")" = 1 ] && [ "$before" = "$after" ] && [ "$integrity" = ok ] \
        && [ "$imported" = "$rows" ] || status=1
}

mkdir "$work/tmpfs"
if mount -t tmpfs -o size=2m tmpfs "$work/tmpfs" 2> /dev/null; then
    mounted="$work/tmpfs"
    attempt "2 MiB tmpfs" "$work/tmpfs/store.sqlite" "true" "mount -o remount,size=256m '$work/tmpfs'"
else
    echo "2 MiB tmpfs: not tried (mounting one needs root)"
fi
attempt "ulimit -f 1024" "$work/limited.sqlite" "ulimit -f 1024" "true"
exit $status
