import Costwise

/// What a chat request needs of the model that answers it, read from the request itself: tools,
/// images, a JSON schema for the answer, and how many tokens it may write. Each becomes a limit of
/// the selection, so that a request is never sent to a model that cannot serve it.
struct RequestNeeds: Sendable, Hashable {
    var tools: Bool
    var vision: Bool
    var jsonSchema: Bool
    /// `max_completion_tokens`, else `max_tokens`: only models that can write that many qualify, and
    /// the cost estimate uses it.
    var outputTokens: Int?
    /// The input tokens estimated from the messages; nil without messages (a bare `POST /v1/select`),
    /// where the selection takes the tokens measured for each model.
    var inputTokens: Int?

    init(_ request: ChatRequest) {
        tools = request.hasTools
        vision = (request.messages ?? []).contains { ($0.content?.imageCount ?? 0) > 0 }
        jsonSchema = request.responseFormat?.type == "json_schema"
        outputTokens = request.outputTokenLimit
        inputTokens = request.messages.map(TokenEstimate.inputTokens(of:))
    }

    /// The capabilities a model needs to serve the request.
    var capabilities: Set<Capability> {
        var capabilities: Set<Capability> = []
        if tools { capabilities.insert(.tools) }
        if vision { capabilities.insert(.vision) }
        if jsonSchema { capabilities.insert(.jsonSchema) }
        return capabilities
    }

    /// Limits `selection` to the models that can serve these needs (their capabilities, and at
    /// least the output tokens asked for), and prices it at the request's tokens.
    func limit(_ selection: inout SelectionRequest) {
        selection.inputTokens = inputTokens
        selection.outputTokens = outputTokens
        selection.requiredCapabilities = capabilities
    }

    /// Why `model` cannot serve these needs, or nil when it can: a request that names its model is
    /// checked as a selection's candidates are, so that it fails here with a reason rather than upstream.
    func shortfall(of model: Model) -> String? {
        let missing = capabilities.subtracting(model.capabilities)
        if !missing.isEmpty {
            return "\(model.id) lacks \(missing.sorted().map(\.rawValue).joined(separator: ", ")), which the request needs"
        }
        if let outputTokens, let most = model.maxOutputTokens, outputTokens > most {
            return "\(model.id) writes at most \(most) output tokens and the request asks for \(outputTokens)"
        }
        return nil
    }
}

/// Estimates a request's input tokens from its messages before any model has counted them.
///
/// About four bytes of English text make a token in the tokenizers of the common model families;
/// each message adds a few tokens of framing and each image a fixed amount (a low-detail image's
/// 85 tokens in OpenAI's pricing). An estimate only steers the selection and its cost limit: the
/// recorded tokens and cost are the upstream's.
enum TokenEstimate {
    static let bytesPerToken = 4
    static let tokensPerMessage = 4
    static let tokensPerImage = 85
    static let primingTokens = 3

    static func inputTokens(of messages: [ChatRequest.Message]) -> Int {
        var tokens = primingTokens
        for message in messages {
            tokens += tokensPerMessage
            guard let content = message.content else { continue }
            tokens += (content.text.utf8.count + bytesPerToken - 1) / bytesPerToken
            tokens += content.imageCount * tokensPerImage
        }
        return tokens
    }
}
