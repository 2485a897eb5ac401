import Costwise
import CostwiseGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What the gateway makes of an answer's usage: its cost with cached and reasoning tokens at their
/// own prices, and the measured tokens and latency that later selections use.
@Suite struct UsageStatisticsTests {
    @Test func cachedAndReasoningTokensArePricedAsSuch() async throws {
        try await StubUpstream.run { _, port in
            // The stub reports 1,000 prompt tokens (200 cached) and 500 completion tokens (100 reasoning).
            let fixture = try GatewayFixture(upstreamPort: port) { store in
                try store.setModel(ModelUpdate(id: "acme/cheap", cachedInputUSDPerMTok: 0.05, reasoningUSDPerMTok: 0.8), source: "test")
                try store.setModel(ModelUpdate(id: "acme/premium", cachedInputUSDPerMTok: 5), source: "test")
            }
            // 800 × 0.1 + 200 × 0.05 + 400 × 0.2 + 100 × 0.8 per million, where all at the plain prices is 0.0002.
            let expected = 0.00025
            try await fixture.test { client in
                for stream in [false, true] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: chatBody(model: "costwise/summarization", stream: stream,
                                                            extra: stream ? #","stream_options":{"include_usage":true}"# : "")) { response in
                        #expect(response.status == .ok)
                        if !stream {
                            let usage = try #require(response.object["usage"] as? [String: Any])
                            #expect(abs((usage["cost_usd"] as? Double ?? 0) - expected) < 1e-12)
                        } else {
                            #expect(response.text.contains(#""cost_usd":0.00025"#))
                        }
                    }
                }
            }
            let records = try fixture.store.requests()
            #expect(records.count == 2)
            for record in records {
                #expect(record.model == "acme/cheap")
                #expect(record.cachedTokens == 200 && record.reasoningTokens == 100)
                #expect(abs((record.costUSD ?? 0) - expected) < 1e-12, "stream: \(record.stream)")
                // All-premium prices the same tokens on acme/premium, its cached ones at its cached price:
                // 800 × 10 + 200 × 5 + 500 × 20 per million (it has no reasoning price), not 0.02 at the plain prices.
                #expect(record.premiumModel == "acme/premium")
                #expect(abs((record.premiumCostUSD ?? 0) - 0.019) < 1e-12, "\(record.premiumCostUSD ?? 0)")
            }
        }
    }

    @Test func selectionsFollowTheRecordedTokensAndLatency() async throws {
        try await StubUpstream.run { _, port in
            // No latency measured yet, and 2,000 output tokens assumed until some are measured; the stub answers 500.
            let fixture = try GatewayFixture(upstreamPort: port) { store in
                try store.setTaskType(TaskTypeUpdate(name: GatewayFixture.task, outputTokens: 2_000))
            }
            let select = chatBody(model: "costwise/summarization", extra: #","costwise":{"max_latency_ms":60000}"#)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders, body: select) { response in
                    #expect(response.object["error"] as? String == "no_qualifying_model")
                }
                try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect((response.object["output_tokens"] as? NSNumber)?.doubleValue == 2_000)
                }
                for _ in 0..<3 {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: chatBody(model: "costwise/summarization")) { response in
                        #expect(response.status == .ok)
                    }
                }
                // The records are written in the background, and the snapshot rebuilt after them.
                var chosen: [String: Any] = [:]
                for _ in 0..<100 where chosen["model"] == nil {
                    try await Task.sleep(for: .milliseconds(50))
                    try await client.execute(uri: "/v1/select", method: .post, headers: jsonHeaders, body: select) { response in
                        chosen = response.object
                    }
                }
                #expect(chosen["model"] as? String == "acme/cheap")
                #expect((chosen["output_tokens"] as? NSNumber)?.doubleValue == 500)
            }
            let records = try fixture.store.requests()
            #expect(records.count == 3)
        }
    }
}
