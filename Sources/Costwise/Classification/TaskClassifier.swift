/// Reads the task type of a free-text task description, so that a request can be routed without
/// its caller naming a task type.
///
/// Three kinds answer: ``RuleClassifier`` (keywords and patterns, no training),
/// ``NaiveBayesClassifier`` (trained from labelled examples and kept in the store) and
/// ``LLMClassifier`` (asks the cheapest model that qualifies for classification, and falls back
/// to the rules). ``ClassifierChoice`` builds the one a caller names.
///
/// ```swift
/// let classifier = try ClassifierChoice.bayes.makeClassifier(store: store, rules: .bundled(for: store.taskTypes()))
/// let classification = await classifier.classify("Prove that the square root of 2 is irrational.")
/// print(classification.task, classification.confidence)   // reasoning, and how sure
/// ```
///
/// Classifiers are not `Sendable`: the rules hold compiled regular expressions, which the standard
/// library does not mark as such. Make one per thread.
public protocol TaskClassifier {
    /// The name an answer and a stored evaluation carry: `rules`, `llm`, or a trained classifier's name.
    var name: String { get }

    /// The task type of `text`; always answers. Async because the LLM classifier waits for an HTTP
    /// answer; the rules and trained classifiers answer at once.
    func classify(_ text: String) async -> TaskClassification
}
