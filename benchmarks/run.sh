#!/usr/bin/env bash
# Costwise benchmarks: builds the harness and the `costwise` binary in release, with the Swift
# standard library linked statically (so process start-up is not dynamic loading), then runs the
# three measurements and prints each figure next to its baseline from this same run, as a ratio.
#
#   bash benchmarks/run.sh     (from the repository root; about 2 minutes on 2 cores, after first
#                               release builds of about 4 minutes)
#
# Everything it makes goes to benchmarks/.build/ (ignored by git). Needs hyperfine and the sqlite3
# shell; as root it installs them with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")"

for tool in hyperfine sqlite3; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
        else
            echo "run.sh: $tool is needed (apt-get install $tool)" >&2
            exit 1
        fi
    fi
done

echo "== build (release, --static-swift-stdlib)"
swift build -c release --static-swift-stdlib --product CostwiseBench 2>&1 | grep -v "warning: the use of .mktemp" | tail -1
BENCH="$(swift build -c release --static-swift-stdlib --show-bin-path)/CostwiseBench"
# `costwise` is built as the root package, as a user builds it: SwiftPM drops a dependency's unsafe
# flags, and the root's release link flags are what make it start fast. Its own build folder, inside
# this one, leaves the root package's .build alone.
ROOT_BUILD=(swift build --package-path .. --scratch-path "$PWD/.build/costwise" -c release --static-swift-stdlib)
"${ROOT_BUILD[@]}" --product costwise 2>&1 | grep -v "warning: the use of .mktemp" | tail -1
COSTWISE="$("${ROOT_BUILD[@]}" --show-bin-path)/costwise"
DATA="$PWD/.build/bench-data"
mkdir -p "$DATA"

echo
echo "== machine"
echo "nproc: $(nproc); uname: $(uname -srmo); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "swift: $(swift --version 2>&1 | head -1)"
echo "sqlite3 shell: $(sqlite3 --version | cut -d' ' -f1); hyperfine: $(hyperfine --version | cut -d' ' -f2)"
echo "costwise: commit $(git -C .. rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C .. status --porcelain -- Sources 2>/dev/null)" ] || echo ', with uncommitted changes in Sources/')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# Median of a hyperfine CSV export's row N (1-based), in seconds.
median() { awk -F, -v row="$2" 'NR == row + 1 { print $4 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }

echo
echo "== 1. in-process select, 2,000 models x 100 task types (median ns per select over batches)"
"$BENCH" store "$DATA/store.sqlite"
"$BENCH" select "$DATA/store.sqlite"

echo
echo "== 2. costwise evals import of 300,000 CSV results vs sqlite3 .import into a bare table"
"$BENCH" evals "$DATA"
TEMPLATE="$DATA/evals-template.sqlite"
rm -f "$TEMPLATE" "$TEMPLATE-wal" "$TEMPLATE-shm"
"$COSTWISE" init --empty --db "$TEMPLATE" >/dev/null
"$COSTWISE" models import "$DATA/prices.csv" --db "$TEMPLATE" >/dev/null
while read -r task; do "$COSTWISE" tasks set "$task" --db "$TEMPLATE" >/dev/null; done <"$DATA/tasks.txt"
sqlite3 "$TEMPLATE" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
RUN_DB="$DATA/evals-run.sqlite"
IMPORT_DB="$DATA/sqlite-import.db"
# Each run starts from a fresh copy of the store (or, for sqlite3, no file at all).
hyperfine --style basic --warmup 1 --runs 5 --export-csv "$DATA/evals-costwise.csv" \
    --prepare "cp '$TEMPLATE' '$RUN_DB'; rm -f '$RUN_DB-wal' '$RUN_DB-shm'" \
    -n "costwise evals import" "'$COSTWISE' evals import '$DATA/results.csv' --db '$RUN_DB'"
hyperfine --style basic --warmup 1 --runs 5 --export-csv "$DATA/evals-sqlite.csv" \
    --prepare "rm -f '$IMPORT_DB'" \
    -n "sqlite3 .import --csv" "sqlite3 '$IMPORT_DB' \".import --csv '$DATA/results.csv' t\""
echo "rows stored: costwise $(sqlite3 "$RUN_DB" 'SELECT count(*) FROM results'), sqlite3 $(sqlite3 "$IMPORT_DB" 'SELECT count(*) FROM t')"
"$BENCH" evals-phases "$DATA/results.csv" "$TEMPLATE"
OURS_IMPORT=$(median "$DATA/evals-costwise.csv" 1)
THEIRS_IMPORT=$(median "$DATA/evals-sqlite.csv" 1)

echo
echo "== 3. cold costwise select process vs the sqlite3 shell's one indexed query, same store file"
TASK=task-042
MIN_QUALITY=0.8
SQL="SELECT model FROM candidate INDEXED BY candidate_plain WHERE task_id = (SELECT id FROM task_types WHERE name = '$TASK') AND fits = 1 AND mean >= $MIN_QUALITY ORDER BY cost, mean DESC, model LIMIT 1"
echo "answers: costwise $("$COSTWISE" select --db "$DATA/store.sqlite" --task $TASK --min-quality $MIN_QUALITY | head -1), sqlite3 $(sqlite3 "$DATA/store.sqlite" "$SQL")"
hyperfine --style basic -N --warmup 20 --runs 300 --export-csv "$DATA/select-process.csv" \
    -n "costwise select" "$COSTWISE select --db $DATA/store.sqlite --task $TASK --min-quality $MIN_QUALITY" \
    -n "sqlite3 shell" "sqlite3 $DATA/store.sqlite \"$SQL\"" \
    -n "library only: open + snapshot(answering:) + select" "$BENCH cold-select $DATA/store.sqlite $TASK $MIN_QUALITY" \
    -n "empty static Swift process (start-up floor)" "$BENCH noop"
"$BENCH" cold-select "$DATA/store.sqlite" $TASK $MIN_QUALITY --phases | tail -1
OURS_SELECT=$(median "$DATA/select-process.csv" 1)
THEIRS_SELECT=$(median "$DATA/select-process.csv" 2)

echo
echo "== 3b. the same with the request's own token counts: no stored order answers it, on either side"
TOKENS_SQL="SELECT model FROM candidate INDEXED BY candidate_tokens WHERE task_id = (SELECT id FROM task_types WHERE name = '$TASK') AND mean >= $MIN_QUALITY AND (ctx IS NULL OR ctx >= 700) ORDER BY (500 * in_price + 200 * out_price) / 1000000.0 + request_usd, mean DESC, model LIMIT 1"
echo "answers: costwise $("$COSTWISE" select --db "$DATA/store.sqlite" --task $TASK --min-quality $MIN_QUALITY --input-tokens 500 --output-tokens 200 | head -1), sqlite3 $(sqlite3 "$DATA/store.sqlite" "$TOKENS_SQL")"
hyperfine --style basic -N --warmup 20 --runs 300 --export-csv "$DATA/select-tokens-process.csv" \
    -n "costwise select --input-tokens 500 --output-tokens 200" "$COSTWISE select --db $DATA/store.sqlite --task $TASK --min-quality $MIN_QUALITY --input-tokens 500 --output-tokens 200" \
    -n "sqlite3 shell" "sqlite3 $DATA/store.sqlite \"$TOKENS_SQL\""
OURS_TOKENS=$(median "$DATA/select-tokens-process.csv" 1)
THEIRS_TOKENS=$(median "$DATA/select-tokens-process.csv" 2)

echo
echo "== summary (medians; goal in brackets; measurement 1's table is above)"
ROWS=300000
echo "2. evals import: costwise $(awk -v s="$OURS_IMPORT" -v n=$ROWS 'BEGIN { printf "%.3f s, %d rows/s", s, n / s }'); sqlite3 .import $(awk -v s="$THEIRS_IMPORT" -v n=$ROWS 'BEGIN { printf "%.3f s, %d rows/s", s, n / s }'); costwise takes $(ratio "$OURS_IMPORT" "$THEIRS_IMPORT")x sqlite3's time [<= 2x]: $(awk -v a="$OURS_IMPORT" -v b="$THEIRS_IMPORT" 'BEGIN { print (a <= 2 * b ? "met" : "MISSED") }')"
echo "3. cold select: costwise $(ms "$OURS_SELECT"); sqlite3 shell $(ms "$THEIRS_SELECT"); costwise takes $(ratio "$OURS_SELECT" "$THEIRS_SELECT")x sqlite3's time [<= 3x]: $(awk -v a="$OURS_SELECT" -v b="$THEIRS_SELECT" 'BEGIN { print (a <= 3 * b ? "met" : "MISSED") }')"
echo "3b. cold select with its own tokens: costwise $(ms "$OURS_TOKENS"); sqlite3 shell $(ms "$THEIRS_TOKENS"); costwise takes $(ratio "$OURS_TOKENS" "$THEIRS_TOKENS")x sqlite3's time [<= 3x]: $(awk -v a="$OURS_TOKENS" -v b="$THEIRS_TOKENS" 'BEGIN { print (a <= 3 * b ? "met" : "MISSED") }')"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
