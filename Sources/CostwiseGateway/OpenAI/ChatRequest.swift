import FoundationEssentials

/// What the gateway reads of an OpenAI chat-completions request: the model it names, the messages
/// (for token estimates and classification), what the answer must be able to do, and the optional
/// `"costwise"` object of selection options. Every other field is passed on untouched.
struct ChatRequest: Decodable {
    var model: String
    /// Required for a completion; `POST /v1/select` may leave them out.
    var messages: [Message]?
    var stream: Bool?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    /// How many answers to generate; each is billed for its output tokens.
    var n: Int?
    var tools: [Ignored]?
    var responseFormat: ResponseFormat?
    var streamOptions: StreamOptions?
    var costwise: CostwiseOptions?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, tools, costwise, n
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case responseFormat = "response_format"
        case streamOptions = "stream_options"
    }

    struct Message: Decodable {
        var role: String
        var content: Content?
    }

    /// A message's content: text, or parts of text and images.
    enum Content: Decodable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }

        /// The text of the content, parts joined by newlines.
        var text: String {
            switch self {
            case .text(let text): text
            case .parts(let parts): parts.compactMap(\.text).joined(separator: "\n")
            }
        }

        var imageCount: Int {
            guard case .parts(let parts) = self else { return 0 }
            return parts.lazy.filter { $0.type == "image_url" || $0.type == "input_image" || $0.type == "image" }.count
        }
    }

    struct Part: Decodable {
        var type: String
        var text: String?
    }

    struct ResponseFormat: Decodable {
        var type: String
    }

    struct StreamOptions: Decodable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    /// A value whose contents do not matter here, only that it is there.
    struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    var isStreaming: Bool { stream == true }

    /// The text of the last user message: what `costwise/auto` classifies.
    var lastUserText: String? {
        messages?.last { $0.role == "user" }?.content?.text
    }

    /// The output tokens the request asks for at most, where it says.
    var outputTokenLimit: Int? { maxCompletionTokens ?? maxTokens }

    /// Decodes a request body; a body that is not one says which field is wrong.
    static func decode(_ bytes: [UInt8]) throws(GatewayError) -> ChatRequest {
        do {
            return try JSONDecoder().decode(ChatRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw GatewayError.invalidBody(error)
        } catch {
            throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_json", "the body is not JSON: \(error)")
        }
    }
}

/// The optional `"costwise"` object of a request: what a selection is limited by.
struct CostwiseOptions: Decodable {
    var task: String?
    var minQuality: Double?
    var confidence: Double?
    var maxCostUSD: Double?
    var maxLatencyMs: Double?
    var providers: [String]?
    var exclude: [String]?
    /// For a request made with a key that has a budget: choose the cheapest qualifying model whose
    /// worst case the remaining budget still covers, instead of refusing when the first does not fit.
    var fitBudget: Bool?

    enum CodingKeys: String, CodingKey {
        case task, confidence, providers, exclude
        case fitBudget = "fit_budget"
        case minQuality = "min_quality"
        case maxCostUSD = "max_cost_usd"
        case maxLatencyMs = "max_latency_ms"
    }

    /// - Throws: ``GatewayError`` naming the field that is out of range.
    func validate() throws(GatewayError) {
        func bad(_ field: String, _ rule: String) -> GatewayError {
            GatewayError(status: 400, type: .invalidRequest, code: "invalid_costwise_option", "costwise.\(field) \(rule)", param: "costwise.\(field)")
        }
        if let minQuality, !(minQuality >= 0 && minQuality <= 1) { throw bad("min_quality", "must be from 0 to 1") }
        if let confidence, !(confidence > 0 && confidence < 1) { throw bad("confidence", "must be between 0 and 1") }
        if let maxCostUSD, !(maxCostUSD >= 0) { throw bad("max_cost_usd", "must be at least 0") }
        if let maxLatencyMs, !(maxLatencyMs >= 0) { throw bad("max_latency_ms", "must be at least 0") }
    }
}
