/// A model in the catalog: its id (`provider/name`), current price, context window and tier.
public struct Model: Sendable, Hashable {
    /// The catalog id, e.g. `openai/gpt-4o-mini`.
    public var id: String
    public var provider: String
    public var price: Price
    /// The most tokens (input plus output) one request may hold, where known.
    public var contextWindow: Int?
    /// 1 (fast and cheap), 2 (balanced) or 3 (top), where declared.
    public var tier: Int?
    /// Disabled models are never selected.
    public var enabled: Bool

    public init(id: String, provider: String, price: Price, contextWindow: Int? = nil, tier: Int? = nil, enabled: Bool = true) {
        self.id = id
        self.provider = provider
        self.price = price
        self.contextWindow = contextWindow
        self.tier = tier
        self.enabled = enabled
    }

    /// The provider a model id names before its first slash, or the whole id when it has none.
    public static func provider(ofID id: String) -> String {
        id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? id
    }
}
