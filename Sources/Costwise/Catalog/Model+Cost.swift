extension Model {
    /// What an answer that used `usage` costs at this model's prices, in USD.
    ///
    /// Cached prompt tokens are charged at ``cachedInputUSDPerMTok`` and the rest of the prompt at the
    /// input price; reasoning tokens at ``reasoningUSDPerMTok`` and the rest of the completion at the
    /// output price. Where the model has no such price, those tokens are charged as plain input or
    /// output: what OpenAI bills for reasoning, and the most a cache can cost. A detail count outside
    /// 0…its total (a broken upstream) is held within it, so no token is charged twice or below zero.
    public func cost(of usage: TokenUsage) -> Double {
        let prompt = max(0, usage.promptTokens)
        let completion = max(0, usage.completionTokens)
        let cached = cachedInputUSDPerMTok == nil ? 0 : min(max(0, usage.cachedTokens ?? 0), prompt)
        let reasoning = reasoningUSDPerMTok == nil ? 0 : min(max(0, usage.reasoningTokens ?? 0), completion)
        let tokens = Double(prompt - cached) * price.inputUSDPerMTok + Double(cached) * (cachedInputUSDPerMTok ?? 0)
            + Double(completion - reasoning) * price.outputUSDPerMTok + Double(reasoning) * (reasoningUSDPerMTok ?? 0)
        return tokens / 1_000_000 + (price.requestUSD ?? 0)
    }
}
