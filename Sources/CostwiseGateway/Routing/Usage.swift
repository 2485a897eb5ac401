import Costwise
import FoundationEssentials

/// The token counts an upstream reported in an answer's `usage`, and what they cost.
struct Usage: Decodable, Sendable, Hashable {
    var promptTokens: Int?
    var completionTokens: Int?
    var promptDetails: PromptDetails?
    var completionDetails: CompletionDetails?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case promptDetails = "prompt_tokens_details"
        case completionDetails = "completion_tokens_details"
    }

    struct PromptDetails: Decodable, Sendable, Hashable {
        var cachedTokens: Int?
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    struct CompletionDetails: Decodable, Sendable, Hashable {
        var reasoningTokens: Int?
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var cachedTokens: Int? { promptDetails?.cachedTokens }
    var reasoningTokens: Int? { completionDetails?.reasoningTokens }

    /// Reads a `usage` object; nil when it is null or not one.
    static func decode(_ bytes: ArraySlice<UInt8>) -> Usage? {
        guard let first = bytes.first, first == UInt8(ascii: "{") else { return nil }
        return try? JSONDecoder().decode(Usage.self, from: Data(bytes))
    }

    /// What these tokens cost at `price`; nil when the prompt or completion tokens are not reported.
    ///
    /// Cached input tokens and reasoning tokens are counted inside `prompt_tokens` and
    /// `completion_tokens` (OpenAI's convention, which OpenAI-compatible servers follow). The price
    /// table holds one input and one output price per model, with no separate price for cached input
    /// or reasoning, so cached tokens are costed at the input price and reasoning tokens at the output
    /// price: the cost is what the full input price would charge, an upper bound where the provider
    /// discounts its cache. Both counts are recorded as reported, so they can be repriced later.
    func cost(at price: Price) -> Double? {
        guard let promptTokens, let completionTokens else { return nil }
        return price.estimatedCost(inputTokens: Double(promptTokens), outputTokens: Double(completionTokens))
    }
}
