import Foundation
import Testing
@testable import Costwise

/// Real logs from Inspect AI and lm-evaluation-harness (made offline; see Fixtures/evals/README.md).
struct EvaluationLogTests {
    func log(_ name: String) throws -> (bytes: [UInt8], path: String) {
        let path = fixturesFolder.appendingPathComponent("evals/\(name)").path
        return (try InputFile.bytes(atPath: path), path)
    }

    @Test("Inspect's .json log and .eval archive give the same scores, tokens and latencies", arguments: ["inspect_mockllm.json", "inspect_mockllm.eval"])
    func inspect(name: String) throws {
        let (bytes, path) = try log(name)
        #expect(EvaluationImport.detect(bytes) == .inspect)
        let (_, parsed) = try EvaluationImport().read(bytes, format: .auto, file: path)
        let results = parsed.map(\.result)
        #expect(results.count == 10)
        #expect(Set(results.map(\.model)) == ["mockllm/model"] && Set(results.map(\.task)) == ["costwise_classify"])
        #expect(results.filter { $0.score == 1 }.count == 5 && results.filter { $0.score == 0 }.count == 5)
        #expect(Set(results.compactMap(\.item)).count == 10 && results.first?.item == "q01")
        #expect(results.allSatisfy { $0.run != nil && $0.inputTokens != nil && $0.outputTokens == 33 && $0.latencyMs != nil && $0.recordedAt != nil })
    }

    @Test("A numeric Inspect scorer is read when named")
    func inspectNumericScorer() throws {
        let (bytes, path) = try log("inspect_mockllm.eval")
        let results = try InspectLog.parse(bytes, file: path, scorer: "answer_length")
        let meanScore: Double = results.map(\.score).reduce(0, +) / 10
        #expect(abs(meanScore - 0.17877) < 1e-4)
        let error = try #require(throws: InputError.self) { try InspectLog.parse(bytes, file: path, scorer: "nope") }
        #expect(error.field?.hasSuffix("scores.nope.value") == true)
    }

    @Test("Inspect's score values map to [0, 1]")
    func inspectValues() {
        #expect(InspectLog.score(.string("C")) == 1)
        #expect(InspectLog.score(.string("P")) == 0.5)
        #expect(InspectLog.score(.string("I")) == 0)
        #expect(InspectLog.score(.bool(true)) == 1)
        #expect(InspectLog.score(.number(Decimal(string: "0.25")!)) == 0.25)
        #expect(InspectLog.score(.number(7)) == nil)
        #expect(InspectLog.score(.string("maybe")) == nil)
    }

    @Test("A truncated .eval archive is refused with a clear error")
    func truncatedArchive() throws {
        let (bytes, path) = try log("inspect_truncated.eval")
        let error = try #require(throws: InputError.self) { try EvaluationImport().read(bytes, format: .auto, file: path) }
        #expect(error.file == path && error.message.contains("truncated"))
    }

    @Test("lm-eval's per-sample log: one result per document, with the model given and the task mapped")
    func lmEvalSamples() throws {
        let (bytes, path) = try log("lmeval_dummy_samples.jsonl")
        #expect(EvaluationImport.detect(bytes) == .lmEval)
        #expect(throws: InputError.self) { try EvaluationImport().read(bytes, format: .auto, file: path) }
        let reader = EvaluationImport(model: "dummy", task: "costwise_mc", taskMap: ["costwise_mc": "classification"])
        let (_, parsed) = try reader.read(bytes, format: .auto, file: path)
        #expect(parsed.count == 10)
        #expect(parsed.map(\.result.item) == (0..<10).map { String($0) })
        #expect(parsed.map(\.result.score).reduce(0, +) == 4)
        #expect(parsed.allSatisfy { $0.result.task == "classification" && $0.result.model == "dummy" && $0.line != nil })
        #expect(LMEvalLog.taskName(fromSampleFile: "samples_costwise_mc_2026-11-29T12-38-03.539104") == "costwise_mc")
    }

    @Test("lm-eval's results JSON: each task's metric over its sample count")
    func lmEvalResults() throws {
        let (bytes, path) = try log("lmeval_dummy_results.json")
        #expect(EvaluationImport.detect(bytes) == .lmEval)
        let (_, parsed) = try EvaluationImport(taskMap: ["costwise_mc": "classification"]).read(bytes, format: .auto, file: path)
        #expect(parsed.count == 10)
        #expect(parsed.allSatisfy { $0.result.model == "dummy" && $0.result.task == "classification" && $0.result.score == 0.4 })
    }

    @Test("Logs join the store under aliases, and importing one twice counts it once")
    func intoTheStore() throws {
        let fixture = try TemporaryStore()
        try fixture.task("classification")
        try fixture.model("mock/model", input: 0.1, output: 0.1)
        try fixture.store.setAlias("mockllm/model", model: "mock/model")
        let (bytes, path) = try log("inspect_mockllm.eval")
        let (_, parsed) = try EvaluationImport(taskMap: ["costwise_classify": "classification"]).read(bytes, format: .inspect, file: path)
        for _ in 0..<2 { try fixture.store.recordResults(parsed.map(\.result), lines: nil, file: path) }
        let estimate = try #require(try fixture.store.snapshot().estimates.first)
        #expect(estimate.model == "mock/model" && estimate.quality.results == 10 && estimate.quality.mean == 0.5)
    }

    @Test("Task maps read from JSON and CSV")
    func taskMaps() throws {
        #expect(try EvaluationImport.taskMap(Array(#"{"gsm8k": "reasoning"}"#.utf8), file: "m.json") == ["gsm8k": "reasoning"])
        #expect(try EvaluationImport.taskMap(Array("from,to\ngsm8k,reasoning\nmmlu,simple-qa\n".utf8), file: "m.csv")
                == ["gsm8k": "reasoning", "mmlu": "simple-qa"])
        #expect(throws: InputError.self) { try EvaluationImport.taskMap(Array("a,b\n".utf8), file: "m.csv") }
    }
}
