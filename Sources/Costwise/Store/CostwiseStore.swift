/// What Costwise needs from a store, kept narrow so that a second backend (a shared PostgreSQL
/// store for many gateway instances) can stand in for ``SQLiteStore``.
///
/// Writes are atomic: each call either applies entirely or leaves the store as it was.
public protocol CostwiseStore: AnyObject, Sendable {
    /// The in-memory picture that selections read; rebuilt after this store's own writes.
    func snapshot() throws -> Snapshot

    func models() throws -> [Model]
    /// Adds a model or changes it; a new price is appended to the model's price history.
    @discardableResult
    func setModel(_ update: ModelUpdate, source: String) throws -> Model
    func setEnabled(_ enabled: Bool, model id: String) throws
    /// Applies a whole price table in one transaction (or, with `dryRun`, only reports what it would
    /// change); changes the guard objects to are held back and reported.
    @discardableResult
    func importPrices(_ models: [Model], source: PriceSource, guard: PriceGuard, dryRun: Bool) throws -> PriceImportReport
    func priceHistory(model id: String) throws -> [PriceRevision]
    /// Makes `alias` (a name evaluation logs or price files use) resolve to the model `id`.
    func setAlias(_ alias: String, model id: String) throws
    /// Every alias and the model id it resolves to.
    func aliases() throws -> [(alias: String, model: String)]

    func taskTypes() throws -> [TaskType]
    @discardableResult
    func setTaskType(_ update: TaskTypeUpdate) throws -> TaskType
    func setPriors(_ priors: [PriorScore]) throws

    /// Records evaluation results in one transaction; `lines` and `file` locate errors.
    @discardableResult
    func recordResults(_ results: [EvaluationResult], lines: [Int]?, file: String?) throws -> ResultImportReport

    /// Keeps a trained task classifier under its name, replacing one of the same name.
    func saveClassifier(_ classifier: TrainedClassifier) throws
    /// The trained task classifier named `name`; nil when the store holds none of that name.
    func trainedClassifier(named name: String) throws -> TrainedClassifier?
    /// Every trained task classifier, in name order.
    func trainedClassifiers() throws -> [TrainedClassifier]
    /// Keeps how a task classifier did on a labelled set.
    func recordClassifierEvaluation(_ evaluation: ClassifierEvaluation) throws
    /// The latest evaluation of each task classifier that has one, in classifier name order.
    func latestClassifierEvaluations() throws -> [ClassifierEvaluation]
}

extension CostwiseStore {
    /// Records one evaluation result.
    @discardableResult
    public func record(_ result: EvaluationResult) throws -> ResultImportReport {
        try recordResults([result], lines: nil, file: nil)
    }
}

/// A change to a model: what is nil stays as it is (or takes its default for a new model).
public struct ModelUpdate: Sendable, Hashable {
    public var id: String
    public var provider: String?
    public var inputUSDPerMTok: Double?
    public var outputUSDPerMTok: Double?
    public var requestUSD: Double?
    public var contextWindow: Int?
    public var tier: Int?
    /// The model's capabilities, replacing those it had.
    public var capabilities: Set<Capability>?
    public var maxOutputTokens: Int?
    public var cachedInputUSDPerMTok: Double?
    public var reasoningUSDPerMTok: Double?

    public init(id: String, provider: String? = nil, inputUSDPerMTok: Double? = nil, outputUSDPerMTok: Double? = nil,
                requestUSD: Double? = nil, contextWindow: Int? = nil, tier: Int? = nil, capabilities: Set<Capability>? = nil,
                maxOutputTokens: Int? = nil, cachedInputUSDPerMTok: Double? = nil, reasoningUSDPerMTok: Double? = nil) {
        self.id = id
        self.provider = provider
        self.inputUSDPerMTok = inputUSDPerMTok
        self.outputUSDPerMTok = outputUSDPerMTok
        self.requestUSD = requestUSD
        self.contextWindow = contextWindow
        self.tier = tier
        self.capabilities = capabilities
        self.maxOutputTokens = maxOutputTokens
        self.cachedInputUSDPerMTok = cachedInputUSDPerMTok
        self.reasoningUSDPerMTok = reasoningUSDPerMTok
    }
}

/// A change to a task type: what is nil stays as it is (or takes its default for a new task type).
public struct TaskTypeUpdate: Sendable, Hashable {
    public var name: String
    public var tier: Int?
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var minQuality: Double?

    public init(name: String, tier: Int? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil, minQuality: Double? = nil) {
        self.name = name
        self.tier = tier
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.minQuality = minQuality
    }
}

/// What a price import changed (or, in a dry run, would change).
public struct PriceImportReport: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var model: String
        public var old: Price
        public var new: Price
        /// The largest factor by which a component of the price moved.
        public var factor: Double { PriceGuard.changeFactor(from: old, to: new) }
    }

    /// A change the guard held back, and why.
    public struct HeldChange: Sendable, Hashable {
        public var change: Change
        public var reason: String
    }

    public var added: [Model] = []
    public var changed: [Change] = []
    /// Changes not applied because they look like mistakes (see ``PriceGuard``).
    public var heldBack: [HeldChange] = []
    /// Models last priced from a source of the same format that this import no longer lists.
    public var removed: [String] = []
    /// Models whose provider, context window or tier changed but not their price.
    public var updated: [String] = []
    public var unchanged = 0
    public var dryRun = false
}

/// What recording a batch of results did.
public struct ResultImportReport: Sendable, Hashable {
    /// Results that were new to the store.
    public var inserted = 0
    /// Results whose (model, task, run, item) key was already there and were replaced.
    public var replaced = 0
    /// The (model, task type) pairs whose statistics were recomputed.
    public var pairs = 0
}
