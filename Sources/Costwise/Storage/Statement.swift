import CSQLite

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Bind with `bind(_:at:)`, then `step()` row by row; `reset()` reuses it.
///
/// Statements are the hot path of bulk writes and snapshot loads, so on SQLite values are bound and
/// read directly, without boxing. On PostgreSQL (``RemoteStatement``) the same calls collect the
/// arguments, the first `step()` runs the statement and buffers its rows, and columns are read from
/// them; each call checks which engine it is on once, and SQLite's path stays a direct C call.
final class Statement {
    private let handle: OpaquePointer?
    private let connection: OpaquePointer?
    private let remote: RemoteStatement?
    let sql: String

    /// A statement on PostgreSQL.
    init(remote session: RemoteSession, sql: String) {
        handle = nil
        connection = nil
        remote = RemoteStatement(session: session, sql: sql)
        self.sql = sql
    }

    init(connection: OpaquePointer?, sql: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw DatabaseError(resultCode: code, connection: connection, sql: sql)
        }
        self.handle = handle
        self.connection = connection
        remote = nil
        self.sql = sql
    }

    deinit { if let handle { sqlite3_finalize(handle) } }

    func bind(_ value: Int64?, at index: Int32) {
        if let remote { return remote.bind(value.map(SQLValue.integer) ?? .null, at: index) }
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ value: Int?, at index: Int32) {
        bind(value.map(Int64.init), at: index)
    }

    func bind(_ value: Double?, at index: Int32) {
        if let remote { return remote.bind(value.map { $0.isNaN ? .null : .real($0) } ?? .null, at: index) }
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds the text with its byte length, so that a NUL inside it (JSON's `\u0000`) is kept rather
    /// than ending the text there: `"1\u0000a"` and `"1\u0000b"` stay two items, not both `"1"`.
    func bind(_ value: String?, at index: Int32) {
        if let remote { return remote.bind(value.map(SQLValue.text) ?? .null, at: index) }
        if let value {
            sqlite3_bind_text64(handle, index, value, sqlite3_uint64(value.utf8.count), transientDestructor, UInt8(SQLITE_UTF8))
        } else {
            sqlite3_bind_null(handle, index)
        }
    }

    /// Binds text that SQLite reads in place instead of copying, for bulk writes that bind many
    /// texts from one buffer: `bytes` must stay valid and unchanged until the statement is reset.
    func bindInPlace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        if let remote { return remote.bind(.text(String(decoding: bytes, as: UTF8.self)), at: index) }
        // An empty buffer may have no address, which SQLite would take for NULL rather than "":
        // a literal's bytes live as long as the program.
        let empty: StaticString = ""
        let start = bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(empty.utf8Start)
        sqlite3_bind_text64(handle, index, start.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count), nil, UInt8(SQLITE_UTF8))
    }

    /// Binds all values in order, starting at parameter 1.
    func bind(_ values: any DatabaseValueConvertible...) {
        bind(all: values)
    }

    /// Binds all values in order and returns the statement, to step or execute in one line.
    func bound(_ values: any DatabaseValueConvertible...) -> Statement {
        bind(all: values)
        return self
    }

    private func bind(all values: [any DatabaseValueConvertible]) {
        for (offset, value) in values.enumerated() {
            value.bind(to: self, at: Int32(offset + 1))
        }
    }

    /// The first column of the first row as an integer; nil when there is no row or it is NULL.
    func firstInt() throws -> Int? {
        defer { reset() }
        return try step() ? optionalInt(0) : nil
    }

    /// Advances to the next row; returns false when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        if let remote { return try remote.step() }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw DatabaseError(resultCode: code, connection: connection, sql: sql)
        }
    }

    /// Runs the statement to completion, then resets it for reuse.
    func execute() throws {
        defer { reset() }
        while try step() {}
    }

    /// Runs the statement to completion like ``execute()``, with an error naming `reportedSQL`
    /// instead of the statement's own text: a short form of a long generated one, such as one row
    /// of an INSERT of many, so that the message stays readable.
    func execute(reportingAs reportedSQL: String) throws {
        defer { reset() }
        if let remote {
            do { return try remote.run() } catch var error as RemoteSQLError {
                error.sql = reportedSQL
                throw error
            }
        }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: continue
            case SQLITE_DONE: return
            case let code: throw DatabaseError(resultCode: code, connection: connection, sql: reportedSQL)
            }
        }
    }

    func reset() {
        if let remote { return remote.reset() }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func isNull(_ column: Int32) -> Bool {
        if let remote { return remote.value(column) == .null }
        return sqlite3_column_type(handle, column) == SQLITE_NULL
    }
    func int(_ column: Int32) -> Int {
        if let remote { return remote.int(column) }
        return Int(sqlite3_column_int64(handle, column))
    }
    func double(_ column: Int32) -> Double {
        if let remote { return remote.double(column) }
        return sqlite3_column_double(handle, column)
    }
    /// The column's text, read by its byte length: NUL characters inside it are kept.
    func string(_ column: Int32) -> String {
        if let remote { return remote.string(column) }
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
    /// The column as whichever value it holds: for copying rows whose types the caller does not know.
    func value(_ column: Int32) -> SQLValue {
        if let remote { return remote.value(column) }
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        default: return .text(string(column))
        }
    }

    /// Binds a value of any kind.
    func bind(_ value: SQLValue, at index: Int32) {
        switch value {
        case .null: bind(nil as Int64?, at: index)
        case .integer(let value): bind(value, at: index)
        case .real(let value): bind(value, at: index)
        case .text(let value): bind(value, at: index)
        }
    }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
}

/// A value that can be bound to a statement parameter.
protocol DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32)
}

extension Int: DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32) { statement.bind(self, at: index) }
}
extension Int64: DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32) { statement.bind(self, at: index) }
}
extension Double: DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32) { statement.bind(self, at: index) }
}
extension String: DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32) { statement.bind(self, at: index) }
}
extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    func bind(to statement: Statement, at index: Int32) {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: statement.bind(nil as Int64?, at: index)
        }
    }
}
