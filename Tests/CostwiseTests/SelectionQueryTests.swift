import Testing
@testable import Costwise

/// ``SQLiteStore/select(_:)``: the threshold a query without one takes, routing by tier, and which
/// selections are logged with what premium cost.
struct SelectionQueryTests {
    /// Task type t (tier 1, 1,000 input and no output tokens): a/cheap (tier 1, 1 USD per million
    /// tokens, mean 0.7) and b/top (tier 3, 10 USD, mean 1).
    static func fixture() throws -> TemporaryStore {
        let fixture = try TemporaryStore()
        try fixture.task("t", tier: 1, input: 1_000, output: 0)
        try fixture.model("a/cheap", input: 1, output: 1, tier: 1)
        try fixture.model("b/top", input: 10, output: 10, tier: 3)
        try fixture.results("a/cheap", "t", passes: 7, of: 10)
        try fixture.results("b/top", "t", passes: 10, of: 10)
        return fixture
    }

    static func query(_ minQuality: Double?) -> SelectionQuery {
        SelectionQuery(request: SelectionRequest(task: "t", minQuality: minQuality ?? 0), usesDefaultThreshold: minQuality == nil)
    }

    @Test("A query without a threshold takes the task type's default, read from the store or from a snapshot")
    func defaultThreshold() throws {
        let fixture = try Self.fixture()
        #expect(throws: InputError.self) { try fixture.store.select(Self.query(nil)) }
        #expect(throws: InputError.self) { try Self.query(nil).request(in: fixture.store.snapshot()) }
        try fixture.store.setTaskType(TaskTypeUpdate(name: "t", minQuality: 0.9))
        #expect(try fixture.store.defaultThreshold(for: "t") == 0.9)
        let selection = try fixture.store.select(Self.query(nil))
        #expect(selection.request.minQuality == 0.9)
        #expect(selection.chosenModel == "b/top")
        #expect(try Self.query(nil).request(in: fixture.store.snapshot()).minQuality == 0.9)
        // A threshold of its own wins over the default.
        #expect(try fixture.store.select(Self.query(0.6)).chosenModel == "a/cheap")
    }

    @Test("An unknown task type is an error, whichever way the threshold is found")
    func unknownTaskType() throws {
        let fixture = try Self.fixture()
        var query = Self.query(nil)
        query.request.task = "nope"
        #expect(throws: CatalogError.unknownTaskType("nope")) { try fixture.store.select(query) }
        #expect(throws: CatalogError.unknownTaskType("nope")) { try fixture.store.defaultThreshold(for: "nope") }
        #expect(throws: CatalogError.unknownTaskType("nope")) { try query.request(in: fixture.store.snapshot()) }
    }

    @Test("Routing by tier needs no threshold: the cheapest model in the task type's tier, at threshold 0")
    func byTier() throws {
        let fixture = try Self.fixture()
        var query = Self.query(nil)
        query.byTier = true
        let selection = try fixture.store.select(query)
        #expect(selection.byTier)
        #expect(selection.chosenModel == "a/cheap")
        #expect(selection.request.minQuality == 0)
        query = Self.query(0.95)
        query.byTier = true
        #expect(try fixture.store.select(query).request.minQuality == 0)
    }

    @Test("A selection is logged with its premium alternative when the query or the store setting asks, and only then")
    func logging() throws {
        let fixture = try Self.fixture()
        _ = try fixture.store.select(Self.query(0.6))
        #expect(try fixture.store.savingsReport().total.requests == 0)

        var logged = Self.query(0.6)
        logged.log = true
        #expect(try fixture.store.select(logged).chosenModel == "a/cheap")
        var report = try fixture.store.savingsReport()
        #expect(report.total.requests == 1)
        // 1,000 input tokens: 0.001 USD on a/cheap, 0.01 on the cheapest top-tier model, b/top.
        #expect(abs(report.total.spendUSD - 0.001) < 1e-15)
        #expect(abs(report.total.allPremiumUSD - 0.01) < 1e-15)

        try fixture.store.setSetting(SQLiteStore.logSelectionsSetting, to: "true")
        _ = try fixture.store.select(Self.query(0.9))
        var withHalfLife = Self.query(0.6)
        withHalfLife.halfLifeDays = 30
        _ = try fixture.store.select(withHalfLife)
        report = try fixture.store.savingsReport()
        #expect(report.total.requests == 3)
        #expect(try fixture.store.decisionCounts(since: 0) == ["t": ["a/cheap": 2, "b/top": 1]])
    }

    @Test("A query as of a time answers with the evidence recorded by then, as the store's snapshot of then does")
    func asOf() throws {
        let fixture = try Self.fixture()
        var query = Self.query(0.6)
        query.asOf = 1_000
        let selection = try fixture.store.select(query)
        let expected = try fixture.store.snapshot(asOf: 1_000, halfLifeDays: nil).select(SelectionRequest(task: "t", minQuality: 0.6))
        #expect(selection.chosenModel == expected.chosenModel)
        #expect(selection.chosenModel == nil, "nothing was priced or measured in 1970")
    }
}
