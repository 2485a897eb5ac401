import Foundation
import Testing

/// `costwise replay` and `costwise tune` end to end: JSON with figures worked out by hand, the chart,
/// the real evaluation data in `data/evals/`, and `tune --apply` making `select` pick the tuned model.
struct ReplayCommandTests {
    /// Two task types of four items each, whose scores do not vary within a (task, model), so every
    /// split gives the same figures: cheap/a (0.001 USD a request) scores 1 on easy and 0 on hard;
    /// strong/b (0.01 USD a request) scores 1 on both.
    static let results: String = {
        var lines = ["task,item,model,score,input_tokens,output_tokens"]
        for task in ["easy", "hard"] {
            for item in 1...4 {
                lines.append("\(task),\(item),cheap/a,\(task == "easy" ? 1 : 0),1000,0")
                lines.append("\(task),\(item),strong/b,1,1000,0")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let prices = """
        model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier
        cheap/a,cheap,1,0,,1
        strong/b,strong,10,0,,3

        """

    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/evals")

    static func data(_ name: String) -> String { dataFolder.appendingPathComponent(name).path }

    @Test func replayJSONReportsEveryPartAgainstTheBaseline() throws {
        let cw = try Sandbox()
        let file = try cw.write("results.csv", Self.results)
        let prices = try cw.write("prices.csv", Self.prices)
        let result = try cw.run("replay", file, "--prices", prices, "--optimize", "--seed", "3", "--json")
        try expectSuccess(result)
        let report = try result.jsonObject()

        let split = try #require(report["split"] as? [String: Any])
        #expect(number(split["training_fraction"]) == 0.5 && number(split["seed"]) == 3)
        #expect(number(split["training_items"]) == 4 && number(split["held_out_items"]) == 4)
        #expect(report["price_source"] as? String == "price file \(prices)")

        let baseline = try #require(report["baseline"] as? [String: Any])
        #expect(baseline["label"] as? String == "strong/b")
        #expect(number(baseline["quality"]) == 1 && isClose(number(baseline["cost_per_1k_requests_usd"]), 10))

        // Threshold 0: everything on cheap/a. Threshold 1: easy stays on cheap/a, hard goes to strong/b.
        let sweep = try #require(report["sweep"] as? [[String: Any]])
        #expect(sweep.compactMap { number($0["threshold"]) } == [0, 1])
        #expect(sweep.compactMap { number($0["quality_ratio"]) } == [0.5, 1])
        #expect(isClose(number(sweep[0]["cost_ratio"]), 0.1) && isClose(number(sweep[1]["cost_ratio"]), 0.55))
        #expect(sweep[1]["items_by_model"] as? [String: Int] == ["cheap/a": 2, "strong/b": 2])

        let oracle = try #require(report["oracle"] as? [String: Any])
        #expect(number(oracle["quality_ratio"]) == 1 && isClose(number(oracle["cost_ratio"]), 0.55))

        let optimized = try #require(report["optimized"] as? [String: Any])
        #expect(optimized["reaches_target"] as? Bool == true)
        #expect(number(optimized["quality_ratio"]) == 1 && isClose(number(optimized["cost_ratio"]), 0.55))
        let choices = try #require(optimized["choices"] as? [[String: Any]])
        #expect(choices.compactMap { $0["model"] as? String } == ["cheap/a", "strong/b"])

        let atTarget = try #require(report["at_target"] as? [String: Any])
        #expect(number(atTarget["target_quality_ratio"]) == 0.95)
        #expect(number((atTarget["sweep"] as? [String: Any])?["threshold"]) == 1)
        #expect(isClose(number((atTarget["optimized_curve"] as? [String: Any])?["cost_ratio"]), 0.55))
    }

    @Test func replayTextAndChart() throws {
        let cw = try Sandbox()
        let file = try cw.write("results.csv", Self.results)
        let prices = try cw.write("prices.csv", Self.prices)
        let chart = cw.path("plane.svg")
        let result = try cw.run("replay", file, "--prices", prices, "--chart", chart)
        try expectSuccess(result)
        #expect(result.stdout.contains("8 items of 2 task types, 2 models"))
        #expect(result.stdout.contains("baseline: strong/b"))
        #expect(result.stdout.contains("the sweep:           threshold 1: quality_ratio 1, cost_ratio 0.55"))
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains(">cheap/a<") && svg.contains("oracle"))
    }

    @Test func tuneApplyMakesSelectPickTheTunedModels() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setModel("cheap/a", input: "1", output: "0")
        try cw.setModel("strong/b", input: "10", output: "0")
        let file = try cw.write("results.csv", Self.results)
        let prices = try cw.write("prices.csv", Self.prices)

        let dry = try cw.run("tune", file, "--prices", prices, "--json")
        try expectSuccess(dry)
        #expect(try dry.jsonObject()["applied"] == nil)
        #expect(try cw.run("tasks", "list", "--json").jsonArray().isEmpty, "without --apply the store is left alone")

        for _ in 0..<2 {
            let tuned = try cw.run("tune", file, "--prices", prices, "--target-quality-ratio", "0.95", "--apply", "--json")
            try expectSuccess(tuned)
            let applied = try #require(try tuned.jsonObject()["applied"] as? [[String: Any]])
            #expect(applied.compactMap { $0["selected_model"] as? String } == ["cheap/a", "strong/b"])
            #expect(try tuned.jsonObject()["run"] as? String == "replay:results.csv")
        }
        let tasks = try cw.run("tasks", "list", "--json").jsonArray()
        #expect(tasks.compactMap { $0["name"] as? String } == ["easy", "hard"])
        #expect(tasks.compactMap { number($0["min_quality"]) } == [1, 1])
        #expect(try cw.selectedModel("--task", "easy") == "cheap/a")
        #expect(try cw.selectedModel("--task", "hard") == "strong/b")
        #expect(try cw.scores()["strong/b hard"]?.samples == 2, "applying twice records the training part once")

        let text = try cw.run("tune", file, "--prices", prices, "--apply")
        try expectSuccess(text)
        #expect(text.stdout.contains("applied to \(cw.db): 2 default thresholds set (0 task types created)"))
    }

    @Test func realRouteLLMResultsReplayReproduciblyFromTheProject() throws {
        let cw = try Sandbox()
        let arguments = ["replay", Self.data("routellm_mt_bench.csv"), "--model-map", Self.data("routellm_models.csv"),
                         "--score-scale", "10", "--optimize", "--json"]
        let first = try cw.runRaw(arguments)
        try expectSuccess(first)
        #expect(try cw.runRaw(arguments).stdout == first.stdout)
        let report = try first.jsonObject()
        let split = try #require(report["split"] as? [String: Any])
        #expect(number(split["training_items"]).map { $0 + (number(split["held_out_items"]) ?? 0) } == 144)
        #expect(number(split["task_types"]) == 8)
        #expect((report["baseline"] as? [String: Any])?["label"] as? String == "openai/gpt-4-turbo")
        #expect(report["price_source"] as? String == "bundled catalog (data/models.csv)")
        #expect(try cw.runRaw(arguments + ["--seed", "2"]).stdout != first.stdout)
    }

    @Test func frugalGPTSummaryReplaysPerDataSet() throws {
        let cw = try Sandbox()
        let result = try cw.runRaw(["replay", Self.data("frugalgpt_2024_summary.csv"), "--json"])
        try expectSuccess(result)
        let sets = try #require(try result.jsonObject()["data_sets"] as? [[String: Any]])
        #expect(sets.compactMap { $0["task"] as? String } == ["AGNEWS", "COQA", "HEADLINES", "OVERRULING", "SCIQ"])
        #expect((sets[0]["chosen"] as? [String: Any])?["model"] as? String == "gemini-1.5-flash")
        #expect(try cw.runRaw(["tune", Self.data("frugalgpt_2024_summary.csv")]).status == 1)
    }

    @Test func badInputIsRefusedWithItsPlace() throws {
        let cw = try Sandbox()
        let file = try cw.write("results.csv", Self.results)
        let unpriced = try cw.run("replay", file)
        #expect(unpriced.status == 1)
        #expect(unpriced.stderr.contains("results.csv:2: field 'cost_usd': no price for model 'cheap/a' in bundled catalog (data/models.csv), and the row gives no cost_usd"),
                "\(unpriced)")
        #expect(try cw.run("replay", file, "--split", "1").status == 64)
        #expect(try cw.run("replay", file, "--alias", "cheap/a").status == 64)
        #expect(try cw.run("replay", cw.path("missing.csv")).status == 1)
    }
}
