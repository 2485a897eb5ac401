extension TaskRoute {
    /// A request naming providers, at the default tokens, answered from the providers' skylines: the
    /// cheapest candidate that qualifies, else the best one within the limits, with that answer's
    /// model number.
    ///
    /// Nil when the skylines cannot answer, and the caller searches the candidates: a request that
    /// ``SearchPath/skylines`` does not answer, and one where no allowed candidate is within the
    /// limits (the best of all is then wanted). A provider whose answer is excluded, once more excluded
    /// models have been met as answers than its band allows for, is searched in full.
    func searchSkylines(_ request: borrowing SelectionRequest, demands: SelectionRequest.Demands) -> SkylineAnswer? {
        guard SearchPath.skylines.answers(request, demands: demands, frontierSamples: frontierSamples) else { return nil }
        return switch request.confidence {
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
    private func search(_ skyline: Skyline, _ request: borrowing SelectionRequest) -> SkylineAnswer? {
        let providerNames = request.providers
        // On the stack: a request names a few providers, and a select must not allocate for them.
        // Each provider's number comes with what its first pass found, that answer's model number,
        // and where it stopped reading.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * providerNames.count) { buffer in
            let count = index.providers(named: providerNames, into: buffer)
            let providers = UnsafeBufferPointer(rebasing: buffer[..<count])
            let found = UnsafeMutableBufferPointer(rebasing: buffer[count..<2 * count])
            let foundModels = UnsafeMutableBufferPointer(rebasing: buffer[2 * count..<3 * count])
            let readTo = UnsafeMutableBufferPointer(rebasing: buffer[3 * count..<4 * count])
            readTo.initialize(repeating: -1)
            // Costs are never NaN: the check only keeps the early reads from being optimized away.
            guard !skyline.touchFirstEntries(of: providers).isNaN else { return nil }
            let noneExcluded = UnsafeBufferPointer<Int32>(start: nil, count: 0)
            var chosen = firstPasses(over: skyline, providers: providers, found: found, foundModels: foundModels, readTo: readTo,
                                     request, excluded: noneExcluded)
            var best = chosen == nil ? secondPass(over: skyline, providers: providers, readTo: readTo, request, excluded: noneExcluded) : nil
            guard var answer = chosen ?? best else { return nil }
            let excludedIDs = request.excludedModels
            func isExcluded(_ model: Int32) -> Bool { index.isModel(Int(model), oneOf: excludedIDs) }
            guard !excludedIDs.isEmpty, isExcluded(answer.model) else { return SkylineAnswer(chosen: chosen, best: best) }
            // Each answer is a model the passes have not excluded yet, so there are at most as many
            // runs again as excluded ids.
            return withUnsafeTemporaryAllocation(of: Int32.self, capacity: excludedIDs.count) { excludedBuffer in
                var excludedCount = 0
                while true {
                    excludedBuffer[excludedCount] = answer.model
                    excludedCount += 1
                    let excluded = UnsafeBufferPointer(rebasing: excludedBuffer[..<excludedCount])
                    if let excludedAnswer = chosen {
                        // The providers before the answer's keep what they found; the answer's reads
                        // again, and those after it, whose passes stopped at the answer, read on.
                        let offset = found.firstIndex(of: Int32(excludedAnswer.position))!
                        readTo[offset] = -1
                        chosen = firstPasses(over: skyline, providers: providers, found: found, foundModels: foundModels, readTo: readTo,
                                             request, excluded: excluded, from: offset)
                    }
                    // Leaving a model out leaves the first passes that found nothing as they were.
                    if chosen == nil {
                        best = secondPass(over: skyline, providers: providers, readTo: readTo, request, excluded: excluded)
                    }
                    guard let next = chosen ?? best else { return nil }
                    guard excludedCount < excludedIDs.count, isExcluded(next.model) else { return SkylineAnswer(chosen: chosen, best: best) }
                    answer = next
                }
            }
        }
    }

    /// The cheapest candidate that qualifies among `providers`' skylines, none of them one of the
    /// `excluded` models; nil for none. Each skyline is read up to its own, kept in `found` (−1 for
    /// none) with its model number in `foundModels`, or up to an earlier provider's answer, since
    /// those after it cannot beat it; where it stopped is kept in `readTo` (−1 where a band or a
    /// full search answered).
    ///
    /// From provider `first` on: those before it keep what they found. A provider reads on from
    /// where it stopped, or from its first entry where `readTo` holds −1.
    private func firstPasses(over skyline: Skyline, providers: UnsafeBufferPointer<Int32>, found: UnsafeMutableBufferPointer<Int32>,
                             foundModels: UnsafeMutableBufferPointer<Int32>, readTo: UnsafeMutableBufferPointer<Int32>,
                             _ request: borrowing SelectionRequest, excluded: UnsafeBufferPointer<Int32>,
                             from first: Int = 0) -> SkylineAnswer.Pick? {
        let threshold = request.minQuality
        let maxCost = request.maxCostUSD ?? .infinity
        let maxLatency = request.maxLatencyMs ?? .infinity
        var chosen = Int.max
        var chosenModel: Int32 = -1
        for offset in 0..<first where found[offset] >= 0 && Int(found[offset]) < chosen {
            (chosen, chosenModel) = (Int(found[offset]), foundModels[offset])
        }
        for offset in first..<providers.count {
            let provider = Int(providers[offset])
            var pass = skyline.cheapestQualifying(provider: provider, from: readTo[offset] >= 0 ? Int(readTo[offset]) : nil,
                                                  threshold: threshold, maxCost: maxCost, maxLatency: maxLatency,
                                                  before: chosen, excluded: excluded)
            if pass == .metExcluded {
                let query = Snapshot.Query(route: self, request: request, z: Snapshot.reportingZ)
                pass = query.cheapestQualifying(of: provider, before: chosen).map { .chosen($0, model: modelNumbers[$0]) } ?? .nothing
            }
            found[offset] = -1
            switch pass {
            case .chosen(let position, let model):
                // A band's answer may come after an earlier provider's.
                if position < chosen { (chosen, chosenModel) = (position, model) }
                found[offset] = Int32(position)
                foundModels[offset] = model
                readTo[offset] = -1
            case .noneQualifies(let read): readTo[offset] = Int32(read)
            // The band or a full search answered: the second pass finds the cost limit's end itself.
            default: readTo[offset] = -1
            }
        }
        return chosen == .max ? nil : SkylineAnswer.Pick(position: chosen, model: chosenModel)
    }

    /// When no provider has a candidate that qualifies: the best within the limits, none of them one
    /// of the `excluded` models, from a pass that ends where each first one stopped (kept in
    /// `readTo`); nil for none.
    private func secondPass(over skyline: Skyline, providers: UnsafeBufferPointer<Int32>, readTo: UnsafeMutableBufferPointer<Int32>,
                            _ request: borrowing SelectionRequest, excluded: UnsafeBufferPointer<Int32>) -> SkylineAnswer.Pick? {
        let maxCost = request.maxCostUSD ?? .infinity
        let maxLatency = request.maxLatencyMs ?? .infinity
        var best: (position: Int, value: Double, model: Int32)?
        for (offset, provider) in providers.enumerated() {
            var pass = skyline.bestWithinLimits(provider: Int(provider), maxCost: maxCost, maxLatency: maxLatency, excluded: excluded,
                                                readTo: readTo[offset] >= 0 ? Int(readTo[offset]) : nil)
            if pass == .metExcluded {
                let query = Snapshot.Query(route: self, request: request, z: Snapshot.reportingZ)
                pass = query.bestWithinLimits(of: Int(provider)).map {
                    .best(position: $0.position, value: $0.quality, model: modelNumbers[$0.position])
                } ?? .nothing
            }
            if case .best(let position, let value, let model) = pass,
               best.map({ value > $0.value || (value == $0.value && position < $0.position) }) ?? true {
                best = (position, value, model)
            }
        }
        return best.map { SkylineAnswer.Pick(position: $0.position, model: $0.model) }
    }
}
