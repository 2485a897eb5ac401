/// An immutable, in-memory picture of a store: the catalog and, per task type, its candidates in
/// cost order. Selections read it without touching the database.
///
/// A ``SQLiteStore`` builds a new snapshot after every write it makes; a long-lived process that
/// shares its store with other writers calls ``SQLiteStore/refresh()`` to pick up their changes.
public struct Snapshot: Sendable {
    /// Every model in the catalog, enabled or not, by id.
    public let models: [Model]
    /// Every task type, by name.
    public let taskTypes: [TaskType]
    /// The quality estimates behind the candidates, one per (model, task type) with evidence.
    public let estimates: [ScoreEntry]
    let routes: RouteTable

    /// A (model, task type) pair with the evidence that backs its quality estimate.
    public struct ScoreEntry: Sendable, Hashable {
        public var model: String
        public var task: String
        public var quality: QualityEstimate
        public var latencyP95Ms: Double?
        public var priorSource: String?
    }

    init(models: [Model], taskTypes: [TaskType], estimates: [ScoreEntry], routes: [String: TaskRoute]) {
        self.models = models
        self.taskTypes = taskTypes
        self.estimates = estimates
        self.routes = RouteTable(routes)
    }

    /// The task type named `name`, if the store knows it.
    public func taskType(named name: String) -> TaskType? { routes[name]?.task }

    /// The threshold a request for `task` uses when it names none: the task type's own.
    ///
    /// - Throws: ``CatalogError`` for an unknown task type, ``InputError`` when it has no default.
    public func defaultThreshold(for task: String) throws -> Double {
        guard let taskType = taskType(named: task) else { throw CatalogError.unknownTaskType(task) }
        return try taskType.defaultThreshold()
    }

    /// The model with catalog id `id`.
    public func model(id: String) -> Model? { models.first { $0.id == id } }
}
