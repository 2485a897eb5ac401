/// Where the LLM classifier sends its request: any OpenAI-compatible chat-completions API
/// (OpenRouter, OpenAI, vLLM, Ollama, LiteLLM's proxy, …).
///
/// Configured by the environment: `COSTWISE_LLM_BASE_URL` (e.g. `https://openrouter.ai/api/v1`; the
/// request goes to its `/chat/completions`) and, when the endpoint needs one, `COSTWISE_LLM_API_KEY`
/// (sent as a bearer token).
public struct LLMEndpoint: Sendable, Hashable {
    public var baseURL: String
    public var apiKey: String?
    /// How long a request may take, connection included.
    public var timeoutMs: Int

    public static let defaultTimeoutMs = 10_000

    public init(baseURL: String, apiKey: String? = nil, timeoutMs: Int = defaultTimeoutMs) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeoutMs = timeoutMs
    }

    /// The endpoint `environment` configures; nil when `COSTWISE_LLM_BASE_URL` is unset or empty.
    public static func from(environment: [String: String], timeoutMs: Int = defaultTimeoutMs) -> LLMEndpoint? {
        guard let baseURL = environment["COSTWISE_LLM_BASE_URL"], !baseURL.isEmpty else { return nil }
        let apiKey = environment["COSTWISE_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return LLMEndpoint(baseURL: baseURL, apiKey: apiKey, timeoutMs: timeoutMs)
    }

    /// `{baseURL}/chat/completions`, whether or not the base URL ends with a slash.
    public var chatCompletionsURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions"
    }
}
