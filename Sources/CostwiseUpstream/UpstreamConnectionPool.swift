import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One event loop's keep-alive connections to the upstreams: a request handled on that loop is
/// sent on a connection of that loop, so neither the request nor its answer crosses a thread.
///
/// Idle connections are reused last-in first-out (the most recently used is the likeliest to be
/// still open); one idle longer than ``maximumIdle`` is closed instead, and at most
/// ``maximumIdlePerEndpoint`` wait per endpoint. Every method runs on ``eventLoop``.
final class UpstreamConnectionPool: @unchecked Sendable {
    /// Longer than this idle, a connection is likelier closed by the upstream than worth reusing.
    static let maximumIdle = TimeAmount.seconds(60)
    static let maximumIdlePerEndpoint = 64

    let eventLoop: any EventLoop
    private let connectTimeout: TimeAmount
    private let readTimeout: TimeAmount?
    private let tls: UpstreamTLS
    private var idle: [UpstreamEndpoint: [UpstreamConnection]] = [:]
    /// Every open connection, idle or not, so that shutting down closes them all.
    private var open: [ObjectIdentifier: UpstreamConnection] = [:]
    private var isShutDown = false

    init(eventLoop: any EventLoop, connectTimeout: TimeAmount, readTimeout: TimeAmount?, tls: UpstreamTLS) {
        self.eventLoop = eventLoop
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.tls = tls
    }

    /// Sends `request` for `call` on an idle connection to its endpoint, or on a new one.
    func send(_ request: UpstreamRequest, for call: UpstreamCall, freshConnection: Bool = false) {
        eventLoop.assertInEventLoop()
        guard !isShutDown else {
            call.fail(UpstreamFailure(kind: .connection, message: "the upstream client was shut down"))
            return
        }
        if !freshConnection, let connection = takeIdle(request.endpoint) {
            connection.start(call, request, reused: true)
            return
        }
        var timeout = connectTimeout
        if let deadline = request.deadline {
            timeout = min(timeout, max(deadline - .now(), .zero))
        }
        let endpoint = request.endpoint
        let timeoutMs = timeout.nanoseconds / 1_000_000
        connect(to: endpoint, timeout: timeout).whenComplete { result in
            switch result {
            case .success(let connection):
                connection.start(call, request, reused: false)
            case .failure(let error):
                call.fail(UpstreamFailure.connecting(to: endpoint, error, timeoutMs: timeoutMs))
            }
        }
    }

    /// `connection` finished its answer and may take the next request.
    func release(_ connection: UpstreamConnection) {
        eventLoop.assertInEventLoop()
        guard !isShutDown, connection.isUsable else {
            connection.close()
            return
        }
        var waiting = idle[connection.endpoint, default: []]
        guard waiting.count < Self.maximumIdlePerEndpoint else {
            connection.close()
            return
        }
        waiting.append(connection)
        idle[connection.endpoint] = waiting
    }

    /// `connection` closed.
    func remove(_ connection: UpstreamConnection) {
        eventLoop.assertInEventLoop()
        open[ObjectIdentifier(connection)] = nil
        idle[connection.endpoint]?.removeAll { $0 === connection }
    }

    /// Closes every connection; a request after this fails.
    func shutdown() -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        isShutDown = true
        idle = [:]
        let closing = open.values
        open = [:]
        for connection in closing { connection.close() }
        return eventLoop.makeSucceededVoidFuture()
    }

    private func takeIdle(_ endpoint: UpstreamEndpoint) -> UpstreamConnection? {
        guard var waiting = idle[endpoint], !waiting.isEmpty else { return nil }
        defer { idle[endpoint] = waiting }
        let now = NIODeadline.now()
        while let connection = waiting.popLast() {
            if connection.isUsable && now - connection.idleSince < Self.maximumIdle { return connection }
            connection.close()
        }
        return nil
    }

    private func connect(to endpoint: UpstreamEndpoint, timeout: TimeAmount) -> EventLoopFuture<UpstreamConnection> {
        let context: NIOSSLContext?
        do {
            context = endpoint.isTLS ? try tls.context() : nil
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMapThrowing { channel in
                let connection = UpstreamConnection(endpoint: endpoint, eventLoop: self.eventLoop, pool: self, readTimeout: self.readTimeout)
                do {
                    let pipeline = channel.pipeline.syncOperations
                    if let context {
                        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: endpoint.hostIsAddress ? nil : endpoint.host))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(connection)
                } catch {
                    channel.close(promise: nil)
                    throw error
                }
                if self.isShutDown {
                    connection.close()
                    throw UpstreamFailure(kind: .connection, message: "the upstream client was shut down")
                }
                self.open[ObjectIdentifier(connection)] = connection
                return connection
            }
    }
}
