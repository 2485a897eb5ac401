/// A model in the catalog: its id (`provider/name`), current price, context window, tier, and what
/// it can do besides plain chat.
///
/// The prices of cached input and of reasoning tokens live here rather than on ``Price``: they price
/// an answer once the upstream has reported its tokens (``cost(of:)``), while a selection estimates
/// with ``Price`` alone, which the selector keeps beside each candidate's quality in its hot arrays.
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
    /// What the model can do besides plain chat (tools, images, JSON schemas), as its price source says.
    public var capabilities: Set<Capability>
    /// The most output tokens one answer may hold, where known: a request asking for more cannot use it.
    public var maxOutputTokens: Int?
    /// USD per million input tokens the provider served from its prompt cache, where it prices them
    /// apart (OpenAI and Anthropic charge a tenth to a half of the input price); nil: the input price.
    public var cachedInputUSDPerMTok: Double?
    /// USD per million reasoning tokens, where the provider prices them apart from other output;
    /// nil: the output price, as OpenAI bills them.
    public var reasoningUSDPerMTok: Double?

    public init(id: String, provider: String, price: Price, contextWindow: Int? = nil, tier: Int? = nil, enabled: Bool = true,
                capabilities: Set<Capability> = [], maxOutputTokens: Int? = nil, cachedInputUSDPerMTok: Double? = nil,
                reasoningUSDPerMTok: Double? = nil) {
        self.id = id
        self.provider = provider
        self.price = price
        self.contextWindow = contextWindow
        self.tier = tier
        self.enabled = enabled
        self.capabilities = capabilities
        self.maxOutputTokens = maxOutputTokens
        self.cachedInputUSDPerMTok = cachedInputUSDPerMTok
        self.reasoningUSDPerMTok = reasoningUSDPerMTok
    }

    /// The most any input or output token can cost: the plain prices, raised where cached input or
    /// reasoning tokens are priced higher (some providers bill reasoning above other output). A
    /// budget reserved at this price covers the answer however its tokens are split.
    public var dearestTokenPrice: Price {
        Price(inputUSDPerMTok: max(price.inputUSDPerMTok, cachedInputUSDPerMTok ?? 0),
              outputUSDPerMTok: max(price.outputUSDPerMTok, reasoningUSDPerMTok ?? 0),
              requestUSD: price.requestUSD)
    }

    /// The provider a model id names before its first slash, or the whole id when it has none.
    public static func provider(ofID id: String) -> String {
        id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? id
    }
}
