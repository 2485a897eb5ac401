import Costwise
import Hummingbird
import NIOCore

/// The context of one request to the gateway: Hummingbird's core context, the connection the request
/// came in on, the client's address, and the key the caller presented once ``KeyAuthMiddleware`` has
/// checked it (nil while the store holds no key).
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection: the upstream call runs on its event loop, and ends when its client goes
    /// away (see ``ClientConnections``).
    public let channel: any Channel
    /// The key that authenticated the request.
    var caller: APIKey?
    /// The client's address; nil when the request did not come over a socket (in-process tests). While
    /// no key exists it decides who may see the dashboard.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
        remoteAddress = source.channel.remoteAddress
    }
}
