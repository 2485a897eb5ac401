/// Sends one HTTP POST and waits for the whole answer: all the LLM classifier needs of HTTP.
///
/// ``CurlTransport`` is the real one; tests stand in their own to check what is sent without a server.
public protocol HTTPTransport: Sendable {
    /// POSTs `body` to `url` with `headers` (`"Name: value"`), giving up after `timeoutMs`.
    ///
    /// - Throws: ``HTTPTransportError`` when no answer came: the time ran out, or the connection failed.
    func post(_ url: String, headers: [String], body: [UInt8], timeoutMs: Int) throws -> HTTPResponse
}

/// An HTTP answer of any status.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// A request that got no HTTP answer.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No complete answer within the time allowed.
        case timeout
        /// Anything else: no such host, connection refused, TLS failure, libcurl missing.
        case failed
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
