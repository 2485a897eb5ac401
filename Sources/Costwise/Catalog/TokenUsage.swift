/// The tokens an answer used, as its upstream reported them in `usage`: what ``Model/cost(of:)``
/// prices.
///
/// Follows OpenAI's convention, which OpenAI-compatible servers share: cached tokens are counted
/// inside the prompt tokens (`prompt_tokens_details.cached_tokens`) and reasoning tokens inside
/// the completion tokens (`completion_tokens_details.reasoning_tokens`).
public struct TokenUsage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Of the prompt tokens, those served from the provider's cache; nil when not reported.
    public var cachedTokens: Int?
    /// Of the completion tokens, those spent on reasoning; nil when not reported.
    public var reasoningTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }
}
