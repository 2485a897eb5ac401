/// One API key's budget and how much of it is used: what the dashboard shows per key.
///
/// Kept apart from the keys themselves so that the dashboard needs nothing but these figures: the
/// store that holds keys fills a list of them, and a store without keys shows an empty one.
public struct KeyBudgetUse: Sendable, Hashable {
    /// How long a budget lasts before it starts again.
    public enum Period: String, Sendable, Hashable, CaseIterable {
        /// A UTC day.
        case day
        /// A UTC calendar month.
        case month
        /// The key's whole life.
        case total
    }

    public var name: String
    /// The budget per period; nil for a key without one.
    public var budgetUSD: Double?
    /// What answered requests cost in the current period.
    public var spentUSD: Double
    /// What requests in flight may still cost at most: held back until they settle.
    public var reservedUSD: Double
    public var period: Period

    public init(name: String, budgetUSD: Double?, spentUSD: Double, reservedUSD: Double, period: Period) {
        self.name = name
        self.budgetUSD = budgetUSD
        self.spentUSD = spentUSD
        self.reservedUSD = reservedUSD
        self.period = period
    }

    /// What is left for new requests: the budget less what is spent and reserved; nil without a budget.
    public var remainingUSD: Double? { budgetUSD.map { max(0, $0 - spentUSD - reservedUSD) } }

    /// The share of the budget spent or reserved, from 0; nil without a budget or with a budget of 0.
    public var usedShare: Double? {
        guard let budgetUSD, budgetUSD > 0 else { return nil }
        return (spentUSD + reservedUSD) / budgetUSD
    }
}
