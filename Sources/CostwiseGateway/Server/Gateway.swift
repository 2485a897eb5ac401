import Costwise
import CostwiseUpstream
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// `costwise serve`: an OpenAI-compatible endpoint that routes every chat completion to the cheapest
/// model whose measured quality for the request's task type clears its threshold, forwards it to
/// that model's upstream, and records what happened.
///
/// ```swift
/// let gateway = try Gateway(config: config, store: SQLiteStore(path: "costwise.sqlite"), logger: logger)
/// let app = gateway.application(host: "127.0.0.1", port: 8080)
/// try await app.runService()   // SIGTERM and SIGINT drain it
/// ```
///
/// The request path reads the in-memory ``RoutingState`` and hands its record to a batch writer:
/// it never waits for the database. Services run beside the server: the ``StoreFollower`` (the
/// snapshot follows the store), the ``RequestRecorder`` (records written in batches, the last on
/// shutdown), the ``BudgetLedger`` (reservations of requests in flight kept alive), the
/// ``ReviewKeeper`` (the dashboard's review) and the upstream clients' shutdown, after the server
/// has drained.
public final class Gateway: Sendable {
    public let config: GatewayConfig
    let store: SQLiteStore
    let follower: StoreFollower
    let recorder: RequestRecorder
    /// Budget reservations and rate limits of requests made with a key.
    let ledger: BudgetLedger
    let metrics: GatewayMetrics
    /// The review the dashboard shows, made again every minute.
    let reviews: ReviewKeeper
    /// One client per configured provider key (including `"*"`).
    let clients: [String: UpstreamClient]
    /// The open client connections, so that a request whose client leaves ends its upstream call.
    let connections = ClientConnections()
    let logger: Logger

    public init(config: GatewayConfig, store: SQLiteStore, logger: Logger = Logger(label: "costwise.gateway"), followInterval: Duration = .milliseconds(250),
                recordInterval: Duration = .milliseconds(100)) throws {
        self.config = config
        self.store = store
        self.logger = logger
        metrics = GatewayMetrics()
        let follower = try StoreFollower(store: store, interval: followInterval, logger: logger)
        self.follower = follower
        recorder = RequestRecorder(store: store, interval: recordInterval, metrics: metrics, logger: logger) {
            follower.statisticsChanged()
        }
        reviews = ReviewKeeper(store: store, logger: logger)
        ledger = BudgetLedger(store: store, reservationLifetime: Double(config.reservationLifetimeSeconds), metrics: metrics,
                              logger: logger)
        var clients: [String: UpstreamClient] = [:]
        for (name, upstream) in config.providers {
            clients[name] = UpstreamClient(connectTimeoutMs: upstream.connectTimeoutMs, readTimeoutMs: upstream.readTimeoutMs)
        }
        self.clients = clients
    }

    /// The routes: the dashboard, chat completions, selection, feedback, models, metrics, keys and
    /// health; once the store holds a key, each but `/health` needs one (see ``KeyAuthMiddleware``).
    public func router() -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: KeyAuthMiddleware { self.follower.current.keys })
        router.get("/") { _, context in await self.dashboard(context: context) }
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
        }
        router.post("/v1/chat/completions") { request, context in await self.chatCompletions(request, context: context) }
        router.post("/v1/select") { request, _ in await self.select(request) }
        router.post("/v1/feedback") { request, _ in await self.feedback(request) }
        router.get("/v1/models") { _, _ in self.models() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
        }
        router.get("/v1/keys") { _, _ in await self.listKeys() }
        router.post("/v1/keys") { request, _ in await self.createKey(request) }
        router.delete("/v1/keys/:name") { _, context in await self.revokeKey(named: context.parameters.get("name") ?? "") }
        return router
    }

    /// The services that run beside the server, in start order; they stop in reverse, after it.
    public var services: [any Service] {
        [UpstreamClientsService(clients: Array(clients.values)), follower, recorder, ledger, reviews]
    }

    /// The server on `host`:`port` with its services.
    public func application(host: String, port: Int,
                            onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(), server: server, configuration: .init(address: .hostname(host, port: port), serverName: "costwise"),
                    services: services, onServerRunning: onServerRunning, logger: logger)
    }

    /// HTTP/1.1, with each connection watched for its client leaving.
    public var server: HTTPServerBuilder {
        let connections = connections
        return .http1(configuration: .init(additionalChannelHandlers: [connections.handler(), StreamHeadCoalescer()]))
    }

    /// Serves on `host`:`port` until SIGTERM or SIGINT, then finishes the requests in flight, writes
    /// their records and returns. `onListening` gets the address once the server accepts connections
    /// (with the port the system chose, for port 0).
    public func serve(host: String, port: Int, onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let app = application(host: host, port: port) { channel in
            let boundPort = channel.localAddress?.port ?? port
            onListening("\(host):\(boundPort)")
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Makes NIO's event loops Swift's executor for tasks too (see ``EventLoopExecutor``). Call it
    /// once, from the main thread, before any task starts, in a process that runs the gateway; false
    /// when it could not be done.
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        EventLoopExecutor.install()
    }

    /// Writes the queued request records now (tests and shutdown; the recorder does it on its own).
    public func flushRecords() async {
        await recorder.flush()
    }
}

/// Closes the upstream clients' connections when the gateway stops.
struct UpstreamClientsService: Service {
    let clients: [UpstreamClient]

    func run() async throws {
        try? await gracefulShutdown()
        for client in clients { try? await client.shutdown() }
    }
}
