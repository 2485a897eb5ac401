import Foundation
import Testing

/// Many `costwise` processes on one store at once: writers recording single results and importing
/// files, and readers selecting in a loop.
struct ConcurrencyTests {
    static let models = ["acme/a", "acme/b"]
    static let tasks = ["classification", "reasoning"]

    /// The JSONL lines of writer `writer`'s file `file`: 150 results, keyed by run and item.
    static func lines(writer: Int, file: Int) -> [String] {
        (0..<150).map { item in
            let score = Double((writer * 31 + file * 7 + item) % 11) / 10
            return #"{"model":"\#(models[item % 2])","task":"\#(tasks[(item / 2) % 2])","score":\#(score),"#
                + #""run":"w\#(writer)-f\#(file)","item":"\#(item)","latency_ms":\#(item * 3),"input_tokens":\#(item)}"#
        }
    }

    @Test("8 writers and 4 selectors on one store: every result once, statistics equal to the rows, no command fails")
    func writersAndSelectors() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        for task in Self.tasks { try cw.setTask(task) }
        for model in Self.models { try cw.setModel(model, input: "1", output: "2") }
        try cw.record("acme/a", "classification", score: "1")

        let writers = 8
        let singles = 6
        let files = 3
        for writer in 0..<writers {
            for file in 0..<files {
                try cw.write("w\(writer)-f\(file).jsonl", Self.lines(writer: writer, file: file).joined(separator: "\n") + "\n")
            }
        }
        let failures = LockedResults()
        let writersRunning = ProcessCounter(writers)
        let selectsDuringWrites = ProcessCounter(0)
        let (db, folder) = (cw.db, cw.directory.path)
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            Thread {
                defer { writersRunning.decrement(); group.leave() }
                for step in 0..<(singles + files + 1) {
                    let arguments: [String]
                    if step < singles {
                        arguments = ["record", "--model", Self.models[step % 2], "--task", "classification", "--score", "0.5",
                                     "--run", "w\(writer)", "--item", "single-\(step)", "--latency-ms", "12"]
                    } else {
                        // The last step imports the first file again: replaced, never counted twice.
                        let file = step - singles < files ? step - singles : 0
                        arguments = ["evals", "import", "\(folder)/w\(writer)-f\(file).jsonl"]
                    }
                    let result = Self.run(arguments + ["--db", db], in: folder)
                    if result.status != 0 || !result.stderr.isEmpty { failures.append(result) }
                }
            }.start()
        }
        for _ in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                repeat {
                    let during = writersRunning.value > 0
                    let result = Self.run(["select", "--task", "classification", "--min-quality", "0", "--json", "--db", db], in: folder)
                    if result.status != 0 || !result.stderr.isEmpty { failures.append(result) }
                    if during { selectsDuringWrites.increment() }
                } while writersRunning.value > 0
            }.start()
        }
        group.wait()

        #expect(failures.items.isEmpty, "\(failures.items.prefix(3))")
        #expect(selectsDuringWrites.value > 0, "no select ran while the writers did")
        let expected = 1 + writers * (singles + files * 150)
        let sqlite = try SQLiteShell(cw.db)
        #expect(try sqlite.integer("SELECT count(*) FROM results") == expected)
        #expect(try sqlite.integer("SELECT count(*) FROM (SELECT DISTINCT model_id, task_id, run, item FROM results)") == expected)
        #expect(try sqlite.integer(SQLiteShell.statisticsMismatches) == 0)
        #expect(try sqlite.text("PRAGMA integrity_check") == "ok")
        // What `scores` reports is what the rows hold.
        let samples = try cw.scores().values.reduce(0) { $0 + $1.samples }
        #expect(samples == Double(expected))
    }
}

extension ConcurrencyTests {
    /// Runs `costwise arguments…` from any thread, with its output in files of `folder`.
    static func run(_ arguments: [String], in folder: String) -> CLIResult {
        let outputs = ["stdout", "stderr"].map { "\(folder)/\($0)-\(UUID().uuidString)" }
        defer { for path in outputs { try? FileManager.default.removeItem(atPath: path) } }
        for path in outputs { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CostwiseBinary.path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outputs[0])
        process.standardError = FileHandle(forWritingAtPath: outputs[1])
        do {
            try process.run()
        } catch {
            return CLIResult(arguments: arguments, status: -1, stdout: "", stderr: "cannot run \(CostwiseBinary.path): \(error)")
        }
        process.waitUntilExit()
        let text = outputs.map { String(decoding: FileManager.default.contents(atPath: $0) ?? Data(), as: UTF8.self) }
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return CLIResult(arguments: arguments, status: status, stdout: text[0], stderr: text[1])
    }
}

/// A count shared by threads.
final class ProcessCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int

    init(_ count: Int) { self.count = count }

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
    func decrement() { lock.withLock { count -= 1 } }
}

/// Runs that went wrong, collected from many threads.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [CLIResult] = []

    func append(_ result: CLIResult) { lock.withLock { results.append(result) } }
    var items: [CLIResult] { lock.withLock { results } }
}

/// The `sqlite3` shell on a store: checks made from outside `costwise`, as an operator would.
struct SQLiteShell {
    let db: String

    init(_ db: String) throws {
        self.db = db
        try #require(FileManager.default.isExecutableFile(atPath: Self.path), "the sqlite3 shell is needed (apt-get install sqlite3)")
    }

    static let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/sqlite3" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/sqlite3"

    /// The (model, task type) pairs whose kept statistics differ from a recomputation from their rows.
    static let statisticsMismatches = """
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
           OR coalesce(s.latency_samples, 0) != coalesce(r.latency_samples, 0);
        """

    /// The output of `sql`, without its last line break.
    func text(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["-bail", db, sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        try #require(process.terminationStatus == 0, "sqlite3 \(sql): \(text)")
        return text
    }

    func integer(_ sql: String) throws -> Int? {
        Int(try text(sql))
    }
}
