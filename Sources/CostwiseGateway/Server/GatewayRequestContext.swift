import Hummingbird
import NIOCore

/// Hummingbird's request context plus the connection the request came in on: the upstream call
/// runs on that connection's event loop, and ends when its client goes away (see
/// ``ClientConnections``).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
