import ArgumentParser
import Costwise
import CostwiseGateway
import Dispatch
import FoundationEssentials
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the OpenAI-compatible gateway: every chat completion goes to the cheapest model that qualifies.",
        discussion: """
            POST /v1/chat/completions with model costwise/TASK, costwise/auto (the store's classifier reads the \
            last user message) or a catalog id; the answer is the upstream's, with model set to the catalog id, \
            usage.cost_usd, and x-costwise-* headers. Also POST /v1/select, POST /v1/feedback, GET /v1/models, \
            GET /metrics, GET /health, and GET / (the dashboard, shown to this machine only while no API key \
            exists). The config file names each provider's upstream (see the README, "Run the gateway"). SIGTERM \
            or SIGINT finishes the requests in flight and writes their records.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The gateway's config file (YAML): providers, fallbacks, default_min_quality.", valueName: "file"))
    var config: String?

    @Option(help: "The address to listen on; only this machine can connect unless told otherwise.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one (printed at start).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let gatewayConfig = try config.map { try GatewayConfig.load(path: $0, environment: environment) } ?? GatewayConfig()
        if gatewayConfig.providers.isEmpty {
            Console.error("no upstream configured: chat completions will fail until --config names providers (selection, feedback and models work)")
        }
        let gateway = try Gateway(config: gatewayConfig, store: global.openStore())
        let host = host
        let port = port
        try Self.blocking {
            try await gateway.serve(host: host, port: port) { address in
                Console.error("gateway listening on http://\(address)")
            }
        }
    }

    /// Runs `body` to its end on the concurrency runtime's threads while this thread waits: the
    /// other commands stay synchronous and start without the runtime.
    private static func blocking(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Void, any Error>>(.success(()))
        Task {
            do {
                try await body()
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }.get()
    }
}
