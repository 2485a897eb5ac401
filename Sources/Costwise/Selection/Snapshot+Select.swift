extension Snapshot {
    /// Picks the cheapest model whose quality for the request's task type clears its threshold.
    ///
    /// Candidates are the enabled models with a quality estimate for the task type, built from at
    /// least `minSamples` samples, whose context window holds the request and that pass its limits.
    /// A candidate qualifies when its mean (or, with a confidence level, its one-sided Wilson lower
    /// bound) is at least `minQuality`. The cheapest qualifying candidate wins; ties go to the higher
    /// mean, then to the model id in byte order.
    ///
    /// Runs no SQL. Each request takes the first ``SearchPath`` that answers it: at the default
    /// tokens, a request limited by its threshold (and a cost) alone is a binary search over the
    /// task's frontier; one naming providers reads each allowed provider's ``Skyline``, the few
    /// candidates no cheaper one of its own matches on quality and latency; with other limits, a
    /// tree over the candidates jumps to the cheapest one above the threshold and the limits are
    /// checked from there. Requests with their own token counts read the candidates from the highest
    /// quality down, as far as their answer needs (``RequestTokenIndex``); the rest scan the
    /// candidates once. Every path admits a candidate by the one rule, ``Query/check(_:at:cost:fits:)``.
    ///
    /// The answer keeps the request, which is taken rather than copied: a caller that uses it again
    /// passes a copy, and one that does not saves retaining its strings and arrays.
    ///
    /// - Throws: ``CatalogError`` when the store does not know the task type.
    public func select(_ request: consuming SelectionRequest) throws -> Selection {
        guard let route = routes[request.task] else { throw CatalogError.unknownTaskType(request.task) }
        let confidence = request.confidence ?? Self.reportingConfidence
        let z = request.confidence == nil || request.confidence == Self.reportingConfidence
            ? Self.reportingZ : NormalDistribution.quantile(confidence)
        let demands = request.demands
        if let found = route.searchSkylines(request, demands: demands) {
            let outcome = Selection.Outcome.found(route, z: z, chosen: found.chosen?.position, best: found.best?.position,
                                                  chosenModel: found.chosen?.model)
            return Selection(request: request, confidence: confidence, outcome: outcome)
        }
        let query = Query(route: route, request: request, z: z, demands: demands)

        if let found = query.search() {
            return Selection(request: request, confidence: confidence, outcome: .found(route, z: z, chosen: found.chosen, best: found.best))
        }
        let scanned = query.scan()
        var verdicts: [CandidateVerdict] = []
        if request.explain {
            verdicts = scanned.order.map { position in
                if position == scanned.chosen { return query.verdict(at: position, explanation: .selected) }
                if let winner = scanned.chosen, query.check(at: position) == .qualified {
                    return query.verdict(at: position, explanation: .outranked(by: route.candidates[winner].model.id))
                }
                return query.verdict(at: position, explanation: .check)
            }
        }
        let outcome = Selection.Outcome.found(route, z: z, chosen: scanned.chosen, best: scanned.chosen == nil ? scanned.best : nil)
        return Selection(request: request, confidence: confidence, outcome: outcome, candidates: verdicts)
    }

    /// The level at which lower bounds are reported when a request names no confidence.
    static let reportingConfidence = 0.95
    /// `NormalDistribution.quantile(reportingConfidence)`, bit for bit (a test holds it to that),
    /// written out: computed, it is a lazy global that every select would check was made.
    static let reportingZ = 1.6448536269514715

    /// One request against one task's candidates: the checks, the tree search and the scan.
    struct Query {
        let route: TaskRoute
        /// The request's figures, without its strings and arrays: copying them costs no reference counting.
        let request: Terms
        let z: Double
        /// Whether the request's confidence is the one the route keeps bounds and trees for.
        let usesStoredBounds: Bool
        let explicitTokens: Bool
        let allowedProviders: [Int32]?
        let excludedPositions: [Int]
        /// The capabilities a candidate must have; empty for most requests, which then skip the check.
        let requiredCapabilities: Capability.Requirement
        let demands: SelectionRequest.Demands

        init(route: TaskRoute, request: borrowing SelectionRequest, z: Double, demands: SelectionRequest.Demands? = nil) {
            self.route = route
            self.request = Terms(request)
            self.z = z
            self.demands = demands ?? request.demands
            usesStoredBounds = request.confidence == Snapshot.reportingConfidence
            explicitTokens = request.inputTokens != nil || request.outputTokens != nil
            allowedProviders = request.providers.isEmpty ? nil : Self.lookUp(request.providers) { route.index.providerNumbers[$0].map(Int32.init) }
            excludedPositions = request.excludedModels.isEmpty ? [] : Self.lookUp(request.excludedModels, route.position(of:))
            requiredCapabilities = Capability.Requirement(request.requiredCapabilities)
        }

        /// The numbers of the names `number` knows, in one allocation.
        private static func lookUp<Number>(_ names: [String], _ number: (String) -> Number?) -> [Number] {
            var numbers: [Number] = []
            numbers.reserveCapacity(names.count)
            for name in names {
                if let found = number(name) { numbers.append(found) }
            }
            return numbers
        }

        /// What a request asks, as the checks read it.
        struct Terms {
            let minQuality: Double
            let confidence: Double?
            let minSamples: Double
            let maxCostUSD: Double?
            let maxLatencyMs: Double?
            let inputTokens: Int?
            let outputTokens: Int?
            let explain: Bool

            init(_ request: borrowing SelectionRequest) {
                minQuality = request.minQuality
                confidence = request.confidence
                minSamples = request.minSamples
                maxCostUSD = request.maxCostUSD
                maxLatencyMs = request.maxLatencyMs
                inputTokens = request.inputTokens
                outputTokens = request.outputTokens
                explain = request.explain
            }
        }

        func tokens(at position: Int) -> (input: Double, output: Double) {
            let candidate = route.candidates[position]
            return (request.inputTokens.map(Double.init) ?? candidate.defaultInputTokens,
                    request.outputTokens.map(Double.init) ?? candidate.defaultOutputTokens)
        }

        func cost(at position: Int) -> Double {
            guard explicitTokens else { return route.facts[position].cost }
            let (input, output) = tokens(at: position)
            return route.candidates[position].model.price.estimatedCost(inputTokens: input, outputTokens: output)
        }

        /// The quality the threshold applies to: the mean, or the lower bound at the request's confidence.
        func quality(at position: Int) -> Double {
            quality(of: route.facts[position], at: position)
        }

        private func quality(of facts: TaskRoute.Facts, at position: Int) -> Double {
            if request.confidence == nil { return facts.mean }
            return usesStoredBounds ? facts.lowerBound95 : route.candidates[position].quality.wilsonLowerBound(z: z)
        }

        /// The candidate at `position` checked by the one rule, at the request's tokens.
        func check(at position: Int) -> Check {
            let facts = route.facts[position]
            guard explicitTokens else { return check(facts, at: position, cost: facts.cost, fits: facts.fitsDefaultTokens) }
            let (input, output) = tokens(at: position)
            return check(facts, at: position, cost: cost(at: position),
                         fits: route.candidates[position].fits(inputTokens: input, outputTokens: output))
        }

        /// The selection rule for one candidate, which every search path admits candidates by: the
        /// first limit it fails, else whether its quality clears the threshold. `cost` and `fits`
        /// are its cost and whether its context window holds the request, at the request's tokens,
        /// which each path knows its own way.
        @inline(__always)
        func check(_ facts: TaskRoute.Facts, at position: Int, cost: Double, fits: Bool) -> Check {
            if !excludedPositions.isEmpty && excludedPositions.contains(position) { return .excluded }
            if let allowedProviders, !allowedProviders.contains(facts.providerID) { return .providerNotAllowed }
            if !fits { return .contextTooSmall }
            if let limit = checkModelLimits(at: position) { return limit }
            if let maxLatency = request.maxLatencyMs {
                if facts.latency.isNaN { return .noLatencyMeasured }
                if facts.latency > maxLatency { return .tooSlow }
            }
            if let maxCost = request.maxCostUSD, cost > maxCost { return .tooExpensive }
            if facts.samples < request.minSamples { return .tooFewSamples }
            if quality(of: facts, at: position) < request.minQuality { return .belowThreshold }
            return .qualified
        }

        /// What the model itself must be able to do: the capabilities the request needs, and as many
        /// output tokens as it asks for. Read from the candidate's record, and only by requests that
        /// ask either.
        @inline(__always)
        private func checkModelLimits(at position: Int) -> Check? {
            guard !requiredCapabilities.isEmpty || request.outputTokens != nil else { return nil }
            let candidate = route.candidates[position]
            if !requiredCapabilities.isMet(by: candidate) { return .lacksCapability }
            if let output = request.outputTokens, let limit = candidate.model.maxOutputTokens, output > limit { return .tooManyOutputTokens }
            return nil
        }

        /// Whether `a` comes before `b` in the rule's order: cost, then higher mean, then model id.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            Candidate.precedes(cost: cost(at: a), route.candidates[a], costOf: cost(at: b), route.candidates[b])
        }

        /// Without scanning every candidate: the cheapest that qualifies, else the best within the
        /// limits (found by a scan where no path finds it); nil when no path but the scan answers.
        func search() -> (chosen: Int?, best: Int?)? {
            if let allowedProviders, answers(.providerTrees) { return search(providers: allowedProviders) }
            if answers(.trees) {
                if let winner = cheapestQualifying() { return (winner, nil) }
                return (nil, bestWithoutScan() ?? scan().best)
            }
            if answers(.requestTokens), let index = route.requestTokens { return searchAtRequestTokens(in: index) }
            return nil
        }

        func answers(_ path: SearchPath) -> Bool {
            path.answers(demands, confidence: request.confidence, minSamples: request.minSamples, frontierSamples: route.frontierSamples)
        }

        /// Over all candidates: the frontier, else the tree, finds the cheapest candidate above the
        /// threshold, and the other limits are checked from there on.
        private func cheapestQualifying() -> Int? {
            if answers(.frontier) {
                let found = request.confidence == nil
                    ? route.meanFrontier.first(atLeast: request.minQuality) : route.lowerBoundFrontier.first(atLeast: request.minQuality)
                guard let position = found else { return nil }
                // The frontier's pick is the cheapest that qualifies: if it costs too much, so do all others.
                if let maxCost = request.maxCostUSD, route.facts[position].cost > maxCost { return nil }
                return position
            }
            // A lower bound never exceeds the mean, so the mean tree also narrows bounds at other levels.
            let tree = usesStoredBounds ? route.lowerBoundTree : route.meanTree
            var start = 0
            while let position = tree.firstIndex(atLeast: request.minQuality, from: start,
                                                 maxLatency: request.maxLatencyMs ?? .infinity, minSamples: request.minSamples) {
                if let maxCost = request.maxCostUSD, route.facts[position].cost > maxCost { return nil }
                if check(at: position) == .qualified { return position }
                start = position + 1
            }
            return nil
        }

        /// Each allowed provider's cheapest candidate that qualifies; when none does, the best
        /// within the limits among them, found by a second pass.
        private func search(providers: [Int32]) -> (chosen: Int?, best: Int?) {
            var chosen: Int?
            for provider in providers {
                if let found = cheapestQualifying(of: Int(provider), before: chosen ?? .max) { chosen = found }
            }
            if let chosen { return (chosen, nil) }
            var best: (position: Int, quality: Double)?
            for provider in providers {
                guard let found = bestWithinLimits(of: Int(provider)) else { continue }
                if best.map({ found.quality > $0.quality || (found.quality == $0.quality && found.position < $0.position) }) ?? true {
                    best = found
                }
            }
            return (nil, best?.position ?? scan().best)
        }

        /// A provider's candidates in cost order, up to the cost limit and before position `limit`:
        /// the first within the limits that qualifies. A tree over the provider's values jumps over
        /// the runs below the threshold; each candidate above it is checked in turn, which beats a
        /// tree walk that latency limits keep sending sideways.
        func cheapestQualifying(of provider: Int, before limit: Int) -> Int? {
            let candidates = route.byProvider[provider]
            // A lower bound never exceeds the mean, so means also skip for bounds at other levels.
            let tree = usesStoredBounds ? candidates.lowerBoundTree : candidates.meanTree
            let maxCost = request.maxCostUSD ?? .infinity
            var start = 0
            while let index = tree.firstIndex(atLeast: request.minQuality, from: start) {
                let facts = candidates.facts[index]
                let position = candidates.positions[index]
                if facts.cost > maxCost || position >= limit { return nil }
                if check(facts, at: position, cost: facts.cost, fits: facts.fitsDefaultTokens) == .qualified { return position }
                start = index + 1
            }
            return nil
        }

        /// A provider's highest-quality candidate within the limits (the earlier where several tie).
        /// At the default tokens positions follow the rule's order, so the earlier precedes.
        func bestWithinLimits(of provider: Int) -> (position: Int, quality: Double)? {
            let candidates = route.byProvider[provider]
            let values = usesStoredBounds ? candidates.lowerBounds : candidates.means
            let maxCost = request.maxCostUSD ?? .infinity
            var best: (position: Int, quality: Double)?
            for index in candidates.facts.indices {
                let facts = candidates.facts[index]
                if facts.cost > maxCost { break }
                // Below the best so far (means bound other levels' bounds from above): no need to look closer.
                if let best, values[index] < best.quality { continue }
                let position = candidates.positions[index]
                guard check(facts, at: position, cost: facts.cost, fits: facts.fitsDefaultTokens).isWithinLimits else { continue }
                let quality = quality(of: facts, at: position)
                if best.map({ quality > $0.quality }) ?? true { best = (position, quality) }
            }
            return best
        }

        /// The best candidate when none qualifies, found in the trees at the default tokens: the
        /// highest quality among the candidates within every limit; nil when none is (or when the
        /// request's confidence has no tree), and the caller scans.
        private func bestWithoutScan() -> Int? {
            guard answers(.bestFromTrees) else { return nil }
            if excludedPositions.isEmpty, request.maxLatencyMs == nil, request.maxCostUSD == nil, request.minSamples <= 1 {
                if let best = request.confidence == nil ? route.bestMean : route.bestLowerBound,
                   route.facts[best].samples >= request.minSamples {
                    return best
                }
            }
            let tree = usesStoredBounds ? route.lowerBoundTree : route.meanTree
            var end = tree.count
            if let maxCost = request.maxCostUSD {
                // Positions are in cost order: the limit cuts them at the first that costs more.
                var (low, high) = (0, tree.count)
                while low < high {
                    let middle = (low + high) / 2
                    if route.facts[middle].cost > maxCost { high = middle } else { low = middle + 1 }
                }
                end = low
            }
            let excludedPositions = excludedPositions
            return tree.bestIndex(below: end, maxLatency: request.maxLatencyMs ?? .infinity, minSamples: request.minSamples) {
                !excludedPositions.contains($0)
            }
        }

        /// Every candidate in the rule's order for this request; the first that qualifies, and the
        /// highest-quality one within the other limits (or, if none is, of all).
        func scan() -> (order: [Int], chosen: Int?, best: Int?) {
            var order = Array(route.candidates.indices)
            if explicitTokens && request.explain { order.sort(by: precedes) }
            var chosen: Int?
            var bestWithinLimits: (position: Int, quality: Double)?
            var bestOverall: (position: Int, quality: Double)?
            for position in order {
                let check = check(at: position)
                if check == .qualified && (chosen.map { precedes(position, $0) } ?? true) { chosen = position }
                let quality = quality(at: position)
                if bestOverall.map({ quality > $0.quality || (quality == $0.quality && precedes(position, $0.position)) }) ?? true {
                    bestOverall = (position, quality)
                }
                if check.isWithinLimits, bestWithinLimits.map({ quality > $0.quality || (quality == $0.quality && precedes(position, $0.position)) }) ?? true {
                    bestWithinLimits = (position, quality)
                }
            }
            return (order, chosen, (bestWithinLimits ?? bestOverall)?.position)
        }

        enum ExplanationKind {
            case check, selected
            case outranked(by: String)
        }

        func verdict(at position: Int, explanation kind: ExplanationKind) -> CandidateVerdict {
            let candidate = route.candidates[position]
            let (input, output) = tokens(at: position)
            let check = check(at: position)
            let limits = CandidateVerdict.Limits(
                minQuality: request.minQuality, usesConfidence: request.confidence != nil, minSamples: request.minSamples,
                maxCostUSD: request.maxCostUSD, maxLatencyMs: request.maxLatencyMs, contextWindow: candidate.model.contextWindow,
                missingCapabilities: requiredCapabilities.missing(from: candidate), maxOutputTokens: candidate.model.maxOutputTokens)
            let explanation: CandidateVerdict.Explanation = switch kind {
            case .check: .check(check, limits)
            case .selected: .selected(check, limits)
            case .outranked(let winner): .outranked(check, limits, by: winner)
            }
            return CandidateVerdict(
                model: candidate.model.id, provider: candidate.model.provider, tier: candidate.model.effectiveTier,
                inputTokens: input, outputTokens: output, estimatedCostUSD: cost(at: position), quality: candidate.quality,
                lowerBound: usesStoredBounds || request.confidence == nil
                    ? route.facts[position].lowerBound95 : candidate.quality.wilsonLowerBound(z: z),
                latencyP95Ms: candidate.latencyP95Ms, qualified: check == .qualified, explanation: explanation)
        }
    }

    /// The outcome of checking one candidate, in the order the checks run.
    enum Check: Sendable, Hashable {
        case excluded, providerNotAllowed, contextTooSmall, lacksCapability, tooManyOutputTokens, noLatencyMeasured, tooSlow, tooExpensive
        case tooFewSamples, belowThreshold, qualified

        /// Whether the candidate is one by the rule (every limit passed, enough samples), whatever its quality.
        var isWithinLimits: Bool {
            switch self {
            case .belowThreshold, .qualified: true
            default: false
            }
        }

        func reason(for verdict: CandidateVerdict, limits: CandidateVerdict.Limits) -> String {
            func f(_ value: Double) -> String { DecimalFormat.string(value) }
            func f(_ value: Double, places: Int) -> String { DecimalFormat.string(value, places: places) }
            let measure = limits.usesConfidence
                ? "lower bound \(f(verdict.lowerBound, places: 4))" : "mean \(f(verdict.quality.mean, places: 4))"
            switch self {
            case .excluded: return "excluded by request"
            case .providerNotAllowed: return "provider \(verdict.provider) not allowed"
            case .contextTooSmall:
                return "needs \(f(verdict.inputTokens + verdict.outputTokens)) tokens; context window is \(limits.contextWindow ?? 0)"
            case .lacksCapability: return "lacks \(limits.missingCapabilities.map(\.rawValue).joined(separator: ", "))"
            case .tooManyOutputTokens:
                return "needs \(f(verdict.outputTokens)) output tokens; can produce at most \(limits.maxOutputTokens ?? 0)"
            case .noLatencyMeasured: return "no latency measured for this task type"
            case .tooSlow: return "p95 latency \(f(verdict.latencyP95Ms ?? 0)) ms > \(f(limits.maxLatencyMs ?? 0)) ms"
            case .tooExpensive: return "cost \(f(verdict.estimatedCostUSD)) USD > \(f(limits.maxCostUSD ?? 0)) USD"
            case .tooFewSamples: return "\(f(verdict.quality.samples)) samples < \(f(limits.minSamples))"
            case .belowThreshold: return "\(measure) < \(f(limits.minQuality))"
            case .qualified: return "\(measure) >= \(f(limits.minQuality))"
            }
        }
    }
}
