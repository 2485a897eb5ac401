import Costwise
import Synchronization

/// What requests are routed with: the store's snapshot, its model aliases and its default task
/// classifier. Built off the request path and swapped whole (see ``StoreFollower``), so that a
/// request reads one consistent picture without touching the database.
final class RoutingState: Sendable {
    let snapshot: Snapshot
    let modelsByID: [String: Model]
    /// Alias → catalog id.
    let aliases: [String: String]
    /// The classifier `costwise/auto` uses, or why there is none.
    let classifier: Result<SharedClassifier, GatewayError>
    /// The keys callers present.
    let keys: KeyRing

    init(snapshot: Snapshot, aliases: [String: String], classifier: Result<SharedClassifier, GatewayError>, keys: KeyRing) {
        self.snapshot = snapshot
        var modelsByID: [String: Model] = [:]
        for model in snapshot.models { modelsByID[model.id] = model }
        self.modelsByID = modelsByID
        self.aliases = aliases
        self.classifier = classifier
        self.keys = keys
    }

    /// Reads the store's current state. Blocks on the database: call it off the request path.
    static func load(from store: SQLiteStore) throws -> RoutingState {
        let snapshot = try store.snapshot()
        var aliases: [String: String] = [:]
        for (alias, model) in try store.aliases() { aliases[alias] = model }
        let classifier: Result<SharedClassifier, GatewayError>
        do {
            let choice = try ClassifierChoice.defaultChoice(in: store)
            let made = try choice.makeClassifier(store: store, rules: try RuleClassifier.bundled(for: snapshot.taskTypes))
            let name = made.name
            guard let shared = SharedClassifier(made) else {
                throw InputError(field: "classifier", "the \(name) classifier waits on the network; the gateway classifies locally")
            }
            classifier = .success(shared)
        } catch {
            classifier = .failure(GatewayError(status: 500, type: .server, code: "no_classifier",
                                               "costwise/auto cannot classify: the store's default classifier failed to load (\(error)); "
                                               + "name the task type with costwise/TASK instead"))
        }
        return RoutingState(snapshot: snapshot, aliases: aliases, classifier: classifier, keys: KeyRing(try store.keys()))
    }

    /// The catalog model a request names by id or alias.
    func model(named name: String) -> Model? {
        modelsByID[name] ?? aliases[name].flatMap { modelsByID[$0] }
    }
}

/// A task classifier that many requests share: one that answers at once (the rules or a trained
/// classifier, the only kinds a store's default can be), so that classifying never waits on the
/// network inside the lock. The rules hold compiled expressions, which are not thread-safe, so one
/// request classifies at a time; classifying takes microseconds.
final class SharedClassifier: Sendable {
    private enum Immediate {
        case rules(RuleClassifier)
        case trained(NaiveBayesClassifier)
    }

    private let classifier: Mutex<Immediate>

    /// Nil for a classifier that does not answer at once (the llm classifier).
    init?(_ classifier: sending any TaskClassifier) {
        let immediate: Immediate
        switch classifier {
        case let rules as RuleClassifier: immediate = .rules(rules)
        case let trained as NaiveBayesClassifier: immediate = .trained(trained)
        default: return nil
        }
        self.classifier = Mutex(immediate)
    }

    func classify(_ text: String) -> TaskClassification {
        classifier.withLock { classifier in
            switch classifier {
            case .rules(let rules): rules.classify(text)
            case .trained(let trained): trained.classify(text)
            }
        }
    }
}
