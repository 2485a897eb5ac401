import Costwise

/// A chat completion made with a key: who made it, the most tokens it can use, whether it asked to
/// be fitted to the budget, and the reservation of the attempt in flight (each attempt reserves
/// before it calls, and settles or releases before the next).
struct KeyedRequest: Sendable {
    let caller: APIKey
    let bound: TokenBound
    /// `costwise.fit_budget`: choose the cheapest qualifying model whose worst case fits.
    let fitsBudget: Bool
    var reservation: BudgetReservation?
}
