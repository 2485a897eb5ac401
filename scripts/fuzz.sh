#!/usr/bin/env bash
# Fuzzes every importer with libFuzzer for a bounded time and prints, per target, the time spent,
# the executions run and what was found.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 seconds, every target)
#
# The library's sources and Fuzz/ImporterFuzzer.swift are compiled into one binary with
# `-sanitize=fuzzer,address`. Seeds come from the test fixtures; the corpus each target grows is kept
# in .build-fuzz/corpus/TARGET between runs, and inputs that fail in this run land in
# .build-fuzz/crashes/TARGET (crashes, and inputs slower than 10 seconds).
# Exit status 1 when any target found a failing input.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
all_targets=(price-csv price-json litellm openrouter price-auto evals-jsonl evals-csv inspect lm-eval task-map evals-store)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

work=.build-fuzz
mkdir -p "$work"

# The library embeds files of data/ through a build plugin; generate that file the same way, from
# the files the plugin names.
swiftc -O Sources/CostwiseEmbed/main.swift -o "$work/embed"
mapfile -t catalog < <(grep -o 'catalogFiles = \[[^]]*\]' Plugins/EmbedCatalog/EmbedCatalog.swift | grep -o '"[^"]*"' | tr -d '"' | sed 's|^|data/|')
"$work/embed" "$work/BundledCatalogData.swift" "${catalog[@]}"

echo "building the fuzzer (swiftc -sanitize=fuzzer,address)…"
# From a copy of the sources, so that edits made meanwhile do not stop the build.
rm -rf "$work/Sources" && cp -R Sources "$work/Sources"
mapfile -t sources < <(find "$work/Sources/Costwise" -name '*.swift' | sort)
# The system libraries' module maps (Sources/C*), which also name the libraries to link.
mapfile -t modules < <(for map in "$work"/Sources/C*/module.modulemap; do echo "-I"; dirname "$map"; done)
if ! swiftc -sanitize=fuzzer,address -parse-as-library -module-name Costwise -O -g \
    -enable-upcoming-feature ExistentialAny "${modules[@]}" \
    "${sources[@]}" "$work/BundledCatalogData.swift" Fuzz/ImporterFuzzer.swift \
    -o "$work/costwise-fuzz" > "$work/build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$work/build.log" >&2
    exit 2
fi
# Swift's own crash report would run inside AddressSanitizer's; libFuzzer's is the one to keep.
export SWIFT_BACKTRACE=enable=no

fixtures=Tests/CostwiseTests/Fixtures
seeds_for() {
    case "$1" in
        price-csv) ls "$fixtures"/hostile/prices/*.csv ;;
        price-json) ls "$fixtures"/hostile/prices/*.json ;;
        litellm) ls "$fixtures"/prices/litellm_* "$fixtures"/hostile/litellm/* ;;
        openrouter) ls "$fixtures"/prices/openrouter_* "$fixtures"/hostile/openrouter/* ;;
        price-auto) ls "$fixtures"/prices/* "$fixtures"/hostile/prices/* ;;
        evals-jsonl) ls "$fixtures"/*.jsonl "$fixtures"/hostile/evals/*.jsonl ;;
        evals-csv) ls "$fixtures"/*.csv "$fixtures"/hostile/evals/*.csv ;;
        inspect) ls "$fixtures"/evals/inspect_* "$fixtures"/hostile/inspect/* ;;
        lm-eval) ls "$fixtures"/evals/lmeval_* "$fixtures"/hostile/lm-eval/* ;;
        task-map) ls "$fixtures"/hostile/task-map/* ;;
        evals-store) ls "$fixtures"/*.jsonl "$fixtures"/hostile/evals/* ;;
    esac 2>/dev/null | grep -v '\.md$' || true
}

status=0
printf '\n%-12s %8s %12s %10s %8s  %s\n' target seconds executions exec/s corpus found
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    crashes="$work/crashes/$target"
    rm -rf "$crashes"
    mkdir -p "$corpus" "$crashes"
    seeds=$(mktemp -d)
    while read -r seed; do
        [ -n "$seed" ] || continue
        if [ "$target" = lm-eval ]; then
            # The lm-eval target reads the file name from the first line.
            { basename "$seed"; cat "$seed"; } > "$seeds/$(basename "$seed")"
        else
            cp "$seed" "$seeds/"
        fi
    done < <(seeds_for "$target")
    log="$work/$target.log"
    set +e
    COSTWISE_FUZZ_TARGET=$target "$work/costwise-fuzz" "$corpus" "$seeds" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=30 \
        -print_final_stats=1 -artifact_prefix="$crashes/" > "$log" 2>&1
    result=$?
    set -e
    rm -rf "$seeds"
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    found=$(ls "$crashes" | wc -l)
    printf '%-12s %8s %12s %10s %8s  %s\n' "$target" "$seconds" "$executions" "$rate" "$(ls "$corpus" | wc -l)" \
        "$([ "$found" = 0 ] && echo none || echo "$found in $crashes")"
    if [ $result -ne 0 ] || [ "$found" != 0 ]; then
        status=1
        grep -m 3 -E 'ERROR|Fatal error|SUMMARY' "$log" | sed 's/^/    /' || true
    fi
done
exit $status
