extension Snapshot {
    /// Plain rule-based routing for users with no evaluations yet: the cheapest enabled model in the
    /// task type's tier (declared, else derived from its price), within the request's limits.
    /// Quality is not considered; `minQuality`, `confidence` and `minSamples` are ignored.
    ///
    /// - Throws: ``CatalogError`` when the store does not know the task type.
    public func selectByTier(_ request: SelectionRequest) throws -> Selection {
        guard let task = taskType(named: request.task) else { throw CatalogError.unknownTaskType(request.task) }
        let route = routes[request.task]
        var verdicts: [CandidateVerdict] = []
        for model in models where model.enabled && model.effectiveTier == task.tier {
            let candidate = route?.candidates.first { $0.model.id == model.id }
            let input = request.inputTokens.map(Double.init) ?? candidate?.defaultInputTokens ?? Double(task.inputTokens)
            let output = request.outputTokens.map(Double.init) ?? candidate?.defaultOutputTokens ?? Double(task.outputTokens)
            let cost = model.price.estimatedCost(inputTokens: input, outputTokens: output)
            let quality = candidate?.quality ?? QualityEstimate(mean: 0, samples: 0, results: 0, priorWeight: 0)
            var reason: String?
            if request.excludedModels.contains(model.id) {
                reason = "excluded by request"
            } else if !request.providers.isEmpty && !request.providers.contains(model.provider) {
                reason = "provider \(model.provider) not allowed"
            } else if let window = model.contextWindow, input + output > Double(window) {
                reason = "needs \(DecimalFormat.string(input + output)) tokens; context window is \(window)"
            } else if let maxLatency = request.maxLatencyMs {
                if let latency = candidate?.latencyP95Ms {
                    if latency > maxLatency { reason = "p95 latency \(DecimalFormat.string(latency)) ms > \(DecimalFormat.string(maxLatency)) ms" }
                } else {
                    reason = "no latency measured for this task type"
                }
            }
            if reason == nil, let maxCost = request.maxCostUSD, cost > maxCost {
                reason = "cost \(DecimalFormat.string(cost)) USD > \(DecimalFormat.string(maxCost)) USD"
            }
            verdicts.append(CandidateVerdict(
                model: model.id, provider: model.provider, tier: model.effectiveTier, inputTokens: input, outputTokens: output,
                estimatedCostUSD: cost, quality: quality,
                lowerBound: quality.samples > 0 ? quality.wilsonLowerBound(z: Self.reportingZ) : 0,
                latencyP95Ms: candidate?.latencyP95Ms, qualified: reason == nil,
                explanation: .text(reason ?? "in tier \(task.tier)")))
        }
        verdicts.sort { a, b in
            a.estimatedCostUSD != b.estimatedCostUSD ? a.estimatedCostUSD < b.estimatedCostUSD : a.model.utf8.lexicographicallyPrecedes(b.model.utf8)
        }
        var chosen: CandidateVerdict?
        if let index = verdicts.firstIndex(where: \.qualified) {
            verdicts[index].explanation = .text("selected: cheapest in tier \(task.tier) (by tier; quality not considered)")
            chosen = verdicts[index]
            for later in verdicts.indices where later > index && verdicts[later].qualified {
                verdicts[later].explanation = .text("in tier \(task.tier), but \(verdicts[index].model) costs less")
            }
        }
        return Selection(request: request, confidence: request.confidence ?? Self.reportingConfidence,
                         outcome: .judged(task: task, chosen: chosen, best: nil), candidates: request.explain ? verdicts : [], byTier: true)
    }
}
