import Costwise
import CostwiseGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Keys at the gateway's door: who may call which endpoint, revocation, and where tokens never go.
@Suite struct KeyAuthTests {
    static let keys = [
        KeySpec(name: "caller", scopes: [.chat]),
        KeySpec(name: "scorer", scopes: [.feedback]),
        KeySpec(name: "operator", scopes: [.admin]),
    ]

    @Test func everyEndpointButHealthNeedsAKeyWithItsScope() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: Self.keys)
            let caller = fixture.tokens["caller"]!
            let scorer = fixture.tokens["scorer"]!
            let admin = fixture.tokens["operator"]!
            try await fixture.test { client in
                func status(_ uri: String, _ method: HTTPRequest.Method = .get, token: String?, body: ByteBuffer? = nil) async throws -> TestResponse {
                    try await client.execute(uri: uri, method: method, headers: headers(bearer: token), body: body)
                }
                #expect(try await status("/health", token: nil).status == .ok)
                let missing = try await status("/v1/models", token: nil)
                #expect(missing.status == .unauthorized)
                #expect(missing.errorType == "authentication_error" && missing.errorCode == "missing_api_key")
                let wrongToken = "cwk_" + String(repeating: "ab", count: 32)
                let wrong = try await status("/v1/chat/completions", .post, token: wrongToken, body: chatBody(model: "costwise/summarization"))
                #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_api_key")
                #expect(!wrong.text.contains(wrongToken) && !wrong.text.contains("abababab"))
                #expect(try await status("/v1/models", token: scorer).status == .ok)

                let answered = try await status("/v1/chat/completions", .post, token: caller, body: chatBody(model: "costwise/summarization"))
                #expect(answered.status == .ok)
                #expect(try await status("/v1/select", .post, token: caller, body: chatBody(model: "costwise/summarization")).status == .ok)
                let forbidden = try await status("/metrics", token: caller)
                #expect(forbidden.status == .forbidden)
                #expect(forbidden.errorType == "permission_error" && forbidden.errorCode == "insufficient_scope")
                #expect(try await status("/v1/keys", token: caller).status == .forbidden)
                let feedback = ByteBuffer(string: #"{"request_id":"\#(answered.header("x-costwise-request-id") ?? "")","score":1}"#)
                #expect(try await status("/v1/feedback", .post, token: caller, body: feedback).status == .forbidden)
                #expect(try await status("/v1/chat/completions", .post, token: scorer, body: chatBody(model: "costwise/summarization"))
                    .status == .forbidden)

                #expect(try await status("/metrics", token: admin).status == .ok)
                #expect(try await status("/v1/keys", token: admin).status == .ok)
                #expect(try await status("/v1/chat/completions", .post, token: admin, body: chatBody(model: "costwise/summarization"))
                    .status == .forbidden)
            }
        }
    }

    @Test func theStoreKeepsOnlyTheHashAndPrefixOfATokenAndTheLogNeither() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: Self.keys)
            let token = fixture.tokens["caller"]!
            #expect(token.hasPrefix("cwk_") && token.count == 68)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.status == .ok)
                    #expect(!response.text.contains(token))
                }
                await fixture.gateway.flushRecords()
                var bytes = Data()
                for suffix in ["", "-wal"] {
                    bytes += (try? Data(contentsOf: fixture.folder.appendingPathComponent("store.sqlite" + suffix))) ?? Data()
                }
                let stored = String(decoding: bytes, as: UTF8.self)
                #expect(!stored.contains(token))
                #expect(!stored.contains(String(token.dropFirst(12))))
                let key = try #require(try fixture.store.keys().first { $0.name == "caller" })
                #expect(key.tokenPrefix == String(token.prefix(12)))
                #expect(key.tokenSHA256 == KeyToken.sha256(of: token) && key.tokenSHA256.count == 64)
            }
        }
    }

    @Test func aKeyRevokedByAnotherProcessIsRefusedFromItsNextSpendingRequest() async throws {
        try await StubUpstream.run { _, port in
            // The follower polls once a minute here, so only the reservation can notice the revocation.
            let fixture = try GatewayFixture(upstreamPort: port, keys: Self.keys, followInterval: .seconds(60))
            let token = fixture.tokens["caller"]!
            try await fixture.test { client in
                let before = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                      body: chatBody(model: "costwise/summarization"))
                #expect(before.status == .ok)
                try SQLiteStore(path: fixture.store.path).revokeKey(named: "caller", at: Date().timeIntervalSince1970)
                let after = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                     body: chatBody(model: "costwise/summarization"))
                #expect(after.status == .unauthorized && after.errorCode == "revoked_api_key")
            }
        }
    }

    /// The follower reads the keys again every 250 ms; under a loaded test run a round can take longer,
    /// so the test waits up to ten seconds for what takes a quarter of one.
    @Test func aKeyRevokedByAnotherProcessIsRefusedEverywhereOnceTheFollowerReadsTheKeys() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: Self.keys, followInterval: .milliseconds(250))
            let token = fixture.tokens["caller"]!
            try await fixture.test { client in
                #expect(try await client.execute(uri: "/v1/models", method: .get, headers: headers(bearer: token)).status == .ok)
                try SQLiteStore(path: fixture.store.path).revokeKey(named: "caller", at: Date().timeIntervalSince1970)
                let revoked = Date()
                var status = HTTPResponse.Status.ok
                while status == .ok, Date().timeIntervalSince(revoked) < 10 {
                    try await Task.sleep(for: .milliseconds(20))
                    status = try await client.execute(uri: "/v1/models", method: .get, headers: headers(bearer: token)).status
                }
                #expect(status == .unauthorized)
            }
        }
    }

    @Test func anOpenGatewayDoesNotMakeTheFirstKey() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                let refused = try await client.execute(uri: "/v1/keys", method: .post, headers: jsonHeaders,
                                                       body: ByteBuffer(string: #"{"name":"intruder","scopes":["admin"]}"#))
                #expect(refused.status == .forbidden && refused.errorCode == "no_keys_yet")
                #expect(try fixture.store.keys().isEmpty)
            }
        }
    }

    @Test func keysAreManagedOverHTTPWithTheAdminScope() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: Self.keys)
            let admin = fixture.tokens["operator"]!
            try await fixture.test { client in
                let created = try await client.execute(
                    uri: "/v1/keys", method: .post, headers: headers(bearer: admin),
                    body: ByteBuffer(string: #"{"name":"ci","budget_usd":0.5,"period":"day","rpm":60,"scopes":["chat"]}"#))
                #expect(created.status == .created)
                let token = try #require(created.object["token"] as? String)
                #expect(created.object["name"] as? String == "ci")
                #expect(try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                 body: chatBody(model: "costwise/summarization")).status == .ok)
                let listed = try await client.execute(uri: "/v1/keys", method: .get, headers: headers(bearer: admin))
                #expect(!listed.text.contains(token))
                let keys = (try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView))) as? [[String: Any]] ?? []
                let ci = try #require(keys.first { $0["name"] as? String == "ci" })
                #expect(ci["budget_usd"] as? Double == 0.5 && ci["period"] as? String == "day" && ci["rpm"] as? Int == 60)
                #expect(ci["scopes"] as? [String] == ["chat"])
                // 1,000 input and 500 output tokens at 0.1 and 0.2 USD per million.
                #expect(ci["spent_usd"] as? Double == 0.0002 && ci["reserved_usd"] as? Double == 0)
                let duplicate = try await client.execute(uri: "/v1/keys", method: .post, headers: headers(bearer: admin),
                                                         body: ByteBuffer(string: #"{"name":"ci"}"#))
                #expect(duplicate.status == .badRequest && duplicate.errorCode == "invalid_key")
                #expect(try await client.execute(uri: "/v1/keys/ci", method: .delete, headers: headers(bearer: admin)).status == .ok)
                let refused = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                       body: chatBody(model: "costwise/summarization"))
                #expect(refused.status == .unauthorized && refused.errorCode == "revoked_api_key")
                #expect(try await client.execute(uri: "/v1/keys/nobody", method: .delete, headers: headers(bearer: admin)).status == .notFound)
            }
        }
    }
}

extension TestResponse {
    /// The OpenAI-style error's `type` and `code`.
    var errorType: String? { (object["error"] as? [String: Any])?["type"] as? String }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
}
