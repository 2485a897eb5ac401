import Costwise
import CostwiseUpstream

/// The OpenAI-compatible endpoint that serves one provider's models, and how their ids are sent.
public struct ProviderUpstream: Sendable {
    /// How a catalog id such as `openai/gpt-4o-mini` is sent upstream.
    public enum ModelIDs: String, Sendable {
        /// Without the provider: `gpt-4o-mini`. What a provider's own API expects.
        case bare
        /// The whole catalog id: what an aggregator such as OpenRouter expects.
        case full
    }

    /// The provider's name in the catalog, or `"*"`.
    public var name: String
    /// The API's base URL without a trailing slash, e.g. `https://api.openai.com/v1`.
    public let baseURL: String
    /// The name of the environment variable the key was read from, for messages; never the key.
    public var apiKeyVariable: String?
    /// The key sent as `Authorization: Bearer …`; never logged, printed or echoed.
    public var apiKey: String?
    public var modelIDs: ModelIDs
    /// The longest wait for a connection.
    public var connectTimeoutMs: Int
    /// The longest wait for the answer's first byte, and between bytes after it.
    public var readTimeoutMs: Int

    public static let defaultConnectTimeoutMs = 5_000
    public static let defaultReadTimeoutMs = 120_000

    public init(name: String, baseURL: String, apiKeyVariable: String? = nil, apiKey: String? = nil, modelIDs: ModelIDs = .bare,
                connectTimeoutMs: Int = Self.defaultConnectTimeoutMs, readTimeoutMs: Int = Self.defaultReadTimeoutMs) {
        self.name = name
        self.baseURL = Self.trimmingSlashes(baseURL)
        chatCompletionsURL = Self.chatCompletionsURL(base: baseURL)
        chatCompletions = UpstreamURL(chatCompletionsURL)
        self.apiKeyVariable = apiKeyVariable
        self.apiKey = apiKey
        self.modelIDs = modelIDs
        self.connectTimeoutMs = connectTimeoutMs
        self.readTimeoutMs = readTimeoutMs
    }

    /// The id this upstream knows the catalog model `id` by.
    public func upstreamModelID(for id: String) -> String {
        switch modelIDs {
        case .full: return id
        case .bare:
            guard let slash = id.utf8.firstIndex(of: UInt8(ascii: "/")) else { return id }
            return String(id[id.utf8.index(after: slash)...])
        }
    }

    /// The chat-completions URL of this upstream.
    public let chatCompletionsURL: String
    /// The same, read once for every request sent there; nil when it is no http or https URL.
    let chatCompletions: UpstreamURL?

    init(name: String, node: YAMLNode, reader: ConfigReader, environment: [String: String]) throws {
        let field = "providers.\(name)"
        var baseURL: String?
        var apiKeyVariable: String?
        var apiKey: String?
        var modelIDs = ModelIDs.bare
        var connect = Self.defaultConnectTimeoutMs
        var read = Self.defaultReadTimeoutMs
        for (key, value) in try reader.mapping(node, field: field) {
            let path = "\(field).\(key)"
            switch key {
            case "base_url":
                let url = try reader.string(value, field: path)
                guard UpstreamURL(Self.chatCompletionsURL(base: url)) != nil else {
                    throw InputError(file: reader.file, line: value.line, field: path,
                                     "expected an http:// or https:// URL with a host (and a port from 1 to 65535, if any)")
                }
                baseURL = url
            case "api_key_env":
                let variable = try reader.string(value, field: path)
                guard let key = environment[variable], !key.isEmpty else {
                    throw InputError(file: reader.file, line: value.line, field: path,
                                     "the environment variable \(variable) is not set; set it to the provider's API key")
                }
                apiKeyVariable = variable
                apiKey = key
            case "api_key":
                throw InputError(file: reader.file, line: value.line, field: path,
                                 "keys do not belong in the configuration; name an environment variable with api_key_env")
            case "model_ids":
                guard let text = value.scalar, let ids = ModelIDs(rawValue: text) else {
                    throw InputError(file: reader.file, line: value.line, field: path, "expected bare or full")
                }
                modelIDs = ids
            case "timeouts":
                for (timeout, amount) in try reader.mapping(value, field: path) {
                    switch timeout {
                    case "connect_ms": connect = try reader.integer(amount, field: "\(path).\(timeout)", in: 1...3_600_000)
                    case "read_ms": read = try reader.integer(amount, field: "\(path).\(timeout)", in: 1...3_600_000)
                    default:
                        throw InputError(file: reader.file, line: amount.line, field: "\(path).\(timeout)",
                                         "unknown timeout; the timeouts are connect_ms and read_ms")
                    }
                }
            default:
                throw InputError(file: reader.file, line: value.line, field: path,
                                 "unknown setting; a provider has base_url, api_key_env, model_ids and timeouts")
            }
        }
        guard let baseURL else {
            throw InputError(file: reader.file, line: node.line, field: "\(field).base_url", "every provider needs a base_url")
        }
        self.init(name: name, baseURL: baseURL, apiKeyVariable: apiKeyVariable, apiKey: apiKey, modelIDs: modelIDs,
                  connectTimeoutMs: connect, readTimeoutMs: read)
    }

    /// The chat-completions URL under the base URL `base`: what the config reader checks is what
    /// each request is sent to.
    private static func chatCompletionsURL(base: String) -> String {
        trimmingSlashes(base) + "/chat/completions"
    }

    private static func trimmingSlashes(_ url: String) -> String {
        var url = Substring(url)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
