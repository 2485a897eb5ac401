import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Costwise store in one SQLite file: the catalog, price history, evaluation results and their
/// statistics, with an in-memory ``Snapshot`` for selections.
///
/// Opening a store that does not exist creates it (readable by its owner only) and, unless told
/// otherwise, seeds it with the bundled catalog. The schema is migrated forward on open; a store
/// written by a newer Costwise is refused.
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

    /// The path of a store held in memory only, gone when the store is: for replays and tests.
    public static let inMemoryPath = ":memory:"

    /// Opens the store at `path`, creating and seeding it with `seed` if the file does not exist.
    public init(path: String, seed: Seed = .bundledCatalog) throws {
        self.path = path
        let isNew = path == Self.inMemoryPath ? true : try Self.createFileIfMissing(path)
        let database: Database
        do {
            database = try Database(path: path, create: false)
            try Self.prepare(database, path: path, seed: isNew ? seed : nil)
        } catch let error as DatabaseError {
            throw StoreOpenError(path: path, reason: .unreadable(error.message))
        }
        self.database = database
        dataVersion = try database.integer("PRAGMA data_version") ?? 0
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

    /// Creates the file (and its folder) with owner-only permissions; returns whether it was new
    /// (an existing empty file counts as new).
    private static func createFileIfMissing(_ path: String) throws -> Bool {
        if exists(at: path) { return false }
        if access(path, F_OK) == 0 { return true }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return false }
            throw StoreOpenError(path: path, reason: .unreadable(String(cString: strerror(errno))))
        }
        close(descriptor)
        return true
    }

    private static func prepare(_ database: Database, path: String, seed: Seed?) throws {
        let applicationID = try database.integer("PRAGMA application_id") ?? 0
        let version = try database.integer("PRAGMA user_version") ?? 0
        let tableCount = try database.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        if applicationID != Int(Schema.applicationID) && (applicationID != 0 || version != 0 || tableCount != 0) {
            throw StoreOpenError(path: path, reason: .notACostwiseStore)
        }
        if version > Schema.version {
            throw StoreOpenError(path: path, reason: .newerSchema(found: version, supported: Schema.version))
        }
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536")
        guard version < Schema.version else { return }
        try database.writeTransaction {
            // Another process may have migrated the store between the check and the lock.
            let current = try database.integer("PRAGMA user_version") ?? 0
            guard current < Schema.version else { return }
            for migration in Schema.migrations[current...] { try database.execute(migration) }
            try database.execute("PRAGMA user_version = \(Schema.version); PRAGMA application_id = \(Schema.applicationID)")
            if current == 0, case .bundledCatalog = seed {
                try BundledCatalog.seed(database)
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

    /// A snapshot that holds the candidates of one task type only: what a one-off selection needs,
    /// loaded without reading the rest of a large store. Selecting another task type from it fails
    /// as an unknown task type.
    public func snapshot(onlyTask task: String) throws -> Snapshot {
        try locked {
            if let cachedSnapshot { return cachedSnapshot }
            return try SnapshotLoader.load(from: database, onlyTask: task)
        }
    }

    /// Picks up writes made by other connections since the last snapshot. Returns whether there were any.
    @discardableResult
    public func refresh() throws -> Bool {
        try locked {
            let version = try database.integer("PRAGMA data_version") ?? 0
            guard version != dataVersion else { return false }
            dataVersion = version
            cachedSnapshot = nil
            return true
        }
    }

    /// Runs `body` in a write transaction and drops the cached snapshot once it commits.
    func write<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        try locked {
            let value = try database.writeTransaction { try body(database) }
            cachedSnapshot = nil
            return value
        }
    }

    /// Runs `body` inside one read transaction.
    func read<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        try locked { try database.readTransaction { try body(database) } }
    }

    private func locked<T: Sendable>(_ body: () throws -> T) throws -> T {
        try lock.withLock { _ in try body() }
    }
}
