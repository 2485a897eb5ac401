/// A selection as `costwise select` (and a server answering the same question) asks for it: the
/// request, whether its threshold is the task type's default, how to route, which evidence to
/// read, and whether to log the answer.
public struct SelectionQuery: Sendable, Hashable {
    /// The task type, the limits, and the threshold unless ``usesDefaultThreshold``.
    public var request: SelectionRequest
    /// Whether the request names no threshold of its own: its `minQuality` is then replaced by the task
    /// type's default threshold (`costwise tasks set NAME --min-quality Q`), and a task type without
    /// one is an error.
    public var usesDefaultThreshold: Bool
    /// Plain rule-based routing: the cheapest model in the task type's tier, quality not considered
    /// (see ``Snapshot/selectByTier(_:)``); the threshold is then 0 and no default is looked up.
    public var byTier: Bool
    /// Answer with the prices and evidence the store held at this time (seconds since 1970).
    public var asOf: Double?
    /// Weigh each result by its age: half its weight every this many days.
    public var halfLifeDays: Double?
    /// Log the answer for savings reports and reviews. The store setting
    /// ``SQLiteStore/logSelectionsSetting`` logs every selection, whatever this says.
    public var log: Bool

    public init(request: SelectionRequest, usesDefaultThreshold: Bool = false, byTier: Bool = false,
                asOf: Double? = nil, halfLifeDays: Double? = nil, log: Bool = false) {
        self.request = request
        self.usesDefaultThreshold = usesDefaultThreshold
        self.byTier = byTier
        self.asOf = asOf
        self.halfLifeDays = halfLifeDays
        self.log = log
    }

    /// The request with its threshold settled: 0 when routing by tier, the task type's default as
    /// `snapshot` holds it when the request names none, else its own.
    ///
    /// - Throws: ``CatalogError`` for an unknown task type, ``InputError`` when the default is
    ///   wanted and the task type has none.
    public func request(in snapshot: Snapshot) throws -> SelectionRequest {
        try settled { try snapshot.defaultThreshold(for: $0) }
    }

    /// The request with its threshold settled as the snapshot's form above does, with the default
    /// read from the store's task types rather than from a snapshot.
    public func request(in store: SQLiteStore) throws -> SelectionRequest {
        try settled { try store.defaultThreshold(for: $0) }
    }

    private func settled(defaultThreshold: (String) throws -> Double) rethrows -> SelectionRequest {
        var request = request
        if byTier {
            request.minQuality = 0
        } else if usesDefaultThreshold {
            request.minQuality = try defaultThreshold(request.task)
        }
        return request
    }
}
