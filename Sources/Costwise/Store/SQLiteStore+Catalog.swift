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
                tier: update.tier ?? existing?.model.tier, enabled: existing?.model.enabled ?? true,
                capabilities: update.capabilities ?? existing?.model.capabilities ?? [],
                maxOutputTokens: update.maxOutputTokens ?? existing?.model.maxOutputTokens,
                cachedInputUSDPerMTok: update.cachedInputUSDPerMTok ?? existing?.model.cachedInputUSDPerMTok,
                reasoningUSDPerMTok: update.reasoningUSDPerMTok ?? existing?.model.reasoningUSDPerMTok)
            try Self.save(model, existing: existing, source: .manual(source), at: RFC3339.now, in: database)
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

    @discardableResult
    public func importPrices(_ models: [Model], source: PriceSource, guard priceGuard: PriceGuard, dryRun: Bool) throws -> PriceImportReport {
        let apply = { (database: Database) throws -> PriceImportReport in
            var report = PriceImportReport(dryRun: dryRun)
            let aliases = try Self.aliasTargets(in: database)
            let now = RFC3339.now
            var listed: Set<String> = []
            for var model in models {
                if let target = aliases[model.id] { model.id = target }
                listed.insert(model.id)
                let existing = try Self.model(named: model.id, in: database)
                if let existing {
                    model.enabled = existing.model.enabled
                    model.contextWindow = model.contextWindow ?? existing.model.contextWindow
                    model.tier = model.tier ?? existing.model.tier
                    // A price table that lists no capabilities or output limit leaves them as they were.
                    if model.capabilities.isEmpty { model.capabilities = existing.model.capabilities }
                    model.maxOutputTokens = model.maxOutputTokens ?? existing.model.maxOutputTokens
                    // Nor does one that lists no cached-input or reasoning price: most sources list neither.
                    model.cachedInputUSDPerMTok = model.cachedInputUSDPerMTok ?? existing.model.cachedInputUSDPerMTok
                    model.reasoningUSDPerMTok = model.reasoningUSDPerMTok ?? existing.model.reasoningUSDPerMTok
                    if existing.model.price != model.price {
                        let change = PriceImportReport.Change(model: model.id, old: existing.model.price, new: model.price)
                        if let reason = priceGuard.objection(from: existing.model.price, to: model.price) {
                            report.heldBack.append(.init(change: change, reason: reason))
                            continue
                        }
                        report.changed.append(change)
                    } else if existing.model != model {
                        report.updated.append(model.id)
                    } else {
                        report.unchanged += 1
                        continue
                    }
                } else {
                    report.added.append(model)
                }
                if !dryRun { try Self.save(model, existing: existing, source: source, at: now, in: database) }
            }
            report.removed = try Self.modelsLastPriced(byFormat: source.format, in: database).filter { !listed.contains($0) }
            return report
        }
        return dryRun ? try read(apply) : try write(apply)
    }

    public func setAlias(_ alias: String, model id: String) throws {
        try write { database in
            guard let target = try Self.model(named: id, in: database) else { throw CatalogError.unknownModel(id) }
            if try Self.model(named: alias, in: database) != nil {
                throw InputError(field: "alias", "'\(alias)' is a model id already")
            }
            let statement = try database.statement("""
                INSERT INTO model_aliases (alias, model_id) VALUES (?, ?)
                ON CONFLICT (alias) DO UPDATE SET model_id = excluded.model_id
                """)
            statement.bind(alias, target.rowID)
            try statement.execute()
        }
    }

    public func aliases() throws -> [(alias: String, model: String)] {
        try read { database in try Self.aliasTargets(in: database).sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    public func priceHistory(model id: String) throws -> [PriceRevision] {
        try read { database in
            guard let existing = try Self.model(named: id, in: database) else { throw CatalogError.unknownModel(id) }
            let statement = try database.statement("""
                SELECT input_usd_per_mtok, output_usd_per_mtok, request_usd, source, effective_at, source_format, source_sha256
                FROM price_history WHERE model_id = ? ORDER BY effective_at, id
                """)
            statement.bind(existing.rowID, at: 1)
            var revisions: [PriceRevision] = []
            while try statement.step() {
                revisions.append(PriceRevision(
                    price: Price(inputUSDPerMTok: statement.double(0), outputUSDPerMTok: statement.double(1),
                                 requestUSD: statement.optionalDouble(2)),
                    source: PriceSource(description: statement.string(3), format: statement.optionalString(5) ?? "manual",
                                        sha256: statement.optionalString(6)),
                    effectiveAt: statement.double(4)))
            }
            return revisions
        }
    }

    @discardableResult
    public func setTaskType(_ update: TaskTypeUpdate) throws -> TaskType {
        try write { database in
            let lookup = try database.statement("SELECT tier, input_tokens, output_tokens, min_quality FROM task_types WHERE name = ?")
            lookup.bind(update.name, at: 1)
            let existing = try lookup.step()
                ? TaskType(name: update.name, tier: lookup.int(0), inputTokens: lookup.int(1), outputTokens: lookup.int(2),
                           minQuality: lookup.optionalDouble(3))
                : nil
            lookup.reset()
            let task = TaskType(
                name: update.name, tier: update.tier ?? existing?.tier ?? TaskType.defaultTier,
                inputTokens: update.inputTokens ?? existing?.inputTokens ?? TaskType.defaultInputTokens,
                outputTokens: update.outputTokens ?? existing?.outputTokens ?? TaskType.defaultOutputTokens,
                minQuality: update.minQuality ?? existing?.minQuality)
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
            SELECT id, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled,
                   capabilities, max_output_tokens, cached_input_usd_per_mtok, reasoning_usd_per_mtok
            FROM models WHERE name = ?
            """)
        statement.bind(name, at: 1)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return (statement.int(0), Model(
            id: name, provider: statement.string(1),
            price: Price(inputUSDPerMTok: statement.double(2), outputUSDPerMTok: statement.double(3), requestUSD: statement.optionalDouble(4)),
            contextWindow: statement.optionalInt(5), tier: statement.optionalInt(6), enabled: statement.int(7) != 0,
            capabilities: statement.optionalString(8).map { Set(listed: $0) } ?? [], maxOutputTokens: statement.optionalInt(9),
            cachedInputUSDPerMTok: statement.optionalDouble(10), reasoningUSDPerMTok: statement.optionalDouble(11)))
    }

    /// Inserts or updates `model`, appending its price to the history when the price is new.
    static func save(_ model: Model, existing: (rowID: Int, model: Model)?, source: PriceSource, at time: Double, in database: Database) throws {
        let rowID: Int
        if let existing {
            let update = try database.statement("""
                UPDATE models SET provider = ?, input_usd_per_mtok = ?, output_usd_per_mtok = ?, request_usd = ?,
                                  context_window = ?, tier = ?, enabled = ?, capabilities = ?, max_output_tokens = ?,
                                  cached_input_usd_per_mtok = ?, reasoning_usd_per_mtok = ?
                WHERE id = ?
                """)
            update.bind(model.provider, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD,
                        model.contextWindow, model.tier, model.enabled ? 1 : 0, model.storedCapabilities, model.maxOutputTokens,
                        model.cachedInputUSDPerMTok, model.reasoningUSDPerMTok, existing.rowID)
            try update.execute()
            rowID = existing.rowID
            if existing.model.price == model.price { return }
        } else {
            let insert = try database.statement("""
                INSERT INTO models (name, provider, input_usd_per_mtok, output_usd_per_mtok, request_usd, context_window, tier, enabled,
                                    capabilities, max_output_tokens, cached_input_usd_per_mtok, reasoning_usd_per_mtok)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """)
            insert.bind(model.id, model.provider, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD,
                        model.contextWindow, model.tier, model.enabled ? 1 : 0, model.storedCapabilities, model.maxOutputTokens,
                        model.cachedInputUSDPerMTok, model.reasoningUSDPerMTok)
            rowID = try insert.firstInt() ?? 0
        }
        let history = try database.statement("""
            INSERT INTO price_history (model_id, input_usd_per_mtok, output_usd_per_mtok, request_usd, source, effective_at,
                                       source_format, source_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        history.bind(rowID, model.price.inputUSDPerMTok, model.price.outputUSDPerMTok, model.price.requestUSD, source.description,
                     time, source.format, source.sha256)
        try history.execute()
    }

    static func save(_ task: TaskType, in database: Database) throws {
        let statement = try database.statement("""
            INSERT INTO task_types (name, tier, input_tokens, output_tokens, min_quality) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET tier = excluded.tier, input_tokens = excluded.input_tokens,
                                             output_tokens = excluded.output_tokens, min_quality = excluded.min_quality
            """)
        statement.bind(task.name, task.tier, task.inputTokens, task.outputTokens, task.minQuality)
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

extension SQLiteStore {
    /// Every alias and the model id it names.
    static func aliasTargets(in database: Database) throws -> [String: String] {
        let statement = try database.statement("SELECT a.alias, m.name FROM model_aliases a JOIN models m ON m.id = a.model_id")
        var targets: [String: String] = [:]
        while try statement.step() { targets[statement.string(0)] = statement.string(1) }
        return targets
    }

    /// The models whose current price came from a source of `format`.
    static func modelsLastPriced(byFormat format: String, in database: Database) throws -> [String] {
        let statement = try database.statement("""
            SELECT m.name FROM models m
            JOIN price_history h ON h.id = (SELECT id FROM price_history WHERE model_id = m.id ORDER BY effective_at DESC, id DESC LIMIT 1)
            WHERE h.source_format = ? ORDER BY m.name
            """)
        statement.bind(format, at: 1)
        var names: [String] = []
        while try statement.step() { names.append(statement.string(0)) }
        return names
    }
}

/// The row ids of every model (also under its aliases) and task type, by name, read once per batch write.
struct CatalogIDs {
    var models: [String: Int] = [:]
    var tasks: [String: Int] = [:]

    init(_ database: Database) throws {
        let modelQuery = try database.statement("SELECT id, name FROM models")
        while try modelQuery.step() { models[modelQuery.string(1)] = modelQuery.int(0) }
        let aliasQuery = try database.statement("SELECT alias, model_id FROM model_aliases")
        while try aliasQuery.step() { models[aliasQuery.string(0)] = aliasQuery.int(1) }
        let taskQuery = try database.statement("SELECT id, name FROM task_types")
        while try taskQuery.step() { tasks[taskQuery.string(1)] = taskQuery.int(0) }
    }
}

extension Model {
    /// The capabilities as the `models.capabilities` column keeps them: names joined by `;`, NULL for none.
    var storedCapabilities: String? { capabilities.isEmpty ? nil : capabilities.joined() }
}
