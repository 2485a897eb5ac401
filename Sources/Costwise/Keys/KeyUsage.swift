/// Where a key's budget stands in its current period: what was spent (settled requests), what is
/// reserved (requests in flight, at their worst case), and what is left for new requests.
public struct KeyUsage: Sendable, Hashable {
    public var key: APIKey
    /// The start of the current period, seconds since 1970-01-01 UTC (0 for a total budget).
    public var periodStart: Double
    /// When the period ends and the budget starts afresh; nil for a total budget.
    public var periodEnd: Double?
    public var spent: Picodollars
    /// Unexpired reservations of requests still in flight.
    public var reserved: Picodollars
    /// Requests in this period whose upstream reported more tokens than were reserved for them.
    public var overruns: Int

    public init(key: APIKey, periodStart: Double, periodEnd: Double?, spent: Picodollars, reserved: Picodollars, overruns: Int) {
        self.key = key
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.spent = spent
        self.reserved = reserved
        self.overruns = overruns
    }

    /// What new requests may still reserve; nil without a budget, never below zero.
    public var remaining: Picodollars? {
        key.budget.map { Swift.max(.zero, $0 - spent - reserved) }
    }
}
