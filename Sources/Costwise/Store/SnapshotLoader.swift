/// Builds a ``Snapshot`` from the database in one read transaction, with three prepared queries.
enum SnapshotLoader {
    static func load(from database: Database, onlyTask: String?) throws -> Snapshot {
        try database.readTransaction {
            var modelsByRowID: [Int: Model] = [:]
            var models: [Model] = []
            let modelQuery = try database.statement("""
                SELECT id, name, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled
                FROM models ORDER BY name
                """)
            while try modelQuery.step() {
                let model = Model(
                    id: modelQuery.string(1), provider: modelQuery.string(2),
                    price: Price(inputUSDPerMTok: modelQuery.double(3), outputUSDPerMTok: modelQuery.double(4),
                                 requestUSD: modelQuery.optionalDouble(5)),
                    contextWindow: modelQuery.optionalInt(6), tier: modelQuery.optionalInt(7), enabled: modelQuery.int(8) != 0)
                modelsByRowID[modelQuery.int(0)] = model
                models.append(model)
            }

            var tasksByRowID: [Int: TaskType] = [:]
            var taskTypes: [TaskType] = []
            let taskQuery = try database.statement(
                "SELECT id, name, tier, input_tokens, output_tokens, min_quality FROM task_types ORDER BY name")
            while try taskQuery.step() {
                let task = TaskType(name: taskQuery.string(1), tier: taskQuery.int(2), inputTokens: taskQuery.int(3),
                                    outputTokens: taskQuery.int(4), minQuality: taskQuery.optionalDouble(5))
                tasksByRowID[taskQuery.int(0)] = task
                taskTypes.append(task)
            }

            let loadedTasks = tasksByRowID.filter { onlyTask == nil || $0.value.name == onlyTask }
            var candidatesByTask: [Int: [Candidate]] = loadedTasks.mapValues { _ in [] }
            var estimates: [Snapshot.ScoreEntry] = []
            let statsSQL = """
                SELECT task_id, model_id, prior_score, prior_weight, prior_source, samples, score_sum,
                       input_tokens_sum, input_tokens_samples, output_tokens_sum, output_tokens_samples, latency_p95_ms
                FROM model_task_stats
                """
            let statsQuery = try database.statement(onlyTask == nil ? statsSQL : statsSQL + " WHERE task_id = ?")
            if let taskRowID = loadedTasks.keys.first, onlyTask != nil { statsQuery.bind(taskRowID, at: 1) }
            if onlyTask == nil || !loadedTasks.isEmpty {
                while try statsQuery.step() {
                    let taskRowID = statsQuery.int(0)
                    guard let task = loadedTasks[taskRowID], let model = modelsByRowID[statsQuery.int(1)],
                          let quality = QualityEstimate(
                            scoreSum: statsQuery.double(6), results: statsQuery.int(5),
                            priorScore: statsQuery.optionalDouble(2), priorWeight: statsQuery.double(3))
                    else { continue }
                    let inputSamples = statsQuery.int(8)
                    let outputSamples = statsQuery.int(10)
                    let latency = statsQuery.optionalDouble(11)
                    estimates.append(Snapshot.ScoreEntry(
                        model: model.id, task: task.name, quality: quality, latencyP95Ms: latency,
                        priorSource: statsQuery.optionalString(4)))
                    guard model.enabled else { continue }
                    candidatesByTask[taskRowID, default: []].append(Candidate(
                        model: model, quality: quality, task: task,
                        measuredInputTokens: inputSamples > 0 ? statsQuery.double(7) / Double(inputSamples) : nil,
                        measuredOutputTokens: outputSamples > 0 ? statsQuery.double(9) / Double(outputSamples) : nil,
                        latencyP95Ms: latency))
                }
            }
            statsQuery.reset()

            var routes: [String: TaskRoute] = [:]
            for (taskRowID, task) in loadedTasks {
                routes[task.name] = TaskRoute(task: task, candidates: candidatesByTask[taskRowID] ?? [])
            }
            estimates.sort { ($0.task, $0.model) < ($1.task, $1.model) }
            return Snapshot(models: models, taskTypes: taskTypes, estimates: estimates, routes: routes)
        }
    }
}
