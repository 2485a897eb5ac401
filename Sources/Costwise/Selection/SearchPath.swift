/// The ways a selection is answered, and which requests each answers exactly.
///
/// Each path names the ``SelectionRequest/Demands`` it answers and any other condition it needs;
/// a request with a demand a path does not name goes on to the next, down to the scan, which
/// answers every request. So a new limit is right everywhere as soon as the scan checks it (in
/// ``Snapshot/Query/check(_:at:cost:fits:)``, the one rule), and fast as soon as a path that
/// checks it names it. `Sources/Costwise/Selection/README.md` has the invariants behind each.
enum SearchPath: CaseIterable, Sendable {
    /// The store's frontier rows, for a one-off selection that reads a candidate or two.
    case storedFrontier
    /// A binary search over the route's frontier.
    case frontier
    /// The allowed providers' skylines.
    case skylines
    /// Each allowed provider's candidates in cost order, a tree jumping to those above the threshold.
    case providerTrees
    /// All candidates in cost order, a tree jumping to those above the threshold and within the
    /// latency and samples limits.
    case trees
    /// When nothing qualifies: the best within the limits, read off the trees' aggregates.
    case bestFromTrees
    /// Candidates from the highest quality down, priced at the request's own tokens.
    case requestTokens
    /// Every candidate, in the rule's order.
    case scan

    /// The demands this path answers.
    var demandsAnswered: SelectionRequest.Demands {
        switch self {
        // Frontiers know the threshold and the cost order alone.
        case .storedFrontier, .frontier: [.maxCost, .confidence]
        // Skylines are kept over quality and latency; cost is their order.
        case .skylines: [.providers, .excludedModels, .maxCost, .maxLatency, .confidence]
        // These skip only candidates below the threshold (or, for the trees, over the latency limit
        // or short of samples) and check each other one by the rule.
        case .providerTrees, .trees: [.providers, .excludedModels, .maxCost, .maxLatency, .confidence, .capabilities]
        case .bestFromTrees: [.excludedModels, .maxCost, .maxLatency, .confidence]
        case .requestTokens: [.requestTokens, .providers, .excludedModels, .maxCost, .maxLatency, .confidence, .capabilities]
        case .scan: SelectionRequest.Demands(rawValue: .max)
        }
    }

    /// Whether this path answers a request with these demands, at confidence level `confidence` (nil
    /// for the mean) and fewest samples `minSamples`, on a route whose frontiers and skylines hold for
    /// `frontierSamples` (nil where that is checked later, as the store's frontier rows do).
    func answers(_ demands: SelectionRequest.Demands, confidence: Double?, minSamples: Double,
                 frontierSamples: Frontier.SampleRange?) -> Bool {
        guard demandsAnswered.isSuperset(of: demands) else { return false }
        // Frontiers, skylines and the trees' aggregates are kept for the mean and the 95% bound.
        let keptLevel = confidence == nil || confidence == Snapshot.reportingConfidence
        let keptSamples = frontierSamples?.contains(minSamples) ?? true
        switch self {
        case .storedFrontier, .frontier: return keptLevel && keptSamples
        case .skylines: return demands.contains(.providers) && keptLevel && keptSamples
        case .providerTrees: return demands.contains(.providers)
        case .trees, .scan: return true
        case .bestFromTrees, .requestTokens: return keptLevel
        }
    }
}

extension SearchPath {
    /// Whether this path answers `request` on a route whose frontiers hold for `frontierSamples`.
    func answers(_ request: borrowing SelectionRequest, demands: SelectionRequest.Demands,
                 frontierSamples: Frontier.SampleRange?) -> Bool {
        answers(demands, confidence: request.confidence, minSamples: request.minSamples, frontierSamples: frontierSamples)
    }
}
