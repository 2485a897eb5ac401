/// One task classifier as `costwise classifier list` shows it: its name and kind, how it was
/// trained (for one kept in the store), and its latest evaluation.
public struct ClassifierListing: Sendable, Hashable {
    public var name: String
    /// `rules`, `llm`, or a trained classifier's kind (`naive-bayes`).
    public var kind: String
    /// The trained classifier; nil for `rules` and `llm`, which need no training.
    public var trained: TrainedClassifier?
    /// How it did on a labelled set the last time it was evaluated; nil when never.
    public var latestEvaluation: ClassifierEvaluation?

    /// `rules`, `llm`, then every classifier trained in `store` in name order, each with its latest evaluation.
    public static func all(in store: some CostwiseStore) throws -> [ClassifierListing] {
        let evaluations = Dictionary(try store.latestClassifierEvaluations().map { ($0.classifier, $0) },
                                     uniquingKeysWith: { _, later in later })
        let untrained = [ClassifierChoice.rules.name, ClassifierChoice.llm.name].map { name in
            ClassifierListing(name: name, kind: name, trained: nil, latestEvaluation: evaluations[name])
        }
        return untrained + (try store.trainedClassifiers()).map { trained in
            ClassifierListing(name: trained.name, kind: trained.kind, trained: trained, latestEvaluation: evaluations[trained.name])
        }
    }
}
