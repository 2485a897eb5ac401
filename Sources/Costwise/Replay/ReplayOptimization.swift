/// A model for each task type, chosen on the training part alone as the cheapest combination whose
/// overall quality there reaches a share of the baseline's, with its figures on both parts.
///
/// The share the training part is optimized for, ``trainingTarget``, is the target itself or, when
/// the choice is made to hold on new items, the target plus the ``margin`` cross-validation finds.
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

    /// The quality ratio asked for.
    public var targetQualityRatio: Double
    /// The quality ratio the training part was optimized for: the target plus the margin.
    public var trainingTarget: Double
    /// The cross-validated margin; nil when the training part was optimized for the target itself.
    public var margin: ReplayMargin?
    /// Whether some combination reaches the training target on the training part and, with a
    /// margin, whether cross-validation expects some choice to hold the target; when not, the
    /// choices are the best-quality combination there is.
    public var reachesTarget: Bool
    /// The choices' quality on the training part as the optimizer estimates it for new items (see
    /// ``ShrunkQuality``), as a ratio of the baseline's there: what reaches the training target.
    public var estimatedQualityRatio: Double
    /// Quality and cost of the choices on the training part as measured, as ratios of the baseline's there.
    public var trainingQualityRatio: Double
    public var trainingCostRatio: Double
    /// One per task type, in task order.
    public var choices: [Choice]
    /// The choices routing the held-out items.
    public var heldOut: ReplayPoint
}
