import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends chat-completion requests to one OpenAI-compatible upstream and hands back its answer as it
/// arrives, so that a stream can be passed on chunk by chunk.
///
/// One client per upstream: connections are pooled per client and kept alive, and the client's
/// timeouts are the upstream's (connect, and the longest silence while reading). Call
/// ``shutdown()`` before dropping it.
///
/// ```swift
/// let client = UpstreamClient(connectTimeoutMs: 5_000, readTimeoutMs: 60_000)
/// let answer = try await client.send(url: "http://127.0.0.1:8000/v1/chat/completions", apiKey: nil, body: body)
/// for try await chunk in answer.body { … }
/// ```
public final class UpstreamClient: Sendable {
    private let client: HTTPClient
    /// The longest wait for the answer's head, in ms: a stalled upstream fails over in this time.
    public let readTimeoutMs: Int

    public init(connectTimeoutMs: Int, readTimeoutMs: Int) {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .milliseconds(Int64(connectTimeoutMs)), read: .milliseconds(Int64(readTimeoutMs))))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        // A gateway passes on what it is given: an upstream redirect is the upstream's fault, not a place to send keys.
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.readTimeoutMs = readTimeoutMs
    }

    /// POSTs `body` (JSON) to `url` and returns once the answer's head has arrived.
    ///
    /// - Throws: ``UpstreamFailure`` when no head arrives: the connection failed, or the upstream was
    ///   silent for longer than the read timeout. A head with any status is an answer, not a failure.
    public func send(url: String, apiKey: String?, body: ByteBuffer, accept: String = "application/json") async throws -> UpstreamAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: accept)
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer " + apiKey) }
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(readTimeoutMs)))
            return UpstreamAnswer(status: Int(response.status.code),
                                  contentType: response.headers.first(name: "content-type"),
                                  body: UpstreamBody(response.body))
        } catch let error as HTTPClientError {
            throw UpstreamFailure(error)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw UpstreamFailure(kind: .connection, message: String(describing: error))
        }
    }

    /// Closes the pooled connections; the client cannot send after this.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}

/// The head of an upstream's answer and its body, read as it arrives.
public struct UpstreamAnswer: Sendable {
    public var status: Int
    public var contentType: String?
    public var body: UpstreamBody

    /// Whether a request that got this answer may go to another model instead: rate limited, or the
    /// upstream failed. Other statuses say something about the request itself.
    public var isRetryable: Bool { status == 429 || status >= 500 }
}

/// An upstream answer's body: its bytes, chunk by chunk as they arrive. Dropping the iterator before
/// the end cancels the request upstream.
public struct UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    private let body: HTTPClientResponse.Body

    init(_ body: HTTPClientResponse.Body) { self.body = body }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? {
            do {
                return try await base.next()
            } catch let error as HTTPClientError {
                throw UpstreamFailure(error)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // A connection that closes inside a chunked body ends with a parser error.
                throw UpstreamFailure(kind: .connection, message: "the answer broke off: \(error)")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: body.makeAsyncIterator()) }

    /// The whole body, up to `limit` bytes.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in self {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw UpstreamFailure(kind: .protocolError, message: "the upstream's answer is larger than \(limit) bytes")
            }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected
    }
}

/// Why an upstream gave no (whole) answer.
public struct UpstreamFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// No connection, or it closed before the answer was whole.
        case connection
        /// The upstream was silent for longer than the read timeout, or did not connect in time.
        case timeout
        /// The answer was not what the protocol allows.
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
