#!/usr/bin/env bash
# Times `costwise replay --optimize` and `costwise tune` on a synthetic results file of 50 task types ×
# 10 models × 20,000 items (200,000 rows, fractional scores, every row with its cost_usd and none of
# the models priced), the size the optimizer is meant to handle in under 10 seconds.
#
#   bash benchmarks/replay-scale.sh [COSTWISE]     (COSTWISE: a built costwise binary; default: build release)
set -euo pipefail
cd "$(dirname "$0")/.."

COSTWISE="${1:-}"
if [ -z "$COSTWISE" ]; then
    swift build -c release --product costwise 2>&1 | tail -1
    COSTWISE="$(swift build -c release --show-bin-path)/costwise"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FILE="$WORK/synthetic.csv"

# Model m (0 to 9) is better and dearer as m grows; each task type has its own difficulty and each
# model its own strength on it, so the best choice differs from task type to task type.
awk -v tasks=50 -v models=10 -v items=20000 'BEGIN {
    srand(7)
    print "task,item,model,score,input_tokens,output_tokens,cost_usd"
    for (t = 0; t < tasks; t++) {
        difficulty[t] = rand() * 0.4
        for (m = 0; m < models; m++) edge[t, m] = (rand() - 0.5) * 0.2
    }
    for (i = 0; i < items; i++) {
        t = i % tasks
        input = 200 + int(rand() * 1800); output = 50 + int(rand() * 450)
        for (m = 0; m < models; m++) {
            s = 0.45 + 0.05 * m - difficulty[t] + edge[t, m] + (rand() - 0.5) * 0.6
            if (s < 0) s = 0; if (s > 1) s = 1
            price = 0.1 * (m + 1) ^ 2
            printf "task%02d,%d,model%d,%.2f,%d,%d,%.8f\n", t, i, m, s, input, output, (input + 3 * output) * price / 1e6
        }
    }
}' > "$FILE"
echo "costwise: $COSTWISE, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "file: $(($(wc -l < "$FILE") - 1)) rows"
# Wall-clock seconds, then CPU seconds (user + system): on a shared machine the first waits for the CPU.
seconds() {
    local TIMEFORMAT='%R %U %S' times
    times=$( { time "$@" > "$WORK/out"; } 2>&1 )
    echo "$times" | awk '{ printf "%.2f s (CPU %.2f s)", $1, $2 + $3 }'
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for run in 1 2 3; do
    echo "run $run: replay --optimize $(seconds "$COSTWISE" replay "$FILE" --optimize --json)," \
        "tune $(seconds "$COSTWISE" tune "$FILE" --json)"
done
"$COSTWISE" tune "$FILE" --json | jq -c '{method, folds, margin, expected_quality_ratio, expected_cost_ratio, quality_ratio, cost_ratio}'
