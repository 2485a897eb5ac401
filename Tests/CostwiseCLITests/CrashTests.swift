import struct Costwise.SplitMix64
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `costwise` killed mid-import, out of room mid-import, on damaged stores and on hostile files:
/// never a crash, never half an import, nothing lost.
struct CrashTests {
    /// A store with two models, two task types and 50 results of run `kept`, which must outlive everything.
    static func storeWithKeptResults() throws -> Sandbox {
        let cw = try Sandbox()
        try cw.initEmpty()
        for task in ["classification", "reasoning"] { try cw.setTask(task) }
        for model in ["acme/a", "acme/b"] { try cw.setModel(model, input: "1", output: "2") }
        try cw.importResults(Sandbox.passFail("acme/a", "classification", passes: 30, fails: 20, run: "kept"))
        return cw
    }

    /// Writes `count` results of run `run`, every one scoring `score`, and returns the file's path.
    static func bigFile(_ cw: Sandbox, _ name: String, run: String, count: Int, score: Int) throws -> String {
        var text = ""
        text.reserveCapacity(count * 120)
        for item in 0..<count {
            text += #"{"model":"acme/\#(item % 2 == 0 ? "a" : "b")","task":"reasoning","score":\#(score),"run":"\#(run)","#
                + #""item":"\#(item)","latency_ms":\#(item % 500),"input_tokens":\#(item % 900)}"# + "\n"
        }
        return try cw.write(name, text)
    }

    /// Starts `costwise arguments…` without waiting for it.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CostwiseBinary.path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The checks that must hold after anything: a sound file, the kept results, statistics equal to
    /// the rows. Returns the rows of run `big` and the sum of their scores.
    static func checkSound(_ sqlite: SQLiteShell, sourceLocation: SourceLocation = #_sourceLocation) throws -> (rows: Int, scoreSum: Int) {
        let lines = try sqlite.text("""
            PRAGMA integrity_check;
            SELECT count(*) FROM results WHERE run = 'kept';
            \(SQLiteShell.statisticsMismatches)
            SELECT count(*) || ' ' || CAST(coalesce(sum(score), 0) AS INTEGER) FROM results WHERE run = 'big';
            """).split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines.prefix(3) == ["ok", "50", "0"], "\(lines)", sourceLocation: sourceLocation)
        let big = (lines.last ?? "").split(separator: " ").compactMap { Int($0) }
        try #require(big.count == 2, "\(lines)", sourceLocation: sourceLocation)
        return (big[0], big[1])
    }

    @Test("SIGKILL at random moments of an import, 20 times: the store stays sound, the import is all or nothing, a rerun counts exactly")
    func killedImports() throws {
        let cw = try Self.storeWithKeptResults()
        let count = 10_000
        // Two versions of one run: every result scores 0 in one, 1 in the other, so a half-replaced
        // run would show as a score sum strictly between 0 and `count`.
        let files = [try Self.bigFile(cw, "big-0.jsonl", run: "big", count: count, score: 0),
                     try Self.bigFile(cw, "big-1.jsonl", run: "big", count: count, score: 1)]
        // How long one whole import and its write transaction take here, on a copy, only to spread
        // the kills over them.
        let copy = cw.path("timing.sqlite")
        try FileManager.default.copyItem(atPath: cw.db, toPath: copy)
        let started = Date()
        var lockedAt: Date?
        let timing = try Self.start(["evals", "import", files[0], "--db", copy])
        while timing.isRunning {
            if lockedAt == nil && Self.holdsWriteLock(timing.processIdentifier) { lockedAt = Date() }
            usleep(500)
        }
        timing.waitUntilExit()
        try #require(timing.terminationStatus == 0)
        let duration = Date().timeIntervalSince(started)
        let transaction = Date().timeIntervalSince(lockedAt ?? started)

        let sqlite = try SQLiteShell(cw.db)
        var random = SplitMix64(seed: 6)
        var kills = 0
        var attempts = 0
        while kills < 20 && attempts < 60 {
            attempts += 1
            let process = try Self.start(["evals", "import", files[attempts % 2], "--db", cw.db])
            // Odd attempts die at a moment of the whole run, even ones once the transaction has begun.
            var window = duration
            if attempts % 2 == 0 {
                while process.isRunning && !Self.holdsWriteLock(process.processIdentifier) { usleep(500) }
                window = transaction
            }
            usleep(UInt32(Double.random(in: 0...window, using: &random) * 1_000_000))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { kills += 1 }
            let (rows, sum) = try Self.checkSound(sqlite)
            #expect(rows == 0 || (rows == count && (sum == 0 || sum == count)), "after attempt \(attempts): \(rows) rows, score sum \(sum)")
        }
        #expect(kills >= 20, "only \(kills) of \(attempts) imports were still running when killed")

        try expectSuccess(cw.run("evals", "import", files[1]))
        let (rows, sum) = try Self.checkSound(sqlite)
        #expect(rows == count && sum == count)
    }

    @Test("Out of room mid-import (a file size limit): a clean error, nothing lost, and a rerun with room succeeds")
    func fileSizeLimit() throws {
        let cw = try Self.storeWithKeptResults()
        let file = try Self.bigFile(cw, "big.jsonl", run: "big", count: 30_000, score: 1)
        let sqlite = try SQLiteShell(cw.db)
        let before = try sqlite.text("SELECT count(*), sum(score) FROM results; SELECT * FROM model_task_stats ORDER BY 1, 2")

        // No file may grow past 1 MiB, about half of what this import writes to the WAL (and more
        // than the thread sanitizer's runtime needs for itself).
        let stderrPath = cw.path("limit-stderr")
        let status = try Self.spawnWithDefaultSignals(
            ["/bin/sh", "-c", #"ulimit -f 1024 && exec "$0" "$@""#, CostwiseBinary.path, "evals", "import", file, "--db", cw.db],
            stderr: stderrPath)
        let stderr = String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
        #expect(status == .exited(1), "\(status): \(stderr)")
        #expect(stderr.hasPrefix("costwise: ") && stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.contains("disk I/O error") || stderr.contains("disk is full"), "\(stderr)")

        #expect(try Self.checkSound(sqlite).rows == 0)
        #expect(try sqlite.text("SELECT count(*), sum(score) FROM results; SELECT * FROM model_task_stats ORDER BY 1, 2") == before)
        try expectSuccess(cw.run("evals", "import", file))
        let (rows, sum) = try Self.checkSound(sqlite)
        #expect(rows == 30_000 && sum == 30_000)
    }

    @Test("A truncated or damaged store: a one-line error naming it, never a crash")
    func damagedStore() throws {
        let cw = try Self.storeWithKeptResults()
        try expectSuccess(cw.run("evals", "import", try Self.bigFile(cw, "big.jsonl", run: "big", count: 20_000, score: 1)))
        _ = try SQLiteShell(cw.db).text("PRAGMA wal_checkpoint(TRUNCATE)")
        let whole = try Data(contentsOf: URL(fileURLWithPath: cw.db))

        var damaged = whole
        let page = 4_096
        let middle = (whole.count / page / 2) * page
        damaged.replaceSubrange(middle..<(middle + page), with: [UInt8](repeating: 0xA5, count: page))
        for (name, bytes, command) in [
            ("truncated", whole.prefix(whole.count / 2), ["select", "--task", "reasoning", "--min-quality", "0"]),
            ("truncated", whole.prefix(whole.count / 2), ["record", "--model", "acme/a", "--task", "reasoning", "--score", "1"]),
            ("damaged page", damaged, ["record", "--model", "acme/a", "--task", "reasoning", "--score", "1"]),
        ] {
            try Data(bytes).write(to: URL(fileURLWithPath: cw.db))
            let result = try cw.runRaw(command + ["--db", cw.db])
            #expect(result.status == 1, "\(name): \(result)")
            #expect(result.stderr.hasPrefix("costwise: \(cw.db): not a readable Costwise store"), "\(name): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result)")
        }
    }

    @Test("Every file of the hostile corpus through the real binary: a clean result or a one-line error naming the file")
    func hostileCorpus() throws {
        let cw = try Self.storeWithKeptResults()
        try cw.setTask("gsm8k")
        try cw.setModel("acme/model", input: "1", output: "2")
        let root = Fixtures.folder.appendingPathComponent("hostile")
        let valid = try cw.write("valid.jsonl", #"{"model":"acme/a","task":"classification","score":1}"# + "\n")
        var tried = 0
        for folder in ["evals", "inspect", "lm-eval", "prices", "litellm", "openrouter", "task-map", "fuzz"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).sorted()
            for name in names {
                let file = root.appendingPathComponent(folder).appendingPathComponent(name).path
                let arguments: [String]
                switch folder {
                case "prices", "litellm", "openrouter": arguments = ["models", "import", file]
                case "fuzz" where name.hasPrefix("openrouter") || name.hasPrefix("litellm"): arguments = ["models", "import", file]
                case "lm-eval": arguments = ["evals", "import", file, "--format", "lm-eval", "--model", "acme/model"]
                case "task-map": arguments = ["evals", "import", valid, "--task-map", file]
                default: arguments = ["evals", "import", file]
                }
                let result = try cw.runRaw(arguments + ["--db", cw.db])
                tried += 1
                #expect(result.status == 0 || result.status == 1, "\(result)")
                if result.status == 1 {
                    #expect(result.stdout.isEmpty, "\(result)")
                    #expect(result.stderr.hasPrefix("costwise: \(file)") && result.stderr.split(separator: "\n").count == 1, "\(result)")
                }
            }
        }
        #expect(tried >= 80)
        _ = try Self.checkSound(SQLiteShell(cw.db))
    }
}

extension CrashTests {
    /// Whether process `pid` holds WAL's write lock (byte 120 of the store's -shm file), that is, is
    /// inside its write transaction; from /proc/locks, so never where there is none.
    static func holdsWriteLock(_ pid: Int32) -> Bool {
        guard let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
        return locks.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count >= 8 && fields[1] == "POSIX" && fields[3] == "WRITE" && fields[4] == "\(pid)" && fields[6] == "120"
        }
    }

    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Runs `arguments` (a path, then its arguments) with every signal at its default action and
    /// none blocked, standard error into the file `stderr`. The test runner's threads block most
    /// signals, and `Process` passes that mask on, so a child started with it would never receive
    /// the SIGXFSZ this test is about.
    static func spawnWithDefaultSignals(_ arguments: [String], stderr: String) throws -> Termination {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var pid: pid_t = 0
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        try #require(spawned == 0, "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }
}
