import NIOCore
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 server on 127.0.0.1 that answers each request with the bytes a test gives it, so
/// that tests control what no ordinary server does on purpose: close a kept-alive connection, answer
/// in chunks, or not speak TLS. It counts the connections it accepted and the requests it read.
final class ScriptedUpstream: Sendable {
    /// What the server does with a request, given which request it is on its connection (0 first).
    typealias Script = @Sendable (_ indexOnConnection: Int) -> Reply

    enum Reply: Sendable {
        /// These bytes, the connection kept open.
        case bytes(String)
        /// These bytes, then the connection closed.
        case bytesThenClose(String)
        /// The connection closed without a word.
        case close
        /// No answer at all.
        case silence
    }

    /// What the server has seen, shared with its connections.
    private final class Counts: Sendable {
        let value = Mutex((connections: 0, requests: 0, closedByClient: 0))
    }

    private let counts: Counts
    private let channel: any Channel

    var acceptedConnections: Int { counts.value.withLock { $0.connections } }
    var receivedRequests: Int { counts.value.withLock { $0.requests } }
    /// Connections the client closed while the server still had them open.
    var connectionsClosedByClient: Int { counts.value.withLock { $0.closedByClient } }
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(counts: Counts, channel: any Channel) {
        self.counts = counts
        self.channel = channel
    }

    /// Runs `body` with a server following `script`; the server stops when `body` returns.
    static func run<T>(_ script: @escaping Script, _ body: (ScriptedUpstream) async throws -> T) async throws -> T {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Connection(script: script, counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedUpstream(counts: counts, channel: channel)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        try await channel.close()
        return try result.get()
    }

    /// The complete answer with a `Content-Length` body.
    static func answer(_ body: String, status: String = "200 OK", headers: String = "") -> String {
        "HTTP/1.1 \(status)\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\(headers)\r\n\(body)"
    }

    /// The complete answer with a chunked body, one chunk per element.
    static func chunked(_ chunks: [String]) -> String {
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
            + chunks.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined() + "0\r\n\r\n"
    }

    /// Reads requests off one connection (head, then a `Content-Length` body) and answers each by the script.
    private final class Connection: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let script: Script
        let counts: Counts
        var received: [UInt8] = []
        var served = 0
        var closedByUs = false

        init(script: @escaping Script, counts: Counts) {
            self.script = script
            self.counts = counts
        }

        func channelActive(context: ChannelHandlerContext) {
            counts.value.withLock { $0.connections += 1 }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !closedByUs { counts.value.withLock { $0.closedByClient += 1 } }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += Array(unwrapInboundIn(data).readableBytesView)
            if received.first == 0x16 {
                // A TLS handshake: this server speaks plain HTTP only.
                reply(.bytesThenClose("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"), context: context)
                return
            }
            while let length = completeRequestLength() {
                received.removeFirst(length)
                counts.value.withLock { $0.requests += 1 }
                let reply = script(served)
                served += 1
                self.reply(reply, context: context)
            }
        }

        private func reply(_ reply: Reply, context: ChannelHandlerContext) {
            switch reply {
            case .bytes(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            case .bytesThenClose(let text):
                closedByUs = true
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in channel.close(promise: nil) }
            case .close:
                closedByUs = true
                context.close(promise: nil)
            case .silence:
                break
            }
        }

        /// The length of the first whole request in `received`, if there is one.
        private func completeRequestLength() -> Int? {
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard received.count >= 4,
                  let end = (0...(received.count - 4)).first(where: { Array(received[$0..<($0 + 4)]) == separator }) else { return nil }
            let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int(String($0.dropFirst("content-length:".count)).filter { $0 != " " }) } ?? 0
            return received.count >= end + 4 + length ? end + 4 + length : nil
        }
    }
}
