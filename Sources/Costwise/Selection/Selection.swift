/// The answer to a ``SelectionRequest``: the chosen model, or why none qualified.
///
/// A selection found by the trees keeps the task's candidates and the chosen (or best) one's
/// position: its ``CandidateVerdict`` is put together when read, so that selecting pays for the
/// search and not for copying the answer's strings and figures.
public struct Selection: Sendable {
    public var request: SelectionRequest
    /// The confidence level behind every `lowerBound` in this answer.
    public var confidence: Double
    /// Every candidate in the order considered; filled only when the request asks to explain.
    public var candidates: [CandidateVerdict]
    /// Whether this is plain routing by tier, which does not consider quality.
    public var byTier = false
    let outcome: Outcome

    /// Where the answer's verdicts come from.
    enum Outcome: Sendable {
        /// Judged already, as routing by tier does. Boxed: two verdicts inline would make every
        /// selection several hundred bytes to move.
        indirect case judged(task: TaskType, chosen: CandidateVerdict?, best: CandidateVerdict?)
        /// Positions among a route's candidates, judged when read: the chosen one, else the best one.
        /// The chosen one's model number, where the search found it, names it without another read.
        case found(TaskRoute, z: Double, chosen: Int?, best: Int?, chosenModel: Int32?)

        /// Positions found by a search that did not read the chosen one's model number: it is read here.
        static func found(_ route: TaskRoute, z: Double, chosen: Int?, best: Int?) -> Outcome {
            .found(route, z: z, chosen: chosen, best: best, chosenModel: chosen.map { route.modelNumbers[$0] })
        }
    }

    init(request: SelectionRequest, confidence: Double, outcome: Outcome, candidates: [CandidateVerdict] = [], byTier: Bool = false) {
        self.request = request
        self.confidence = confidence
        self.outcome = outcome
        self.candidates = candidates
        self.byTier = byTier
    }

    public var task: TaskType {
        switch outcome {
        case .judged(let task, _, _): task
        case .found(let route, _, _, _, _): route.task
        }
    }

    /// The cheapest qualifying model; nil when none qualifies.
    public var chosen: CandidateVerdict? {
        switch outcome {
        case .judged(_, let chosen, _): chosen
        case .found(let route, let z, let chosen, _, _):
            chosen.map { Snapshot.Query(route: route, request: request, z: z).verdict(at: $0, explanation: .selected) }
        }
    }

    /// The chosen model's id, read without putting its verdict together; nil when none qualifies.
    public var chosenModel: String? {
        switch outcome {
        case .judged(_, let chosen, _): chosen?.model
        case .found(let route, _, _, _, let chosenModel): chosenModel.map { route.index.modelIDs[Int($0)] }
        }
    }

    /// When none qualifies: the highest-quality candidate that passed the other limits (or, when none
    /// did, of all candidates), so the caller sees how far off the threshold is.
    public var best: CandidateVerdict? {
        switch outcome {
        case .judged(_, _, let best): best
        case .found(let route, let z, _, let best, _):
            best.map { Snapshot.Query(route: route, request: request, z: z).verdict(at: $0, explanation: .check) }
        }
    }

    /// Why no model qualifies, in one sentence; nil when one does.
    public var failureReason: String? {
        guard chosenModel == nil else { return nil }
        let task = task
        if byTier { return "no enabled model in tier \(task.tier) passes the limits for '\(task.name)'" }
        let measure = request.confidence == nil ? "mean quality" : "Wilson lower bound at confidence \(DecimalFormat.string(confidence))"
        guard let best else {
            return "no model has a quality estimate for task type '\(task.name)'"
        }
        return "no model's \(measure) for '\(task.name)' reaches \(DecimalFormat.string(request.minQuality)) "
            + "within the limits; the best candidate is \(best.model) (\(best.reason))"
    }
}
