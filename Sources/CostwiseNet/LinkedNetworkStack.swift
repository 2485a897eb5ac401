import Costwise
import CostwiseCommands
import CostwiseGateway
import CostwisePostgres
import CostwiseUpstream
import FoundationEssentials

/// The network stack linked into `costwise-net`: the upstream HTTP client for the llm classifier, the
/// gateway for `serve`, and postgres-nio for PostgreSQL stores.
struct LinkedNetworkStack: NetworkStack {
    /// Makes NIO's event loops the executor of every task in this process (see
    /// ``Gateway/runTasksOnEventLoops()``). That has to happen on the main thread before any task
    /// starts, so here, where `main` makes the stack, and not in ``serve(_:)``, which already runs in
    /// a task: `costwise` hands over only the commands that wait on the network, and the llm
    /// classifier's calls go through the same upstream client as the gateway's. Loggers made from here
    /// on write through ``GatewayLogHandler``.
    init() {
        Gateway.runTasksOnEventLoops()
        GatewayLogHandler.bootstrap()
    }

    func withTransport<Answer>(_ body: (any HTTPTransport) async throws -> Answer) async throws -> Answer {
        let transport = UpstreamHTTPTransport()
        let result: Result<Answer, any Error>
        do {
            result = .success(try await body(transport))
        } catch {
            result = .failure(error)
        }
        try await transport.shutdown()
        return try result.get()
    }

    func serve(_ request: ServeRequest) async throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try request.configPath.map { try GatewayConfig.load(path: $0, environment: environment) } ?? GatewayConfig()
        if config.providers.isEmpty {
            request.notice("no upstream configured: chat completions will fail until --config names providers (selection, feedback and models work)")
        }
        let store = PostgresURL.isPostgres(request.storePath)
            ? try openStore(postgres: try PostgresURL(request.storePath), seed: .bundledCatalog)
            : try SQLiteStore(path: request.storePath)
        let gateway = try Gateway(config: config, store: store)
        try await gateway.serve(host: request.host, port: request.port) { address in
            request.notice("gateway listening on http://\(address)")
        }
    }

    func openStore(postgres url: PostgresURL, seed: SQLiteStore.Seed) throws -> SQLiteStore {
        try SQLiteStore(remote: try PostgresSQLConnection(url: url), seed: seed)
    }
}
