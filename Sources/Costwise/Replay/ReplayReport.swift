/// What a ``Replay`` measured on the held-out part: every single model, the oracle, the baseline,
/// the threshold sweep and, when asked, the optimized choices and their curve, with the cheapest
/// point of each curve that reaches the quality target.
public struct ReplayReport: Sendable {
    /// The share of each task type's items that trained the store, and the seed, when the split was drawn.
    public var trainingFraction: Double?
    public var seed: UInt64?
    public var trainingItems: Int
    public var heldOutItems: Int
    public var taskTypes: Int
    /// The models replayed, with the prices their costs were estimated from.
    public var models: [Model]
    /// The ids of the models without a price, priced by their rows' `cost_usd`.
    public var modelsPricedByRows: Set<String>
    public var baseline: ReplayPoint
    public var singleModels: [ReplayPoint]
    public var oracle: ReplayPoint
    /// One point per distinct routing of a uniform threshold, by ascending threshold.
    public var sweep: [ReplayPoint]
    /// The choices made on the training part alone for ``targetQualityRatio``.
    public var optimized: ReplayOptimization?
    /// The optimized choices over a range of training targets, by ascending target.
    public var optimizedCurve: [ReplayPoint]
    public var targetQualityRatio: Double
    /// The cheapest held-out point of the sweep, and of the optimized curve, whose quality ratio
    /// reaches the target; nil when none does.
    public var sweepAtTarget: ReplayPoint?
    public var optimizedCurveAtTarget: ReplayPoint?
}
