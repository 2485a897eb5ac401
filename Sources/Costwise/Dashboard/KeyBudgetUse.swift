/// One API key's budget and how much of it is used: what the dashboard shows per key.
///
/// Kept apart from the keys themselves so that the dashboard needs nothing but these figures, in
/// dollars: no token hash, no scopes.
public struct KeyBudgetUse: Sendable, Hashable {
    public var name: String
    /// The budget per period; nil for a key without one.
    public var budgetUSD: Double?
    /// What answered requests cost in the current period.
    public var spentUSD: Double
    /// What requests in flight may still cost at most: held back until they settle.
    public var reservedUSD: Double
    public var period: BudgetPeriod

    public init(name: String, budgetUSD: Double?, spentUSD: Double, reservedUSD: Double, period: BudgetPeriod) {
        self.name = name
        self.budgetUSD = budgetUSD
        self.spentUSD = spentUSD
        self.reservedUSD = reservedUSD
        self.period = period
    }

    /// A key's standing in its current period, in dollars.
    public init(_ usage: KeyUsage) {
        self.init(name: usage.key.name, budgetUSD: usage.key.budget?.usd, spentUSD: usage.spent.usd, reservedUSD: usage.reserved.usd,
                  period: usage.key.period)
    }

    /// What is left for new requests: the budget less what is spent and reserved; nil without a budget.
    public var remainingUSD: Double? { budgetUSD.map { max(0, $0 - spentUSD - reservedUSD) } }

    /// The share of the budget spent or reserved, from 0; nil without a budget or with a budget of 0.
    public var usedShare: Double? {
        guard let budgetUSD, budgetUSD > 0 else { return nil }
        return (spentUSD + reservedUSD) / budgetUSD
    }
}
