extension Replay {
    /// The seed of the folds is the split's, mixed with this, so that folds and split are drawn
    /// independently of each other.
    static let foldSeedMix: UInt64 = 0xF01D_5EED_F01D_5EED

    /// Estimates, by `folds`-fold cross-validation on the training part, the training target at
    /// which the optimized choice is expected to hold `targetQualityRatio` on new items (see
    /// ``ReplayMargin``).
    ///
    /// Each task type's training items are ordered by the split's key under the seed
    /// (``ReplaySplit/seed``, 0 for a split given item by item) mixed with ``foldSeedMix``, and
    /// dealt round-robin into the folds, so each fold holds a near-equal share of every task type.
    /// Where a task type's training items all fall in one fold (a single item), the choice made
    /// without that fold uses the task type's whole training part.
    ///
    /// - precondition: `folds` is at least 2.
    public func margin(targetQualityRatio target: Double, folds: Int) -> ReplayMargin {
        precondition(folds >= 2, "cross-validation needs at least two folds")
        return margin(targetQualityRatio: target, folds: folds, foldOf: foldAssignment(folds: folds))
    }

    /// The fold of each training item, indexed as the dataset's items (0 for held-out items): each
    /// task type's training items in the order of their keys, dealt round-robin.
    func foldAssignment(folds: Int) -> [Int] {
        let seed = (split.seed ?? 0) ^ Self.foldSeedMix
        var foldOf = [Int](repeating: 0, count: dataset.items.count)
        for (task, items) in trainingByTask.enumerated() {
            let name = dataset.tasks[task]
            let ordered = items.map { (key: ReplaySplit.orderKey(task: name, item: dataset.items[$0].id, seed: seed), index: $0) }
                .sorted { $0.key != $1.key ? $0.key < $1.key : dataset.items[$0.index].id.utf8.lexicographicallyPrecedes(dataset.items[$1.index].id.utf8) }
            for (rank, entry) in ordered.enumerated() { foldOf[entry.index] = rank % folds }
        }
        return foldOf
    }

    /// The margin with the training items dealt into folds as `foldOf` says (indexed as the dataset's
    /// items), each fold's choices made on quality as estimated or, when `shrinking` is false, as measured.
    func margin(targetQualityRatio target: Double, folds: Int, foldOf: [Int], shrinking: Bool = true,
                standardErrors: Double = ReplayMargin.standardErrors) -> ReplayMargin {
        let tasks = dataset.tasks.count
        // Per fold and task type: each model's sums over the fold's items of the task type.
        var foldSums = [[ShrunkQuality.Sums]](repeating: [], count: folds)
        for fold in 0..<folds {
            foldSums[fold] = trainingByTask.map { items in sums(items.filter { foldOf[$0] == fold }) }
        }
        let totalSums = trainingByTask.map(sums)

        // Per fold, the frontier of choices made without it, and the baseline's units there.
        var frontiers: [TaskChoiceFrontier] = []
        var restBaselineUnits: [Int] = []
        for fold in 0..<folds {
            let rest = (0..<tasks).map { task in
                foldSums[fold][task].items == totalSums[task].items ? totalSums[task] : totalSums[task].subtracting(foldSums[fold][task])
            }
            frontiers.append(TaskChoiceFrontier(options: selectableOptions(ShrunkQuality.options(rest, baseline: baseline, shrinking: shrinking))))
            restBaselineUnits.append(rest.reduce(0) { $0 + $1.units[baseline] })
        }

        // The pooled held-out ratios, over the folds, of the choices made for training target t, and
        // the quality ratio's standard error (a ratio estimator's: the root of the items' summed
        // squared residuals q - R b over the baseline's total score).
        func expected(at t: Double) -> (quality: Double, standardError: Double, cost: Double) {
            var choices: [[Int]] = []
            var (units, baselineUnits, cost, baselineCost) = (0, 0, 0.0, 0.0)
            for fold in 0..<folds {
                let point = frontiers[fold].cheapest(reaching: t, of: restBaselineUnits[fold]) ?? frontiers[fold].points.last
                let chosen = point?.choices ?? [Int](repeating: baseline, count: tasks)
                choices.append(chosen)
                for task in 0..<tasks {
                    let sums = foldSums[fold][task]
                    units += sums.units[chosen[task]]
                    cost += sums.costUSD[chosen[task]]
                    baselineUnits += sums.units[baseline]
                    baselineCost += sums.costUSD[baseline]
                }
            }
            guard baselineUnits > 0 else { return (1, 0, baselineCost > 0 ? cost / baselineCost : 1) }
            let ratio = Double(units) / Double(baselineUnits)
            var residuals = 0.0
            for fold in 0..<folds {
                for task in 0..<tasks {
                    let (sums, model) = (foldSums[fold][task], choices[fold][task])
                    residuals += sums.squaredScores[model] - 2 * ratio * sums.scoresTimesBaseline[model]
                        + ratio * ratio * sums.squaredScores[baseline]
                }
            }
            return (ratio, max(0, residuals).squareRoot() / (Double(baselineUnits) / 1_000), baselineCost > 0 ? cost / baselineCost : 1)
        }

        // Every training target at which some fold's choice changes, from the target up.
        var candidates: Set<Double> = [target]
        for (fold, frontier) in frontiers.enumerated() where restBaselineUnits[fold] > 0 {
            for point in frontier.points {
                let ratio = Double(point.qualityUnits) / Double(restBaselineUnits[fold])
                if ratio > target { candidates.insert(ratio) }
            }
        }
        for candidate in candidates.sorted() {
            let figures = expected(at: candidate)
            if figures.quality - standardErrors * figures.standardError >= target {
                return ReplayMargin(folds: folds, targetQualityRatio: target, trainingTarget: candidate, reachesTarget: true,
                                    expectedQualityRatio: figures.quality, standardError: figures.standardError,
                                    expectedCostRatio: figures.cost)
            }
        }
        let best = frontier(shrinking: shrinking).points.last.map { Double($0.qualityUnits) / Double(max(baselineTrainingUnits, 1)) } ?? target
        let trainingTarget = max(target, best)
        let figures = expected(at: trainingTarget)
        return ReplayMargin(folds: folds, targetQualityRatio: target, trainingTarget: trainingTarget, reachesTarget: false,
                            expectedQualityRatio: figures.quality, standardError: figures.standardError, expectedCostRatio: figures.cost)
    }
}
