extension PriceFile {
    /// What importing a price file read and did: the format it was read as, the feed (with the
    /// entries skipped) and the store's report.
    public struct Import: Sendable {
        public var format: Format
        public var feed: PriceFeed
        public var report: PriceImportReport
    }

    /// Reads the price file `bytes` (the content of `file`) as ``read(_:format:file:mode:)`` does and
    /// applies it to `store` in one transaction, with the file's format and hash as the prices'
    /// source. Changes `guard` objects to are held back; with `dryRun`, nothing is written. The
    /// store is opened only once the file has been read, so a bad file creates no store.
    public static func importPrices(_ bytes: [UInt8], format: Format, file: String, mode: String = "chat",
                                    into store: @autoclosure () throws -> any CostwiseStore, guard: PriceGuard,
                                    dryRun: Bool = false) throws -> Import {
        let (format, feed) = try read(bytes, format: format, file: file, mode: mode)
        let report = try store().importPrices(feed.models, source: .file(file, format: format.rawValue, bytes: bytes),
                                            guard: `guard`, dryRun: dryRun)
        return Import(format: format, feed: feed, report: report)
    }
}
