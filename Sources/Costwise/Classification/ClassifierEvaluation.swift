/// How well a classifier did on a labelled set: its accuracy and confusion matrix, as `classifier
/// evaluate` reports them and the store keeps them (table `classifier_evaluations`), so that a
/// review can tell how far routing by description can be trusted.
public struct ClassifierEvaluation: Sendable, Hashable {
    /// The classifier's name: `rules`, `llm`, or a trained classifier's.
    public var classifier: String
    /// Seconds since 1970-01-01 UTC.
    public var at: Double
    public var confusion: ConfusionMatrix
    /// Where the examples came from, e.g. `data/labelled-tasks.jsonl (split held-out)`.
    public var source: String?
    /// How many answers came from the rules because the LLM could not answer; nil for an
    /// evaluation read back from a store, which does not keep it.
    public var fallbacks: Int?

    public init(classifier: String, at: Double, confusion: ConfusionMatrix, source: String?, fallbacks: Int? = nil) {
        self.classifier = classifier
        self.at = at
        self.confusion = confusion
        self.source = source
        self.fallbacks = fallbacks
    }

    /// Classifies every example with `classifier` and compares the answers with the labels.
    public static func evaluate(_ classifier: some TaskClassifier, on examples: [LabelledExample], source: String?,
                                at time: Double = RFC3339.now) async -> ClassifierEvaluation {
        var pairs: [(truth: String, answer: String)] = []
        var fallbacks = 0
        for example in examples {
            let answer = await classifier.classify(example.text)
            if answer.fallbackReason != nil { fallbacks += 1 }
            pairs.append((example.task, answer.task))
        }
        return ClassifierEvaluation(classifier: classifier.name, at: time, confusion: ConfusionMatrix(pairs: pairs), source: source,
                                    fallbacks: fallbacks)
    }

    public var examples: Int { confusion.total }
    public var correct: Int { confusion.correct }
    /// The share of examples classified as their label; 0 for no example.
    public var accuracy: Double { examples == 0 ? 0 : Double(correct) / Double(examples) }

    /// `{"classifier", "at", "source", "examples", "correct", "accuracy", "fallbacks", "confusion"}`.
    public var json: JSONValue {
        .object([
            ("classifier", .string(classifier)),
            ("at", .string(RFC3339.string(fromSeconds: at))),
            ("source", .stringOrNull(source)),
            ("examples", .integer(examples)),
            ("correct", .integer(correct)),
            ("accuracy", .number(accuracy)),
            ("fallbacks", .integer(fallbacks)),
            ("confusion", confusion.json),
        ])
    }
}
