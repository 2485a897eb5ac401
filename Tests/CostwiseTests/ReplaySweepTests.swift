import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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

    @Test("The report's JSON carries every part with the figures worked out by hand, costs per 1,000 requests")
    func reportJSON() throws {
        // One fold: the choice for the target itself, which these figures follow (the margin has tests of its own).
        let report = try ReplayFixture.replay().report(targetQualityRatio: 0.6, optimize: true, folds: 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.text().utf8)) as? [String: Any])
        #expect(json.keys.sorted() == ["at_target", "baseline", "models", "optimized", "optimized_curve", "oracle", "prices", "split", "sweep"])

        let split = try #require(json["split"] as? [String: Any])
        #expect(split["training_fraction"] is NSNull && split["seed"] is NSNull, "a split by items has neither")
        #expect(split["training_items"] as? Int == 4 && split["held_out_items"] as? Int == 4 && split["task_types"] as? Int == 2)

        let prices = try #require(json["prices"] as? [[String: Any]])
        #expect(prices.map { $0["model"] as? String } == ["cheap/a", "strong/b"])
        #expect(prices.map { $0["input_usd_per_mtok"] as? Double } == [1, 10])
        #expect(prices.allSatisfy { $0["output_usd_per_mtok"] as? Double == 0 && $0["request_usd"] is NSNull })

        func point(_ value: Any?) throws -> (label: String, quality: Double, qualityRatio: Double, cost: Double, costRatio: Double) {
            let object = try #require(value as? [String: Any])
            return (try #require(object["label"] as? String), try #require(object["quality"] as? Double),
                    try #require(object["quality_ratio"] as? Double), try #require(object["cost_per_1k_requests_usd"] as? Double),
                    try #require(object["cost_ratio"] as? Double))
        }
        let baseline = try point(json["baseline"])
        #expect(baseline.label == "strong/b" && baseline.quality == 0.75 && baseline.cost == 10)
        #expect(baseline.qualityRatio == 1 && baseline.costRatio == 1)

        let models = try #require(json["models"] as? [Any]).map(point)
        #expect(models.map(\.label) == ["cheap/a", "strong/b"])
        #expect(models.map(\.quality) == [0.25, 0.75])
        #expect(zip(models.map(\.cost), [1, 10]).allSatisfy { isClose($0, $1) })
        #expect(isClose(models[0].qualityRatio, 1.0 / 3) && isClose(models[0].costRatio, 0.1))

        let oracle = try point(json["oracle"])
        #expect(oracle.quality == 0.75 && isClose(oracle.cost, 5.5) && isClose(oracle.costRatio, 0.55))
        let oracleItems = try #require((json["oracle"] as? [String: Any])?["items_by_model"] as? [String: Int])
        #expect(oracleItems == ["cheap/a": 2, "strong/b": 2])

        let sweep = try #require(json["sweep"] as? [[String: Any]])
        #expect(sweep.map { $0["threshold"] as? Double } == [0, 0.5, 1])
        #expect(sweep.map { $0["fallback_items"] as? Int } == [0, 0, 2])
        let sweepPoints = try sweep.map(point)
        #expect(sweepPoints.map(\.quality) == [0.25, 0.5, 0.75])
        #expect(zip(sweepPoints.map(\.cost), [1, 5.5, 10]).allSatisfy { isClose($0, $1) })
        #expect(zip(sweepPoints.map(\.costRatio), [0.1, 0.55, 1]).allSatisfy { isClose($0, $1) })

        // On training, easy on cheap/a and hard on strong/b reach 2 of 4 against the baseline's 3:
        // 2/3 ≥ 0.6 for half of strong/b's cost, the 0.5 point of the sweep.
        let optimized = try #require(json["optimized"] as? [String: Any])
        #expect(optimized["target_quality_ratio"] as? Double == 0.6 && optimized["reaches_target"] as? Bool == true)
        let choices = try #require(optimized["choices"] as? [[String: Any]])
        #expect(choices.map { $0["task"] as? String } == ["easy", "hard"])
        #expect(choices.map { $0["model"] as? String } == ["cheap/a", "strong/b"])
        let held = try point(optimized)
        #expect(held.quality == 0.5 && isClose(held.cost, 5.5))
        #expect(isClose(optimized["training_quality_ratio"] as? Double, 2.0 / 3) && isClose(optimized["training_cost_ratio"] as? Double, 0.55))

        let curve = try #require(json["optimized_curve"] as? [Any]).map(point)
        #expect(curve.count == report.optimizedCurve.count && !curve.isEmpty)
        #expect(zip(curve, report.optimizedCurve).allSatisfy { isClose($0.cost, $1.costUSD * 1_000) && $0.quality == $1.quality })

        let atTarget = try #require(json["at_target"] as? [String: Any])
        #expect(atTarget["target_quality_ratio"] as? Double == 0.6)
        #expect((atTarget["sweep"] as? [String: Any])?["threshold"] as? Double == 0.5)
        #expect(try point(atTarget["sweep"]).quality == 0.5)
        #expect(try point(atTarget["optimized_curve"]).qualityRatio >= 0.6)
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
        let report = try ReplayFixture.replay().report(targetQualityRatio: 0.6, optimize: true, folds: 1)
        let svg = ReplayChart.svg(report, title: "fixture.csv & more")
        #expect(svg.hasSuffix("</svg>\n"))
        let root = try #require(try XMLDocument(xmlString: svg, options: []).rootElement())
        #expect(root.name == "svg" && root.uri == "http://www.w3.org/2000/svg")
        let elements = (root.children ?? []).compactMap { $0 as? XMLElement }
        // Read from the list: on Linux, attribute(forName:) finds nothing on an element in a default namespace.
        func attribute(_ element: XMLElement, _ name: String) -> String {
            element.attributes?.first { $0.name == name }?.stringValue ?? ""
        }
        func number(_ element: XMLElement, _ name: String) throws -> Double { try #require(Double(attribute(element, name)), "\(name)") }
        let texts = elements.filter { $0.name == "text" }.map { $0.stringValue ?? "" }
        for text in ["fixture.csv & more", "cheap/a", "strong/b", "oracle: per item, the cheapest model with the best score",
                     "optimized on training for 60%:", "cost: mean per held-out request, % of strong/b alone",
                     "quality: mean score, % of strong/b's", "target 60% of strong/b's quality"] {
            #expect(texts.contains(text), "\(text) in \(texts)")
        }

        // The single models are the plane's two reference points: strong/b at 100% cost and quality,
        // cheap/a at 10% and a third. Every other mark must sit where its figures put it on that scale.
        let models = try elements.filter { $0.name == "circle" && attribute($0, "r") == "5.5" }.map { try (number($0, "cx"), number($0, "cy")) }
        #expect(models.count == 2)
        guard models.count == 2 else { return }
        let (cheap, strong) = (models[0], models[1])
        let xScale = (strong.0 - cheap.0) / (100 - 10)
        let yScale = (strong.1 - cheap.1) / (100 - 100.0 / 3)
        func position(costRatio: Double, qualityRatio: Double) -> (Double, Double) {
            (strong.0 + (costRatio * 100 - 100) * xScale, strong.1 + (qualityRatio * 100 - 100) * yScale)
        }
        func isAt(_ actual: (Double, Double), _ expected: (Double, Double)) -> Bool {
            abs(actual.0 - expected.0) <= 0.15 && abs(actual.1 - expected.1) <= 0.15
        }
        #expect(xScale > 0 && yScale < 0, "cost grows to the right, quality upwards")

        // Two curves: the sweep solid, the optimized curve dashed, each point in cost order and
        // marked by a dot.
        let curves = elements.filter { $0.name == "polyline" }
        #expect(curves.map { attribute($0, "stroke-dasharray") } == ["", "7 4"])
        for (curve, points) in zip(curves, [report.sweep, report.optimizedCurve]) {
            let drawn = try attribute(curve, "points").split(separator: " ").map { pair in
                let parts = pair.split(separator: ",").compactMap { Double($0) }
                try #require(parts.count == 2, "\(pair)")
                return (parts[0], parts[1])
            }
            let ordered = points.sorted { $0.costRatio != $1.costRatio ? $0.costRatio < $1.costRatio : $0.qualityRatio < $1.qualityRatio }
            #expect(drawn.count == ordered.count)
            for (mark, point) in zip(drawn, ordered) {
                #expect(isAt(mark, position(costRatio: point.costRatio, qualityRatio: point.qualityRatio)), "\(point.label) at \(mark)")
            }
            let dots = try elements.filter { $0.name == "circle" && attribute($0, "r") == "2.6" && attribute($0, "fill") == attribute(curve, "stroke") }
                .map { try (number($0, "cx"), number($0, "cy")) }
            #expect(dots.count == drawn.count && zip(dots, drawn).allSatisfy { isAt($0, $1) })
        }
        // The sweep by hand: 10%, 55% and 100% of the cost for a third, two thirds and all of the quality.
        let sweep = try #require(curves.first)
        let sweepMarks = attribute(sweep, "points").split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        for (mark, figures) in zip(sweepMarks, [(0.1, 1.0 / 3), (0.55, 2.0 / 3), (1.0, 1.0)]) where mark.count == 2 {
            #expect(isAt((mark[0], mark[1]), position(costRatio: figures.0, qualityRatio: figures.1)), "\(mark)")
        }

        // The sweep's point at the target (threshold 0.5) is ringed; the target line is at 60%.
        let rings = try elements.filter { $0.name == "circle" && attribute($0, "r") == "9" }.map { try (number($0, "cx"), number($0, "cy")) }
        #expect(rings.contains { isAt($0, position(costRatio: 0.55, qualityRatio: 2.0 / 3)) }, "\(rings)")
        let target = elements.first { $0.name == "line" && attribute($0, "stroke-dasharray") == "6 4" }
        #expect(try target.map { abs(try number($0, "y1") - position(costRatio: 1, qualityRatio: 0.6).1) <= 0.15 } == true)

        // The oracle's triangle and the optimized diamond: the first vertex of each path is the top, 8 above the point.
        func top(ofPathFilled colour: String) throws -> (Double, Double)? {
            guard let path = elements.first(where: { $0.name == "path" && attribute($0, "fill") == colour }) else { return nil }
            let parts = attribute(path, "d").split(separator: " ")
            return (try #require(Double(parts[1])), try #require(Double(parts[2])) + 8)
        }
        let oracle = try #require(try top(ofPathFilled: ReplayChart.oracleColour))
        #expect(isAt(oracle, position(costRatio: report.oracle.costRatio, qualityRatio: report.oracle.qualityRatio)))
        let optimized = try #require(report.optimized)
        let diamond = try #require(try top(ofPathFilled: ReplayChart.optimizedColour))
        #expect(isAt(diamond, position(costRatio: optimized.heldOut.costRatio, qualityRatio: optimized.heldOut.qualityRatio)))
    }
}
