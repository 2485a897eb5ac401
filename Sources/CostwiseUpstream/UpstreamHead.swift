/// The head of an upstream's answer: its status and what its body is.
public struct UpstreamHead: Sendable {
    public var status: Int
    public var contentType: String?

    /// Whether a request that got this answer may go to another model instead: rate limited, or the
    /// upstream failed. Other statuses say something about the request itself.
    public var isRetryable: Bool { status == 429 || status >= 500 }
}
