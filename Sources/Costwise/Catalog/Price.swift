/// What one request to a model costs: USD per million input and output tokens, plus an optional
/// flat price per request.
///
/// Prices are kept as the decimal numbers they were given as: `0.15` stays `0.15` through the
/// store and every export (see ``DecimalFormat``).
public struct Price: Sendable, Hashable {
    public var inputUSDPerMTok: Double
    public var outputUSDPerMTok: Double
    public var requestUSD: Double?

    public init(inputUSDPerMTok: Double, outputUSDPerMTok: Double, requestUSD: Double? = nil) {
        self.inputUSDPerMTok = inputUSDPerMTok
        self.outputUSDPerMTok = outputUSDPerMTok
        self.requestUSD = requestUSD
    }

    /// The estimated cost of one request:
    /// `(input × input price + output × output price) / 1,000,000 + request price`.
    @inlinable
    public func estimatedCost(inputTokens: Double, outputTokens: Double) -> Double {
        (inputTokens * inputUSDPerMTok + outputTokens * outputUSDPerMTok) / 1_000_000 + (requestUSD ?? 0)
    }
}
