import Costwise
import CostwiseGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// A gateway over a small store of its own, with every provider served by a ``StubUpstream``:
/// `acme/cheap` (quality 0.9, at most 1,000 output tokens), `acme/better` (0.95, tools) and the
/// top-tier `acme/premium` (1.0, tools, vision and JSON schemas), each measured on `summarization`
/// (default threshold 0.8). The `keys` given are made before the gateway starts; ``tokens`` holds
/// their tokens by name.
struct GatewayFixture {
    let folder: URL
    let store: SQLiteStore
    let gateway: Gateway
    let tokens: [String: String]

    static let task = "summarization"

    /// `prepare` changes the store before the gateway reads it; `emptyStore`, when given, is the
    /// store to fill and serve instead of a new SQLite file.
    init(upstreamPort: Int, fallbacks: Int = 2, readTimeoutMs: Int = 5_000, configText: String? = nil, keys: [KeySpec] = [],
         followInterval: Duration = .milliseconds(50), emptyStore: SQLiteStore? = nil,
         prepare: (SQLiteStore) throws -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("costwise-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try emptyStore ?? SQLiteStore(path: folder.appendingPathComponent("store.sqlite").path, seed: .empty)
        try store.setModel(ModelUpdate(id: "acme/cheap", inputUSDPerMTok: 0.1, outputUSDPerMTok: 0.2, tier: 1, maxOutputTokens: 1_000),
                           source: "test")
        try store.setModel(ModelUpdate(id: "acme/better", inputUSDPerMTok: 1, outputUSDPerMTok: 2, tier: 2, capabilities: [.tools]),
                           source: "test")
        try store.setModel(ModelUpdate(id: "acme/premium", inputUSDPerMTok: 10, outputUSDPerMTok: 20, tier: 3,
                                       capabilities: [.tools, .vision, .jsonSchema]), source: "test")
        try store.setTaskType(TaskTypeUpdate(name: Self.task, tier: 1, inputTokens: 1_000, outputTokens: 500, minQuality: 0.8))
        try Self.results(store, "acme/cheap", passes: 9, of: 10)
        try Self.results(store, "acme/better", passes: 19, of: 20)
        try Self.results(store, "acme/premium", passes: 20, of: 20)
        var tokens: [String: String] = [:]
        for spec in keys {
            let token = KeyToken.generate()
            try store.createKey(spec, token: token, at: Date().timeIntervalSince1970)
            tokens[spec.name] = token.text
        }
        self.tokens = tokens
        try prepare(store)
        let text = configText ?? """
            providers:
              "*":
                base_url: http://127.0.0.1:\(upstreamPort)/v1
                model_ids: full
                timeouts:
                  read_ms: \(readTimeoutMs)
            fallbacks: \(fallbacks)
            """
        config = try GatewayConfig.parse(Array(text.utf8), file: "gateway.yaml", environment: [:])
        gateway = try Self.gateway(config: config, store: store, followInterval: followInterval)
    }

    let config: GatewayConfig

    /// A gateway with the fixture's settings over `store`: a second instance, on a store of its own
    /// connection, serves the same store as another process would.
    static func gateway(config: GatewayConfig, store: SQLiteStore, followInterval: Duration = .milliseconds(50)) throws -> Gateway {
        var logger = Logger(label: "gateway-test")
        logger.logLevel = .warning
        return try Gateway(config: config, store: store, logger: logger, followInterval: followInterval, recordInterval: .milliseconds(20))
    }

    /// Runs `body` against `gateway` with its services running, in process.
    static func test(_ gateway: Gateway, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: gateway.router(), server: gateway.server,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: gateway.services)
        try await app.test(.router, body)
    }

    static func results(_ store: SQLiteStore, _ model: String, passes: Int, of count: Int) throws {
        try store.recordResults((0..<count).map { EvaluationResult(model: model, task: task, score: $0 < passes ? 1 : 0) },
                                lines: nil, file: nil)
    }

    /// Runs `body` against the gateway with its services running, in process (`.router`) or over
    /// connections to a port of 127.0.0.1 (`.live`); removes the store after.
    func test(_ setup: TestingSetup = .router, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = Application(router: gateway.router(), server: gateway.server,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: gateway.services)
        try await app.test(setup, body)
    }
}

/// A chat-completions body for `model`, with `extra` JSON members appended.
func chatBody(model: String, stream: Bool = false, extra: String = "") -> ByteBuffer {
    ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"Summarize this text in one line."}]"#
        + (stream ? #","stream":true"# : "") + extra + "}")
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// JSON headers with `Authorization: Bearer token`.
func headers(bearer token: String?) -> HTTPFields {
    var headers = jsonHeaders
    if let token { headers[.authorization] = "Bearer " + token }
    return headers
}

extension TestResponse {
    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}
