/// A trained classifier as a store keeps it (table `classifiers`): its name, its kind, its
/// parameters as JSON, when it was trained and on how many examples.
public struct TrainedClassifier: Sendable, Hashable {
    /// Unique in a store; `rules` and `llm` are taken by the classifiers that need no training.
    public var name: String
    /// The algorithm, e.g. ``NaiveBayesClassifier/kind``.
    public var kind: String
    public var parametersJSON: String
    /// Seconds since 1970-01-01 UTC.
    public var trainedAt: Double
    public var examples: Int

    public init(name: String, kind: String, parametersJSON: String, trainedAt: Double, examples: Int) {
        self.name = name
        self.kind = kind
        self.parametersJSON = parametersJSON
        self.trainedAt = trainedAt
        self.examples = examples
    }

    /// The record of `classifier`, trained at `time`.
    public init(_ classifier: NaiveBayesClassifier, trainedAt time: Double) {
        self.init(name: classifier.name, kind: NaiveBayesClassifier.kind, parametersJSON: classifier.parametersJSON,
                  trainedAt: time, examples: classifier.exampleCount)
    }

    /// The classifier its parameters describe.
    ///
    /// - Throws: ``InputError`` for a kind this Costwise does not know or parameters it cannot read.
    public func classifier() throws -> NaiveBayesClassifier {
        guard kind == NaiveBayesClassifier.kind else {
            throw InputError(field: "classifier", "classifier '\(name)' is of kind '\(kind)', which this costwise cannot run")
        }
        return try NaiveBayesClassifier(name: name, parametersJSON: parametersJSON)
    }

    /// `{"name", "kind", "examples", "trained_at"}`.
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("kind", .string(kind)),
            ("examples", .integer(examples)),
            ("trained_at", .string(RFC3339.string(fromSeconds: trainedAt))),
        ])
    }
}
