/// A kind of work a request does (classification, summarization, reasoning, …), with the tier it
/// routes to by default and the token counts assumed for a request when nothing better is known.
public struct TaskType: Sendable, Hashable {
    public var name: String
    public var tier: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// The quality threshold used when a request names none.
    public var minQuality: Double?

    public init(name: String, tier: Int, inputTokens: Int, outputTokens: Int, minQuality: Double? = nil) {
        self.name = name
        self.tier = tier
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.minQuality = minQuality
    }

    /// The threshold a request uses when it names none: ``minQuality``.
    ///
    /// - Throws: ``InputError`` when the task type has none.
    public func defaultThreshold() throws -> Double {
        guard let minQuality else {
            throw InputError(field: "min-quality", "task type '\(name)' has no default threshold: give --min-quality, "
                + "or set one with `costwise tasks set \(name) --min-quality Q`")
        }
        return minQuality
    }

    /// Defaults for what `tasks set` does not give when it creates a task type.
    public static let defaultTier = 2
    public static let defaultInputTokens = 1_000
    public static let defaultOutputTokens = 500
}
