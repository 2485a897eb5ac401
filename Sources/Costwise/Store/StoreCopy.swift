/// Copies a whole store into another, empty one, on either engine (SQLite to PostgreSQL, back, or
/// within one), then reads both back row for row and compares them.
///
/// Every table's rows are copied with their ids, in one write transaction of the destination, in
/// statements of many rows each (not a round trip per row). The per-day request sums, which the
/// destination's triggers add up as the requests arrive (in another order, so perhaps a last digit
/// apart), are then replaced by the source's; the stored frontiers are computed before the copy commits. The copy refuses a destination that holds
/// anything, and fails, leaving the destination as it was, on any difference it finds.
public enum StoreCopy {
    /// Each table and its columns, in an order that copies referenced rows first; the key the rows
    /// are compared in is the leading columns named in `orderBy`.
    static let tables: [(name: String, columns: String, orderBy: String)] = [
        ("models", "id, name, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled, "
            + "capabilities, max_output_tokens, cached_input_usd_per_mtok, reasoning_usd_per_mtok", "id"),
        ("price_history", "id, model_id, input_usd_per_mtok, output_usd_per_mtok, request_usd, source, effective_at, source_format, "
            + "source_sha256", "id"),
        ("task_types", "id, name, tier, input_tokens, output_tokens, min_quality", "id"),
        ("results", "model_id, task_id, run, item, score, cost_usd, latency_ms, input_tokens, output_tokens, recorded_at",
         "model_id, task_id, run, item"),
        ("sequences", "name, value", "name"),
        ("model_task_stats", "task_id, model_id, prior_score, prior_weight, prior_source, samples, score_sum, input_tokens_sum, "
            + "input_tokens_samples, output_tokens_sum, output_tokens_samples, latency_p95_ms, latency_samples", "task_id, model_id"),
        ("model_aliases", "alias, model_id", "alias"),
        ("settings", "key, value", "key"),
        ("decisions", "id, at, task_id, model_id, threshold, input_tokens, output_tokens, estimated_cost_usd, premium_model_id, "
            + "premium_cost_usd, classifier", "id"),
        ("classifiers", "name, kind, parameters, trained_at, examples", "name"),
        ("classifier_evaluations", "id, classifier, at, examples, accuracy, confusion, source", "id"),
        ("gateway_requests", "id, at, task, model, status, http_status, stream, attempt_count, attempts, threshold, input_tokens, "
            + "output_tokens, cached_tokens, reasoning_tokens, estimated_cost_usd, cost_usd, upstream_latency_ms, "
            + "time_to_first_token_ms, overhead_ms, premium_model, premium_cost_usd", "id"),
        ("api_keys", "id, name, token_sha256, token_prefix, scopes, budget_pusd, period, rpm, tpm, created_at, revoked_at", "id"),
        ("key_spend", "key_id, period_start, spent_pusd", "key_id, period_start"),
        ("budget_reservations", "id, key_id, request_id, model, period_start, amount_pusd, input_tokens_bound, output_tokens_bound, "
            + "created_at, expires_at, state, charged_pusd, input_tokens, output_tokens, overrun, closed_at", "id"),
    ]

    /// Tables whose rows the destination's triggers derive, replaced by the source's after the copy.
    static let derived: [(name: String, columns: String, orderBy: String)] = [
        ("gateway_daily", "day, task, requests, priced_requests, spend_usd, premium_usd", "day, task"),
    ]

    /// Tables with an identity id on PostgreSQL, whose sequence must continue after the copied ids.
    static let identityTables = ["models", "price_history", "task_types", "decisions", "classifier_evaluations", "api_keys",
                                 "budget_reservations"]

    /// Rows per INSERT.
    static let rowsPerInsert = 200

    /// What a copy moved: rows per table, in copy order.
    public struct Report: Sendable {
        public var rows: [(table: String, count: Int)]
    }

    /// Copies `source` into `destination`, which must be empty, and verifies it.
    public static func copy(from source: SQLiteStore, to destination: SQLiteStore) throws -> Report {
        let counts = try destination.write { target in
            for (table, _, _) in tables + derived where try target.integer("SELECT count(*) FROM \(table)") ?? 0 > 0 {
                throw InputError(field: "to", "\(destination.path) is not empty (its \(table) has rows); copy into a new store")
            }
            var counts: [(String, Int)] = []
            for (table, columns, orderBy) in tables + derived {
                let rows = try source.read { database in try Self.rows(of: table, columns: columns, orderBy: orderBy, in: database) }
                try target.execute("DELETE FROM \(table)")
                try insert(rows, into: table, columns: columns, in: target)
                counts.append((table, rows.count))
            }
            if target.engine == .postgres {
                for table in identityTables {
                    _ = try target.integer("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)")
                }
            }
            for (table, columns, orderBy) in tables + derived {
                let copied = try rows(of: table, columns: columns, orderBy: orderBy, in: target)
                let original = try source.read { database in try Self.rows(of: table, columns: columns, orderBy: orderBy, in: database) }
                let common = Swift.min(copied.count, original.count)
                if let index = (0..<common).first(where: { copied[$0] != original[$0] }) ?? (copied.count == original.count ? nil : common) {
                    throw InputError(field: "to", "the copy of \(table) differs from the source at row \(index + 1) (in the order of \(orderBy)); nothing was copied")
                }
            }
            return counts
        }
        return Report(rows: counts)
    }

    /// Every row of `table`, as values, in key order.
    static func rows(of table: String, columns: String, orderBy: String, in database: Database) throws -> [[SQLValue]] {
        let width = Int32(columns.split(separator: ",").count)
        let statement = try database.statement("SELECT \(columns) FROM \(table) ORDER BY \(orderBy)")
        defer { statement.reset() }
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append((0..<width).map { statement.value($0) }) }
        return rows
    }

    /// Inserts `rows` in statements of ``rowsPerInsert`` rows.
    static func insert(_ rows: [[SQLValue]], into table: String, columns: String, in database: Database) throws {
        let width = columns.split(separator: ",").count
        let row = "(\(SQLiteStore.placeholders(width)))"
        var start = 0
        while start < rows.count {
            let count = Swift.min(rowsPerInsert, rows.count - start)
            let statement = try database.statement(
                "INSERT INTO \(table) (\(columns)) VALUES " + Array(repeating: row, count: count).joined(separator: ", "))
            var index: Int32 = 1
            for values in rows[start..<(start + count)] {
                for value in values {
                    statement.bind(value, at: index)
                    index += 1
                }
            }
            try statement.execute()
            start += count
        }
    }
}
