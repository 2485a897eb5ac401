import Foundation
import Testing
@testable import Costwise

/// Tiers, plain routing by tier, logged selections and the savings they report, and the store as
/// it stood at a past time or with evidence weighted by age.
struct RoutingPatternTests {
    @Test("Undeclared tiers are derived from price bands; declared tiers stand", arguments: [
        (0.15, 0.6, 1), (1, 1, 1), (0.8, 4, 2), (2.5, 10, 2), (3, 15, 3), (15, 75, 3),
    ])
    func derivedTiers(input: Double, output: Double, tier: Int) {
        let model = Model(id: "a/m", provider: "a", price: Price(inputUSDPerMTok: input, outputUSDPerMTok: output))
        #expect(model.effectiveTier == tier && model.tierIsDerived)
        var declared = model
        declared.tier = 1
        #expect(declared.effectiveTier == 1 && !declared.tierIsDerived)
    }

    @Test("By tier: the cheapest enabled model of the task's tier, with or without evidence, within the limits")
    func byTier() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", tier: 2, input: 1_000, output: 1_000)
        try fixture.model("a/tier1", input: 0.1, output: 0.1, tier: 1)
        try fixture.model("b/tier2", input: 1, output: 1, tier: 2)
        try fixture.model("c/derived2", input: 2, output: 4)        // blended 2.5: tier 2
        try fixture.model("d/tier2-small", input: 0.5, output: 0.5, contextWindow: 1_000, tier: 2)
        let selection = try fixture.store.snapshot().selectByTier(SelectionRequest(task: "t", minQuality: 0, explain: true))
        #expect(selection.chosen?.model == "b/tier2")
        #expect(selection.candidates.map(\.model) == ["d/tier2-small", "b/tier2", "c/derived2"])
        #expect(selection.candidates.first?.qualified == false)
        #expect(selection.json.text().contains("\"routing\": \"by-tier\""))
        let excluded = try fixture.store.snapshot().selectByTier(SelectionRequest(task: "t", minQuality: 0, excludedModels: ["b/tier2"]))
        #expect(excluded.chosen?.model == "c/derived2")
    }

    @Test("The premium alternative is the cheapest enabled top-tier model whose window holds the request")
    func premiumAlternative() throws {
        let fixture = try TemporaryStore()
        try fixture.model("a/top-small", input: 2, output: 8, contextWindow: 8_000, tier: 3)
        try fixture.model("b/top", input: 3, output: 15, tier: 3)
        try fixture.model("c/cheap", input: 0.1, output: 0.1, tier: 1)
        let snapshot = try fixture.store.snapshot()
        #expect(snapshot.premiumAlternative(inputTokens: 1_000, outputTokens: 1_000)?.model == "a/top-small")
        let big = try #require(snapshot.premiumAlternative(inputTokens: 10_000, outputTokens: 1_000))
        #expect(big.model == "b/top" && abs(big.costUSD - 0.045) < 1e-15)
    }

    @Test("Logged selections report spend against all-premium, per task type and in total, since a date")
    func savings() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 0)
        try fixture.model("a/cheap", input: 1, output: 1, tier: 1)
        try fixture.model("b/top", input: 10, output: 10, tier: 3)
        try fixture.results("a/cheap", "t", passes: 9, of: 10)
        let snapshot = try fixture.store.snapshot()
        let selection = try snapshot.select(SelectionRequest(task: "t", minQuality: 0.8))
        let premium = snapshot.premiumAlternative(inputTokens: 1_000, outputTokens: 0)
        try fixture.store.logDecision(selection, premium: premium, at: 1_000)
        for _ in 0..<3 { try fixture.store.logDecision(selection, premium: premium, at: 2_000) }
        let report = try fixture.store.savingsReport()
        #expect(report.tasks.map(\.requests) == [4])
        #expect(abs(report.total.spendUSD - 0.004) < 1e-12 && abs(report.total.allPremiumUSD - 0.04) < 1e-12)
        #expect(abs((report.total.savingPercent ?? 0) - 90) < 1e-9)
        #expect(try fixture.store.savingsReport(since: 1_500).total.requests == 3)
        #expect(try fixture.store.decisionCounts(since: 0) == ["t": ["a/cheap": 4]])
    }

    @Test("As of a past time: the prices then in force and only the results recorded by then")
    func asOf() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.model("b/m", input: 2, output: 2)
        try fixture.store.recordResults([
            EvaluationResult(model: "a/m", task: "t", score: 1, recordedAt: 1_000),
            EvaluationResult(model: "b/m", task: "t", score: 1, recordedAt: 1_000),
            EvaluationResult(model: "a/m", task: "t", score: 0, recordedAt: 3_000),
            EvaluationResult(model: "a/m", task: "t", score: 0, recordedAt: 3_000),
        ], lines: nil, file: nil)
        // Both prices were set "now", long after 3,000: as of then, no model was priced yet.
        #expect(try fixture.store.snapshot(asOf: 2_000, halfLifeDays: nil).models.isEmpty)
        let now = RFC3339.now
        try fixture.rawSQL("UPDATE price_history SET effective_at = 500")
        try fixture.store.setModel(ModelUpdate(id: "b/m", inputUSDPerMTok: 0.5), source: "price cut")
        let past = try fixture.store.snapshot(asOf: 2_000, halfLifeDays: nil)
        #expect(past.model(id: "b/m")?.price.inputUSDPerMTok == 2)
        #expect(try past.select(SelectionRequest(task: "t", minQuality: 0.9)).chosen?.model == "a/m")
        let present = try fixture.store.snapshot(asOf: now + 60, halfLifeDays: nil)
        #expect(try present.select(SelectionRequest(task: "t", minQuality: 0.9)).chosen?.model == "b/m")
        #expect(present.estimates.first { $0.model == "a/m" }?.quality.results == 3)
    }

    @Test("A half-life weighs recent results more: an old record counts for little")
    func halfLife() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        let day = 86_400.0
        let now = RFC3339.now
        let old = (0..<90).map { EvaluationResult(model: "a/m", task: "t", score: 1, item: "old\($0)", recordedAt: now - 300 * day) }
        let recent = (0..<10).map { EvaluationResult(model: "a/m", task: "t", score: 0, item: "new\($0)", recordedAt: now - day) }
        try fixture.store.recordResults(old + recent, lines: nil, file: nil)
        #expect(try fixture.store.snapshot().estimates.first?.quality.mean == 0.9)
        let weighted = try #require(try fixture.store.snapshot(halfLifeDays: 30).estimates.first?.quality)
        // Weights: 0.5^(300/30) ≈ 0.000977 for the old ones, 0.5^(1/30) ≈ 0.977 for the new.
        let oldWeight = pow(0.5, 10.0) * 90
        let newWeight = pow(0.5, 1.0 / 30) * 10
        #expect(abs(weighted.mean - oldWeight / (oldWeight + newWeight)) < 1e-6)
        #expect(abs(weighted.samples - (oldWeight + newWeight)) < 1e-3)
    }
}
