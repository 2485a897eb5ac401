import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Costwise store in one SQLite file: the catalog, price history, evaluation results and their
/// statistics, with an in-memory ``Snapshot`` for selections.
///
/// Opening a store that does not exist creates it (readable by its owner only) and, unless told
/// otherwise, seeds it with the bundled catalog; so does opening a file that holds nothing yet (an
/// empty file, or a store whose creation was cut short). The schema is migrated forward on open; a
/// store written by a newer Costwise is refused. Many processes can open, read and write one store
/// at once: writers wait for each other (see ``Database/retryingWhileBusy(_:)``), readers never wait.
///
/// ```swift
/// let store = try SQLiteStore(path: "costwise.sqlite")
/// let selection = try store.snapshot().select(SelectionRequest(task: "classification", minQuality: 0.8))
/// print(selection.chosen?.model ?? "none")
/// ```
public final class SQLiteStore: CostwiseStore, @unchecked Sendable {
    /// What to put in a store that is created by opening it.
    public enum Seed: Sendable {
        /// The bundled catalog: models with prices, task types and prior scores.
        case bundledCatalog
        /// Nothing: a store with the schema only.
        case empty
    }

    public let path: String
    /// Guards the connection and the cached snapshot: one caller uses the connection at a time.
    private let lock = Mutex(())
    private let database: Database
    private var cachedSnapshot: Snapshot?
    private var dataVersion: Int
    /// Whether opening created the store (and seeded it, as asked), rather than finding one.
    public private(set) var wasCreated = false

    /// The path of a store held in memory only, gone when the store is: for replays and tests.
    public static let inMemoryPath = ":memory:"

    /// Opens the store at `path`, creating it if the file does not exist and seeding it with `seed`
    /// if it holds nothing yet.
    public init(path: String, seed: Seed = .bundledCatalog) throws {
        self.path = path
        if path != Self.inMemoryPath { try Self.createFileIfMissing(path) }
        let database: Database
        do {
            database = try Database(path: path, create: false)
            wasCreated = try Database.retryingWhileBusy { try Self.prepare(database, path: path, seed: seed) }
        } catch var error as DatabaseError {
            // A busy store or a full disk says nothing about the file's contents: those stay SQLite's errors.
            guard error.isBusy || error.isFull else { throw StoreOpenError(path: path, reason: .unreadable(error.message)) }
            error.store = path
            throw error
        }
        self.database = database
        dataVersion = try database.integer("PRAGMA data_version") ?? 0
    }

    /// Opens the store in the PostgreSQL database that `connection` reaches, creating its schema and
    /// seeding it with `seed` when the database holds no store yet. ``path`` is the database's URL
    /// without its password.
    ///
    /// The same store as on SQLite, for many processes and machines at once: writers take turns
    /// through one advisory lock (see ``Database/writeTransaction(_:)``), readers see one snapshot
    /// per transaction, and ``refresh()`` sees other processes' writes through a change count.
    public init(remote connection: any RemoteSQLConnection, seed: Seed = .bundledCatalog) throws {
        path = connection.displayURL
        let database = Database(remote: connection)
        wasCreated = try Self.preparePostgres(database, path: path, seed: seed)
        self.database = database
        dataVersion = try database.integer(PostgresSchema.changeCountQuery) ?? 0
    }

    /// Checks that the database holds a store this version can use, or none at all and nothing
    /// else; then creates and seeds it in one write transaction, which waits for any other process
    /// doing the same and finds the store made.
    private static func preparePostgres(_ database: Database, path: String, seed: Seed) throws -> Bool {
        func check() throws -> Bool {
            guard try database.integer(PostgresSchema.hasStoreQuery) == 1, let version = try database.integer(PostgresSchema.versionQuery) else {
                if try database.integer(PostgresSchema.tableCountQuery) ?? 0 > 0 {
                    throw StoreOpenError(path: path, reason: .notACostwiseStore)
                }
                return false
            }
            if version > Schema.version {
                throw StoreOpenError(path: path, reason: .newerSchema(found: version, supported: Schema.version))
            }
            return true
        }
        if try check() { return false }
        return try database.writeTransaction {
            if try check() { return false }
            try database.execute(PostgresSchema.create)
            if case .bundledCatalog = seed { try BundledCatalog.seed(database) }
            try StoredFrontiers.refresh(in: database)
            return true
        }
    }

    /// The store a command uses when none is named: `$COSTWISE_DB`, else
    /// `$XDG_DATA_HOME/costwise/costwise.sqlite`, else `~/.local/share/costwise/costwise.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["COSTWISE_DB"], !path.isEmpty { return path }
        if let dataHome = environment["XDG_DATA_HOME"], !dataHome.isEmpty { return dataHome + "/costwise/costwise.sqlite" }
        return (environment["HOME"] ?? ".") + "/.local/share/costwise/costwise.sqlite"
    }

    /// Whether a store exists at `path`: an empty file (as `mktemp` makes) is not one yet.
    public static func exists(at path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_size > 0
    }

    /// Creates the file (and its folder) with owner-only permissions when there is none.
    private static func createFileIfMissing(_ path: String) throws {
        if access(path, F_OK) == 0 { return }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreOpenError(path: path, reason: .cannotCreate("its folder \(folder) cannot be created"))
            }
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw StoreOpenError(path: path, reason: .cannotCreate(String(cString: strerror(errno))))
        }
        close(descriptor)
    }

    /// Checks that the file is a Costwise store this version can use, switches it to WAL, and
    /// migrates (and, when it holds nothing yet, seeds) it in one transaction. Safe to run again
    /// after a failure, and while other processes open the same store. Returns whether it created the store.
    private static func prepare(_ database: Database, path: String, seed: Seed) throws -> Bool {
        let header = try database.readTransaction { try Header(of: database) }
        try header.check(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536")
        guard header.version < Schema.version else { return false }
        return try database.writeTransaction {
            // Another process may have created or migrated the store since the header was read.
            let current = try Header(of: database)
            try current.check(path: path)
            guard current.version < Schema.version else { return false }
            for migration in Schema.migrations[current.version...] { try database.execute(migration) }
            if current.version < Schema.trafficInStatistics && !current.isBlank { try remeasureAllTraffic(in: database) }
            try database.execute("PRAGMA user_version = \(Schema.version); PRAGMA application_id = \(Schema.applicationID)")
            if current.isBlank, case .bundledCatalog = seed {
                try BundledCatalog.seed(database)
            }
            try StoredFrontiers.refresh(in: database)
            return current.isBlank
        }
    }

    /// What a store file says about itself. Read inside one transaction, so that a store another
    /// process is creating at that moment is seen whole or not at all: read field by field, its
    /// application id could come from before that commit and its version from after, and the store
    /// be taken for another application's database.
    private struct Header {
        var applicationID: Int
        var version: Int
        var tableCount: Int

        init(of database: Database) throws {
            applicationID = try database.integer("PRAGMA application_id") ?? 0
            version = try database.integer("PRAGMA user_version") ?? 0
            tableCount = try database.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        }

        /// Nothing in it yet: a new or empty file, or a store whose creation stopped before its
        /// first transaction committed (switching to WAL writes a header before that).
        var isBlank: Bool { applicationID == 0 && version == 0 && tableCount == 0 }

        func check(path: String) throws {
            if applicationID != Int(Schema.applicationID) && !isBlank {
                throw StoreOpenError(path: path, reason: .notACostwiseStore)
            }
            if version > Schema.version {
                throw StoreOpenError(path: path, reason: .newerSchema(found: version, supported: Schema.version))
            }
        }
    }

    /// The current snapshot, built from the database when a write has made the last one stale.
    public func snapshot() throws -> Snapshot {
        try locked {
            if let cachedSnapshot { return cachedSnapshot }
            let snapshot = try SnapshotLoader.load(from: database, onlyTask: nil)
            cachedSnapshot = snapshot
            return snapshot
        }
    }

    /// A snapshot that holds one task type's candidates and only their models: what a one-off
    /// selection needs, loaded without reading the rest of a large store. Selecting another task
    /// type from it fails as an unknown task type; routing by tier and premium costs, which look at
    /// every model, need ``snapshot()``.
    public func snapshot(onlyTask task: String) throws -> Snapshot {
        try locked {
            if let cachedSnapshot { return cachedSnapshot }
            return try SnapshotLoader.load(from: database, onlyTask: task)
        }
    }

    /// A snapshot that answers `request` as ``snapshot()`` would, read with as little as the store
    /// allows: for a request limited by its threshold (and a cost limit) alone, the one candidate its
    /// stored frontier names; else the task type's candidates whose mean reaches the threshold, when
    /// one of them qualifies (any candidate that qualifies is among them, so the cheapest is too);
    /// else all the task type's candidates, as ``snapshot(onlyTask:)``. What a one-off selection
    /// needs; other requests, other task types and the catalog need ``snapshot()``.
    public func snapshot(answering request: SelectionRequest) throws -> Snapshot {
        try locked {
            if let cachedSnapshot { return cachedSnapshot }
            return try database.readTransaction {
                if let answer = try StoredFrontiers.answer(request, from: database) { return answer }
                // A Wilson lower bound at a confidence of one half or more never exceeds the mean, so
                // a candidate whose mean is below the threshold cannot qualify; `--explain` lists all.
                if !request.explain, (request.confidence ?? 1) >= 0.5 {
                    let reaching = try SnapshotLoader.read(from: database, onlyTask: request.task, forOneRequest: true,
                                                           meanAtLeast: request.minQuality)
                    if try reaching.select(request).chosenModel != nil { return reaching }
                }
                return try SnapshotLoader.read(from: database, onlyTask: request.task, forOneRequest: true)
            }
        }
    }

    /// A snapshot of the store as it stood at `asOf` (prices then in force, results recorded by then),
    /// with each result weighted by 0.5^(age / `halfLifeDays`) when given. Computed from the result
    /// rows, so slower than ``snapshot()``; not cached.
    public func snapshot(asOf: Double? = nil, halfLifeDays: Double?, onlyTask task: String? = nil) throws -> Snapshot {
        try locked {
            try SnapshotLoader.load(from: database, onlyTask: task, evidence: .init(asOf: asOf, halfLifeDays: halfLifeDays))
        }
    }

    /// Computes the stored frontiers that changes made outside Costwise (raw SQL on the store file)
    /// have dropped, so that one-off selections read one candidate again; every write through the
    /// store does this itself.
    public func refreshFrontiers() throws {
        _ = try write { _ in }
    }

    /// Picks up writes made by other connections since the last snapshot. Returns whether there were any.
    @discardableResult
    public func refresh() throws -> Bool {
        try locked {
            let version = try database.integer(database.engine == .sqlite ? "PRAGMA data_version" : PostgresSchema.changeCountQuery) ?? 0
            guard version != dataVersion else { return false }
            dataVersion = version
            cachedSnapshot = nil
            return true
        }
    }

    /// On PostgreSQL, calls `onChange` as soon as any process commits a write transaction to the
    /// store (each one notifies ``PostgresSchema/changeChannel``), for as long as the returned object
    /// lives; then ``refresh()`` has news. Nil on SQLite, where ``refresh()`` is the only way to tell.
    public func listenForChanges(_ onChange: @escaping @Sendable () -> Void) throws -> (any Sendable)? {
        guard let remote = database.remote else { return nil }
        return try remote.connection.listen(channel: PostgresSchema.changeChannel, onChange)
    }

    /// Runs `body` in a write transaction, with the stored frontiers it made stale computed again
    /// before it commits, and drops the cached snapshot once it has. A write that is not `announced`
    /// changes nothing a snapshot holds (budget reservations): on PostgreSQL other processes are not
    /// told of it, so a busy key does not make every other gateway reload its routing state.
    func write<T: Sendable>(announced: Bool = true, _ body: (Database) throws -> T) throws -> T {
        try locked {
            let value = try database.writeTransaction(announced: announced) {
                let value = try body(database)
                try StoredFrontiers.refresh(in: database)
                return value
            }
            // PostgreSQL counts this connection's writes too: this one is not news to it.
            if let remote = database.remote { dataVersion = remote.changeCount }
            cachedSnapshot = nil
            return value
        }
    }

    /// Runs `body` inside one read transaction.
    func read<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        try locked { try database.readTransaction { try body(database) } }
    }

    /// Runs `body` with the connection, again while another process holds the lock it needs (see
    /// ``Database/retryingWhileBusy(_:)``). Damage found in a page read on the way is reported as
    /// this store's, like damage found when it was opened.
    private func locked<T: Sendable>(_ body: () throws -> T) throws -> T {
        try lock.withLock { _ in
            do {
                return try Database.retryingWhileBusy(body)
            } catch let error as DatabaseError where error.isDamage {
                throw StoreOpenError(path: path, reason: .unreadable(error.message))
            } catch var error as DatabaseError {
                error.store = path
                throw error
            }
        }
    }
}
