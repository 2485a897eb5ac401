import NIOCore

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

    /// A connection to `endpoint` that could not be made.
    static func connecting(to endpoint: UpstreamEndpoint, _ error: any Error, timeoutMs: Int64) -> UpstreamFailure {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return UpstreamFailure(kind: .timeout, message: "timed out connecting to \(endpoint.hostHeader) (\(timeoutMs) ms)")
        }
        return UpstreamFailure(kind: .connection, message: "cannot connect to \(endpoint.hostHeader): \(error)")
    }

    public var description: String { message }
}
