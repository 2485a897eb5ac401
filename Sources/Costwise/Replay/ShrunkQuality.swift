/// Each model's quality on each task type as it is to be expected on new items, for the optimizer
/// to choose by: the baseline's mean on the task type, plus the model's difference from it, shrunk
/// toward the model's average difference over all task types as far as the task type's few items
/// leave that difference uncertain (empirical Bayes, as in James and Stein's estimator).
///
/// A difference measured on 20 items that looks far better than the model's usual one is mostly
/// luck, and the cheapest combination for a target picks exactly those: on new items they fall
/// back. For model m and task type t with n items, d is the mean per-item score difference from the
/// baseline, s² the variance of the per-item differences within task types (pooled), d̄ the model's
/// mean difference over all items and τ² the variance of the true differences between task types
/// (the observed d's variance less its sampling part s²/n, averaged). The estimate is
/// d̄ + w (d − d̄), with w = n τ² / (n τ² + s²): 1 where the items leave no doubt, 0 where the task
/// types differ no more than chance. The baseline's own figures are kept as measured.
enum ShrunkQuality {
    /// Sums over one task type's items for each model.
    struct Sums: Sendable {
        /// Quality units (see ``TaskChoiceFrontier/qualityUnits(_:)``).
        var units: [Int]
        var costUSD: [Double]
        /// The sum of squared per-item score differences from the baseline.
        var squaredDifferences: [Double]
        /// The sums of squared scores and of scores times the baseline's, for the standard error of
        /// a quality ratio (see ``ReplayMargin``).
        var squaredScores: [Double]
        var scoresTimesBaseline: [Double]
        var items: Int

        init(models: Int) {
            units = [Int](repeating: 0, count: models)
            costUSD = [Double](repeating: 0, count: models)
            squaredDifferences = [Double](repeating: 0, count: models)
            squaredScores = [Double](repeating: 0, count: models)
            scoresTimesBaseline = [Double](repeating: 0, count: models)
            items = 0
        }

        /// Adds one item's outcomes, model by model.
        mutating func add(_ outcomes: [ReplayDataset.Outcome], baseline: Int) {
            items += 1
            let baselineUnits = TaskChoiceFrontier.qualityUnits(outcomes[baseline].score)
            for (model, outcome) in outcomes.enumerated() {
                let quality = TaskChoiceFrontier.qualityUnits(outcome.score)
                units[model] += quality
                costUSD[model] += outcome.costUSD
                let difference = Double(quality - baselineUnits) / 1_000
                squaredDifferences[model] += difference * difference
                squaredScores[model] += Double(quality) * Double(quality) / 1_000_000
                scoresTimesBaseline[model] += Double(quality) * Double(baselineUnits) / 1_000_000
            }
        }

        /// These sums less `other`'s, of a part of the same items.
        func subtracting(_ other: Sums) -> Sums {
            var rest = self
            rest.units = zip(units, other.units).map { $0 - $1 }
            rest.costUSD = zip(costUSD, other.costUSD).map { $0 - $1 }
            rest.squaredDifferences = zip(squaredDifferences, other.squaredDifferences).map { $0 - $1 }
            rest.squaredScores = zip(squaredScores, other.squaredScores).map { $0 - $1 }
            rest.scoresTimesBaseline = zip(scoresTimesBaseline, other.scoresTimesBaseline).map { $0 - $1 }
            rest.items = items - other.items
            return rest
        }
    }

    /// The frontier's options: per task type, every model with its estimated quality units (as
    /// measured when `shrinking` is false) and its measured cost.
    static func options(_ sums: [Sums], baseline: Int, shrinking: Bool) -> [[TaskChoiceFrontier.Option]] {
        var units = sums.map(\.units)
        if shrinking, let models = sums.first?.units.count {
            for model in 0..<models where model != baseline {
                shrink(model: model, baseline: baseline, sums: sums, into: &units)
            }
        }
        return sums.indices.map { task in
            units[task].indices.map { TaskChoiceFrontier.Option(model: $0, qualityUnits: units[task][$0], costUSD: sums[task].costUSD[$0]) }
        }
    }

    private static func shrink(model: Int, baseline: Int, sums: [Sums], into units: inout [[Int]]) {
        let measured = sums.indices.filter { sums[$0].items > 0 }
        guard measured.count >= 2 else { return }
        // Per task type, the mean difference and the within sum of squares around it.
        var differences: [Int: Double] = [:]
        var withinSquares = 0.0
        var withinDegrees = 0
        var allDifferences = 0.0
        var allItems = 0
        for task in measured {
            let n = Double(sums[task].items)
            let total = Double(sums[task].units[model] - sums[task].units[baseline]) / 1_000
            let mean = total / n
            differences[task] = mean
            withinSquares += max(0, sums[task].squaredDifferences[model] - total * mean)
            withinDegrees += sums[task].items - 1
            allDifferences += total
            allItems += sums[task].items
        }
        guard withinDegrees > 0 else { return }
        let noise = withinSquares / Double(withinDegrees)
        guard noise > 0 else { return }
        let overall = allDifferences / Double(allItems)
        let spread = measured.reduce(0.0) { $0 + (differences[$1]! - overall) * (differences[$1]! - overall) } / Double(measured.count - 1)
        let sampling = measured.reduce(0.0) { $0 + noise / Double(sums[$1].items) } / Double(measured.count)
        let between = max(0, spread - sampling)
        for task in measured {
            let n = Double(sums[task].items)
            let weight = n * between / (n * between + noise)
            let estimate = overall + weight * (differences[task]! - overall)
            units[task][model] = sums[task].units[baseline] + Int((estimate * n * 1_000).rounded())
        }
    }
}
