import Costwise

/// Writes a ``SyntheticCatalog`` into a new store: the catalog and the priors through the public
/// API, the result statistics of the pairs by raw SQL into `model_task_stats`.
///
/// Recording results through `recordResults` would mean inserting every result (about 17 million
/// for this catalog) and recomputing each pair from them; the statistics are what a selection
/// reads, so they are written directly, with the columns Schema.swift defines and nothing recomputed.
enum StoreBuilder {
    static func build(_ catalog: SyntheticCatalog, at path: String) throws {
        let store = try SQLiteStore(path: path, seed: .empty)
        // One `setModel` per model: the narrowest public call, and one that a price-import change leaves alone.
        let (_, modelsTime) = try BatchTimer.time {
            for model in catalog.models {
                try store.setModel(ModelUpdate(id: model.id, provider: model.provider, inputUSDPerMTok: model.price.inputUSDPerMTok,
                                               outputUSDPerMTok: model.price.outputUSDPerMTok, requestUSD: model.price.requestUSD,
                                               contextWindow: model.contextWindow, tier: model.tier),
                                   source: "benchmark")
            }
        }
        // Disabled before any estimate exists, so that no frontier has to be computed again for each.
        for model in catalog.disabledModels { try store.setEnabled(false, model: model) }
        let (_, tasksTime) = try BatchTimer.time {
            for task in catalog.tasks {
                try store.setTaskType(TaskTypeUpdate(name: task.name, tier: task.tier,
                                                     inputTokens: task.inputTokens, outputTokens: task.outputTokens))
            }
        }
        let priors = catalog.pairs.compactMap { pair in
            pair.prior.map { PriorScore(model: catalog.models[pair.model].id, task: catalog.tasks[pair.task].name,
                                        score: $0.score, weight: $0.weight, source: "published: synthetic benchmark") }
        }
        let (_, priorsTime) = try BatchTimer.time { try store.setPriors(priors) }

        let (written, statisticsTime) = BatchTimer.time { writeStatistics(catalog, at: path) }
        // The raw writes dropped every task's stored frontier; the store computes them again.
        let (_, frontiersTime) = try BatchTimer.time { try store.refreshFrontiers() }
        print("  store: \(catalog.models.count) models (setModel \(seconds(modelsTime))), "
            + "\(catalog.tasks.count) task types (setTaskType \(seconds(tasksTime))), "
            + "\(priors.count) priors (setPriors \(seconds(priorsTime))), "
            + "\(written) pairs with result statistics (raw SQL \(seconds(statisticsTime))), "
            + "frontiers computed again (refreshFrontiers \(seconds(frontiersTime)))")
    }

    /// Upserts the result columns of every pair with results, in one transaction.
    private static func writeStatistics(_ catalog: SyntheticCatalog, at path: String) -> Int {
        let database = RawDatabase(path: path)
        let modelIDs = rowIDs(database, "SELECT id, name FROM models")
        let taskIDs = rowIDs(database, "SELECT id, name FROM task_types")
        database.execute("BEGIN IMMEDIATE")
        let upsert = database.prepare("""
            INSERT INTO model_task_stats (task_id, model_id, samples, score_sum, input_tokens_sum, input_tokens_samples,
                                          output_tokens_sum, output_tokens_samples, latency_p95_ms, latency_samples)
            VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6, ?3, ?7, ?3)
            ON CONFLICT (task_id, model_id) DO UPDATE SET
                samples = excluded.samples, score_sum = excluded.score_sum,
                input_tokens_sum = excluded.input_tokens_sum, input_tokens_samples = excluded.input_tokens_samples,
                output_tokens_sum = excluded.output_tokens_sum, output_tokens_samples = excluded.output_tokens_samples,
                latency_p95_ms = excluded.latency_p95_ms, latency_samples = excluded.latency_samples
            """)
        var written = 0
        for pair in catalog.pairs {
            guard let results = pair.results else { continue }
            upsert.bind(taskIDs[catalog.tasks[pair.task].name]!, at: 1)
            upsert.bind(modelIDs[catalog.models[pair.model].id]!, at: 2)
            upsert.bind(results.samples, at: 3)
            upsert.bind(results.scoreSum, at: 4)
            upsert.bind(results.inputTokensSum, at: 5)
            upsert.bind(results.outputTokensSum, at: 6)
            upsert.bind(results.latencyP95Ms, at: 7)
            upsert.run()
            written += 1
        }
        database.execute("COMMIT")
        return written
    }

    static func rowIDs(_ database: RawDatabase, _ sql: String) -> [String: Int] {
        let query = database.prepare(sql)
        var ids: [String: Int] = [:]
        while query.step() { ids[query.text(1)!] = query.int(0) }
        return ids
    }

    static func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        return "\(milliseconds / 1000).\(SyntheticCatalog.padded(milliseconds % 1000, 3)) s"
    }
}
