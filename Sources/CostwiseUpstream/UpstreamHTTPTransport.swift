import AsyncHTTPClient
import Costwise
import NIOCore
import Synchronization

/// Costwise's HTTP client for upstream model endpoints (OpenAI-compatible chat completions), over
/// AsyncHTTPClient on NIO's process-wide event loops. The llm classifier sends its requests through it.
///
/// The `HTTPClient` is made on the first request, not when the transport is: making it starts NIO's
/// event loop threads, which a command that ends up asking no endpoint (a trained classifier, a
/// workflow whose steps all name their task) should not pay for. Each request has its own time
/// limit, connecting included. Redirects are not followed: an API endpoint that redirects a POST is
/// misconfigured, and the status says so.
///
/// Call ``shutdown()`` when done: it closes the connections and ends the client.
public final class UpstreamHTTPTransport: HTTPTransport {
    /// Answers larger than this are refused: a chat completion naming a task type is tiny.
    public static let maximumResponseBytes = 1 << 20

    private enum State {
        case idle
        case running(HTTPClient)
        case shutDown
    }

    private let state = Mutex(State.idle)

    public init() {}

    public func post(_ url: String, headers: [HTTPHeader], body: [UInt8], timeoutMs: Int) async throws -> HTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client().execute(request, timeout: .milliseconds(Int64(timeoutMs)))
            let answer = try await response.body.collect(upTo: Self.maximumResponseBytes)
            return HTTPResponse(status: Int(response.status.code), body: Array(answer.readableBytesView))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw HTTPTransportError(.timeout, "timed out after \(timeoutMs) ms")
        } catch is NIOTooManyBytesError {
            throw HTTPTransportError(.failed, "the answer is larger than \(Self.maximumResponseBytes) bytes")
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw HTTPTransportError(.failed, String(describing: error))
        }
    }

    /// Closes the connections and ends the client; a request after this fails.
    public func shutdown() async throws {
        let client = state.withLock { state -> HTTPClient? in
            defer { state = .shutDown }
            if case .running(let client) = state { return client }
            return nil
        }
        try await client?.shutdown()
    }

    private func client() throws -> HTTPClient {
        try state.withLock { state in
            switch state {
            case .running(let client):
                return client
            case .idle:
                var configuration = HTTPClient.Configuration()
                configuration.redirectConfiguration = .disallow
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                state = .running(client)
                return client
            case .shutDown:
                throw HTTPTransportError(.failed, "the HTTP transport was shut down")
            }
        }
    }
}
