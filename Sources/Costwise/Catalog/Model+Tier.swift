extension Model {
    /// The top tier, whose cheapest model is what "all-premium" costs are measured against.
    public static let topTier = 3

    /// The tier as declared, else as derived from the price bands (see ``tier(forPrice:)``).
    public var effectiveTier: Int { tier ?? Self.tier(forPrice: price) }

    /// Whether ``effectiveTier`` comes from the price bands rather than a declaration.
    public var tierIsDerived: Bool { tier == nil }

    /// The tier a price alone suggests, by its blended price per million tokens (three input tokens
    /// to one output token, the mix of a typical request): up to 1 USD is tier 1 (fast and cheap), up
    /// to 6 USD tier 2 (balanced), above that tier 3 (top).
    public static func tier(forPrice price: Price) -> Int {
        let blended = (3 * price.inputUSDPerMTok + price.outputUSDPerMTok) / 4
        if blended <= 1 { return 1 }
        if blended < 5 { return 2 }
        return 3
    }
}
