/// A key that callers of the gateway present as `Authorization: Bearer TOKEN`: its name, what it
/// may do, its budget and its rate limits. The token itself is never kept; ``tokenSHA256``
/// identifies it and ``tokenPrefix`` shows which one it is.
public struct APIKey: Sendable, Hashable {
    /// The store's row id: what reservations refer to.
    public var id: Int
    public var name: String
    public var tokenSHA256: String
    public var tokenPrefix: String
    public var scopes: Set<KeyScope>
    /// The most the key may spend per ``period``; nil for no limit (spend is still counted).
    public var budget: Picodollars?
    public var period: BudgetPeriod
    /// Chat completions per minute; nil for no limit.
    public var requestsPerMinute: Int?
    /// Tokens per minute, as the upstreams report them; nil for no limit.
    public var tokensPerMinute: Int?
    /// Seconds since 1970-01-01 UTC.
    public var createdAt: Double
    public var revokedAt: Double?

    public init(id: Int, name: String, tokenSHA256: String, tokenPrefix: String, scopes: Set<KeyScope>, budget: Picodollars?,
                period: BudgetPeriod, requestsPerMinute: Int?, tokensPerMinute: Int?, createdAt: Double, revokedAt: Double?) {
        self.id = id
        self.name = name
        self.tokenSHA256 = tokenSHA256
        self.tokenPrefix = tokenPrefix
        self.scopes = scopes
        self.budget = budget
        self.period = period
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}
