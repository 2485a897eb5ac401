import AsyncHTTPClient

/// Why an upstream gave no (whole) answer.
public struct UpstreamFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// No connection, or it closed before the answer was whole.
        case connection
        /// The upstream was silent for longer than the read timeout, or did not connect in time.
        case timeout
        /// The answer was not what the protocol allows, or larger than the caller takes.
        case protocolError = "protocol"
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ error: HTTPClientError) {
        switch error {
        case .readTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout, .socksHandshakeTimeout,
             .tlsHandshakeTimeout:
            self.init(kind: .timeout, message: "timed out (\(error))")
        case .remoteConnectionClosed:
            self.init(kind: .connection, message: "the upstream closed the connection")
        default:
            self.init(kind: .connection, message: String(describing: error))
        }
    }

    public var description: String { message }
}
