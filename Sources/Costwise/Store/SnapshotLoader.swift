#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a ``Snapshot`` from the database in one read transaction.
///
/// The usual snapshot reads the per-(model, task) statistics kept with the results. A snapshot of
/// the past (`asOf`) or with evidence weighted by age (`halfLifeDays`) is computed from the result
/// rows themselves, and from the prices in force at the time.
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
        try database.readTransaction {
            let tasks = try loadTasks(database)
            let loadedTasks = tasks.byRowID.filter { onlyTask == nil || $0.value.name == onlyTask }
            let taskFilter = onlyTask == nil ? nil : loadedTasks.keys.first ?? -1
            let models = try loadModels(database, asOf: evidence.asOf, withEstimatesFor: taskFilter)
            let rows = evidence.readsRows
                ? try statisticsFromResults(database, taskRowID: taskFilter, evidence: evidence)
                : try storedStatistics(database, taskRowID: taskFilter)

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
            for (taskRowID, task) in loadedTasks {
                routes[task.name] = TaskRoute(task: task, candidates: candidatesByTask[taskRowID] ?? [])
            }
            if onlyTask == nil { estimates.sort { ($0.task, $0.model) < ($1.task, $1.model) } }
            return Snapshot(models: models.ordered, taskTypes: tasks.ordered, estimates: estimates, routes: routes)
        }
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

    /// Every model, or with `taskRowID` only those with an estimate for that task type.
    private static func loadModels(_ database: Database, asOf: Double?, withEstimatesFor taskRowID: Int?) throws
        -> (byRowID: [Int: Model], ordered: [Model]) {
        if let taskRowID, asOf == nil {
            return try collectModels(database.statement("""
                SELECT m.id, m.name, m.provider, m.input_usd_per_mtok, m.output_usd_per_mtok, m.request_usd, m.context_window, m.tier, m.enabled
                FROM model_task_stats s JOIN models m ON m.id = s.model_id WHERE s.task_id = \(taskRowID) ORDER BY m.name
                """))
        }
        // As of a time: the latest price that had taken effect by then; models priced only later are left out.
        let statement = try database.statement(asOf == nil ? """
            SELECT id, name, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled
            FROM models ORDER BY name
            """ : """
            SELECT m.id, m.name, m.provider, h.input_usd_per_mtok, h.output_usd_per_mtok, h.request_usd, m.context_window, m.tier, m.enabled
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
            let model = Model(
                id: statement.string(1), provider: statement.string(2),
                price: Price(inputUSDPerMTok: statement.double(3), outputUSDPerMTok: statement.double(4),
                             requestUSD: statement.optionalDouble(5)),
                contextWindow: statement.optionalInt(6), tier: statement.optionalInt(7), enabled: statement.int(8) != 0)
            byRowID[statement.int(0)] = model
            ordered.append(model)
        }
        return (byRowID, ordered)
    }

    private static func loadTasks(_ database: Database) throws -> (byRowID: [Int: TaskType], ordered: [TaskType]) {
        let statement = try database.statement(
            "SELECT id, name, tier, input_tokens, output_tokens, min_quality FROM task_types ORDER BY name")
        var byRowID: [Int: TaskType] = [:]
        var ordered: [TaskType] = []
        while try statement.step() {
            let task = TaskType(name: statement.string(1), tier: statement.int(2), inputTokens: statement.int(3),
                                outputTokens: statement.int(4), minQuality: statement.optionalDouble(5))
            byRowID[statement.int(0)] = task
            ordered.append(task)
        }
        return (byRowID, ordered)
    }

    /// The statistics kept with the results, one row per pair.
    private static func storedStatistics(_ database: Database, taskRowID: Int?) throws -> [PairStatistics] {
        let sql = """
            SELECT task_id, model_id, prior_score, prior_weight, prior_source, samples, score_sum,
                   input_tokens_sum, input_tokens_samples, output_tokens_sum, output_tokens_samples, latency_p95_ms
            FROM model_task_stats
            """
        let statement = try database.statement(taskRowID == nil ? sql : sql + " WHERE task_id = ?")
        if let taskRowID { statement.bind(taskRowID, at: 1) }
        var pairs: [PairStatistics] = []
        while try statement.step() {
            guard let quality = QualityEstimate(scoreSum: statement.double(6), results: statement.int(5),
                                                priorScore: statement.optionalDouble(2), priorWeight: statement.double(3))
            else { continue }
            let inputSamples = statement.int(8)
            let outputSamples = statement.int(10)
            pairs.append(PairStatistics(
                taskRowID: statement.int(0), modelRowID: statement.int(1), quality: quality,
                meanInputTokens: inputSamples > 0 ? statement.double(7) / Double(inputSamples) : nil,
                meanOutputTokens: outputSamples > 0 ? statement.double(9) / Double(outputSamples) : nil,
                latencyP95Ms: statement.optionalDouble(11), priorSource: statement.optionalString(4)))
        }
        return pairs
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

/// Sums of one pair's results, each counted with its weight.
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
        if let input { inputTokens.sum += Double(input) * weight; inputTokens.weight += weight }
        if let output { outputTokens.sum += Double(output) * weight; outputTokens.weight += weight }
        latencies.add(score: score, inputTokens: nil, outputTokens: nil, latencyMs: latencyMs)
    }

    var meanInputTokens: Double? { inputTokens.weight > 0 ? inputTokens.sum / inputTokens.weight : nil }
    var meanOutputTokens: Double? { outputTokens.weight > 0 ? outputTokens.sum / outputTokens.weight : nil }
}
