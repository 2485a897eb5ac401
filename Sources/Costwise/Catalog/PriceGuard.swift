/// Holds back price changes that look like mistakes rather than news: a price that moves by more
/// than `maxChangeFactor` against the current one (a per-token price read as per-million, a
/// decimal point slipped), or one that drops to zero.
public struct PriceGuard: Sendable, Hashable {
    /// The largest ratio between new and old price that passes; nil turns the guard off.
    public var maxChangeFactor: Double?

    public init(maxChangeFactor: Double? = 10) {
        self.maxChangeFactor = maxChangeFactor
    }

    public static let off = PriceGuard(maxChangeFactor: nil)

    /// The largest factor by which any component of the price moved (1 when none did), over the
    /// components priced both before and after.
    public static func changeFactor(from old: Price, to new: Price) -> Double {
        let pairs = [(old.inputUSDPerMTok, new.inputUSDPerMTok), (old.outputUSDPerMTok, new.outputUSDPerMTok),
                     (old.requestUSD ?? 0, new.requestUSD ?? 0)]
        return pairs.reduce(1) { factor, pair in
            guard pair.0 > 0, pair.1 > 0 else { return factor }
            return max(factor, pair.1 / pair.0, pair.0 / pair.1)
        }
    }

    /// Why the change from `old` to `new` must be held back, or nil when it may pass.
    public func objection(from old: Price, to new: Price) -> String? {
        guard let maxChangeFactor else { return nil }
        let droppedToZero = [(old.inputUSDPerMTok, new.inputUSDPerMTok), (old.outputUSDPerMTok, new.outputUSDPerMTok)]
            .contains { $0.0 > 0 && $0.1 == 0 }
        if droppedToZero { return "a priced model would become free" }
        let factor = Self.changeFactor(from: old, to: new)
        if factor > maxChangeFactor {
            return "the price changes by a factor of \(DecimalFormat.string(factor, places: 1)) (more than \(DecimalFormat.string(maxChangeFactor)))"
        }
        return nil
    }
}
