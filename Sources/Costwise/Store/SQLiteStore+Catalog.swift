extension SQLiteStore {
    public func models() throws -> [Model] {
        try snapshot().models
    }

    public func taskTypes() throws -> [TaskType] {
        try snapshot().taskTypes
    }

    @discardableResult
    public func setModel(_ update: ModelUpdate, source: String) throws -> Model {
        try write { database in
            let existing = try Self.model(named: update.id, in: database)
            guard let input = update.inputUSDPerMTok ?? existing?.model.price.inputUSDPerMTok,
                  let output = update.outputUSDPerMTok ?? existing?.model.price.outputUSDPerMTok else {
                throw InputError(field: update.inputUSDPerMTok == nil ? "input-usd-per-mtok" : "output-usd-per-mtok",
                                 "a new model needs both its input and output price")
            }
            let model = Model(
                id: update.id, provider: update.provider ?? existing?.model.provider ?? Model.provider(ofID: update.id),
                price: Price(inputUSDPerMTok: input, outputUSDPerMTok: output,
                             requestUSD: update.requestUSD ?? existing?.model.price.requestUSD),
                contextWindow: update.contextWindow ?? existing?.model.contextWindow,
                tier: update.tier ?? existing?.model.tier, enabled: existing?.model.enabled ?? true)
            try Self.save(model, existing: existing, source: source, at: RFC3339.now, in: database)
            return model
        }
    }

    public func setEnabled(_ enabled: Bool, model id: String) throws {
        try write { database in
            let statement = try database.statement("UPDATE models SET enabled = ? WHERE name = ?")
            statement.bind(enabled ? 1 : 0, id)
            try statement.execute()
            guard database.changes == 1 else { throw CatalogError.unknownModel(id) }
        }
    }

    public func importPrices(_ models: [Model], source: String, dryRun: Bool) throws -> PriceImportReport {
        let apply = { (database: Database) throws -> PriceImportReport in
            var report = PriceImportReport(dryRun: dryRun)
            let now = RFC3339.now
            for model in models {
                let existing = try Self.model(named: model.id, in: database)
                var merged = model
                if let existing {
                    merged.enabled = existing.model.enabled
                    merged.contextWindow = model.contextWindow ?? existing.model.contextWindow
                    merged.tier = model.tier ?? existing.model.tier
                    if existing.model.price != merged.price {
                        report.changed.append(.init(model: model.id, old: existing.model.price, new: merged.price))
                    } else if existing.model != merged {
                        report.updated.append(model.id)
                    } else {
                        report.unchanged += 1
                        continue
                    }
                } else {
                    report.added.append(merged)
                }
                if !dryRun { try Self.save(merged, existing: existing, source: source, at: now, in: database) }
            }
            return report
        }
        return dryRun ? try read(apply) : try write(apply)
    }

    public func priceHistory(model id: String) throws -> [PriceRevision] {
        try read { database in
            guard let existing = try Self.model(named: id, in: database) else { throw CatalogError.unknownModel(id) }
            let statement = try database.statement("""
                SELECT input_usd_per_mtok, output_usd_per_mtok, request_usd, source, effective_at
                FROM price_history WHERE model_id = ? ORDER BY effective_at, id
                """)
            statement.bind(existing.rowID, at: 1)
            var revisions: [PriceRevision] = []
            while try statement.step() {
                revisions.append(PriceRevision(
                    price: Price(inputUSDPerMTok: statement.double(0), outputUSDPerMTok: statement.double(1),
                                 requestUSD: statement.optionalDouble(2)),
                    source: statement.string(3), effectiveAt: statement.double(4)))
            }
            return revisions
        }
    }

    @discardableResult
    public func setTaskType(_ update: TaskTypeUpdate) throws -> TaskType {
        try write { database in
            let lookup = try database.statement("SELECT tier, input_tokens, output_tokens FROM task_types WHERE name = ?")
            lookup.bind(update.name, at: 1)
            let existing = try lookup.step()
                ? TaskType(name: update.name, tier: lookup.int(0), inputTokens: lookup.int(1), outputTokens: lookup.int(2))
                : nil
            lookup.reset()
            let task = TaskType(
                name: update.name, tier: update.tier ?? existing?.tier ?? TaskType.defaultTier,
                inputTokens: update.inputTokens ?? existing?.inputTokens ?? TaskType.defaultInputTokens,
                outputTokens: update.outputTokens ?? existing?.outputTokens ?? TaskType.defaultOutputTokens)
            try Self.save(task, in: database)
            return task
        }
    }

    public func setPriors(_ priors: [PriorScore]) throws {
        try write { database in try Self.save(priors, in: database) }
    }

    // MARK: - Statements shared with seeding

    static func model(named name: String, in database: Database) throws -> (rowID: Int, model: Model)? {
        let statement = try database.statement("""
            SELECT id, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled
            FROM models WHERE name = ?
            """)
        statement.bind(name, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return (statement.int(0), Model(
            id: name, provider: statement.string(1),
            price: Price(inputUSDPerMTok: statement.double(2), outputUSDPerMTok: statement.double(3), requestUSD: statement.optionalDouble(4)),
            contextWindow: statement.optionalInt(5), tier: statement.optionalInt(6), enabled: statement.int(7) != 0))
    }

    /// Inserts or updates `model`, appending its price to the history when the price is new.
    static func save(_ model: Model, existing: (rowID: Int, model: Model)?, source: String, at time: Double, in database: Database) throws {
        let rowID: Int
        if let existing {
            let update = try database.statement("""
                UPDATE models SET provider = ?, input_usd_per_mtok = ?, output_usd_per_mtok = ?, request_usd = ?,
                                  context_window = ?, tier = ?, enabled = ?
                WHERE id = ?
                """)
            update.bind(model.provider, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD,
                        model.contextWindow, model.tier, model.enabled ? 1 : 0, existing.rowID)
            try update.execute()
            rowID = existing.rowID
            if existing.model.price == model.price { return }
        } else {
            let insert = try database.statement("""
                INSERT INTO models (name, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            insert.bind(model.id, model.provider, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD,
                        model.contextWindow, model.tier, model.enabled ? 1 : 0)
            try insert.execute()
            rowID = database.lastInsertRowID
        }
        let history = try database.statement("""
            INSERT INTO price_history (model_id, input_usd_per_mtok, output_usd_per_mtok, request_usd, source, effective_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        history.bind(rowID, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD, source, time)
        try history.execute()
    }

    static func save(_ task: TaskType, in database: Database) throws {
        let statement = try database.statement("""
            INSERT INTO task_types (name, tier, input_tokens, output_tokens) VALUES (?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET tier = excluded.tier, input_tokens = excluded.input_tokens,
                                             output_tokens = excluded.output_tokens
            """)
        statement.bind(task.name, task.tier, task.inputTokens, task.outputTokens)
        try statement.execute()
    }

    static func save(_ priors: [PriorScore], in database: Database) throws {
        let ids = try CatalogIDs(database)
        let statement = try database.statement("""
            INSERT INTO model_task_stats (task_id, model_id, prior_score, prior_weight, prior_source) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (task_id, model_id) DO UPDATE SET prior_score = excluded.prior_score,
                prior_weight = excluded.prior_weight, prior_source = excluded.prior_source
            """)
        for prior in priors {
            guard let modelID = ids.models[prior.model] else { throw CatalogError.unknownModel(prior.model) }
            guard let taskID = ids.tasks[prior.task] else { throw CatalogError.unknownTaskType(prior.task) }
            statement.bind(taskID, modelID, prior.score, prior.weight, prior.source)
            try statement.execute()
        }
    }
}

/// The row ids of every model and task type, by name, read once per batch write.
struct CatalogIDs {
    var models: [String: Int] = [:]
    var tasks: [String: Int] = [:]

    init(_ database: Database) throws {
        let modelQuery = try database.statement("SELECT id, name FROM models")
        while try modelQuery.step() { models[modelQuery.string(1)] = modelQuery.int(0) }
        let taskQuery = try database.statement("SELECT id, name FROM task_types")
        while try taskQuery.step() { tasks[taskQuery.string(1)] = taskQuery.int(0) }
    }
}
