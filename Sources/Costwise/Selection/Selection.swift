/// The answer to a ``SelectionRequest``: the chosen model, or why none qualified.
public struct Selection: Sendable {
    public var request: SelectionRequest
    public var task: TaskType
    /// The confidence level behind every `lowerBound` in this answer.
    public var confidence: Double
    /// The cheapest qualifying model; nil when none qualifies.
    public var chosen: CandidateVerdict?
    /// When none qualifies: the highest-quality candidate that passed the other limits (or, when none
    /// did, of all candidates), so the caller sees how far off the threshold is.
    public var best: CandidateVerdict?
    /// Every candidate in the order considered; filled only when the request asks to explain.
    public var candidates: [CandidateVerdict]
    /// Whether this is plain routing by tier, which does not consider quality.
    public var byTier = false

    /// Why no model qualifies, in one sentence; nil when one does.
    public var failureReason: String? {
        guard chosen == nil else { return nil }
        if byTier { return "no enabled model in tier \(task.tier) passes the limits for '\(task.name)'" }
        let measure = request.confidence == nil ? "mean quality" : "Wilson lower bound at confidence \(DecimalFormat.string(confidence))"
        guard let best else {
            return "no model has a quality estimate for task type '\(task.name)'"
        }
        return "no model's \(measure) for '\(task.name)' reaches \(DecimalFormat.string(request.minQuality)) "
            + "within the limits; the best candidate is \(best.model) (\(best.reason))"
    }
}
