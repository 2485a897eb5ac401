/// One request that `costwise serve` answered (or could not), as it is kept in the store: what was
/// asked, which model answered, the tokens and cost the upstream reported, and how long each part
/// took. Rows feed `costwise requests`, `report savings`, feedback on a request by its id, and the
/// measured tokens and latency of its model and task type (see ``SQLiteStore/trafficPerPair``).
///
/// Figures the upstream did not report stay nil, never 0: a streamed answer without usage has
/// unknown tokens and an unknown cost, not a free one.
public struct RequestRecord: Sendable, Hashable {
    /// How a request ended.
    public enum Status: String, Sendable, Hashable {
        /// The upstream answered and the whole answer was passed on.
        case ok
        /// Every attempt failed, or the answer broke off after its first byte.
        case failed
        /// No model qualified for the request.
        case noModel = "no_model"
        /// The upstream refused the request as the client sent it (a 4xx other than 429).
        case rejected
    }

    /// One try of one model: a request that falls back has several.
    public struct Attempt: Sendable, Hashable {
        public var model: String
        /// `ok`, or why the model was passed over: `timeout`, `connection`, `http 503`, ….
        public var outcome: String
        public var latencyMs: Double

        public init(model: String, outcome: String, latencyMs: Double) {
            self.model = model
            self.outcome = outcome
            self.latencyMs = latencyMs
        }
    }

    /// The run of the evaluation results that feedback on a request becomes (its item is the
    /// request's id).
    public static let feedbackRun = "gateway"

    /// The id the answer's `x-costwise-request-id` header gave.
    public var id: String
    /// When the request arrived, in seconds since 1970-01-01 UTC.
    public var at: Double
    /// The task type it was routed for; nil for a request that named a model and no task type.
    public var task: String?
    /// The catalog id of the model that answered (or last failed); nil when none was tried.
    public var model: String?
    public var status: Status
    /// The HTTP status the client got.
    public var httpStatus: Int
    public var stream: Bool
    public var attempts: [Attempt]
    /// The quality threshold the selection applied.
    public var threshold: Double?
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// Of the input tokens, those the upstream served from its cache, where it says.
    public var cachedTokens: Int?
    /// Of the output tokens, those spent on reasoning, where the upstream says.
    public var reasoningTokens: Int?
    /// What the selection estimated before the call.
    public var estimatedCostUSD: Double?
    /// What the reported tokens cost at the store's price; nil when the upstream reported no usage.
    public var costUSD: Double?
    /// From sending to the upstream to the answer's last byte, for the attempt that answered.
    public var upstreamLatencyMs: Double?
    /// From sending to the upstream to the answer's first byte.
    public var timeToFirstTokenMs: Double?
    /// The time the gateway itself spent on the request: the whole time less the upstream's.
    public var overheadMs: Double?
    /// The cheapest top-tier model, and what the same request would have cost there.
    public var premiumModel: String?
    public var premiumCostUSD: Double?

    public init(id: String, at: Double, task: String?, model: String?, status: Status, httpStatus: Int, stream: Bool,
                attempts: [Attempt] = [], threshold: Double? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil,
                cachedTokens: Int? = nil, reasoningTokens: Int? = nil, estimatedCostUSD: Double? = nil, costUSD: Double? = nil,
                upstreamLatencyMs: Double? = nil, timeToFirstTokenMs: Double? = nil, overheadMs: Double? = nil,
                premiumModel: String? = nil, premiumCostUSD: Double? = nil) {
        self.id = id
        self.at = at
        self.task = task
        self.model = model
        self.status = status
        self.httpStatus = httpStatus
        self.stream = stream
        self.attempts = attempts
        self.threshold = threshold
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
        self.estimatedCostUSD = estimatedCostUSD
        self.costUSD = costUSD
        self.upstreamLatencyMs = upstreamLatencyMs
        self.timeToFirstTokenMs = timeToFirstTokenMs
        self.overheadMs = overheadMs
        self.premiumModel = premiumModel
        self.premiumCostUSD = premiumCostUSD
    }

    /// `{"id", "at", "task", "model", "status", …}` with unknown figures as null.
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("at", .string(RFC3339.string(fromSeconds: at))),
            ("task", .stringOrNull(task)),
            ("model", .stringOrNull(model)),
            ("status", .string(status.rawValue)),
            ("http_status", .integer(httpStatus)),
            ("stream", .bool(stream)),
            ("attempts", .array(attempts.map { attempt in
                .object([("model", .string(attempt.model)), ("outcome", .string(attempt.outcome)),
                         ("latency_ms", .number(attempt.latencyMs))])
            })),
            ("threshold", .numberOrNull(threshold)),
            ("input_tokens", .integer(inputTokens)),
            ("output_tokens", .integer(outputTokens)),
            ("cached_tokens", .integer(cachedTokens)),
            ("reasoning_tokens", .integer(reasoningTokens)),
            ("estimated_cost_usd", .numberOrNull(estimatedCostUSD)),
            ("cost_usd", .numberOrNull(costUSD)),
            ("upstream_latency_ms", .numberOrNull(upstreamLatencyMs)),
            ("time_to_first_token_ms", .numberOrNull(timeToFirstTokenMs)),
            ("overhead_ms", .numberOrNull(overheadMs)),
            ("premium_model", .stringOrNull(premiumModel)),
            ("premium_cost_usd", .numberOrNull(premiumCostUSD)),
        ])
    }
}
