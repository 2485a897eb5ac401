import Foundation
import Testing
@testable import Costwise

/// Evaluation results flowing back into the store: atomic, idempotent per key, and the statistics
/// always equal to a recomputation from the rows.
struct FeedbackTests {
    func makeFixture() throws -> TemporaryStore {
        let fixture = try TemporaryStore()
        try fixture.task("reasoning")
        try fixture.model("openai/gpt-4-turbo", input: 10, output: 30)
        try fixture.model("mistral/mixtral-8x7b-instruct", input: 0.7, output: 0.7)
        return fixture
    }

    @Test("A real run imports from JSONL and from CSV to the same statistics", arguments: ["jsonl", "csv"])
    func importRealRun(format: String) throws {
        let fixture = try makeFixture()
        let file = fixturesFolder.appendingPathComponent("routellm_gsm8k_sample.\(format)").path
        let bytes = try InputFile.bytes(atPath: file)
        let parsed = try EvaluationFile.parse(bytes, format: format == "csv" ? .csv : .jsonl, file: file)
        #expect(parsed.count == 200)
        let report = try fixture.store.recordResults(parsed.map(\.result), lines: parsed.map(\.line), file: file)
        #expect(report == ResultImportReport(inserted: 200, replaced: 0, pairs: 2))

        let estimates = try fixture.store.snapshot().estimates
        for model in ["openai/gpt-4-turbo", "mistral/mixtral-8x7b-instruct"] {
            let scores = parsed.filter { $0.result.model == model }.map(\.result.score)
            let estimate = try #require(estimates.first { $0.model == model })
            #expect(estimate.quality.results == 100)
            #expect(abs(estimate.quality.mean - scores.reduce(0, +) / 100) < 1e-12)
        }
    }

    @Test("Importing the same run again replaces its results and never counts them twice")
    func reimportIsIdempotent() throws {
        let fixture = try makeFixture()
        let run = (0..<50).map { EvaluationResult(model: "openai/gpt-4-turbo", task: "reasoning", score: $0 < 40 ? 1 : 0, run: "r1", item: "i\($0)") }
        try fixture.store.recordResults(run, lines: nil, file: nil)
        let rescored = run.map { var result = $0; result.score = 1; return result }
        let report = try fixture.store.recordResults(rescored, lines: nil, file: nil)
        #expect(report.inserted == 0 && report.replaced == 50)
        let estimate = try #require(try fixture.store.snapshot().estimates.first)
        #expect(estimate.quality.results == 50 && estimate.quality.mean == 1)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 50)
    }

    @Test("A result without run and item is always a new result")
    func unkeyedResultsAreNew() throws {
        let fixture = try makeFixture()
        let result = EvaluationResult(model: "openai/gpt-4-turbo", task: "reasoning", score: 1)
        try fixture.store.record(result)
        try fixture.store.record(result)
        #expect(try fixture.store.snapshot().estimates.first?.quality.results == 2)
    }

    @Test("A batch naming an unknown model or task type is refused whole, naming file, line and field")
    func unknownNamesRefuseTheBatch() throws {
        let fixture = try makeFixture()
        let good = EvaluationResult(model: "openai/gpt-4-turbo", task: "reasoning", score: 1, run: "r", item: "1")
        let typo = EvaluationResult(model: "openai/gpt-4-trubo", task: "reasoning", score: 1, run: "r", item: "2")
        let error = try #require(throws: InputError.self) {
            try fixture.store.recordResults([good, typo], lines: [2, 3], file: "run.jsonl")
        }
        #expect(error.file == "run.jsonl" && error.line == 3 && error.field == "model")
        #expect(error.description.contains("openai/gpt-4-trubo"))
        let badTask = EvaluationResult(model: "openai/gpt-4-turbo", task: "reasonning", score: 1)
        let taskError = try #require(throws: InputError.self) { try fixture.store.recordResults([badTask], lines: [7], file: "f") }
        #expect(taskError.field == "task" && taskError.line == 7)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 0)
        #expect(try fixture.rawInteger("SELECT count(*) FROM models") == 2)
        #expect(try fixture.store.snapshot().estimates.isEmpty)
    }

    @Test("Statistics equal a recomputation from the rows after inserts and replacements")
    func statisticsMatchRows() throws {
        let fixture = try makeFixture()
        var random = SelectionReferenceTests.SeededGenerator(state: 7)
        for batch in 0..<5 {
            let results = (0..<200).map { index in
                EvaluationResult(
                    model: Bool.random(using: &random) ? "openai/gpt-4-turbo" : "mistral/mixtral-8x7b-instruct", task: "reasoning",
                    score: Double(Int.random(in: 0...100, using: &random)) / 100,
                    run: index % 3 == 0 ? nil : "run\(batch % 2)", item: index % 3 == 0 ? nil : "item\(index)",
                    latencyMs: Bool.random(using: &random) ? Double.random(in: 50...5_000, using: &random) : nil,
                    inputTokens: Int.random(in: 10...5_000, using: &random), outputTokens: Bool.random(using: &random) ? 100 : nil)
            }
            try fixture.store.recordResults(results, lines: nil, file: nil)
        }
        let database = try Database(path: fixture.path, create: false)
        for estimate in try fixture.store.snapshot().estimates {
            let modelID = try #require(try database.integer("SELECT id FROM models WHERE name = '\(estimate.model)'"))
            let rows = try database.statement("SELECT score, latency_ms FROM results WHERE model_id = \(modelID)")
            var scores: [Double] = []
            var latencies: [Double] = []
            while try rows.step() {
                scores.append(rows.double(0))
                if let latency = rows.optionalDouble(1) { latencies.append(latency) }
            }
            #expect(estimate.quality.results == scores.count)
            #expect(abs(estimate.quality.mean - scores.reduce(0, +) / Double(scores.count)) < 1e-9)
            latencies.sort()
            #expect(estimate.latencyP95Ms == latencies[Int((Double(latencies.count) * 95 / 100).rounded(.up)) - 1])
        }
    }
}

extension FeedbackTests {
    @Test("A result with a run but no item (or an item but no run) keeps its key: recording it again replaces it")
    func halfKeyedResultsAreReplaced() throws {
        let fixture = try makeFixture()
        for _ in 0..<2 {
            try fixture.store.record(EvaluationResult(model: "openai/gpt-4-turbo", task: "reasoning", score: 1, run: "nightly"))
            try fixture.store.record(EvaluationResult(model: "openai/gpt-4-turbo", task: "reasoning", score: 0, item: "q1"))
        }
        #expect(try fixture.store.snapshot().estimates.first?.quality.results == 2)
    }
}
