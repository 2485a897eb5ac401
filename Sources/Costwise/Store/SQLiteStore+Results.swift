extension SQLiteStore {
    /// Records evaluation results in one transaction, and recomputes the statistics of every
    /// (model, task type) pair they touch before it commits.
    ///
    /// A result whose (model, task, run, item) key is already stored replaces it, so importing a
    /// run twice never counts it twice. Any unknown model or task type, or any failure, rolls the
    /// whole batch back.
    @discardableResult
    public func recordResults(_ results: [EvaluationResult], lines: [Int]?, file: String?) throws -> ResultImportReport {
        try write { database in
            let ids = try CatalogIDs(database)
            // Results with neither run nor item are numbered, so that each is a new key.
            var unkeyedNumber = try Self.reserveUnkeyedNumbers(results.lazy.filter { $0.run == nil && $0.item == nil }.count, in: database)
            var keyed: [(modelID: Int, taskID: Int, run: String, item: String, index: Int)] = []
            keyed.reserveCapacity(results.count)
            for (index, result) in results.enumerated() {
                let line = lines?[index]
                guard let modelID = ids.models[result.model] else {
                    throw InputError(file: file, line: line, field: "model", CatalogError.unknownModel(result.model).description)
                }
                guard let taskID = ids.tasks[result.task] else {
                    throw InputError(file: file, line: line, field: "task", CatalogError.unknownTaskType(result.task).description)
                }
                var item = result.item ?? ""
                if result.run == nil && result.item == nil {
                    item = Self.unkeyedItemPrefix + String(unkeyedNumber)
                    unkeyedNumber += 1
                }
                keyed.append((modelID, taskID, result.run ?? "", item, index))
            }
            // In key order (SQLite's byte order), the table's B-tree grows at its end instead of at random pages.
            func precedes(_ a: (modelID: Int, taskID: Int, run: String, item: String, index: Int),
                          _ b: (modelID: Int, taskID: Int, run: String, item: String, index: Int)) -> Bool {
                if a.modelID != b.modelID { return a.modelID < b.modelID }
                if a.taskID != b.taskID { return a.taskID < b.taskID }
                if a.run != b.run { return a.run.utf8.lexicographicallyPrecedes(b.run.utf8) }
                return a.item.utf8.lexicographicallyPrecedes(b.item.utf8)
            }
            // Runs are often written in key order already: checking is one pass, sorting many.
            if zip(keyed, keyed.dropFirst()).contains(where: { precedes($1, $0) }) { keyed.sort(by: precedes) }

            let insert = try database.statement("""
                INSERT INTO results (model_id, task_id, run, item, score, cost_usd, latency_ms, input_tokens, output_tokens, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model_id, task_id, run, item) DO UPDATE SET
                    score = excluded.score, cost_usd = excluded.cost_usd, latency_ms = excluded.latency_ms,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, recorded_at = excluded.recorded_at
                """)
            let now = RFC3339.now
            var pairs: [PairKey] = []
            for entry in keyed where pairs.last != PairKey(modelID: entry.modelID, taskID: entry.taskID) {
                pairs.append(PairKey(modelID: entry.modelID, taskID: entry.taskID))
            }
            // Each pair's result count before and after, from its statistics: no scan of the whole table.
            let before = try pairs.map { try Self.resultCount(of: $0, in: database) }.reduce(0, +)
            for entry in keyed {
                let result = results[entry.index]
                insert.bind(Int64(entry.modelID), at: 1)
                insert.bind(Int64(entry.taskID), at: 2)
                insert.bind(entry.run, at: 3)
                insert.bind(entry.item, at: 4)
                insert.bind(result.score, at: 5)
                insert.bind(result.costUSD, at: 6)
                insert.bind(result.latencyMs, at: 7)
                insert.bind(result.inputTokens, at: 8)
                insert.bind(result.outputTokens, at: 9)
                insert.bind(result.recordedAt ?? now, at: 10)
                try insert.execute()
            }
            for pair in pairs { try Self.recomputeStatistics(of: pair, in: database) }
            let inserted = try pairs.map { try Self.resultCount(of: $0, in: database) }.reduce(0, +) - before
            return ResultImportReport(inserted: inserted, replaced: results.count - inserted, pairs: pairs.count)
        }
    }

    /// Starts the item of a result recorded with neither run nor item; no printable item starts so.
    static let unkeyedItemPrefix = "\u{1}"

    /// Reserves `count` numbers for unkeyed results and returns the first.
    static func reserveUnkeyedNumbers(_ count: Int, in database: Database) throws -> Int {
        guard count > 0 else { return 0 }
        let next = try database.integer("SELECT value FROM sequences WHERE name = 'unkeyed-results'") ?? 0
        let update = try database.statement("""
            INSERT INTO sequences (name, value) VALUES ('unkeyed-results', ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
        update.bind(next + count, at: 1)
        try update.execute()
        return next
    }

    struct PairKey: Hashable {
        var modelID: Int
        var taskID: Int
    }

    /// How many results a pair has, as its statistics last counted them.
    static func resultCount(of pair: PairKey, in database: Database) throws -> Int {
        let statement = try database.statement("SELECT samples FROM model_task_stats WHERE task_id = ? AND model_id = ?")
        statement.bind(pair.taskID, pair.modelID)
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    /// Rewrites the result statistics of one (model, task type) pair from its rows; the prior stays.
    static func recomputeStatistics(of pair: PairKey, in database: Database) throws {
        let rows = try database.statement("""
            SELECT score, input_tokens, output_tokens, latency_ms FROM results WHERE model_id = ? AND task_id = ?
            """)
        rows.bind(pair.modelID, pair.taskID)
        var statistics = ResultStatistics()
        while try rows.step() {
            statistics.add(score: rows.double(0), inputTokens: rows.optionalInt(1), outputTokens: rows.optionalInt(2),
                           latencyMs: rows.optionalDouble(3))
        }
        rows.reset()
        let save = try database.statement("""
            INSERT INTO model_task_stats (task_id, model_id, samples, score_sum, input_tokens_sum, input_tokens_samples,
                                          output_tokens_sum, output_tokens_samples, latency_p95_ms, latency_samples)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id, model_id) DO UPDATE SET
                samples = excluded.samples, score_sum = excluded.score_sum,
                input_tokens_sum = excluded.input_tokens_sum, input_tokens_samples = excluded.input_tokens_samples,
                output_tokens_sum = excluded.output_tokens_sum, output_tokens_samples = excluded.output_tokens_samples,
                latency_p95_ms = excluded.latency_p95_ms, latency_samples = excluded.latency_samples
            """)
        save.bind(pair.taskID, pair.modelID, statistics.samples, statistics.scoreSum,
                  statistics.inputTokensSum, statistics.inputTokensSamples,
                  statistics.outputTokensSum, statistics.outputTokensSamples,
                  statistics.latencyP95Ms, statistics.latencies.count)
        try save.execute()
    }
}

/// The statistics of one (model, task type) pair's results, as `model_task_stats` keeps them.
struct ResultStatistics {
    var samples = 0
    var scoreSum = 0.0
    var inputTokensSum = 0.0
    var inputTokensSamples = 0
    var outputTokensSum = 0.0
    var outputTokensSamples = 0
    var latencies: [Double] = []

    mutating func add(score: Double, inputTokens: Int?, outputTokens: Int?, latencyMs: Double?) {
        samples += 1
        scoreSum += score
        if let inputTokens { inputTokensSum += Double(inputTokens); inputTokensSamples += 1 }
        if let outputTokens { outputTokensSum += Double(outputTokens); outputTokensSamples += 1 }
        if let latencyMs { latencies.append(latencyMs) }
    }

    /// The 95th percentile by nearest rank: the smallest latency with at least 95% of them at or below it.
    var latencyP95Ms: Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let rank = (95 * sorted.count + 99) / 100
        return sorted[rank - 1]
    }
}
