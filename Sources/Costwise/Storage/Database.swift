import CSQLite

/// One SQLite connection, with the settings every Costwise store uses: WAL, foreign keys, a busy
/// timeout (see ``retryingWhileBusy(_:)`` for waits beyond it), and statements cached by their SQL.
///
/// Not thread-safe by itself: ``SQLiteStore`` serializes access to it.
final class Database {
    let handle: OpaquePointer
    let path: String
    private var statementCache: [String: Statement] = [:]

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
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 10_000)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no arguments.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: code, connection: handle, sql: sql) }
    }

    /// A prepared statement for `sql`, reused across calls.
    func statement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(connection: handle, sql: sql)
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
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a deferred transaction, so that every read sees one consistent state.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// The row id of the last inserted row.
    var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

    /// The number of rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }
}

