import BenchSQLite

/// A thin wrapper over the sqlite3 C API, for the baselines and for filling the store faster than
/// the public API can: no statement cache, no boxing, nothing between the caller and SQLite.
final class RawDatabase {
    let handle: OpaquePointer

    init(path: String) {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
            fatalError("cannot open \(path)")
        }
        self.handle = handle
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            fatalError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
        }
    }

    func prepare(_ sql: String) -> RawStatement { RawStatement(database: self, sql: sql) }

    /// Each row of `sql` as text, `|`-separated, for printing query plans.
    func rows(_ sql: String) -> [String] {
        let statement = prepare(sql)
        var rows: [String] = []
        while statement.step() {
            let count = sqlite3_column_count(statement.handle)
            rows.append((0..<count).map { statement.text($0) ?? "" }.joined(separator: "|"))
        }
        return rows
    }
}

/// One prepared statement, reset and re-bound per use.
final class RawStatement {
    let handle: OpaquePointer
    private let database: RawDatabase

    init(database: RawDatabase, sql: String) {
        var handle: OpaquePointer?
        guard sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil) == SQLITE_OK,
              let handle else {
            fatalError("\(String(cString: sqlite3_errmsg(database.handle))) in: \(sql)")
        }
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always) func reset() { sqlite3_reset(handle) }
    @inline(__always) func bind(_ value: Int, at index: Int32) { sqlite3_bind_int64(handle, index, Int64(value)) }
    @inline(__always) func bind(_ value: Double, at index: Int32) { sqlite3_bind_double(handle, index, value) }
    func bind(_ value: Double?, at index: Int32) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }
    /// Binds text that outlives the statement's use of it (SQLITE_STATIC: no copy).
    @inline(__always) func bind(static value: UnsafePointer<CChar>, at index: Int32) {
        sqlite3_bind_text(handle, index, value, -1, nil)
    }
    /// Binds text that SQLite copies (SQLITE_TRANSIENT), for setup code.
    func bind(_ value: String?, at index: Int32) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_text(handle, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Steps once; true when a row is ready.
    @inline(__always) func step() -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(database.handle))) }
        return false
    }

    /// Steps through a statement that returns no rows, then resets it.
    func run() {
        _ = step()
        reset()
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func optionalDouble(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }
    func text(_ column: Int32) -> String? {
        sqlite3_column_text(handle, column).map { String(cString: $0) }
    }
}
