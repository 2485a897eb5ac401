import NIOCore
import Synchronization

/// The gateway's open client connections, so that a request can learn from its context's channel
/// that its client has left: a client that gives up (a timeout, a closed tab) must not keep a
/// model generating, and paid for, with nobody to read the answer.
///
/// Each connection gets a ``Handler`` in its pipeline that notices the client closing its side or
/// the connection breaking; the handler registers the connection here while it is open.
final class ClientConnections: Sendable {
    private let open = Mutex<[ObjectIdentifier: ClientConnection]>([:])

    /// The connection `channel` is, while open; nil for a channel without the handler (a test's).
    func connection(of channel: any Channel) -> ClientConnection? {
        open.withLock { $0[ObjectIdentifier(channel)] }
    }

    /// The handler to add to each new connection's pipeline.
    func handler() -> Handler { Handler(connections: self) }

    /// Registers its connection while open and tells it when the client leaves.
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        let connections: ClientConnections
        let connection = ClientConnection()

        init(connections: ClientConnections) {
            self.connections = connections
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let connection = connection
            connections.open.withLock { $0[ObjectIdentifier(context.channel)] = connection }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            left(context)
        }

        func channelInactive(context: ChannelHandlerContext) {
            left(context)
            context.fireChannelInactive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            // The server allows half-closed connections: a client that closes its side while its
            // request is answered arrives as this event, not as an inactive channel.
            if let event = event as? ChannelEvent, event == .inputClosed { left(context) }
            context.fireUserInboundEventTriggered(event)
        }

        private func left(_ context: ChannelHandlerContext) {
            _ = connections.open.withLock { $0.removeValue(forKey: ObjectIdentifier(context.channel)) }
            connection.clientLeft()
        }
    }
}
