import Costwise

/// What the commands need from a networking stack: an HTTP client for the llm classifier, the
/// gateway's server for `serve`, and PostgreSQL's client for a store at a `postgres://` URL.
///
/// Two executables run the same commands. `costwise` links no networking stack, because everything
/// linked slows every cold start (see benchmarks/RESULTS.md, "One command tree, two executables"); its
/// stack is ``NetworkedExecutable``, which hands the whole command line to `costwise-net`. That one
/// links the upstream HTTP client and the gateway, and does the work itself.
public protocol NetworkStack: Sendable {
    /// Runs `body` with an HTTP transport, and closes the transport's connections afterwards.
    func withTransport<Answer>(_ body: (any HTTPTransport) async throws -> Answer) async throws -> Answer

    /// Runs the gateway until SIGTERM or SIGINT.
    func serve(_ request: ServeRequest) async throws

    /// Opens the PostgreSQL store at `url`, creating and seeding it with `seed` if the database holds none.
    func openStore(postgres url: PostgresURL, seed: SQLiteStore.Seed) throws -> SQLiteStore
}

/// What `costwise serve` was asked for.
public struct ServeRequest: Sendable {
    /// The store's path, or its `postgres://` URL.
    public var storePath: String
    /// The gateway's config file, if one was given.
    public var configPath: String?
    public var host: String
    public var port: Int
    /// Writes a line for the operator to standard error.
    public var notice: @Sendable (String) -> Void = { Console.error($0) }
}

/// The stack the running command uses, set by the executable's `main`.
enum Network {
    @TaskLocal static var stack: any NetworkStack = NetworkedExecutable()
}
