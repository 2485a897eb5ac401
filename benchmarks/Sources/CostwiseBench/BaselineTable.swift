import Costwise

/// The denormalised table the SQLite baselines query, built in the store's own file: one row per
/// enabled (model, task type) pair with everything precomputed that Costwise precomputes in its
/// snapshot (cost at the default tokens, mean, the 95% Wilson lower bound, whether it fits), each
/// with the formula Costwise itself uses (`QualityEstimate`, `Price.estimatedCost`), so that the
/// two answer from bit-identical numbers.
///
/// Every query gets its own covering index, in the order the selection rule reads candidates (cost,
/// then higher mean, then model id), so SQLite can stop at the first qualifying row. `fits` is an
/// index column rather than a partial-index condition: SQLite 3.40 would otherwise read each
/// table row to check it, and the index would not cover the query.
enum BaselineTable {
    static func build(at path: String) {
        let database = RawDatabase(path: path)
        database.execute("""
            DROP TABLE IF EXISTS candidate;
            CREATE TABLE candidate (
                task_id INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
                cost REAL NOT NULL, mean REAL NOT NULL, lb95 REAL NOT NULL, latency_p95 REAL,
                in_price REAL NOT NULL, out_price REAL NOT NULL, request_usd REAL NOT NULL, ctx INTEGER,
                fits INTEGER NOT NULL
            );
            BEGIN;
            """)
        let source = database.prepare("""
            SELECT s.task_id, m.name, m.provider, m.input_usd_per_mtok, m.output_usd_per_mtok, m.request_usd, m.context_window,
                   s.prior_score, s.prior_weight, s.samples, s.score_sum, s.input_tokens_sum, s.input_tokens_samples,
                   s.output_tokens_sum, s.output_tokens_samples, s.latency_p95_ms, t.input_tokens, t.output_tokens
            FROM model_task_stats s JOIN models m ON m.id = s.model_id JOIN task_types t ON t.id = s.task_id
            WHERE m.enabled
            """)
        let insert = database.prepare("INSERT INTO candidate VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
        while source.step() {
            guard let quality = QualityEstimate(scoreSum: source.double(10), results: source.int(9),
                                                priorScore: source.optionalDouble(7), priorWeight: source.double(8))
            else { continue }
            let price = Price(inputUSDPerMTok: source.double(3), outputUSDPerMTok: source.double(4),
                              requestUSD: source.optionalDouble(5))
            let inputSamples = source.int(12)
            let outputSamples = source.int(14)
            // As Candidate does: tokens measured for the pair, else the task type's defaults.
            let input = inputSamples > 0 ? source.double(11) / Double(inputSamples) : source.double(16)
            let output = outputSamples > 0 ? source.double(13) / Double(outputSamples) : source.double(17)
            let window = source.optionalDouble(6)
            insert.bind(source.int(0), at: 1)
            insert.bind(source.text(1), at: 2)
            insert.bind(source.text(2), at: 3)
            insert.bind(price.estimatedCost(inputTokens: input, outputTokens: output), at: 4)
            insert.bind(quality.mean, at: 5)
            insert.bind(quality.wilsonLowerBound(confidence: 0.95), at: 6)
            insert.bind(source.optionalDouble(15), at: 7)
            insert.bind(price.inputUSDPerMTok, at: 8)
            insert.bind(price.outputUSDPerMTok, at: 9)
            insert.bind(price.requestUSD ?? 0, at: 10)
            insert.bind(window, at: 11)
            insert.bind(window.map { input + output <= $0 } ?? true ? 1 : 0, at: 12)
            insert.run()
        }
        database.execute("""
            COMMIT;
            CREATE INDEX candidate_plain ON candidate (task_id, fits, cost, mean DESC, model);
            CREATE INDEX candidate_confidence ON candidate (task_id, fits, cost, mean DESC, model, lb95);
            CREATE INDEX candidate_filtered ON candidate (task_id, fits, cost, mean DESC, model, provider, latency_p95);
            CREATE INDEX candidate_tokens ON candidate (task_id, mean, in_price, out_price, request_usd, ctx, model);
            """)
        buildFrontier(database)
        database.execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// A stronger baseline for plain requests only, for information: each task's Pareto frontier
    /// (the candidates that have a higher mean than every cheaper one), the same precomputation
    /// Costwise's snapshot makes. The first frontier entry with mean ≥ Q is the cheapest such model.
    private static func buildFrontier(_ database: RawDatabase) {
        database.execute("""
            DROP TABLE IF EXISTS frontier;
            CREATE TABLE frontier (task_id INTEGER NOT NULL, mean REAL NOT NULL, model TEXT NOT NULL);
            BEGIN;
            """)
        let source = database.prepare(
            "SELECT task_id, mean, model FROM candidate INDEXED BY candidate_plain WHERE fits = 1 ORDER BY task_id, cost, mean DESC, model")
        let insert = database.prepare("INSERT INTO frontier VALUES (?1, ?2, ?3)")
        var task = -1
        var bestMean = -Double.infinity
        while source.step() {
            if source.int(0) != task { (task, bestMean) = (source.int(0), -Double.infinity) }
            guard source.double(1) > bestMean else { continue }
            bestMean = source.double(1)
            insert.bind(task, at: 1)
            insert.bind(bestMean, at: 2)
            insert.bind(source.text(2), at: 3)
            insert.run()
        }
        database.execute("COMMIT; CREATE INDEX frontier_by_mean ON frontier (task_id, mean, model)")
    }
}
