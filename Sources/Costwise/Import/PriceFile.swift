/// Every price file format `costwise models import` reads, and how `auto` tells them apart.
public enum PriceFile {
    public enum Format: String, Sendable, CaseIterable {
        case auto, csv, json, litellm, openrouter
    }

    /// Reads `bytes` in `format` (telling `auto` from the content); returns the format it read. A file
    /// that lists no model at all (a header only, `[]`, `{}`) is an error, as it is more likely cut
    /// short than meant; one whose entries were all skipped is not, as its report says why.
    public static func read(_ bytes: [UInt8], format: Format, file: String?, mode: String = "chat") throws -> (format: Format, feed: PriceFeed) {
        guard InputFile.firstSignificantByte(bytes) != nil else { throw InputError(file: file, "the file is empty") }
        let resolved = format == .auto ? detect(bytes) : format
        let feed: PriceFeed
        switch resolved {
        case .litellm: feed = try LiteLLMCostMap.parse(bytes, file: file, mode: mode)
        case .openrouter: feed = try OpenRouterListing.parse(bytes, file: file)
        case .json: feed = PriceFeed(models: try PriceTable.parse(bytes, format: .json, file: file))
        case .csv, .auto: feed = PriceFeed(models: try PriceTable.parse(bytes, format: .csv, file: file))
        }
        guard !feed.models.isEmpty || !feed.skipped.isEmpty else { throw InputError(file: file, "the file lists no models") }
        return (resolved == .auto ? .csv : resolved, feed)
    }

    /// A JSON object with a `data` array is OpenRouter's listing, any other JSON object LiteLLM's
    /// cost map, a JSON array Costwise's JSON, anything else CSV.
    public static func detect(_ bytes: [UInt8]) -> Format {
        let first = InputFile.firstSignificantByte(bytes)
        if first == UInt8(ascii: "[") { return .json }
        guard first == UInt8(ascii: "{") else { return .csv }
        let head = String(decoding: bytes.prefix(4_096), as: UTF8.self)
        return head.contains("\"data\"") && !head.contains("litellm_provider") ? .openrouter : .litellm
    }
}
