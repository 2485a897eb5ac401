#!/usr/bin/env bash
# Replays RouteLLM's and FrugalGPT's published results (data/evals/) through the selector and prints
# the tables of benchmarks/RESULTS.md (its Replay section): per benchmark, the median over five seeds
# (and the range) of each figure on the held-out items, with the per-task-type choice made on the
# training half alone for targets 0.90, 0.95 and 0.98. The seeds are 31 to 35: not 1 to 5, on which
# the method (shrunk estimates, a 5-fold cross-validated margin less one standard error) was
# settled, nor 11 to 25, on which its earlier forms were checked; SEEDS="1 2 3 4 5" picks others.
#
#   bash benchmarks/replay.sh [COSTWISE]     (COSTWISE: a built costwise binary; default: build release)
#
# Needs jq; as root it installs it with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v jq >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq jq >/dev/null
    else echo "replay.sh: jq is needed (apt-get install jq)" >&2; exit 1; fi
fi
COSTWISE="${1:-}"
if [ -z "$COSTWISE" ]; then
    swift build -c release --product costwise 2>&1 | tail -1
    COSTWISE="$(swift build -c release --show-bin-path)/costwise"
fi
MAP=data/evals/routellm_models.csv
STRONG=openai/gpt-4-turbo
SEEDS="${SEEDS:-31 32 33 34 35}"
TARGETS="0.90 0.95 0.98"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Median and range of the numbers on standard input, as percentages with one decimal.
summary() {
    sort -g | awk '{ v[NR] = $1 * 100 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f%% (%.1f–%.1f)", m, v[1], v[NR] }'
}

# One row of figures for a point of the replay JSON (a jq path), over the seeds.
row() {
    local name="$1" path="$2" files="$3"
    local quality cost share
    quality=$(for f in $files; do jq -r "$path.quality_ratio" "$f"; done | summary)
    cost=$(for f in $files; do jq -r "$path.cost_ratio" "$f"; done | summary)
    share=$(for f in $files; do jq -r "($path.items_by_model[\"$STRONG\"]) / .split.held_out_items" "$f"; done | summary)
    echo "| $name | $quality | $cost | $share |"
}

# Median and range of the numbers on standard input, as they are, with three decimals.
plain() {
    sort -g | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f (%.3f–%.3f)", m, v[1], v[NR] }'
}

# One figure (a jq path) of each file, a line each.
figure() {
    local path="$1" files="$2"
    for f in $files; do jq -r "$path" "$f"; done
}

replay_table() {
    local bench="$1"; shift
    local files="" target seed
    for seed in $SEEDS; do
        for target in $TARGETS; do
            "$COSTWISE" replay "data/evals/routellm_$bench.csv" --model-map "$MAP" --optimize --seed "$seed" \
                --target-quality-ratio "$target" --json "$@" > "$WORK/$bench-$seed-$target.json"
            "$COSTWISE" tune "data/evals/routellm_$bench.csv" --model-map "$MAP" --folds 1 --seed "$seed" \
                --target-quality-ratio "$target" --json "$@" > "$WORK/$bench-$seed-$target-fitted.json"
        done
        files="$files $WORK/$bench-$seed-0.95.json"
    done
    local first="$WORK/$bench-${SEEDS%% *}-0.95.json"
    echo "### $bench: $(jq -r '.split.training_items + .split.held_out_items' "$first") items of" \
        "$(jq -r '"\(.split.task_types) task type" + (if .split.task_types == 1 then "" else "s" end)' "$first")," \
        "half held out; options: ${*:-none}"
    echo
    echo "| held-out figure (median over seeds $SEEDS, range) | quality, % of GPT-4 | cost, % of GPT-4 alone | share of items on GPT-4 |"
    echo "|---|---:|---:|---:|"
    row "Mixtral alone" '(.models[] | select(.label == "mistral/mixtral-8x7b-instruct"))' "$files"
    row "uniform threshold sweep, cheapest point ≥ 95%" '.at_target.sweep' "$files"
    row "chosen on training alone for 95% (5-fold margin)" '.optimized' "$files"
    row "per-item oracle" '.oracle' "$files"
    echo
    echo "| target | chosen on training alone: held-out quality, % of GPT-4 | cost, % of GPT-4 alone | margin |" \
        "fitted to training, no margin: quality | cost | held-out curve's cheapest point ≥ target: quality | cost |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    local chosen fitted
    for target in $TARGETS; do
        chosen="" fitted=""
        for seed in $SEEDS; do
            chosen="$chosen $WORK/$bench-$seed-$target.json"
            fitted="$fitted $WORK/$bench-$seed-$target-fitted.json"
        done
        echo "| $target | $(figure .optimized.quality_ratio "$chosen" | summary) | $(figure .optimized.cost_ratio "$chosen" | summary)" \
            "| $(figure .optimized.margin "$chosen" | plain)" \
            "| $(figure .quality_ratio "$fitted" | summary) | $(figure .cost_ratio "$fitted" | summary)" \
            "| $(figure '.at_target.optimized_curve.quality_ratio // "nan"' "$chosen" | summary)" \
            "| $(figure '.at_target.optimized_curve.cost_ratio // "nan"' "$chosen" | summary) |"
    done
    echo
}

echo "costwise: $COSTWISE, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo
replay_table mmlu --output-tokens 1
replay_table gsm8k
replay_table mt_bench --score-scale 10

echo "### FrugalGPT 2024 summaries: cheapest single model within one point of the best (chosen on training accuracy)"
echo
"$COSTWISE" replay data/evals/frugalgpt_2024_summary.csv --json | jq -r '
    "| data set | best model (test acc) | chosen (test acc) | saving | FrugalGPT cascade (test acc) | cascade saving |",
    "|---|---|---|---:|---|---:|",
    (.data_sets[] | "| \(.task) | \(.best.model) (\(.best.quality * 1000 | round / 10)%) | \(.chosen.model) (\(.chosen.quality * 1000 | round / 10)%) | \(.chosen.saving * 1000 | round / 10)% | "
        + (if .cascade then "budget \(.cascade.budget_usd_per_query) (\(.cascade.quality * 1000 | round / 10)%) | \(.cascade.saving * 1000 | round / 10)% |" else "none within a point | |" end))'
