import Foundation
import Testing
@testable import Costwise

/// The store under many connections at once, after a creation cut short, and on damaged files.
struct ReliabilityStoreTests {
    /// Runs `body(index)` on `count` threads let go at the same moment (threads, not tasks: the
    /// test must not depend on how many the cooperative pool runs), and returns what each threw.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
        let gate = DispatchGroup()
        gate.enter()
        let done = DispatchGroup()
        let failures = LockedList()
        for index in 0..<count {
            done.enter()
            Thread {
                gate.wait()
                do { try body(index) } catch { failures.append("\(index): \(error)") }
                done.leave()
            }.start()
        }
        gate.leave()
        done.wait()
        return failures.items
    }

    @Test("Many connections creating one store at once: each opens it, and it is seeded once")
    func concurrentCreation() throws {
        for trial in 0..<5 {
            let folder = try TemporaryFolder()
            let path = folder.url.appendingPathComponent("store-\(trial).sqlite").path
            let failures = Self.onThreads(12) { index in
                let store = try SQLiteStore(path: path)
                try store.record(EvaluationResult(model: "openai/gpt-4o-mini", task: "classification", score: 1,
                                                  run: "creation", item: "\(index)"))
            }
            #expect(failures.isEmpty, "trial \(trial): \(failures)")
            let database = try Database(path: path, create: false)
            let models = try #require(try database.integer("SELECT count(*) FROM models"))
            #expect(models == (try BundledCatalog.models()).count)
            #expect(try database.integer("SELECT count(*) FROM price_history") == models)
            #expect(try database.integer("SELECT count(*) FROM results") == 12)
        }
    }

    @Test("Opening waits for a process that holds a new store's write lock, where SQLite itself would not")
    func openWaitsForCreator() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("new.sqlite").path
        // A process creating the store holds its write lock while the file is not in WAL mode yet;
        // switching it to WAL then fails at once with SQLITE_BUSY, without the busy timeout.
        let creator = try Database(path: path, create: true)
        try creator.execute("BEGIN IMMEDIATE")
        let opened = DispatchSemaphore(value: 0)
        let failures = LockedList()
        Thread {
            do { _ = try SQLiteStore(path: path) } catch { failures.append("\(error)") }
            opened.signal()
        }.start()
        usleep(300_000)
        try creator.execute("COMMIT")
        opened.wait()
        #expect(failures.items.isEmpty, "\(failures.items)")
        #expect(try Database(path: path, create: false).integer("SELECT count(*) FROM models") == (try BundledCatalog.models()).count)
    }

    @Test("A store whose creation stopped after the switch to WAL is seeded when next opened")
    func creationCutShort() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("cut.sqlite").path
        // What a process killed between `PRAGMA journal_mode = WAL` and its first commit leaves.
        try Database(path: path, create: true).execute("PRAGMA journal_mode = WAL")
        #expect(SQLiteStore.exists(at: path))
        let store = try SQLiteStore(path: path)
        #expect(try store.models().count == (try BundledCatalog.models()).count)
        #expect(try store.taskTypes().count == (try BundledCatalog.taskTypes()).count)
    }

    @Test("An operation is run again while the database is busy, and not after any other error")
    func retryWhileBusy() throws {
        var attempts = 0
        let value = try Database.retryingWhileBusy { () throws -> String in
            attempts += 1
            if attempts < 6 { throw DatabaseError(resultCode: 5 /* SQLITE_BUSY */, connection: nil) }
            return "done"
        }
        #expect(value == "done" && attempts == 6)

        attempts = 0
        #expect(throws: DatabaseError.self) {
            try Database.retryingWhileBusy { () throws -> Void in
                attempts += 1
                throw DatabaseError(resultCode: 19 /* SQLITE_CONSTRAINT */, connection: nil)
            }
        }
        #expect(attempts == 1)
    }

    @Test("Writers and readers on their own connections: every result stored once, statistics equal to the rows")
    func concurrentWritersAndReaders() throws {
        let fixture = try TemporaryStore()
        try fixture.task("classification")
        try fixture.task("reasoning")
        try fixture.model("acme/a", input: 1, output: 2)
        try fixture.model("acme/b", input: 3, output: 4)
        let path = fixture.path
        let writers = 8
        let failures = Self.onThreads(writers + 4) { index in
            let store = try SQLiteStore(path: path)
            if index >= writers {
                // Readers: snapshots of whatever has committed, until the writers are done.
                for _ in 0..<40 {
                    try store.refresh()
                    _ = try store.snapshot().select(SelectionRequest(task: "classification", minQuality: 0.5))
                }
                return
            }
            let models = ["acme/a", "acme/b"]
            for batch in 0..<5 {
                let results = (0..<40).map { (item: Int) -> EvaluationResult in
                    let score = Double((index * 7 + item) % 11) / 10
                    return EvaluationResult(model: models[(index + item) % 2], task: item % 3 == 0 ? "reasoning" : "classification",
                                            score: score, run: "w\(index)", item: "\(batch)-\(item)",
                                            latencyMs: Double(item * 10), inputTokens: item)
                }
                try store.recordResults(results, lines: nil, file: nil)
                // The same batch again replaces it: it must not be counted twice.
                if batch == 2 { try store.recordResults(results, lines: nil, file: nil) }
                try store.record(EvaluationResult(model: "acme/a", task: "classification", score: 1, run: "w\(index)", item: "single-\(batch)"))
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == writers * 5 * 41)
        #expect(try fixture.rawInteger("SELECT count(*) FROM (SELECT DISTINCT model_id, task_id, run, item FROM results)") == writers * 5 * 41)
        #expect(try Self.statisticsMismatches(path) == 0)
    }

    /// The (model, task type) pairs whose kept statistics differ from a recomputation from their rows.
    static func statisticsMismatches(_ path: String) throws -> Int? {
        try Database(path: path, create: false).integer("""
            WITH recomputed AS (
                SELECT model_id, task_id, count(*) AS samples, sum(score) AS score_sum,
                       count(input_tokens) AS input_samples, coalesce(sum(input_tokens), 0) AS input_sum,
                       count(latency_ms) AS latency_samples
                FROM results GROUP BY model_id, task_id),
            pairs AS (SELECT model_id, task_id FROM model_task_stats UNION SELECT model_id, task_id FROM recomputed)
            SELECT count(*) FROM pairs
            LEFT JOIN model_task_stats s USING (model_id, task_id) LEFT JOIN recomputed r USING (model_id, task_id)
            WHERE coalesce(s.samples, 0) != coalesce(r.samples, 0)
               OR abs(coalesce(s.score_sum, 0) - coalesce(r.score_sum, 0)) > 1e-9
               OR coalesce(s.input_tokens_samples, 0) != coalesce(r.input_samples, 0)
               OR abs(coalesce(s.input_tokens_sum, 0) - coalesce(r.input_sum, 0)) > 1e-9
               OR coalesce(s.latency_samples, 0) != coalesce(r.latency_samples, 0)
            """)
    }
}

extension ReliabilityStoreTests {
    /// A store with 20,000 results of one pair, checkpointed into its main file.
    static func largeStore(in folder: TemporaryFolder) throws -> String {
        let path = folder.url.appendingPathComponent("large.sqlite").path
        let store = try SQLiteStore(path: path, seed: .empty)
        try store.setTaskType(TaskTypeUpdate(name: "classification"))
        try store.setModel(ModelUpdate(id: "acme/a", inputUSDPerMTok: 1, outputUSDPerMTok: 2), source: "test")
        try store.recordResults((0..<20_000).map {
            EvaluationResult(model: "acme/a", task: "classification", score: Double($0 % 2), run: "r", item: "item \($0)")
        }, lines: nil, file: nil)
        try Database(path: path, create: false).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return path
    }

    @Test("A truncated store file is refused with an error naming it, never a crash", arguments: [100, 4_096, 8_192, 65_536, 400_000])
    func truncatedStore(keeping bytes: Int) throws {
        let folder = try TemporaryFolder()
        let path = try Self.largeStore(in: folder)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try #require(whole.count > bytes)
        try whole.prefix(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: StoreOpenError.self) { try SQLiteStore(path: path).snapshot() }
        guard case .unreadable = error.reason else { Issue.record("\(error)"); return }
        #expect(error.description.hasPrefix(path))
    }

    @Test("Damage in a page that opening does not read is reported, as the store's, when the page is read")
    func damagedPageFoundLater() throws {
        let folder = try TemporaryFolder()
        let path = try Self.largeStore(in: folder)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Most pages hold the results and their key index; overwrite one in the middle.
        let page = 4_096
        let middle = (bytes.count / page / 2) * page
        bytes.replaceSubrange(middle..<(middle + page), with: [UInt8](repeating: 0xA5, count: page))
        try bytes.write(to: URL(fileURLWithPath: path))

        let store = try SQLiteStore(path: path)
        #expect(try store.snapshot().models.map(\.id) == ["acme/a"])
        // Recording a result recomputes its pair's statistics from every row, which reads the page.
        let error = try #require(throws: StoreOpenError.self) {
            try store.record(EvaluationResult(model: "acme/a", task: "classification", score: 1, run: "r", item: "new"))
        }
        #expect(error.reason == .unreadable("database disk image is malformed"))
        #expect(error.description.hasPrefix(path))
    }

    @Test("The store's WAL and shared-memory files are readable by their owner only, like the store")
    func sideFilesOwnerOnly() throws {
        let fixture = try TemporaryStore()
        try fixture.task("classification")
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path + suffix)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(suffix)")
        }
    }
}

/// Strings appended from many threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []

    func append(_ item: String) {
        lock.withLock { list.append(item) }
    }

    var items: [String] { lock.withLock { list } }
}
