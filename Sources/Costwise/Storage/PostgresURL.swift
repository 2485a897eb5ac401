/// Where a PostgreSQL store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or
/// `postgresql://`), as `--db` and `COSTWISE_DB` take it. User and password may be percent-encoded.
///
/// The password never appears in what Costwise prints: ``description`` is the URL without it.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// Whether `location` names a PostgreSQL store rather than an SQLite file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Parses `text`; the error says what is wrong without repeating the password.
    public init(_ text: String) throws {
        guard Self.isPostgres(text) else {
            throw InputError(field: "db", "not a PostgreSQL URL; the form is postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let rest = text.drop { $0 != ":" }.dropFirst(3)
        guard let at = rest.lastIndex(of: "@") else {
            throw InputError(field: "db", "a PostgreSQL URL needs a user: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let credentials = rest[..<at]
        let location = rest[rest.index(after: at)...]
        if let colon = credentials.firstIndex(of: ":") {
            user = Self.percentDecoded(credentials[..<colon])
            password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
        } else {
            user = Self.percentDecoded(credentials)
            password = nil
        }
        guard let slash = location.firstIndex(of: "/") else {
            throw InputError(field: "db", "postgres://\(user)@\(location): the URL names no database (…/DATABASE)")
        }
        let hostPort = location[..<slash]
        database = Self.percentDecoded(location[location.index(after: slash)...].prefix { $0 != "?" })
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let port = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(port) else {
                throw InputError(field: "db", "postgres://\(user)@\(hostPort)/\(database): the port is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            host = String(hostPort)
            port = 5432
        }
        guard !user.isEmpty, !host.isEmpty, !database.isEmpty else {
            throw InputError(field: "db", "postgres://\(user)@\(hostPort)/\(database): the URL needs a user, a host and a database")
        }
    }

    /// The URL without the password: what errors and logs show.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "%"), let high = utf8.next(), let low = utf8.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
