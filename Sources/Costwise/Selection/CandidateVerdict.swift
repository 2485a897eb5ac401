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
    /// Why, kept as figures and put in words only when asked: selecting must not pay for formatting.
    var explanation: Explanation

    /// Why it qualified or not, in words: `selected: cheapest with mean 0.91 >= 0.8`, `mean 0.71 < 0.8`, ….
    public var reason: String { explanation.text(for: self) }

    /// The figures behind a verdict's reason.
    enum Explanation: Sendable, Hashable {
        case check(Snapshot.Check, Limits)
        /// The winner: the first qualifying candidate in the rule's order.
        case selected(Snapshot.Check, Limits)
        /// Qualified, but a candidate earlier in the rule's order won.
        case outranked(Snapshot.Check, Limits, by: String)
        case text(String)

        func text(for verdict: CandidateVerdict) -> String {
            switch self {
            case .check(let check, let limits): check.reason(for: verdict, limits: limits)
            case .selected(let check, let limits): "selected: cheapest with " + check.reason(for: verdict, limits: limits)
            case .outranked(let check, let limits, let winner):
                "qualified (\(check.reason(for: verdict, limits: limits))), but \(winner) comes first"
            case .text(let text): text
            }
        }
    }

    /// What the request asked, as the reasons quote it.
    struct Limits: Sendable, Hashable {
        var minQuality: Double
        var usesConfidence: Bool
        var minSamples: Double
        var maxCostUSD: Double?
        var maxLatencyMs: Double?
        var contextWindow: Int?
        /// The capabilities the request needs that the candidate lacks.
        var missingCapabilities: [Capability] = []
        var maxOutputTokens: Int?
    }
}
