import NIOCore
import NIOHTTP1
import NIOPosix

/// Costwise's HTTP/1.1 client for OpenAI-compatible upstreams, over http or https (certificates
/// checked against the system's trust roots): it POSTs a JSON body and hands back the answer as it
/// arrives (see ``UpstreamCall``), so that a stream can be passed on chunk by chunk. The gateway
/// sends every upstream request through it, and the llm classifier's ``UpstreamHTTPTransport`` is
/// built on it.
///
/// Each event loop of NIO's shared group has its own pool of keep-alive connections. A request
/// names the loop it is handled on (the gateway passes its client connection's) and is sent on a
/// connection of that loop, so the request, its answer and the handler awaiting it stay on one
/// thread: handing each request between threads, and the general-purpose client's bookkeeping, were
/// most of the gateway's cost (see benchmarks/RESULTS.md). A pooled connection the upstream closed
/// while idle is noticed, or its request sent again on a fresh connection. Redirects are not
/// followed: a gateway passes on what it is given, and an upstream redirect is no place to send
/// keys. Call ``shutdown()`` before dropping it.
///
/// ```swift
/// let client = UpstreamClient(connectTimeoutMs: 5_000, readTimeoutMs: 60_000)
/// let call = try client.post(url: "http://127.0.0.1:8000/v1/chat/completions", headers: ["content-type": "application/json"], body: body)
/// let head = try await call.head()
/// let answer = try await call.collect(upTo: 1 << 20)
/// ```
public final class UpstreamClient: Sendable {
    private let group: MultiThreadedEventLoopGroup
    /// One pool per loop of `group`, made up front so that finding one takes no lock.
    private let pools: [ObjectIdentifier: UpstreamConnectionPool]

    /// - Parameters:
    ///   - connectTimeoutMs: the longest wait for a connection.
    ///   - readTimeoutMs: the longest silence while waiting for the answer or between its parts;
    ///     nil for none (the caller gives each call a deadline instead).
    public init(connectTimeoutMs: Int, readTimeoutMs: Int?) {
        group = .singleton
        let tls = UpstreamTLS()
        var pools: [ObjectIdentifier: UpstreamConnectionPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = UpstreamConnectionPool(
                eventLoop: loop, connectTimeout: .milliseconds(Int64(connectTimeoutMs)),
                readTimeout: readTimeoutMs.map { .milliseconds(Int64($0)) }, tls: tls)
        }
        self.pools = pools
    }

    /// Starts POSTing `body` to `url` and returns the call at once; its head and body arrive later.
    ///
    /// - Throws: ``UpstreamFailure`` when `url` is not an http or https URL.
    public func post(url: String, headers: HTTPHeaders, body: ByteBuffer, on eventLoop: (any EventLoop)? = nil,
                     deadline: NIODeadline? = nil) throws -> UpstreamCall {
        guard let target = UpstreamURL(url) else {
            throw UpstreamFailure(kind: .connection, message: "cannot send to '\(url)': not an http:// or https:// URL")
        }
        return post(to: target, headers: headers, body: body, on: eventLoop, deadline: deadline)
    }

    /// Starts POSTing `body` to `url` and returns the call at once; its head and body arrive later.
    ///
    /// - Parameters:
    ///   - eventLoop: the loop the request is handled on: it goes out on a connection of that loop,
    ///     whose answer is handed over there. Without one (or with a loop of another group, a
    ///     test's), the current loop of NIO's shared group if the caller runs on one, else any.
    ///   - deadline: when the whole call must have ended, connecting included; nil for none, so
    ///     that only the timeouts cut a long stream short.
    public func post(to url: UpstreamURL, headers: HTTPHeaders, body: ByteBuffer, on eventLoop: (any EventLoop)? = nil,
                     deadline: NIODeadline? = nil) -> UpstreamCall {
        let request = UpstreamRequest(url: url, headers: headers, body: body, deadline: deadline)
        let call = UpstreamCall()
        let pool = eventLoop.flatMap { pools[ObjectIdentifier($0)] } ?? pools[ObjectIdentifier(group.any())]!
        if pool.eventLoop.inEventLoop {
            pool.send(request, for: call)
        } else {
            pool.eventLoop.execute { pool.send(request, for: call) }
        }
        return call
    }

    /// A chat-completions POST: `body` as JSON to `url`, with the key as a bearer token.
    public func postChat(to url: UpstreamURL, apiKey: String?, body: ByteBuffer, accept: String = "application/json",
                         on eventLoop: (any EventLoop)? = nil) -> UpstreamCall {
        var headers = HTTPHeaders()
        headers.reserveCapacity(5)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "accept", value: accept)
        if let apiKey { headers.add(name: "authorization", value: "Bearer " + apiKey) }
        return post(to: url, headers: headers, body: body, on: eventLoop)
    }

    /// Closes the pooled connections; the client cannot send after this.
    public func shutdown() async throws {
        for pool in pools.values {
            try await pool.eventLoop.flatSubmit { pool.shutdown() }.get()
        }
    }
}
