/// The candidates for one task type, in the order the selection rule considers them at their
/// default tokens, laid out for fast selection: the values every check reads side by side in
/// arrays, and trees that jump over candidates below a threshold.
///
/// A class, so that a selection holds one reference instead of copying twenty arrays.
final class TaskRoute: Sendable {
    // Declared first, in the order selects read them, so that a select finds them in the route's
    // first cache line or two, which it reads first.

    /// The snapshot's model and provider numbers.
    let index: CatalogIndex
    /// Each candidate's model number in `index`, by position.
    let modelNumbers: [Int32]
    /// The requests (by their fewest samples) the frontiers and the skylines answer.
    let frontierSamples: Frontier.SampleRange
    /// Per provider, the candidates a request naming providers can get, by mean and by 95% bound,
    /// among those the frontiers hold.
    let meanSkyline: Skyline
    let lowerBoundSkyline: Skyline
    /// The candidates a request limited by its threshold alone can get, by mean and by 95% lower
    /// bound, among those that fit their default tokens and rest on at least one sample.
    let meanFrontier: Frontier
    let lowerBoundFrontier: Frontier

    let task: TaskType
    /// Enabled models with a quality estimate for the task, by default cost, then higher mean, then id.
    let candidates: [Candidate]

    /// What every check reads of each candidate, in the same order, side by side: one array read
    /// per candidate instead of seven.
    let facts: [Facts]

    struct Facts: Sendable {
        var cost: Double
        var mean: Double
        var samples: Double
        /// The one-sided Wilson lower bound at 95%, the confidence asked for most.
        var lowerBound95: Double
        /// The p95 latency, NaN where none was measured.
        var latency: Double
        var providerID: Int32
        var fitsDefaultTokens: Bool

        /// The mean and the 95% bound where the default tokens fit, else −∞: what the trees hold,
        /// so that a candidate the default request cannot use is never found above a threshold.
        var meanIfFits: Double { fitsDefaultTokens ? mean : -.infinity }
        var lowerBound95IfFits: Double { fitsDefaultTokens ? lowerBound95 : -.infinity }
    }

    /// Each model's position among the candidates, by its number in `index`; −1 for none.
    let positionByModelNumber: [Int32]

    /// The known capabilities every candidate has, as bits, and the fewest output tokens any candidate
    /// is limited to (`Int.max` where none is): a request within both checks no candidate for them.
    let commonCapabilityBits: UInt64
    let fewestOutputTokensLimit: Int

    /// Whether every candidate meets `requirement`, so that no candidate need be checked for it.
    func allHave(_ requirement: Capability.Requirement) -> Bool {
        requirement.isEmpty || (requirement.others.isEmpty && commonCapabilityBits & requirement.bits == requirement.bits)
    }

    /// Over all candidates: the highest mean (and 95% bound) where the default tokens fit, else −∞,
    /// with each subtree's lowest latency and most samples.
    let meanTree: MaxTree
    let lowerBoundTree: MaxTree
    /// The position of the highest mean (and of the highest 95% bound) among those that fit, the
    /// cheapest where several tie: the best candidate when none qualifies.
    let bestMean: Int?
    let bestLowerBound: Int?
    /// Each provider's candidates, by its number in `index`.
    let byProvider: [ProviderCandidates]
    /// The candidates from the highest quality down, with their prices, for requests with their
    /// own token counts; nil in a route built to answer one request, which a scan answers sooner
    /// than this is built.
    let requestTokens: RequestTokenIndex?

    /// The position of model `id` among the candidates; nil when it is none of them.
    func position(of id: String) -> Int? {
        guard let number = index.modelNumbers[id] else { return nil }
        let position = positionByModelNumber[number]
        return position < 0 ? nil : Int(position)
    }

    /// One provider's candidates in cost order, their facts side by side: a provider holds few
    /// enough that checking each candidate above the threshold in turn beats a tree walk that
    /// latency limits keep sending sideways.
    final class ProviderCandidates: Sendable {
        /// Positions in `candidates`.
        let positions: [Int]
        let facts: [Facts]
        /// Trees over the means and 95% bounds where the default tokens fit (else −∞), to jump over
        /// a run of candidates below a threshold.
        let meanTree: MaxTree
        let lowerBoundTree: MaxTree
        /// The values the trees hold, for a pass that skips candidates below the best so far.
        let means: [Double]
        let lowerBounds: [Double]

        init(positions: [Int], facts: [Facts]) {
            self.positions = positions
            self.facts = facts
            means = facts.map(\.meanIfFits)
            lowerBounds = facts.map(\.lowerBound95IfFits)
            meanTree = MaxTree(means)
            lowerBoundTree = MaxTree(lowerBounds)
        }
    }

    /// The route of `task` over `candidates`, whose models `index` numbers (by default, an index of
    /// these candidates' models alone); with `forOneRequest`, without a ``RequestTokenIndex``.
    init(task: TaskType, candidates unordered: [Candidate], index: CatalogIndex? = nil, forOneRequest: Bool = false) {
        self.task = task
        let index = index ?? CatalogIndex(models: unordered.map(\.model))
        self.index = index
        // Sorting positions moves eight bytes at a time where sorting candidates would move two hundred.
        let unorderedCosts = unordered.map(\.defaultCost)
        let unorderedMeans = unordered.map(\.quality.mean)
        let order = unordered.indices.sorted { a, b in
            if unorderedCosts[a] != unorderedCosts[b] { return unorderedCosts[a] < unorderedCosts[b] }
            if unorderedMeans[a] != unorderedMeans[b] { return unorderedMeans[a] > unorderedMeans[b] }
            return unordered[a].model.id.utf8.lexicographicallyPrecedes(unordered[b].model.id.utf8)
        }
        let candidates = order.map { unordered[$0] }
        self.candidates = candidates
        let facts = candidates.map { candidate in
            Facts(
                cost: candidate.defaultCost, mean: candidate.quality.mean, samples: candidate.quality.samples,
                lowerBound95: candidate.quality.wilsonLowerBound(z: Snapshot.reportingZ), latency: candidate.latencyP95Ms ?? .nan,
                providerID: Int32(index.providerNumbers[candidate.model.provider]!),
                fitsDefaultTokens: candidate.fits(inputTokens: candidate.defaultInputTokens, outputTokens: candidate.defaultOutputTokens))
        }
        self.facts = facts
        let frontierCandidate = { facts[$0].fitsDefaultTokens && facts[$0].samples >= Frontier.SampleRange.fewestSamples }
        meanFrontier = Frontier(qualities: facts.map(\.mean), eligible: frontierCandidate)
        lowerBoundFrontier = Frontier(qualities: facts.map(\.lowerBound95), eligible: frontierCandidate)
        var sampleRange = Frontier.SampleRange(above: -.infinity, upTo: .infinity)
        for fact in facts where fact.fitsDefaultTokens {
            if fact.samples < Frontier.SampleRange.fewestSamples {
                sampleRange.above = max(sampleRange.above, fact.samples)
            } else {
                sampleRange.upTo = min(sampleRange.upTo, fact.samples)
            }
        }
        frontierSamples = sampleRange
        var positionByModelNumber = [Int32](repeating: -1, count: index.modelNumbers.count)
        let modelNumbers = candidates.map { Int32(index.modelNumbers[$0.model.id]!) }
        for (position, number) in modelNumbers.enumerated() where positionByModelNumber[Int(number)] < 0 {
            positionByModelNumber[Int(number)] = Int32(position)
        }
        self.positionByModelNumber = positionByModelNumber
        self.modelNumbers = modelNumbers
        commonCapabilityBits = candidates.reduce(~0) { $0 & $1.capabilityBits }
        fewestOutputTokensLimit = candidates.compactMap(\.model.maxOutputTokens).min() ?? .max

        let meanValues = facts.map(\.meanIfFits)
        let boundValues = facts.map(\.lowerBound95IfFits)
        let latencies = facts.map(\.latency)
        let samples = facts.map(\.samples)
        meanTree = MaxTree(meanValues, latencies: latencies, samples: samples)
        lowerBoundTree = MaxTree(boundValues, latencies: latencies, samples: samples)
        func best(_ values: [Double]) -> Int? {
            var best: Int?
            for (index, value) in values.enumerated() where value > -.infinity && best.map({ value > values[$0] }) ?? true {
                best = index
            }
            return best
        }
        bestMean = best(meanValues)
        bestLowerBound = best(boundValues)
        var positionsByProvider = [[Int]](repeating: [], count: index.providerNumbers.count)
        for (position, fact) in facts.enumerated() { positionsByProvider[Int(fact.providerID)].append(position) }
        byProvider = positionsByProvider.map { positions in
            ProviderCandidates(positions: positions, facts: positions.map { facts[$0] })
        }
        meanSkyline = Skyline(facts: facts, values: facts.map(\.mean), modelNumbers: modelNumbers,
                              positionsByProvider: positionsByProvider, eligible: frontierCandidate)
        lowerBoundSkyline = Skyline(facts: facts, values: facts.map(\.lowerBound95), modelNumbers: modelNumbers,
                                    positionsByProvider: positionsByProvider, eligible: frontierCandidate)
        requestTokens = forOneRequest ? nil : RequestTokenIndex(candidates: candidates, facts: facts)
    }
}
