extension SQLiteStore {
    /// The setting that makes every selection be logged, as `select --log` does for one.
    public static let logSelectionsSetting = "log-selections"

    /// Every setting a store takes, with the values each allows.
    public static let knownSettings = [logSelectionsSetting: ["true", "false"]]

    /// - Throws: ``InputError`` on the field `key` when the store takes no such setting, or not that
    ///   value; nil (removing the setting) is always allowed.
    public static func checkSetting(_ key: String, value: String?) throws {
        guard let allowed = knownSettings[key] else {
            throw InputError(field: key, "unknown setting '\(key)'; the settings are \(knownSettings.keys.sorted().joined(separator: ", "))")
        }
        if let value, !allowed.contains(value) {
            throw InputError(field: key, "\(key) takes \(allowed.joined(separator: " or "))")
        }
    }

    /// A store setting's value, or nil when it is not set.
    public func setting(_ key: String) throws -> String? {
        try read { database in
            let statement = try database.statement("SELECT value FROM settings WHERE key = ?")
            statement.bind(key, at: 1)
            return try statement.step() ? statement.string(0) : nil
        }
    }

    /// Sets a store setting; nil removes it.
    public func setSetting(_ key: String, to value: String?) throws {
        try write { database in
            let statement = try database.statement(value == nil
                ? "DELETE FROM settings WHERE key = ?"
                : "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            statement.bind(key, value)
            try statement.execute()
        }
    }

    /// Every setting, by key.
    public func settings() throws -> [(key: String, value: String)] {
        try read { database in
            let statement = try database.statement("SELECT key, value FROM settings ORDER BY key")
            var settings: [(key: String, value: String)] = []
            while try statement.step() { settings.append((statement.string(0), statement.string(1))) }
            return settings
        }
    }

    /// Logs a selection with what the premium tier would have cost for the same request, so that
    /// savings can be reported and reviews know each task type's volume.
    public func logDecision(_ selection: Selection, premium: (model: String, costUSD: Double)?, classifier: String? = nil,
                            at time: Double = RFC3339.now) throws {
        try write { database in
            let ids = try CatalogIDs(database)
            guard let taskID = ids.tasks[selection.task.name] else { throw CatalogError.unknownTaskType(selection.task.name) }
            let statement = try database.statement("""
                INSERT INTO decisions (at, task_id, model_id, threshold, input_tokens, output_tokens, estimated_cost_usd,
                                       premium_model_id, premium_cost_usd, classifier)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let chosen = selection.chosen
            statement.bind(time, taskID, chosen.flatMap { ids.models[$0.model] }, selection.request.minQuality,
                           chosen?.inputTokens, chosen?.outputTokens, chosen?.estimatedCostUSD,
                           premium.flatMap { ids.models[$0.model] }, premium?.costUSD, classifier)
            try statement.execute()
        }
    }

    /// Requests, spend and all-premium cost since `since`, per task type: of the selections logged
    /// (at their estimated cost) and of the requests the gateway answered (at the cost their upstream
    /// reported; a request without reported usage has no known cost and is left out).
    public func savingsReport(since: Double? = nil) throws -> SavingsReport {
        try read { database in
            let statement = try database.statement("""
                SELECT task, count(*), total(spend), total(premium) FROM (
                    SELECT t.name AS task, d.estimated_cost_usd AS spend,
                           coalesce(d.premium_cost_usd, d.estimated_cost_usd) AS premium
                    FROM decisions d JOIN task_types t ON t.id = d.task_id
                    WHERE d.model_id IS NOT NULL AND d.at >= ?1
                    UNION ALL
                    SELECT task, cost_usd, coalesce(premium_cost_usd, cost_usd)
                    FROM gateway_requests
                    WHERE status = 'ok' AND task IS NOT NULL AND cost_usd IS NOT NULL AND at >= ?1
                ) AS answered
                GROUP BY task ORDER BY task
                """)
            statement.bind(since ?? -Double.greatestFiniteMagnitude, at: 1)
            var lines: [SavingsReport.Line] = []
            while try statement.step() {
                lines.append(.init(task: statement.string(0), requests: statement.int(1), spendUSD: statement.double(2),
                                   allPremiumUSD: statement.double(3)))
            }
            return SavingsReport(since: since, tasks: lines)
        }
    }

    /// How many logged selections since `since` went to each model, per task type.
    public func decisionCounts(since: Double) throws -> [String: [String: Int]] {
        try read { database in
            let statement = try database.statement("""
                SELECT t.name, m.name, count(*) FROM decisions d
                JOIN task_types t ON t.id = d.task_id JOIN models m ON m.id = d.model_id
                WHERE d.at >= ? GROUP BY t.name, m.name
                """)
            statement.bind(since, at: 1)
            var counts: [String: [String: Int]] = [:]
            while try statement.step() { counts[statement.string(0), default: [:]][statement.string(1)] = statement.int(2) }
            return counts
        }
    }
}
