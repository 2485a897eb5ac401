import Foundation
import Testing

/// `costwise select` on stores built from nothing with `models set`, `tasks set`, `record` and `evals import`.
struct SelectCommandTests {
    /// An empty store with task type `t` (1000 input and 500 output tokens) and three models that all have one result:
    /// cheap/a (0.1, 0.2) scoring 0.5, mid/b (1, 2) scoring 0.9, top/c (5, 10) scoring 0.95.
    func threeModels() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t", "--input-tokens", "1000", "--output-tokens", "500")
        try cw.setModel("cheap/a", input: "0.1", output: "0.2")
        try cw.setModel("mid/b", input: "1", output: "2")
        try cw.setModel("top/c", input: "5", output: "10")
        try cw.record("cheap/a", "t", score: "0.5")
        try cw.record("mid/b", "t", score: "0.9")
        try cw.record("top/c", "t", score: "0.95")
        return cw
    }

    @Test func theCheapestQualifyingModelWins() throws {
        let cw = try threeModels()
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.4") == "cheap/a")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.5") == "cheap/a")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "mid/b")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.9") == "mid/b")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.92") == "top/c")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0") == "cheap/a")

        let text = try cw.run("select", "--task", "t", "--min-quality", "0.8")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("mid/b"))
        #expect(!text.stdout.contains("cheap/a"))
    }

    @Test func jsonAnswerHasTheContractShapeAndTheCostFormula() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("extraction", "--input-tokens", "1234", "--output-tokens", "345")
        // A provider that is not the id's prefix, and a per-request price.
        let prices = try cw.write("prices.csv", """
            model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier,request_usd
            x/model-one,acme,0.15,0.6,128000,1,0.0002

            """)
        try expectSuccess(cw.run("models", "import", prices))
        try cw.record("x/model-one", "extraction", score: "0.875")
        try cw.record("x/model-one", "extraction", score: "0.925")

        let answer = try cw.select("--task", "extraction", "--min-quality", "0.8")
        #expect(answer["model"] as? String == "x/model-one")
        #expect(answer["provider"] as? String == "acme")
        #expect(answer["task"] as? String == "extraction")
        #expect(number(answer["threshold"]) == 0.8)
        let expectedCost = contractCost(input: 1234, output: 345, inputPrice: 0.15, outputPrice: 0.6, request: 0.0002)
        #expect(isClose(number(answer["estimated_cost_usd"]), expectedCost), "\(answer)")
        let quality = try #require(answer["quality"] as? [String: Any], "\(answer)")
        #expect(isClose(number(quality["mean"]), 0.9))
        #expect(number(quality["samples"]) == 2)
        let lowerBound = try #require(number(quality["lower_bound"]), "\(answer)")
        #expect(lowerBound >= 0 && lowerBound <= 0.9)
        #expect(answer["candidates"] == nil, "candidates only with --explain")
    }

    @Test func tiesGoToTheHigherMeanThenTheModelIDInByteOrder() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        // Same price: the higher mean wins over the smaller id.
        try cw.setModel("a/x", input: "1", output: "1")
        try cw.setModel("b/x", input: "1", output: "1")
        try cw.record("a/x", "t", score: "0.85")
        try cw.record("b/x", "t", score: "0.9")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "b/x")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "100",
                                     "--output-tokens", "100") == "b/x")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--explain") == "b/x")

        // Same price and mean: ascending byte order ('Z' 0x5A sorts before 'a' and 'b').
        try cw.setModel("c/y", input: "1", output: "1")
        try cw.setModel("Z/y", input: "1", output: "1")
        try cw.record("c/y", "t", score: "0.9")
        try cw.record("Z/y", "t", score: "0.9")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "Z/y")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "100",
                                     "--output-tokens", "100") == "Z/y")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--exclude", "Z/y") == "b/x")
    }

    @Test func confidenceQualifiesOnTheWilsonLowerBound() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/nine", input: "1", output: "1")
        try cw.setModel("p/sure", input: "2", output: "2")
        try cw.importResults(Sandbox.passFail("p/nine", "t", passes: 9, fails: 1)
            + Sandbox.passFail("p/sure", "t", passes: 100, fails: 0))

        // On the mean (0.9 ≥ 0.8), the cheap model qualifies.
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/nine")

        // At 95 %, 9/10 has a Wilson lower bound of about 0.65 < 0.8; 100/100 about 0.97.
        let nineBound = wilsonLowerBound(mean: 0.9, samples: 10, confidence: 0.95)
        let sureBound = wilsonLowerBound(mean: 1, samples: 100, confidence: 0.95)
        #expect(nineBound < 0.8 && sureBound >= 0.8)
        let answer = try cw.select("--task", "t", "--min-quality", "0.8", "--confidence", "0.95", "--explain")
        #expect(answer["model"] as? String == "p/sure", "\(answer)")
        let quality = try #require(answer["quality"] as? [String: Any])
        #expect(isClose(number(quality["lower_bound"]), sureBound, relative: 1e-9), "\(quality) vs \(sureBound)")
        #expect(number(quality["samples"]) == 100)
        let candidates = try #require(answer["candidates"] as? [[String: Any]])
        let nine = try #require(candidates.first { $0["model"] as? String == "p/nine" }, "\(answer)")
        #expect(nine["qualified"] as? Bool == false)
        let nineQuality = try #require(nine["quality"] as? [String: Any])
        #expect(isClose(number(nineQuality["lower_bound"]), nineBound, relative: 1e-9), "\(nineQuality) vs \(nineBound)")
        #expect(isClose(number(nineQuality["mean"]), 0.9))

        // The level sets z = Φ⁻¹(C): at 0.5, z = 0 and the bound is the mean itself.
        let half = try cw.select("--task", "t", "--min-quality", "0.8", "--confidence", "0.5")
        #expect(half["model"] as? String == "p/nine", "\(half)")
        #expect(isClose(number((half["quality"] as? [String: Any])?["lower_bound"]), 0.9, relative: 1e-9), "\(half)")
        // At 0.99 even 100/100 falls short of 0.96: 100 / (100 + z²) ≈ 0.9487.
        #expect(wilsonLowerBound(mean: 1, samples: 100, confidence: 0.99) < 0.96)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.96", "--confidence", "0.99") == nil)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.96", "--confidence", "0.95") == "p/sure")
    }

    @Test func minSamplesSkipsEstimatesWithTooLittleEvidence() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/one", input: "1", output: "1")
        try cw.setModel("p/three", input: "2", output: "2")
        try cw.record("p/one", "t", score: "1")
        try cw.importResults(Sandbox.passFail("p/three", "t", passes: 3, fails: 0))

        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/one")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--min-samples", "1") == "p/one")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--min-samples", "2") == "p/three")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--min-samples", "3") == "p/three")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--min-samples", "4") == nil)
    }

    @Test func maxCostUSDCapsTheEstimatedCost() throws {
        let cw = try threeModels()
        // mid/b costs (1000 × 1 + 500 × 2) / 1e6 = 0.002, top/c 0.01.
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-cost-usd", "0.01") == "mid/b")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-cost-usd", "0.002") == "mid/b")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-cost-usd", "0.0019") == nil)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.92", "--max-cost-usd", "0.0099") == nil)
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.4", "--max-cost-usd", "0.0019") == "cheap/a")
    }

    @Test func maxLatencyMsNeedsAMeasuredP95() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("p/unmeasured", input: "0.1", output: "0.1")
        try cw.setModel("p/fast", input: "1", output: "1")
        try cw.setModel("p/slow", input: "0.5", output: "0.5")
        try cw.record("p/unmeasured", "t", score: "0.9")
        try cw.record("p/fast", "t", score: "0.9", "--latency-ms", "100")
        try cw.record("p/fast", "t", score: "0.9", "--latency-ms", "200")
        try cw.record("p/slow", "t", score: "0.9", "--latency-ms", "900")

        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/unmeasured")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-latency-ms", "1000") == "p/slow")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-latency-ms", "500") == "p/fast")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--max-latency-ms", "50") == nil)

        let explained = try cw.select("--task", "t", "--min-quality", "0.8", "--max-latency-ms", "500", "--explain")
        let candidates = try #require(explained["candidates"] as? [[String: Any]])
        let unmeasured = try #require(candidates.first { $0["model"] as? String == "p/unmeasured" }, "\(explained)")
        #expect(unmeasured["qualified"] as? Bool == false)
    }

    @Test func providerIsARepeatableAllowList() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        try cw.setModel("a/cheap", input: "0.1", output: "0.1")
        try cw.setModel("x/mid", input: "1", output: "1", "--provider", "bee")
        try cw.setModel("c/top", input: "5", output: "5")
        for model in ["a/cheap", "x/mid", "c/top"] { try cw.record(model, "t", score: "0.9") }

        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "a/cheap")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--provider", "c") == "c/top")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--provider", "bee") == "x/mid")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--provider", "c", "--provider", "bee") == "x/mid")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--provider", "c", "--provider", "a") == "a/cheap")
        // The provider is the model's provider, not its id's prefix.
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--provider", "x") == nil)
    }

    @Test func excludeIsRepeatable() throws {
        let cw = try threeModels()
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.4", "--exclude", "cheap/a") == "mid/b")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.4", "--exclude", "cheap/a",
                                     "--exclude", "mid/b") == "top/c")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.4", "--exclude", "cheap/a",
                                     "--exclude", "mid/b", "--exclude", "top/c") == nil)
    }

    @Test func theContextWindowMustHoldInputPlusOutputTokens() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t", "--input-tokens", "2000", "--output-tokens", "500")
        try cw.setModel("p/small", input: "0.1", output: "0.1", "--context-window", "1000")
        try cw.setModel("p/unknown-window", input: "1", output: "1")
        try cw.record("p/small", "t", score: "0.9")
        try cw.record("p/unknown-window", "t", score: "0.9")

        // The task's default 2500 tokens do not fit in 1000.
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8") == "p/unknown-window")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "900",
                                     "--output-tokens", "100") == "p/small")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "900",
                                     "--output-tokens", "101") == "p/unknown-window")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "1001",
                                     "--output-tokens", "0") == "p/unknown-window")
        #expect(try cw.selectedModel("--task", "t", "--min-quality", "0.8", "--input-tokens", "900",
                                     "--output-tokens", "101", "--exclude", "p/unknown-window") == nil)

        // Given tokens are what the cost is computed from.
        let answer = try cw.select("--task", "t", "--min-quality", "0.8", "--input-tokens", "900", "--output-tokens", "100")
        #expect(isClose(number(answer["estimated_cost_usd"]),
                      contractCost(input: 900, output: 100, inputPrice: 0.1, outputPrice: 0.1)), "\(answer)")
    }

    @Test func measuredTokensAreUsedWhenNoneAreGiven() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t", "--input-tokens", "1000", "--output-tokens", "500")
        // Cheaper per token, but its requests are long: (10000 × 1 + 1000 × 1) / 1e6 = 0.011 per request.
        try cw.setModel("p/wordy", input: "1", output: "1")
        try cw.record("p/wordy", "t", score: "0.9", "--input-tokens", "8000", "--output-tokens", "500")
        try cw.record("p/wordy", "t", score: "0.9", "--input-tokens", "12000", "--output-tokens", "1500")
        // Nothing measured: the task's 1000 + 500 tokens, (1000 × 2 + 500 × 2) / 1e6 = 0.003.
        try cw.setModel("p/terse", input: "2", output: "2")
        try cw.record("p/terse", "t", score: "0.9")

        let answer = try cw.select("--task", "t", "--min-quality", "0.8", "--explain")
        #expect(answer["model"] as? String == "p/terse", "\(answer)")
        #expect(isClose(number(answer["estimated_cost_usd"]),
                      contractCost(input: 1000, output: 500, inputPrice: 2, outputPrice: 2)), "\(answer)")
        let candidates = try #require(answer["candidates"] as? [[String: Any]])
        let wordy = try #require(candidates.first { $0["model"] as? String == "p/wordy" }, "\(answer)")
        #expect(isClose(number(wordy["estimated_cost_usd"]),
                      contractCost(input: 10000, output: 1000, inputPrice: 1, outputPrice: 1)), "\(wordy)")

        // Given tokens replace the measured ones for every model.
        let given = try cw.select("--task", "t", "--min-quality", "0.8", "--input-tokens", "1000", "--output-tokens", "500")
        #expect(given["model"] as? String == "p/wordy", "\(given)")
        #expect(isClose(number(given["estimated_cost_usd"]),
                      contractCost(input: 1000, output: 500, inputPrice: 1, outputPrice: 1)), "\(given)")
    }

    @Test func explainListsEveryCandidateInTheOrderConsidered() throws {
        let cw = try threeModels()
        let answer = try cw.select("--task", "t", "--min-quality", "0.8", "--explain")
        #expect(answer["model"] as? String == "mid/b")
        let candidates = try #require(answer["candidates"] as? [[String: Any]], "\(answer)")
        #expect(candidates.compactMap { $0["model"] as? String } == ["cheap/a", "mid/b", "top/c"], "\(answer)")
        let expectedCosts = [
            contractCost(input: 1000, output: 500, inputPrice: 0.1, outputPrice: 0.2),
            contractCost(input: 1000, output: 500, inputPrice: 1, outputPrice: 2),
            contractCost(input: 1000, output: 500, inputPrice: 5, outputPrice: 10),
        ]
        let expectedMeans = [0.5, 0.9, 0.95]
        for (index, candidate) in candidates.enumerated() {
            for key in ["model", "estimated_cost_usd", "quality", "qualified", "reason"] {
                #expect(candidate[key] != nil, "candidate \(index) lacks \(key): \(candidate)")
            }
            #expect(isClose(number(candidate["estimated_cost_usd"]), expectedCosts[index]), "\(candidate)")
            #expect(isClose(number((candidate["quality"] as? [String: Any])?["mean"]), expectedMeans[index]), "\(candidate)")
            #expect(!((candidate["reason"] as? String) ?? "").isEmpty, "\(candidate)")
        }
        #expect(candidates[0]["qualified"] as? Bool == false)
        #expect(candidates[1]["qualified"] as? Bool == true)

        // The readable table names every candidate.
        let text = try cw.run("select", "--task", "t", "--min-quality", "0.8", "--explain")
        #expect(text.status == 0, "\(text)")
        for model in ["cheap/a", "mid/b", "top/c"] { #expect(text.stdout.contains(model), "\(text)") }
    }

    @Test func noQualifyingModelExitsThreeWithTheBestCandidate() throws {
        let cw = try threeModels()
        let text = try cw.run("select", "--task", "t", "--min-quality", "0.99")
        #expect(text.status == 3, "\(text)")
        #expect(!text.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(text)")

        let result = try cw.run("select", "--task", "t", "--min-quality", "0.99", "--json")
        #expect(result.status == 3, "\(result)")
        #expect(!result.stderr.isEmpty, "\(result)")
        let error = try result.jsonObject()
        #expect(error["error"] as? String == "no_qualifying_model")
        #expect(error["task"] as? String == "t")
        #expect(number(error["threshold"]) == 0.99)
        #expect(error["model"] == nil, "\(error)")
        let best = try #require(error["best"] as? [String: Any], "\(error)")
        #expect(best["model"] as? String == "top/c", "the highest-quality candidate: \(best)")
        #expect(isClose(number((best["quality"] as? [String: Any])?["mean"]), 0.95), "\(best)")
    }

    @Test func anUnknownTaskTypeIsAnErrorThatNamesIt() throws {
        let cw = try threeModels()
        let result = try cw.run("select", "--task", "no-such-task", "--min-quality", "0.8")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("no-such-task"), "\(result)")
        let json = try cw.run("select", "--task", "no-such-task", "--min-quality", "0.8", "--json")
        #expect(json.status == 1, "\(json)")
        #expect(json.stderr.contains("no-such-task"), "\(json)")
    }

    @Test(arguments: [
        ["--min-quality", "1.5"],
        ["--min-quality", "-0.1"],
        ["--min-quality", "0.8", "--confidence", "1"],
        ["--min-quality", "0.8", "--confidence", "0"],
    ])
    func outOfRangeArgumentsAreUsageErrors(_ arguments: [String]) throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try cw.setTask("t")
        let result = try cw.runRaw(["select", "--task", "t"] + arguments + ["--db", cw.db])
        #expect(![0, 1, 3].contains(result.status), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }
}
