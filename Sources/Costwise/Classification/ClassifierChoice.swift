/// Which classifier reads a task description: the keyword rules, the LLM, or a classifier trained
/// and kept in the store under a name (a new store holds one named `bayes`).
public enum ClassifierChoice: Sendable, Hashable {
    case rules
    case llm
    case trained(String)

    /// The naive Bayes classifier that a new store comes with, trained on the bundled labelled set.
    public static let bayes = ClassifierChoice.trained("bayes")

    /// `rules`, `llm`, or the name of a trained classifier.
    public init(name: String) {
        switch name {
        case "rules": self = .rules
        case "llm": self = .llm
        default: self = .trained(name)
        }
    }

    public var name: String {
        switch self {
        case .rules: "rules"
        case .llm: "llm"
        case .trained(let name): name
        }
    }

    /// What answers when a caller names no classifier: `bayes` when the store holds it, else the rules.
    public static func defaultChoice(in store: some CostwiseStore) throws -> ClassifierChoice {
        try store.trainedClassifier(named: bayes.name) == nil ? .rules : bayes
    }

    /// - Throws: ``InputError`` on the field `name` when `name` cannot name a trained classifier:
    ///   empty, or `rules` or `llm`, which name the classifiers that need no training.
    public static func checkTrainedName(_ name: String) throws {
        guard !name.isEmpty else { throw InputError(field: "name", "a classifier needs a name") }
        guard case .trained = ClassifierChoice(name: name) else {
            throw InputError(field: "name", "'\(name)' names a classifier that needs no training; choose another name")
        }
    }

    /// The classifier this choice names, reading a trained one from `store`. The LLM falls back to
    /// `rules`, picks its model from the store's snapshot and sends its requests through `transport`
    /// (`CostwiseUpstream`'s `UpstreamHTTPTransport`; the other classifiers need none). `rules` is built
    /// only when needed: compiling patterns is most of a rule classifier's cost.
    ///
    /// - Throws: ``InputError`` on the field `classifier` when the store holds no trained classifier of
    ///   that name, or when the LLM is chosen and no `transport` is given.
    public func makeClassifier(store: some CostwiseStore, rules: @autoclosure () throws -> RuleClassifier,
                               endpoint: LLMEndpoint? = nil, transport: (any HTTPTransport)? = nil) throws -> any TaskClassifier {
        switch self {
        case .rules:
            return try rules()
        case .llm:
            guard let transport else {
                throw InputError(field: "classifier", "the llm classifier needs an HTTP transport to send its requests through")
            }
            return LLMClassifier(snapshot: try store.snapshot(), endpoint: endpoint, fallback: try rules(), transport: transport)
        case .trained(let name):
            guard let trained = try store.trainedClassifier(named: name) else {
                throw InputError(field: "classifier", "the store holds no trained classifier named '\(name)' "
                    + "(the classifiers are rules, llm and those `costwise classifier list` shows; `costwise classifier train` adds one)")
            }
            return try trained.classifier()
        }
    }
}
