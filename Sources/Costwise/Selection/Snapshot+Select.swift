extension Snapshot {
    /// Picks the cheapest model whose quality for the request's task type clears its threshold.
    ///
    /// Candidates are the enabled models with a quality estimate for the task type, built from at
    /// least `minSamples` samples, whose context window holds the request and that pass its limits.
    /// A candidate qualifies when its mean (or, with a confidence level, its one-sided Wilson lower
    /// bound) is at least `minQuality`. The cheapest qualifying candidate wins; ties go to the higher
    /// mean, then to the model id in byte order.
    ///
    /// Runs no SQL: a plain request is a binary search over a precomputed frontier; others scan the
    /// task's candidates in cost order and stop at the first that qualifies.
    ///
    /// - Throws: ``CatalogError`` when the store does not know the task type.
    public func select(_ request: SelectionRequest) throws -> Selection {
        guard let route = routes[request.task] else { throw CatalogError.unknownTaskType(request.task) }
        let confidence = request.confidence ?? Self.reportingConfidence
        let z = request.confidence.map(NormalDistribution.quantile) ?? Self.reportingZ

        if request.isPlain, request.minSamples <= route.frontierMinSamples,
           let index = route.cheapestOnFrontier(meetingMean: request.minQuality) {
            let candidate = route.candidates[index]
            if request.maxCostUSD.map({ candidate.defaultCost <= $0 }) ?? true {
                var chosen = verdict(for: candidate, input: candidate.defaultInputTokens, output: candidate.defaultOutputTokens,
                                     cost: candidate.defaultCost, z: z, check: .qualified, request: request)
                chosen.reason = "selected: cheapest with " + chosen.reason
                return Selection(request: request, task: route.task, confidence: confidence, chosen: chosen, best: nil, candidates: [])
            }
        }
        return scan(route, request: request, confidence: confidence, z: z)
    }

    /// The level at which lower bounds are reported when a request names no confidence.
    static let reportingConfidence = 0.95
    static let reportingZ = NormalDistribution.quantile(reportingConfidence)

    private func scan(_ route: TaskRoute, request: SelectionRequest, confidence: Double, z: Double) -> Selection {
        let explicitTokens = request.inputTokens != nil || request.outputTokens != nil
        let candidates = route.candidates
        var costs: [Double] = []
        var order = Array(candidates.indices)
        if explicitTokens {
            costs = candidates.map { candidate in
                let (input, output) = tokens(of: candidate, for: request)
                return candidate.model.price.estimatedCost(inputTokens: input, outputTokens: output)
            }
            order.sort { Candidate.precedes(cost: costs[$0], candidates[$0], costOf: costs[$1], candidates[$1]) }
        }

        var chosen: CandidateVerdict?
        var verdicts: [CandidateVerdict] = []
        var bestWithinLimits: (index: Int, quality: Double)?
        var bestOverall: (index: Int, quality: Double)?
        for index in order {
            let candidate = candidates[index]
            let (input, output) = tokens(of: candidate, for: request)
            let cost = explicitTokens ? costs[index] : candidate.defaultCost
            let check = judge(candidate, input: input, output: output, cost: cost, z: z, request: request)
            let quality = request.confidence == nil ? candidate.quality.mean : candidate.quality.wilsonLowerBound(z: z)
            if bestOverall.map({ quality > $0.quality }) ?? true { bestOverall = (index, quality) }
            if check.isWithinLimits, bestWithinLimits.map({ quality > $0.quality }) ?? true { bestWithinLimits = (index, quality) }

            let isWinner = chosen == nil && check == .qualified
            if isWinner || request.explain {
                var judged = verdict(for: candidate, input: input, output: output, cost: cost, z: z, check: check, request: request)
                if isWinner {
                    judged.reason = "selected: cheapest with " + judged.reason
                    chosen = judged
                } else if check == .qualified, let chosen {
                    judged.reason = "qualified (\(judged.reason)), but \(chosen.model) comes first"
                }
                if request.explain { verdicts.append(judged) }
            }
            if chosen != nil && !request.explain { break }
        }

        var best: CandidateVerdict?
        if chosen == nil, let pick = bestWithinLimits ?? bestOverall {
            let candidate = candidates[pick.index]
            let (input, output) = tokens(of: candidate, for: request)
            let cost = explicitTokens ? costs[pick.index] : candidate.defaultCost
            best = verdict(for: candidate, input: input, output: output, cost: cost, z: z,
                           check: judge(candidate, input: input, output: output, cost: cost, z: z, request: request),
                           request: request)
        }
        return Selection(request: request, task: route.task, confidence: confidence, chosen: chosen, best: best, candidates: verdicts)
    }

    private func tokens(of candidate: Candidate, for request: SelectionRequest) -> (Double, Double) {
        (request.inputTokens.map(Double.init) ?? candidate.defaultInputTokens,
         request.outputTokens.map(Double.init) ?? candidate.defaultOutputTokens)
    }

    private func judge(_ candidate: Candidate, input: Double, output: Double, cost: Double, z: Double,
                       request: SelectionRequest) -> Check {
        if request.excludedModels.contains(candidate.model.id) { return .excluded }
        if !request.providers.isEmpty && !request.providers.contains(candidate.model.provider) { return .providerNotAllowed }
        if !candidate.fits(inputTokens: input, outputTokens: output) { return .contextTooSmall }
        if let maxLatency = request.maxLatencyMs {
            guard let latency = candidate.latencyP95Ms else { return .noLatencyMeasured }
            if latency > maxLatency { return .tooSlow }
        }
        if let maxCost = request.maxCostUSD, cost > maxCost { return .tooExpensive }
        if candidate.quality.samples < request.minSamples { return .tooFewSamples }
        if let _ = request.confidence {
            if candidate.quality.wilsonLowerBound(z: z) < request.minQuality { return .belowThreshold }
        } else if candidate.quality.mean < request.minQuality {
            return .belowThreshold
        }
        return .qualified
    }

    private func verdict(for candidate: Candidate, input: Double, output: Double, cost: Double, z: Double,
                         check: Check, request: SelectionRequest) -> CandidateVerdict {
        let lowerBound = candidate.quality.wilsonLowerBound(z: z)
        return CandidateVerdict(
            model: candidate.model.id, provider: candidate.model.provider, tier: candidate.model.tier,
            inputTokens: input, outputTokens: output, estimatedCostUSD: cost,
            quality: candidate.quality, lowerBound: lowerBound, latencyP95Ms: candidate.latencyP95Ms,
            qualified: check == .qualified,
            reason: check.reason(candidate: candidate, input: input, output: output, cost: cost,
                                 lowerBound: lowerBound, request: request))
    }

    /// The outcome of checking one candidate, in the order the checks run.
    enum Check: Equatable {
        case excluded, providerNotAllowed, contextTooSmall, noLatencyMeasured, tooSlow, tooExpensive
        case tooFewSamples, belowThreshold, qualified

        /// Whether the candidate passed every limit other than its evidence and quality.
        var isWithinLimits: Bool {
            switch self {
            case .tooFewSamples, .belowThreshold, .qualified: true
            default: false
            }
        }

        func reason(candidate: Candidate, input: Double, output: Double, cost: Double, lowerBound: Double,
                    request: SelectionRequest) -> String {
            func f(_ value: Double) -> String { DecimalFormat.string(value) }
            func f(_ value: Double, places: Int) -> String { DecimalFormat.string(value, places: places) }
            switch self {
            case .excluded: return "excluded by request"
            case .providerNotAllowed: return "provider \(candidate.model.provider) not allowed"
            case .contextTooSmall:
                return "needs \(f(input + output)) tokens; context window is \(candidate.model.contextWindow ?? 0)"
            case .noLatencyMeasured: return "no latency measured for this task type"
            case .tooSlow: return "p95 latency \(f(candidate.latencyP95Ms ?? 0)) ms > \(f(request.maxLatencyMs ?? 0)) ms"
            case .tooExpensive: return "cost \(f(cost)) USD > \(f(request.maxCostUSD ?? 0)) USD"
            case .tooFewSamples: return "\(f(candidate.quality.samples)) samples < \(f(request.minSamples))"
            case .belowThreshold:
                return request.confidence == nil
                    ? "mean \(f(candidate.quality.mean, places: 4)) < \(f(request.minQuality))"
                    : "lower bound \(f(lowerBound, places: 4)) < \(f(request.minQuality))"
            case .qualified:
                return request.confidence == nil
                    ? "mean \(f(candidate.quality.mean, places: 4)) >= \(f(request.minQuality))"
                    : "lower bound \(f(lowerBound, places: 4)) >= \(f(request.minQuality))"
            }
        }
    }
}
