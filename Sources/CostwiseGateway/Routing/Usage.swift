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

    /// What these tokens cost at `model`'s prices (see ``Model/cost(of:)``): cached prompt tokens and
    /// reasoning tokens at their own prices where the upstream reports them and the price table has
    /// one; nil when the prompt or completion tokens are not reported.
    func cost(for model: Model) -> Double? {
        guard let promptTokens, let completionTokens else { return nil }
        return model.cost(of: TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens,
                                         cachedTokens: cachedTokens, reasoningTokens: reasoningTokens))
    }
}
