import Costwise
import Hummingbird

/// The context of one request to the gateway: Hummingbird's core context, and the key the caller
/// presented once ``KeyAuthMiddleware`` has checked it (nil while the store holds no key).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The key that authenticated the request.
    var caller: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
