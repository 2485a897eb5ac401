import Costwise

extension Gateway {
    /// The model to try next and, for a request made with a key, its reservation: every attempt,
    /// fallbacks included, reserves its worst case before it is sent. Without a key this is
    /// ``choose(_:excluding:state:isFirst:)`` alone.
    ///
    /// When the budget cannot cover the chosen model, the request gets 429 `budget_exceeded`, unless
    /// it asked for `costwise.fit_budget`: then the next cheapest qualifying model is tried, until
    /// one fits or none is left.
    func chooseWithinBudget(_ plan: RoutePlan, excluding excluded: [String], state: RoutingState, isFirst: Bool,
                            exchange: inout Exchange) async throws(GatewayError) -> Choice? {
        guard var keyed = exchange.keyed else { return try choose(plan, excluding: excluded, state: state, isFirst: isFirst) }
        let fitting: Bool
        if keyed.fitsBudget, case .select = plan.target { fitting = true } else { fitting = false }
        var skipped = excluded
        // The refused candidate with the smallest worst case: what the client would have to fit.
        var closest: (model: Model, remaining: Picodollars, needed: Picodollars)?
        candidates: while let choice = try choose(plan, excluding: skipped, state: state, isFirst: isFirst && closest == nil) {
            switch try await ledger.reserve(keyed, model: choice.model, requestID: exchange.id) {
            case .success(let reservation):
                keyed.reservation = reservation
                exchange.keyed = keyed
                guard closest != nil else { return choice }
                var fitted = choice
                fitted.reason += "; cheaper candidates' worst cases exceed the key's budget"
                return fitted
            case .failure(.budgetExceeded(let remaining, let needed)):
                if closest.map({ needed < $0.needed }) ?? true { closest = (choice.model, remaining, needed) }
                guard fitting else { break candidates }
                skipped.append(choice.model.id)
            case .failure:
                break candidates
            }
        }
        guard let closest else { return nil }
        exchange.model = closest.model.id
        let key = keyed.caller
        let budget = key.budget.map { "\($0) USD" + (key.period == .total ? "" : " a \(key.period.rawValue)") } ?? "none"
        let cost = "\(closest.needed) USD at \(closest.model.id) (\(keyed.bound.inputTokens) input and "
            + "\(keyed.bound.outputTokens(for: closest.model)) output tokens at most)"
        let standing = "the key '\(key.name)' has \(closest.remaining) USD left of its budget of \(budget)"
        throw GatewayError(
            status: 429, type: .budgetExceeded, code: "budget_exceeded",
            fitting
                ? "\(standing) and no qualifying model's worst case fits; the smallest is \(cost); lower max_tokens, "
                    + "or wait for requests in flight to settle"
                : "\(standing) and this request may cost up to \(cost); lower max_tokens, send \"costwise\": {\"fit_budget\": true} "
                    + "to take a cheaper model that fits, or wait for requests in flight to settle")
    }

    /// Settles the reservation of the attempt that answered to what the answer cost.
    func settleReservation(_ exchange: inout Exchange) async {
        guard let keyed = exchange.keyed, keyed.reservation != nil else { return }
        await ledger.settle(keyed, usage: exchange.usage, costUSD: exchange.costUSD)
        exchange.keyed?.reservation = nil
    }

    /// Releases the reservation of an attempt that failed before any answer.
    func releaseReservation(_ exchange: inout Exchange) async {
        guard let reservation = exchange.keyed?.reservation else { return }
        await ledger.release(reservation)
        exchange.keyed?.reservation = nil
    }
}
