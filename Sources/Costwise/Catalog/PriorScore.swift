/// A quality score known before any local evaluation (a published benchmark, or the tier map),
/// counted as `weight` pseudo-samples in the model's quality estimate for the task type.
public struct PriorScore: Sendable, Hashable {
    public var model: String
    public var task: String
    public var score: Double
    public var weight: Double
    /// Where the score comes from, e.g. `published: …` or `tier map: …`.
    public var source: String

    public init(model: String, task: String, score: Double, weight: Double, source: String) {
        self.model = model
        self.task = task
        self.score = score
        self.weight = weight
        self.source = source
    }
}
