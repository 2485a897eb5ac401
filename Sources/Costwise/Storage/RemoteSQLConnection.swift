/// A value sent to or read from a SQL server: what a statement binds and a row holds.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// The rows a statement returned, buffered whole, and how many rows it changed.
public struct SQLRows: Sendable {
    public var rows: [[SQLValue]]
    /// Rows inserted, updated or deleted (the command tag's count); 0 for a query.
    public var changes: Int

    public init(rows: [[SQLValue]], changes: Int) {
        self.rows = rows
        self.changes = changes
    }
}

/// A connection to a SQL server (PostgreSQL), as the store uses it: synchronous calls from the
/// caller's thread, one at a time. `Costwise` links no networking library, so the connection is
/// implemented elsewhere (`CostwisePostgres`) and handed in; ``Database`` wraps it like an SQLite
/// handle, so the store's logic is written once.
///
/// Statements use PostgreSQL's `$1…` placeholders (``Database`` translates the store's `?`).
public protocol RemoteSQLConnection: AnyObject {
    /// Runs one or more statements without arguments (DDL, `BEGIN`, `COMMIT`).
    func execute(script: String) throws
    /// Runs one statement with `arguments` for `$1…`, and returns all its rows.
    func run(_ sql: String, arguments: [SQLValue]) throws -> SQLRows
    /// Loads rows into `table` (into `columns`, in that order) with `COPY … FROM STDIN` in
    /// PostgreSQL's text format: no statement to parse and bind per row, and the rows travel to the
    /// server while later ones are still being encoded. `nextChunk` returns the next rows, encoded
    /// (columns separated by tabs, `\N` for NULL, a newline after each row; backslash, tab, newline
    /// and carriage return in text escaped with a backslash), or nil when there are no more.
    func copy(into table: String, columns: [String], from nextChunk: () throws -> [UInt8]?) throws
    /// Where the connection goes, without a password: `postgres://user@host:port/database`.
    var displayURL: String { get }
    /// Calls `onNotice` each time a notification on `channel` arrives, on a connection of its own,
    /// for as long as the returned object lives.
    func listen(channel: String, _ onNotice: @escaping @Sendable () -> Void) throws -> any Sendable
}

/// An error a remote SQL server reported, or its being out of reach.
public struct RemoteSQLError: Error, CustomStringConvertible, Sendable {
    /// The server's SQLSTATE (`40001`, `23505`, …); nil when it could not be reached.
    public var sqlState: String?
    public var message: String
    /// The server, as ``RemoteSQLConnection/displayURL`` names it.
    public var server: String
    public var sql: String?

    public init(sqlState: String?, message: String, server: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.server = server
        self.sql = sql
    }

    /// Whether the server could not be reached (or the connection was lost), rather than refusing a statement.
    public var isUnreachable: Bool { sqlState == nil || sqlState!.hasPrefix("08") || sqlState!.hasPrefix("57P") }

    public var description: String {
        var text = isUnreachable ? "\(server): the PostgreSQL server cannot be reached: \(message)" : "\(server): PostgreSQL error \(sqlState ?? ""): \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
