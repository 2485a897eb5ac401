import FoundationEssentials

/// Prices read from another tool's price list, with every entry that was not taken and why.
///
/// Unlike Costwise's own price tables, where any bad line refuses the file, these lists are large
/// and maintained elsewhere: an entry that cannot be a usable price (no price, another mode,
/// variable or absurd pricing) is left out and reported, and the rest import.
public struct PriceFeed: Sendable {
    public struct SkippedEntry: Sendable, Hashable {
        /// The entry's key or id in the file.
        public var entry: String
        public var line: Int?
        public var reason: String
    }

    public var models: [Model] = []
    public var skipped: [SkippedEntry] = []

    /// The highest price per million tokens taken as real: the dearest listed model (o1-pro's
    /// output) charges 600; entries 100,000× too high are a known failure of shared price lists.
    public static let absurdPriceUSDPerMTok = 1_000.0

    /// Converts a USD-per-token decimal to USD per million tokens exactly, from its decimal digits.
    static func perMillion(_ perToken: Decimal) -> Double? {
        Double("\(perToken * Decimal(1_000_000))")
    }

    /// Why a price per million tokens cannot be taken, or nil when it can.
    static func objection(to price: Double, field: String) -> String? {
        if !price.isFinite { return "\(field) is not a finite number" }
        if price < 0 { return "\(field) is negative" }
        if price > absurdPriceUSDPerMTok {
            return "\(field) is \(DecimalFormat.string(price)) USD per million tokens, above \(DecimalFormat.string(absurdPriceUSDPerMTok)): not a real price"
        }
        return nil
    }
}

/// A JSON value whose numbers keep their decimal digits, for prices given per token.
///
/// Read only from text checked first with ``InputFile/checkUTF8(_:file:field:)`` and
/// ``JSONOutline/checkDepth(_:limit:file:field:)`` at ``maxDepth``.
indirect enum DecimalJSON: Decodable, Sendable {
    /// The deepest nesting read. The logs and price lists read this way nest up to about ten levels,
    /// and decoding costs time that grows with the cube of the depth (every type the decoder tries
    /// and rejects on the way builds the path to the value), so a file nested 500 deep would take
    /// seconds per entry.
    static let maxDepth = 100

    case null
    case bool(Bool)
    case string(String)
    case number(Decimal)
    case object([String: DecimalJSON])
    case array([DecimalJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode(Decimal.self) { self = .number(value) }
        else if let value = try? container.decode([String: DecimalJSON].self) { self = .object(value) }
        else if let value = try? container.decode([DecimalJSON].self) { self = .array(value) }
        // The importers check that the text is UTF-8 first, so what the decoder scanned but cannot
        // give as any of these is a number beyond Decimal's range (1e200): it reads as NaN, so the
        // entry holding it fails its own checks instead of the whole file.
        else { self = .number(.nan) }
    }

    subscript(key: String) -> DecimalJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A number, or a string holding one (OpenRouter writes prices as strings).
    var decimal: Decimal? {
        switch self {
        case .number(let value): value
        case .string(let text): Decimal(string: text.trimmingSpaces)
        default: nil
        }
    }

    var double: Double? {
        switch self {
        case .number(let value): Double("\(value)")
        default: nil
        }
    }

    /// A string, or an integer written as its digits (ids are often either).
    var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value) where !value.isNaN: "\(value)"
        default: nil
        }
    }

    var integer: Int? {
        guard let decimal, decimal >= 0, let value = Int("\(decimal)") else { return nil }
        return value
    }
}
