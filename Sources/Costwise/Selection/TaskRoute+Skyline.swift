extension TaskRoute {
    /// A request naming providers, at the default tokens, answered from the providers' skylines: the
    /// cheapest candidate that qualifies, else the best one within the limits.
    ///
    /// Nil when the skylines cannot answer, and the caller searches the candidates: at a confidence
    /// other than the two the skylines are kept for, for fewest samples that leave other candidates
    /// than the frontiers' (see ``Frontier/SampleRange``), and when no allowed candidate is within the
    /// limits (the best of all is then wanted). A provider whose skyline meets an excluded model, when
    /// the request excludes more than its band allows for, is searched in full.
    func searchSkylines(_ request: borrowing SelectionRequest) -> (chosen: Int?, best: Int?)? {
        let skyline: Skyline
        switch request.confidence {
        case nil: skyline = meanSkyline
        case Snapshot.reportingConfidence: skyline = lowerBoundSkyline
        default: return nil
        }
        guard frontierSamples.contains(request.minSamples) else { return nil }
        let threshold = request.minQuality
        let maxCost = request.maxCostUSD ?? .infinity
        let maxLatency = request.maxLatencyMs ?? .infinity
        let providers = request.providers
        let excludedModels = request.excludedModels
        var fullSearch: Snapshot.Query?
        // On the stack: a request excludes a few models, and a select must not allocate for them.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: excludedModels.count) { buffer in
            var count = 0
            for id in excludedModels {
                guard let number = index.modelNumbers[id] else { continue }
                buffer[count] = Int32(number)
                count += 1
            }
            let excluded = UnsafeBufferPointer(rebasing: buffer[..<count])
            var chosen = Int.max
            var best: (position: Int, value: Double)?
            for name in providers {
                guard let provider = index.providerNumbers[name] else { continue }
                var pass = skyline.pass(provider: provider, threshold: threshold, maxCost: maxCost, maxLatency: maxLatency,
                                        excluded: excluded)
                if case .metExcluded = pass {
                    if fullSearch == nil { fullSearch = Snapshot.Query(route: self, request: copy request, z: Snapshot.reportingZ) }
                    if let position = fullSearch!.cheapestQualifying(of: provider, before: .max) {
                        pass = .chosen(position)
                    } else {
                        pass = fullSearch!.bestWithinLimits(of: provider).map { .best(position: $0.position, value: $0.quality) } ?? .nothing
                    }
                }
                switch pass {
                case .chosen(let position): chosen = min(chosen, position)
                case .best(let position, let value):
                    if best.map({ value > $0.value || (value == $0.value && position < $0.position) }) ?? true {
                        best = (position, value)
                    }
                case .nothing, .metExcluded: break
                }
            }
            if chosen != .max { return (chosen, nil) }
            return best.map { (nil, $0.position) }
        }
    }
}
