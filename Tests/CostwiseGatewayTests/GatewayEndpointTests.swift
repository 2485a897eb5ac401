import Costwise
import CostwiseGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct GatewayEndpointTests {
    @Test func feedbackMovesTheEstimateAndTheNextSelection() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let store = fixture.store
            let strict = ByteBuffer(string: #"{"model":"costwise/summarization","costwise":{"min_quality":0.85}}"#)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders, body: strict) { response in
                    // 9 of 10 clears 0.85.
                    #expect(response.object["model"] as? String == "acme/cheap")
                }
                let id = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                                  body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.header("x-costwise-model") == "acme/cheap")
                    return try #require(response.header("x-costwise-request-id"))
                }
                let before = try store.snapshot().estimates.first { $0.model == "acme/cheap" }?.quality
                for attempt in 0..<2 {
                    try await client.execute(uri: "/v1/feedback", method: .post, headers: jsonHeaders,
                                             body: ByteBuffer(string: #"{"request_id":"\#(id)","passed":false}"#)) { response in
                        #expect(response.status == .ok)
                        #expect(response.object["model"] as? String == "acme/cheap")
                        #expect(response.object["recorded"] as? String == (attempt == 0 ? "inserted" : "replaced"))
                    }
                }
                let after = try store.snapshot().estimates.first { $0.model == "acme/cheap" }?.quality
                // One result more, not two: the second feedback replaced the first.
                #expect(after?.results == (before?.results ?? 0) + 1)
                #expect((after?.mean ?? 1) < (before?.mean ?? 0))
                try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders, body: strict) { response in
                    // 9 of 11 is below 0.85 now: the next selection moves on.
                    #expect(response.object["model"] as? String == "acme/better")
                }
                try await client.execute(uri: "/v1/feedback", method: .post, headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"request_id":"cw-unknown","score":1}"#)) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func selectAnswersWithoutCallingAModel() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.status == .ok)
                    #expect(response.object["model"] as? String == "acme/cheap")
                    #expect(response.object["threshold"] as? Double == 0.8)
                    #expect(response.object["estimated_cost_usd"] != nil)
                }
            }
            #expect(stub.requests.isEmpty)
        }
    }

    @Test func modelsListsTheCatalogAndTheRoutingNames() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/models", method: .get) { response in
                    let ids = (response.object["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    #expect(ids == ["costwise/auto", "costwise/summarization", "acme/better", "acme/cheap", "acme/premium"]
                        || Set(ids ?? []) == ["costwise/auto", "costwise/summarization", "acme/better", "acme/cheap", "acme/premium"])
                }
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func metricsCountRequestsCostTokensAndLatency() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { _ in }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", extra: #","costwise":{"min_quality":1.0,"max_cost_usd":0.000001}"#)) { response in
                    #expect(response.status == .unprocessableContent)
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = response.text
                    #expect(text.contains(#"costwise_requests_total{task="summarization",model="acme/cheap",status="ok"} 1"#))
                    #expect(text.contains(#"costwise_cost_usd_total{task="summarization",model="acme/cheap"} 0.0002"#))
                    #expect(text.contains(#"costwise_tokens_total{task="summarization",model="acme/cheap",kind="output"} 500"#))
                    #expect(text.contains(#"costwise_no_model_total{task="summarization"} 1"#))
                    #expect(text.contains("costwise_upstream_latency_seconds_bucket"))
                    #expect(text.contains("costwise_gateway_overhead_seconds_count 2"))
                }
            }
        }
    }
}

@Suite struct GatewayConfigTests {
    @Test func readsProvidersAndDefaults() throws {
        let text = """
            providers:
              openai:
                base_url: https://api.openai.com/v1/
                api_key_env: OPENAI_API_KEY
              "*":
                base_url: https://openrouter.ai/api/v1
                api_key_env: OPENROUTER_API_KEY
                model_ids: full
                timeouts: {connect_ms: 1000, read_ms: 2000}
            """
        let config = try GatewayConfig.parse(Array(text.utf8), file: "gateway.yaml",
                                             environment: ["OPENAI_API_KEY": "sk-1", "OPENROUTER_API_KEY": "sk-2"])
        #expect(config.fallbacks == 2 && config.defaultMinQuality == 0.8 && config.maxBodyBytes == 8 << 20)
        let openai = try #require(config.upstream(forProvider: "openai"))
        #expect(openai.chatCompletionsURL == "https://api.openai.com/v1/chat/completions")
        #expect(openai.upstreamModelID(for: "openai/gpt-4o-mini") == "gpt-4o-mini")
        let other = try #require(config.upstream(forProvider: "anthropic"))
        #expect(other.upstreamModelID(for: "anthropic/claude-3-haiku") == "anthropic/claude-3-haiku")
        #expect(other.readTimeoutMs == 2000 && other.apiKey == "sk-2")
        #expect(config.reachableProviders == nil)
    }

    @Test(arguments: [
        ("providers:\n  openai:\n    api_key_env: KEY\n", "gateway.yaml:3: field 'providers.openai.base_url'"),
        ("providers:\n  openai:\n    base_url: https://x\n    model_ids: short\n", "gateway.yaml:4: field 'providers.openai.model_ids'"),
        ("providers:\n  local:\n    base_url: ftp://localhost/v1\n", "gateway.yaml:3: field 'providers.local.base_url'"),
        ("providers:\n  local:\n    base_url: http://localhost:80000/v1\n", "gateway.yaml:3: field 'providers.local.base_url'"),
        ("providers:\n  openai:\n    base_url: https://x\n    api_key_env: MISSING\n", "gateway.yaml:4: field 'providers.openai.api_key_env'"),
        ("fallbacks: -1\n", "gateway.yaml:1: field 'fallbacks'"),
        ("default_min_quality: 1.5\n", "gateway.yaml:1: field 'default_min_quality'"),
        ("providers: {}\nfalbacks: 2\n", "gateway.yaml:2: field 'falbacks'"),
    ])
    func mistakesNameFileLineAndField(text: String, location: String) throws {
        let error = #expect(throws: InputError.self) {
            try GatewayConfig.parse(Array(text.utf8), file: "gateway.yaml", environment: ["KEY": "k"])
        }
        #expect(error?.description.hasPrefix(location) == true, "\(error?.description ?? "")")
    }
}
