// The JSON shapes of `costwise models import` and `costwise evals import`: the store's report with
// the format read and, for prices, the entries skipped.

extension PriceImportReport {
    /// `{"format", "dry_run", "added", …, "skipped"}`: the report (see ``json``) between the format
    /// the file was read as and the entries it skipped.
    public func json(format: PriceFile.Format, skipped: [PriceFeed.SkippedEntry]) -> JSONValue {
        .object([("format", .string(format.rawValue))] + json.members + [("skipped", .array(skipped.map(\.json)))])
    }
}

extension PriceFeed.SkippedEntry {
    /// `{"entry", "line", "reason"}`; the line is null where the format has none.
    public var json: JSONValue {
        .object([("entry", .string(entry)), ("line", .integer(line)), ("reason", .string(reason))])
    }
}

extension ResultImportReport {
    /// `{"format", "inserted", "replaced", "pairs"}`: the report (see ``json``) after the format the file was read as.
    public func json(format: EvaluationImport.Format) -> JSONValue {
        .object([("format", .string(format.rawValue))] + json.members)
    }
}
