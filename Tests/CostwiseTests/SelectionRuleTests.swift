import Foundation
import Testing
@testable import Costwise

/// The selection rule of the contract, one clause at a time, on small stores built through the API.
struct SelectionRuleTests {
    @Test("The cheapest model whose mean clears the threshold wins")
    func cheapestQualifyingWins() throws {
        let fixture = try TemporaryStore()
        try fixture.task("classification")
        try fixture.model("a/cheap", input: 0.1, output: 0.1)
        try fixture.model("b/middle", input: 1, output: 1)
        try fixture.model("c/premium", input: 10, output: 10)
        try fixture.results("a/cheap", "classification", passes: 7, of: 10)
        try fixture.results("b/middle", "classification", passes: 9, of: 10)
        try fixture.results("c/premium", "classification", passes: 10, of: 10)

        #expect(try fixture.select(SelectionRequest(task: "classification", minQuality: 0.8)).chosen?.model == "b/middle")
        #expect(try fixture.select(SelectionRequest(task: "classification", minQuality: 0.7)).chosen?.model == "a/cheap")
        #expect(try fixture.select(SelectionRequest(task: "classification", minQuality: 0.95)).chosen?.model == "c/premium")
    }

    @Test("The estimated cost follows the contract's formula, request price included")
    func costFormula() throws {
        let fixture = try TemporaryStore()
        try fixture.task("extraction", input: 1_200, output: 300)
        try fixture.model("a/m", input: 0.15, output: 0.6, request: 0.001)
        try fixture.results("a/m", "extraction", passes: 1, of: 1)
        let chosen = try #require(try fixture.select(SelectionRequest(task: "extraction", minQuality: 0.5)).chosen)
        #expect(abs(chosen.estimatedCostUSD - ((1_200 * 0.15 + 300 * 0.6) / 1_000_000 + 0.001)) < 1e-15)
        #expect(chosen.inputTokens == 1_200 && chosen.outputTokens == 300)
    }

    @Test("Equal costs go to the higher mean, then to the model id in byte order")
    func tieBreaks() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        for id in ["b/x", "a/x", "B/x"] { try fixture.model(id, input: 1, output: 1) }
        try fixture.results("b/x", "t", passes: 9, of: 10)
        try fixture.results("a/x", "t", passes: 8, of: 10)
        try fixture.results("B/x", "t", passes: 8, of: 10)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8)).chosen?.model == "b/x")

        try fixture.results("b/x", "t", passes: 7, of: 10) // b/x now 16/20 = 0.8, level with the others
        // "B" (0x42) sorts before "a" (0x61) in byte order.
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8)).chosen?.model == "B/x")
    }

    @Test("Equal costs at the request's own tokens go to the higher mean, also when models qualify on their bound")
    func tieBreaksAtRequestTokensWithConfidence() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/precise", input: 1, output: 1)
        try fixture.model("b/lucky", input: 1, output: 1)
        try fixture.results("a/precise", "t", passes: 170, of: 200)  // mean 0.85, bound at 0.95: 0.794
        try fixture.results("b/lucky", "t", passes: 9, of: 10)       // mean 0.9, bound at 0.95: 0.596
        var request = SelectionRequest(task: "t", minQuality: 0.5, confidence: 0.95)
        request.inputTokens = 100
        request.outputTokens = 100
        #expect(try fixture.select(request).chosen?.model == "b/lucky")
    }

    @Test("With a confidence level a model qualifies on its Wilson lower bound, not its mean")
    func confidenceUsesWilsonBound() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/few-samples", input: 1, output: 1)
        try fixture.model("b/many-samples", input: 2, output: 2)
        try fixture.results("a/few-samples", "t", passes: 9, of: 10)      // bound at 0.95: 0.652
        try fixture.results("b/many-samples", "t", passes: 450, of: 500)  // bound at 0.95: 0.8757

        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.85)).chosen?.model == "a/few-samples")
        let guarded = try fixture.select(SelectionRequest(task: "t", minQuality: 0.85, confidence: 0.95))
        #expect(guarded.chosen?.model == "b/many-samples")
        #expect(abs((guarded.chosen?.lowerBound ?? 0) - 0.875734) < 1e-5)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, confidence: 0.95)).chosen == nil)
    }

    @Test("Priors count as pseudo-samples with their weight")
    func priorsArePseudoSamples() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.store.setPriors([PriorScore(model: "a/m", task: "t", score: 0.9, weight: 4, source: "test")])
        var chosen = try #require(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen)
        #expect(chosen.quality.mean == 0.9 && chosen.quality.samples == 4)

        try fixture.results("a/m", "t", passes: 3, of: 6)
        chosen = try #require(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen)
        #expect(abs(chosen.quality.mean - (0.9 * 4 + 3) / 10) < 1e-12)
        #expect(chosen.quality.samples == 10 && chosen.quality.results == 6)
    }

    @Test("--min-samples keeps out estimates built on too little evidence")
    func minSamples() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/new", input: 1, output: 1)
        try fixture.model("b/proven", input: 5, output: 5)
        try fixture.results("a/new", "t", passes: 3, of: 3)
        try fixture.results("b/proven", "t", passes: 45, of: 50)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, minSamples: 3)).chosen?.model == "a/new")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, minSamples: 4)).chosen?.model == "b/proven")
    }

    @Test("A model whose context window cannot hold the request is no candidate")
    func contextWindow() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 1_000)
        try fixture.model("a/small", input: 1, output: 1, contextWindow: 4_096)
        try fixture.model("b/large", input: 2, output: 2, contextWindow: 200_000)
        try fixture.model("c/unknown-window", input: 3, output: 3)
        for id in ["a/small", "b/large", "c/unknown-window"] { try fixture.results(id, "t", passes: 1, of: 1) }

        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen?.model == "a/small")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, inputTokens: 4_000, outputTokens: 96)).chosen?.model == "a/small")
        let large = try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, inputTokens: 4_000, outputTokens: 97, explain: true))
        #expect(large.chosen?.model == "b/large")
        #expect(large.candidates.first?.reason == "needs 4097 tokens; context window is 4096")
        // Where the window is not known, any request fits.
        let huge = try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, inputTokens: 500_000))
        #expect(huge.chosen?.model == "c/unknown-window")
    }

    @Test("Providers are an allow list; excluded models are never chosen")
    func providersAndExcludes() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("openai/a", input: 1, output: 1)
        try fixture.model("anthropic/b", input: 2, output: 2)
        try fixture.model("google/c", input: 3, output: 3)
        for id in ["openai/a", "anthropic/b", "google/c"] { try fixture.results(id, "t", passes: 1, of: 1) }

        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, providers: ["google", "anthropic"])).chosen?.model == "anthropic/b")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, excludedModels: ["openai/a", "anthropic/b"])).chosen?.model == "google/c")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, providers: ["mistral"])).chosen == nil)
    }

    @Test("An excluded id names a model byte for byte: one equal to it only as text excludes nothing")
    func excludedIDsMatchBytes() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        let stored = "openai/a\u{316}\u{301}"
        // The same text as `stored`, and as many bytes, its two accents the other way round.
        let reordered = "openai/a\u{301}\u{316}"
        try fixture.model(stored, input: 1, output: 1)
        try fixture.model("openai/d", input: 2, output: 2)
        for id in [stored, "openai/d"] { try fixture.results(id, "t", passes: 1, of: 1) }
        #expect(stored == reordered && stored.utf8.count == reordered.utf8.count)

        // Without providers the full search answers; with them, the skylines.
        for providers in [[], ["openai"]] {
            let textOnly = SelectionRequest(task: "t", minQuality: 0.5, providers: providers, excludedModels: [reordered])
            #expect(try fixture.select(textOnly).chosen?.model == stored)
            let exact = SelectionRequest(task: "t", minQuality: 0.5, providers: providers, excludedModels: [stored])
            #expect(try fixture.select(exact).chosen?.model == "openai/d")
        }
    }

    @Test("--max-cost-usd bounds the estimated cost; --max-latency-ms bounds the measured p95")
    func costAndLatencyLimits() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 0)
        try fixture.model("a/slow", input: 1, output: 1)        // 0.001 USD a request
        try fixture.model("b/fast", input: 2, output: 2)        // 0.002
        try fixture.model("c/unmeasured", input: 0.5, output: 0.5)
        try fixture.results("a/slow", "t", passes: 20, of: 20, latencyMs: 900)
        try fixture.results("b/fast", "t", passes: 20, of: 20, latencyMs: 200)
        try fixture.results("c/unmeasured", "t", passes: 20, of: 20)

        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9)).chosen?.model == "c/unmeasured")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, maxLatencyMs: 900)).chosen?.model == "a/slow")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, maxLatencyMs: 899)).chosen?.model == "b/fast")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, maxCostUSD: 0.0015, maxLatencyMs: 899)).chosen == nil)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, maxCostUSD: 0.0004)).chosen == nil)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, maxCostUSD: 0.0005)).chosen?.model == "c/unmeasured")
    }

    @Test("The p95 latency is the nearest-rank 95th percentile of the recorded latencies")
    func latencyPercentile() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        let results = (1...40).map { EvaluationResult(model: "a/m", task: "t", score: 1, latencyMs: Double($0 * 10)) }
        try fixture.store.recordResults(results, lines: nil, file: nil)
        // rank ⌈0.95 × 40⌉ = 38 → 380 ms
        #expect(try fixture.store.snapshot().estimates.first?.latencyP95Ms == 380)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, maxLatencyMs: 380)).chosen != nil)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5, maxLatencyMs: 379)).chosen == nil)
    }

    @Test("Without token counts in the request, each model's measured mean tokens price it")
    func measuredTokens() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 1_000)
        try fixture.model("a/verbose", input: 1, output: 1)
        try fixture.model("b/terse", input: 1.5, output: 1.5)
        // a/verbose writes 4,000 output tokens on average: 0.005 USD a request against b/terse's 0.003.
        try fixture.results("a/verbose", "t", passes: 10, of: 10, inputTokens: 1_000, outputTokens: 4_000)
        try fixture.results("b/terse", "t", passes: 10, of: 10)

        let chosen = try #require(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9)).chosen)
        #expect(chosen.model == "b/terse")
        #expect(chosen.outputTokens == 1_000)
        // Given explicitly, the same tokens price every model alike.
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, inputTokens: 1_000, outputTokens: 1_000)).chosen?.model == "a/verbose")
        // A request giving only one count keeps the measured other one.
        let half = try #require(try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, inputTokens: 10, explain: true)).candidates.first { $0.model == "a/verbose" })
        #expect(half.inputTokens == 10 && half.outputTokens == 4_000)
    }

    @Test("Disabled models are no candidates until enabled again")
    func disabledModels() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.model("b/m", input: 2, output: 2)
        for id in ["a/m", "b/m"] { try fixture.results(id, "t", passes: 1, of: 1) }
        try fixture.store.setEnabled(false, model: "a/m")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen?.model == "b/m")
        try fixture.store.setEnabled(true, model: "a/m")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen?.model == "a/m")
        #expect(throws: CatalogError.unknownModel("z/none")) { try fixture.store.setEnabled(false, model: "z/none") }
    }

    @Test("--explain lists every candidate in cost order with a reason")
    func explain() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/weak", input: 1, output: 1)
        try fixture.model("b/good", input: 2, output: 2)
        try fixture.model("c/better", input: 3, output: 3)
        try fixture.results("a/weak", "t", passes: 5, of: 10)
        try fixture.results("b/good", "t", passes: 9, of: 10)
        try fixture.results("c/better", "t", passes: 10, of: 10)
        let selection = try fixture.select(SelectionRequest(task: "t", minQuality: 0.8, explain: true))
        #expect(selection.candidates.map(\.model) == ["a/weak", "b/good", "c/better"])
        #expect(selection.candidates.map(\.qualified) == [false, true, true])
        #expect(selection.candidates.map(\.reason) == [
            "mean 0.5 < 0.8",
            "selected: cheapest with mean 0.9 >= 0.8",
            "qualified (mean 1 >= 0.8), but b/good comes first",
        ])
    }

    @Test("When none qualifies, the answer names the best candidate within the limits")
    func noneQualifies() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.model("b/m", input: 2, output: 2)
        try fixture.model("c/m", input: 3, output: 3)
        try fixture.results("a/m", "t", passes: 6, of: 10)
        try fixture.results("b/m", "t", passes: 7, of: 10)
        try fixture.results("c/m", "t", passes: 8, of: 10)
        var selection = try fixture.select(SelectionRequest(task: "t", minQuality: 0.9))
        #expect(selection.chosen == nil)
        #expect(selection.best?.model == "c/m")
        #expect(selection.failureReason?.contains("c/m") == true)
        selection = try fixture.select(SelectionRequest(task: "t", minQuality: 0.9, excludedModels: ["c/m"]))
        #expect(selection.best?.model == "b/m")
    }

    @Test("A task type the store does not know is an error that names it")
    func unknownTask() throws {
        let fixture = try TemporaryStore()
        #expect(throws: CatalogError.unknownTaskType("clasification")) {
            try fixture.select(SelectionRequest(task: "clasification", minQuality: 0.8))
        }
        try fixture.task("known")
        let selection = try fixture.select(SelectionRequest(task: "known", minQuality: 0.8))
        #expect(selection.chosen == nil && selection.best == nil)
    }

    @Test("A snapshot answers without its database: selecting runs no SQL")
    func selectRunsNoSQL() throws {
        var fixture: TemporaryStore? = try TemporaryStore()
        try fixture!.task("t")
        try fixture!.model("a/m", input: 1, output: 1)
        try fixture!.results("a/m", "t", passes: 9, of: 10)
        let snapshot = try fixture!.store.snapshot()
        fixture = nil // closes the connection and deletes the file
        #expect(try snapshot.select(SelectionRequest(task: "t", minQuality: 0.8)).chosen?.model == "a/m")
    }

    @Test("A write makes the store's next snapshot see it")
    func snapshotFollowsWrites() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.results("a/m", "t", passes: 5, of: 10)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8)).chosen == nil)
        try fixture.results("a/m", "t", passes: 90, of: 90)
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.8)).chosen?.model == "a/m")
    }

    @Test("Another connection's writes show after refresh()")
    func refreshSeesOtherWriters() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.results("a/m", "t", passes: 1, of: 1)
        _ = try fixture.store.snapshot()
        let other = try SQLiteStore(path: fixture.path)
        try other.setEnabled(false, model: "a/m")
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen?.model == "a/m")
        #expect(try fixture.store.refresh())
        #expect(try fixture.select(SelectionRequest(task: "t", minQuality: 0.5)).chosen == nil)
    }
}
