/// A model that has a quality estimate for one task type, with everything a selection needs to
/// judge it, precomputed when the snapshot is built.
struct Candidate: Sendable {
    let model: Model
    let quality: QualityEstimate
    /// Mean tokens per request measured in this model's results for the task type, where recorded.
    let measuredInputTokens: Double?
    let measuredOutputTokens: Double?
    /// The 95th percentile (nearest rank) of the latencies recorded for this model and task type.
    let latencyP95Ms: Double?
    /// The tokens assumed when a request names none: measured, else the task type's defaults.
    let defaultInputTokens: Double
    let defaultOutputTokens: Double
    /// The estimated cost of one request at the default tokens.
    let defaultCost: Double
    /// The model's known capabilities as bits (see ``Capability/Requirement``).
    let capabilityBits: UInt64

    init(model: Model, quality: QualityEstimate, task: TaskType,
         measuredInputTokens: Double?, measuredOutputTokens: Double?, latencyP95Ms: Double?) {
        self.model = model
        self.quality = quality
        self.measuredInputTokens = measuredInputTokens
        self.measuredOutputTokens = measuredOutputTokens
        self.latencyP95Ms = latencyP95Ms
        defaultInputTokens = measuredInputTokens ?? Double(task.inputTokens)
        defaultOutputTokens = measuredOutputTokens ?? Double(task.outputTokens)
        defaultCost = model.price.estimatedCost(inputTokens: defaultInputTokens, outputTokens: defaultOutputTokens)
        capabilityBits = Capability.bits(of: model.capabilities)
    }

    /// Whether the model's context window (where known) holds a request of this size.
    func fits(inputTokens: Double, outputTokens: Double) -> Bool {
        guard let window = model.contextWindow else { return true }
        return inputTokens + outputTokens <= Double(window)
    }

    /// The selection rule's order: lower cost first, then higher mean, then model id in byte order.
    static func precedes(cost: Double, _ a: Candidate, costOf otherCost: Double, _ b: Candidate) -> Bool {
        if cost != otherCost { return cost < otherCost }
        if a.quality.mean != b.quality.mean { return a.quality.mean > b.quality.mean }
        return a.model.id.utf8.lexicographicallyPrecedes(b.model.id.utf8)
    }
}
