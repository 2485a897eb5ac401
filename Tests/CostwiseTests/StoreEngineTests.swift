import Foundation
import Testing
@testable import Costwise

/// The store's guarantees, on SQLite and on PostgreSQL alike: each test runs once per engine, and
/// the PostgreSQL case gets a database of its own (see ``TemporaryPostgresDatabase``).
struct StoreEngineTests {
    /// Two models and a task type, with results for both.
    func measured(_ engine: StoreEngine) throws -> TemporaryStore {
        let fixture = try TemporaryStore(engine: engine)
        try fixture.model("a/cheap", input: 0.15, output: 0.6)
        try fixture.model("a/better", input: 2.5, output: 10)
        try fixture.task("classification")
        try fixture.results("a/cheap", "classification", passes: 17, of: 20, latencyMs: 120, inputTokens: 800, outputTokens: 40)
        try fixture.results("a/better", "classification", passes: 39, of: 40, latencyMs: 300, inputTokens: 900, outputTokens: 60)
        return fixture
    }

    func keyed(_ model: String, item: String, score: Double, run: String = "r1") -> EvaluationResult {
        EvaluationResult(model: model, task: "classification", score: score, run: run, item: item)
    }

    @Test("Results are unique on (model, task, run, item): importing a run again replaces it and counts it once",
          arguments: StoreEngine.allCases)
    func resultsReplaced(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        let first = try fixture.store.recordResults((0..<10).map { keyed("a/cheap", item: "i\($0)", score: 0) }, lines: nil, file: nil)
        #expect(first.inserted == 10 && first.replaced == 0)
        let again = try fixture.store.recordResults((0..<10).map { keyed("a/cheap", item: "i\($0)", score: 1) }, lines: nil, file: nil)
        #expect(again.inserted == 0 && again.replaced == 10)
        let quality = try #require(try fixture.store.snapshot().routes["classification"]?.candidates.first { $0.model.id == "a/cheap" })
        #expect(quality.quality.samples == 30)
        #expect(quality.quality.mean == 27.0 / 30.0)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 70)
    }

    @Test("A batch with an unknown model leaves the store exactly as it was", arguments: StoreEngine.allCases)
    func atomicImport(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        let before = try fixture.store.snapshot()
        let bad = [keyed("a/cheap", item: "x1", score: 1), keyed("a/typo", item: "x2", score: 1)]
        let error = try #require(throws: InputError.self) { try fixture.store.recordResults(bad, lines: [1, 2], file: "run.jsonl") }
        #expect(error.line == 2 && error.field == "model")
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 60)
        #expect(try fixture.store.snapshot().routes["classification"]?.candidates.map(\.quality.samples)
                == before.routes["classification"]?.candidates.map(\.quality.samples))
    }

    @Test("Statistics are written in the transaction of their rows and agree with them", arguments: StoreEngine.allCases)
    func statisticsWithRows(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        #expect(try fixture.rawInteger("SELECT samples FROM model_task_stats s JOIN models m ON m.id = s.model_id WHERE m.name = 'a/better'") == 40)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results r JOIN models m ON m.id = r.model_id WHERE m.name = 'a/better'") == 40)
        let selection = try fixture.select(SelectionRequest(task: "classification", minQuality: 0.9))
        #expect(selection.chosen?.model == "a/better")
        #expect(try fixture.select(SelectionRequest(task: "classification", minQuality: 0.8)).chosen?.model == "a/cheap")
    }

    @Test("Both engines give the same answers for the same data", arguments: [0.5, 0.8, 0.9, 0.99])
    func sameAnswers(threshold: Double) throws {
        let sqlite = try measured(.sqlite)
        let postgres = try measured(.postgres)
        for confidence in [nil, 0.95] as [Double?] {
            let request = SelectionRequest(task: "classification", minQuality: threshold, confidence: confidence, explain: true)
            let a = try sqlite.store.snapshot().select(request)
            let b = try postgres.store.snapshot().select(request)
            #expect(a.chosen?.model == b.chosen?.model && a.chosen?.estimatedCostUSD == b.chosen?.estimatedCostUSD)
            #expect(a.candidates.map(\.quality) == b.candidates.map(\.quality))
            // A one-off selection reads the stored frontiers; they must agree too.
            #expect(try sqlite.store.snapshot(answering: request).select(request).chosen?.model
                    == postgres.store.snapshot(answering: request).select(request).chosen?.model)
        }
    }

    @Test("A batch larger than one INSERT, with repeated keys, stores the same rows and statistics on both engines")
    func largeBatchSameOnBothEngines() throws {
        var stored: [[[SQLValue]]] = []
        for engine in StoreEngine.allCases {
            let fixture = try TemporaryStore(engine: engine)
            try fixture.task("reasoning")
            for model in ["acme/new", "acme/stored"] { try fixture.model(model, input: 1, output: 2) }
            // A stored pair, with a result the batch replaces and one it leaves.
            try fixture.store.recordResults([EvaluationResult(model: "acme/stored", task: "reasoning", score: 0.5, run: "r", item: "a", recordedAt: 1),
                                             EvaluationResult(model: "acme/stored", task: "reasoning", score: 0.25, run: "old", item: "1", recordedAt: 1)],
                                            lines: nil, file: nil)
            var random = SelectionReferenceTests.SeededGenerator(state: 5)
            // Items with the bytes a text format must escape, repeated so that later results replace earlier ones.
            let items = ["", "a", "é", "tab\there", "new\nline", "back\\slash", "cr\rx", "quote'\"", "\\N"] + (0..<900).map { "item\($0)" }
            let batch = (0..<5_000).map { index in
                EvaluationResult(
                    model: index % 3 == 0 ? "acme/stored" : "acme/new", task: "reasoning",
                    score: Double.random(in: 0...1, using: &random),
                    run: index % 11 == 0 ? nil : ["r", "", "r\t2"].randomElement(using: &random),
                    item: index % 11 == 0 ? nil : items.randomElement(using: &random),
                    costUSD: Bool.random(using: &random) ? Double.random(in: 0...0.01, using: &random) : nil,
                    latencyMs: [nil, .nan, Double.random(in: 0...9_000, using: &random)][Int.random(in: 0...2, using: &random)],
                    inputTokens: Bool.random(using: &random) ? Int.random(in: 1...5_000, using: &random) : nil,
                    outputTokens: Bool.random(using: &random) ? Int.random(in: 1...5_000, using: &random) : nil,
                    recordedAt: 1_800_000_000 + Double.random(in: 0...1, using: &random))
            }
            let report = try fixture.store.recordResults(batch, lines: nil, file: nil)
            let count = try #require(try fixture.rawInteger("SELECT count(*) FROM results"))
            #expect(report.inserted == count - 2 && report.inserted + report.replaced == batch.count && report.pairs == 2)
            stored.append(try fixture.rawRows("""
                SELECT m.name, r.run, r.item, r.score, r.cost_usd, r.latency_ms, r.input_tokens, r.output_tokens, r.recorded_at
                FROM results r JOIN models m ON m.id = r.model_id ORDER BY m.name, r.run, r.item
                """, columns: 9))
            stored.append(try fixture.rawRows("""
                SELECT m.name, s.samples, s.score_sum, s.input_tokens_sum, s.input_tokens_samples, s.output_tokens_sum,
                       s.output_tokens_samples, s.latency_p95_ms, s.latency_samples
                FROM model_task_stats s JOIN models m ON m.id = s.model_id ORDER BY m.name
                """, columns: 9))
        }
        #expect(stored[0].count > 2_000 && stored[1].count == 2)
        for (sqlite, postgres) in [(stored[0], stored[2]), (stored[1], stored[3])] {
            #expect(sqlite.count == postgres.count)
            // The first row that differs, rather than thousands of rows.
            let difference = zip(sqlite, postgres).first { $0 != $1 }
            #expect(difference == nil, "SQLite \(difference?.0 ?? []), PostgreSQL \(difference?.1 ?? [])")
        }
    }

    @Test("A write through another connection is seen by refresh", arguments: StoreEngine.allCases)
    func otherWritersSeen(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        _ = try fixture.store.snapshot()
        #expect(try fixture.store.refresh() == false)
        let other = try fixture.openAgain()
        try other.setModel(ModelUpdate(id: "a/cheap", inputUSDPerMTok: 0.1), source: "cut")
        #expect(try fixture.store.refresh() == true)
        #expect(try fixture.store.snapshot().models.first { $0.id == "a/cheap" }?.price.inputUSDPerMTok == 0.1)
        // The store's own writes are not news to it.
        try fixture.store.setModel(ModelUpdate(id: "a/cheap", inputUSDPerMTok: 0.12), source: "again")
        #expect(try fixture.store.refresh() == false)
    }

    @Test("On PostgreSQL a budget reservation is no news to other connections; a revoked key is")
    func reservationsAreNotAnnounced() throws {
        let fixture = try measured(.postgres)
        let key = try fixture.store.createKey(KeySpec(name: "team", budgetUSD: 1), token: .generate(), at: 1_000)
        let other = try fixture.openAgain()
        _ = try other.snapshot()
        #expect(try other.refresh() == false)
        let held = try fixture.store.reserve(keyID: key.id, requestID: "r1", model: "a/cheap", amount: Picodollars(usd: 0.25),
                                             inputTokensBound: 10, outputTokensBound: 10, at: 1_001, lifetime: 600).get()
        try fixture.store.settle(held, charged: Picodollars(usd: 0.1), inputTokens: 10, outputTokens: 5, overrun: false, at: 1_002)
        #expect(try other.refresh() == false)
        #expect(try other.keyUsage(at: 1_003).first?.spent == Picodollars(usd: 0.1), "the spend is stored all the same")
        _ = try fixture.store.revokeKey(named: "team", at: 1_004)
        #expect(try other.refresh() == true)
    }

    @Test("Gateway request records are kept and replaced by id", arguments: StoreEngine.allCases)
    func requestRecords(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        func record(_ id: String, cost: Double) -> RequestRecord {
            RequestRecord(id: id, at: 1_000, task: "classification", model: "a/cheap", status: .ok, httpStatus: 200, stream: false,
                          attempts: [.init(model: "a/cheap", outcome: "ok", latencyMs: 12.5)], inputTokens: 10, outputTokens: 5, costUSD: cost)
        }
        try fixture.store.recordRequests([record("q1", cost: 0.001), record("q2", cost: 0.002)])
        try fixture.store.recordRequests([record("q1", cost: 0.003)])
        let stored = try fixture.store.requests()
        #expect(stored.map(\.id) == ["q1", "q2"] && stored.map(\.costUSD) == [0.003, 0.002])
        #expect(try fixture.store.requests(task: "classification", limit: 1).count == 1)
        #expect(try fixture.store.request(id: "q1")?.attempts.first?.latencyMs == 12.5)
        #expect(try fixture.rawInteger("SELECT requests FROM gateway_daily") == 2)
    }

    @Test("A batch of request records larger than one statement, with an id written twice, keeps the last of each id",
          arguments: StoreEngine.allCases)
    func requestRecordBatch(engine: StoreEngine) throws {
        let fixture = try measured(engine)
        func record(_ number: Int, cost: Double, status: RequestRecord.Status = .ok) -> RequestRecord {
            RequestRecord(id: "q\(number)", at: 1_000 + Double(number), task: "classification", model: "a/cheap", status: status,
                          httpStatus: status == .ok ? 200 : 502, stream: false, attempts: [], inputTokens: 10, outputTokens: number,
                          costUSD: cost)
        }
        try fixture.store.recordRequests([record(7, cost: 1)])
        // 450 records: q0…q449, then q7 again (failed) and q3 again; the batch replaces the stored q7 too.
        let batch = (0..<450).map { record($0, cost: 0.001) } + [record(7, cost: 0.5, status: .failed), record(3, cost: 0.25)]
        try fixture.store.recordRequests(batch)
        let stored = try fixture.store.requests(limit: 1_000)
        #expect(stored.count == 450)
        #expect(stored.first { $0.id == "q7" }?.status == .failed && stored.first { $0.id == "q7" }?.costUSD == 0.5)
        #expect(stored.first { $0.id == "q3" }?.costUSD == 0.25)
        // Answered requests only: q7 failed in the end.
        let answeredPerDay = try fixture.rawInteger("SELECT sum(requests) FROM gateway_daily")
        #expect(answeredPerDay == 449)
        // The pair's measured output tokens: its 20 results' 40 each, and its 449 answered requests (q7 failed now).
        let answered = (0..<450).filter { $0 != 7 }
        let mean = Double(20 * 40 + answered.reduce(0, +)) / Double(20 + answered.count)
        let cheap = try fixture.store.snapshot().routes["classification"]?.candidates.first { $0.model.id == "a/cheap" }
        #expect(abs((cheap?.measuredOutputTokens ?? 0) - mean) < 1e-9, "\(cheap?.measuredOutputTokens ?? 0) against \(mean)")
    }

    @Test("A new store is seeded with the bundled catalog, once", arguments: StoreEngine.allCases)
    func seeded(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog, engine: engine)
        let models = try fixture.store.models().count
        #expect(models == (try BundledCatalog.models()).count)
        #expect(try fixture.openAgain(seed: .bundledCatalog).models().count == models)
        #expect(try fixture.rawInteger("SELECT count(*) FROM price_history") == models)
    }

    @Test("A PostgreSQL store of a newer schema is refused with the error SQLite's gets")
    func newerSchemaRefused() throws {
        let fixture = try TemporaryStore(engine: .postgres)
        try fixture.rawSQL("UPDATE costwise_meta SET value = \(Schema.version + 1) WHERE key = 'version'")
        let error = try #require(throws: StoreOpenError.self) { try fixture.openAgain() }
        #expect(error.reason == .newerSchema(found: Schema.version + 1, supported: Schema.version))
        #expect(!error.description.contains("password"))
    }

    @Test("On PostgreSQL a result must refer to a stored model and task type, which then stay, as foreign keys would keep them")
    func resultReferencesChecked() throws {
        let fixture = try measured(.postgres)
        let insert = "INSERT INTO results (model_id, task_id, run, item, score, recorded_at)"
        let task = "(SELECT id FROM task_types WHERE name = 'classification')"
        let model = "(SELECT id FROM models WHERE name = 'a/cheap')"
        let refused: [String] = [
            "\(insert) VALUES (999999, \(task), 'r', 'x', 1, 0)",
            "\(insert) SELECT \(model), 999999, 'r', 'x', 1, 0",
            "UPDATE results SET model_id = 999999 WHERE item = (SELECT min(item) FROM results)",
            // The other rows that refer to them go first, so that only the results keep them.
            "BEGIN; DELETE FROM price_history WHERE model_id = \(model); DELETE FROM model_task_stats WHERE model_id = \(model); DELETE FROM models WHERE name = 'a/cheap'",
            "BEGIN; DELETE FROM model_task_stats WHERE task_id = \(task); UPDATE task_types SET id = 999999 WHERE name = 'classification'",
        ]
        for sql in refused {
            let error = try #require(throws: RemoteSQLError.self, "\(sql)") { try fixture.rawSQL(sql) }
            #expect(error.sqlState == "23503", "\(sql): \(error)")
        }
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 60)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results WHERE model_id = \(model) AND task_id = \(task)") == 20)
        try fixture.rawSQL("\(insert) SELECT \(model), \(task), 'r', 'x', 1, 0")
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 61)
    }

    @Test("A store copied to the other engine and back holds the same rows and answers the same", arguments: StoreEngine.allCases)
    func copyBetweenEngines(engine: StoreEngine) throws {
        let source = try measured(engine)
        try source.store.recordRequests([RequestRecord(id: "q1", at: 1_000, task: "classification", model: "a/cheap", status: .ok,
                                                       httpStatus: 200, stream: false, costUSD: 0.001)])
        try source.store.createKey(KeySpec(name: "team", budgetUSD: 1), token: .generate(), at: 1_000)
        let other = try TemporaryStore(engine: engine == .sqlite ? .postgres : .sqlite)
        let report = try StoreCopy.copy(from: source.store, to: other.store)
        #expect(report.rows.first { $0.table == "results" }?.count == 60)
        let back = try TemporaryStore(engine: engine)
        try StoreCopy.copy(from: other.store, to: back.store)
        let request = SelectionRequest(task: "classification", minQuality: 0.8, explain: true)
        for copy in [other, back] {
            #expect(try copy.store.snapshot().select(request).candidates.map(\.quality)
                    == source.store.snapshot().select(request).candidates.map(\.quality))
            #expect(try copy.store.keys().map(\.name) == ["team"])
            #expect(try copy.rawInteger("SELECT requests FROM gateway_daily") == 1)
        }
        // A new key after the copy gets an id of its own.
        #expect(try back.store.createKey(KeySpec(name: "next"), token: .generate(), at: 2_000).id == 2)
        #expect(throws: InputError.self) { try StoreCopy.copy(from: source.store, to: other.store) }
    }
}
