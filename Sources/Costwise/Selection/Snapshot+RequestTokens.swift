extension Snapshot.Query {
    /// What ``scan()`` finds for a request with its own token counts, without reading every
    /// candidate: the cheapest that qualifies, else the best within the limits, else the best of all.
    ///
    /// Candidates are read from the highest quality down. Those at or above the threshold are all
    /// read, and the cheapest within the limits is the answer; one that costs more than the
    /// cheapest so far is passed over on its price alone. A request that gives both counts first
    /// prices only the candidates no other dominates (``RequestTokenIndex/Undominated``): when the
    /// first of them that fits, by cost and the rule's order, passes every limit, it is the answer. When none is within the limits, the best
    /// within them is the first below the threshold that is, or a later one of equal quality that
    /// precedes it; and when none at all is, the first candidate, or one of equal quality, is the
    /// best of all.
    func searchAtRequestTokens(in index: RequestTokenIndex) -> (chosen: Int?, best: Int?) {
        let ordered = request.confidence == nil ? index.byMean : index.byLowerBound
        let count = ordered.positions.count
        let input = Double(request.inputTokens ?? 0)
        let output = Double(request.outputTokens ?? 0)
        let givesBoth = request.inputTokens != nil && request.outputTokens != nil

        /// The tokens the candidate at `index` is priced at: the request's, else its own.
        func tokens(at index: Int) -> (input: Double, output: Double) {
            // The same way for every candidate of a request, so the branch is predicted.
            if givesBoth { return (input, output) }
            let defaults = ordered.defaultTokens[index]
            return (request.inputTokens == nil ? defaults.input : input, request.outputTokens == nil ? defaults.output : output)
        }
        func cost(at index: Int) -> Double {
            let (input, output) = tokens(at: index)
            return ordered.cost(at: index, input: input, output: output)
        }
        /// Whether the candidate at `index` in the order, costing `cost`, passes every limit.
        func isWithinLimits(at index: Int, cost: Double) -> Bool {
            let (input, output) = tokens(at: index)
            let position = Int(ordered.positions[index])
            return check(route.facts[position], at: position, cost: cost,
                         fits: input + output <= ordered.contextWindows[index]).isWithinLimits
        }
        /// Whether the candidate at `index`, costing `cost`, comes before `other` in the rule's order.
        func precedes(_ index: Int, cost: Double, _ other: (index: Int, cost: Double)) -> Bool {
            Candidate.precedes(cost: cost, route.candidates[Int(ordered.positions[index])],
                               costOf: other.cost, route.candidates[Int(ordered.positions[other.index])])
        }

        if givesBoth, request.minSamples >= RequestTokenIndex.Undominated.fewestSamples,
           let cheapest = ordered.undominated.cheapestFitting(atLeast: request.minQuality, input: input, output: output,
                                                              comesFirst: { precedes($0, cost: 0, ($1, 0)) }),
           isWithinLimits(at: cheapest.index, cost: cheapest.cost) {
            return (Int(ordered.positions[cheapest.index]), nil)
        }

        let aboveThreshold = ordered.count(atLeast: request.minQuality)
        var next = 0
        var chosen: (index: Int, cost: Double)?
        while next < aboveThreshold {
            let index = next
            next += 1
            let cost = cost(at: index)
            if let chosen, cost > chosen.cost { continue }
            guard isWithinLimits(at: index, cost: cost) else { continue }
            if chosen.map({ precedes(index, cost: cost, $0) }) ?? true { chosen = (index, cost) }
        }
        if let chosen { return (Int(ordered.positions[chosen.index]), nil) }

        // Every candidate within the limits is below the threshold from here on.
        var best: (index: Int, cost: Double)?
        while next < count {
            let index = next
            if let best, ordered.qualities[index] < ordered.qualities[best.index] { break }
            next += 1
            let cost = cost(at: index)
            guard isWithinLimits(at: index, cost: cost) else { continue }
            if best.map({ precedes(index, cost: cost, $0) }) ?? true { best = (index, cost) }
        }
        if let best { return (nil, Int(ordered.positions[best.index])) }

        // None is within the limits: the best of all, by quality, then the rule's order.
        var bestOfAll: (index: Int, cost: Double)?
        for index in 0..<count {
            if index > 0 && ordered.qualities[index] < ordered.qualities[0] { break }
            let cost = cost(at: index)
            if bestOfAll.map({ precedes(index, cost: cost, $0) }) ?? true { bestOfAll = (index, cost) }
        }
        return (nil, bestOfAll.map { Int(ordered.positions[$0.index]) })
    }
}
