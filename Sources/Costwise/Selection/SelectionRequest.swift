/// A question for the selector: the cheapest model whose quality for `task` clears `minQuality`,
/// within the given limits.
///
/// Output tokens given here are also a limit: a model whose ``Model/maxOutputTokens`` is fewer
/// cannot answer the request. Adding a field: see `Sources/Costwise/Selection/README.md`.
public struct SelectionRequest: Sendable, Hashable {
    public var task: String
    /// The quality threshold Q in [0, 1].
    public var minQuality: Double
    /// Tokens per request; when nil, the mean measured for each model and task, else the task's default.
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// When set (in (0, 1)), a model qualifies on its one-sided Wilson lower bound at this level
    /// instead of its mean.
    public var confidence: Double?
    /// The fewest samples (results plus prior weight) a candidate's estimate must rest on.
    public var minSamples: Double
    public var maxCostUSD: Double?
    /// The highest p95 latency allowed; models with no latency measured for the task are then no candidates.
    public var maxLatencyMs: Double?
    /// When not empty, only models of these providers are candidates.
    public var providers: [String]
    public var excludedModels: [String]
    /// Only models with every one of these capabilities are candidates.
    public var requiredCapabilities: Set<Capability>
    /// Report every candidate and why it was or was not chosen.
    public var explain: Bool

    public init(
        task: String, minQuality: Double, inputTokens: Int? = nil, outputTokens: Int? = nil,
        confidence: Double? = nil, minSamples: Double = 1, maxCostUSD: Double? = nil, maxLatencyMs: Double? = nil,
        providers: [String] = [], excludedModels: [String] = [], requiredCapabilities: Set<Capability> = [], explain: Bool = false
    ) {
        self.task = task
        self.minQuality = minQuality
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.confidence = confidence
        self.minSamples = minSamples
        self.maxCostUSD = maxCostUSD
        self.maxLatencyMs = maxLatencyMs
        self.providers = providers
        self.excludedModels = excludedModels
        self.requiredCapabilities = requiredCapabilities
        self.explain = explain
    }
}
