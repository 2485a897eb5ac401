/// How far above a quality target the training part must be optimized for the choice to hold the
/// target on items it has not seen, estimated on the training part alone by K-fold cross-validation.
///
/// A choice fitted to some items looks better on them than on others: where a cheap model happened
/// to do well on a task type's training items, the optimizer takes it, and on new items it does as
/// well as it really does. The optimizer's estimates already discount such luck (see
/// ``ShrunkQuality``); the margin measures what is left. Each task type's training items are dealt
/// into ``folds`` folds (in an
/// order drawn from the seed, as the split's is); for each fold, the cheapest combination is chosen
/// on the other folds for a training target t (on the estimates those folds give), and scored on
/// the fold it did not see, as measured. Pooled over
/// the folds, that is the quality ratio to expect on new items of a choice made for t, known up to
/// its standard error (a ratio estimator's, from the items' residuals). The training target is the
/// smallest t at or above the target whose expected ratio, less ``standardErrors`` standard
/// errors, reaches the target (every t at which some fold's choice changes is tried, so none is
/// missed), and ``margin`` is t − target. An estimate right on average is as often below as above:
/// less one standard error, the expected ratio reaches the target with about 84% confidence.
///
/// A fold's choice is made on (K − 1)/K of the training part, a little less than the final choice
/// sees, so the estimate errs slightly on the safe side.
public struct ReplayMargin: Sendable, Hashable {
    /// The number of folds each task type's training items are dealt into.
    public var folds: Int
    /// The quality ratio asked for on new items.
    public var targetQualityRatio: Double
    /// The quality ratio the whole training part is optimized for: the target plus the margin.
    public var trainingTarget: Double
    /// Whether some training target's cross-validated quality ratio reaches the target; when none
    /// does, the training target is the best combination's.
    public var reachesTarget: Bool
    /// The cross-validated quality and cost ratios at ``trainingTarget``: the pooled figures, on
    /// each fold, of the choice made on the other folds, as ratios of the baseline's on the same items.
    public var expectedQualityRatio: Double
    /// The standard error of ``expectedQualityRatio``.
    public var standardError: Double
    public var expectedCostRatio: Double

    /// The training target minus the target.
    public var margin: Double { trainingTarget - targetQualityRatio }

    /// The default number of folds: five, each choice made on 80% of the training part.
    public static let defaultFolds = 5
    /// How many standard errors below its expected quality ratio a choice is held to the target: one.
    public static let standardErrors = 1.0
}
