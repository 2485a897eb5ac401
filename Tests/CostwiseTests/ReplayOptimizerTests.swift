import Testing
@testable import Costwise

/// Per-task-type choices for a quality target: the exact frontier, the choice made on training
/// alone and scored held out, and writing it into a store so that `select` picks it.
struct ReplayOptimizerTests {
    typealias Option = TaskChoiceFrontier.Option

    @Test("The frontier is exact where greedy by quality per dollar is not")
    func exactWhereGreedyIsNot() {
        // Greedy takes task 0's upgrade first (10 units per dollar against 4), then still needs task 1's:
        // 22 units for 4. Task 1's upgrade alone reaches 12 units for 3.
        let frontier = TaskChoiceFrontier(options: [
            [Option(model: 0, qualityUnits: 0, costUSD: 0), Option(model: 1, qualityUnits: 10, costUSD: 1)],
            [Option(model: 0, qualityUnits: 0, costUSD: 0), Option(model: 1, qualityUnits: 12, costUSD: 3)],
        ])
        let point = frontier.cheapest(reaching: 12)
        #expect(point?.choices == [0, 1] && point?.costUSD == 3 && point?.qualityUnits == 12)
        #expect(frontier.points.map(\.qualityUnits) == [0, 10, 12, 22])
        #expect(frontier.points.map(\.costUSD) == [0, 1, 3, 4])
        #expect(frontier.cheapest(reaching: 23) == nil)
    }

    @Test("Dominated combinations are dropped: of equal quality the cheapest stays, the first one on a tie")
    func paretoPruning() {
        let frontier = TaskChoiceFrontier(options: [
            [Option(model: 0, qualityUnits: 500, costUSD: 1), Option(model: 1, qualityUnits: 400, costUSD: 2),
             Option(model: 2, qualityUnits: 900, costUSD: 5)],
            [Option(model: 0, qualityUnits: 100, costUSD: 1), Option(model: 1, qualityUnits: 500, costUSD: 5)],
        ])
        // Model 1 on task 0 costs more than model 0 for less: never on the frontier. 500 + 500 and
        // 900 + 100 tie at 1,000 units for 6; the first built (task 0 on model 0) stays.
        #expect(frontier.points.map(\.choices) == [[0, 0], [0, 1], [2, 1]])
        #expect(frontier.points.map(\.qualityUnits) == [600, 1_000, 1_400])
        #expect(frontier.points.map(\.costUSD) == [2, 6, 10])
    }

    @Test("Three models: the frontier holds the combinations no other beats, and the cheapest reaching a quality")
    func threeModels() {
        // Model 0 cheap, 1 middling, 2 strong. Of the nine combinations, (0, 2) costs 11 for 1,500
        // units where (1, 1) costs 7 for 1,700, and (2, 0) 11 for 1,200 where (0, 1) costs 5 for 1,400.
        let frontier = TaskChoiceFrontier(options: [
            [Option(model: 0, qualityUnits: 500, costUSD: 1), Option(model: 1, qualityUnits: 800, costUSD: 3),
             Option(model: 2, qualityUnits: 1_000, costUSD: 10)],
            [Option(model: 0, qualityUnits: 200, costUSD: 1), Option(model: 1, qualityUnits: 900, costUSD: 4),
             Option(model: 2, qualityUnits: 1_000, costUSD: 10)],
        ])
        #expect(frontier.points.map(\.choices) == [[0, 0], [1, 0], [0, 1], [1, 1], [1, 2], [2, 1], [2, 2]])
        #expect(frontier.points.map(\.qualityUnits) == [700, 1_000, 1_400, 1_700, 1_800, 1_900, 2_000])
        #expect(frontier.points.map(\.costUSD) == [2, 4, 5, 7, 13, 14, 20])
        #expect(frontier.gridUnits == 100 && frontier.maxShortfallUnits == 0)
        #expect(frontier.cheapest(reaching: 1_500)?.choices == [1, 1])
        #expect(frontier.cheapest(reaching: 0.75, of: 2_000)?.choices == [1, 1], "1,500 of 2,000")
        #expect(frontier.cheapest(reaching: 1_700.0 / 2_000, of: 2_000)?.qualityUnits == 1_700, "a point's own ratio reaches it")
    }

    @Test("On a coarse grid every point keeps its exact totals and falls short of the exact frontier by at most the stated units")
    func coarseGrid() {
        // Six task types of four models with quality units in no common step, against every one of
        // the 4,096 combinations.
        var generator = SplitMix64(seed: 42)
        let options = (0..<6).map { _ in
            (0..<4).map { model in
                Option(model: model, qualityUnits: 100 + Int(generator.next() % 900), costUSD: Double(1 + generator.next() % 50))
            }
        }
        var combinations: [(units: Int, cost: Double, choices: [Int])] = [(0, 0, [])]
        for taskOptions in options {
            combinations = combinations.flatMap { combination in
                taskOptions.map { (combination.units + $0.qualityUnits, combination.cost + $0.costUSD, combination.choices + [$0.model]) }
            }
        }
        let exact = TaskChoiceFrontier(options: options)
        let coarse = TaskChoiceFrontier(options: options, maxCells: 64)
        #expect(exact.maxShortfallUnits == 0 && coarse.gridUnits > 1)
        #expect(coarse.maxShortfallUnits == 6 * (coarse.gridUnits - 1))
        #expect(coarse.points.count <= 64)
        for point in exact.points + coarse.points {
            let totals = zip(options, point.choices).map { taskOptions, model in taskOptions.first { $0.model == model }! }
            #expect(totals.reduce(0) { $0 + $1.qualityUnits } == point.qualityUnits)
            #expect(totals.reduce(0.0) { $0 + $1.costUSD } == point.costUSD)
        }
        for combination in combinations {
            // The exact frontier holds a point at least as good for at most the cost; the coarse one
            // a point at most as costly and at most its shortfall below.
            let best = exact.cheapest(reaching: Double(combination.units))
            #expect(best.map { $0.costUSD <= combination.cost } == true)
            let near = coarse.points.last { $0.costUSD <= combination.cost }
            #expect(near.map { $0.qualityUnits >= combination.units - coarse.maxShortfallUnits } == true)
            let asked = coarse.cheapest(reaching: Double(combination.units))
            #expect(asked.map { $0.qualityUnits >= combination.units } ?? true)
        }
    }

    @Test("Quality counts in thousandths of a point")
    func qualityUnits() {
        #expect(TaskChoiceFrontier.qualityUnits(1) == 1_000)
        #expect(TaskChoiceFrontier.qualityUnits(0.85) == 850)
        #expect(TaskChoiceFrontier.qualityUnits(0.1 + 0.2) == 300)
    }

    @Test("The optimized choice is made on training alone and routed held out by the selector at the chosen model's mean")
    func optimizeOnTheFixture() throws {
        let replay = try ReplayFixture.replay()
        let frontier = replay.frontier()
        // Training: easy cheap/a 1 of 2 for 0.002, strong/b 2 of 2 for 0.02; hard cheap/a 0 of 2, strong/b 1 of 2.
        // Baseline (strong/b everywhere) 3,000 units for 0.04. 60% needs 1,800 units: easy on cheap/a, hard on strong/b.
        let optimized = try replay.optimize(targetQualityRatio: 0.6, on: frontier)
        #expect(optimized.reachesTarget)
        #expect(optimized.choices == [.init(task: "easy", model: "cheap/a", threshold: 0.5),
                                      .init(task: "hard", model: "strong/b", threshold: 0.5)])
        #expect(isClose(optimized.trainingQualityRatio, 2.0 / 3) && isClose(optimized.trainingCostRatio, 0.55))
        #expect(isClose(optimized.heldOut.qualityRatio, 2.0 / 3) && isClose(optimized.heldOut.costRatio, 0.55))
        #expect(optimized.heldOut.trainingTarget == 0.6)

        let top = try replay.optimize(targetQualityRatio: 0.95, on: frontier)
        #expect(top.choices.map(\.model) == ["strong/b", "strong/b"] && top.choices.map(\.threshold) == [1, 0.5])
        #expect(top.heldOut.qualityRatio == 1 && top.heldOut.costRatio == 1)

        let unreachable = try replay.optimize(targetQualityRatio: 1.5, on: frontier)
        #expect(!unreachable.reachesTarget && unreachable.choices == top.choices)
    }

    @Test("The optimized curve holds one point per distinct choice over training targets")
    func optimizedCurve() throws {
        let replay = try ReplayFixture.replay()
        let curve = try replay.optimizedCurve(on: replay.frontier(), extraTargets: [0.6])
        // Frontier ratios 1/3, 2/3 and 1: targets 0.33 … 1 choose three ways.
        #expect(curve.map(\.trainingTarget) == [0.33, 0.34, 0.67])
        #expect(zip(curve.map(\.qualityRatio), [1.0 / 3, 2.0 / 3, 1]).allSatisfy { isClose($0, $1) })
    }

    @Test("Applying writes each task type's threshold so that select picks the tuned model, and applying again changes nothing")
    func applyToAStore() throws {
        let replay = try ReplayFixture.replay()
        let optimized = try replay.optimize(targetQualityRatio: 0.6, on: replay.frontier())
        let fixture = try TemporaryStore()
        try fixture.model("cheap/a", input: 1, output: 0)
        try fixture.model("strong/b", input: 10, output: 0)
        try fixture.task("easy")

        let first = try replay.apply(optimized, to: fixture.store, run: "replay:fixture.csv")
        #expect(first == [
            AppliedThreshold(task: "easy", tunedModel: "cheap/a", threshold: 0.5, selectedModel: "cheap/a", createdTaskType: false),
            AppliedThreshold(task: "hard", tunedModel: "strong/b", threshold: 0.5, selectedModel: "strong/b", createdTaskType: true),
        ])
        let again = try replay.apply(optimized, to: fixture.store, run: "replay:fixture.csv")
        #expect(again.map(\.selectedModel) == ["cheap/a", "strong/b"] && again.map(\.createdTaskType) == [false, false])

        let snapshot = try fixture.store.snapshot()
        #expect(try snapshot.defaultThreshold(for: "easy") == 0.5 && snapshot.defaultThreshold(for: "hard") == 0.5)
        #expect(snapshot.estimates.map(\.quality.results) == [2, 2, 2, 2], "the training part, recorded once")
    }

    @Test("Where the store rates a cheaper model at least as high, select picks it at the tuned threshold")
    func applyDefersToCheaperEvidence() throws {
        let replay = try ReplayFixture.replay()
        let optimized = try replay.optimize(targetQualityRatio: 0.6, on: replay.frontier())
        let fixture = try TemporaryStore()
        try fixture.model("cheap/a", input: 1, output: 0)
        try fixture.model("strong/b", input: 10, output: 0)
        try fixture.model("cheaper/c", input: 0.5, output: 0)
        try fixture.task("hard")
        try fixture.results("cheaper/c", "hard", passes: 9, of: 10, inputTokens: 1_000, outputTokens: 0)
        let applied = try replay.apply(optimized, to: fixture.store, run: "replay:fixture.csv")
        #expect(applied.last?.tunedModel == "strong/b" && applied.last?.selectedModel == "cheaper/c")
    }

    @Test("A model the store does not know is refused before anything is written")
    func applyNeedsTheModels() throws {
        let replay = try ReplayFixture.replay()
        let optimized = try replay.optimize(targetQualityRatio: 0.6, on: replay.frontier())
        let fixture = try TemporaryStore()
        try fixture.model("cheap/a", input: 1, output: 0)
        #expect(throws: CatalogError.unknownModel("strong/b")) {
            try replay.apply(optimized, to: fixture.store, run: "replay:fixture.csv")
        }
        #expect(try fixture.store.taskTypes().isEmpty)
    }
}
