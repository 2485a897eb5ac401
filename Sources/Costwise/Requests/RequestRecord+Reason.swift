extension RequestRecord {
    /// Why the request went where it did and how it ended, in a few words: `cheapest to clear 0.8 for
    /// summarization`, `named in the request`, `after acme/cheap: timeout`, `no model clears 0.95`.
    ///
    /// Put together from the record's own fields, so every stored request has one, whichever
    /// version of the gateway wrote it.
    public var reason: String {
        let route: String
        if let task {
            route = threshold.map { "cheapest to clear \(DecimalFormat.string($0)) for \(task)" } ?? "routed for \(task)"
        } else {
            route = "named in the request"
        }
        let failed = attempts.filter { $0.outcome != "ok" }
        let fallback = failed.isEmpty ? "" : "; after " + failed.map { "\($0.model): \($0.outcome)" }.joined(separator: ", ")
        switch status {
        case .ok:
            return route + fallback
        case .noModel:
            return threshold.map { "no model clears \(DecimalFormat.string($0))" + (task.map { " for \($0)" } ?? "") } ?? "no model qualifies"
        case .rejected:
            return route + "; refused with \(httpStatus)"
        case .failed:
            return route + (failed.isEmpty ? "; failed with \(httpStatus)" : "; failed" + fallback.dropFirst(1))
        }
    }
}
