import Foundation
import Testing
@testable import Costwise

struct StoreTests {
    @Test("A new store gets the current schema version and owner-only permissions")
    func newStore() throws {
        let fixture = try TemporaryStore()
        #expect(try fixture.rawInteger("PRAGMA user_version") == Schema.version)
        #expect(try fixture.rawInteger("PRAGMA application_id") == Int(Schema.applicationID))
        #expect(try fixture.rawInteger("SELECT count(*) FROM models") == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try fixture.rawText("PRAGMA journal_mode") == "wal")
    }

    @Test("Opening a store again keeps what it holds and does not seed it twice")
    func reopen() throws {
        let fixture = try TemporaryStore(seed: .bundledCatalog)
        let models = try fixture.store.models().count
        let reopened = try SQLiteStore(path: fixture.path)
        #expect(try reopened.models().count == models)
        #expect(try fixture.rawInteger("SELECT count(*) FROM price_history") == models)
    }

    @Test("A store written by a newer schema is refused with a clear error")
    func newerSchemaRefused() throws {
        let fixture = try TemporaryStore()
        try fixture.rawSQL("PRAGMA user_version = \(Schema.version + 1)")
        let error = try #require(throws: StoreOpenError.self) { try SQLiteStore(path: fixture.path) }
        #expect(error.reason == .newerSchema(found: Schema.version + 1, supported: Schema.version))
        #expect(error.description.contains("newer than this costwise supports"))
    }

    @Test("An older store is migrated forward on open")
    func olderStoreMigrated() throws {
        // A store at version 0 holding nothing but Costwise's application id: every migration runs.
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("old.sqlite").path
        try Database(path: path, create: true).execute("PRAGMA application_id = \(Schema.applicationID)")
        let store = try SQLiteStore(path: path)
        #expect(try store.taskTypes().isEmpty) // an existing file is never seeded
        #expect(try Database(path: path, create: false).integer("PRAGMA user_version") == Schema.version)
        try store.setTaskType(TaskTypeUpdate(name: "t"))
        #expect(try store.taskTypes().map(\.name) == ["t"])
    }

    @Test("A version-1 store keeps its models and history through the migration to the current schema")
    func versionOneMigrated() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("v1.sqlite").path
        let old = try Database(path: path, create: true)
        try old.execute(Schema.migrations[0])
        try old.execute("""
            PRAGMA user_version = 1; PRAGMA application_id = \(Schema.applicationID);
            INSERT INTO models (name, provider, input_usd_per_mtok, output_usd_per_mtok) VALUES ('a/m', 'a', 0.15, 0.6);
            INSERT INTO price_history (model_id, input_usd_per_mtok, output_usd_per_mtok, source, effective_at)
                VALUES (1, 0.15, 0.6, 'models set', 1700000000);
            """)
        let store = try SQLiteStore(path: path)
        #expect(try old.integer("PRAGMA user_version") == Schema.version)
        #expect(try store.models().map(\.id) == ["a/m"])
        let history = try store.priceHistory(model: "a/m")
        #expect(history.map(\.source.description) == ["models set"] && history.first?.source.sha256 == nil)
        try store.setAlias("m", model: "a/m") // a table migration 2 added
        #expect(try store.aliases().map(\.alias) == ["m"])
    }

    @Test("A store whose folder cannot be made is a one-line error naming the store and the folder")
    func folderCannotBeCreated() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("not-a-folder").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let path = file + "/data/costwise.sqlite"
        let error = try #require(throws: StoreOpenError.self) { try SQLiteStore(path: path) }
        #expect(error.reason == .cannotCreate("its folder \(file)/data cannot be created"))
        #expect(error.description == "\(path): cannot create the store: its folder \(file)/data cannot be created")
    }

    @Test("Another application's SQLite file is not taken for a store")
    func foreignDatabaseRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("other.sqlite").path
        try Database(path: path, create: true).execute("CREATE TABLE notes (body TEXT)")
        let error = try #require(throws: StoreOpenError.self) { try SQLiteStore(path: path) }
        #expect(error.reason == .notACostwiseStore)
    }

    @Test("A file that is not SQLite at all fails with a clear error, not a crash")
    func garbageFileRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StoreOpenError.self) { try SQLiteStore(path: path) }
        guard case .unreadable = error.reason else { Issue.record("expected unreadable, got \(error.reason)"); return }
        #expect(error.description.hasPrefix(path))
    }

    @Test("The default path follows COSTWISE_DB, then XDG_DATA_HOME, then HOME")
    func defaultPath() {
        #expect(SQLiteStore.defaultPath(environment: ["COSTWISE_DB": "/x/s.sqlite", "XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/x/s.sqlite")
        #expect(SQLiteStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/costwise/costwise.sqlite")
        #expect(SQLiteStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/costwise/costwise.sqlite")
    }

    @Test("models set keeps every price in the history, with its source", arguments: StoreEngine.allCases)
    func priceHistory(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(engine: engine)
        try fixture.model("a/m", input: 1, output: 2)
        try fixture.store.setModel(ModelUpdate(id: "a/m", contextWindow: 8_000), source: "window only")
        try fixture.store.setModel(ModelUpdate(id: "a/m", inputUSDPerMTok: 0.5), source: "price cut")
        let history = try fixture.store.priceHistory(model: "a/m")
        #expect(history.map(\.price) == [Price(inputUSDPerMTok: 1, outputUSDPerMTok: 2), Price(inputUSDPerMTok: 0.5, outputUSDPerMTok: 2)])
        #expect(history.map(\.source.description) == ["test", "price cut"])
        #expect(try fixture.store.models().first?.contextWindow == 8_000)
        #expect(throws: InputError.self) { try fixture.store.setModel(ModelUpdate(id: "b/new", inputUSDPerMTok: 1), source: "x") }
    }

    @Test("tasks set creates a task type with defaults for what it does not give, and changes only what it gives")
    func taskTypes() throws {
        let fixture = try TemporaryStore()
        #expect(try fixture.store.setTaskType(TaskTypeUpdate(name: "triage")) ==
                TaskType(name: "triage", tier: TaskType.defaultTier, inputTokens: TaskType.defaultInputTokens, outputTokens: TaskType.defaultOutputTokens))
        try fixture.store.setTaskType(TaskTypeUpdate(name: "triage", outputTokens: 20))
        #expect(try fixture.store.taskTypes() == [TaskType(name: "triage", tier: 2, inputTokens: 1_000, outputTokens: 20)])
    }
}

extension StoreTests {
    @Test("An empty file (as mktemp makes) is a store yet to be created, and gets seeded")
    func emptyFileIsSeeded() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("empty.sqlite").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        #expect(!SQLiteStore.exists(at: path))
        let store = try SQLiteStore(path: path)
        #expect(try store.taskTypes().count == 12)
        #expect(SQLiteStore.exists(at: path))
    }
}

extension StoreTests {
    @Test("A store can live in memory only")
    func inMemoryStore() throws {
        let store = try SQLiteStore(path: SQLiteStore.inMemoryPath, seed: .empty)
        try store.setTaskType(TaskTypeUpdate(name: "t", minQuality: 0.8))
        try store.setModel(ModelUpdate(id: "a/m", inputUSDPerMTok: 1, outputUSDPerMTok: 1), source: "test")
        try store.record(EvaluationResult(model: "a/m", task: "t", score: 0.9))
        let snapshot = try store.snapshot()
        #expect(try snapshot.select(SelectionRequest(task: "t", minQuality: snapshot.defaultThreshold(for: "t"))).chosen?.model == "a/m")
        #expect(!FileManager.default.fileExists(atPath: SQLiteStore.inMemoryPath))
    }

    @Test("A task type's default threshold is used when a request names none, and its absence is explained")
    func defaultThreshold() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        #expect(throws: InputError.self) { try fixture.store.snapshot().defaultThreshold(for: "t") }
        #expect(throws: CatalogError.unknownTaskType("u")) { try fixture.store.snapshot().defaultThreshold(for: "u") }
        try fixture.store.setTaskType(TaskTypeUpdate(name: "t", minQuality: 0.85))
        try fixture.store.setTaskType(TaskTypeUpdate(name: "t", outputTokens: 5))
        #expect(try fixture.store.snapshot().defaultThreshold(for: "t") == 0.85)
    }
}
