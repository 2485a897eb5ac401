import Hummingbird
import NIOCore

/// The context of one request to the gateway: Hummingbird's, plus the address of the client, which
/// decides who may see the dashboard while no API key exists.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address; nil when the request did not come over a socket (in-process tests).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
