/// A task description with the task type it belongs to: what classifiers are trained and
/// evaluated on.
public struct LabelledExample: Sendable, Hashable {
    public var text: String
    public var task: String
    /// The part of a labelled set the example belongs to (`train`, `held-out`, …), when the file says.
    public var split: String?

    public init(text: String, task: String, split: String? = nil) {
        self.text = text
        self.task = task
        self.split = split
    }
}
