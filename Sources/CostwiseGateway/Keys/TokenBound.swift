import Costwise

/// The most tokens a chat completion can use: a bound its real usage cannot exceed, so that the
/// budget reserved for it before it is sent covers what it will cost.
///
/// - Input: the UTF-8 bytes of the whole request body, plus ``perMessageTokens`` for each message
///   and ``perImageTokens`` for each image. The body holds every message's text, the tools and the
///   schemas the model reads, in JSON that is never shorter than the text it encodes; a byte-level
///   tokenizer never makes more tokens than bytes, while a count of characters or words can fall
///   short. The per-message allowance covers the chat template's role and separator tokens (3 to 5
///   in the templates of OpenAI, Anthropic and Llama 3). An image linked by URL costs tokens its
///   bytes do not show: up to about 48,000 for one large image at gpt-4o-mini's image rate, so each
///   image is allowed 50,000.
/// - Output: `max_completion_tokens` or `max_tokens` when the request gives one (upstreams stop
///   there), else the model's maximum output, else its context window, else ``outputCap``;
///   times `n` when the request asks for several answers.
struct TokenBound: Sendable {
    static let perMessageTokens = 8
    static let perImageTokens = 50_000
    /// The output bound for a model whose catalog entry gives neither a maximum output nor a context
    /// window: a stated cap, since nothing else bounds it. An upstream that reports more is
    /// charged what it reported and its reservation flagged as an overrun.
    static let outputCap = 32_768

    /// Input tokens: the same whichever model answers.
    let inputTokens: Int
    /// Output tokens the request asks for at most, if it says.
    let requestedOutputTokens: Int?
    /// How many answers the request asks for.
    let answers: Int

    init(bodyBytes: Int, chat: ChatRequest) {
        let messages = chat.messages ?? []
        let images = messages.reduce(0) { $0 + ($1.content?.imageCount ?? 0) }
        inputTokens = bodyBytes + messages.count * Self.perMessageTokens + images * Self.perImageTokens
        requestedOutputTokens = chat.outputTokenLimit
        answers = max(1, chat.n ?? 1)
    }

    /// The output tokens `model` can produce for this request.
    func outputTokens(for model: Model) -> Int {
        let perAnswer = requestedOutputTokens ?? model.maxOutputTokens ?? model.contextWindow ?? Self.outputCap
        let (total, overflow) = max(0, perAnswer).multipliedReportingOverflow(by: answers)
        return overflow ? Int.max / 2 : total
    }

    /// What the request costs at most at `model`'s prices, in whole picodollars.
    func worstCase(for model: Model) -> Picodollars {
        Picodollars.cost(inputTokens: inputTokens, outputTokens: outputTokens(for: model), at: model.dearestTokenPrice)
    }
}
