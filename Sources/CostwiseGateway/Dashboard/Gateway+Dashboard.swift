import Costwise
import Hummingbird
import NIOCore
import NIOPosix

extension Gateway {
    /// `GET /`: the dashboard, rendered on the server from the store's figures. Once the store holds
    /// a key, ``KeyAuthMiddleware`` lets only keys with the `admin` scope through; until then it is
    /// shown to clients on this machine only (see ``DashboardAccess``), and others get 403 saying so.
    func dashboard(context: GatewayRequestContext) async -> Response {
        guard follower.current.keys.isEnforced || DashboardAccess.allows(context.remoteAddress) else {
            return GatewayError(status: 403, type: .permission, code: "dashboard_local_only",
                                "while the gateway has no keys, the dashboard is shown only to clients on its own machine; open it "
                                + "there (for example through an SSH tunnel to its port), or make a key with the admin scope "
                                + "(`costwise keys create NAME --scopes admin`)").response()
        }
        do {
            let store = store
            let review = try await reviews.review()
            let defaultMinQuality = config.defaultMinQuality
            let providers = config.reachableProviders ?? []
            // The store's reads block: they run on the thread pool, never on the event loop.
            let dashboard = try await NIOThreadPool.singleton.runIfActive {
                let now = RFC3339.now
                return try store.dashboard(now: now, defaultMinQuality: defaultMinQuality, providers: providers,
                                           review: review)
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "no-store"
            // The page runs nothing and loads nothing: say so, so a value from the store can never become a script.
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: DashboardPage(dashboard: dashboard).html())))
        } catch {
            return GatewayError(status: 500, type: .server, code: "internal_error", "the dashboard could not read the store: \(error)").response()
        }
    }
}
