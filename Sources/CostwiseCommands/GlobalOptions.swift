import ArgumentParser
import Costwise
import FoundationEssentials

/// The options every command takes, anywhere after its name: the store and the output format.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $COSTWISE_DB, else $XDG_DATA_HOME/costwise/costwise.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    var storePath: String {
        db ?? SQLiteStore.defaultPath(environment: ProcessInfo.processInfo.environment)
    }

    /// The store as messages name it: its path, or its URL without the password.
    var storeName: String {
        PostgresURL.isPostgres(storePath) ? ((try? PostgresURL(storePath))?.description ?? "postgres://…") : storePath
    }

    /// Opens the store, creating and seeding it with `seed` if it does not exist: a file, or a
    /// PostgreSQL database, which the networking stack's client reaches.
    func openStore(seed: SQLiteStore.Seed = .bundledCatalog) throws -> SQLiteStore {
        try StoreLocation.open(storePath, seed: seed)
    }
}

/// Where a store is, as `--db` names it: a file, or a PostgreSQL URL.
enum StoreLocation {
    /// Opens the store at `location`, creating it with `seed` if there is none: a file here, a
    /// PostgreSQL database through the networking stack (`costwise` hands the command over to
    /// `costwise-net`, which links PostgreSQL's client).
    static func open(_ location: String, seed: SQLiteStore.Seed) throws -> SQLiteStore {
        if PostgresURL.isPostgres(location) {
            return try Network.stack.openStore(postgres: try PostgresURL(location), seed: seed)
        }
        return try SQLiteStore(path: location, seed: seed)
    }
}
