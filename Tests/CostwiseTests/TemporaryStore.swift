import Foundation
@testable import Costwise

/// A store in a fresh temporary folder, removed when the test ends.
final class TemporaryStore {
    let folder: TemporaryFolder
    let path: String
    let store: SQLiteStore

    init(seed: SQLiteStore.Seed = .empty) throws {
        folder = try TemporaryFolder()
        path = folder.url.appendingPathComponent("store.sqlite").path
        store = try SQLiteStore(path: path, seed: seed)
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
        let database = try Database(path: path, create: false)
        try database.execute(sql)
    }

    /// The first column of the first row of `sql` as text, read on a second connection.
    func rawText(_ sql: String) throws -> String? {
        let statement = try Database(path: path, create: false).statement(sql)
        return try statement.step() ? statement.optionalString(0) : nil
    }

    /// The first column of the first row of `sql`, read on a second connection.
    func rawInteger(_ sql: String) throws -> Int? {
        try Database(path: path, create: false).integer(sql)
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
