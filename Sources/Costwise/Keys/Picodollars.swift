/// An amount of money in whole picodollars (10⁻¹² USD): what budgets, reservations and spend are
/// counted in, so that they add up exactly. Sums of `Double` dollars drift (seven requests at
/// 0.0002 USD add up to 0.0014000000000000002), and a budget that is checked against a drifting
/// sum can let a request through that the true sum would refuse.
///
/// Prices per million tokens with up to six decimals are whole picodollars per token, so the cost
/// of any token count at such a price is exact. An `Int64` holds up to about 9.2 million USD.
public struct Picodollars: Sendable, Hashable, Comparable, AdditiveArithmetic, CustomStringConvertible {
    public var value: Int64

    public static let perUSD: Double = 1e12
    public static let zero = Picodollars(0)
    /// The largest amount: sums that would pass it stay at it.
    public static let max = Picodollars(Int64.max)

    public init(_ value: Int64) {
        self.value = value
    }

    /// `usd` rounded to the nearest picodollar (clamped to ±``max``).
    public init(usd: Double) {
        let scaled = (usd * Self.perUSD).rounded()
        if scaled >= Double(Int64.max) {
            value = Int64.max
        } else if scaled <= -Double(Int64.max) {
            value = -Int64.max
        } else {
            value = Int64(scaled)
        }
    }

    /// The amount in USD (exact as text for amounts below about 9,000 USD).
    public var usd: Double { Double(value) / Self.perUSD }

    /// The price of one token at `usdPerMTok` USD per million tokens.
    public static func perToken(usdPerMTok: Double) -> Picodollars {
        Picodollars(usd: usdPerMTok / 1_000_000)
    }

    /// What `tokens` tokens cost at `perToken` each, saturating at ``max``.
    public static func cost(of tokens: Int, at perToken: Picodollars) -> Picodollars {
        let (product, overflow) = Int64(tokens).multipliedReportingOverflow(by: perToken.value)
        return overflow ? .max : Picodollars(product)
    }

    /// The cost of a request at `price`: `inputTokens` and `outputTokens` at its per-token prices plus
    /// its per-request price, computed in whole picodollars.
    public static func cost(inputTokens: Int, outputTokens: Int, at price: Price) -> Picodollars {
        cost(of: inputTokens, at: perToken(usdPerMTok: price.inputUSDPerMTok))
            + cost(of: outputTokens, at: perToken(usdPerMTok: price.outputUSDPerMTok))
            + Picodollars(usd: price.requestUSD ?? 0)
    }

    public static func + (lhs: Picodollars, rhs: Picodollars) -> Picodollars {
        let (sum, overflow) = lhs.value.addingReportingOverflow(rhs.value)
        return overflow ? (rhs.value > 0 ? .max : Picodollars(-Int64.max)) : Picodollars(sum)
    }

    public static func - (lhs: Picodollars, rhs: Picodollars) -> Picodollars {
        lhs + Picodollars(-rhs.value)
    }

    public static func < (lhs: Picodollars, rhs: Picodollars) -> Bool { lhs.value < rhs.value }

    /// The amount in USD as plain decimal text, e.g. `0.0002`.
    public var description: String { DecimalFormat.string(usd) }
}
