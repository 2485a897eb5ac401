import Costwise

/// What `costwise serve` reads from its configuration file: which upstream serves each provider of
/// the catalog, how many further candidates a failed request tries, and the threshold for task
/// types that have none.
///
/// ```yaml
/// providers:
///   openai:
///     base_url: https://api.openai.com/v1
///     api_key_env: OPENAI_API_KEY      # the name of an environment variable; never the key itself
///     model_ids: bare                  # bare (default): "gpt-4o-mini" for "openai/gpt-4o-mini"; full: the whole id
///     timeouts: {connect_ms: 5000, read_ms: 60000}
///   "*":                               # every other provider
///     base_url: https://openrouter.ai/api/v1
///     api_key_env: OPENROUTER_API_KEY
///     model_ids: full
/// fallbacks: 2                         # further candidates tried when one fails before its first byte
/// default_min_quality: 0.8             # for task types without a default threshold
/// max_body_bytes: 8388608
/// reservation_lifetime_s: 600          # how long a reservation holds budget once its gateway stops renewing it
/// ```
///
/// Every mistake stops the start with the file, the line and the field, so that a gateway never
/// runs on a configuration it half understood.
public struct GatewayConfig: Sendable {
    /// The upstreams by provider name; `"*"` serves every provider not named.
    public var providers: [String: ProviderUpstream]
    /// How many further candidates a request tries after its model fails before the first byte.
    public var fallbacks: Int
    /// The threshold for a task type that has no default threshold of its own.
    public var defaultMinQuality: Double
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Seconds a budget reservation holds when its request is never settled (its gateway was
    /// killed): longer than any request takes, streams included.
    public var reservationLifetimeSeconds: Int

    /// The key that names the upstream of every provider the configuration does not name.
    public static let otherProviders = "*"
    public static let defaultFallbacks = 2
    public static let defaultMinQuality = 0.8
    public static let defaultMaxBodyBytes = 8 * 1024 * 1024
    public static let defaultReservationLifetimeSeconds = 600

    public init(providers: [String: ProviderUpstream] = [:], fallbacks: Int = Self.defaultFallbacks,
                defaultMinQuality: Double = Self.defaultMinQuality, maxBodyBytes: Int = Self.defaultMaxBodyBytes,
                reservationLifetimeSeconds: Int = Self.defaultReservationLifetimeSeconds) {
        self.providers = providers
        self.fallbacks = fallbacks
        self.defaultMinQuality = defaultMinQuality
        self.maxBodyBytes = maxBodyBytes
        self.reservationLifetimeSeconds = reservationLifetimeSeconds
    }

    /// The upstream that serves `provider`: its own, else the one for every other provider.
    public func upstream(forProvider provider: String) -> ProviderUpstream? {
        providers[provider] ?? providers[Self.otherProviders]
    }

    /// The providers whose models the gateway can reach, or nil when `"*"` reaches them all.
    public var reachableProviders: [String]? {
        providers[Self.otherProviders] == nil ? providers.keys.sorted() : nil
    }

    /// Reads the configuration file at `path`, taking API keys from `environment`.
    public static func load(path: String, environment: [String: String]) throws -> GatewayConfig {
        try parse(InputFile.bytes(atPath: path), file: path, environment: environment)
    }

    /// Parses a configuration; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String?, environment: [String: String]) throws -> GatewayConfig {
        let root = try YAMLNode.parse(bytes, file: file)
        let reader = ConfigReader(file: file)
        let members = try reader.mapping(root, field: nil)
        var config = GatewayConfig()
        for (key, value) in members {
            switch key {
            case "providers":
                for (name, provider) in try reader.mapping(value, field: key) {
                    config.providers[name] = try ProviderUpstream(name: name, node: provider, reader: reader, environment: environment)
                }
            case "fallbacks":
                config.fallbacks = try reader.integer(value, field: key, in: 0...10)
            case "default_min_quality":
                config.defaultMinQuality = try reader.number(value, field: key, in: 0...1)
            case "max_body_bytes":
                config.maxBodyBytes = try reader.integer(value, field: key, in: 1...(1 << 30))
            case "reservation_lifetime_s":
                config.reservationLifetimeSeconds = try reader.integer(value, field: key, in: 1...86_400)
            default:
                throw InputError(file: file, line: value.line, field: key,
                                 "unknown setting; the settings are providers, fallbacks, default_min_quality, max_body_bytes "
                                 + "and reservation_lifetime_s")
            }
        }
        return config
    }
}

/// Reads typed values out of YAML nodes, naming the file, line and field of anything wrong.
struct ConfigReader {
    let file: String?

    func mapping(_ node: YAMLNode, field: String?) throws -> [(key: String, value: YAMLNode)] {
        guard case .mapping(let members, _) = node else {
            throw InputError(file: file, line: node.line, field: field, "expected a mapping of names to settings")
        }
        return members
    }

    func string(_ node: YAMLNode, field: String) throws -> String {
        guard let text = node.scalar, !text.isEmpty else {
            throw InputError(file: file, line: node.line, field: field, "expected a non-empty text value")
        }
        return text
    }

    func integer(_ node: YAMLNode, field: String, in range: ClosedRange<Int>) throws -> Int {
        guard let text = node.scalar, let value = Int(text), range.contains(value) else {
            throw InputError(file: file, line: node.line, field: field,
                             "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func number(_ node: YAMLNode, field: String, in range: ClosedRange<Double>) throws -> Double {
        guard let text = node.scalar, let value = Double(text), value.isFinite, range.contains(value) else {
            throw InputError(file: file, line: node.line, field: field,
                             "expected a number from \(DecimalFormat.string(range.lowerBound)) to \(DecimalFormat.string(range.upperBound))")
        }
        return value
    }
}
