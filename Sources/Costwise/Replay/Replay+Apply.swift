extension Replay {
    /// Makes `store` route like `optimization` when a selection names no threshold.
    ///
    /// Creates the task types the store lacks, records the training part's results in it (under
    /// `run`, so applying again replaces them instead of counting them twice), then sets each task
    /// type's default threshold to the tuned model's quality mean for it in the store, as the
    /// store's evidence now stands. `select` without `--min-quality` then picks the cheapest model
    /// at least as good as the tuned one: the tuned model itself, unless the store knows a cheaper
    /// model it rates at least as high. Every model must be in the store already (by id or alias);
    /// a missing one is refused before anything is written.
    ///
    /// - Returns: per task type, the threshold written and the model the store's selector picks at it.
    public func apply(_ optimization: ReplayOptimization, to store: some CostwiseStore, run: String) throws -> [AppliedThreshold] {
        let aliases = Dictionary(try store.aliases().map { ($0.alias, $0.model) }, uniquingKeysWith: { first, _ in first })
        let before = try store.snapshot()
        let knownModels = Set(before.models.map(\.id))
        for model in dataset.models where !knownModels.contains(aliases[model.id] ?? model.id) {
            throw CatalogError.unknownModel(model.id)
        }
        let knownTasks = Set(before.taskTypes.map(\.name))
        for task in dataset.tasks where !knownTasks.contains(task) {
            try store.setTaskType(TaskTypeUpdate(name: task))
        }
        try store.recordResults(trainingResults(run: run), lines: nil, file: nil)

        var means: [String: Double] = [:]
        for estimate in try store.snapshot().estimates { means[estimate.task + "\u{1F}" + estimate.model] = estimate.quality.mean }
        var applied: [AppliedThreshold] = []
        for choice in optimization.choices {
            let model = aliases[choice.model] ?? choice.model
            guard let threshold = means[choice.task + "\u{1F}" + model] else { throw CatalogError.unknownModel(model) }
            try store.setTaskType(TaskTypeUpdate(name: choice.task, minQuality: threshold))
            applied.append(AppliedThreshold(task: choice.task, tunedModel: model, threshold: threshold, selectedModel: nil,
                                            createdTaskType: !knownTasks.contains(choice.task)))
        }
        let after = try store.snapshot()
        for index in applied.indices {
            let task = applied[index].task
            applied[index].selectedModel = try after.select(SelectionRequest(task: task, minQuality: after.defaultThreshold(for: task)))
                .chosen?.model
        }
        return applied
    }
}
