import CSQLite

/// An error reported by SQLite, with the statement that caused it.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The SQLite result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …).
    public let resultCode: Int32
    /// SQLite's own message.
    public let message: String
    /// The SQL that failed, when there was one.
    public let sql: String?
    /// The store file it happened in, where known: a full disk or a lock held too long is about
    /// that file, and the message says which.
    public internal(set) var store: String?

    init(resultCode: Int32, connection: OpaquePointer?, sql: String? = nil) {
        self.resultCode = resultCode
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(resultCode))
        }
        self.sql = sql
    }

    /// Whether another connection held a lock this one needed (`SQLITE_BUSY`, with any extended code).
    public var isBusy: Bool { resultCode & 0xFF == SQLITE_BUSY }

    /// Whether the file is damaged or not a database at all (`SQLITE_CORRUPT`, `SQLITE_NOTADB`).
    public var isDamage: Bool { resultCode & 0xFF == SQLITE_CORRUPT || resultCode & 0xFF == SQLITE_NOTADB }

    /// Whether the disk had no room for a write (`SQLITE_FULL`).
    public var isFull: Bool { resultCode & 0xFF == SQLITE_FULL }

    public var description: String {
        var text = (store.map { $0 + ": " } ?? "") + "SQLite error \(resultCode): \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
