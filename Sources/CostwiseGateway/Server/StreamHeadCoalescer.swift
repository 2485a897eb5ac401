import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Sends a streamed response's head together with its first part instead of on its own.
///
/// Hummingbird flushes the head of a response whose body is written by a closure before the body
/// begins, so a stream's head left in a packet of its own, with a write and a wake-up of the client
/// that brought it nothing to read. The gateway starts a streamed answer only once the upstream's
/// first bytes have come, and passes on each event (a keep-alive comment too) as soon as it is
/// whole, so the head waits at most for the rest of the first event, which a client could not use
/// before; it saves the gateway a system call per stream. A whole answer's head is not flushed
/// before its body anyway, so every final head's flush waits for the next part (looking for a
/// `Content-Length` to tell the two apart cost more than the rest of this handler); an
/// informational head passes as it comes.
final class StreamHeadCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A final head was written and no part after it yet: its flush waits for the next part's.
    private var holdingFlush = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            holdingFlush = head.status.code >= 200
        case .body, .end:
            holdingFlush = false
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        guard !holdingFlush else { return }
        context.flush()
    }
}
