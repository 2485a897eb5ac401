/// The candidates for one task type, in the order the selection rule considers them at their
/// default tokens, laid out for fast selection: the values every check reads side by side in
/// arrays, and trees that jump over candidates below a threshold.
///
/// A class, so that a selection holds one reference instead of copying twenty arrays.
final class TaskRoute: Sendable {
    let task: TaskType
    /// Enabled models with a quality estimate for the task, by default cost, then higher mean, then id.
    let candidates: [Candidate]

    // The candidates' values, in the same order, for checks that touch nothing else.
    let costs: [Double]
    let means: [Double]
    let samples: [Double]
    /// The one-sided Wilson lower bound at 95%, the confidence asked for most.
    let lowerBounds95: [Double]
    let fitsDefaultTokens: [Bool]
    /// The p95 latency, NaN where none was measured.
    let latencies: [Double]
    let providerIDs: [Int32]

    /// The position of each model among the candidates.
    let positionByModel: [String: Int]
    let providerIDByName: [String: Int32]

    /// Over all candidates: means (and 95% bounds) where the default tokens fit, else −∞.
    let all: Subset
    /// The same for each provider's candidates alone.
    let byProvider: [Int32: Subset]

    /// A cost-ordered subsequence of the candidates with its trees.
    final class Subset: Sendable {
        /// Positions in `candidates`; nil for all of them.
        let positions: [Int]?
        let meanTree: MaxTree
        let lowerBoundTree: MaxTree
        /// The position of the highest mean (and of the highest 95% bound) among those that fit,
        /// the cheapest where several tie: the best candidate when none qualifies.
        let bestMean: Int?
        let bestLowerBound: Int?

        init(positions: [Int]?, meanTree: MaxTree, lowerBoundTree: MaxTree, bestMean: Int?, bestLowerBound: Int?) {
            self.positions = positions
            self.meanTree = meanTree
            self.lowerBoundTree = lowerBoundTree
            self.bestMean = bestMean
            self.bestLowerBound = bestLowerBound
        }

        func position(_ index: Int) -> Int { positions?[index] ?? index }
    }

    init(task: TaskType, candidates unordered: [Candidate]) {
        self.task = task
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
        costs = candidates.map(\.defaultCost)
        means = candidates.map(\.quality.mean)
        samples = candidates.map(\.quality.samples)
        lowerBounds95 = candidates.map { $0.quality.wilsonLowerBound(z: Snapshot.reportingZ) }
        fitsDefaultTokens = candidates.map { $0.fits(inputTokens: $0.defaultInputTokens, outputTokens: $0.defaultOutputTokens) }
        latencies = candidates.map { $0.latencyP95Ms ?? .nan }
        var providerIDByName: [String: Int32] = [:]
        providerIDs = candidates.map { candidate in
            if let id = providerIDByName[candidate.model.provider] { return id }
            let id = Int32(providerIDByName.count)
            providerIDByName[candidate.model.provider] = id
            return id
        }
        self.providerIDByName = providerIDByName
        positionByModel = Dictionary(candidates.enumerated().map { ($0.element.model.id, $0.offset) }, uniquingKeysWith: { first, _ in first })

        let (means, bounds, fits) = (means, lowerBounds95, fitsDefaultTokens)
        func subset(_ positions: [Int]?) -> Subset {
            let indices = positions ?? Array(candidates.indices)
            let meanValues = indices.map { fits[$0] ? means[$0] : -.infinity }
            let boundValues = indices.map { fits[$0] ? bounds[$0] : -.infinity }
            func best(_ values: [Double]) -> Int? {
                var best: Int?
                for (index, value) in values.enumerated() where value > -.infinity && best.map({ value > values[$0] }) ?? true {
                    best = index
                }
                return best.map { indices[$0] }
            }
            return Subset(positions: positions, meanTree: MaxTree(meanValues), lowerBoundTree: MaxTree(boundValues),
                          bestMean: best(meanValues), bestLowerBound: best(boundValues))
        }
        all = subset(nil)
        var positionsByProvider: [Int32: [Int]] = [:]
        for (position, provider) in providerIDs.enumerated() { positionsByProvider[provider, default: []].append(position) }
        byProvider = positionsByProvider.mapValues(subset)
    }
}
