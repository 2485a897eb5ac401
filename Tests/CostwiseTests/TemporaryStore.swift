import Foundation
import Testing
@testable import Costwise
import CostwisePostgres

/// A store in a fresh temporary folder (or, on PostgreSQL, a fresh database), removed when the test ends.
final class TemporaryStore {
    let folder: TemporaryFolder
    let path: String
    let engine: StoreEngine
    let store: SQLiteStore
    private let postgres: TemporaryPostgresDatabase?

    init(seed: SQLiteStore.Seed = .empty, engine: StoreEngine = .sqlite) throws {
        folder = try TemporaryFolder()
        self.engine = engine
        switch engine {
        case .sqlite:
            path = folder.url.appendingPathComponent("store.sqlite").path
            postgres = nil
            store = try SQLiteStore(path: path, seed: seed)
        case .postgres:
            let database = try TemporaryPostgresDatabase()
            postgres = database
            path = database.url.description
            store = try SQLiteStore(remote: try PostgresSQLConnection(url: database.url), seed: seed)
        }
    }

    /// The same store opened on a connection of its own, as another process would.
    func openAgain(seed: SQLiteStore.Seed = .empty) throws -> SQLiteStore {
        if let postgres { return try SQLiteStore(remote: try PostgresSQLConnection(url: postgres.url), seed: seed) }
        return try SQLiteStore(path: path, seed: seed)
    }

    /// A second connection to the store's database, for raw SQL.
    private func rawDatabase() throws -> Database {
        if let postgres { return Database(remote: try PostgresSQLConnection(url: postgres.url)) }
        return try Database(path: path, create: false)
    }

    /// Adds a model with the given prices per million tokens.
    @discardableResult
    func model(_ id: String, input: Double, output: Double, request: Double? = nil, contextWindow: Int? = nil,
               tier: Int? = nil) throws -> Model {
        try store.setModel(ModelUpdate(id: id, inputUSDPerMTok: input, outputUSDPerMTok: output, requestUSD: request,
                                       contextWindow: contextWindow, tier: tier), source: "test")
    }

    @discardableResult
    func task(_ name: String, tier: Int = 1, input: Int = 1_000, output: Int = 1_000) throws -> TaskType {
        try store.setTaskType(TaskTypeUpdate(name: name, tier: tier, inputTokens: input, outputTokens: output))
    }

    /// Records `passes` results of score 1 and `count - passes` of score 0.
    func results(_ model: String, _ task: String, passes: Int, of count: Int, latencyMs: Double? = nil,
                 inputTokens: Int? = nil, outputTokens: Int? = nil) throws {
        let results = (0..<count).map { index in
            EvaluationResult(model: model, task: task, score: index < passes ? 1 : 0, latencyMs: latencyMs,
                             inputTokens: inputTokens, outputTokens: outputTokens)
        }
        try store.recordResults(results, lines: nil, file: nil)
    }

    func select(_ request: SelectionRequest) throws -> Selection {
        try store.snapshot().select(request)
    }

    /// Runs raw SQL on a second connection, as another program would.
    func rawSQL(_ sql: String) throws {
        try rawDatabase().execute(sql)
    }

    /// The first column of the first row of `sql` as text, read on a second connection.
    func rawText(_ sql: String) throws -> String? {
        let statement = try rawDatabase().statement(sql)
        return try statement.step() ? statement.optionalString(0) : nil
    }

    /// The first column of the first row of `sql`, read on a second connection.
    func rawInteger(_ sql: String) throws -> Int? {
        try rawDatabase().integer(sql)
    }

    /// Every row of `sql`, each column as the value it holds, read on a second connection.
    func rawRows(_ sql: String, columns: Int32) throws -> [[SQLValue]] {
        let statement = try rawDatabase().statement(sql)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append((0..<columns).map(statement.value)) }
        return rows
    }
}

/// An empty temporary folder, removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("costwise-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The folder of checked-in fixtures.
let fixturesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The SQL engines a store runs on; store tests take it as their argument, to run on both.
enum StoreEngine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A database of its own on the PostgreSQL server that `COSTWISE_TEST_POSTGRES` names (a URL to a
/// database a user who may create databases can reach), dropped when the test ends. Without that
/// variable a test on PostgreSQL is skipped, saying why; in CI (`CI` set) it fails instead, so that
/// a missing server is never mistaken for a passing suite.
final class TemporaryPostgresDatabase {
    let url: PostgresURL
    private let admin: PostgresSQLConnection

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let adminURL = environment["COSTWISE_TEST_POSTGRES"], !adminURL.isEmpty else {
            let reason = "no PostgreSQL server: set COSTWISE_TEST_POSTGRES to an admin URL (scripts/postgres-test-cluster.sh start DIR prints one)"
            if environment["CI"] != nil { throw MissingServer(description: reason) }
            try Test.cancel(Comment(rawValue: reason))
        }
        admin = try PostgresSQLConnection(url: try PostgresURL(adminURL))
        var url = admin.url
        url.database = "costwise_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try admin.execute(script: "CREATE DATABASE \(url.database)")
        self.url = url
    }

    deinit { try? admin.execute(script: "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)") }

    struct MissingServer: Error, CustomStringConvertible {
        var description: String
    }
}
