import Foundation
import Testing
@testable import Costwise

/// The dashboard's figures against the requests the store holds: the per-day sums it reads must
/// stay equal to the rows, however the rows are written.
struct DashboardTests {
    static let day = 86_400.0
    /// 2026-12-07 12:00 UTC.
    static let now = 20_429 * day + 43_200

    /// Task type `summarization` (threshold 0.8) and `code` (none of its own), with a cheap model
    /// that clears 0.8 on summarization and a premium one that clears everything.
    func makeFixture() throws -> TemporaryStore {
        let fixture = try TemporaryStore()
        try fixture.store.setTaskType(TaskTypeUpdate(name: "summarization", tier: 1, inputTokens: 1_000, outputTokens: 500, minQuality: 0.8))
        try fixture.task("code")
        try fixture.model("acme/cheap", input: 0.1, output: 0.2, tier: 1)
        try fixture.model("acme/premium", input: 10, output: 20, tier: 3)
        try fixture.results("acme/cheap", "summarization", passes: 18, of: 20)
        try fixture.results("acme/cheap", "code", passes: 10, of: 20)
        try fixture.results("acme/premium", "summarization", passes: 20, of: 20)
        try fixture.results("acme/premium", "code", passes: 19, of: 20)
        return fixture
    }

    func request(_ id: String, daysAgo: Double, task: String? = "summarization", model: String = "acme/cheap",
                 status: RequestRecord.Status = .ok, cost: Double? = 0.001, premium: Double? = 0.01,
                 attempts: [RequestRecord.Attempt] = []) -> RequestRecord {
        RequestRecord(id: id, at: Self.now - daysAgo * Self.day, task: task, model: model, status: status,
                      httpStatus: status == .ok ? 200 : 502, stream: false,
                      attempts: attempts.isEmpty ? [.init(model: model, outcome: status == .ok ? "ok" : "timeout", latencyMs: 100)] : attempts,
                      threshold: task == nil ? nil : 0.8, costUSD: cost, premiumModel: premium == nil ? nil : "acme/premium",
                      premiumCostUSD: premium)
    }

    /// Count, priced count, spend and all-premium of the answered rows, by day, computed from the rows.
    func rowSums(_ fixture: TemporaryStore) throws -> [String] {
        let statement = try Database(path: fixture.path, create: false).statement("""
            SELECT CAST(at / 86400 AS INTEGER) || ' ' || coalesce(task, '') || ' ' || count(*) || ' ' || count(cost_usd) || ' '
                   || printf('%.12f', total(cost_usd)) || ' '
                   || printf('%.12f', total(CASE WHEN cost_usd IS NOT NULL THEN coalesce(premium_cost_usd, cost_usd) END))
            FROM gateway_requests WHERE status = 'ok' GROUP BY CAST(at / 86400 AS INTEGER), task ORDER BY 1
            """)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.string(0)) }
        return rows
    }

    func dailySums(_ fixture: TemporaryStore) throws -> [String] {
        let statement = try Database(path: fixture.path, create: false).statement("""
            SELECT day || ' ' || task || ' ' || requests || ' ' || priced_requests || ' ' || printf('%.12f', spend_usd) || ' '
                   || printf('%.12f', premium_usd)
            FROM gateway_daily WHERE requests > 0 ORDER BY 1
            """)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.string(0)) }
        return rows
    }

    @Test("The per-day sums equal the requests' rows after inserts, replacements, updates and deletes")
    func dailySumsFollowTheRows() throws {
        let fixture = try makeFixture()
        try fixture.store.recordRequests([
            request("a", daysAgo: 0), request("b", daysAgo: 0, cost: 0.002, premium: 0.03), request("c", daysAgo: 1, cost: nil, premium: nil),
            request("d", daysAgo: 1, task: nil, cost: 0.004, premium: nil), request("e", daysAgo: 2, status: .failed, cost: nil, premium: nil),
            request("f", daysAgo: 40, task: "code", model: "acme/premium", cost: 0.05, premium: 0.05),
        ])
        #expect(try dailySums(fixture) == rowSums(fixture))
        // The recorder writes a batch again after a failure: a replaced row counts once, where it now is.
        try fixture.store.recordRequests([request("a", daysAgo: 3, task: "code", cost: 0.007, premium: 0.07),
                                          request("e", daysAgo: 2, cost: 0.003, premium: 0.02),
                                          request("b", daysAgo: 0, status: .failed, cost: nil, premium: nil)])
        #expect(try dailySums(fixture) == rowSums(fixture))
        // Other programs may change the rows too.
        try fixture.rawSQL("UPDATE gateway_requests SET cost_usd = 0.009, at = at - 86400 WHERE id = 'd'")
        try fixture.rawSQL("UPDATE gateway_requests SET status = 'failed' WHERE id = 'f'")
        try fixture.rawSQL("DELETE FROM gateway_requests WHERE id = 'e'")
        #expect(try dailySums(fixture) == rowSums(fixture))
        #expect(try rowSums(fixture).count == 3)
    }

    @Test("Spend per day, the savings so far and the task lines are the store's figures")
    func figures() throws {
        let fixture = try makeFixture()
        try fixture.store.recordRequests([
            request("today-1", daysAgo: 0, cost: 0.001, premium: 0.01),
            request("today-2", daysAgo: 0.1, task: "code", model: "acme/premium", cost: 0.02, premium: 0.02),
            request("yesterday", daysAgo: 1, cost: 0.003, premium: 0.04),
            request("no-usage", daysAgo: 1, cost: nil, premium: nil),
            request("named", daysAgo: 5, task: nil, model: "acme/premium", cost: 0.5, premium: 0.5),
            request("failed", daysAgo: 5, status: .failed, cost: nil, premium: nil),
            request("long-ago", daysAgo: 45, cost: 0.25, premium: 2.5),
        ])
        let dashboard = try fixture.store.dashboard(now: Self.now, days: 30, latest: 5)

        #expect(dashboard.days.count == 30)
        #expect(dashboard.days.last?.day == 20_429 && dashboard.days.first?.day == 20_400)
        let today = try #require(dashboard.days.last?.spend)
        #expect(today.requests == 2 && today.pricedRequests == 2)
        #expect(abs(today.spendUSD - 0.021) < 1e-12 && abs(today.allPremiumUSD - 0.03) < 1e-12)
        let yesterday = dashboard.days[28].spend
        #expect(yesterday.requests == 2 && yesterday.pricedRequests == 1 && abs(yesterday.spendUSD - 0.003) < 1e-12)
        #expect(dashboard.days[24].spend.requests == 1, "the failed request is not answered; the named one is")
        #expect(dashboard.days.map(\.spend.requests).reduce(0, +) == 5, "45 days ago is outside the chart")

        // Savings so far: every answered request, the chart's days and before.
        #expect(dashboard.total.requests == 6 && dashboard.total.pricedRequests == 5)
        #expect(abs(dashboard.total.spendUSD - 0.774) < 1e-12)
        #expect(abs(dashboard.total.allPremiumUSD - 3.07) < 1e-12)
        #expect(abs(dashboard.total.savingUSD - 2.296) < 1e-12)
        #expect(dashboard.namedModels.requests == 1 && abs(dashboard.namedModels.spendUSD - 0.5) < 1e-12)
        // The routed part agrees with `costwise report savings`, which leaves named models out.
        let report = try fixture.store.savingsReport()
        #expect(abs(report.total.spendUSD - (dashboard.total.spendUSD - dashboard.namedModels.spendUSD)) < 1e-12)
        #expect(abs(report.total.allPremiumUSD - (dashboard.total.allPremiumUSD - dashboard.namedModels.allPremiumUSD)) < 1e-12)

        #expect(dashboard.tasks.map(\.task) == ["code", "summarization"])
        let code = dashboard.tasks[0]
        #expect(code.threshold == Review.fallbackThreshold && code.thresholdIsDefault)
        #expect(code.chosen?.model == "acme/premium" && code.chosen?.quality.results == 20)
        #expect(code.spend.requests == 1 && abs(code.spend.spendUSD - 0.02) < 1e-12)
        let summarization = dashboard.tasks[1]
        #expect(summarization.threshold == 0.8 && !summarization.thresholdIsDefault)
        #expect(summarization.chosen?.model == "acme/cheap")
        #expect(summarization.chosen.map { abs($0.quality.mean - 0.9) < 1e-12 } == true)
        #expect(summarization.spend.requests == 4 && summarization.spend.pricedRequests == 3)

        #expect(dashboard.latest.map(\.id) == ["today-1", "today-2", "yesterday", "no-usage", "named"])
        #expect(dashboard.review.map(\.task) == ["code", "summarization"])
        #expect(dashboard.keys.isEmpty)
    }

    @Test("A threshold no model clears leaves the task line without a model, saying why")
    func noModel() throws {
        let fixture = try makeFixture()
        let dashboard = try fixture.store.dashboard(now: Self.now, defaultMinQuality: 0.99)
        let code = try #require(dashboard.tasks.first { $0.task == "code" })
        #expect(code.chosen == nil && code.threshold == 0.99)
        #expect(code.failureReason?.contains("acme/premium") == true, "\(code.failureReason ?? "nil")")
        #expect(try #require(dashboard.tasks.first { $0.task == "summarization" }).chosen?.model == "acme/cheap", "its own threshold holds")
    }

    @Test("A store with requests from before the per-day sums gets them summed when it is migrated")
    func migrationSumsExistingRequests() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("old.sqlite").path
        let before = try #require(Schema.migrations.firstIndex { $0.contains("CREATE TABLE gateway_daily") })
        do {
            let database = try Database(path: path, create: true)
            for migration in Schema.migrations.prefix(before) { try database.execute(migration) }
            try database.execute("""
                PRAGMA user_version = \(before); PRAGMA application_id = \(Schema.applicationID);
                INSERT INTO gateway_requests (id, at, task, model, status, http_status, stream, attempt_count, attempts, cost_usd, premium_cost_usd)
                VALUES ('x', \(Self.now), 'summarization', 'acme/cheap', 'ok', 200, 0, 1, '', 0.25, 1.0),
                       ('y', \(Self.now), 'summarization', 'acme/cheap', 'ok', 200, 0, 1, '', 0.5, NULL),
                       ('z', \(Self.now), NULL, 'acme/cheap', 'failed', 502, 0, 1, '', NULL, NULL);
                """)
        }
        let store = try SQLiteStore(path: path)
        let dashboard = try store.dashboard(now: Self.now)
        #expect(dashboard.total == Dashboard.Spend(requests: 2, pricedRequests: 2, spendUSD: 0.75, allPremiumUSD: 1.5))
        #expect(dashboard.days.last?.spend == dashboard.total)
    }

    @Test("Each request's reason says how it was routed and how it ended")
    func reasons() {
        #expect(request("a", daysAgo: 0).reason == "cheapest to clear 0.8 for summarization")
        #expect(request("b", daysAgo: 0, task: nil).reason == "named in the request")
        let fellBack = request("c", daysAgo: 0, model: "acme/premium", attempts: [
            .init(model: "acme/cheap", outcome: "timeout", latencyMs: 5_000), .init(model: "acme/premium", outcome: "ok", latencyMs: 90)])
        #expect(fellBack.reason == "cheapest to clear 0.8 for summarization; after acme/cheap: timeout")
        #expect(request("d", daysAgo: 0, status: .failed).reason == "cheapest to clear 0.8 for summarization; failed after acme/cheap: timeout")
        var noModel = request("e", daysAgo: 0, status: .noModel)
        noModel.attempts = []
        #expect(noModel.reason == "no model clears 0.8 for summarization")
    }
}
