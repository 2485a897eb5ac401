extension Snapshot {
    /// What a request would cost on the premium tier: the cheapest enabled top-tier model whose
    /// context window holds the request and that has the `required` capabilities, at the given
    /// tokens. Nil when the catalog has none.
    public func premiumAlternative(inputTokens: Double, outputTokens: Double,
                                   requiring required: Set<Capability> = []) -> (model: String, costUSD: Double)? {
        premiumAlternative(tokens: inputTokens + outputTokens, requiring: required) {
            $0.price.estimatedCost(inputTokens: inputTokens, outputTokens: outputTokens)
        }
    }

    /// What an answer that used `usage` would have cost on the premium tier, as
    /// ``premiumAlternative(inputTokens:outputTokens:requiring:)`` but with its cached and reasoning
    /// tokens at the premium model's own prices for them (``Model/cost(of:)``): the same answer there
    /// would have been served from its cache too.
    public func premiumAlternative(for usage: TokenUsage,
                                   requiring required: Set<Capability> = []) -> (model: String, costUSD: Double)? {
        premiumAlternative(tokens: Double(usage.promptTokens) + Double(usage.completionTokens), requiring: required) {
            $0.cost(of: usage)
        }
    }

    private func premiumAlternative(tokens: Double, requiring required: Set<Capability>,
                                    cost: (Model) -> Double) -> (model: String, costUSD: Double)? {
        var best: (model: String, costUSD: Double)?
        for model in models where model.enabled && model.effectiveTier == Model.topTier && model.capabilities.isSuperset(of: required) {
            if let window = model.contextWindow, tokens > Double(window) { continue }
            let cost = cost(model)
            if let current = best, current.costUSD < cost || (current.costUSD == cost && current.model.utf8.lexicographicallyPrecedes(model.id.utf8)) {
                continue
            }
            best = (model.id, cost)
        }
        return best
    }
}
