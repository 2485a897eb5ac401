import Foundation
import Testing
@testable import Costwise

/// Answered gateway requests feed their (model, task type) pair's measured tokens and p95 latency,
/// beside the evaluation results, in the transaction that writes them.
struct TrafficStatisticsTests {
    static let task = "summarization"

    /// `a/cheap` (0.9) and `a/better` (0.95) measured on the task: 10 results each, 100 ms and
    /// 100 output tokens apiece; the task's defaults 1,000 in and 2,000 out.
    func measuredStore(engine: StoreEngine = .sqlite) throws -> TemporaryStore {
        let fixture = try TemporaryStore(engine: engine)
        try fixture.model("a/cheap", input: 0.1, output: 0.2)
        try fixture.model("a/better", input: 1, output: 2)
        try fixture.task(Self.task, input: 1_000, output: 2_000)
        try fixture.results("a/cheap", Self.task, passes: 9, of: 10, latencyMs: 100, inputTokens: 1_000, outputTokens: 100)
        try fixture.results("a/better", Self.task, passes: 19, of: 20, latencyMs: 100, inputTokens: 1_000, outputTokens: 100)
        return fixture
    }

    /// A record of a request to `model` for the task.
    func request(_ id: String, model: String = "a/cheap", task: String? = TrafficStatisticsTests.task, status: RequestRecord.Status = .ok,
                 at: Double = 1_000, input: Int? = 1_000, output: Int? = 500, latencyMs: Double? = 1_000) -> RequestRecord {
        RequestRecord(id: id, at: at, task: task, model: model, status: status, httpStatus: status == .ok ? 200 : 502, stream: false,
                      inputTokens: input, outputTokens: output, upstreamLatencyMs: latencyMs)
    }

    func candidate(_ snapshot: Snapshot, _ model: String = "a/cheap") -> Candidate? {
        snapshot.routes[Self.task]?.candidates.first { $0.model.id == model }
    }

    @Test("Answered requests' output tokens and upstream latency join the results' in the pair's mean and p95", arguments: StoreEngine.allCases)
    func trafficJoinsResults(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        let changed = try fixture.store.recordRequests((0..<10).map { request("r\($0)") })
        #expect(changed == 1)
        let cheap = try #require(candidate(try fixture.store.snapshot()))
        // (10 × 100 + 10 × 500) / 20.
        #expect(cheap.measuredOutputTokens == 300)
        // The 19th of 20 latencies, 10 of them 1,000 ms.
        #expect(cheap.latencyP95Ms == 1_000)
        // Quality is the results' alone.
        #expect(cheap.quality.results == 10 && cheap.quality.mean == 0.9)
        #expect(candidate(try fixture.store.snapshot(), "a/better")?.latencyP95Ms == 100)
    }

    @Test("A latency limit and the default output tokens follow the recorded traffic", arguments: StoreEngine.allCases)
    func selectionFollowsTraffic(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        let limited = SelectionRequest(task: Self.task, minQuality: 0.8, maxLatencyMs: 500)
        #expect(try fixture.select(limited).chosenModel == "a/cheap")
        #expect(try fixture.select(SelectionRequest(task: Self.task, minQuality: 0.8)).chosen?.outputTokens == 100)

        try fixture.store.recordRequests((0..<10).map { request("r\($0)") })
        #expect(try fixture.select(limited).chosenModel == "a/better")
        let plain = try fixture.select(SelectionRequest(task: Self.task, minQuality: 0.8))
        #expect(plain.chosenModel == "a/cheap" && plain.chosen?.outputTokens == 300)
    }

    @Test("Failed, refused, unrouted and unmatched requests count for nothing; unreported figures are left out, not 0", arguments: StoreEngine.allCases)
    func onlyAnsweredRequestsCount(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        let before = try #require(candidate(try fixture.store.snapshot()))
        let changed = try fixture.store.recordRequests([
            request("failed", status: .failed), request("rejected", status: .rejected), request("none", status: .noModel),
            request("no-task", task: nil), request("other-task", task: "translation"), request("gone", model: "a/renamed"),
        ])
        #expect(changed == 0)
        let after = try #require(candidate(try fixture.store.snapshot()))
        #expect(after.measuredOutputTokens == before.measuredOutputTokens && after.latencyP95Ms == before.latencyP95Ms)

        // A stream without usage: its latency counts, its unknown tokens do not drag the mean down.
        try fixture.store.recordRequests((0..<10).map { request("s\($0)", input: nil, output: nil, latencyMs: 2_000) })
        let unreported = try #require(candidate(try fixture.store.snapshot()))
        #expect(unreported.measuredOutputTokens == 100 && unreported.measuredInputTokens == 1_000)
        #expect(unreported.latencyP95Ms == 2_000)
    }

    @Test("Only the pair's latest answered requests count, so the figures follow the model as it is served now", arguments: StoreEngine.allCases)
    func latestRequestsOnly(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(engine: engine)
        try fixture.model("a/cheap", input: 0.1, output: 0.2)
        try fixture.task(Self.task)
        try fixture.results("a/cheap", Self.task, passes: 9, of: 10)
        let window = SQLiteStore.trafficPerPair
        try fixture.store.recordRequests((0..<window).map { request("old\($0)", at: 1_000 + Double($0), output: 900, latencyMs: 5_000) })
        #expect(candidate(try fixture.store.snapshot())?.latencyP95Ms == 5_000)
        try fixture.store.recordRequests((0..<window).map { request("new\($0)", at: 10_000 + Double($0), output: 100, latencyMs: 200) })
        let now = try #require(candidate(try fixture.store.snapshot()))
        #expect(now.latencyP95Ms == 200 && now.measuredOutputTokens == 100)
    }

    @Test("A request scored by feedback counts once, as the result it became", arguments: StoreEngine.allCases)
    func feedbackCountsOnce(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        try fixture.store.recordRequests([request("cw-1", output: 1_100)])
        #expect(candidate(try fixture.store.snapshot())?.measuredOutputTokens == 2_100.0 / 11)
        try fixture.store.record(EvaluationResult(model: "a/cheap", task: Self.task, score: 1, run: RequestRecord.feedbackRun, item: "cw-1",
                                                  latencyMs: 1_000, inputTokens: 1_000, outputTokens: 1_100))
        let scored = try #require(candidate(try fixture.store.snapshot()))
        #expect(scored.measuredOutputTokens == 2_100.0 / 11)
        #expect(scored.quality.results == 11)
    }

    @Test("Results recorded after the traffic keep it, for a pair new to results and for one with results", arguments: StoreEngine.allCases)
    func resultsKeepTraffic(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        try fixture.store.recordRequests((0..<10).map { request("b\($0)", model: "a/better", output: 700) } + [request("c", model: "a/cheap")])
        // a/better gets more results (its statistics recomputed from rows); a/fresh its first (computed from the batch).
        try fixture.model("a/fresh", input: 0.05, output: 0.1)
        try fixture.store.recordRequests((0..<10).map { request("f\($0)", model: "a/fresh", output: 300) })
        try fixture.results("a/better", Self.task, passes: 10, of: 10, latencyMs: 100, inputTokens: 1_000, outputTokens: 100)
        try fixture.results("a/fresh", Self.task, passes: 9, of: 10, latencyMs: 100, inputTokens: 1_000, outputTokens: 100)
        let snapshot = try fixture.store.snapshot()
        // (30 × 100 + 10 × 700) / 40 and (10 × 100 + 10 × 300) / 20.
        #expect(candidate(snapshot, "a/better")?.measuredOutputTokens == 250)
        #expect(candidate(snapshot, "a/fresh")?.measuredOutputTokens == 200)
        #expect(candidate(snapshot, "a/fresh")?.latencyP95Ms == 1_000)
    }

    @Test("A replaced row's figures leave with it", arguments: StoreEngine.allCases)
    func replacedRowLeaves(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        try fixture.store.recordRequests((0..<10).map { request("r\($0)") })
        #expect(candidate(try fixture.store.snapshot())?.latencyP95Ms == 1_000)
        try fixture.store.recordRequests((0..<10).map { request("r\($0)", status: .failed) })
        let after = try #require(candidate(try fixture.store.snapshot()))
        #expect(after.latencyP95Ms == 100 && after.measuredOutputTokens == 100)
    }

    @Test("The stored figures agree with those computed from the rows, as a snapshot as of now computes them", arguments: StoreEngine.allCases)
    func storedAgreesWithRows(engine: StoreEngine) throws {
        let fixture = try measuredStore(engine: engine)
        try fixture.store.recordRequests((0..<30).map {
            request("r\($0)", model: $0 % 3 == 0 ? "a/better" : "a/cheap", at: 1_000 + Double($0), output: 50 * $0, latencyMs: Double(10 * $0))
        })
        try fixture.store.record(EvaluationResult(model: "a/cheap", task: Self.task, score: 1, run: RequestRecord.feedbackRun, item: "r4",
                                                  latencyMs: 40, inputTokens: 1_000, outputTokens: 200))
        try fixture.results("a/cheap", Self.task, passes: 1, of: 2, latencyMs: 700, outputTokens: 900)
        let stored = try fixture.store.snapshot()
        let fromRows = try fixture.store.snapshot(asOf: Date().timeIntervalSince1970 + 60, halfLifeDays: nil)
        for model in ["a/cheap", "a/better"] {
            let kept = try #require(candidate(stored, model))
            let computed = try #require(candidate(fromRows, model))
            #expect(kept.measuredOutputTokens == computed.measuredOutputTokens, "\(model)")
            #expect(kept.measuredInputTokens == computed.measuredInputTokens, "\(model)")
            #expect(kept.latencyP95Ms == computed.latencyP95Ms, "\(model)")
        }
    }

    @Test("A store whose request rows were written before they fed the statistics has them counted when it is migrated")
    func migrationCountsEarlierRows() throws {
        let fixture = try measuredStore()
        try fixture.store.recordRequests((0..<10).map { request("r\($0)") })
        // Back to version 7: the statistics of the results alone, and what migrations 8 to 12 add gone.
        let database = try Database(path: fixture.path, create: false)
        try database.execute("""
            DROP INDEX model_task_stats_by_mean;
            ALTER TABLE model_task_stats DROP COLUMN mean;
            DROP TRIGGER gateway_daily_on_insert;
            DROP TRIGGER gateway_daily_on_delete;
            DROP TRIGGER gateway_daily_on_update;
            DROP TABLE gateway_daily;
            DROP TABLE budget_reservations;
            DROP TABLE key_spend;
            DROP TABLE api_keys;
            DROP INDEX gateway_requests_answered_by_pair;
            ALTER TABLE models DROP COLUMN cached_input_usd_per_mtok;
            ALTER TABLE models DROP COLUMN reasoning_usd_per_mtok;
            UPDATE model_task_stats SET output_tokens_sum = 1000, output_tokens_samples = 10, latency_p95_ms = 100, latency_samples = 10;
            PRAGMA user_version = 7;
            """)
        let reopened = try SQLiteStore(path: fixture.path, seed: .empty)
        let cheap = try #require(candidate(try reopened.snapshot()))
        #expect(cheap.measuredOutputTokens == 300 && cheap.latencyP95Ms == 1_000)
    }
}
