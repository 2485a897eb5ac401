/// The candidates of one task type laid out for requests that give their own token counts, whose
/// costs, and so whose order, the snapshot cannot know in advance.
///
/// A scan would read every candidate's full record to price it. But such a request's answer is
/// among the candidates at or above its threshold, and when none of those is within its limits,
/// it is the best within them: the first from the threshold down. So the candidates are
/// kept from the highest quality down (by mean, and by 95% lower bound), each with its price and
/// context window beside its quality, and a select reads them in that order, only as far as its
/// answer needs, pricing each before it looks at anything else.
struct RequestTokenIndex: Sendable {
    /// The candidates in one descending order of quality, with the figures that price them in
    /// arrays of their own.
    struct Ordered: Sendable {
        /// Positions among the route's candidates (the earlier first among equal qualities).
        let positions: [Int32]
        /// Each one's quality: its mean, or its 95% lower bound.
        let qualities: [Double]
        let inputPrices: [Double]
        let outputPrices: [Double]
        /// 0 where the model has no price per request.
        let requestPrices: [Double]
        /// +∞ where unknown, which holds any request.
        let contextWindows: [Double]
        /// Each one's tokens at its defaults, read only for a request that gives one count alone.
        let defaultTokens: [(input: Double, output: Double)]
        /// The candidates no earlier one dominates, for requests that give both counts.
        let undominated: Undominated

        /// The cost of the candidate at `index` in this order: ``Price/estimatedCost(inputTokens:outputTokens:)``.
        @inline(__always)
        func cost(at index: Int, input: Double, output: Double) -> Double {
            (input * inputPrices[index] + output * outputPrices[index]) / 1_000_000 + requestPrices[index]
        }

        /// How many candidates, from the first, have a quality of at least `threshold`.
        func count(atLeast threshold: Double) -> Int {
            RequestTokenIndex.count(of: qualities, atLeast: threshold)
        }
    }

    /// The candidates of an ``Ordered`` that no earlier candidate dominates: one dominates another
    /// when it costs no more at any token counts (no price higher), fits every request the other
    /// fits (a context window and an output limit at least as large) and comes first in the rule's
    /// order when they cost the same (a higher mean, or the same and an earlier id). Only
    /// candidates with at least ``fewestSamples`` samples are kept, which every request with the
    /// default `minSamples` or more demands: one judged by a light prior alone, cheap and rarely
    /// allowed, would otherwise be the cheapest too often for this to answer. Whatever the token counts
    /// and the threshold, the cheapest candidate that fits is then among these (its dominator
    /// would be earlier, so above the threshold too, and at least as good by the rule), and these
    /// are few: quality, three prices and a context window rarely all go the same way.
    struct Undominated: Sendable {
        /// The fewest samples a kept candidate has: a request that allows fewer is not answered here.
        static let fewestSamples = Frontier.SampleRange.fewestSamples

        /// Each one's index in the ``Ordered``.
        let indices: [Int32]
        let qualities: [Double]
        let inputPrices: [Double]
        let outputPrices: [Double]
        let requestPrices: [Double]
        let contextWindows: [Double]
        /// The most output tokens each can produce; +∞ where unknown.
        let outputLimits: [Double]

        init(_ ordered: (qualities: [Double], inputPrices: [Double], outputPrices: [Double], requestPrices: [Double],
                         contextWindows: [Double]), outputLimits: [Double], samples: [Double],
             comesFirstAtEqualCost: (Int, Int) -> Bool) {
            var kept: [Int] = []
            for index in ordered.qualities.indices where samples[index] >= Self.fewestSamples {
                let isDominated = kept.contains { earlier in
                    ordered.inputPrices[earlier] <= ordered.inputPrices[index]
                        && ordered.outputPrices[earlier] <= ordered.outputPrices[index]
                        && ordered.requestPrices[earlier] <= ordered.requestPrices[index]
                        && ordered.contextWindows[earlier] >= ordered.contextWindows[index]
                        && outputLimits[earlier] >= outputLimits[index]
                        && comesFirstAtEqualCost(earlier, index)
                }
                if !isDominated { kept.append(index) }
            }
            indices = kept.map(Int32.init)
            qualities = kept.map { ordered.qualities[$0] }
            inputPrices = kept.map { ordered.inputPrices[$0] }
            outputPrices = kept.map { ordered.outputPrices[$0] }
            requestPrices = kept.map { ordered.requestPrices[$0] }
            contextWindows = kept.map { ordered.contextWindows[$0] }
            self.outputLimits = kept.map { outputLimits[$0] }
        }

        /// Among the candidates with a quality of at least `threshold`, the one whose context window
        /// holds `input + output` tokens, and that can produce `output`, at the lowest cost, as its
        /// index in the ``Ordered``, and that cost; nil when none fits. Several at the lowest cost
        /// (one model served at the same price with different windows) go to the one that
        /// `comesFirst` at equal cost.
        func cheapestFitting(atLeast threshold: Double, input: Double, output: Double,
                             comesFirst: (Int, Int) -> Bool) -> (index: Int, cost: Double)? {
            let tokens = input + output
            let count = RequestTokenIndex.count(of: qualities, atLeast: threshold)
            func cost(at index: Int) -> Double {
                let priced = (input * inputPrices[index] + output * outputPrices[index]) / 1_000_000 + requestPrices[index]
                return tokens <= contextWindows[index] && output <= outputLimits[index] ? priced : .infinity
            }
            var lowest = Double.infinity
            var lowestIndex = -1
            var tied = false
            for index in 0..<count {
                let cost = cost(at: index)
                tied = cost == lowest ? true : (cost < lowest ? false : tied)
                lowestIndex = cost < lowest ? index : lowestIndex
                lowest = min(cost, lowest)
            }
            guard lowest < .infinity else { return nil }
            if tied {
                for index in lowestIndex + 1..<count where cost(at: index) == lowest
                    && comesFirst(Int(indices[index]), Int(indices[lowestIndex])) {
                    lowestIndex = index
                }
            }
            return (Int(indices[lowestIndex]), lowest)
        }
    }

    let byMean: Ordered
    let byLowerBound: Ordered

    init(candidates: [Candidate], facts: [TaskRoute.Facts]) {
        func ordered(by qualities: [Double]) -> Ordered {
            let positions = qualities.indices.sorted { qualities[$0] > qualities[$1] || (qualities[$0] == qualities[$1] && $0 < $1) }
            let models = positions.map { candidates[$0].model }
            let figures = (qualities: positions.map { qualities[$0] },
                           inputPrices: models.map(\.price.inputUSDPerMTok), outputPrices: models.map(\.price.outputUSDPerMTok),
                           requestPrices: models.map { $0.price.requestUSD ?? 0 },
                           contextWindows: models.map { $0.contextWindow.map(Double.init) ?? .infinity })
            let outputLimits = models.map { $0.maxOutputTokens.map(Double.init) ?? .infinity }
            let undominated = Undominated(figures, outputLimits: outputLimits, samples: positions.map { facts[$0].samples }) { earlier, later in
                Candidate.precedes(cost: 0, candidates[positions[earlier]], costOf: 0, candidates[positions[later]])
            }
            return Ordered(
                positions: positions.map(Int32.init), qualities: figures.qualities, inputPrices: figures.inputPrices,
                outputPrices: figures.outputPrices, requestPrices: figures.requestPrices, contextWindows: figures.contextWindows,
                defaultTokens: positions.map { (candidates[$0].defaultInputTokens, candidates[$0].defaultOutputTokens) },
                undominated: undominated)
        }
        byMean = ordered(by: facts.map(\.mean))
        byLowerBound = ordered(by: facts.map(\.lowerBound95))
    }

    /// How many of `qualities`, in descending order, are at least `threshold`.
    static func count(of qualities: [Double], atLeast threshold: Double) -> Int {
        var low = 0
        var high = qualities.count
        while low < high {
            let middle = (low + high) / 2
            if qualities[middle] >= threshold { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
