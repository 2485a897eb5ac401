#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLiteStore {
    /// Stores the records of answered requests in one transaction, and recomputes the measured
    /// tokens and latency of every (model, task type) pair whose answered requests they add or
    /// replace (see ``trafficPerPair``) before it commits. A record whose id is stored already
    /// replaces it, so writing a batch again after a failure counts nothing twice. Returns how many
    /// pairs' statistics changed: a selection made before may now choose differently.
    ///
    /// - Parameter yieldingEvery: for a writer that shares the processors with threads that answer
    ///   requests (the gateway's): after every that many records, and before each pair's statistics,
    ///   the thread yields its processor to any thread waiting for it. A batch takes milliseconds,
    ///   and a thread woken on a processor that is busy with it can otherwise wait for the
    ///   scheduler's next tick (4 ms at 250 Hz), which showed in the gateway's p99 latency.
    @discardableResult
    public func recordRequests(_ records: [RequestRecord], yieldingEvery: Int? = nil) throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try write { database in
            var measured: Set<PairNames> = []
            for record in records where record.status == .ok {
                if let task = record.task, let model = record.model { measured.insert(PairNames(task: task, model: model)) }
            }
            // One row per id, the last written: a statement may not update a row twice on PostgreSQL.
            var lastOfID: [String: Int] = [:]
            for (index, record) in records.enumerated() { lastOfID[record.id] = index }
            let rows = records.indices.filter { lastOfID[records[$0].id] == $0 }.map { records[$0] }
            let perStatement = Self.requestsPerStatement(on: database.engine)
            // Prepared once per chunk size (all but a batch's last chunk have the same), not per chunk.
            var statements: (rows: Int, replaced: Statement, insert: Statement)?
            var writtenSinceYield = 0
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(start + perStatement, rows.count)]
                if statements?.rows != chunk.count {
                    let replaced = try database.statement(
                        "SELECT task, model FROM gateway_requests WHERE status = 'ok' AND id IN (\(Self.placeholders(chunk.count)))")
                    statements = (chunk.count, replaced, try database.statement(Self.replaceRequestsSQL(rows: chunk.count)))
                }
                guard let (_, replaced, insert) = statements else { break }
                // The answered requests these replace: their pairs lose a row.
                for (offset, record) in chunk.enumerated() { replaced.bind(record.id, at: Int32(offset + 1)) }
                while try replaced.step() {
                    if let task = replaced.optionalString(0), let model = replaced.optionalString(1) {
                        measured.insert(PairNames(task: task, model: model))
                    }
                }
                replaced.reset()
                for (offset, record) in chunk.enumerated() { Self.bind(record, to: insert, from: Int32(offset * Self.writtenColumnCount)) }
                try insert.execute()
                writtenSinceYield += chunk.count
                if let yieldingEvery, writtenSinceYield >= yieldingEvery {
                    sched_yield()
                    writtenSinceYield = 0
                }
                start += chunk.count
            }
            return try Self.remeasure(measured, in: database, yielding: yieldingEvery != nil)
        }
    }

    /// Request records written by one statement. On PostgreSQL each statement is a round trip to the
    /// server, so a batch goes 200 at a time (4,200 of its 65,535 parameters); SQLite's statements are
    /// calls in the process, and one row a statement keeps a single cached statement.
    static func requestsPerStatement(on engine: Database.Engine) -> Int { engine == .sqlite ? 1 : 200 }

    /// `count` parameters, `?, ?, …`, for a row of values or an IN list.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Binds a record's written columns after parameter `offset`.
    private static func bind(_ record: RequestRecord, to insert: Statement, from offset: Int32) {
        let attempts = record.attempts.map { "\($0.model)\t\($0.outcome)\t\($0.latencyMs)" }.joined(separator: "\n")
        let values: [any DatabaseValueConvertible] = [
            record.id, record.at, record.task, record.model, record.status.rawValue, record.httpStatus,
            record.stream ? 1 : 0, record.attempts.count, attempts, record.threshold,
            record.inputTokens, record.outputTokens, record.cachedTokens, record.reasoningTokens,
            record.estimatedCostUSD, record.costUSD, record.upstreamLatencyMs, record.timeToFirstTokenMs,
            record.overheadMs, record.premiumModel, record.premiumCostUSD,
        ]
        assert(values.count == writtenColumnCount)
        for (column, value) in values.enumerated() { value.bind(to: insert, at: offset + Int32(column) + 1) }
    }

    /// The stored requests since `since` (seconds since 1970), of task type `task` when given,
    /// oldest first; at most `limit` of the latest.
    public func requests(since: Double? = nil, task: String? = nil, limit: Int = 1_000) throws -> [RequestRecord] {
        try read { database in
            let statement = try database.statement("""
                SELECT * FROM (SELECT \(Self.requestColumns) FROM gateway_requests
                               WHERE at >= ?1 AND (CAST(?2 AS TEXT) IS NULL OR task = ?2) ORDER BY at DESC, id DESC LIMIT ?3) AS latest
                ORDER BY at, id
                """)
            statement.bind(since ?? -Double.greatestFiniteMagnitude, task, limit)
            var records: [RequestRecord] = []
            while try statement.step() { records.append(Self.requestRecord(from: statement)) }
            return records
        }
    }

    /// The stored request with id `id`.
    public func request(id: String) throws -> RequestRecord? {
        try read { database in
            let statement = try database.statement("SELECT \(Self.requestColumns) FROM gateway_requests WHERE id = ?")
            statement.bind(id, at: 1)
            return try statement.step() ? Self.requestRecord(from: statement) : nil
        }
    }

    private static let writtenColumns = """
        id, at, task, model, status, http_status, stream, attempt_count, attempts, threshold,
        input_tokens, output_tokens, cached_tokens, reasoning_tokens, estimated_cost_usd, cost_usd,
        upstream_latency_ms, time_to_first_token_ms, overhead_ms, premium_model, premium_cost_usd
        """

    static let writtenColumnCount = writtenColumns.split(separator: ",").count

    /// `rows` requests' rows, each replacing any of the same id in place, which the `gateway_daily`
    /// triggers follow (an insert adds to its day, an update moves the old row's figures to the new's).
    static func replaceRequestsSQL(rows: Int) -> String {
        let values = Array(repeating: "(\(placeholders(writtenColumnCount)))", count: rows).joined(separator: ", ")
        return """
            INSERT INTO gateway_requests (\(writtenColumns)) VALUES \(values)
            ON CONFLICT (id) DO UPDATE SET \(writtenColumns.split(separator: ",").dropFirst()
                .map { $0.trimmingPrefix { $0.isWhitespace } }.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """
    }

    private static let requestColumns = """
        id, at, task, model, status, http_status, stream, attempts, threshold, input_tokens, output_tokens, cached_tokens,
        reasoning_tokens, estimated_cost_usd, cost_usd, upstream_latency_ms, time_to_first_token_ms, overhead_ms,
        premium_model, premium_cost_usd
        """

    private static func requestRecord(from row: Statement) -> RequestRecord {
        let attempts = row.string(7).split(separator: "\n").compactMap { line -> RequestRecord.Attempt? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            return RequestRecord.Attempt(model: String(fields[0]), outcome: String(fields[1]), latencyMs: Double(fields[2]) ?? 0)
        }
        return RequestRecord(
            id: row.string(0), at: row.double(1), task: row.optionalString(2), model: row.optionalString(3),
            status: RequestRecord.Status(rawValue: row.string(4)) ?? .failed, httpStatus: row.int(5), stream: row.int(6) != 0,
            attempts: attempts, threshold: row.optionalDouble(8), inputTokens: row.optionalInt(9), outputTokens: row.optionalInt(10),
            cachedTokens: row.optionalInt(11), reasoningTokens: row.optionalInt(12), estimatedCostUSD: row.optionalDouble(13),
            costUSD: row.optionalDouble(14), upstreamLatencyMs: row.optionalDouble(15), timeToFirstTokenMs: row.optionalDouble(16),
            overheadMs: row.optionalDouble(17), premiumModel: row.optionalString(18), premiumCostUSD: row.optionalDouble(19))
    }
}
