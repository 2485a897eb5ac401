/// Each task type's frontiers (see ``Frontier``), kept in the store so that a one-off selection
/// limited by its threshold reads a few rows instead of every candidate.
///
/// The `frontiers` table says which task types' entries are current. Triggers delete a task's row
/// whenever its candidates' prices, statistics or default tokens change, whoever writes; every write
/// through ``SQLiteStore`` computes the missing rows again before it commits. A reader that finds
/// no row, or a request the frontier does not answer, loads the task's candidates instead.
enum StoredFrontiers {
    /// What a stored entry measures.
    enum Measure: Int {
        case mean = 0
        case lowerBound95 = 1
    }

    /// Computes the frontiers of every task type that has none, inside the caller's write transaction.
    static func refresh(in database: Database) throws {
        let stale = try database.statement("SELECT name FROM task_types WHERE id NOT IN (SELECT task_id FROM frontiers)")
        var names: [String] = []
        while try stale.step() { names.append(stale.string(0)) }
        guard !names.isEmpty else { return }
        let taskCount = try database.integer("SELECT count(*) FROM task_types") ?? 0
        // Most task types stale (after a price change) is cheaper read in one go than one by one.
        let snapshots = names.count * 2 > taskCount
            ? [try SnapshotLoader.read(from: database, onlyTask: nil, forOneRequest: true)]
            : try names.map { try SnapshotLoader.read(from: database, onlyTask: $0, forOneRequest: true) }
        for snapshot in snapshots {
            for name in names {
                guard let route = snapshot.routes[name] else { continue }
                try save(route, in: database)
            }
        }
    }

    private static func save(_ route: TaskRoute, in database: Database) throws {
        guard let taskID = try database.statement("SELECT id FROM task_types WHERE name = ?").bound(route.task.name).firstInt()
        else { return }
        try database.statement("DELETE FROM frontier_entries WHERE task_id = ?").bound(taskID).execute()
        let insert = try database.statement("""
            INSERT INTO frontier_entries (task_id, measure, value, model_id)
            SELECT ?, ?, ?, id FROM models WHERE name = ?
            """)
        for (measure, frontier) in [(Measure.mean, route.meanFrontier), (.lowerBound95, route.lowerBoundFrontier)] {
            for (position, value) in zip(frontier.positions, frontier.values) {
                insert.bind(taskID, measure.rawValue, value, route.candidates[position].model.id)
                try insert.execute()
            }
        }
        let samples = route.frontierSamples
        try database.statement("""
            INSERT INTO frontiers (task_id, samples_above, samples_up_to) VALUES (?, ?, ?)
            ON CONFLICT (task_id) DO UPDATE SET samples_above = excluded.samples_above, samples_up_to = excluded.samples_up_to
            """)
            .bound(taskID, samples.above.isFinite ? samples.above : nil, samples.upTo.isFinite ? samples.upTo : nil)
            .execute()
    }

    /// A snapshot holding only the candidate that answers `request`, read inside the caller's
    /// transaction; nil when the stored frontiers do not answer it (a request ``SearchPath/storedFrontier``
    /// does not answer, frontiers not current, fewest samples they do not hold for, or no candidate
    /// qualifying, where the answer names the best of all candidates).
    static func answer(_ request: SelectionRequest, from database: Database) throws -> Snapshot? {
        // The rows say which fewest samples they hold for; that is checked once they are read.
        guard SearchPath.storedFrontier.answers(request, demands: request.demands, frontierSamples: nil) else { return nil }
        let frontier = try database.statement("""
            SELECT f.samples_above, f.samples_up_to,
                   (SELECT e.model_id FROM frontier_entries e WHERE e.task_id = t.id AND e.measure = ? AND e.value >= ?
                    ORDER BY e.value LIMIT 1),
                   \(SnapshotLoader.taskColumns)
            FROM task_types t JOIN frontiers f ON f.task_id = t.id WHERE t.name = ?
            """)
        frontier.bind((request.confidence == nil ? Measure.mean : .lowerBound95).rawValue, request.minQuality, request.task)
        guard try frontier.step(), !frontier.isNull(2) else { return nil }
        let samples = Frontier.SampleRange(above: frontier.optionalDouble(0) ?? -.infinity, upTo: frontier.optionalDouble(1) ?? .infinity)
        guard samples.contains(request.minSamples) else { return nil }
        let modelID = frontier.int(2)
        let (taskID, task) = SnapshotLoader.task(frontier, from: 3)

        let pair = try database.statement("""
            SELECT \(SnapshotLoader.statisticsColumns), \(SnapshotLoader.modelColumns)
            FROM model_task_stats s JOIN models m ON m.id = s.model_id WHERE s.task_id = ? AND s.model_id = ?
            """)
        pair.bind(taskID, modelID)
        guard try pair.step(), let statistics = SnapshotLoader.statistics(pair, from: 0) else { return nil }
        let model = SnapshotLoader.model(pair, from: 12).model
        let candidate = Candidate(model: model, quality: statistics.quality, task: task, measuredInputTokens: statistics.meanInputTokens,
                                  measuredOutputTokens: statistics.meanOutputTokens, latencyP95Ms: statistics.latencyP95Ms)
        let snapshot = Snapshot(
            models: [model], taskTypes: [task],
            estimates: [Snapshot.ScoreEntry(model: model.id, task: task.name, quality: statistics.quality,
                                            latencyP95Ms: statistics.latencyP95Ms, priorSource: statistics.priorSource)],
            routes: [task.name: TaskRoute(task: task, candidates: [candidate], forOneRequest: true)])
        // The frontier's pick answers the request unless its cost is over the limit; then no
        // candidate qualifies, and only the whole task type can name the best.
        return try snapshot.select(request).chosenModel == model.id ? snapshot : nil
    }
}
