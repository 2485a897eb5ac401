/// One task type's default threshold as ``Replay/apply(_:to:run:)`` wrote it, and what the store's
/// selector picks at it.
public struct AppliedThreshold: Sendable, Hashable {
    public var task: String
    /// The model the tuning chose for the task type.
    public var tunedModel: String
    /// The threshold written: the tuned model's quality mean for the task type in the store.
    public var threshold: Double
    /// What `select` picks at that threshold: the tuned model, or a cheaper one the store's evidence
    /// rates at least as high; nil when the store cannot choose one (say, the model is disabled).
    public var selectedModel: String?
    /// Whether the store did not know the task type and it was created.
    public var createdTaskType: Bool
}
