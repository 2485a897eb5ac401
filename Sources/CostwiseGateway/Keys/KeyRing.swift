import Costwise

/// The store's keys as the gateway checks them, by the SHA-256 of their tokens: a presented token
/// is hashed and looked up, so no token is ever held in memory between requests. Rebuilt with the
/// rest of the ``RoutingState`` whenever the store changes, so that keys made or revoked by another
/// process count within the follower's interval.
struct KeyRing: Sendable {
    private let byHash: [String: APIKey]
    /// Whether the store holds any key, revoked ones included: from the first key on, every
    /// endpoint but `/health` needs one, and revoking every key does not open the gateway again.
    let isEnforced: Bool

    init(_ keys: [APIKey]) {
        var byHash: [String: APIKey] = [:]
        for key in keys { byHash[key.tokenSHA256] = key }
        self.byHash = byHash
        isEnforced = !keys.isEmpty
    }

    /// The key whose token is `token`, revoked or not.
    func key(presenting token: Substring) -> APIKey? {
        byHash[KeyToken.sha256(of: token)]
    }
}
