import Testing
@testable import Costwise

/// Two task types, two models and eight items, small enough to work out by hand.
///
/// cheap/a costs 0.001 USD a request and strong/b 0.01 (1,000 input tokens at 1 and 10 USD per
/// million). Items 1 and 2 of each task type train, 3 and 4 are held out. Scores:
///
/// | task | model | training | mean | held out |
/// |---|---|---|---|---|
/// | easy | cheap/a | 1, 0 | 0.5 | 1, 0 |
/// | easy | strong/b | 1, 1 | 1 | 1, 1 |
/// | hard | cheap/a | 0, 0 | 0 | 0, 0 |
/// | hard | strong/b | 1, 0 | 0.5 | 1, 0 |
///
/// strong/b is the best single model on training (3 of 4 against 1 of 4), so it is the baseline:
/// held out it scores 0.75 at 0.01 a request.
enum ReplayFixture {
    static let csv = """
        task,item,model,score,input_tokens,output_tokens
        easy,1,cheap/a,1,1000,0
        easy,1,strong/b,1,1000,0
        easy,2,cheap/a,0,1000,0
        easy,2,strong/b,1,1000,0
        easy,3,cheap/a,1,1000,0
        easy,3,strong/b,1,1000,0
        easy,4,cheap/a,0,1000,0
        easy,4,strong/b,1,1000,0
        hard,1,cheap/a,0,1000,0
        hard,1,strong/b,1,1000,0
        hard,2,cheap/a,0,1000,0
        hard,2,strong/b,0,1000,0
        hard,3,cheap/a,0,1000,0
        hard,3,strong/b,1,1000,0
        hard,4,cheap/a,0,1000,0
        hard,4,strong/b,0,1000,0

        """

    static let pricing = ReplayPricing(models: [
        Model(id: "cheap/a", provider: "cheap", price: Price(inputUSDPerMTok: 1, outputUSDPerMTok: 0)),
        Model(id: "strong/b", provider: "strong", price: Price(inputUSDPerMTok: 10, outputUSDPerMTok: 0)),
    ], source: "test prices")

    static func replay() throws -> Replay {
        let records = try ReplayFile.parse(Array(csv.utf8), format: .csv, file: "fixture.csv")
        let dataset = try ReplayDataset(records: records, pricing: pricing, file: "fixture.csv")
        let training: Set<ReplayDataset.Item> = [.init(task: "easy", id: "1"), .init(task: "easy", id: "2"),
                                                 .init(task: "hard", id: "1"), .init(task: "hard", id: "2")]
        return try Replay(dataset: dataset, split: ReplaySplit(dataset, trainingItems: training))
    }
}

func isClose(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= 1e-12 * max(1, abs(b))
}

/// Scoring the held-out part: single models, the oracle and the sweep of uniform thresholds,
/// routed by the training store's own selector.
struct ReplaySweepTests {
    @Test("The baseline is the best single model on training; single models are scored on the held-out items")
    func singleModelsAndBaseline() throws {
        let replay = try ReplayFixture.replay()
        #expect(replay.dataset.models[replay.baseline].id == "strong/b")
        let models = replay.singleModels()
        #expect(models.map(\.label) == ["cheap/a", "strong/b"])
        #expect(isClose(models[0].quality, 0.25) && isClose(models[0].costUSD, 0.001))
        #expect(isClose(models[0].qualityRatio, 1.0 / 3) && isClose(models[0].costRatio, 0.1))
        #expect(isClose(models[1].quality, 0.75) && isClose(models[1].costUSD, 0.01))
        #expect(models[1].qualityRatio == 1 && models[1].costRatio == 1)
        #expect(replay.baselinePoint() == models[1])
    }

    @Test("The oracle answers each item with the cheapest model that reaches its best score")
    func oracle() throws {
        // easy 3: both right, cheap/a; easy 4 and hard 3: only strong/b; hard 4: both wrong, cheap/a.
        let oracle = try ReplayFixture.replay().oracle()
        #expect(isClose(oracle.quality, 0.75) && isClose(oracle.costUSD, (0.001 + 0.01 + 0.01 + 0.001) / 4))
        #expect(oracle.itemsByModel == [.init(model: "cheap/a", items: 2), .init(model: "strong/b", items: 2)])
    }

    @Test("The sweep has one point per distinct routing, at each training mean, scored held out")
    func sweep() throws {
        let sweep = try ReplayFixture.replay().sweep()
        // 0: both task types on cheap/a. 0.5: easy stays on cheap/a (mean 0.5), hard goes to strong/b.
        // 1: easy goes to strong/b; no model reaches 1 on hard, whose items fall back to the best candidate, strong/b.
        #expect(sweep.map(\.threshold) == [0, 0.5, 1])
        #expect(sweep.map(\.label) == ["threshold 0", "threshold 0.5", "threshold 1"])
        #expect(sweep.map(\.quality) == [0.25, 0.5, 0.75])
        #expect(zip(sweep.map(\.costUSD), [0.001, 0.0055, 0.01]).allSatisfy { isClose($0, $1) })
        #expect(zip(sweep.map(\.qualityRatio), [1.0 / 3, 2.0 / 3, 1]).allSatisfy { isClose($0, $1) })
        #expect(zip(sweep.map(\.costRatio), [0.1, 0.55, 1]).allSatisfy { isClose($0, $1) })
        #expect(sweep.map(\.fallbackItems) == [0, 0, 2])
        #expect(sweep[1].itemsByModel == [.init(model: "cheap/a", items: 2), .init(model: "strong/b", items: 2)])
    }

    @Test("At a target, each curve is read at its cheapest held-out point that reaches it")
    func atTarget() throws {
        let replay = try ReplayFixture.replay()
        #expect(try replay.report(targetQualityRatio: 0.6, optimize: false).sweepAtTarget?.threshold == 0.5)
        #expect(try replay.report(targetQualityRatio: 0.95, optimize: false).sweepAtTarget?.threshold == 1)
        #expect(try replay.report(targetQualityRatio: 1.01, optimize: false).sweepAtTarget == nil)
    }

    @Test("The report's JSON carries every part, costs per 1,000 requests")
    func reportJSON() throws {
        let report = try ReplayFixture.replay().report(targetQualityRatio: 0.6, optimize: true)
        let text = report.json.text()
        for key in ["\"split\"", "\"prices\"", "\"baseline\"", "\"models\"", "\"oracle\"", "\"sweep\"", "\"optimized\"",
                    "\"optimized_curve\"", "\"at_target\"", "\"cost_per_1k_requests_usd\": 5.5", "\"quality_ratio\""] {
            #expect(text.contains(key), "\(key) in \(text)")
        }
    }

    @Test("A baseline that is not one of the file's models is refused, naming them")
    func unknownBaseline() throws {
        let replay = try ReplayFixture.replay()
        #expect(throws: InputError(field: "baseline", "'x/y' is not one of the file's models: cheap/a, strong/b")) {
            try Replay(dataset: replay.dataset, split: replay.split, baseline: "x/y")
        }
    }

    @Test("The chart draws both curves, the optimized point, each model and the oracle, labelled, with axis units")
    func chart() throws {
        let report = try ReplayFixture.replay().report(targetQualityRatio: 0.6, optimize: true)
        let svg = ReplayChart.svg(report, title: "fixture.csv & more")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        for text in ["fixture.csv &amp; more", ">cheap/a<", ">strong/b<", "oracle: per item", "optimized on training for 60%:",
                     "cost: mean per held-out request, % of strong/b alone", "quality: mean score, % of strong/b's",
                     "100% cost = strong/b alone: 10 USD per 1,000 requests", "target 60% of strong/b"] {
            #expect(svg.contains(text), "\(text)")
        }
    }
}
