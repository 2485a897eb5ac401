import Costwise
import FoundationEssentials
import Hummingbird
import NIOPosix

extension Gateway {
    /// `GET /v1/keys` (admin): each key as `keys list --json` shows it.
    func listKeys() async -> Response {
        let store = store
        do {
            let usages = try await NIOThreadPool.singleton.runIfActive { try store.keyUsage(at: RFC3339.now) }
            return json(.array(usages.map(\.json)))
        } catch {
            return GatewayError.unexpected(error).response()
        }
    }

    /// `POST /v1/keys` (admin) `{"name", "budget_usd", "period", "rpm", "tpm", "scopes": ["chat", …]}`:
    /// makes a key and answers `{"name", "token"}` with 201, the only time the token is shown.
    ///
    /// The first key is made with `costwise keys create` on the store's machine: while the store holds
    /// none, the gateway is open, and whoever reached it first could otherwise make themselves admin.
    func createKey(_ request: Request) async -> Response {
        do {
            guard follower.current.keys.isEnforced else {
                throw GatewayError(status: 403, type: .permission, code: "no_keys_yet",
                                   "the first key is made with `costwise keys create NAME --scopes admin` on the store's machine; "
                                   + "after that an admin key can make more here")
            }
            var request = request
            let body = try await collectBody(&request)
            let asked: KeyRequest
            do {
                asked = try JSONDecoder().decode(KeyRequest.self, from: Data(body))
            } catch let error as DecodingError {
                throw GatewayError.invalidBody(error)
            }
            let spec = try asked.spec()
            let token = KeyToken.generate()
            let store = store
            let key = try await NIOThreadPool.singleton.runIfActive { try store.createKey(spec, token: token, at: RFC3339.now) }
            try await follower.reload()
            return json(.object([("name", .string(key.name)), ("token", .string(token.text))]), status: .created)
        } catch let error as GatewayError {
            return error.response()
        } catch let error as InputError {
            return GatewayError(status: 400, type: .invalidRequest, code: "invalid_key", error.message, param: error.field).response()
        } catch {
            return GatewayError.unexpected(error).response()
        }
    }

    /// `DELETE /v1/keys/NAME` (admin): revokes the key; this gateway refuses it from the next request.
    func revokeKey(named name: String) async -> Response {
        let store = store
        do {
            let key = try await NIOThreadPool.singleton.runIfActive { try store.revokeKey(named: name, at: RFC3339.now) }
            try await follower.reload()
            return json(.object([("name", .string(key.name)),
                                 ("revoked_at", .stringOrNull(key.revokedAt.map(RFC3339.string(fromSeconds:))))]))
        } catch let error as InputError {
            return GatewayError(status: 404, type: .notFound, code: "key_not_found", error.message, param: "name").response()
        } catch {
            return GatewayError.unexpected(error).response()
        }
    }
}
