/// Why a reservation was not made: the key's remaining budget cannot cover the request's worst
/// case, or the key has been revoked since the gateway last read the keys.
public enum ReservationRefusal: Error, Sendable, Hashable {
    /// What the key had left in its period (budget − spent − reserved) and what was asked for.
    case budgetExceeded(remaining: Picodollars, needed: Picodollars)
    case revoked
    /// The key is not in the store.
    case unknownKey
}
