import Foundation
import Testing
@testable import Costwise

/// The library calls the commands (and a server) share beyond selection: recording an evaluation
/// file, the classifiers listed, scores by task type, the settings a store takes, reviewing a
/// store, and the times `--since` accepts.
struct CommandOperationsTests {
    @Test("Recording a JSONL file names a refused result by its line; nothing is recorded then")
    func recordEvaluationFileWithLines() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.model("a/m", input: 1, output: 1)
        let good = #"{"model": "a/m", "task": "t", "score": 1, "run": "r", "item": "1"}"#
        let unknown = #"{"model": "a/m", "task": "nope", "score": 1, "run": "r", "item": "2"}"#
        let reader = EvaluationImport()
        let error = try #require(throws: InputError.self) {
            try reader.record(Array((good + "\n\n" + unknown + "\n").utf8), format: .auto, file: "r.jsonl", in: fixture.store)
        }
        #expect(error.file == "r.jsonl" && error.line == 3, "\(error)")
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 0)

        let (format, report) = try reader.record(Array((good + "\n").utf8), format: .auto, file: "r.jsonl", in: fixture.store)
        #expect(format == .jsonl)
        #expect(report.inserted == 1 && report.replaced == 0 && report.pairs == 1)
        let again = try reader.record(Array((good + "\n").utf8), format: .jsonl, file: "r.jsonl", in: fixture.store).report
        #expect(again.inserted == 0 && again.replaced == 1)
    }

    @Test("Imports open the store only once the file has been read: a bad file creates no store")
    func storeOpenedAfterReading() throws {
        struct Unopened: Error {}
        func unopened() throws -> any CostwiseStore {
            Issue.record("the store was opened for a file that cannot be read")
            throw Unopened()
        }
        #expect(throws: InputError.self) {
            try PriceFile.importPrices(Array("model,provider\n".utf8), format: .auto, file: "p.csv", into: unopened(), guard: .off)
        }
        #expect(throws: InputError.self) {
            try EvaluationImport().record(Array("{\"model\": 1}\n".utf8), format: .auto, file: "r.jsonl", in: unopened())
        }
        let fixture = try TemporaryStore()
        let imported = try PriceFile.importPrices(
            Array("model,provider,input_usd_per_mtok,output_usd_per_mtok\na/m,a,1,2\n".utf8), format: .auto, file: "p.csv",
            into: fixture.store, guard: .off)
        #expect(imported.format == .csv && imported.report.added.map(\.id) == ["a/m"])
        #expect(try fixture.store.priceHistory(model: "a/m").map(\.source.format) == ["csv"])
    }

    @Test("A classifier by name or the store's default; rules from a file or the bundled ones, read only when needed")
    func classifierByName() async throws {
        let fixture = try TemporaryStore()
        try fixture.task("sorting")
        try fixture.task("other")
        let rulesFile = fixture.folder.url.appendingPathComponent("rules.json").path
        try Data(#"[{"task": "sorting", "priority": 1, "keywords": ["sort"]}, {"task": "other", "fallback": true}]"#.utf8).write(to: URL(fileURLWithPath: rulesFile))
        let missing = fixture.folder.url.appendingPathComponent("missing.json").path

        // No trained classifier: the rules, from the file given.
        let rules = try ClassifierChoice.classifier(named: nil, store: fixture.store, rulesFile: rulesFile, endpoint: nil, transport: nil)
        #expect(try await rules.classify("please sort these").task == "sorting")
        #expect(try await rules.classify("please sort these").classifier == "rules")
        #expect(try await rules.classify("hello").task == "other")
        // The bundled rules route to task types this store lacks: refused, saying what to do.
        let bundled = try #require(throws: InputError.self) {
            try ClassifierChoice.classifier(named: "rules", store: fixture.store, rulesFile: nil, endpoint: nil, transport: nil)
        }
        #expect(bundled.message.hasSuffix("(the bundled rules route to the bundled task types; give rules for this store's with --rules FILE)"))
        #expect(throws: InputError.self) { try ClassifierChoice.classifier(named: "rules", store: fixture.store, rulesFile: missing, endpoint: nil, transport: nil) }

        // A trained classifier needs no rules: the missing file is never read.
        let examples = [LabelledExample(text: "sort the list", task: "sorting"), LabelledExample(text: "order these", task: "sorting")]
        try fixture.store.saveClassifier(TrainedClassifier(NaiveBayesClassifier.train(name: "bayes", examples: examples), trainedAt: 1))
        let trained = try ClassifierChoice.classifier(named: nil, store: fixture.store, rulesFile: missing, endpoint: nil, transport: nil)
        #expect(try await trained.classify("sort it").classifier == "bayes")
        #expect(throws: InputError.self) { try ClassifierChoice.classifier(named: "nosuch", store: fixture.store, rulesFile: nil, endpoint: nil, transport: nil) }
    }

    @Test("Listed classifiers: rules and llm first, then the trained ones by name, each with its latest evaluation")
    func classifierListing() throws {
        let fixture = try TemporaryStore()
        let examples = [LabelledExample(text: "sort these emails", task: "classification"),
                        LabelledExample(text: "sum up the report", task: "summarization")]
        for name in ["zeta", "alpha"] {
            try fixture.store.saveClassifier(TrainedClassifier(NaiveBayesClassifier.train(name: name, examples: examples), trainedAt: 100))
        }
        let confusion = ConfusionMatrix(pairs: [(truth: "classification", answer: "classification")])
        try fixture.store.recordClassifierEvaluation(ClassifierEvaluation(classifier: "zeta", at: 200, confusion: confusion, source: "set"))
        try fixture.store.recordClassifierEvaluation(ClassifierEvaluation(classifier: "rules", at: 300, confusion: confusion, source: nil))

        let listing = try ClassifierListing.all(in: fixture.store)
        #expect(listing.map(\.name) == ["rules", "llm", "alpha", "zeta"])
        #expect(listing.map(\.kind) == ["rules", "llm", NaiveBayesClassifier.kind, NaiveBayesClassifier.kind])
        #expect(listing.map { $0.trained?.examples } == [nil, nil, 2, 2])
        #expect(listing.map { $0.latestEvaluation?.at } == [300, nil, nil, 200])
        #expect(listing[3].json == .object([
            ("name", .string("zeta")), ("kind", .string(NaiveBayesClassifier.kind)), ("examples", .number(2)),
            ("trained_at", .string("1970-01-01T00:01:40Z")), ("latest_evaluation", listing[3].latestEvaluation?.json ?? .null),
        ]))
        #expect(listing[1].json == .object([
            ("name", .string("llm")), ("kind", .string("llm")), ("examples", .null), ("trained_at", .null), ("latest_evaluation", .null),
        ]))
    }

    @Test("Scores: one task type's estimates, or every one's; an unknown task type is an error")
    func scores() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t")
        try fixture.task("u")
        try fixture.model("a/m", input: 1, output: 1)
        try fixture.results("a/m", "t", passes: 1, of: 2)
        try fixture.results("a/m", "u", passes: 2, of: 2)
        let snapshot = try fixture.store.snapshot()
        #expect(try snapshot.scores(task: "t").map(\.quality.mean) == [0.5])
        #expect(try snapshot.scores(task: nil).map(\.task) == ["t", "u"])
        #expect(throws: CatalogError.unknownTaskType("v")) { try snapshot.scores(task: "v") }
    }

    @Test("A store takes only the settings it knows, with the values each allows; removing one is always allowed")
    func settings() throws {
        try SQLiteStore.checkSetting("log-selections", value: "true")
        try SQLiteStore.checkSetting("log-selections", value: nil)
        let unknown = try #require(throws: InputError.self) { try SQLiteStore.checkSetting("colour", value: "red") }
        #expect(unknown.message == "unknown setting 'colour'; the settings are log-selections")
        let value = try #require(throws: InputError.self) { try SQLiteStore.checkSetting("log-selections", value: "yes") }
        #expect(value.message == "log-selections takes true or false")
        #expect(JSONValue.settings([("a", "1"), ("b", "2")]).text() == "{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}")
    }

    @Test("Reviewing a store counts only the selections logged within the window before now")
    func reviewWindow() throws {
        let fixture = try TemporaryStore()
        try fixture.task("t", input: 1_000, output: 0)
        try fixture.model("a/cheap", input: 1, output: 1, tier: 1)
        try fixture.model("b/top", input: 10, output: 10, tier: 3)
        try fixture.results("a/cheap", "t", passes: 95, of: 100)
        try fixture.results("b/top", "t", passes: 100, of: 100)
        let snapshot = try fixture.store.snapshot()
        let top = try snapshot.select(SelectionRequest(task: "t", minQuality: 0.99))
        let cheap = try snapshot.select(SelectionRequest(task: "t", minQuality: 0.9))
        #expect(top.chosenModel == "b/top" && cheap.chosenModel == "a/cheap")
        let day = 86_400.0
        // b/top took two selections long ago; a/cheap one within the last 10 days before day 100.
        for time in [10 * day, 20 * day] { try fixture.store.logDecision(top, in: snapshot, at: time) }
        try fixture.store.logDecision(cheap, in: snapshot, at: 95 * day)
        let recent = try Review(store: fixture.store, halfLifeDays: 30, windowDays: 10, now: 100 * day)
        #expect(recent.findings.map(\.currentModel) == ["a/cheap"])
        let whole = try Review(store: fixture.store, halfLifeDays: 30, windowDays: 100, now: 100 * day)
        #expect(whole.findings.map(\.currentModel) == ["b/top"])
    }

    @Test("--since takes an RFC 3339 time or a date, read as its midnight UTC")
    func sinceTimes() {
        #expect(RFC3339.seconds(fromDateOrTime: "1970-01-02") == 86_400)
        #expect(RFC3339.seconds(fromDateOrTime: "1970-01-02T00:00:10Z") == 86_410)
        #expect(RFC3339.seconds(fromDateOrTime: "yesterday") == nil)
    }
}
