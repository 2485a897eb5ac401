/// Budget held for one request (one attempt of it) while it is in flight: its worst-case cost,
/// reserved before the upstream is called and settled to the actual cost, or released, after.
///
/// A reservation that is neither settled nor released by ``expiresAt`` (its process was killed)
/// stops counting against the budget then.
public struct BudgetReservation: Sendable, Hashable {
    public var id: Int
    public var keyID: Int
    public var requestID: String
    public var model: String
    /// The start of the budget period it counts against.
    public var periodStart: Double
    public var amount: Picodollars
    /// The token counts the amount was computed for: the most the request can use.
    public var inputTokensBound: Int
    public var outputTokensBound: Int
    public var expiresAt: Double

    public init(id: Int, keyID: Int, requestID: String, model: String, periodStart: Double, amount: Picodollars,
                inputTokensBound: Int, outputTokensBound: Int, expiresAt: Double) {
        self.id = id
        self.keyID = keyID
        self.requestID = requestID
        self.model = model
        self.periodStart = periodStart
        self.amount = amount
        self.inputTokensBound = inputTokensBound
        self.outputTokensBound = outputTokensBound
        self.expiresAt = expiresAt
    }
}
