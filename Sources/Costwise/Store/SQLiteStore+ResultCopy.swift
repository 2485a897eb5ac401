/// How a large batch of results reaches a PostgreSQL store: through `COPY`, not INSERTs.
///
/// Multi-row INSERTs cost PostgreSQL a parse and a bind of 10,000 parameters per 1,000 results, and a
/// round trip each; COPY streams the rows in PostgreSQL's text format, which the server reads
/// without either, while the client encodes the next rows. The rows are the ones ``insertRows(of:keys:in:)``
/// would write, in the same key order, with the same values: only the kept result of each key (the
/// last in the batch), so that no key arrives twice.
extension SQLiteStore {
    /// The columns of `results` in the order the COPY rows give them.
    static let copiedResultColumns = ["model_id", "task_id", "run", "item", "score", "cost_usd", "latency_ms",
                                      "input_tokens", "output_tokens", "recorded_at"]

    /// Whether a batch goes through COPY: on PostgreSQL, when it fills more than one INSERT. A
    /// smaller one takes fewer round trips as INSERTs, and leaves no temporary table behind.
    static func copiesResults(_ count: Int, on engine: Database.Engine) -> Bool {
        engine == .postgres && count > resultsPerInsert(on: engine)
    }

    /// Copies the batch's kept results in key order: those of pairs without stored results straight
    /// into `results`, where none of their keys can be stored yet (the write lock keeps other writers
    /// out); those of the other pairs into a temporary table, from which one INSERT … ON CONFLICT adds
    /// or replaces them.
    static func copyRows(of results: [EvaluationResult], keys: ResultKeys, pairs: [(pair: PairKey, positions: Range<Int>)],
                         isNew: [Bool], in database: Database) throws {
        guard let connection = database.remote?.connection else { preconditionFailure("COPY is PostgreSQL's") }
        let now = RFC3339.now
        let fresh = zip(pairs, isNew).filter { $1 }.map(\.0.positions)
        let stored = zip(pairs, isNew).filter { !$1 }.map(\.0.positions)
        if !fresh.isEmpty {
            try connection.copy(into: "results", columns: copiedResultColumns,
                                from: rowChunks(of: results, keys: keys, positions: fresh, recordedAt: now))
        }
        if !stored.isEmpty {
            let columns = copiedResultColumns.joined(separator: ", ")
            try database.execute("CREATE TEMPORARY TABLE results_batch (LIKE results)")
            try connection.copy(into: "results_batch", columns: copiedResultColumns,
                                from: rowChunks(of: results, keys: keys, positions: stored, recordedAt: now))
            try database.execute("""
                INSERT INTO results (\(columns)) SELECT \(columns) FROM results_batch
                ON CONFLICT (model_id, task_id, run, item) DO UPDATE SET
                    score = excluded.score, cost_usd = excluded.cost_usd, latency_ms = excluded.latency_ms,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, recorded_at = excluded.recorded_at;
                DROP TABLE results_batch
                """)
        }
    }

    /// About how many bytes of rows each COPY chunk holds: large enough that sending is not the
    /// cost, small enough that the server starts on the first rows at once.
    static let copyChunkBytes = 128 * 1_024

    /// The kept results at `positions` of the sorted keys, as COPY text rows, a chunk per call.
    static func rowChunks(of results: [EvaluationResult], keys: ResultKeys, positions: [Range<Int>],
                          recordedAt now: Double) -> () -> [UInt8]? {
        var ranges = positions.makeIterator()
        var current = 0..<0
        var position = 0
        return {
            var chunk = CopyTextRows(capacity: copyChunkBytes + 1_024)
            while chunk.bytes.count < copyChunkBytes {
                if position == current.upperBound {
                    guard let next = ranges.next() else { break }
                    current = next
                    position = next.lowerBound
                    continue
                }
                let entry = keys.entries[position]
                let kept = keys.isKept(at: position)
                position += 1
                guard kept else { continue }
                let result = results[entry.index]
                chunk.append(Int64(entry.pair.modelID))
                chunk.append(Int64(entry.pair.taskID))
                chunk.append(text: keys.text[entry.run])
                chunk.append(text: keys.text[entry.item])
                chunk.append(result.score)
                chunk.append(result.costUSD)
                chunk.append(result.latencyMs)
                chunk.append(result.inputTokens.map(Int64.init))
                chunk.append(result.outputTokens.map(Int64.init))
                chunk.append(result.recordedAt ?? now)
                chunk.endRow()
            }
            return chunk.bytes.isEmpty ? nil : chunk.bytes
        }
    }
}
