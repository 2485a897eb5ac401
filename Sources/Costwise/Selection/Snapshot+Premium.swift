extension Snapshot {
    /// What a request would cost on the premium tier: the cheapest enabled top-tier model whose
    /// context window holds the request and that has the `required` capabilities, at the given
    /// tokens. Nil when the catalog has none.
    public func premiumAlternative(inputTokens: Double, outputTokens: Double,
                                   requiring required: Set<Capability> = []) -> (model: String, costUSD: Double)? {
        var best: (model: String, costUSD: Double)?
        for model in models where model.enabled && model.effectiveTier == Model.topTier && model.capabilities.isSuperset(of: required) {
            if let window = model.contextWindow, inputTokens + outputTokens > Double(window) { continue }
            let cost = model.price.estimatedCost(inputTokens: inputTokens, outputTokens: outputTokens)
            if let current = best, current.costUSD < cost || (current.costUSD == cost && current.model.utf8.lexicographicallyPrecedes(model.id.utf8)) {
                continue
            }
            best = (model.id, cost)
        }
        return best
    }
}
