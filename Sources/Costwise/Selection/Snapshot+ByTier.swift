extension Snapshot {
    /// Plain rule-based routing for users with no evaluations yet: the cheapest enabled model in the
    /// task type's tier (declared, else derived from its price), within the request's limits.
    /// Quality is not considered; `minQuality`, `confidence` and `minSamples` are ignored.
    ///
    /// - Throws: ``CatalogError`` when the store does not know the task type.
    public func selectByTier(_ request: SelectionRequest) throws -> Selection {
        guard let task = taskType(named: request.task) else { throw CatalogError.unknownTaskType(request.task) }
        let route = routes[request.task]
        // The tier's models as candidates, those with no estimate at no quality, checked by the one
        // rule with quality left out of it: no threshold and no fewest samples.
        let candidates = models.filter { $0.enabled && $0.effectiveTier == task.tier }.map { model in
            route?.candidates.first { $0.model.id == model.id }
                ?? Candidate(model: model, quality: QualityEstimate(mean: 0, samples: 0, results: 0, priorWeight: 0), task: task,
                             measuredInputTokens: nil, measuredOutputTokens: nil, latencyP95Ms: nil)
        }
        let tierRoute = TaskRoute(task: task, candidates: candidates, forOneRequest: true)
        var limitsOnly = request
        limitsOnly.minQuality = -.infinity
        limitsOnly.minSamples = -.infinity
        limitsOnly.confidence = nil
        let query = Query(route: tierRoute, request: limitsOnly, z: Self.reportingZ)
        var verdicts = tierRoute.candidates.indices.map { position in
            var verdict = query.verdict(at: position, explanation: .check)
            if verdict.qualified { verdict.explanation = .text("in tier \(task.tier)") }
            return verdict
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
