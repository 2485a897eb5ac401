/// What the gateway reads of an OpenAI chat-completions request: the model it names, the messages
/// (for token estimates and classification), what the answer must be able to do, and the optional
/// `"costwise"` object of selection options. Every other field is passed on untouched.
///
/// Read in one pass with ``JSONReader``, which also notes where each top-level member lies
/// (``members``), so that the body is rewritten for the upstream without being scanned again.
struct ChatRequest {
    var model = ""
    /// Required for a completion; `POST /v1/select` may leave them out.
    var messages: [Message]?
    var stream: Bool?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    /// How many answers to generate; each is billed for its output tokens.
    var n: Int?
    /// Whether `tools` lists any.
    var hasTools = false
    var responseFormat: ResponseFormat?
    var streamOptions: StreamOptions?
    var costwise: CostwiseOptions?
    /// The body's top-level members, where they lie in it.
    var members: JSONMembers

    struct Message {
        var role: String
        var content: Content?
    }

    /// A message's content: text, or parts of text and images.
    enum Content {
        case text(String)
        case parts([Part])

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

    struct Part {
        var type: String
        var text: String?
    }

    struct ResponseFormat {
        var type: String
    }

    struct StreamOptions {
        var includeUsage: Bool?
    }

    var isStreaming: Bool { stream == true }

    /// The text of the last user message: what `costwise/auto` classifies.
    var lastUserText: String? {
        messages?.last { $0.role == "user" }?.content?.text
    }

    /// The output tokens the request asks for at most, where it says.
    var outputTokenLimit: Int? { maxCompletionTokens ?? maxTokens }

    /// Reads a request body; a body that is not one says which field is wrong.
    static func decode(_ bytes: [UInt8]) throws(GatewayError) -> ChatRequest {
        var reader = JSONReader(bytes)
        guard (try? reader.peekKind()) == .object else {
            throw GatewayError(status: 400, type: .invalidRequest, code: "invalid_json", "the body must be a JSON object")
        }
        var request = ChatRequest(members: JSONMembers(bytes: bytes, members: [], end: 0))
        var members: [JSONMembers.Member] = []
        var model: String?
        try reader.object(at: "") { reader, key throws(GatewayError) in
            let keyStart = reader.keyStart
            reader.skipWhitespace()
            let valueStart = reader.position
            switch key {
            case "model": model = try reader.string(at: "model")
            case "messages": request.messages = try reader.null() ? nil : try messages(&reader)
            case "stream": request.stream = try reader.null() ? nil : try reader.bool(at: "stream")
            case "max_tokens": request.maxTokens = try reader.null() ? nil : try reader.int(at: "max_tokens")
            case "max_completion_tokens":
                request.maxCompletionTokens = try reader.null() ? nil : try reader.int(at: "max_completion_tokens")
            case "n": request.n = try reader.null() ? nil : try reader.int(at: "n")
            case "tools":
                var count = 0
                if try !reader.null() {
                    try reader.array(at: "tools") { reader, _ throws(GatewayError) in
                        count += 1
                        try reader.skipValue()
                    }
                }
                request.hasTools = count > 0
            case "response_format":
                if try !reader.null() {
                    var type: String?
                    try reader.object(at: "response_format") { reader, key throws(GatewayError) in
                        if key == "type" { type = try reader.string(at: "response_format.type") } else { try reader.skipValue() }
                    }
                    guard let type else { throw missing("response_format.type") }
                    request.responseFormat = ResponseFormat(type: type)
                }
            case "stream_options":
                if try !reader.null() {
                    var options = StreamOptions()
                    try reader.object(at: "stream_options") { reader, key throws(GatewayError) in
                        if key == "include_usage" {
                            options.includeUsage = try reader.null() ? nil : try reader.bool(at: "stream_options.include_usage")
                        } else {
                            try reader.skipValue()
                        }
                    }
                    request.streamOptions = options
                }
            case "costwise": request.costwise = try reader.null() ? nil : try CostwiseOptions.read(&reader)
            default: try reader.skipValue()
            }
            members.append(JSONMembers.Member(key: key, whole: keyStart..<reader.position, value: valueStart..<reader.position))
        }
        let end = reader.position - 1
        try reader.end()
        guard let model else { throw missing("model") }
        request.model = model
        request.members = JSONMembers(bytes: bytes, members: members, end: end)
        return request
    }

    private static func messages(_ reader: inout JSONReader) throws(GatewayError) -> [Message] {
        var messages: [Message] = []
        try reader.array(at: "messages") { reader, index throws(GatewayError) in
            let path = "messages[\(index)]"
            var role: String?
            var content: Content?
            try reader.object(at: path) { reader, key throws(GatewayError) in
                switch key {
                case "role": role = try reader.string(at: path + ".role")
                case "content":
                    switch try reader.peekKind() {
                    case .null: _ = try reader.null()
                    case .string: content = .text(try reader.string(at: path + ".content"))
                    case .array: content = .parts(try parts(&reader, path: path + ".content"))
                    default: throw wrongType(path + ".content", expected: "a string or an array of parts")
                    }
                default: try reader.skipValue()
                }
            }
            guard let role else { throw missing(path + ".role") }
            messages.append(Message(role: role, content: content))
        }
        return messages
    }

    private static func parts(_ reader: inout JSONReader, path: String) throws(GatewayError) -> [Part] {
        var parts: [Part] = []
        try reader.array(at: path) { reader, index throws(GatewayError) in
            let partPath = "\(path)[\(index)]"
            var type: String?
            var text: String?
            try reader.object(at: partPath) { reader, key throws(GatewayError) in
                switch key {
                case "type": type = try reader.string(at: partPath + ".type")
                case "text": text = try reader.null() ? nil : try reader.string(at: partPath + ".text")
                default: try reader.skipValue()
                }
            }
            guard let type else { throw missing(partPath + ".type") }
            parts.append(Part(type: type, text: text))
        }
        return parts
    }

    static func missing(_ field: String) -> GatewayError {
        GatewayError(status: 400, type: .invalidRequest, code: "missing_field", "the request needs '\(field)'", param: field)
    }

    static func wrongType(_ field: String, expected: String) -> GatewayError {
        GatewayError(status: 400, type: .invalidRequest, code: "invalid_field", "'\(field)' has the wrong type: expected \(expected)",
                     param: field)
    }
}

/// The optional `"costwise"` object of a request: what a selection is limited by.
struct CostwiseOptions {
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

    /// Reads the object; members it does not know are skipped.
    static func read(_ reader: inout JSONReader) throws(GatewayError) -> CostwiseOptions {
        var options = CostwiseOptions()
        try reader.object(at: "costwise") { reader, key throws(GatewayError) in
            let path = "costwise." + key
            guard try !reader.null() else { return }
            switch key {
            case "task": options.task = try reader.string(at: path)
            case "min_quality": options.minQuality = try reader.double(at: path)
            case "confidence": options.confidence = try reader.double(at: path)
            case "max_cost_usd": options.maxCostUSD = try reader.double(at: path)
            case "max_latency_ms": options.maxLatencyMs = try reader.double(at: path)
            case "providers": options.providers = try strings(&reader, path: path)
            case "exclude": options.exclude = try strings(&reader, path: path)
            case "fit_budget": options.fitBudget = try reader.bool(at: path)
            default: try reader.skipValue()
            }
        }
        return options
    }

    private static func strings(_ reader: inout JSONReader, path: String) throws(GatewayError) -> [String] {
        var strings: [String] = []
        try reader.array(at: path) { reader, index throws(GatewayError) in strings.append(try reader.string(at: "\(path)[\(index)]")) }
        return strings
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
