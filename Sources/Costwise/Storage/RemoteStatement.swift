/// A statement on PostgreSQL, as ``Statement`` runs it: the store's SQL with its `?` placeholders
/// turned into `$1…` once, the arguments bound so far, and the rows of its last run, buffered whole.
/// Columns read leniently, as SQLite's do: an integer as a double, a double as an integer (cut
/// toward zero), a boolean as 0 or 1, a number as text.
final class RemoteStatement {
    private let session: RemoteSession
    let sql: String
    private var arguments: [SQLValue] = []
    private var rows: [[SQLValue]] = []
    private var next = 0
    private var hasRun = false

    init(session: RemoteSession, sql: String) {
        self.session = session
        self.sql = Self.numberedPlaceholders(sql)
    }

    func bind(_ value: SQLValue, at index: Int32) {
        let position = Int(index) - 1
        if arguments.count <= position { arguments.append(contentsOf: repeatElement(.null, count: position + 1 - arguments.count)) }
        arguments[position] = value
    }

    /// Runs the statement and keeps its rows for ``step()``.
    func run() throws {
        let result = try session.connection.run(sql, arguments: arguments)
        session.changes = result.changes
        rows = result.rows
        next = 0
        hasRun = true
    }

    func step() throws -> Bool {
        if !hasRun { try run() }
        guard next < rows.count else { return false }
        next += 1
        return true
    }

    func reset() {
        arguments.removeAll(keepingCapacity: true)
        rows = []
        next = 0
        hasRun = false
    }

    func value(_ column: Int32) -> SQLValue {
        let row = rows[next - 1]
        return Int(column) < row.count ? row[Int(column)] : .null
    }

    func int(_ column: Int32) -> Int {
        switch value(column) {
        case .null: 0
        case .integer(let value): Int(value)
        case .real(let value): value.isFinite ? Int(value) : 0
        case .text(let value): Int(value) ?? Double(value).map { $0.isFinite ? Int($0) : 0 } ?? 0
        }
    }

    func double(_ column: Int32) -> Double {
        switch value(column) {
        case .null: 0
        case .integer(let value): Double(value)
        case .real(let value): value
        case .text(let value): Double(value) ?? 0
        }
    }

    func string(_ column: Int32) -> String {
        switch value(column) {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        case .text(let value): value
        }
    }

    /// `sql` with SQLite's placeholders as PostgreSQL's: `?NNN` becomes `$NNN`, and a bare `?` the
    /// next number after the largest so far, as SQLite numbers them. Quoted text and names are left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var largest = 0
        var quote: Character?
        var characters = sql.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                result.append(character)
            case "?":
                var digits = ""
                while let following = characters.next() {
                    if following.isASCII, following.isNumber { digits.append(following) } else { pending = following; break }
                }
                let number = Int(digits) ?? (largest + 1)
                largest = Swift.max(largest, number)
                result += "$\(number)"
            default:
                result.append(character)
            }
        }
        return result
    }
}
