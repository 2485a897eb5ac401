extension SQLiteStore {
    /// The threshold a request for `task` uses when it names none, as the store's task types hold it.
    ///
    /// - Throws: ``CatalogError`` for an unknown task type, ``InputError`` when it has no default.
    public func defaultThreshold(for task: String) throws -> Double {
        guard let taskType = try taskTypes().first(where: { $0.name == task }) else { throw CatalogError.unknownTaskType(task) }
        return try taskType.defaultThreshold()
    }

    /// Answers `query` as `costwise select` does, reading no more of the store than the answer needs,
    /// and logs the answer with its premium alternative when the query or the store's
    /// ``logSelectionsSetting`` asks.
    ///
    /// A query with a point in time or a half-life reads the evidence as it stood then or weighted by
    /// age; routing by tier and logging (whose premium cost looks at every model) read the whole
    /// store; any other query reads what answers it, often the one candidate named by the task
    /// type's stored frontier.
    ///
    /// - Throws: ``CatalogError`` for an unknown task type, ``InputError`` when the query wants the
    ///   task type's default threshold and it has none.
    public func select(_ query: SelectionQuery) throws -> Selection {
        let logs = try query.log || setting(Self.logSelectionsSetting) == "true"
        let snapshot: Snapshot
        let request: SelectionRequest
        if query.asOf != nil || query.halfLifeDays != nil {
            snapshot = try self.snapshot(asOf: query.asOf, halfLifeDays: query.halfLifeDays,
                                         onlyTask: query.byTier || logs ? nil : query.request.task)
            request = try query.request(in: snapshot)
        } else if query.byTier || logs {
            snapshot = try self.snapshot()
            request = try query.request(in: snapshot)
        } else {
            request = try query.request(in: self)
            snapshot = try self.snapshot(answering: request)
        }
        let selection = query.byTier ? try snapshot.selectByTier(request) : try snapshot.select(request)
        if logs { try logDecision(selection, in: snapshot) }
        return selection
    }

    /// Logs `selection` with what the cheapest top-tier model in `snapshot` with the capabilities the
    /// request needed would have cost for the chosen model's tokens (none when no model was chosen).
    public func logDecision(_ selection: Selection, in snapshot: Snapshot, classifier: String? = nil,
                            at time: Double = RFC3339.now) throws {
        let premium = selection.chosen.flatMap {
            snapshot.premiumAlternative(inputTokens: $0.inputTokens, outputTokens: $0.outputTokens,
                                        requiring: selection.request.requiredCapabilities)
        }
        try logDecision(selection, premium: premium, classifier: classifier, at: time)
    }
}
