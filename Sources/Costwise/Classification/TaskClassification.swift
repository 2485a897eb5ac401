/// The task type a classifier reads in a task description, and how sure it is.
///
/// `classifier` names the classifier that answered. When an LLM was asked but could not answer
/// (not configured, timed out, failed, or answered something that is not a task type), the rules
/// answer instead: `classifier` is then `rules` and ``fallbackReason`` says why.
public struct TaskClassification: Sendable, Hashable {
    /// The task type's name.
    public var task: String
    /// In [0, 1]: the posterior of `task` (bayes), its share of the matched rule weight (rules), or
    /// the classifier model's measured quality for classification (llm).
    public var confidence: Double
    /// The classifier that answered: `rules`, `llm`, or a trained classifier's name such as `bayes`.
    public var classifier: String
    /// The model the LLM classifier asked (or would have asked), when one was chosen.
    public var model: String?
    /// Why the LLM's answer was not used, when the rules answered in its place.
    public var fallbackReason: String?

    public init(task: String, confidence: Double, classifier: String, model: String? = nil, fallbackReason: String? = nil) {
        self.task = task
        self.confidence = confidence
        self.classifier = classifier
        self.model = model
        self.fallbackReason = fallbackReason
    }

    /// `{"task", "confidence", "classifier"}`, plus `"model"` and `"fallback_reason"` when they apply.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("task", .string(task)),
            ("confidence", .number(confidence)),
            ("classifier", .string(classifier)),
        ]
        if let model { members.append(("model", .string(model))) }
        if let fallbackReason { members.append(("fallback_reason", .string(fallbackReason))) }
        return .object(members)
    }
}
