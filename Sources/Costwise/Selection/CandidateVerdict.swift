/// One candidate as a selection judged it: its cost for the request, its quality, and whether and
/// why it qualified.
public struct CandidateVerdict: Sendable, Hashable {
    public var model: String
    public var provider: String
    public var tier: Int?
    public var inputTokens: Double
    public var outputTokens: Double
    public var estimatedCostUSD: Double
    public var quality: QualityEstimate
    /// The Wilson lower bound at the request's confidence (0.95 when it named none).
    public var lowerBound: Double
    public var latencyP95Ms: Double?
    public var qualified: Bool
    /// Why it qualified or not, in words: `selected`, `mean 0.71 < 0.8`, `excluded`, ….
    public var reason: String
}
