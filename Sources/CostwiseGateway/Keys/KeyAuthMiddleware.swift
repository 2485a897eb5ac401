import Costwise
import Hummingbird

/// Checks the caller's key on every request once the store holds any key: 401 without a valid
/// `Authorization: Bearer TOKEN` (or with a revoked one), 403 when the key lacks the endpoint's
/// scope (see ``EndpointAccess``). The key goes on in the context, for budgets and rate limits.
///
/// Error messages never repeat the presented token, not even in part: it may be a real key sent to
/// the wrong place.
struct KeyAuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The keys now; read per request, so that a revocation counts from the next request after the
    /// gateway has seen it.
    let keys: @Sendable () -> KeyRing

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let access = EndpointAccess(path: request.uri.path)
        if access == .open { return try await next(request, context) }
        let ring = keys()
        guard ring.isEnforced else { return try await next(request, context) }
        guard let token = request.headers[.authorization].flatMap(Self.bearerToken) else {
            return GatewayError(status: 401, type: .authentication, code: "missing_api_key",
                                "this gateway needs a key: send Authorization: Bearer TOKEN (`costwise keys create NAME` makes one)").response()
        }
        guard let key = ring.key(presenting: token) else {
            return GatewayError(status: 401, type: .authentication, code: "invalid_api_key",
                                "the key presented is not one of this gateway's keys; `costwise keys list` shows them by prefix").response()
        }
        guard !key.isRevoked else {
            return GatewayError(status: 401, type: .authentication, code: "revoked_api_key",
                                "the key '\(key.name)' was revoked; ask for a new one").response()
        }
        if case .scope(let scope) = access, !key.scopes.contains(scope) {
            return GatewayError(status: 403, type: .permission, code: "insufficient_scope",
                                "the key '\(key.name)' has the scopes \(KeyScope.list(key.scopes)) and \(request.uri.path) needs "
                                + "\(scope.rawValue); use a key made with --scopes \(scope.rawValue)").response()
        }
        var context = context
        context.caller = key
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case).
    static func bearerToken(_ value: String) -> Substring? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }
}
