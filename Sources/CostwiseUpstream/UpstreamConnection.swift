import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream, the last handler of its channel's pipeline:
/// it sends one request at a time, hands the answer's parts to the ``UpstreamCall``, enforces the
/// read timeout and the call's deadline, and goes back to its pool when the answer is whole.
///
/// It lives on its channel's event loop; every method runs there, and the call reaches it from
/// other threads only through ``abandon(_:)`` and ``resumeReading(for:)``, which hop over.
final class UpstreamConnection: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The request on the wire and what has come back of it.
    private struct InFlight {
        var call: UpstreamCall
        var request: UpstreamRequest
        /// Whether the connection had served a request before: a pooled connection the upstream
        /// closed before answering gets the request again on a fresh one.
        var reused: Bool
        var answered = false
        var keepAlive = true
        var lastActivity: NIODeadline
        var readTimer: Scheduled<Void>?
        var deadlineTimer: Scheduled<Void>?
    }

    let endpoint: UpstreamEndpoint
    let eventLoop: any EventLoop
    private let pool: UpstreamConnectionPool
    private let readTimeout: TimeAmount?
    private var context: ChannelHandlerContext?
    private var inFlight: InFlight?
    /// Reading stopped until the caller catches up; a read asked for meanwhile waits.
    private var paused = false
    private var readPending = false
    private var closed = false
    /// When the connection last went back to the pool.
    private(set) var idleSince = NIODeadline.now()

    init(endpoint: UpstreamEndpoint, eventLoop: any EventLoop, pool: UpstreamConnectionPool, readTimeout: TimeAmount?) {
        self.endpoint = endpoint
        self.eventLoop = eventLoop
        self.pool = pool
        self.readTimeout = readTimeout
    }

    /// Whether it can take a request.
    var isUsable: Bool { !closed && inFlight == nil && context?.channel.isActive == true }

    /// Sends `request` for `call`; a call cancelled meanwhile leaves the connection to the pool.
    func start(_ call: UpstreamCall, _ request: UpstreamRequest, reused: Bool) {
        guard let context, !closed else {
            pool.send(request, for: call, freshConnection: true)
            return
        }
        guard call.bind(to: self) else {
            pool.release(self)
            return
        }
        let now = NIODeadline.now()
        var inFlight = InFlight(call: call, request: request, reused: reused, lastActivity: now)
        if let readTimeout {
            inFlight.readTimer = eventLoop.scheduleTask(in: readTimeout) { self.readTimerFired() }
        }
        if let deadline = request.deadline {
            inFlight.deadlineTimer = eventLoop.scheduleTask(deadline: deadline) {
                self.timedOut(call, "the call's time limit ran out")
            }
        }
        self.inFlight = inFlight
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// The caller gave `call` up: if it is still on this connection, the connection closes (the
    /// rest of its answer cannot be told from the next one's).
    func abandon(_ call: UpstreamCall) {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.abandon(call) }
            return
        }
        guard let inFlight, inFlight.call === call else { return }
        self.inFlight = nil
        inFlight.readTimer?.cancel()
        inFlight.deadlineTimer?.cancel()
        close()
    }

    /// The caller of `call` caught up: reading goes on.
    func resumeReading(for call: UpstreamCall) {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.resumeReading(for: call) }
            return
        }
        guard inFlight?.call === call else { return }
        unpause()
    }

    /// Closes the connection; whatever it was doing is over.
    func close() {
        guard !closed else { return }
        closed = true
        context?.close(promise: nil)
    }

    // MARK: The channel's events.

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var inFlight else {
            // Nothing was asked: an upstream that talks out of turn cannot be trusted with the next request.
            close()
            return
        }
        if readTimeout != nil { inFlight.lastActivity = .now() }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // An informational head (100 Continue) is followed by the real one.
            guard head.status.code >= 200 else { return }
            inFlight.answered = true
            inFlight.keepAlive = head.isKeepAlive
            self.inFlight = inFlight
            inFlight.call.receive(head: UpstreamHead(status: Int(head.status.code), contentType: head.headers.first(name: "content-type")))
        case .body(let part):
            self.inFlight = inFlight
            if inFlight.call.receive(part: part, from: self) { paused = true }
        case .end:
            self.inFlight = nil
            inFlight.readTimer?.cancel()
            inFlight.deadlineTimer?.cancel()
            unpause()
            inFlight.call.receiveEnd()
            if inFlight.keepAlive && !closed {
                idleSince = .now()
                pool.release(self)
            } else {
                close()
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        if paused {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        pool.remove(self)
        broke(off: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        broke(off: error)
        close()
    }

    // MARK: Endings.

    /// The connection closed or failed with a request on it. A pooled connection that the upstream
    /// closed before answering (it had timed the idle connection out) gets the request sent again on
    /// a fresh one; otherwise the call fails.
    private func broke(off error: (any Error)?) {
        guard let inFlight else { return }
        self.inFlight = nil
        inFlight.readTimer?.cancel()
        inFlight.deadlineTimer?.cancel()
        if inFlight.reused && !inFlight.answered && !inFlight.call.isFinished {
            pool.send(inFlight.request, for: inFlight.call, freshConnection: true)
            return
        }
        let reason = error.map { ": \($0)" } ?? ""
        let message = inFlight.answered
            ? "the answer broke off: the upstream closed the connection\(reason)"
            : "the upstream closed the connection before answering\(reason)"
        inFlight.call.fail(UpstreamFailure(kind: .connection, message: message))
    }

    private func readTimerFired() {
        guard var inFlight, let readTimeout else { return }
        let silentFor = NIODeadline.now() - inFlight.lastActivity
        if paused || silentFor < readTimeout {
            // Waiting for our own caller is not the upstream's silence.
            inFlight.readTimer = eventLoop.scheduleTask(in: paused ? readTimeout : readTimeout - silentFor) { self.readTimerFired() }
            self.inFlight = inFlight
            return
        }
        timedOut(inFlight.call, "no answer from the upstream for \(readTimeout.nanoseconds / 1_000_000) ms (read timeout)")
    }

    private func timedOut(_ call: UpstreamCall, _ message: String) {
        guard let inFlight, inFlight.call === call else { return }
        self.inFlight = nil
        inFlight.readTimer?.cancel()
        inFlight.deadlineTimer?.cancel()
        call.fail(UpstreamFailure(kind: .timeout, message: "timed out: \(message)"))
        close()
    }

    private func unpause() {
        guard paused else { return }
        paused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }
}
