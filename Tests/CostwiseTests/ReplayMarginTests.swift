import Testing
@testable import Costwise

/// The optimizer's estimates and the cross-validated margin: on a fixture worked out by hand, the
/// choice fitted to the training part's measured quality falls short held out, and the one
/// optimized for the target plus the margin holds; lucky task types are discounted by shrinking;
/// the folds are drawn from the seed and share out every task type.
struct ReplayMarginTests {
    /// Three task types, two models, no prices (every row gives its cost). strong scores 1 on every
    /// item; cheap costs 1 a request, strong 10 on a, 11 on b and 12 on c. Items 1 to 4 train (1 and
    /// 2 in fold 0, 3 and 4 in fold 1), 5 to 8 are held out. cheap's scores:
    ///
    /// | task | fold 0 | fold 1 | held out |
    /// |---|---|---|---|
    /// | a | 1, 1 | 1, 1 | 1, 0, 1, 0 |
    /// | b | 0, 1 | 1, 0 | 1, 0, 1, 1 |
    /// | c | 1, 1 | 0, 0 | 1, 1, 1, 0 |
    ///
    /// On c, cheap's training scores come all good in one fold and all bad in the other: whichever
    /// fold a choice is made on, it is wrong about c on the other.
    static let csv: String = {
        let cheap = ["a": [1, 1, 1, 1, 1, 0, 1, 0], "b": [0, 1, 1, 0, 1, 0, 1, 1], "c": [1, 1, 0, 0, 1, 1, 1, 0]]
        let strongCost = ["a": 10, "b": 11, "c": 12]
        var lines = ["task,item,model,score,cost_usd"]
        for task in ["a", "b", "c"] {
            for item in 1...8 {
                lines.append("\(task),\(item),cheap,\(cheap[task]![item - 1]),1")
                lines.append("\(task),\(item),strong,1,\(strongCost[task]!)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func replay() throws -> Replay {
        let records = try ReplayFile.parse(Array(csv.utf8), format: .csv, file: "overfit.csv")
        let dataset = try ReplayDataset(records: records, pricing: ReplayPricing(models: [], source: "no prices"), file: "overfit.csv")
        let training = Set(["a", "b", "c"].flatMap { task in (1...4).map { ReplayDataset.Item(task: task, id: String($0)) } })
        return try Replay(dataset: dataset, split: ReplaySplit(dataset, trainingItems: training))
    }

    /// Items 1 and 2 of each task type in fold 0, 3 and 4 in fold 1.
    static func handFolds(_ replay: Replay) -> [Int] {
        replay.dataset.items.map { ["3", "4"].contains($0.id) ? 1 : 0 }
    }

    @Test("Fitted to the training part, the choice for 0.8 falls short held out; with the cross-validated margin it holds")
    func marginOnAnOverfittingFixture() throws {
        // On quality as measured, so that the figures can be worked out by hand.
        let replay = try Self.replay()
        let frontier = replay.frontier(shrinking: false)
        #expect(replay.dataset.models[replay.baseline].id == "strong")

        // On training, a's cheap model is as good as strong, so it stays on cheap throughout. For
        // 0.8 (9,600 of 12,000 units) c on cheap and b on strong is cheapest: 10,000 units for 52.
        // Held out, cheap scores 2 of 4 on a and 3 of 4 on c: 9 of 12.
        let fitted = try replay.optimize(targetQualityRatio: 0.8, on: frontier)
        #expect(fitted.choices.map(\.model) == ["cheap", "strong", "cheap"])
        #expect(isClose(fitted.trainingQualityRatio, 10.0 / 12) && isClose(fitted.heldOut.qualityRatio, 0.75))

        // Fold 0 held out, a choice for 0.8 made on fold 1 puts c on strong (cheap scored 0 there)
        // and b on cheap: 5 of 6 on fold 0. Fold 1 held out, the choice made on fold 0 puts both on
        // cheap: 3 of 6 on fold 1. Pooled, 8 of 12 < 0.8. The next training targets at which a
        // fold's choice changes are 5/6 (still 8 of 12) and 1, where fold 0's choice is all on
        // strong but a (6 of 6) and fold 1's moves b to strong (4 of 6): 10 of 12.
        let margin = replay.margin(targetQualityRatio: 0.8, folds: 2, foldOf: Self.handFolds(replay), shrinking: false,
                                   standardErrors: 0)
        #expect(margin.reachesTarget && margin.folds == 2)
        #expect(isClose(margin.trainingTarget, 1) && isClose(margin.margin, 0.2))
        #expect(isClose(margin.expectedQualityRatio, 10.0 / 12))
        // Costs on the folds: 2 + 22 + 24 and 2 + 22 + 2, of the baseline's 66 each.
        #expect(isClose(margin.expectedCostRatio, 74.0 / 132))
        // Residuals q - 5/6 b: ten items at 1/6 and c's two on cheap in fold 1 at -5/6, squared
        // 10/36 + 50/36 = 5/3; over the baseline's 12.
        #expect(isClose(margin.standardError, (5.0 / 3).squareRoot() / 12))
        // Less one standard error (0.83 - 0.11), twelve items cannot promise 0.8.
        let cautious = replay.margin(targetQualityRatio: 0.8, folds: 2, foldOf: Self.handFolds(replay), shrinking: false)
        #expect(!cautious.reachesTarget && cautious.trainingTarget == 1)

        // Optimized for 1, only a stays on cheap, and held out that holds 10 of 12 for 96 of 132.
        let chosen = try replay.optimize(targetQualityRatio: margin.trainingTarget, on: frontier)
        #expect(chosen.choices.map(\.model) == ["cheap", "strong", "strong"])
        #expect(isClose(chosen.heldOut.qualityRatio, 10.0 / 12) && isClose(chosen.heldOut.costRatio, 96.0 / 132))
        #expect(chosen.heldOut.qualityRatio >= 0.8 && fitted.heldOut.qualityRatio < 0.8)
    }

    @Test("With every choice held, no margin is needed: the training target is the target")
    func noMarginWhereTheFitHolds() throws {
        let replay = try Self.replay()
        // At 0.5 both folds' choices put every task type on cheap: 5 of 6 on fold 0 and 3 of 6 on fold 1.
        let margin = replay.margin(targetQualityRatio: 0.5, folds: 2, foldOf: Self.handFolds(replay), shrinking: false,
                                   standardErrors: 0)
        #expect(margin.reachesTarget && margin.trainingTarget == 0.5 && margin.margin == 0)
        #expect(margin.expectedQualityRatio >= 0.5)
    }

    @Test("A target no choice holds takes the best combination, and says so")
    func unreachableTarget() throws {
        let replay = try Self.replay()
        let margin = replay.margin(targetQualityRatio: 1.2, folds: 2, foldOf: Self.handFolds(replay))
        #expect(!margin.reachesTarget && margin.trainingTarget == 1.2)
        let chosen = try replay.choose(targetQualityRatio: 1.2, folds: 2, on: replay.frontier())
        // strong is the best estimate on a too, but cheap's mean there is as high: select would pick
        // cheap at strong's threshold, so the choice a threshold can make is cheap.
        #expect(replay.selectable == [[true, false], [true, true], [true, true]])
        #expect(!chosen.reachesTarget && chosen.choices.map(\.model) == ["cheap", "strong", "strong"])
    }

    @Test("Shrinking: a model's difference from the baseline on a task type is pulled toward its usual one, as far as chance explains")
    func shrinking() throws {
        let replay = try Self.replay()
        let sums = replay.trainingByTask.map(replay.sums)
        // cheap's per-item differences from strong: a 0, 0, 0, 0; b -1, 0, 0, -1; c 0, 0, -1, -1.
        // Mean differences 0, -1/2, -1/2, overall -1/3; within variance 2/9 (2 over 9 degrees of
        // freedom); their spread 1/12, of which chance explains 2/9 / 4 = 1/18, so the task types
        // differ by 1/36 and each keeps 4 × 1/36 / (4 × 1/36 + 2/9) = 1/3 of its own difference:
        // a -1/3 + 1/9 = -2/9, b and c -1/3 - 1/18 = -7/18. Over four items: -889 and -1,556 units.
        let shrunk = ShrunkQuality.options(sums, baseline: replay.baseline, shrinking: true)
        #expect(shrunk.map { $0.map(\.qualityUnits) } == [[3_111, 4_000], [2_444, 4_000], [2_444, 4_000]])
        #expect(shrunk.map { $0.map(\.costUSD) } == [[4, 40], [4, 44], [4, 48]], "costs stay as measured")
        let measured = ShrunkQuality.options(sums, baseline: replay.baseline, shrinking: false)
        #expect(measured.map { $0.map(\.qualityUnits) } == [[4_000, 4_000], [2_000, 4_000], [2_000, 4_000]])

        // Where each task type's mean difference is already the usual one (-1/2 on both), nothing moves.
        let fixture = try ReplayFixture.replay()
        let fixtureSums = fixture.trainingByTask.map(fixture.sums)
        #expect(ShrunkQuality.options(fixtureSums, baseline: fixture.baseline, shrinking: true)
            == ShrunkQuality.options(fixtureSums, baseline: fixture.baseline, shrinking: false))
    }

    @Test("choose: with one fold it is the fitted choice; with more, the training target is the target plus the margin")
    func chooseCarriesTheMargin() throws {
        let replay = try Self.replay()
        let frontier = replay.frontier()
        let fitted = try replay.choose(targetQualityRatio: 0.8, folds: 1, on: frontier)
        #expect(fitted == (try replay.optimize(targetQualityRatio: 0.8, on: frontier)) && fitted.margin == nil)
        #expect(fitted.trainingTarget == 0.8)

        let chosen = try replay.choose(targetQualityRatio: 0.8, folds: 2, on: frontier)
        let margin = try #require(chosen.margin)
        #expect(chosen.targetQualityRatio == 0.8 && chosen.trainingTarget == margin.trainingTarget)
        #expect(margin == replay.margin(targetQualityRatio: 0.8, folds: 2))
        #expect(chosen.heldOut.trainingTarget == margin.trainingTarget)
    }

    @Test("Folds are drawn from the seed, the same every time, and share out each task type's training items")
    func foldsFromTheSeed() throws {
        var lines = ["task,item,model,score,cost_usd"]
        for task in ["x", "y"] {
            for item in 0..<23 { lines.append("\(task),\(item),m,1,1") }
        }
        let records = try ReplayFile.parse(Array((lines.joined(separator: "\n") + "\n").utf8), format: .csv, file: "f.csv")
        let dataset = try ReplayDataset(records: records, pricing: ReplayPricing(models: [], source: "no prices"), file: "f.csv")
        func folds(seed: UInt64) throws -> (replay: Replay, foldOf: [Int]) {
            let replay = try Replay(dataset: dataset, split: ReplaySplit(dataset, trainingFraction: 0.7, seed: seed))
            return (replay, replay.foldAssignment(folds: 5))
        }
        let (replay, first) = try folds(seed: 7)
        #expect(try folds(seed: 7).foldOf == first)
        #expect(try folds(seed: 8).foldOf != first)
        // 16 training items a task type: 4, 3, 3, 3, 3 into five folds.
        for items in replay.trainingByTask {
            #expect(items.count == 16)
            let counts = (0..<5).map { fold in items.count { first[$0] == fold } }
            #expect(counts == [4, 3, 3, 3, 3])
        }
    }
}
