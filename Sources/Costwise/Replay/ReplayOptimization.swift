/// A model for each task type, chosen on the training part alone as the cheapest combination whose
/// overall quality reaches a share of the baseline's, with its figures on both parts.
///
/// Each choice is expressed the way the selector takes it: the task type's threshold is the chosen
/// model's quality mean in the training store, so the selector picks that model (or a cheaper one
/// at least as good, had there been one) without being told which.
public struct ReplayOptimization: Sendable, Hashable {
    /// One task type's choice.
    public struct Choice: Sendable, Hashable {
        public var task: String
        public var model: String
        /// The threshold that makes the selector pick ``model``: its quality mean for the task type
        /// in the training store.
        public var threshold: Double
    }

    /// The training quality ratio asked for.
    public var targetQualityRatio: Double
    /// Whether some combination reaches the target on the training part; when none does, the
    /// choices are the best-quality combination there is.
    public var reachesTarget: Bool
    /// Quality and cost of the choices on the training part, as ratios of the baseline's there.
    public var trainingQualityRatio: Double
    public var trainingCostRatio: Double
    /// One per task type, in task order.
    public var choices: [Choice]
    /// The choices routing the held-out items.
    public var heldOut: ReplayPoint
}
