import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end support: runs the real `costwise` binary against a store in a temporary directory made
// for one test, and never against the user's default store.

/// What one run of the binary did.
struct CLIResult: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String {
        "costwise \(arguments.joined(separator: " ")) → exit \(status)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    /// Standard output parsed as JSON.
    func json() throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        } catch {
            Issue.record("stdout is not JSON: \(self)")
            throw error
        }
    }

    func jsonObject() throws -> [String: Any] {
        try #require(try json() as? [String: Any], "stdout is not a JSON object: \(self)")
    }

    func jsonArray() throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "stdout is not a JSON array of objects: \(self)")
    }

    /// The lines of standard output, without the empty last one.
    var lines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// The `costwise` binary: `$COSTWISE_BINARY`, else next to the test executable, else in the package's
/// `.build` folder.
enum CostwiseBinary {
    static let path: String = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["COSTWISE_BINARY"], !path.isEmpty { return path }
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("costwise").path)
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("costwise").path)
        // Tests/CostwiseCLITests/CLITestSupport.swift → the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/costwise").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()
}

/// The bundled real evaluation results (RouteLLM GSM8K sample) of the library's tests.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CostwiseTests/Fixtures")
    static var routeLLMJSONL: String { folder.appendingPathComponent("routellm_gsm8k_sample.jsonl").path }
    static var routeLLMCSV: String { folder.appendingPathComponent("routellm_gsm8k_sample.csv").path }
}

/// A temporary directory for one test, with its own store path; removed when the test drops it.
final class Sandbox {
    let directory: URL
    /// The store every `run` names with `--db`.
    let db: String
    /// Where the child's `XDG_DATA_HOME` and `COSTWISE_DB` point unless a test says otherwise; nothing
    /// may be created there by a command given `--db`.
    let xdgDataHome: String
    let environmentDB: String

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        directory = base.appendingPathComponent("costwise-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = directory.appendingPathComponent("store.sqlite").path
        xdgDataHome = directory.appendingPathComponent("xdg-data").path
        environmentDB = directory.appendingPathComponent("env-store.sqlite").path
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `text` to a file in the sandbox and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `costwise arguments… --db <this sandbox's store>`.
    @discardableResult
    func run(_ arguments: String..., db: String? = nil) throws -> CLIResult {
        try runRaw(arguments + ["--db", db ?? self.db])
    }

    /// Runs `costwise arguments…` exactly as given. The child's environment is this process's, with
    /// `COSTWISE_DB`, `XDG_DATA_HOME` and `HOME` pointing into the sandbox; `environment` overrides
    /// them (nil removes a variable). `binary` runs another copy of `costwise`.
    func runRaw(_ arguments: [String], environment overrides: [String: String?] = [:],
                binary: String = CostwiseBinary.path) throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment
        environment["COSTWISE_DB"] = environmentDB
        environment["XDG_DATA_HOME"] = xdgDataHome
        environment["HOME"] = path("home")
        for (name, value) in overrides { environment[name] = value }

        let stdoutPath = path("stdout-\(UUID().uuidString)")
        let stderrPath = path("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: stdoutPath)
            try? FileManager.default.removeItem(atPath: stderrPath)
        }
        let stdoutHandle = try #require(FileHandle(forWritingAtPath: stdoutPath))
        let stderrHandle = try #require(FileHandle(forWritingAtPath: stderrPath))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        do {
            try process.run()
        } catch {
            Issue.record("cannot run \(binary) (build it, or set COSTWISE_BINARY): \(error)")
            throw error
        }
        process.waitUntilExit()
        try stdoutHandle.close()
        try stderrHandle.close()
        let result = CLIResult(
            arguments: arguments,
            status: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: stdoutPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self))
        return result
    }

    // MARK: - Building a store

    /// `costwise init --empty`, which must succeed.
    func initEmpty(db: String? = nil) throws {
        try expectSuccess(run("init", "--empty", db: db))
    }

    func setTask(_ name: String, _ options: String..., db: String? = nil) throws {
        try expectSuccess(runRaw(["tasks", "set", name] + options + ["--db", db ?? self.db]))
    }

    func setModel(_ id: String, input: String, output: String, _ options: String..., db: String? = nil) throws {
        try expectSuccess(runRaw(["models", "set", id, "--input-usd-per-mtok", input, "--output-usd-per-mtok", output]
            + options + ["--db", db ?? self.db]))
    }

    func record(_ model: String, _ task: String, score: String, _ options: String...) throws {
        try expectSuccess(runRaw(["record", "--model", model, "--task", task, "--score", score] + options + ["--db", db]))
    }

    /// Imports evaluation results given as JSONL lines.
    func importResults(_ lines: [String], name: String = "results-\(UUID().uuidString).jsonl") throws {
        let file = try write(name, lines.joined(separator: "\n") + "\n")
        try expectSuccess(run("evals", "import", file))
    }

    /// JSONL lines for `passes` passing and `fails` failing results of a model on a task, in run `run`.
    static func passFail(_ model: String, _ task: String, passes: Int, fails: Int, run: String = "r") -> [String] {
        (0..<(passes + fails)).map { index in
            #"{"model":"\#(model)","task":"\#(task)","passed":\#(index < passes),"run":"\#(run)","item":"\#(index)"}"#
        }
    }

    /// `select … --json` that must answer; returns its object.
    func select(_ arguments: String...) throws -> [String: Any] {
        let result = try runRaw(["select"] + arguments + ["--json", "--db", db])
        #expect(result.status == 0, "\(result)")
        return try result.jsonObject()
    }

    /// The model `select … --json` picks, or nil with the exit status when it picks none.
    func selectedModel(_ arguments: String...) throws -> String? {
        let result = try runRaw(["select"] + arguments + ["--json", "--db", db])
        guard result.status == 0 else {
            #expect(result.status == 3, "\(result)")
            return nil
        }
        return try result.jsonObject()["model"] as? String
    }

    /// `scores --json` as (model, task) → (mean, samples).
    func scores() throws -> [String: (mean: Double, samples: Double)] {
        let result = try run("scores", "--json")
        try expectSuccess(result)
        var scores: [String: (mean: Double, samples: Double)] = [:]
        for entry in try result.jsonArray() {
            let model = try #require(entry["model"] as? String)
            let task = try #require(entry["task"] as? String)
            let quality = try #require(entry["quality"] as? [String: Any])
            scores["\(model) \(task)"] = (try #require(number(quality["mean"])), try #require(number(quality["samples"])))
        }
        return scores
    }
}

func expectSuccess(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
}

/// A JSON number as a Double (JSONSerialization gives NSNumber, Int or Double); nil for anything else.
func number(_ value: Any?) -> Double? {
    switch value {
    case let value as Double: value
    case let value as Int: Double(value)
    case let value as NSNumber: value.doubleValue
    default: nil
    }
}

func isNull(_ value: Any?) -> Bool {
    value == nil || value is NSNull
}

/// |a − b| within a relative tolerance, for computed money and bounds.
func isClose(_ a: Double?, _ b: Double, relative: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
}

/// The estimated cost of one request by the contract's formula.
func contractCost(input: Double, output: Double, inputPrice: Double, outputPrice: Double, request: Double = 0) -> Double {
    (input * inputPrice + output * outputPrice) / 1_000_000 + request
}

/// Φ⁻¹(p) by bisection on Φ(x) = erfc(−x/√2)/2: independent of the implementation under test.
func normalQuantile(_ p: Double) -> Double {
    var low = -40.0
    var high = 40.0
    for _ in 0..<200 {
        let middle = (low + high) / 2
        if 0.5 * erfc(-middle / 2.0.squareRoot()) < p { low = middle } else { high = middle }
    }
    return (low + high) / 2
}

/// The one-sided Wilson score lower bound at confidence `confidence` for mean `p` over `n` samples.
func wilsonLowerBound(mean p: Double, samples n: Double, confidence: Double) -> Double {
    let z = normalQuantile(confidence)
    let z2 = z * z
    let center = p + z2 / (2 * n)
    let spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
    return (center - spread) / (1 + z2 / n)
}
