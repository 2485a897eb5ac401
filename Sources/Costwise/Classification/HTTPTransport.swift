/// Sends one HTTP POST and waits for the whole answer: all the LLM classifier needs of HTTP.
///
/// `CostwiseUpstream`'s `UpstreamHTTPTransport` is the real one, kept out of this library so that
/// it links no networking stack; tests stand in their own to check what is sent without a server.
public protocol HTTPTransport: Sendable {
    /// POSTs `body` to `url` with `headers`, giving up after `timeoutMs`, connection included.
    ///
    /// - Throws: ``HTTPTransportError`` when no answer came: the time ran out, or the connection failed.
    func post(_ url: String, headers: [HTTPHeader], body: [UInt8], timeoutMs: Int) async throws -> HTTPResponse
}

/// One request header.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
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
        /// Anything else: no such host, connection refused, TLS failure, an answer too large.
        case failed
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
