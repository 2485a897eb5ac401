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
            var keys = ResultKeys(capacity: results.count)
            // Runs list a pair's results together: comparing names with the last result's is cheaper than hashing them.
            var last: (model: String, task: String, pair: PairKey)?
            for (index, result) in results.enumerated() {
                let pair: PairKey
                if let last, last.model == result.model, last.task == result.task {
                    pair = last.pair
                } else {
                    let line = lines?[index]
                    guard let modelID = ids.models[result.model] else {
                        throw InputError(file: file, line: line, field: "model", CatalogError.unknownModel(result.model).description)
                    }
                    guard let taskID = ids.tasks[result.task] else {
                        throw InputError(file: file, line: line, field: "task", CatalogError.unknownTaskType(result.task).description)
                    }
                    pair = PairKey(modelID: modelID, taskID: taskID)
                    last = (result.model, result.task, pair)
                }
                var item = result.item ?? ""
                if result.run == nil && result.item == nil {
                    item = Self.unkeyedItemPrefix + String(unkeyedNumber)
                    unkeyedNumber += 1
                }
                keys.append(pair, run: result.run ?? "", item: item, index: index)
            }
            keys.sort()
            let pairs = keys.pairs
            // A pair without results before this batch gets its statistics from the batch: nothing to read back.
            let isNew = try pairs.map { try !Self.hasResults($0.pair, in: database) }
            // The other pairs' result counts before and after, from their statistics: no scan of the whole table.
            let stored = zip(pairs, isNew).filter { !$1 }.map(\.0.pair)
            let before = try stored.map { try Self.resultCount(of: $0, in: database) }.reduce(0, +)
            if Self.copiesResults(keys.entries.count, on: database.engine) {
                try Self.copyRows(of: results, keys: keys, pairs: pairs, isNew: isNew, in: database)
            } else {
                try Self.insertRows(of: results, keys: keys, in: database)
            }
            var inserted = 0
            for (pair, new) in zip(pairs, isNew) {
                if new {
                    let statistics = Self.statistics(of: results, keys: keys, at: pair.positions)
                    try Self.saveStatistics(statistics, of: pair.pair, in: database)
                    inserted += statistics.samples
                } else {
                    try Self.recomputeStatistics(of: pair.pair, in: database)
                }
            }
            inserted += try stored.map { try Self.resultCount(of: $0, in: database) }.reduce(0, +) - before
            return ResultImportReport(inserted: inserted, replaced: results.count - inserted, pairs: pairs.count)
        }
    }

    /// Results bound into one INSERT: a statement a result costs more in starting and finishing each
    /// statement than in inserting, and 100 results use 1,000 of SQLite's 32,766 parameters. On
    /// PostgreSQL each statement is a round trip to the server, so it takes 1,000 (10,000 of its 65,535).
    static func resultsPerInsert(on engine: Database.Engine) -> Int { engine == .sqlite ? 100 : 1_000 }

    /// Inserts the results in key order, each replacing any stored result with its key.
    static func insertRows(of results: [EvaluationResult], keys: ResultKeys, in database: Database) throws {
        let now = RFC3339.now
        // The few results after the last whole INSERT go one by one: two statements serve every batch size.
        let resultsPerInsert = resultsPerInsert(on: database.engine)
        let batched = try database.statement(insertSQL(rows: resultsPerInsert))
        let single = try database.statement(insertSQL(rows: 1))
        try keys.text.withUnsafeBufferPointer { text in
            var start = 0
            while start < keys.entries.count {
                let rows = keys.entries.count - start >= resultsPerInsert ? resultsPerInsert : 1
                let insert = rows == 1 ? single : batched
                for (row, entry) in keys.entries[start..<(start + rows)].enumerated() {
                    let column = Int32(row * 10)
                    insert.bind(Int64(entry.pair.modelID), at: column + 1)
                    insert.bind(Int64(entry.pair.taskID), at: column + 2)
                    insert.bindInPlace(UnsafeBufferPointer(rebasing: text[entry.run]), at: column + 3)
                    insert.bindInPlace(UnsafeBufferPointer(rebasing: text[entry.item]), at: column + 4)
                    insert.bind(results[entry.index].score, at: column + 5)
                    insert.bind(results[entry.index].costUSD, at: column + 6)
                    insert.bind(results[entry.index].latencyMs, at: column + 7)
                    insert.bind(results[entry.index].inputTokens, at: column + 8)
                    insert.bind(results[entry.index].outputTokens, at: column + 9)
                    insert.bind(results[entry.index].recordedAt ?? now, at: column + 10)
                }
                // Executing resets the statement, so no binding outlives the text it points into. An error
                // quotes the INSERT of one result, not a hundred rows of placeholders.
                try insert.execute(reportingAs: single.sql)
                start += rows
            }
        }
    }

    /// An INSERT of `rows` results that replaces any stored result with the same key.
    static func insertSQL(rows: Int) -> String {
        """
        INSERT INTO results (model_id, task_id, run, item, score, cost_usd, latency_ms, input_tokens, output_tokens, recorded_at)
        VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
        ON CONFLICT (model_id, task_id, run, item) DO UPDATE SET
            score = excluded.score, cost_usd = excluded.cost_usd, latency_ms = excluded.latency_ms,
            input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, recorded_at = excluded.recorded_at
        """
    }

    /// The statistics of one pair's results in the batch, as ``recomputeStatistics(of:in:)`` computes
    /// them from the rows once they are stored: the same results (the last of each key) in the same
    /// order (the key's), so that even the floating-point sums come out equal.
    static func statistics(of results: [EvaluationResult], keys: ResultKeys, at positions: Range<Int>) -> ResultStatistics {
        var statistics = ResultStatistics()
        for position in positions where keys.isKept(at: position) {
            let index = keys.entries[position].index
            // SQLite stores NaN as NULL.
            let latency = results[index].latencyMs.flatMap { $0.isNaN ? nil : $0 }
            statistics.add(score: results[index].score, inputTokens: results[index].inputTokens,
                           outputTokens: results[index].outputTokens, latencyMs: latency)
        }
        return statistics
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

    /// Whether any result of the pair is stored.
    static func hasResults(_ pair: PairKey, in database: Database) throws -> Bool {
        let statement = try database.statement("SELECT 1 FROM results WHERE model_id = ? AND task_id = ? LIMIT 1")
        statement.bind(pair.modelID, pair.taskID)
        defer { statement.reset() }
        return try statement.step()
    }

    /// How many results a pair has, as its statistics last counted them.
    static func resultCount(of pair: PairKey, in database: Database) throws -> Int {
        let statement = try database.statement("SELECT samples FROM model_task_stats WHERE task_id = ? AND model_id = ?")
        statement.bind(pair.taskID, pair.modelID)
        defer { statement.reset() }
        return try statement.step() ? statement.int(0) : 0
    }

    /// Rewrites the result statistics of one (model, task type) pair from its rows; the prior stays.
    /// The rows are summed in key order, as SQLite stores them and as a batch's statistics are
    /// summed, so that every engine and path comes to the same sums, to the last bit.
    static func recomputeStatistics(of pair: PairKey, in database: Database) throws {
        let rows = try database.statement("""
            SELECT score, input_tokens, output_tokens, latency_ms FROM results WHERE model_id = ? AND task_id = ? ORDER BY run, item
            """)
        rows.bind(pair.modelID, pair.taskID)
        var statistics = ResultStatistics()
        while try rows.step() {
            statistics.add(score: rows.double(0), inputTokens: rows.optionalInt(1), outputTokens: rows.optionalInt(2),
                           latencyMs: rows.optionalDouble(3))
        }
        rows.reset()
        try saveStatistics(statistics, of: pair, in: database)
    }

    /// Writes the statistics of one pair: its results' as given, and its measured tokens and latency
    /// with those of its latest answered gateway requests added (see ``addTraffic(of:to:in:)``); the
    /// prior stays. Every path that writes a pair's statistics comes through here, so the gateway rows
    /// count the same whichever wrote last.
    static func saveStatistics(_ results: ResultStatistics, of pair: PairKey, in database: Database) throws {
        var statistics = results
        try addTraffic(of: pair, to: &statistics, in: database)
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

/// The statistics of one (model, task type) pair as `model_task_stats` keeps them: its results'
/// scores, and the tokens and latencies measured in its results and its recent gateway traffic.
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
        addMeasurement(inputTokens: inputTokens, outputTokens: outputTokens, latencyMs: latencyMs)
    }

    /// Counts tokens and latency without a score: an answered gateway request, which says how long
    /// and how large an answer is, not how good.
    mutating func addMeasurement(inputTokens: Int?, outputTokens: Int?, latencyMs: Double?) {
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
