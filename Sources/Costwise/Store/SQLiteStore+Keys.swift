extension SQLiteStore {
    /// Makes a key from `spec` for `token` (of which only the hash and prefix are kept).
    ///
    /// - Throws: ``InputError`` for a bad spec or a name that is taken; the store is left as it was.
    @discardableResult
    public func createKey(_ spec: KeySpec, token: KeyToken, at now: Double) throws -> APIKey {
        try spec.validate()
        return try write { database in
            if try database.statement("SELECT 1 FROM api_keys WHERE name = ?").bound(spec.name).firstInt() != nil {
                throw InputError(field: "name", "a key named \(spec.name.quoted) exists already; keys are never reused, pick another name")
            }
            let budget = spec.budgetUSD.map { Picodollars(usd: $0) }
            let id = try database.statement("""
                INSERT INTO api_keys (name, token_sha256, token_prefix, scopes, budget_pusd, period, rpm, tpm, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """).bound(spec.name, token.sha256, token.prefix, KeyScope.list(spec.scopes), budget?.value, spec.period.rawValue,
                           spec.requestsPerMinute, spec.tokensPerMinute, now).firstInt() ?? 0
            return APIKey(id: id, name: spec.name, tokenSHA256: token.sha256, tokenPrefix: token.prefix,
                          scopes: spec.scopes, budget: budget, period: spec.period, requestsPerMinute: spec.requestsPerMinute,
                          tokensPerMinute: spec.tokensPerMinute, createdAt: now, revokedAt: nil)
        }
    }

    /// Every key, revoked ones too, in name order.
    public func keys() throws -> [APIKey] {
        try read { database in
            let statement = try database.statement("""
                SELECT id, name, token_sha256, token_prefix, scopes, budget_pusd, period, rpm, tpm, created_at, revoked_at
                FROM api_keys ORDER BY name
                """)
            var keys: [APIKey] = []
            while try statement.step() { keys.append(Self.key(from: statement)) }
            return keys
        }
    }

    /// Revokes the key named `name`: from then on no request with its token is served, and no
    /// reservation is made for it. Revoking a revoked key changes nothing.
    ///
    /// - Returns: the key as it is now.
    /// - Throws: ``InputError`` when there is no key of that name.
    @discardableResult
    public func revokeKey(named name: String, at now: Double) throws -> APIKey {
        try write { database in
            try database.statement("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL").bound(now, name).execute()
            let statement = try database.statement("""
                SELECT id, name, token_sha256, token_prefix, scopes, budget_pusd, period, rpm, tpm, created_at, revoked_at
                FROM api_keys WHERE name = ?
                """).bound(name)
            defer { statement.reset() }
            guard try statement.step() else {
                throw InputError(field: "name", "no key named \(name.quoted); `costwise keys list` shows the keys")
            }
            return Self.key(from: statement)
        }
    }

    /// Each key with its budget's standing in the period that holds `now`: spent, reserved by
    /// unexpired reservations, and the requests that overran their reservation.
    public func keyUsage(at now: Double) throws -> [KeyUsage] {
        let keys = try keys()
        return try read { database in
            let spent = try database.statement("SELECT spent_pusd FROM key_spend WHERE key_id = ? AND period_start = ?")
            let reserved = try database.statement("""
                SELECT coalesce(sum(amount_pusd), 0) FROM budget_reservations
                WHERE key_id = ? AND period_start = ? AND state = 'held' AND expires_at > ?
                """)
            let overruns = try database.statement("SELECT count(*) FROM budget_reservations WHERE key_id = ? AND period_start = ? AND overrun = 1")
            return try keys.map { key in
                let start = key.period.start(containing: now)
                return KeyUsage(
                    key: key, periodStart: start, periodEnd: key.period.end(containing: now),
                    spent: Picodollars(Int64(try spent.bound(key.id, start).firstInt() ?? 0)),
                    reserved: Picodollars(Int64(try reserved.bound(key.id, start, now).firstInt() ?? 0)),
                    overruns: try overruns.bound(key.id, start).firstInt() ?? 0)
            }
        }
    }

    /// Reserves `amount` of the key's budget for one request in one atomic step: the reservation is
    /// made only if the key is not revoked and its budget for the current period, less what is spent
    /// and what unexpired reservations hold, still covers `amount`. Concurrent reservations, from this
    /// process or others, are serialized by the store's write lock, so their sum never passes the budget.
    ///
    /// - Parameters:
    ///   - lifetime: seconds after which the reservation stops holding budget if it is neither settled
    ///     nor released, so that one left by a killed process lapses.
    /// - Returns: the reservation, or why none was made.
    public func reserve(keyID: Int, requestID: String, model: String, amount: Picodollars, inputTokensBound: Int,
                        outputTokensBound: Int, at now: Double, lifetime: Double) throws -> Result<BudgetReservation, ReservationRefusal> {
        try write(announced: false) { database in
            let keyRow = try database.statement("SELECT budget_pusd, period, revoked_at FROM api_keys WHERE id = ?").bound(keyID)
            defer { keyRow.reset() }
            guard try keyRow.step() else { return .failure(.unknownKey) }
            guard keyRow.isNull(2) else { return .failure(.revoked) }
            let budget = keyRow.optionalInt(0).map { Picodollars(Int64($0)) }
            let period = BudgetPeriod(rawValue: keyRow.string(1)) ?? .total
            let start = period.start(containing: now)
            let expiresAt = now + lifetime
            let reservationID = try database.statement("""
                INSERT INTO budget_reservations (key_id, request_id, model, period_start, amount_pusd, input_tokens_bound,
                                                 output_tokens_bound, created_at, expires_at, state)
                SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, 'held' FROM api_keys
                WHERE id = ? AND revoked_at IS NULL AND (budget_pusd IS NULL OR budget_pusd
                    - coalesce((SELECT spent_pusd FROM key_spend WHERE key_id = ? AND period_start = ?), 0)
                    - (SELECT coalesce(sum(amount_pusd), 0) FROM budget_reservations
                       WHERE key_id = ? AND period_start = ? AND state = 'held' AND expires_at > ?) >= ?)
                RETURNING id
                """).bound(requestID, model, start, amount.value, inputTokensBound, outputTokensBound, now, expiresAt,
                           keyID, keyID, start, keyID, start, now, amount.value).firstInt()
            guard let reservationID else {
                let spent = try database.statement("SELECT spent_pusd FROM key_spend WHERE key_id = ? AND period_start = ?")
                    .bound(keyID, start).firstInt() ?? 0
                let held = try database.statement("""
                    SELECT coalesce(sum(amount_pusd), 0) FROM budget_reservations
                    WHERE key_id = ? AND period_start = ? AND state = 'held' AND expires_at > ?
                    """).bound(keyID, start, now).firstInt() ?? 0
                let remaining = (budget ?? .zero) - Picodollars(Int64(spent)) - Picodollars(Int64(held))
                return .failure(.budgetExceeded(remaining: Swift.max(.zero, remaining), needed: amount))
            }
            return .success(BudgetReservation(id: reservationID, keyID: keyID, requestID: requestID, model: model,
                                              periodStart: start, amount: amount, inputTokensBound: inputTokensBound,
                                              outputTokensBound: outputTokensBound, expiresAt: expiresAt))
        }
    }

    /// Settles a reservation to what the request actually cost: `charged` is added to the key's
    /// spend for the reservation's period and the reservation stops holding budget. `overrun` flags
    /// a request whose upstream reported more than was reserved for it (charged as reported all the
    /// same). Settling twice, or after a release, changes nothing.
    public func settle(_ reservation: BudgetReservation, charged: Picodollars, inputTokens: Int?, outputTokens: Int?, overrun: Bool,
                       at now: Double) throws {
        try write(announced: false) { database in
            try database.statement("""
                UPDATE budget_reservations SET state = 'settled', charged_pusd = ?, input_tokens = ?, output_tokens = ?, overrun = ?,
                                               closed_at = ?
                WHERE id = ? AND state = 'held'
                """).bound(charged.value, inputTokens, outputTokens, overrun ? 1 : 0, now, reservation.id).execute()
            guard database.changes == 1 else { return }
            try database.statement("""
                INSERT INTO key_spend (key_id, period_start, spent_pusd) VALUES (?, ?, ?)
                ON CONFLICT (key_id, period_start) DO UPDATE SET spent_pusd = key_spend.spent_pusd + excluded.spent_pusd
                """).bound(reservation.keyID, reservation.periodStart, charged.value).execute()
        }
    }

    /// Moves the expiry of the reservations `ids` that still hold budget at `now` to `expiresAt`: a
    /// request that runs longer than a reservation's lifetime (a long stream) keeps its budget held
    /// while the process that made it is alive. One already expired stays expired: its budget may
    /// have been reserved again since.
    public func extendReservations(_ ids: [Int], until expiresAt: Double, at now: Double) throws {
        guard !ids.isEmpty else { return }
        try write(announced: false) { database in
            let statement = try database.statement(
                "UPDATE budget_reservations SET expires_at = ? WHERE id = ? AND state = 'held' AND expires_at > ?")
            for id in ids { try statement.bound(expiresAt, id, now).execute() }
        }
    }

    /// Releases a reservation whose request failed before any answer: nothing is charged.
    /// Releasing a settled or released reservation changes nothing.
    public func release(_ reservation: BudgetReservation, at now: Double) throws {
        try write(announced: false) { database in
            try database.statement("UPDATE budget_reservations SET state = 'released', closed_at = ? WHERE id = ? AND state = 'held'")
                .bound(now, reservation.id).execute()
        }
    }

    /// The reservations made for the request `requestID` (one per attempt), oldest first.
    public func reservations(requestID: String) throws -> [ReservationRecord] {
        try reservations(where: "request_id = ?", requestID)
    }

    /// The reservations made for the key `keyID`, oldest first.
    public func reservations(keyID: Int) throws -> [ReservationRecord] {
        try reservations(where: "key_id = ?", keyID)
    }

    private func reservations(where condition: String, _ value: any DatabaseValueConvertible) throws -> [ReservationRecord] {
        try read { database in
            let statement = try database.statement("""
                SELECT id, key_id, request_id, model, period_start, amount_pusd, input_tokens_bound, output_tokens_bound, expires_at,
                       state, charged_pusd, input_tokens, output_tokens, overrun
                FROM budget_reservations WHERE \(condition) ORDER BY id
                """)
            value.bind(to: statement, at: 1)
            var records: [ReservationRecord] = []
            while try statement.step() {
                let reservation = BudgetReservation(
                    id: statement.int(0), keyID: statement.int(1), requestID: statement.string(2), model: statement.string(3),
                    periodStart: statement.double(4), amount: Picodollars(Int64(statement.int(5))), inputTokensBound: statement.int(6),
                    outputTokensBound: statement.int(7), expiresAt: statement.double(8))
                records.append(ReservationRecord(
                    reservation: reservation, state: ReservationRecord.State(rawValue: statement.string(9)) ?? .held,
                    charged: statement.optionalInt(10).map { Picodollars(Int64($0)) }, inputTokens: statement.optionalInt(11),
                    outputTokens: statement.optionalInt(12), overrun: statement.int(13) != 0))
            }
            return records
        }
    }

    private static func key(from row: Statement) -> APIKey {
        APIKey(id: row.int(0), name: row.string(1), tokenSHA256: row.string(2), tokenPrefix: row.string(3),
               scopes: (try? KeyScope.parseList(row.string(4))) ?? [], budget: row.optionalInt(5).map { Picodollars(Int64($0)) },
               period: BudgetPeriod(rawValue: row.string(6)) ?? .total, requestsPerMinute: row.optionalInt(7),
               tokensPerMinute: row.optionalInt(8), createdAt: row.double(9), revokedAt: row.optionalDouble(10))
    }
}
