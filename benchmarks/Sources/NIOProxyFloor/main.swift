import NIOCore
import NIOHTTP1
import NIOPosix

/// A reverse proxy on SwiftNIO's channel handlers alone, as a floor for the gateway: no HTTP server
/// framework, no Swift concurrency, no routing, no records. Each client connection gets one keep-alive
/// connection to the upstream on its own event loop; a request is passed on whole, and the answer's
/// parts are passed back as they arrive, flushed once per read from the upstream. The gateway's
/// benchmark (`gateway.sh`) measures it beside the gateway as the floor of a proxy in Swift.
///
///   NIOProxyFloor LISTEN_PORT UPSTREAM_PORT   (both on 127.0.0.1)

/// The client side: collects a request, sends it upstream, writes the answer's parts back. It and
/// its upstream side live on the client connection's event loop, so nothing in them is shared.
final class ClientSide: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let upstreamPort: Int
    private var context: ChannelHandlerContext?
    private var upstream: (any Channel)?
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var waiting: [HTTPClientRequestPart] = []

    init(upstreamPort: Int) { self.upstreamPort = upstreamPort }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        let answers = UpstreamSide(client: self)
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(answers)
                }
            }
            .connect(host: "127.0.0.1", port: upstreamPort)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.upstream = channel
                    for part in self.waiting { channel.write(part, promise: nil) }
                    if !self.waiting.isEmpty { channel.flush() }
                    self.waiting = []
                case .failure:
                    self.context?.close(promise: nil)
                }
            }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        upstream?.close(promise: nil)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
        case .body(var chunk):
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard var head else { return }
            head.headers.replaceOrAdd(name: "host", value: "127.0.0.1:\(upstreamPort)")
            send(.head(head))
            if let body { send(.body(.byteBuffer(body))) }
            send(.end(nil))
            upstream?.flush()
        }
    }

    private func send(_ part: HTTPClientRequestPart) {
        if let upstream { upstream.write(part, promise: nil) } else { waiting.append(part) }
    }

    func answer(_ part: HTTPClientResponsePart) {
        guard let context else { return }
        switch part {
        case .head(let head):
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: head.status, headers: head.headers))),
                          promise: nil)
        case .body(let chunk):
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        case .end:
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func flushAnswer() { context?.flush() }
}

/// The upstream side: hands each part of an answer to the client side, on the same event loop.
final class UpstreamSide: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    private let client: ClientSide
    init(client: ClientSide) { self.client = client }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { client.answer(unwrapInboundIn(data)) }
    func channelReadComplete(context: ChannelHandlerContext) { client.flushAnswer() }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let listenPort = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: NIOProxyFloor LISTEN_PORT UPSTREAM_PORT")
    exit(2)
}
let server = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(ClientSide(upstreamPort: upstreamPort))
        }
    }
    .bind(host: "127.0.0.1", port: listenPort).wait()
try server.closeFuture.wait()
