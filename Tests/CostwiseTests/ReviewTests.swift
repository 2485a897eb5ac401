import Foundation
import Testing
@testable import Costwise

/// Review on evidence with timestamps chosen to trigger each action.
struct ReviewTests {
    let day = 86_400.0

    /// A task type at threshold 0.8 with a cheap and a premium model.
    func makeFixture() throws -> TemporaryStore {
        let fixture = try TemporaryStore()
        try fixture.store.setTaskType(TaskTypeUpdate(name: "t", tier: 1, inputTokens: 1_000, outputTokens: 0, minQuality: 0.8))
        try fixture.model("a/cheap", input: 1, output: 1, tier: 1)
        try fixture.model("b/premium", input: 10, output: 10, tier: 3)
        return fixture
    }

    func record(_ fixture: TemporaryStore, _ model: String, passes: Int, of count: Int, daysAgo: Double, run: String) throws {
        let now = RFC3339.now
        try fixture.store.recordResults((0..<count).map {
            EvaluationResult(model: model, task: "t", score: $0 < passes ? 1 : 0, run: run, item: "\($0)", recordedAt: now - daysAgo * day)
        }, lines: nil, file: nil)
    }

    func review(_ fixture: TemporaryStore) throws -> Review.Finding {
        let review = try Review(current: fixture.store.snapshot(), recent: fixture.store.snapshot(halfLifeDays: 30),
                                requests: fixture.store.decisionCounts(since: RFC3339.now - 30 * day), windowDays: 30)
        return try #require(review.findings.first { $0.task == "t" })
    }

    @Test("keep: the model in use is the cheapest that clears the threshold")
    func keep() throws {
        let fixture = try makeFixture()
        try record(fixture, "a/cheap", passes: 190, of: 200, daysAgo: 2, run: "r")
        try record(fixture, "b/premium", passes: 195, of: 200, daysAgo: 2, run: "r")
        let finding = try review(fixture)
        #expect(finding.action == .keep && finding.currentModel == "a/cheap")
    }

    @Test("upgrade: the model in use did well long ago but fails recently")
    func upgrade() throws {
        let fixture = try makeFixture()
        try record(fixture, "a/cheap", passes: 300, of: 300, daysAgo: 200, run: "old")
        try record(fixture, "a/cheap", passes: 20, of: 60, daysAgo: 1, run: "new")
        try record(fixture, "b/premium", passes: 190, of: 200, daysAgo: 1, run: "new")
        let finding = try review(fixture)
        #expect(finding.currentModel == "a/cheap")
        #expect(finding.action == .upgrade)
        #expect(finding.json.text().contains("\"recommended_model\": \"b/premium\""))
    }

    @Test("downgrade: a cheaper model now clears the threshold with confidence; savings at the logged volume")
    func downgrade() throws {
        let fixture = try makeFixture()
        try record(fixture, "b/premium", passes: 190, of: 200, daysAgo: 60, run: "old")
        // The traffic so far went to the premium model...
        let snapshot = try fixture.store.snapshot()
        let premiumChoice = try snapshot.select(SelectionRequest(task: "t", minQuality: 0.8))
        for _ in 0..<10 { try fixture.store.logDecision(premiumChoice, premium: nil) }
        // ...then a third of it went to the cheaper model, which now proves itself.
        try record(fixture, "a/cheap", passes: 5, of: 5, daysAgo: 1, run: "new")
        for _ in 0..<5 {
            try fixture.store.logDecision(try fixture.store.snapshot().select(SelectionRequest(task: "t", minQuality: 0.99)), premium: nil)
        }
        try record(fixture, "a/cheap", passes: 290, of: 300, daysAgo: 1, run: "more")
        let finding = try review(fixture)
        #expect(finding.currentModel == "b/premium")
        #expect(finding.action == .downgrade, "\(finding.reason)")
        // 15 requests logged over 30 days, b/premium taking most; (0.01 − 0.001) USD saved on each.
        #expect(finding.json.text().contains("\"monthly_savings_usd\": 0.135"))
    }

    @Test("explore: a cheaper model's mean clears the threshold, but too few samples to be sure")
    func explore() throws {
        let fixture = try makeFixture()
        try record(fixture, "b/premium", passes: 190, of: 200, daysAgo: 1, run: "r")
        try record(fixture, "a/cheap", passes: 5, of: 5, daysAgo: 1, run: "r")
        let premium = try fixture.store.snapshot().select(SelectionRequest(task: "t", minQuality: 0.8, confidence: 0.95))
        #expect(premium.chosen?.model == "b/premium")
        let finding = try review(fixture)
        #expect(finding.currentModel == "b/premium")
        #expect(finding.action == .explore, "\(finding.reason)")
        // 5 of 5 passes a day old weigh 4.89 samples; at a mean of 1, 11 give a 95% lower bound of 0.803.
        #expect(finding.json.text().contains("\"samples_needed\": 7"))
    }

    @Test("collapse: the logged traffic all went to one model although the selector picks a cheaper one")
    func collapse() throws {
        let fixture = try makeFixture()
        try record(fixture, "a/cheap", passes: 45, of: 50, daysAgo: 1, run: "r")
        try record(fixture, "b/premium", passes: 50, of: 50, daysAgo: 1, run: "r")
        let pinned = try fixture.store.snapshot().select(SelectionRequest(task: "t", minQuality: 0.95))
        #expect(pinned.chosen?.model == "b/premium")
        for _ in 0..<20 { try fixture.store.logDecision(pinned, premium: nil) }
        let finding = try review(fixture)
        #expect(finding.action == .collapse, "\(finding.reason)")
        #expect(finding.json.text().contains("\"recommended_model\": \"a/cheap\""))
    }

    @Test("The samples needed for a lower bound are the fewest that clear it")
    func samplesNeeded() {
        let z = NormalDistribution.quantile(0.95)
        let needed = Review.samplesNeeded(mean: 1, threshold: 0.8, z: z)
        let bound = { (n: Int) in QualityEstimate(mean: 1, samples: Double(n), results: n, priorWeight: 0).wilsonLowerBound(z: z) }
        #expect(bound(needed) >= 0.8 && bound(needed - 1) < 0.8)
    }
}
