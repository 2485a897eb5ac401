/// What a new key is to be: its name, scopes, budget and limits (`costwise keys create`).
public struct KeySpec: Sendable, Hashable {
    public var name: String
    public var scopes: Set<KeyScope>
    public var budgetUSD: Double?
    public var period: BudgetPeriod
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?

    public init(name: String, scopes: Set<KeyScope> = KeyScope.defaults, budgetUSD: Double? = nil, period: BudgetPeriod = .default,
                requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.name = name
        self.scopes = scopes
        self.budgetUSD = budgetUSD
        self.period = period
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// The largest budget a key can hold: what fits in picodollars, rounded down to whole dollars.
    public static let maxBudgetUSD: Double = 9_000_000

    /// - Throws: ``InputError`` naming the field that is wrong.
    public func validate() throws {
        if name.isEmpty || name.count > 100 || name.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "," }) {
            throw InputError(field: "name", "a key's name must be 1 to 100 characters without spaces or commas")
        }
        if scopes.isEmpty { throw InputError(field: "scopes", "a key needs at least one scope: chat, feedback or admin") }
        if let budgetUSD, !(budgetUSD >= 0 && budgetUSD <= Self.maxBudgetUSD) {
            throw InputError(field: "budget_usd", "the budget must be from 0 to \(Int(Self.maxBudgetUSD)) USD")
        }
        if let requestsPerMinute, requestsPerMinute < 1 { throw InputError(field: "rpm", "requests per minute must be at least 1") }
        if let tokensPerMinute, tokensPerMinute < 1 { throw InputError(field: "tpm", "tokens per minute must be at least 1") }
    }
}
