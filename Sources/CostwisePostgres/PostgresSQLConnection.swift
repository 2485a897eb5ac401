public import Costwise
import Dispatch
import FoundationEssentials
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// `Costwise`'s ``RemoteSQLConnection`` over one postgres-nio connection, synchronous: each call
/// waits for its answer on the caller's thread (the gateway calls the store on `NIOThreadPool`,
/// commands on the main thread). The connections live on an event loop of their own, not on the
/// process's shared ones, so that a caller that is itself on a shared event loop (an async command
/// in `costwise-net`, whose tasks run there) waits without deadlocking. A connection found lost is
/// opened again on the next call, so a store outlives a restart of the server: calls fail while it
/// is down, and work again once it is back.
public final class PostgresSQLConnection: RemoteSQLConnection, @unchecked Sendable {
    public let url: PostgresURL
    private var connection: PostgresConnection?
    /// The event loop every store connection of the process runs on.
    private static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let logger = Logger(label: "costwise.postgres")

    /// Connects to `url` at once, so that a server out of reach is reported by whoever opens the store.
    public init(url: PostgresURL) throws {
        self.url = url
        _ = try open()
    }

    deinit {
        if let connection { _ = try? Self.wait(for: connection.close()) }
    }

    public var displayURL: String { url.description }

    /// Listens on `channel` on a connection of its own, closed when the returned object goes.
    public func listen(channel: String, _ onNotice: @escaping @Sendable () -> Void) throws -> any Sendable {
        let listening: PostgresConnection
        do {
            listening = try Self.wait(for: PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration,
                                                                      id: 2, logger: logger))
            listening.addListener(channel: channel) { _, _ in onNotice() }
            _ = try Self.wait(for: listening.query(PostgresQuery(unsafeSQL: "LISTEN \(channel)"), logger: logger))
        } catch {
            throw remoteError(error, sql: "LISTEN \(channel)")
        }
        return Listening(connection: listening)
    }

    /// A listening connection, closed when this goes.
    private final class Listening: Sendable {
        let connection: PostgresConnection
        init(connection: PostgresConnection) { self.connection = connection }
        deinit {
            // postgres-nio requires a connection to be closed before it is freed: held until then.
            let connection = connection
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// Runs the script's statements one by one: the extended protocol, which postgres-nio speaks,
    /// takes one statement at a time.
    public func execute(script: String) throws {
        for statement in Self.statements(of: script) {
            _ = try run(statement, arguments: [])
        }
    }

    /// The statements of `script`, split at semicolons outside quotes, dollar-quoted bodies and comments.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        let characters = Array(script)
        var index = 0
        func flush() {
            let trimmed = current.drop { $0.isWhitespace }
            if !trimmed.isEmpty { statements.append(String(trimmed)) }
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character == "-", index + 1 < characters.count, characters[index + 1] == "-" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if character == "'" || character == "\"" {
                var end = index + 1
                while end < characters.count, characters[end] != character { end += 1 }
                current.append(contentsOf: characters[index...Swift.min(end, characters.count - 1)])
                index = end + 1
                continue
            }
            if character == "$", let close = characters[(index + 1)...].firstIndex(of: "$"),
               characters[(index + 1)..<close].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let tag = Array(characters[index...close])
                var end = close + 1
                while end + tag.count <= characters.count, Array(characters[end..<(end + tag.count)]) != tag { end += 1 }
                let stop = Swift.min(end + tag.count, characters.count)
                current.append(contentsOf: characters[index..<stop])
                index = stop
                continue
            }
            if character == ";" { flush() } else { current.append(character) }
            index += 1
        }
        flush()
        return statements
    }

    public func run(_ sql: String, arguments: [SQLValue]) throws -> SQLRows {
        let connection = try open()
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .real(let value): binds.append(value)
            case .text(let value): binds.append(value)
            }
        }
        do {
            let result = try Self.wait(for: connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
            return SQLRows(rows: try result.rows.map(Self.values), changes: result.metadata.rows ?? 0)
        } catch let error as RemoteSQLError {
            throw error
        } catch {
            throw remoteError(error, sql: sql)
        }
    }

    /// Streams `nextChunk`'s rows into one `COPY … FROM STDIN` and waits for the server to take them
    /// all. postgres-nio's COPY is async only, so it runs in a task while the calling thread waits, as
    /// it does for every other call; `nextChunk` is called from that task, once at a time, and each
    /// chunk is sent before the next is asked for, so the server stores rows while later ones are encoded.
    public func copy(into table: String, columns: [String], from nextChunk: () throws -> [UInt8]?) throws {
        let connection = try open()
        let logger = logger
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        try withoutActuallyEscaping(nextChunk) { nextChunk in
            // The caller waits until the task is done: the closure is never called after it returns.
            let producer = UncheckedProducer(next: nextChunk)
            let promise = Self.eventLoops.next().makePromise(of: Void.self)
            promise.completeWithTask {
                // Let go of the closure before the promise completes: the task's own context may be
                // freed after the caller returns, and the closure must not outlive that return.
                defer { producer.release() }
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    while let chunk = try producer.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                }
            }
            do {
                try Self.wait(for: promise.futureResult)
            } catch let error as PSQLError {
                throw remoteError(error, sql: sql)
            }
        }
    }

    /// The caller's chunk producer, handed to the task that runs the COPY while the caller waits for
    /// it, and released by that task when the COPY is over.
    private final class UncheckedProducer: @unchecked Sendable {
        private var produce: (() throws -> [UInt8]?)?

        init(next: @escaping () throws -> [UInt8]?) {
            produce = next
        }

        /// The next chunk, or nil at the end (and after ``release()``).
        func next() throws -> [UInt8]? {
            try produce?()
        }

        func release() {
            produce = nil
        }
    }

    /// The open connection, opened anew when there is none or the last one was lost.
    private func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        do {
            let opened = try Self.wait(for: PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration,
                                                                       id: 1, logger: logger))
            connection = opened
            return opened
        } catch {
            throw remoteError(error, sql: nil)
        }
    }

    private var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                         database: url.database, tls: .disable)
    }

    /// Blocks the calling thread until `future` completes. Unlike NIO's `wait()`, allowed on another
    /// event loop's thread: the future completes on ``eventLoops``, which the caller never is.
    private static func wait<Value: Sendable>(for future: EventLoopFuture<Value>) throws -> Value {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        future.whenComplete { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// The row's columns as values, read from their PostgreSQL types.
    private static func values(of row: PostgresRow) throws -> [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(row.count)
        for cell in row {
            guard cell.bytes != nil else { values.append(.null); continue }
            switch cell.dataType {
            case .int2, .int4, .int8, .oid:
                values.append(.integer(try cell.decode(Int64.self)))
            case .float4, .float8:
                values.append(.real(try cell.decode(Double.self)))
            case .bool:
                values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
            case .numeric:
                let text = try cell.decode(Decimal.self).description
                values.append(Int64(text).map(SQLValue.integer) ?? .real(Double(text) ?? 0))
            case .void:
                values.append(.null)
            default:
                values.append(.text(try cell.decode(String.self)))
            }
        }
        return values
    }

    /// postgres-nio's error as Costwise reports it: the server's SQLSTATE and message, or why the
    /// server could not be reached; never the password.
    private func remoteError(_ error: any Error, sql: String?) -> RemoteSQLError {
        guard let error = error as? PSQLError else {
            return RemoteSQLError(sqlState: nil, message: "\(error)", server: displayURL, sql: sql)
        }
        if let info = error.serverInfo, let state = info[.sqlState] {
            var message = info[.message] ?? "\(error.code)"
            if let detail = info[.detail] { message += " (\(detail))" }
            return RemoteSQLError(sqlState: state, message: message, server: displayURL, sql: sql)
        }
        let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
        return RemoteSQLError(sqlState: nil, message: reason, server: displayURL, sql: sql)
    }
}
