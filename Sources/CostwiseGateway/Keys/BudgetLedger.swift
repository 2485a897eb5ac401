import Costwise
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The gateway's side of the keys' budgets: reserves a request's worst case in the store before an
/// attempt is sent, and settles it to the actual cost (or releases it) after, on the thread pool so
/// that the event loop never waits for the database. The store makes each reservation atomic
/// across processes (see ``SQLiteStore/reserve(keyID:requestID:model:amount:inputTokensBound:outputTokensBound:at:lifetime:)``),
/// so requests in flight on several gateways never hold more than a key's budget between them.
///
/// As a service it keeps the reservations of the requests in flight alive: every third of their
/// lifetime it moves their expiry a lifetime ahead, so a request that runs longer than the lifetime
/// (a long stream) never lets its budget go to others, while a reservation of a killed process,
/// renewed by no one, lapses within one lifetime.
final class BudgetLedger: Service, Sendable {
    let store: SQLiteStore
    /// Seconds a reservation holds budget unless renewed: a killed process's reservations lapse after it.
    let reservationLifetime: Double
    let limiter = RateLimiter()
    let metrics: GatewayMetrics
    let logger: Logger
    /// The reservations of requests in flight, by id: those the service renews.
    private let held = Mutex<[Int: BudgetReservation]>([:])

    init(store: SQLiteStore, reservationLifetime: Double, metrics: GatewayMetrics, logger: Logger) {
        self.store = store
        self.reservationLifetime = reservationLifetime
        self.metrics = metrics
        self.logger = logger
    }

    /// Reserves `request`'s worst case at `model`'s price; the refusal when the budget cannot cover it.
    ///
    /// - Throws: 401 when the key was revoked after the gateway last read the keys; 500 when the
    ///   store cannot be written (no request is sent without its reservation).
    func reserve(_ request: KeyedRequest, model: Model, requestID: String) async throws(GatewayError)
        -> Result<BudgetReservation, ReservationRefusal> {
        let store = store
        let metrics = metrics
        let lifetime = reservationLifetime
        let keyID = request.caller.id
        let amount = request.bound.worstCase(for: model)
        let input = request.bound.inputTokens
        let output = request.bound.outputTokens(for: model)
        let outcome: Result<BudgetReservation, ReservationRefusal>
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive {
                let started = ContinuousClock.now
                defer { metrics.budgetReservation(nanoseconds: started.nanosecondsAgo) }
                return try store.reserve(keyID: keyID, requestID: requestID, model: model.id, amount: amount, inputTokensBound: input,
                                         outputTokensBound: output, at: RFC3339.now, lifetime: lifetime)
            }
        } catch let error as RemoteSQLError where error.isUnreachable {
            throw GatewayError.unexpected(error)
        } catch {
            throw GatewayError(status: 500, type: .server, code: "budget_unavailable",
                               "the key's budget cannot be reserved, so the request was not sent: \(error)")
        }
        switch outcome {
        case .success(let reservation):
            held.withLock { $0[reservation.id] = reservation }
            return outcome
        case .failure(.revoked), .failure(.unknownKey):
            throw GatewayError(status: 401, type: .authentication, code: "revoked_api_key",
                               "the key '\(request.caller.name)' was revoked; ask for a new one")
        default:
            return outcome
        }
    }

    /// Charges the reservation what the answer cost: `costUSD` as the gateway recorded it, or the
    /// whole reservation when the upstream reported no usage (its cost is unknown, and the bound is
    /// what it can have been). An upstream that reports more tokens than were reserved is charged as
    /// it reported, and the reservation is flagged as an overrun.
    func settle(_ request: KeyedRequest, usage: Usage?, costUSD: Double?) async {
        guard let reservation = request.reservation else { return }
        held.withLock { _ = $0.removeValue(forKey: reservation.id) }
        let charged = costUSD.map { Picodollars(usd: $0) } ?? reservation.amount
        let input = usage?.promptTokens
        let output = usage?.completionTokens
        let overrun = (input ?? 0) > reservation.inputTokensBound || (output ?? 0) > reservation.outputTokensBound
            || charged > reservation.amount
        if overrun {
            logger.warning("""
                request \(reservation.requestID) of key '\(request.caller.name)' used more than reserved: \(input ?? 0) input and \
                \(output ?? 0) output tokens for \(reservation.inputTokensBound) and \(reservation.outputTokensBound); charged \(charged) USD
                """)
        }
        if let input, let output {
            limiter.count(tokens: input + output, for: request.caller)
        } else {
            limiter.count(tokens: reservation.inputTokensBound + reservation.outputTokensBound, for: request.caller)
        }
        await uncancelled("settle", reservation) { store in
            try store.settle(reservation, charged: charged, inputTokens: input, outputTokens: output, overrun: overrun, at: RFC3339.now)
        }
    }

    /// Gives back a reservation whose attempt failed before any answer.
    func release(_ reservation: BudgetReservation) async {
        held.withLock { _ = $0.removeValue(forKey: reservation.id) }
        await uncancelled("release", reservation) { store in try store.release(reservation, at: RFC3339.now) }
    }

    func run() async throws {
        await repeatUntilShutdown(every: .seconds(reservationLifetime / 3)) {
            let ids = held.withLock { Array($0.keys) }
            guard !ids.isEmpty else { return }
            let store = store
            let lifetime = reservationLifetime
            do {
                try await NIOThreadPool.singleton.runIfActive {
                    let now = RFC3339.now
                    try store.extendReservations(ids, until: now + lifetime, at: now)
                }
            } catch {
                logger.error("cannot renew the reservations of \(ids.count) requests in flight: \(error)")
            }
        }
    }

    /// Writes `change` to the store on the thread pool even when the request's task is cancelled (its
    /// client went away): a settlement that is skipped would leave spend uncounted once the
    /// reservation expires.
    private func uncancelled(_ action: String, _ reservation: BudgetReservation,
                             _ change: @escaping @Sendable (SQLiteStore) throws -> Void) async {
        let store = store
        let logger = logger
        await Task {
            do {
                try await NIOThreadPool.singleton.runIfActive { try change(store) }
            } catch {
                logger.error("""
                    cannot \(action) reservation \(reservation.id) of request \(reservation.requestID): \(error); \
                    it holds \(reservation.amount) USD until it expires
                    """)
            }
        }.value
    }
}
