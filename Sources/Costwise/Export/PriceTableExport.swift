extension PriceTable {
    /// The catalog's current prices, sorted by model id, exactly as they were entered.
    ///
    /// CSV has the header `model,provider,input_usd_per_mtok,output_usd_per_mtok,context_window,tier`
    /// and a trailing `request_usd` column when any model has a per-request price; JSON is an array
    /// of objects with all those keys (and `request_usd` null where there is none). Both import back
    /// unchanged.
    public static func export(_ models: [Model], format: ExportFormat) -> String {
        let sorted = models.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let withRequestPrice = sorted.contains { $0.price.requestUSD != nil }
        let header = withRequestPrice ? columns : Array(columns.dropLast())
        let rows = sorted.map { model in
            let cells = [
                model.id, model.provider,
                DecimalFormat.string(model.price.inputUSDPerMTok), DecimalFormat.string(model.price.outputUSDPerMTok),
                model.contextWindow.map(String.init) ?? "", model.tier.map(String.init) ?? "",
                model.price.requestUSD.map(DecimalFormat.string) ?? "",
            ]
            return withRequestPrice ? cells : Array(cells.dropLast())
        }
        switch format {
        case .csv:
            return TableWriter.csv(header: header, rows: rows)
        case .markdown:
            return TableWriter.markdown(header: header, rows: rows, rightAligned: [2, 3, 4, 5, 6])
        case .json:
            return JSONValue.array(sorted.map { model in
                .object([
                    ("model", .string(model.id)),
                    ("provider", .string(model.provider)),
                    ("input_usd_per_mtok", .number(model.price.inputUSDPerMTok)),
                    ("output_usd_per_mtok", .number(model.price.outputUSDPerMTok)),
                    ("context_window", .integer(model.contextWindow)),
                    ("tier", .integer(model.tier)),
                    ("request_usd", .numberOrNull(model.price.requestUSD)),
                ])
            }).text() + "\n"
        }
    }
}
