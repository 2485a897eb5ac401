/// One entry of a model's price history: the price, where it came from and when it took effect.
public struct PriceRevision: Sendable, Hashable {
    public var price: Price
    public var source: PriceSource
    /// Seconds since 1970-01-01 UTC.
    public var effectiveAt: Double
}
