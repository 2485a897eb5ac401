import Costwise
import CostwiseGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Requests and tokens per minute per key: 429 `rate_limited` with `retry-after` past the limit.
@Suite struct RateLimitTests {
    @Test func requestsPastTheKeysRPMAreRefusedWithRetryAfter() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "slow", requestsPerMinute: 2),
                                                                        KeySpec(name: "other", requestsPerMinute: 2)])
            try await fixture.test { client in
                func send(_ name: String) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: fixture.tokens[name]),
                                             body: chatBody(model: "costwise/summarization"))
                }
                #expect(try await send("slow").status == .ok)
                #expect(try await send("slow").status == .ok)
                let limited = try await send("slow")
                #expect(limited.status == .tooManyRequests)
                #expect(limited.errorType == "rate_limited" && limited.errorCode == "requests_per_minute")
                let retryAfter = try #require(limited.header("retry-after").flatMap { Int($0) })
                #expect((1...60).contains(retryAfter))
                // Each key has its own window.
                #expect(try await send("other").status == .ok)
            }
        }
    }

    @Test func tokensPastTheKeysTPMAreRefusedWithRetryAfter() async throws {
        try await StubUpstream.run { _, port in
            // The stub reports 1,500 tokens an answer: the first answer uses the minute's 1,000.
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", tokensPerMinute: 1_000)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                #expect(try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                 body: chatBody(model: "costwise/summarization")).status == .ok)
                let limited = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                       body: chatBody(model: "costwise/summarization"))
                #expect(limited.status == .tooManyRequests && limited.errorCode == "tokens_per_minute")
                let retryAfter = try #require(limited.header("retry-after").flatMap { Int($0) })
                #expect((1...60).contains(retryAfter))
            }
        }
    }
}
