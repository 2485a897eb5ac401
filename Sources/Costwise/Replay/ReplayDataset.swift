/// Per-item results of several models on the same items, as a replay needs them: every model
/// scored on every item, with the tokens and cost of each result.
///
/// Built from a file's rows and a ``ReplayPricing``; a row without `cost_usd` of a model with no
/// price, a second row for the same (task, item, model), or an item some model has no result for is
/// refused with the file, line and field.
public struct ReplayDataset: Sendable {
    /// An item, identified by its task type and its id within it.
    public struct Item: Sendable, Hashable {
        public var task: String
        public var id: String

        public init(task: String, id: String) {
            self.task = task
            self.id = id
        }
    }

    /// One model's result on one item.
    public struct Outcome: Sendable, Hashable {
        public var score: Double
        public var inputTokens: Int
        public var outputTokens: Int
        public var costUSD: Double
        /// Whether the cost is the file's `cost_usd`, not an estimate from the price.
        public var costGiven: Bool
    }

    /// The models, in id byte order.
    public let models: [Model]
    /// The ids of the models without a price, priced by their rows' `cost_usd` (see ``ReplayPricing``).
    public let modelsPricedByRows: Set<String>
    /// The task types, in byte order.
    public let tasks: [String]
    /// The items, by task type, then id, in byte order.
    public let items: [Item]
    /// `outcomes[item][model]`, indexed as ``items`` and ``models``.
    public let outcomes: [[Outcome]]
    /// The indices into ``items`` of each task type's items, indexed as ``tasks``.
    public let itemsByTask: [[Int]]

    public init(records: [ReplayRecord], pricing: ReplayPricing, file: String?) throws {
        let (modelsByID, pricedByRows) = try pricing.models(for: records, file: file)
        var rows: [Item: [String: (outcome: Outcome, line: Int?)]] = [:]
        var firstLine: [Item: Int] = [:]
        for record in records {
            guard let model = modelsByID[pricing.id(for: record)] else { preconditionFailure("every row's model is resolved") }
            let item = Item(task: record.task, id: record.item)
            if let earlier = rows[item]?[model.id] {
                let place = earlier.line.map { " (first on line \($0))" } ?? ""
                throw InputError(file: file, line: record.line, field: "model",
                                 "a second result for model '\(record.model)' on task '\(record.task)' item '\(record.item)'\(place)")
            }
            let tokens = pricing.tokens(for: record)
            let cost = record.costUSD
                ?? model.price.estimatedCost(inputTokens: Double(tokens.input), outputTokens: Double(tokens.output))
            rows[item, default: [:]][model.id] = (
                Outcome(score: record.score, inputTokens: tokens.input, outputTokens: tokens.output, costUSD: cost,
                        costGiven: record.costUSD != nil),
                record.line)
            if let line = record.line, firstLine[item] == nil { firstLine[item] = line }
        }

        let models = modelsByID.values.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let items = rows.keys.sorted {
            $0.task != $1.task ? $0.task.utf8.lexicographicallyPrecedes($1.task.utf8) : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
        }
        var outcomes: [[Outcome]] = []
        outcomes.reserveCapacity(items.count)
        for item in items {
            let byModel = rows[item] ?? [:]
            outcomes.append(try models.map { model in
                guard let outcome = byModel[model.id]?.outcome else {
                    throw InputError(file: file, line: firstLine[item], field: "model",
                                     "task '\(item.task)' item '\(item.id)' has no result for model '\(model.id)'; "
                                        + "a replay needs every model's result on every item")
                }
                return outcome
            })
        }
        var tasks: [String] = []
        var itemsByTask: [[Int]] = []
        for (index, item) in items.enumerated() {
            if tasks.last != item.task {
                tasks.append(item.task)
                itemsByTask.append([])
            }
            itemsByTask[itemsByTask.count - 1].append(index)
        }
        self.models = models
        modelsPricedByRows = pricedByRows
        self.tasks = tasks
        self.items = items
        self.outcomes = outcomes
        self.itemsByTask = itemsByTask
    }

    /// The index of the model with id `id`.
    func modelIndex(of id: String) -> Int? {
        models.firstIndex { $0.id == id }
    }
}
