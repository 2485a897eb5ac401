import Costwise
import NIOCore
import NIOHTTP1
import Synchronization

/// The llm classifier's HTTP transport: its requests go through an ``UpstreamClient``, the same
/// client the gateway forwards with.
///
/// The client is made on the first request, not when the transport is: making it starts NIO's
/// event loop threads, which a command that ends up asking no endpoint (a trained classifier, a
/// workflow whose steps all name their task) should not pay for. Each request has its own time
/// limit, connecting included. Redirects are not followed: an API endpoint that redirects a POST is
/// misconfigured, and the status says so.
///
/// Call ``shutdown()`` when done: it closes the connections and ends the client.
public final class UpstreamHTTPTransport: HTTPTransport {
    /// Answers larger than this are refused: a chat completion naming a task type is tiny.
    public static let maximumResponseBytes = 1 << 20
    /// The longest wait for a connection; each request's own time limit cuts it shorter.
    static let connectTimeoutMs = 10_000

    private enum State {
        case idle
        case running(UpstreamClient)
        case shutDown
    }

    private let state = Mutex(State.idle)

    public init() {}

    public func post(_ url: String, headers: [HTTPHeader], body: [UInt8], timeoutMs: Int) async throws -> HTTPResponse {
        var fields = HTTPHeaders()
        for header in headers { fields.add(name: header.name, value: header.value) }
        do {
            let call = try client().post(url: url, headers: fields, body: ByteBuffer(bytes: body),
                                         deadline: .now() + .milliseconds(Int64(timeoutMs)))
            let head = try await call.head()
            let answer = try await call.collect(upTo: Self.maximumResponseBytes)
            return HTTPResponse(status: head.status, body: Array(answer.readableBytesView))
        } catch let failure as UpstreamFailure {
            switch failure.kind {
            case .timeout: throw HTTPTransportError(.timeout, "timed out after \(timeoutMs) ms")
            case .protocolError: throw HTTPTransportError(.failed, "the answer is larger than \(Self.maximumResponseBytes) bytes")
            case .connection: throw HTTPTransportError(.failed, failure.message)
            }
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw HTTPTransportError(.failed, String(describing: error))
        }
    }

    /// Closes the connections and ends the client; a request after this fails.
    public func shutdown() async throws {
        let client = state.withLock { state -> UpstreamClient? in
            defer { state = .shutDown }
            if case .running(let client) = state { return client }
            return nil
        }
        try await client?.shutdown()
    }

    private func client() throws -> UpstreamClient {
        try state.withLock { state in
            switch state {
            case .running(let client):
                return client
            case .idle:
                let client = UpstreamClient(connectTimeoutMs: Self.connectTimeoutMs, readTimeoutMs: nil)
                state = .running(client)
                return client
            case .shutDown:
                throw HTTPTransportError(.failed, "the HTTP transport was shut down")
            }
        }
    }
}
