#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a ``Snapshot`` from the database in one read transaction.
///
/// The usual snapshot reads the per-(model, task) statistics kept with the results. A snapshot of
/// the past (`asOf`) or with evidence weighted by age (`halfLifeDays`) is computed from the result
/// and gateway request rows themselves, and from the prices in force at the time.
enum SnapshotLoader {
    /// How the evidence is read.
    struct Evidence {
        /// Only prices and results that existed at this time (seconds since 1970); nil for now.
        var asOf: Double?
        /// Weighs each result by 0.5^(age / half-life); nil weighs every result alike.
        var halfLifeDays: Double?

        static let current = Evidence()
        var readsRows: Bool { asOf != nil || halfLifeDays != nil }
    }

    static func load(from database: Database, onlyTask: String?, evidence: Evidence = .current) throws -> Snapshot {
        try database.readTransaction { try read(from: database, onlyTask: onlyTask, evidence: evidence) }
    }

    /// The snapshot, read inside the caller's transaction; `forOneRequest` leaves out what only
    /// many selects repay (see ``TaskRoute/requestTokens``). With `meanAtLeast` (current evidence and
    /// one task only), the task's candidates are only those whose stored mean may reach it.
    static func read(from database: Database, onlyTask: String?, evidence: Evidence = .current,
                     forOneRequest: Bool = false, meanAtLeast: Double? = nil) throws -> Snapshot {
        let tasks = try loadTasks(database)
        let loadedTasks = tasks.byRowID.filter { onlyTask == nil || $0.value.name == onlyTask }
        let taskFilter = onlyTask == nil ? nil : loadedTasks.keys.first ?? -1
        let meanFloor = evidence.readsRows || taskFilter == nil ? nil : meanAtLeast
        let models = try loadModels(database, asOf: evidence.asOf, withEstimatesFor: taskFilter, meanAtLeast: meanFloor)
        let rows = evidence.readsRows
            ? try statisticsFromResults(database, taskRowID: taskFilter, evidence: evidence)
            : try storedStatistics(database, taskRowID: taskFilter, meanAtLeast: meanFloor)

        var candidatesByTask: [Int: [Candidate]] = loadedTasks.mapValues { _ in [] }
        var estimates: [Snapshot.ScoreEntry] = []
        for row in rows {
            guard let task = loadedTasks[row.taskRowID], let model = models.byRowID[row.modelRowID] else { continue }
            estimates.append(Snapshot.ScoreEntry(model: model.id, task: task.name, quality: row.quality,
                                                 latencyP95Ms: row.latencyP95Ms, priorSource: row.priorSource))
            guard model.enabled else { continue }
            candidatesByTask[row.taskRowID, default: []].append(Candidate(
                model: model, quality: row.quality, task: task, measuredInputTokens: row.meanInputTokens,
                measuredOutputTokens: row.meanOutputTokens, latencyP95Ms: row.latencyP95Ms))
        }
        var routes: [String: TaskRoute] = [:]
        let index = CatalogIndex(models: models.ordered)
        for (taskRowID, task) in loadedTasks {
            routes[task.name] = TaskRoute(task: task, candidates: candidatesByTask[taskRowID] ?? [], index: index,
                                          forOneRequest: forOneRequest)
        }
        if onlyTask == nil { estimates.sort { ($0.task, $0.model) < ($1.task, $1.model) } }
        return Snapshot(models: models.ordered, taskTypes: tasks.ordered, estimates: estimates, routes: routes)
    }

    /// One (model, task type) pair's evidence, whichever way it was read.
    struct PairStatistics {
        var taskRowID: Int
        var modelRowID: Int
        var quality: QualityEstimate
        var meanInputTokens: Double?
        var meanOutputTokens: Double?
        var latencyP95Ms: Double?
        var priorSource: String?
    }

    /// Every model, or with `taskRowID` only those with an estimate for that task type (and with
    /// `meanAtLeast`, only those whose mean may reach it).
    private static func loadModels(_ database: Database, asOf: Double?, withEstimatesFor taskRowID: Int?,
                                   meanAtLeast: Double? = nil) throws -> (byRowID: [Int: Model], ordered: [Model]) {
        if let taskRowID, asOf == nil {
            let statement = try database.statement("""
                SELECT \(modelColumns)
                FROM model_task_stats s JOIN models m ON m.id = s.model_id
                WHERE s.task_id = \(taskRowID)\(meanAtLeast == nil ? "" : " AND " + meanReachesCondition) ORDER BY m.name
                """)
            if let meanAtLeast { statement.bind(meanAtLeast - meanMargin, at: 1) }
            return try collectModels(statement)
        }
        // As of a time: the latest price that had taken effect by then; models priced only later are left out.
        let statement = try database.statement(asOf == nil ? """
            SELECT \(modelColumns) FROM models m ORDER BY m.name
            """ : """
            SELECT m.id, m.name, m.provider, h.input_usd_per_mtok, h.output_usd_per_mtok, h.request_usd, m.context_window, m.tier, m.enabled,
                   m.capabilities, m.max_output_tokens, m.cached_input_usd_per_mtok, m.reasoning_usd_per_mtok
            FROM models m
            JOIN price_history h ON h.id = (SELECT id FROM price_history WHERE model_id = m.id AND effective_at <= ?
                                            ORDER BY effective_at DESC, id DESC LIMIT 1)
            ORDER BY m.name
            """)
        if let asOf { statement.bind(asOf, at: 1) }
        return try collectModels(statement)
    }

    private static func collectModels(_ statement: Statement) throws -> (byRowID: [Int: Model], ordered: [Model]) {
        var byRowID: [Int: Model] = [:]
        var ordered: [Model] = []
        byRowID.reserveCapacity(1_024)
        ordered.reserveCapacity(1_024)
        while try statement.step() {
            let (rowID, model) = model(statement, from: 0)
            byRowID[rowID] = model
            ordered.append(model)
        }
        return (byRowID, ordered)
    }

    /// The columns of a model row, as ``model(_:from:)`` reads them (`m` names the models table).
    static let modelColumns = """
        m.id, m.name, m.provider, m.input_usd_per_mtok, m.output_usd_per_mtok, m.request_usd, m.context_window, m.tier, m.enabled,
        m.capabilities, m.max_output_tokens, m.cached_input_usd_per_mtok, m.reasoning_usd_per_mtok
        """

    /// The model in ``modelColumns`` from column `first` on.
    static func model(_ statement: Statement, from first: Int32) -> (rowID: Int, model: Model) {
        let model = Model(
            id: statement.string(first + 1), provider: statement.string(first + 2),
            price: Price(inputUSDPerMTok: statement.double(first + 3), outputUSDPerMTok: statement.double(first + 4),
                         requestUSD: statement.optionalDouble(first + 5)),
            contextWindow: statement.optionalInt(first + 6), tier: statement.optionalInt(first + 7),
            enabled: statement.int(first + 8) != 0,
            capabilities: statement.optionalString(first + 9).map { Set(listed: $0) } ?? [],
            maxOutputTokens: statement.optionalInt(first + 10), cachedInputUSDPerMTok: statement.optionalDouble(first + 11),
            reasoningUSDPerMTok: statement.optionalDouble(first + 12))
        return (statement.int(first), model)
    }

    private static func loadTasks(_ database: Database) throws -> (byRowID: [Int: TaskType], ordered: [TaskType]) {
        let statement = try database.statement("SELECT \(taskColumns) FROM task_types t ORDER BY t.name")
        var byRowID: [Int: TaskType] = [:]
        var ordered: [TaskType] = []
        while try statement.step() {
            let (rowID, task) = task(statement, from: 0)
            byRowID[rowID] = task
            ordered.append(task)
        }
        return (byRowID, ordered)
    }

    /// The columns of a task type row, as ``task(_:from:)`` reads them (`t` names the table).
    static let taskColumns = "t.id, t.name, t.tier, t.input_tokens, t.output_tokens, t.min_quality"

    /// The task type in ``taskColumns`` from column `first` on.
    static func task(_ statement: Statement, from first: Int32) -> (rowID: Int, task: TaskType) {
        let task = TaskType(name: statement.string(first + 1), tier: statement.int(first + 2), inputTokens: statement.int(first + 3),
                            outputTokens: statement.int(first + 4), minQuality: statement.optionalDouble(first + 5))
        return (statement.int(first), task)
    }

    /// The statistics kept with the results, one row per pair (with `meanAtLeast`, of one task
    /// type, only the pairs whose mean may reach it).
    private static func storedStatistics(_ database: Database, taskRowID: Int?, meanAtLeast: Double? = nil) throws -> [PairStatistics] {
        let sql = "SELECT \(statisticsColumns) FROM model_task_stats s"
        let statement = try database.statement(taskRowID == nil ? sql : sql + " WHERE s.task_id = ?"
            + (meanAtLeast == nil ? "" : " AND " + meanReachesCondition))
        if let taskRowID { statement.bind(taskRowID, at: 1) }
        if let meanAtLeast { statement.bind(meanAtLeast - meanMargin, at: 2) }
        var pairs: [PairStatistics] = []
        while try statement.step() {
            if let pair = statistics(statement, from: 0) { pairs.append(pair) }
        }
        return pairs
    }

    /// Whether a statistics row's mean, as ``QualityEstimate`` computes it, may reach the bound
    /// parameter: the stored generated column, indexed per task type (schema migration 11).
    private static let meanReachesCondition = "s.mean >= ?"

    /// Taken off the mean a filter asks for, so that SQL's rounding (within a few units in the last
    /// place) never leaves out a pair whose mean, computed in Swift, reaches it.
    private static let meanMargin = 1e-9

    /// The columns of a statistics row, as ``statistics(_:from:)`` reads them (`s` names the table).
    static let statisticsColumns = """
        s.task_id, s.model_id, s.prior_score, s.prior_weight, s.prior_source, s.samples, s.score_sum,
        s.input_tokens_sum, s.input_tokens_samples, s.output_tokens_sum, s.output_tokens_samples, s.latency_p95_ms
        """

    /// The pair in ``statisticsColumns`` from column `first` on; nil when it has no estimate (no
    /// results and no prior).
    static func statistics(_ statement: Statement, from first: Int32) -> PairStatistics? {
        guard let quality = QualityEstimate(scoreSum: statement.double(first + 6), results: statement.int(first + 5),
                                            priorScore: statement.optionalDouble(first + 2), priorWeight: statement.double(first + 3))
        else { return nil }
        let inputSamples = statement.int(first + 8)
        let outputSamples = statement.int(first + 10)
        return PairStatistics(
            taskRowID: statement.int(first), modelRowID: statement.int(first + 1), quality: quality,
            meanInputTokens: inputSamples > 0 ? statement.double(first + 7) / Double(inputSamples) : nil,
            meanOutputTokens: outputSamples > 0 ? statement.double(first + 9) / Double(outputSamples) : nil,
            latencyP95Ms: statement.optionalDouble(first + 11), priorSource: statement.optionalString(first + 4))
    }

    /// Statistics computed from the result rows recorded by `evidence.asOf`, each weighted by its age.
    private static func statisticsFromResults(_ database: Database, taskRowID: Int?, evidence: Evidence) throws -> [PairStatistics] {
        let reference = evidence.asOf ?? RFC3339.now
        let halfLifeSeconds = evidence.halfLifeDays.map { $0 * 86_400 }
        var sums: [SQLiteStore.PairKey: WeightedStatistics] = [:]
        let rows = try database.statement("""
            SELECT task_id, model_id, score, input_tokens, output_tokens, latency_ms, recorded_at FROM results
            WHERE recorded_at <= ?\(taskRowID == nil ? "" : " AND task_id = ?")
            """)
        rows.bind(reference, at: 1)
        if let taskRowID { rows.bind(taskRowID, at: 2) }
        while try rows.step() {
            let age = max(0, reference - rows.double(6))
            let weight = halfLifeSeconds.map { pow(0.5, age / $0) } ?? 1
            sums[SQLiteStore.PairKey(modelID: rows.int(1), taskID: rows.int(0)), default: WeightedStatistics()]
                .add(score: rows.double(2), weight: weight, inputTokens: rows.optionalInt(3), outputTokens: rows.optionalInt(4),
                     latencyMs: rows.optionalDouble(5))
        }
        // Answered gateway requests by then, as the stored statistics count them: each pair's latest
        // few, less those scored by feedback by then; tokens weighted like results, latency not.
        let traffic = try database.statement("""
            SELECT task_id, model_id, input_tokens, output_tokens, upstream_latency_ms, at FROM (
                SELECT t.id AS task_id, m.id AS model_id, g.input_tokens, g.output_tokens, g.upstream_latency_ms, g.at,
                       row_number() OVER (PARTITION BY t.id, m.id ORDER BY g.at DESC, g.id DESC) AS recency
                FROM gateway_requests g JOIN task_types t ON t.name = g.task JOIN models m ON m.name = g.model
                WHERE g.status = 'ok' AND g.at <= ?1 AND (CAST(?2 AS INTEGER) IS NULL OR t.id = ?2)
                  AND NOT EXISTS (SELECT 1 FROM results r WHERE r.model_id = m.id AND r.task_id = t.id AND r.run = ?3
                                                           AND r.item = g.id AND r.recorded_at <= ?1)) AS ranked
            WHERE recency <= ?4
            """)
        traffic.bind(reference, taskRowID, RequestRecord.feedbackRun, SQLiteStore.trafficPerPair)
        while try traffic.step() {
            let age = max(0, reference - traffic.double(5))
            let weight = halfLifeSeconds.map { pow(0.5, age / $0) } ?? 1
            sums[SQLiteStore.PairKey(modelID: traffic.int(1), taskID: traffic.int(0)), default: WeightedStatistics()]
                .addMeasurement(weight: weight, inputTokens: traffic.optionalInt(2), outputTokens: traffic.optionalInt(3),
                                latencyMs: traffic.optionalDouble(4))
        }
        var priors: [SQLiteStore.PairKey: (score: Double, weight: Double, source: String?)] = [:]
        let priorRows = try database.statement(
            "SELECT task_id, model_id, prior_score, prior_weight, prior_source FROM model_task_stats WHERE prior_score IS NOT NULL")
        while try priorRows.step() {
            guard taskRowID == nil || priorRows.int(0) == taskRowID else { continue }
            priors[SQLiteStore.PairKey(modelID: priorRows.int(1), taskID: priorRows.int(0))] =
                (priorRows.double(2), priorRows.double(3), priorRows.optionalString(4))
        }
        return Set(sums.keys).union(priors.keys).compactMap { key in
            let statistics = sums[key] ?? WeightedStatistics()
            let prior = priors[key]
            let samples = statistics.weight + (prior?.weight ?? 0)
            guard samples > 0 else { return nil }
            let mean = (statistics.weightedScore + (prior.map { $0.score * $0.weight } ?? 0)) / samples
            return PairStatistics(
                taskRowID: key.taskID, modelRowID: key.modelID,
                quality: QualityEstimate(mean: mean, samples: samples, results: statistics.count, priorWeight: prior?.weight ?? 0),
                meanInputTokens: statistics.meanInputTokens, meanOutputTokens: statistics.meanOutputTokens,
                latencyP95Ms: statistics.latencies.latencyP95Ms, priorSource: prior?.source)
        }
    }
}

/// Sums of one pair's results, each counted with its weight, and of its gateway traffic's tokens and latency.
struct WeightedStatistics {
    var count = 0
    var weight = 0.0
    var weightedScore = 0.0
    var inputTokens = (sum: 0.0, weight: 0.0)
    var outputTokens = (sum: 0.0, weight: 0.0)
    var latencies = ResultStatistics()

    mutating func add(score: Double, weight: Double, inputTokens input: Int?, outputTokens output: Int?, latencyMs: Double?) {
        count += 1
        self.weight += weight
        weightedScore += score * weight
        addMeasurement(weight: weight, inputTokens: input, outputTokens: output, latencyMs: latencyMs)
    }

    /// Counts tokens (with `weight`) and latency without a score: an answered gateway request.
    mutating func addMeasurement(weight: Double, inputTokens input: Int?, outputTokens output: Int?, latencyMs: Double?) {
        if let input { inputTokens.sum += Double(input) * weight; inputTokens.weight += weight }
        if let output { outputTokens.sum += Double(output) * weight; outputTokens.weight += weight }
        latencies.addMeasurement(inputTokens: nil, outputTokens: nil, latencyMs: latencyMs)
    }

    var meanInputTokens: Double? { inputTokens.weight > 0 ? inputTokens.sum / inputTokens.weight : nil }
    var meanOutputTokens: Double? { outputTokens.weight > 0 ? outputTokens.sum / outputTokens.weight : nil }
}
