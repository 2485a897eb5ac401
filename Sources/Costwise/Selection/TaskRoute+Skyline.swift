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
        switch request.confidence {
        case nil: search(meanSkyline, request)
        case Snapshot.reportingConfidence: search(lowerBoundSkyline, request)
        default: nil
        }
    }

    /// The search over `skyline`, passed in rather than held in a local: holding it costs a retain and
    /// a release on every select.
    ///
    /// The passes first run as if the request excluded no model. Leaving candidates out cannot make
    /// another one cheaper or better, so that answer stands unless it is excluded itself; only then
    /// do the passes run again without it, and so on while the answer is an excluded model. The
    /// excluded ids are never looked up: only those met as answers matter, and each of those is
    /// known by its answer's number.
    private func search(_ skyline: Skyline, _ request: borrowing SelectionRequest) -> (chosen: Int?, best: Int?)? {
        guard frontierSamples.contains(request.minSamples) else { return nil }
        let providerNames = request.providers
        // On the stack: a request names a few providers, and a select must not allocate for them.
        // Each provider's number comes with where its first pass stopped reading.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * providerNames.count) { providerBuffer in
            let count = index.providers(named: providerNames, into: providerBuffer)
            let providers = UnsafeBufferPointer(rebasing: providerBuffer[..<count])
            let readTo = UnsafeMutableBufferPointer(rebasing: providerBuffer[count..<2 * count])
            // Costs are never NaN: the check only keeps the early reads from being optimized away.
            guard !skyline.touchFirstEntries(of: providers).isNaN else { return nil }
            let found = passes(over: skyline, providers: providers, readTo: readTo, request, excluded: UnsafeBufferPointer(start: nil, count: 0))
            let excludedIDs = request.excludedModels
            guard !excludedIDs.isEmpty, let answer = found.flatMap({ $0.chosen ?? $0.best }),
                  index.isModel(Int(modelNumbers[answer]), oneOf: excludedIDs)
            else { return found }
            // Each answer is a model the passes have not excluded yet, so there are at most as many
            // runs again as excluded ids.
            return withUnsafeTemporaryAllocation(of: Skyline.ExcludedModel.self, capacity: excludedIDs.count) { excludedBuffer in
                var (found, answer, excludedCount) = (found, answer, 0)
                while true {
                    let model = Int(modelNumbers[answer])
                    excludedBuffer[excludedCount] = Skyline.ExcludedModel(model: Int32(model), provider: index.providerByModel[model])
                    excludedCount += 1
                    found = passes(over: skyline, providers: providers, readTo: readTo, request,
                                   excluded: UnsafeBufferPointer(rebasing: excludedBuffer[..<excludedCount]))
                    guard excludedCount < excludedIDs.count, let next = found.flatMap({ $0.chosen ?? $0.best }),
                          index.isModel(Int(modelNumbers[next]), oneOf: excludedIDs)
                    else { return found }
                    answer = next
                }
            }
        }
    }

    /// Each of `providers`' skylines read up to its cheapest candidate that qualifies, none of them
    /// one of the `excluded` models; when no provider has one, the best within the limits, from a
    /// second pass that starts where each first one stopped (kept in `readTo`).
    private func passes(over skyline: Skyline, providers: UnsafeBufferPointer<Int32>, readTo: UnsafeMutableBufferPointer<Int32>,
                        _ request: borrowing SelectionRequest, excluded: UnsafeBufferPointer<Skyline.ExcludedModel>)
        -> (chosen: Int?, best: Int?)? {
        let threshold = request.minQuality
        let maxCost = request.maxCostUSD ?? .infinity
        let maxLatency = request.maxLatencyMs ?? .infinity
        // Once a provider has an answer, the others' candidates after it cannot beat it.
        var chosen = Int.max
        // Each provider's answer's model number, read as soon as it is found, so that the check
        // against the excluded models after the passes finds it in cache.
        var modelNumbersRead: Int32 = 0
        for (offset, provider) in providers.enumerated() {
            var pass = skyline.cheapestQualifying(provider: Int(provider), threshold: threshold, maxCost: maxCost,
                                                  maxLatency: maxLatency, before: chosen, excluded: excluded)
            if pass == .metExcluded {
                let query = Snapshot.Query(route: self, request: request, z: Snapshot.reportingZ)
                pass = query.cheapestQualifying(of: Int(provider), before: chosen).map { .chosen($0) } ?? .nothing
            }
            switch pass {
            case .chosen(let position):
                chosen = min(chosen, position)
                modelNumbersRead |= modelNumbers.withUnsafeBufferPointer { $0[position] }
            case .noneQualifies(let read): readTo[offset] = Int32(read)
            // The band or a full search answered: the second pass finds the cost limit's end itself.
            default: readTo[offset] = -1
            }
        }
        // Model numbers are never negative: the test only keeps the early reads.
        if chosen != .max { return modelNumbersRead < 0 ? nil : (chosen, nil) }

        var best: (position: Int, value: Double)?
        for (offset, provider) in providers.enumerated() {
            var pass = skyline.bestWithinLimits(provider: Int(provider), threshold: threshold, maxCost: maxCost,
                                                maxLatency: maxLatency, excluded: excluded,
                                                readTo: readTo[offset] >= 0 ? Int(readTo[offset]) : nil)
            if pass == .metExcluded {
                let query = Snapshot.Query(route: self, request: request, z: Snapshot.reportingZ)
                pass = query.bestWithinLimits(of: Int(provider)).map { .best(position: $0.position, value: $0.quality) } ?? .nothing
            }
            if case .best(let position, let value) = pass,
               best.map({ value > $0.value || (value == $0.value && position < $0.position) }) ?? true {
                best = (position, value)
            }
        }
        return best.map { (nil, $0.position) }
    }
}
