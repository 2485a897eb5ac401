import Foundation
import Synchronization
import Testing
@testable import Costwise

/// The LLM classifier with an in-process transport: what it sends, and how it falls back. The CLI
/// tests run the same path through `UpstreamHTTPTransport` against a stub server on 127.0.0.1.
struct ClassifierLLMTests {
    /// Answers every request with `respond` and keeps what was sent.
    final class RecordingTransport: HTTPTransport {
        struct Request: Sendable {
            var url: String
            var headers: [HTTPHeader]
            var body: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
            var bytes: [UInt8]
        }

        let requests = Mutex<[Request]>([])
        let respond: @Sendable () throws -> HTTPResponse

        init(_ respond: @escaping @Sendable () throws -> HTTPResponse) {
            self.respond = respond
        }

        static func answering(_ content: String) -> RecordingTransport {
            RecordingTransport {
                let completion = #"{"choices": [{"message": {"role": "assistant", "content": "\#(content)"}}]}"#
                return HTTPResponse(status: 200, body: Array(completion.utf8))
            }
        }

        func post(_ url: String, headers: [HTTPHeader], body: [UInt8], timeoutMs: Int) async throws -> HTTPResponse {
            requests.withLock { $0.append(Request(url: url, headers: headers, bytes: body)) }
            return try respond()
        }
    }

    let endpoint = LLMEndpoint(baseURL: "http://127.0.0.1:9/v1/", apiKey: "test-key", timeoutMs: 500)

    func classifier(_ transport: RecordingTransport, endpoint: LLMEndpoint?, store: TemporaryStore) throws -> LLMClassifier {
        LLMClassifier(snapshot: try store.store.snapshot(), endpoint: endpoint,
                      fallback: try RuleClassifier.bundled(for: try store.store.taskTypes()), transport: transport)
    }

    @Test("It asks the cheapest model that qualifies for classification, listing the task types, and uses a valid answer")
    func asksTheCheapestQualifyingModel() async throws {
        let store = try TemporaryStore(seed: .bundledCatalog)
        let transport = RecordingTransport.answering("**Reasoning.**\\n")
        let answer = try await classifier(transport, endpoint: endpoint, store: store).classify("Is every group of order 15 cyclic?")

        let expected = try #require(try store.select(SelectionRequest(task: "classification", minQuality: 0.8)).chosen)
        #expect(answer == TaskClassification(task: "reasoning", confidence: expected.quality.mean, classifier: "llm", model: expected.model))
        let request = try #require(transport.requests.withLock { $0.first })
        #expect(request.url == "http://127.0.0.1:9/v1/chat/completions")
        #expect(request.headers.contains(HTTPHeader("Authorization", "Bearer test-key")))
        #expect(request.body["model"] as? String == expected.model)
        let messages = try #require(request.body["messages"] as? [[String: String]])
        #expect(messages.count == 2 && messages[1] == ["role": "user", "content": "Is every group of order 15 cyclic?"])
        for task in try store.store.taskTypes() {
            #expect(messages[0]["content"]?.contains("\n" + task.name) == true, "\(task.name) is not offered")
        }
    }

    @Test("The classification task type's default threshold chooses the model when it has one")
    func taskDefaultThreshold() async throws {
        let store = try TemporaryStore(seed: .bundledCatalog)
        try store.store.setTaskType(TaskTypeUpdate(name: "classification", minQuality: 0.89))
        let transport = RecordingTransport.answering("code")
        let llm = try classifier(transport, endpoint: endpoint, store: store)
        let expected = try #require(try store.select(SelectionRequest(task: "classification", minQuality: 0.89)).chosen)
        #expect(expected.quality.mean >= 0.89)
        #expect(llm.model == expected.model)
        #expect(await llm.classify("Fix this segfault").task == "code")
    }

    @Test("An answer that is not a task type, an HTTP error, a timeout or no endpoint fall back to the rules, saying why")
    func fallsBackToTheRules() async throws {
        let store = try TemporaryStore(seed: .bundledCatalog)
        let text = "Prove that the square root of 2 is irrational."
        let rulesAnswer = try RuleClassifier.bundled(for: try store.store.taskTypes()).classify(text)
        let cases: [(RecordingTransport, LLMEndpoint?, String)] = [
            (RecordingTransport.answering("mathematics"), endpoint, "answered 'mathematics', which is not a known task type"),
            (RecordingTransport { HTTPResponse(status: 503, body: Array("overloaded".utf8)) }, endpoint,
             "HTTP 503 from http://127.0.0.1:9/v1/chat/completions: overloaded"),
            (RecordingTransport { HTTPResponse(status: 200, body: Array("<html>".utf8)) }, endpoint, "is not a chat completion"),
            (RecordingTransport { throw HTTPTransportError(.timeout, "timed out after 500 ms") }, endpoint, "timed out after 500 ms"),
            (RecordingTransport.answering("reasoning"), nil, "COSTWISE_LLM_BASE_URL is not set"),
        ]
        for (transport, endpoint, reason) in cases {
            let answer = try await classifier(transport, endpoint: endpoint, store: store).classify(text)
            #expect(answer.task == rulesAnswer.task && answer.confidence == rulesAnswer.confidence)
            #expect(answer.classifier == "rules")
            #expect(answer.model != nil)
            #expect(answer.fallbackReason?.contains(reason) == true, "\(answer.fallbackReason ?? "no reason") lacks \(reason)")
        }
        #expect(LLMEndpoint.from(environment: ["COSTWISE_LLM_BASE_URL": ""]) == nil)
        #expect(LLMEndpoint.from(environment: ["COSTWISE_LLM_BASE_URL": "http://h/v1", "COSTWISE_LLM_API_KEY": ""])?.apiKey == nil)
    }

    @Test("With no model qualifying for classification, nothing is sent and the rules answer")
    func noQualifyingModel() async throws {
        let store = try TemporaryStore()
        try store.task("classification")
        try store.task("analysis")
        try store.task("code")
        try store.model("cheap/a", input: 1, output: 1)
        try store.results("cheap/a", "classification", passes: 1, of: 2)
        let transport = RecordingTransport.answering("code")
        let rules = try RuleClassifier.parse(Array(#"[{"task": "code", "priority": 1, "keywords": ["bug"]}, {"task": "analysis", "fallback": true}]"#.utf8),
                                             file: nil, taskTypes: ["code", "analysis", "classification"])
        let llm = LLMClassifier(snapshot: try store.store.snapshot(), endpoint: endpoint, fallback: rules, transport: transport)
        let answer = await llm.classify("a bug")
        #expect(answer.task == "code" && answer.classifier == "rules" && answer.model == nil)
        #expect(answer.fallbackReason?.contains("cheap/a") == true, "\(answer)")
        #expect(transport.requests.withLock { $0.isEmpty })
    }
}
