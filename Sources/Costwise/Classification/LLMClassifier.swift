import FoundationEssentials

/// Asks an LLM which task type a description belongs to, through an OpenAI-compatible
/// chat-completions endpoint (see ``LLMEndpoint``).
///
/// The model is itself chosen by the selection rule: the cheapest model that qualifies for the task
/// type `classification` at that task type's default threshold, else at 0.8. The prompt lists the
/// store's task types and asks for one name; an answer that is not one of them is not used.
/// Whenever the LLM cannot answer — no endpoint configured, no qualifying model, a timeout, an HTTP
/// error, an answer that is not a task type — the rules answer instead, and the answer says why in
/// ``TaskClassification/fallbackReason``. The confidence of an LLM answer is the chosen model's
/// quality estimate for classification: how often such a label has been right.
public struct LLMClassifier: TaskClassifier {
    /// The task type whose candidates the classifier model is chosen from.
    public static let classificationTask = "classification"
    /// The threshold used when the task type `classification` has no default of its own.
    public static let defaultThreshold = 0.8

    public var name: String { ClassifierChoice.llm.name }
    /// The model asked; nil when none qualifies.
    public let model: String?
    private let setup: Setup
    private let taskTypes: [String]
    private let fallback: RuleClassifier
    private let transport: any HTTPTransport

    private enum Setup {
        case ready(LLMEndpoint, model: String, confidence: Double)
        case unavailable(reason: String)
    }

    /// Chooses the classifier model from `snapshot`; with no `endpoint` every answer comes from
    /// `fallback`. Requests go through `transport` (`CostwiseUpstream`'s `UpstreamHTTPTransport`).
    public init(snapshot: Snapshot, endpoint: LLMEndpoint?, fallback: RuleClassifier, transport: any HTTPTransport) {
        self.taskTypes = snapshot.taskTypes.map(\.name)
        self.fallback = fallback
        self.transport = transport
        let task = Self.classificationTask
        guard let classification = snapshot.taskType(named: task) else {
            model = nil
            setup = .unavailable(reason: "the store has no task type '\(task)' to choose the classifier model by")
            return
        }
        let threshold = classification.minQuality ?? Self.defaultThreshold
        let selection = try? snapshot.select(SelectionRequest(task: task, minQuality: threshold))
        guard let chosen = selection?.chosen else {
            model = nil
            setup = .unavailable(reason: selection?.failureReason ?? "no model qualifies for '\(task)'")
            return
        }
        model = chosen.model
        guard let endpoint else {
            setup = .unavailable(reason: "COSTWISE_LLM_BASE_URL is not set")
            return
        }
        setup = .ready(endpoint, model: chosen.model, confidence: chosen.quality.mean)
    }

    public func classify(_ text: String) async -> TaskClassification {
        switch setup {
        case .unavailable(let reason):
            return fallingBack(text, reason)
        case .ready(let endpoint, let model, let confidence):
            let response: HTTPResponse
            do {
                response = try await transport.post(endpoint.chatCompletionsURL, headers: headers(endpoint),
                                              body: Array(requestBody(model: model, text: text).text().utf8),
                                              timeoutMs: endpoint.timeoutMs)
            } catch let error as HTTPTransportError {
                return fallingBack(text, "\(endpoint.chatCompletionsURL): \(error.description)")
            } catch {
                return fallingBack(text, "\(endpoint.chatCompletionsURL): \(error)")
            }
            guard (200..<300).contains(response.status) else {
                return fallingBack(text, "HTTP \(response.status) from \(endpoint.chatCompletionsURL): \(Self.excerpt(response.body))")
            }
            guard let content = Self.answerContent(response.body) else {
                return fallingBack(text, "the answer of \(endpoint.chatCompletionsURL) is not a chat completion: \(Self.excerpt(response.body))")
            }
            let answer = Self.normalized(content)
            guard taskTypes.contains(answer) else {
                return fallingBack(text, "\(model) answered '\(Self.excerpt(Array(content.utf8)))', which is not a known task type")
            }
            return TaskClassification(task: answer, confidence: confidence, classifier: name, model: model)
        }
    }

    /// The chat-completions request: a system message listing the task types, the description as
    /// the user's message, no sampling, and room for one name only.
    func requestBody(model: String, text: String) -> JSONValue {
        let instructions = """
            You route requests to language models by task type. Read the user's task description and answer with \
            the one task type it belongs to, written exactly as in this list, and nothing else:
            \(taskTypes.joined(separator: "\n"))
            """
        return .object([
            ("model", .string(model)),
            ("messages", .array([
                .object([("role", .string("system")), ("content", .string(instructions))]),
                .object([("role", .string("user")), ("content", .string(text))]),
            ])),
            ("temperature", .number(0)),
            ("max_tokens", .number(20)),
        ])
    }

    private func headers(_ endpoint: LLMEndpoint) -> [HTTPHeader] {
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")]
        if let apiKey = endpoint.apiKey { headers.append(HTTPHeader("Authorization", "Bearer \(apiKey)")) }
        return headers
    }

    private func fallingBack(_ text: String, _ reason: String) -> TaskClassification {
        var answer = fallback.classify(text)
        answer.model = model
        answer.fallbackReason = reason
        return answer
    }

    /// `choices[0].message.content` of a chat completion; nil when the body is not one.
    static func answerContent(_ body: [UInt8]) -> String? {
        struct Completion: Decodable {
            struct Choice: Decodable {
                struct Message: Decodable { var content: String? }
                var message: Message
            }
            var choices: [Choice]
        }
        return (try? JSONDecoder().decode(Completion.self, from: Data(body)))?.choices.first?.message.content
    }

    /// The answer without surrounding space, quotes, backticks, asterisks or final period, lowercased:
    /// `"**Reasoning.**"` reads as `reasoning`.
    static func normalized(_ content: String) -> String {
        let decoration: Set<Character> = [" ", "\n", "\r", "\t", "\"", "'", "`", "*", "."]
        var answer = Substring(content)
        while let first = answer.first, decoration.contains(first) { answer = answer.dropFirst() }
        while let last = answer.last, decoration.contains(last) { answer = answer.dropLast() }
        return answer.lowercased()
    }

    /// At most 200 characters of `bytes`, on one line, for an error message.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 200 ? text.prefix(200) + "…" : text
    }
}
