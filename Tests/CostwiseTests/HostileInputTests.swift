import Foundation
import Testing
@testable import Costwise

/// The hostile corpus (`Fixtures/hostile`, described in its README) through every importer: a bad
/// file is refused with an error that names the file, and the line and field where it has them, and
/// the store is left exactly as it was; a nasty but valid file imports exactly.
struct HostileInputTests {
    /// A corpus file that must be refused, and what the error must say.
    struct Refusal: CustomTestStringConvertible, Sendable {
        var file: String
        var line: Int?
        var field: String?
        var says: String
        var testDescription: String { file }

        init(_ file: String, line: Int? = nil, field: String? = nil, _ says: String) {
            self.file = file
            self.line = line
            self.field = field
            self.says = says
        }

        func check(_ error: InputError, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(error.file == path, "\(error)", sourceLocation: sourceLocation)
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(says), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.utf8.count < 400 && !error.description.contains("\n"), "\(error)", sourceLocation: sourceLocation)
        }
    }

    static let evaluationRefusals: [Refusal] = [
        Refusal("evals/empty.jsonl", "the file is empty"),
        Refusal("evals/blank.jsonl", "the file is empty"),
        Refusal("evals/nan.jsonl", line: 2, "not valid JSON"),
        Refusal("evals/infinity.jsonl", line: 1, "not valid JSON"),
        Refusal("evals/overflow.jsonl", line: 1, field: "score", "must be a finite number"),
        Refusal("evals/invalid-utf8.jsonl", line: 2, "not valid UTF-8"),
        Refusal("evals/duplicate-key.jsonl", line: 1, field: "score", "appears twice"),
        Refusal("evals/deep-nesting.jsonl", line: 1, "not valid JSON"),
        Refusal("evals/nesting-at-limit.jsonl", line: 1, field: "item", "expected text"),
        Refusal("evals/truncated.jsonl", line: 4, "not valid JSON"),
        Refusal("evals/not-an-object.jsonl", line: 1, "expected a JSON object"),
        Refusal("evals/unknown-model.jsonl", line: 2, field: "model", "unknown model 'acme/modle'"),
        Refusal("evals/empty.csv", "the file is empty"),
        Refusal("evals/header-only.csv", "the file holds no results"),
        Refusal("evals/quoted-then-bad.csv", line: 5, field: "score", "outside [0, 1]"),
        Refusal("evals/duplicate-column.csv", line: 1, field: "score", "appears twice"),
        Refusal("evals/nan.csv", line: 2, field: "score", "must be a finite number"),
        Refusal("evals/infinity.csv", line: 2, field: "score", "must be a finite number"),
        Refusal("evals/overflow.csv", line: 2, field: "score", "must be a finite number"),
        Refusal("evals/invalid-utf8.csv", line: 2, field: "item", "not valid UTF-8"),
        Refusal("evals/unclosed-quote.csv", line: 2, "never closed"),
        Refusal("evals/ragged.csv", line: 3, "expected 3 fields"),
        // Found by scripts/fuzz.sh: a task name of tabs only passed as an empty name.
        Refusal("fuzz/evals-blank-task.csv", line: 2, field: "task", "required, but blank"),
    ]

    @Test("Costwise JSONL and CSV results: refused whole, store unchanged", arguments: evaluationRefusals)
    func evaluationFileRefused(_ refusal: Refusal) throws {
        let hostile = try HostileStore()
        let before = try hostile.contents()
        let path = HostileStore.path(refusal.file)
        let error = try #require(throws: InputError.self) { try hostile.importResults(path) }
        refusal.check(error, path: path)
        #expect(try hostile.contents() == before)
    }

    static let inspectRefusals: [Refusal] = [
        Refusal("inspect/empty.json", "the file is empty"),
        Refusal("inspect/nan.json", "not valid JSON"),
        Refusal("inspect/negative-time.json", field: "samples[0].output.time", "not a time in seconds"),
        Refusal("inspect/overflow-time.json", field: "samples[0].output.time", "not a time in seconds"),
        Refusal("inspect/deep-nesting.json", line: 1, "nest deeper than 100 levels"),
        Refusal("inspect/status-error.json", field: "status", "status 'error'"),
        Refusal("inspect/damaged-member.eval", field: "samples/q01_epoch_1.json", "damaged"),
        Refusal("inspect/size-bomb.eval", field: "header.json", "damaged"),
        Refusal("inspect/crc-mismatch.eval", field: "samples/1_epoch_1.json", "damaged"),
        Refusal("inspect/no-header.eval", field: "header.json", "no header.json"),
        Refusal("../evals/inspect_truncated.eval", "truncated"),
    ]

    @Test("Inspect AI logs and archives: refused whole, store unchanged", arguments: inspectRefusals)
    func inspectLogRefused(_ refusal: Refusal) throws {
        let hostile = try HostileStore()
        let before = try hostile.contents()
        let path = HostileStore.path(refusal.file)
        let error = try #require(throws: InputError.self) { try hostile.importResults(path, format: .inspect) }
        refusal.check(error, path: path)
        #expect(try hostile.contents() == before)
    }

    static let lmEvalRefusals: [Refusal] = [
        Refusal("lm-eval/empty.jsonl", "the file is empty"),
        Refusal("lm-eval/samples_nan_2026-01-01T00-00-00.jsonl", line: 2, "not valid JSON"),
        Refusal("lm-eval/samples_overflow_2026-01-01T00-00-00.jsonl", line: 1, field: "acc", "not a score in [0, 1]"),
        Refusal("lm-eval/results_huge_count.json", field: "n-samples.gsm8k", "more than 1000000"),
        Refusal("lm-eval/results_nan.json", line: 1, "not valid JSON"),
    ]

    @Test("lm-evaluation-harness logs: refused whole, store unchanged", arguments: lmEvalRefusals)
    func lmEvalLogRefused(_ refusal: Refusal) throws {
        let hostile = try HostileStore()
        let before = try hostile.contents()
        let path = HostileStore.path(refusal.file)
        let error = try #require(throws: InputError.self) { try hostile.importResults(path, format: .lmEval, model: "acme/model") }
        refusal.check(error, path: path)
        #expect(try hostile.contents() == before)
    }

    static let priceRefusals: [Refusal] = [
        Refusal("prices/empty.csv", "the file is empty"),
        Refusal("prices/header-only.csv", "the file lists no models"),
        Refusal("prices/duplicate-column.csv", line: 1, field: "input_usd_per_mtok", "appears twice"),
        Refusal("prices/nan.csv", line: 2, field: "input_usd_per_mtok", "must be a finite number"),
        Refusal("prices/infinity.csv", line: 2, field: "output_usd_per_mtok", "must be a finite number"),
        Refusal("prices/overflow.csv", line: 2, field: "input_usd_per_mtok", "must be a finite number"),
        Refusal("prices/negative.csv", line: 2, field: "input_usd_per_mtok", "outside"),
        Refusal("prices/invalid-utf8.csv", line: 2, field: "provider", "not valid UTF-8"),
        Refusal("prices/listed-twice.csv", line: 4, field: "model", "listed twice (first on line 2)"),
        Refusal("prices/unclosed-quote.csv", line: 2, "never closed"),
        Refusal("prices/empty-array.json", "the file lists no models"),
        Refusal("prices/nan.json", line: 3, "not valid JSON"),
        Refusal("prices/overflow.json", line: 2, field: "input_usd_per_mtok", "must be a finite number"),
        Refusal("prices/duplicate-key.json", line: 2, field: "input_usd_per_mtok", "appears twice"),
        Refusal("prices/deep-nesting.json", line: 2, "not valid JSON"),
        Refusal("prices/truncated.json", line: 1, "cut short"),
        Refusal("prices/invalid-utf8.json", line: 2, "not valid UTF-8"),
        Refusal("litellm/empty-object.json", "the file lists no models"),
        Refusal("litellm/nan.json", line: 3, field: "acme/b", "not valid JSON"),
        Refusal("litellm/deep-nesting.json", line: 3, "nest deeper than 100 levels"),
        Refusal("litellm/invalid-utf8.json", line: 3, "not valid UTF-8"),
        Refusal("litellm/truncated.json", line: 1, "cut short"),
        Refusal("openrouter/empty-data.json", "the file lists no models"),
        Refusal("openrouter/invalid-json.json", line: 1, "not valid JSON"),
        Refusal("openrouter/truncated.json", line: 1, "not valid JSON"),
        Refusal("openrouter/deep-nesting.json", line: 3, "nest deeper than 100 levels"),
        // Found by scripts/fuzz.sh: nesting 474 deep, which took seconds to decode.
        Refusal("fuzz/litellm-deep-nesting.json", line: 19, "nest deeper than 100 levels"),
    ]

    @Test("Price tables, LiteLLM cost maps and OpenRouter listings: refused whole, store unchanged", arguments: priceRefusals)
    func priceFileRefused(_ refusal: Refusal) throws {
        let hostile = try HostileStore()
        let before = try hostile.contents()
        let path = HostileStore.path(refusal.file)
        let error = try #require(throws: InputError.self) { try hostile.importPrices(path) }
        refusal.check(error, path: path)
        #expect(try hostile.contents() == before)
    }

    static let taskMapRefusals: [Refusal] = [
        Refusal("task-map/duplicate-column.csv", line: 1, field: "to", "appears twice"),
        Refusal("task-map/not-strings.json", line: 1, "a JSON task map is an object of task names to task types"),
        Refusal("task-map/empty.csv", line: 1, "the file is empty"),
    ]

    @Test("Task maps: refused with the file and line", arguments: taskMapRefusals)
    func taskMapRefused(_ refusal: Refusal) throws {
        let path = HostileStore.path(refusal.file)
        let error = try #require(throws: InputError.self) { try EvaluationImport.taskMap(InputFile.bytes(atPath: path), file: path) }
        refusal.check(error, path: path)
    }
}

extension HostileInputTests {
    @Test("A byte-order mark and CRLF line ends are read as in any other file", arguments: ["evals/bom-crlf.jsonl", "evals/bom-crlf.csv"])
    func byteOrderMarkAndCRLF(_ file: String) throws {
        let hostile = try HostileStore()
        #expect(try hostile.importResults(HostileStore.path(file)).inserted == 2)
        #expect(try hostile.texts("SELECT item || '=' || score FROM results WHERE run = 'b' ORDER BY item") == ["1=1.0", "2=0.0"])
    }

    @Test("-0 reads as 0, never as a negative zero", arguments: ["evals/negative-zero.jsonl", "evals/negative-zero.csv"])
    func negativeZeroResult(_ file: String) throws {
        let hostile = try HostileStore()
        #expect(try hostile.importResults(HostileStore.path(file)).inserted == 1)
        #expect(try hostile.texts("SELECT quote(score) FROM results WHERE run = 'z'") == ["0.0"])
    }

    @Test("Quoted commas, line breaks and doubled quotes in CSV fields are kept exactly")
    func quotedFields() throws {
        let hostile = try HostileStore()
        #expect(try hostile.importResults(HostileStore.path("evals/quoted.csv")).inserted == 2)
        #expect(try hostile.texts("SELECT run || '/' || item FROM results WHERE run <> 'before' ORDER BY item")
                == ["run, one/line one\nline two", "run, one/say \"hi\""])
    }

    @Test("Items that differ only after a NUL character stay two results")
    func nulCharacters() throws {
        let hostile = try HostileStore()
        let report = try hostile.importResults(HostileStore.path("evals/nul-characters.jsonl"))
        #expect(report.inserted == 2 && report.replaced == 0)
        #expect(try hostile.texts("SELECT item FROM results WHERE run = 'n' ORDER BY item") == ["1\u{0}a", "1\u{0}b"])
    }

    @Test("An lm-eval sample log named without a time takes its task from the rest of the name")
    func lmEvalFileNameWithoutTime() throws {
        let hostile = try HostileStore()
        #expect(try hostile.importResults(HostileStore.path("lm-eval/samples_gsm8k.jsonl"), format: .lmEval, model: "acme/model").inserted == 2)
        #expect(LMEvalLog.taskName(fromSampleFile: "samples_gsm8k") == "gsm8k")
        #expect(LMEvalLog.taskName(fromSampleFile: "samples_arc_2026-01-01T00-00-00") == "arc")
        #expect(LMEvalLog.taskName(fromSampleFile: "samples_") == nil)
        #expect(LMEvalLog.taskName(fromSampleFile: "samples__2026-01-01T00-00-00") == nil)
    }

    @Test("Nasty but valid price files import exactly")
    func validPriceFiles() throws {
        let hostile = try HostileStore()
        try hostile.importPrices(HostileStore.path("prices/bom-crlf.csv"))
        try hostile.importPrices(HostileStore.path("prices/negative-zero.csv"))
        try hostile.importPrices(HostileStore.path("prices/quoted.csv"))
        let models = try hostile.store.models()
        #expect(models.map(\.id) == ["acme/a", "acme/a, the big one", "acme/b", "acme/model", "acme/zero"])
        #expect(models.first { $0.id == "acme/a" }?.price == Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))
        #expect(models.first { $0.id == "acme/a, the big one" }?.provider == "ac\nme")
        #expect(try hostile.texts("SELECT quote(input_usd_per_mtok) || quote(output_usd_per_mtok) FROM models WHERE name = 'acme/zero'") == ["0.00.0"])
        for file in ["prices/bom.json", "litellm/bom.json"] {
            let hostile = try HostileStore()
            #expect(try hostile.importPrices(HostileStore.path(file)).report.added.map(\.id) == ["acme/a"], "\(file)")
        }
    }

    @Test("A price feed skips an entry it cannot use, says why and where, and imports the rest", arguments: [
        ("litellm/overflow.json", "acme/b", "input_cost_per_token is not a finite number"),
        ("litellm/duplicate-key.json", "acme/a", "appears more than once"),
        ("openrouter/nan-price.json", "acme/b", "missing or not numbers"),
        ("openrouter/overflow.json", "acme/b", "missing or not numbers"),
    ])
    func feedSkipsUnusableEntry(file: String, entry: String, reason: String) throws {
        let hostile = try HostileStore()
        let (report, skipped) = try hostile.importPrices(HostileStore.path(file))
        let skip = try #require(skipped.first { $0.entry == entry }, "\(skipped)")
        #expect(skip.reason.contains(reason) && skip.line != nil, "\(skip)")
        #expect(report.added.map(\.id) == [entry == "acme/a" ? "acme/b" : "acme/a"])
    }

    @Test("Found by scripts/fuzz.sh: an OpenRouter request price that reads as NaN is skipped, not stored")
    func openRouterRequestPriceNaN() throws {
        let hostile = try HostileStore()
        let (report, skipped) = try hostile.importPrices(HostileStore.path("fuzz/openrouter-nan-request.json"))
        let skip = try #require(skipped.first { $0.entry == "meta-llama/llama-3.3-70b-instruct:free" }, "\(skipped)")
        #expect(skip.reason == "pricing.request is not a finite number" && skip.line == 99)
        #expect(!report.added.isEmpty && report.added.allSatisfy { $0.price.requestUSD?.isFinite ?? true })
    }

    /// 10 MB lines are made here rather than checked in.
    static func tenMegabytes(_ character: Character) -> String { String(repeating: character, count: 10_000_000) }

    @Test("A 10 MB value is named in a short error, and the store is unchanged")
    func tenMegabyteLineRefused() throws {
        let hostile = try HostileStore()
        let folder = try TemporaryFolder()
        let before = try hostile.contents()
        let cases: [(name: String, text: String, line: Int, field: String)] = [
            ("model.jsonl", #"{"model":"acme/model","task":"classification","score":1}"# + "\n"
                + #"{"model":"\#(Self.tenMegabytes("m"))","task":"classification","score":1}"# + "\n", 2, "model"),
            ("score.csv", "model,task,score\nacme/model,classification,\(Self.tenMegabytes("9"))\n", 2, "score"),
            ("at.csv", "model,task,score,at\nacme/model,classification,1,\(Self.tenMegabytes("x"))\n", 2, "at"),
        ]
        for (name, text, line, field) in cases {
            let path = folder.url.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: InputError.self) { try hostile.importResults(path) }
            #expect(error.line == line && error.field == field, "\(error.description.prefix(300))")
            #expect(error.description.utf8.count < 400, "\(error.description.prefix(300))")
        }
        let header = folder.url.appendingPathComponent("header.csv").path
        try Data("model,input_usd_per_mtok,output_usd_per_mtok,\(Self.tenMegabytes("c"))\nacme/a,1,2,3\n".utf8).write(to: URL(fileURLWithPath: header))
        let error = try #require(throws: InputError.self) { try hostile.importPrices(header) }
        #expect(error.line == 1 && error.description.utf8.count < 400 && error.description.contains("(10000000 bytes)"))
        #expect(try hostile.contents() == before)
    }

    @Test("A valid 10 MB line imports whole")
    func tenMegabyteLineImported() throws {
        let hostile = try HostileStore()
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("long.jsonl").path
        let run = Self.tenMegabytes("r")
        try Data((#"{"model":"acme/model","task":"classification","score":1,"run":"\#(run)","item":"1"}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(try hostile.importResults(path).inserted == 1)
        #expect(try hostile.texts("SELECT length(run) FROM results WHERE item = '1' AND run <> 'before'") == ["10000000"])
    }
}

/// A store for hostile input: it knows the model `acme/model` and the task types `classification`
/// and `gsm8k`, holds one result and one price revision, and can list everything it holds, so a
/// test can tell that a refused file left it exactly as it was.
final class HostileStore {
    let fixture: TemporaryStore
    var store: SQLiteStore { fixture.store }

    init() throws {
        fixture = try TemporaryStore()
        try fixture.task("classification")
        try fixture.task("gsm8k")
        try fixture.model("acme/model", input: 1, output: 2)
        try store.record(EvaluationResult(model: "acme/model", task: "classification", score: 0.5, run: "before", item: "1"))
    }

    /// The corpus file `name` (under Fixtures/hostile).
    static func path(_ name: String) -> String {
        fixturesFolder.appendingPathComponent("hostile/\(name)").path
    }

    /// Imports an evaluation file the way `costwise evals import` does.
    @discardableResult
    func importResults(_ path: String, format: EvaluationImport.Format = .auto, model: String? = nil) throws -> ResultImportReport {
        let bytes = try InputFile.bytes(atPath: path)
        let (_, parsed) = try EvaluationImport(model: model).read(bytes, format: format, file: path)
        let lines = parsed.allSatisfy { $0.line != nil } ? parsed.compactMap(\.line) : nil
        return try store.recordResults(parsed.map(\.result), lines: lines, file: path)
    }

    /// Imports a price file the way `costwise models import` does; returns the report and the skipped entries.
    @discardableResult
    func importPrices(_ path: String, format: PriceFile.Format = .auto) throws -> (report: PriceImportReport, skipped: [PriceFeed.SkippedEntry]) {
        let bytes = try InputFile.bytes(atPath: path)
        let (resolved, feed) = try PriceFile.read(bytes, format: format, file: path)
        let report = try store.importPrices(feed.models, source: .file(path, format: resolved.rawValue, bytes: bytes),
                                            guard: PriceGuard(), dryRun: false)
        return (report, feed.skipped)
    }

    /// Every row of every table as text, and the schema version: equal lists, equal stores.
    func contents() throws -> [String] {
        let database = try Database(path: fixture.path, create: false)
        var rows = ["user_version \(try database.integer("PRAGMA user_version") ?? -1)"]
        let tables = try database.statement("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        var names: [String] = []
        while try tables.step() { names.append(tables.string(0)) }
        for table in names {
            let columns = try database.statement("SELECT name FROM pragma_table_info(?)")
            columns.bind(table, at: 1)
            var quoted: [String] = []
            while try columns.step() { quoted.append("quote(\(columns.string(0)))") }
            columns.reset()
            let select = try database.statement("SELECT \(quoted.joined(separator: " || '|' || ")) FROM \(table) ORDER BY 1")
            while try select.step() { rows.append("\(table): \(select.string(0))") }
        }
        return rows
    }

    /// The first column of every row of `sql`, as text.
    func texts(_ sql: String) throws -> [String] {
        let statement = try Database(path: fixture.path, create: false).statement(sql)
        var values: [String] = []
        while try statement.step() { values.append(statement.string(0)) }
        return values
    }
}
