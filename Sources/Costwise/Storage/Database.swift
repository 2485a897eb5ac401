import CSQLite

/// One connection to a store's database, with statements cached by their SQL: an SQLite file, with
/// the settings every Costwise store uses (WAL, foreign keys, a busy timeout: see
/// ``retryingWhileBusy(_:)`` for waits beyond it), or a PostgreSQL database through a
/// ``RemoteSQLConnection``. The store's SQL is written once, with `?` placeholders, for both.
///
/// Not thread-safe by itself: ``SQLiteStore`` serializes access to it.
final class Database {
    /// The SQLite connection; nil on PostgreSQL.
    let handle: OpaquePointer?
    /// The PostgreSQL connection; nil on SQLite.
    let remote: RemoteSession?
    let path: String
    private var statementCache: [String: Statement] = [:]

    /// The SQL engine behind a store, for the few statements whose dialects differ.
    enum Engine { case sqlite, postgres }
    var engine: Engine { remote == nil ? .sqlite : .postgres }

    /// Opens a PostgreSQL database through `connection`.
    init(remote connection: any RemoteSQLConnection) {
        handle = nil
        remote = RemoteSession(connection: connection)
        path = connection.displayURL
    }

    /// Opens (and creates, when `create` is true) the file at `path`.
    init(path: String, create: Bool) throws {
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = DatabaseError(resultCode: code, connection: handle)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        remote = nil
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 10_000)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no arguments.
    func execute(_ sql: String) throws {
        if let remote { return try remote.connection.execute(script: sql) }
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: code, connection: handle, sql: sql) }
    }

    /// A prepared statement for `sql`, reused across calls.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = if let remote { Statement(remote: remote, sql: sql) } else { try Statement(connection: handle, sql: sql) }
        statementCache[sql] = statement
        return statement
    }

    /// The first column of the first row of `sql`, as an integer.
    func integer(_ sql: String) throws -> Int? {
        let statement = try statement(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.optionalInt(0) : nil
    }

    /// Runs `body` in an immediate transaction: the write lock is taken up front, so two writers
    /// never deadlock upgrading a read, and any error rolls every change back.
    ///
    /// On PostgreSQL the same lock is one advisory lock of the whole database, taken right after
    /// `BEGIN`: writers in every process are serialized exactly as SQLite serializes them, so a
    /// conditional insert (a budget reservation) is atomic across gateways. Before it commits, the
    /// transaction counts itself in `costwise_meta` and notifies ``PostgresSchema/changeChannel``,
    /// which is how other processes learn of it (see ``SQLiteStore/refresh()``), unless it is not
    /// `announced`: a write that changes nothing a snapshot holds (a budget reservation) is no news.
    func writeTransaction<T>(announced: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(remote == nil ? "BEGIN IMMEDIATE" : PostgresSchema.beginWrite)
        do {
            let value = try body()
            if let remote, announced {
                remote.changeCount = try statement(PostgresSchema.countChange).firstInt() ?? 0
                try execute("NOTIFY \(PostgresSchema.changeChannel); COMMIT")
                return value
            }
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a deferred transaction (on PostgreSQL, a read-only repeatable-read one), so that
    /// every read sees one consistent state.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute(remote == nil ? "BEGIN DEFERRED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// The number of rows changed by the last statement.
    var changes: Int {
        if let remote { return remote.changes }
        return Int(sqlite3_changes(handle))
    }
}

/// A PostgreSQL connection as a ``Database`` holds it, with what SQLite's handle would know itself:
/// the rows the last statement changed, and the change count the last write transaction left.
final class RemoteSession {
    let connection: any RemoteSQLConnection
    var changes = 0
    var changeCount = 0

    init(connection: any RemoteSQLConnection) {
        self.connection = connection
    }
}

