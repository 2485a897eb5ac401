/// Replays per-item evaluation results through the selector: the training part of a split feeds a
/// fresh in-memory store, and each held-out item is routed by that store's own ``Snapshot/select(_:)``
/// for its task type and scored with the chosen model's result and cost.
///
/// Against the same held-out items it scores every single model, the per-item oracle (the cheapest
/// model with the item's best score), a sweep of uniform thresholds, and per-task-type choices
/// made on the training part for a quality target (see ``TaskChoiceFrontier``), on each model's
/// quality as expected on new items (see ``ShrunkQuality``) and for the target plus the margin
/// cross-validation finds it needs to hold there (see ``ReplayMargin``). Quality and
/// cost are reported as ratios of a baseline model's, by default the best single model on the
/// training part.
///
/// ```swift
/// let dataset = try ReplayDataset(records: records, pricing: pricing, file: "results.csv")
/// let replay = try Replay(dataset: dataset, split: ReplaySplit(dataset, trainingFraction: 0.5, seed: 1))
/// let report = try replay.report(targetQualityRatio: 0.95, optimize: true, folds: 5)
/// print(report.sweepAtTarget?.costRatio ?? .nan)
/// ```
public struct Replay: Sendable {
    public let dataset: ReplayDataset
    public let split: ReplaySplit
    /// The training store's picture, which every routing decision reads.
    public let snapshot: Snapshot
    /// The index into the dataset's models of the baseline.
    public let baseline: Int
    /// Per task type and model, whether the selector picks the model at its own quality mean in
    /// the training store: the choices a threshold can reproduce, and so the only ones optimized over.
    let selectable: [[Bool]]
    /// The run the training results are recorded under in the replay's own store.
    private static let trainingRun = "replay"

    /// The indices into the dataset's items of each task type's training items, indexed as its tasks.
    let trainingByTask: [[Int]]
    private let heldOutByTask: [[Int]]
    private let baselineHeldOut: Tally

    /// Records the training part in a fresh in-memory store.
    ///
    /// - Parameter baseline: the model id ratios are relative to; nil for the single model with the
    ///   highest quality on the training part (the cheaper one on a tie).
    /// - Throws: ``InputError`` when the baseline is not one of the dataset's models, or when a task
    ///   type has no training item or no item is held out.
    public init(dataset: ReplayDataset, split: ReplaySplit, baseline: String? = nil) throws {
        precondition(split.isTraining.count == dataset.items.count, "the split is of another dataset")
        let training = dataset.itemsByTask.map { $0.filter { split.isTraining[$0] } }
        let heldOut = dataset.itemsByTask.map { $0.filter { !split.isTraining[$0] } }
        if let empty = training.firstIndex(where: \.isEmpty) {
            throw InputError(field: "split", "task type '\(dataset.tasks[empty])' has no training item")
        }
        guard heldOut.contains(where: { !$0.isEmpty }) else {
            throw InputError(field: "split", "the split holds no item out")
        }
        self.dataset = dataset
        self.split = split
        trainingByTask = training
        heldOutByTask = heldOut

        let baselineIndex: Int
        if let baseline {
            guard let index = dataset.modelIndex(of: baseline) else {
                throw InputError(field: "baseline", "'\(baseline)' is not one of the file's models: "
                    + dataset.models.map(\.id).joined(separator: ", "))
            }
            baselineIndex = index
        } else {
            let trainingTallies = dataset.models.indices.map { model in
                Self.tally(items: training.joined(), in: dataset) { _ in model }
            }
            baselineIndex = dataset.models.indices.min { a, b in
                let (ta, tb) = (trainingTallies[a], trainingTallies[b])
                return ta.scoreSum != tb.scoreSum ? ta.scoreSum > tb.scoreSum : ta.costSum < tb.costSum
            } ?? 0
        }
        self.baseline = baselineIndex
        baselineHeldOut = Self.tally(items: heldOut.joined(), in: dataset) { _ in baselineIndex }

        let store = try SQLiteStore(path: SQLiteStore.inMemoryPath, seed: .empty)
        let models = dataset.models.map { model in
            var enabled = model
            enabled.enabled = true
            return enabled
        }
        _ = try store.importPrices(models, source: .manual("replay prices"), guard: .off, dryRun: false)
        for task in dataset.tasks { try store.setTaskType(TaskTypeUpdate(name: task)) }
        try store.recordResults(Self.results(of: training.flatMap { $0 }, in: dataset, run: Self.trainingRun), lines: nil, file: nil)
        let snapshot = try store.snapshot()
        self.snapshot = snapshot
        var means: [String: Double] = [:]
        for estimate in snapshot.estimates { means[estimate.task + "\u{1F}" + estimate.model] = estimate.quality.mean }
        selectable = try dataset.tasks.map { task in
            let picks = try dataset.models.map { model in
                guard let mean = means[task + "\u{1F}" + model.id] else { return false }
                return try snapshot.select(SelectionRequest(task: task, minQuality: mean)).chosen?.model == model.id
            }
            return picks.contains(true) ? picks : picks.map { _ in true }
        }
    }

    /// The training part as evaluation results: one per item and model, under `run`.
    public func trainingResults(run: String) -> [EvaluationResult] {
        Self.results(of: trainingByTask.flatMap { $0 }, in: dataset, run: run)
    }

    private static func results(of items: [Int], in dataset: ReplayDataset, run: String) -> [EvaluationResult] {
        items.flatMap { index in
            let item = dataset.items[index]
            return dataset.models.indices.map { model in
                let outcome = dataset.outcomes[index][model]
                return EvaluationResult(
                    model: dataset.models[model].id, task: item.task, score: outcome.score, run: run, item: item.id,
                    costUSD: outcome.costGiven ? outcome.costUSD : nil,
                    inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens)
            }
        }
    }

    // MARK: - Scoring the held-out part

    /// Every single model on every held-out item.
    public func singleModels() -> [ReplayPoint] {
        dataset.models.indices.map { model in
            point(dataset.models[model].id, Self.tally(items: heldOutByTask.joined(), in: dataset) { _ in model })
        }
    }

    /// The baseline on the held-out items.
    public func baselinePoint() -> ReplayPoint {
        point(dataset.models[baseline].id, baselineHeldOut)
    }

    /// Each held-out item answered by the cheapest model that reaches the item's best score.
    public func oracle() -> ReplayPoint {
        point("oracle", Self.tally(items: heldOutByTask.joined(), in: dataset) { index in
            let outcomes = dataset.outcomes[index]
            return outcomes.indices.min { a, b in
                outcomes[a].score != outcomes[b].score ? outcomes[a].score > outcomes[b].score : outcomes[a].costUSD < outcomes[b].costUSD
            } ?? 0
        })
    }

    /// Every distinct routing a uniform threshold gives: one point per threshold equal to a quality
    /// mean in the training store (the thresholds where the selector's answer can change), by
    /// ascending threshold, leaving out thresholds that route every task type as the one before.
    public func sweep() throws -> [ReplayPoint] {
        let thresholds = Set(snapshot.estimates.map(\.quality.mean)).sorted()
        var points: [ReplayPoint] = []
        var previous: [Int]?
        for threshold in thresholds {
            let routing = try route { _ in threshold }
            if routing.models == previous { continue }
            previous = routing.models
            var swept = point("threshold \(DecimalFormat.string(threshold, places: 4))", routing.tally)
            swept.threshold = threshold
            points.append(swept)
        }
        return points
    }

    // MARK: - Optimizing per task type

    /// The cost–quality frontier of per-task-type choices on the training part, each model's
    /// quality on a task type as expected on new items (see ``ShrunkQuality``).
    public func frontier() -> TaskChoiceFrontier {
        frontier(shrinking: true)
    }

    /// The frontier, with each model's quality as estimated or, when `shrinking` is false, as measured.
    func frontier(shrinking: Bool) -> TaskChoiceFrontier {
        TaskChoiceFrontier(options: selectableOptions(ShrunkQuality.options(trainingByTask.map(sums), baseline: baseline, shrinking: shrinking)))
    }

    /// Of each task type's options, those the selector can be made to pick (see ``selectable``): a
    /// model whose mean a cheaper model's matches is picked over by it, whatever the estimates say.
    func selectableOptions(_ options: [[TaskChoiceFrontier.Option]]) -> [[TaskChoiceFrontier.Option]] {
        options.enumerated().map { task, taskOptions in taskOptions.filter { selectable[task][$0.model] } }
    }

    /// Each model's sums over `items`.
    func sums(_ items: [Int]) -> ShrunkQuality.Sums {
        var sums = ShrunkQuality.Sums(models: dataset.models.count)
        for index in items { sums.add(dataset.outcomes[index], baseline: baseline) }
        return sums
    }

    /// The baseline's quality on the training part, in the frontier's units.
    var baselineTrainingUnits: Int {
        trainingByTask.joined().reduce(0) { $0 + TaskChoiceFrontier.qualityUnits(dataset.outcomes[$1][baseline].score) }
    }

    /// The cheapest per-task-type choices expected to hold `targetQualityRatio` of the baseline's
    /// quality on new items: with `folds` of 2 or more, optimized on the training part for the
    /// target plus the margin `folds`-fold cross-validation finds (see ``margin(targetQualityRatio:folds:)``);
    /// with 1, for the target itself, as ``optimize(targetQualityRatio:on:)``.
    public func choose(targetQualityRatio: Double, folds: Int, on frontier: TaskChoiceFrontier) throws -> ReplayOptimization {
        guard folds >= 2 else { return try optimize(targetQualityRatio: targetQualityRatio, on: frontier) }
        let margin = margin(targetQualityRatio: targetQualityRatio, folds: folds)
        var chosen = try optimize(targetQualityRatio: margin.trainingTarget, on: frontier)
        chosen.targetQualityRatio = targetQualityRatio
        chosen.reachesTarget = chosen.reachesTarget && margin.reachesTarget
        chosen.margin = margin
        return chosen
    }

    /// The cheapest per-task-type choices whose training quality reaches `targetQualityRatio` of the
    /// baseline's there, with their figures on the held-out part.
    public func optimize(targetQualityRatio: Double, on frontier: TaskChoiceFrontier) throws -> ReplayOptimization {
        let baselineUnits = baselineTrainingUnits
        let baselineCost = trainingByTask.joined().reduce(0.0) { $0 + dataset.outcomes[$1][baseline].costUSD }
        let reached = frontier.cheapest(reaching: targetQualityRatio, of: baselineUnits)
        guard let chosen = reached ?? frontier.points.last else {
            preconditionFailure("a frontier always holds a point")
        }
        var trainingUnits = 0
        for (task, items) in trainingByTask.enumerated() {
            for index in items { trainingUnits += TaskChoiceFrontier.qualityUnits(dataset.outcomes[index][chosen.choices[task]].score) }
        }
        var means: [String: Double] = [:]
        for estimate in snapshot.estimates { means[estimate.task + "\u{1F}" + estimate.model] = estimate.quality.mean }
        let choices = dataset.tasks.indices.map { task in
            let model = dataset.models[chosen.choices[task]].id
            return ReplayOptimization.Choice(task: dataset.tasks[task], model: model,
                                             threshold: means[dataset.tasks[task] + "\u{1F}" + model] ?? 1)
        }
        let thresholds = Dictionary(uniqueKeysWithValues: choices.map { ($0.task, $0.threshold) })
        var heldOut = point("training target \(DecimalFormat.string(targetQualityRatio, places: 4))",
                            try route { thresholds[$0] ?? 1 }.tally)
        heldOut.trainingTarget = targetQualityRatio
        return ReplayOptimization(
            targetQualityRatio: targetQualityRatio, trainingTarget: targetQualityRatio, margin: nil, reachesTarget: reached != nil,
            estimatedQualityRatio: Double(chosen.qualityUnits) / Double(baselineUnits),
            trainingQualityRatio: Double(trainingUnits) / Double(baselineUnits),
            trainingCostRatio: chosen.costUSD / baselineCost, choices: choices, heldOut: heldOut)
    }

    /// The optimized choices for training targets from the frontier's lowest quality ratio to its
    /// highest in steps of one point (0.01), plus `extraTargets`, on the held-out part, by ascending
    /// target; targets that choose as the one before are left out.
    public func optimizedCurve(on frontier: TaskChoiceFrontier, extraTargets: [Double] = []) throws -> [ReplayPoint] {
        let baselineUnits = Double(baselineTrainingUnits)
        guard let lowest = frontier.points.first, let highest = frontier.points.last, baselineUnits > 0 else { return [] }
        let lowPoint = Int((Double(lowest.qualityUnits) / baselineUnits * 100).rounded(.down))
        let highPoint = Int((Double(highest.qualityUnits) / baselineUnits * 100).rounded(.down))
        var targets = Set((lowPoint...max(lowPoint, highPoint)).map { Double($0) / 100 })
        targets.formUnion(extraTargets)
        var points: [ReplayPoint] = []
        var seen: Set<[String]> = []
        for target in targets.sorted() {
            let optimization = try optimize(targetQualityRatio: target, on: frontier)
            guard optimization.reachesTarget, seen.insert(optimization.choices.map(\.model)).inserted else { continue }
            points.append(optimization.heldOut)
        }
        return points
    }

    /// The whole report: single models, oracle, sweep and, when asked, the choices for the target
    /// (see ``choose(targetQualityRatio:folds:on:)``) and the curve of training targets.
    public func report(targetQualityRatio: Double, optimize: Bool, folds: Int = ReplayMargin.defaultFolds) throws -> ReplayReport {
        let sweep = try sweep()
        var optimization: ReplayOptimization?
        var curve: [ReplayPoint] = []
        if optimize {
            let frontier = frontier()
            let chosen = try choose(targetQualityRatio: targetQualityRatio, folds: folds, on: frontier)
            optimization = chosen
            curve = try optimizedCurve(on: frontier, extraTargets: [targetQualityRatio, chosen.trainingTarget])
        }
        return ReplayReport(
            trainingFraction: split.trainingFraction, seed: split.seed,
            trainingItems: split.trainingCount, heldOutItems: split.heldOutCount, taskTypes: dataset.tasks.count,
            models: dataset.models, modelsPricedByRows: dataset.modelsPricedByRows, baseline: baselinePoint(), singleModels: singleModels(), oracle: oracle(),
            sweep: sweep, optimized: optimization, optimizedCurve: curve, targetQualityRatio: targetQualityRatio,
            sweepAtTarget: ReplayPoint.cheapest(in: sweep, reaching: targetQualityRatio),
            optimizedCurveAtTarget: ReplayPoint.cheapest(in: curve, reaching: targetQualityRatio))
    }

    // MARK: - Routing

    /// Routes each task type's held-out items with the selector at the task type's threshold; where
    /// no model qualifies, to the selector's best candidate. Returns the model per task type too.
    private func route(threshold: (String) -> Double) throws -> (tally: Tally, models: [Int]) {
        var tally = Tally(models: dataset.models.count)
        var models: [Int] = []
        for (task, name) in dataset.tasks.enumerated() {
            let selection = try snapshot.select(SelectionRequest(task: name, minQuality: threshold(name)))
            let chosen = (selection.chosen ?? selection.best).flatMap { dataset.modelIndex(of: $0.model) } ?? baseline
            models.append(chosen)
            for index in heldOutByTask[task] {
                tally.add(dataset.outcomes[index][chosen], model: chosen, fallback: selection.chosen == nil)
            }
        }
        return (tally, models)
    }

    private static func tally(items: some Sequence<Int>, in dataset: ReplayDataset, model: (Int) -> Int) -> Tally {
        var tally = Tally(models: dataset.models.count)
        for index in items {
            let chosen = model(index)
            tally.add(dataset.outcomes[index][chosen], model: chosen, fallback: false)
        }
        return tally
    }

    private func point(_ label: String, _ tally: Tally) -> ReplayPoint {
        let quality = tally.scoreSum / Double(tally.items)
        let cost = tally.costSum / Double(tally.items)
        return ReplayPoint(
            label: label, quality: quality, costUSD: cost,
            qualityRatio: quality / (baselineHeldOut.scoreSum / Double(baselineHeldOut.items)),
            costRatio: cost / (baselineHeldOut.costSum / Double(baselineHeldOut.items)),
            itemsByModel: dataset.models.indices.map { .init(model: dataset.models[$0].id, items: tally.itemsByModel[$0]) },
            fallbackItems: tally.fallbackItems)
    }

    /// Sums over routed items.
    private struct Tally: Sendable {
        var scoreSum = 0.0
        var costSum = 0.0
        var items = 0
        var itemsByModel: [Int]
        var fallbackItems = 0

        init(models: Int) { itemsByModel = Array(repeating: 0, count: models) }

        mutating func add(_ outcome: ReplayDataset.Outcome, model: Int, fallback: Bool) {
            scoreSum += outcome.score
            costSum += outcome.costUSD
            items += 1
            itemsByModel[model] += 1
            if fallback { fallbackItems += 1 }
        }
    }
}
