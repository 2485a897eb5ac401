/// Where a price came from: kept with every revision in the price history.
public struct PriceSource: Sendable, Hashable {
    /// Words for people, e.g. `models import prices.csv`.
    public var description: String
    /// The format it was read in (`csv`, `json`, `litellm`, `openrouter`, `bundled`, `manual`).
    public var format: String
    /// The SHA-256 of the file, for imports.
    public var sha256: String?

    public init(description: String, format: String, sha256: String? = nil) {
        self.description = description
        self.format = format
        self.sha256 = sha256
    }

    /// A price file: its path, format and the hash of its bytes.
    public static func file(_ path: String, format: String, bytes: [UInt8]) -> PriceSource {
        PriceSource(description: "\(format) file \(path)", format: format, sha256: SHA256.hex(bytes))
    }

    public static func manual(_ description: String) -> PriceSource {
        PriceSource(description: description, format: "manual")
    }

    static let bundled = PriceSource(description: "bundled catalog (data/models.csv)", format: "bundled")
}
