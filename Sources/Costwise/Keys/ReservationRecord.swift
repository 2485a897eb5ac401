/// A reservation as the store holds it, with how it ended: for audits, listings and tests.
public struct ReservationRecord: Sendable, Hashable {
    public enum State: String, Sendable {
        /// The request is in flight, or its process died and the reservation expires (or has).
        case held
        /// The request was answered and its actual cost charged.
        case settled
        /// The request failed before any answer; nothing was charged.
        case released
    }

    public var reservation: BudgetReservation
    public var state: State
    /// What was charged when settled.
    public var charged: Picodollars?
    /// The tokens the upstream reported, when it did.
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// The upstream reported more tokens than were reserved for, or the charge exceeded the reservation.
    public var overrun: Bool

    public init(reservation: BudgetReservation, state: State, charged: Picodollars?, inputTokens: Int?, outputTokens: Int?, overrun: Bool) {
        self.reservation = reservation
        self.state = state
        self.charged = charged
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.overrun = overrun
    }

    /// Whether the reservation still holds budget at `now`.
    public func isHolding(at now: Double) -> Bool {
        state == .held && reservation.expiresAt > now
    }
}
