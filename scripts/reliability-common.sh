# Shared by the reliability scripts (sourced, not run): the binary under test and the checks made
# on a store from outside costwise, with the sqlite3 shell.

# The costwise binary: $COSTWISE_BINARY, else a release build of this checkout.
costwise_binary() {
    if [ -n "${COSTWISE_BINARY:-}" ]; then
        echo "$COSTWISE_BINARY"
        return
    fi
    swift build -c release --product costwise --scratch-path .build-reliability >&2
    echo "$PWD/.build-reliability/release/costwise"
}

# The (model, task type) pairs whose kept statistics differ from a recomputation from their rows.
statistics_mismatches() {
    sqlite3 "$1" "
        WITH recomputed AS (
            SELECT model_id, task_id, count(*) AS samples, sum(score) AS score_sum,
                   count(input_tokens) AS input_samples, coalesce(sum(input_tokens), 0) AS input_sum,
                   count(latency_ms) AS latency_samples
            FROM results GROUP BY model_id, task_id),
        pairs AS (SELECT model_id, task_id FROM model_task_stats UNION SELECT model_id, task_id FROM recomputed)
        SELECT count(*) FROM pairs
        LEFT JOIN model_task_stats s USING (model_id, task_id) LEFT JOIN recomputed r USING (model_id, task_id)
        WHERE coalesce(s.samples, 0) != coalesce(r.samples, 0)
           OR abs(coalesce(s.score_sum, 0) - coalesce(r.score_sum, 0)) > 1e-9
           OR coalesce(s.input_tokens_samples, 0) != coalesce(r.input_samples, 0)
           OR abs(coalesce(s.input_tokens_sum, 0) - coalesce(r.input_sum, 0)) > 1e-9
           OR coalesce(s.latency_samples, 0) != coalesce(r.latency_samples, 0);"
}

# Writes ROWS JSONL results of run RUN, every one scoring SCORE, to FILE.
results_file() {
    local file=$1 run=$2 rows=$3 score=$4
    seq 0 $((rows - 1)) | awk -v run="$run" -v score="$score" '{
        printf "{\"model\":\"acme/%s\",\"task\":\"%s\",\"score\":%s,\"run\":\"%s\",\"item\":\"%d\",\"latency_ms\":%d,\"input_tokens\":%d}\n",
            ($1 % 2 ? "b" : "a"), ($1 % 3 ? "classification" : "reasoning"), score, run, $1, $1 % 500, $1 % 900
    }' > "$file"
}

# A store at PATH with two models, two task types and one result (so that selections answer).
small_store() {
    "$costwise" init --empty --db "$1" > /dev/null
    for task in classification reasoning; do "$costwise" tasks set "$task" --db "$1" > /dev/null; done
    for model in acme/a acme/b; do
        "$costwise" models set "$model" --input-usd-per-mtok 1 --output-usd-per-mtok 2 --db "$1" > /dev/null
    done
    "$costwise" record --model acme/a --task classification --score 1 --run seed --item 1 --db "$1" > /dev/null
}
