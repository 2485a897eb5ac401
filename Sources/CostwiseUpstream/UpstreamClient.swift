import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// Costwise's HTTP client for OpenAI-compatible upstreams: it POSTs a JSON body and hands back the
/// answer as it arrives (see ``UpstreamCall``), so that a stream can be passed on chunk by chunk.
/// The gateway sends every upstream request through it, and the llm classifier's
/// ``UpstreamHTTPTransport`` is built on it.
///
/// One client per upstream: connections are pooled per client and kept alive, and the client's
/// timeouts are the upstream's (connect, and the longest silence while reading). A request can name
/// an event loop: the gateway passes the loop its client's request came in on, so that the answer's
/// callbacks and the handler that awaits them share one thread, and a pooled connection on that loop
/// is preferred. It is not required: requiring it made the pool keep opening connections, and cost
/// 40% of the requests/s at 8 connections (see benchmarks/RESULTS.md). Call ``shutdown()`` before
/// dropping it.
///
/// ```swift
/// let client = UpstreamClient(connectTimeoutMs: 5_000, readTimeoutMs: 60_000)
/// let call = try client.post(url: "http://127.0.0.1:8000/v1/chat/completions", headers: [("content-type", "application/json")], body: body)
/// let head = try await call.head()
/// let answer = try await call.collect(upTo: 1 << 20)
/// ```
public final class UpstreamClient: Sendable {
    private let client: HTTPClient

    /// - Parameters:
    ///   - connectTimeoutMs: the longest wait for a connection.
    ///   - readTimeoutMs: the longest silence while waiting for the answer or between its parts;
    ///     nil for none (the caller gives each call a deadline instead).
    public init(connectTimeoutMs: Int, readTimeoutMs: Int?) {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .milliseconds(Int64(connectTimeoutMs)), read: readTimeoutMs.map { .milliseconds(Int64($0)) }))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        // A gateway passes on what it is given: an upstream redirect is the upstream's fault, not a place to send keys.
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Starts POSTing `body` to `url` and returns the call at once; its head and body arrive later.
    ///
    /// - Parameters:
    ///   - eventLoop: the loop the answer's callbacks run on, and whose pooled connections are
    ///     tried first. A loop of another group than NIO's shared one (a test's) is ignored.
    ///   - deadline: when the whole call must have ended; nil for none, so that only the timeouts
    ///     cut a long stream short.
    /// - Throws: ``UpstreamFailure`` when `url` is not one.
    public func post(url: String, headers: HTTPHeaders, body: ByteBuffer, on eventLoop: (any EventLoop)? = nil,
                     deadline: NIODeadline? = nil) throws -> UpstreamCall {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .byteBuffer(body))
        } catch {
            throw UpstreamFailure(kind: .connection, message: "cannot send to '\(url)': \(error)")
        }
        let call = UpstreamCall()
        let preference: HTTPClient.EventLoopPreference
        if let eventLoop, MultiThreadedEventLoopGroup.singleton.makeIterator().contains(where: { $0 === eventLoop }) {
            preference = .delegate(on: eventLoop)
        } else {
            preference = .indifferent
        }
        call.attach(client.execute(request: request, delegate: call, eventLoop: preference, deadline: deadline))
        return call
    }

    /// A chat-completions POST: `body` as JSON to `url`, with the key as a bearer token.
    public func postChat(url: String, apiKey: String?, body: ByteBuffer, accept: String = "application/json",
                         on eventLoop: (any EventLoop)? = nil) throws -> UpstreamCall {
        var headers = HTTPHeaders()
        headers.reserveCapacity(3)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "accept", value: accept)
        if let apiKey { headers.add(name: "authorization", value: "Bearer " + apiKey) }
        return try post(url: url, headers: headers, body: body, on: eventLoop)
    }

    /// Closes the pooled connections; the client cannot send after this.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
