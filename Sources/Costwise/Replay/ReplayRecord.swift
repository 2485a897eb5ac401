/// One row of a replay file: a model's scored output on one item of a task type, with what the
/// request cost, or what it takes to estimate that.
public struct ReplayRecord: Sendable, Hashable {
    public var task: String
    /// The item's id, unique within its task type.
    public var item: String
    /// The model as the file names it; ``ReplayPricing`` maps it to a catalog id.
    public var model: String
    /// The score in [0, 1], after dividing by the file's score scale.
    public var score: Double
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// What the request cost, when the file says; otherwise it is estimated from the model's price.
    public var costUSD: Double?
    /// The prompt's and the response's length in characters, to estimate tokens where none are given.
    public var promptChars: Int?
    public var responseChars: Int?
    /// The line the row stands on, for errors.
    public var line: Int?

    public init(task: String, item: String, model: String, score: Double, inputTokens: Int? = nil, outputTokens: Int? = nil,
                costUSD: Double? = nil, promptChars: Int? = nil, responseChars: Int? = nil, line: Int? = nil) {
        self.task = task
        self.item = item
        self.model = model
        self.score = score
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.promptChars = promptChars
        self.responseChars = responseChars
        self.line = line
    }
}
