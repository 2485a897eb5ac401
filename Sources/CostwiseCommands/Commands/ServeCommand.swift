import ArgumentParser
import Costwise

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the OpenAI-compatible gateway: every chat completion goes to the cheapest model that qualifies.",
        discussion: """
            POST /v1/chat/completions with model costwise/TASK, costwise/auto (the store's classifier reads the \
            last user message) or a catalog id; the answer is the upstream's, with model set to the catalog id, \
            usage.cost_usd, and x-costwise-* headers. Also POST /v1/select, POST /v1/feedback, GET /v1/models, \
            GET /metrics, GET /health and GET / (the dashboard). The config file names each provider's upstream (see the README, \
            "Run the gateway"). Once the store holds a key (`costwise keys create`), every endpoint but /health \
            needs Authorization: Bearer TOKEN, and each key's budget and rate limits hold (README, "Keys and budgets"). \
            SIGTERM or SIGINT finishes the requests in flight and writes their records.
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

    func run() async throws {
        try await Network.stack.serve(ServeRequest(storePath: global.storePath, configPath: config, host: host, port: port))
    }
}
