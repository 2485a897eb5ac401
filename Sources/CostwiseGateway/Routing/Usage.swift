import Costwise

/// The token counts an upstream reported in an answer's `usage`, and what they cost.
struct Usage: Sendable, Hashable {
    var promptTokens: Int?
    var completionTokens: Int?
    /// `prompt_tokens_details.cached_tokens`: prompt tokens read from the provider's cache.
    var cachedTokens: Int?
    /// `completion_tokens_details.reasoning_tokens`: completion tokens spent on reasoning.
    var reasoningTokens: Int?

    /// Reads a `usage` object; nil when it is null, not an object, or holds a count that is not an
    /// integer (a count the gateway cannot trust is no count). Members it does not know are skipped.
    ///
    /// Every answer passes through here, so it is read with ``JSONReader`` in one pass: `JSONDecoder`
    /// took 4% of the gateway's CPU time per request (see benchmarks/RESULTS.md).
    static func decode(_ bytes: ArraySlice<UInt8>) -> Usage? {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        var reader = JSONReader(Array(bytes))
        var usage = Usage()
        do throws(GatewayError) {
            try reader.object(at: "usage") { reader, key throws(GatewayError) in
                switch key {
                case "prompt_tokens": usage.promptTokens = try reader.null() ? nil : reader.int(at: key)
                case "completion_tokens": usage.completionTokens = try reader.null() ? nil : reader.int(at: key)
                case "prompt_tokens_details":
                    usage.cachedTokens = try detail("cached_tokens", of: &reader)
                case "completion_tokens_details":
                    usage.reasoningTokens = try detail("reasoning_tokens", of: &reader)
                default: try reader.skipValue()
                }
            }
            try reader.end()
        } catch {
            return nil
        }
        return usage
    }

    /// The count `name` of a details object (null or absent: nil).
    private static func detail(_ name: String, of reader: inout JSONReader) throws(GatewayError) -> Int? {
        if try reader.null() { return nil }
        var count: Int?
        try reader.object(at: name) { reader, key throws(GatewayError) in
            if key == name, !(try reader.null()) {
                count = try reader.int(at: key)
            } else {
                try reader.skipValue()
            }
        }
        return count
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
