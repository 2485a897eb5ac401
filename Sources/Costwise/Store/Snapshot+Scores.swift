extension Snapshot {
    /// The quality estimates of `task`'s models, or of every task type when nil, as ``estimates`` orders them.
    ///
    /// - Throws: ``CatalogError`` when `task` names a task type the snapshot does not know.
    public func scores(task: String?) throws -> [ScoreEntry] {
        guard let task else { return estimates }
        guard taskType(named: task) != nil else { throw CatalogError.unknownTaskType(task) }
        return estimates.filter { $0.task == task }
    }
}
