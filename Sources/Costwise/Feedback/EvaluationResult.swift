/// One scored output of a model on one item of a task type, as recorded by an evaluation run.
///
/// The key (model, task, run, item) is unique in the store: recording it again replaces the
/// earlier result. A result with neither `run` nor `item` is always a new result.
public struct EvaluationResult: Sendable, Hashable {
    public var model: String
    public var task: String
    /// The quality score in [0, 1].
    public var score: Double
    public var run: String?
    public var item: String?
    public var costUSD: Double?
    public var latencyMs: Double?
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// When the result was produced, in seconds since 1970-01-01 UTC; the recording time when nil.
    public var recordedAt: Double?

    public init(
        model: String, task: String, score: Double, run: String? = nil, item: String? = nil,
        costUSD: Double? = nil, latencyMs: Double? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil,
        recordedAt: Double? = nil
    ) {
        self.model = model
        self.task = task
        self.score = score
        self.run = run
        self.item = item
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.recordedAt = recordedAt
    }
}
