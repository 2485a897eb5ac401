import Costwise
@testable import CostwiseGateway
import NIOCore
import Testing

/// The text the gateway writes itself: the body it sends upstream, the answer it hands back, and
/// the reason header. Every byte it does not mean to change passes as it was written.
@Suite struct AnswerTextTests {
    private let model = Model(id: "acme/fast \"v2\"", provider: "acme", price: Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6))

    private func upstreamBody(_ client: String, stream: Bool) throws -> String {
        let members = try #require(JSONMembers(Array(client.utf8)))
        return String(buffer: Gateway.upstreamBody(members, modelID: "fast-v2", stream: stream))
    }

    @Test func theUpstreamGetsItsModelIDWithoutTheCostwiseOptions() throws {
        #expect(try upstreamBody(#"{"model": "costwise/summarization" ,"messages":[{"role":"user","content":"hi"}],"costwise":{"min_quality":0.9},"temperature":0.20}"#,
                                 stream: false)
                == #"{"model": "fast-v2","messages":[{"role":"user","content":"hi"}],"temperature":0.20}"#)
    }

    @Test func aStreamAsksForUsageAndKeepsTheClientsOtherStreamOptions() throws {
        #expect(try upstreamBody(#"{"model":"costwise/auto","stream":true,"messages":[]}"#, stream: true)
                == #"{"model":"fast-v2","stream":true,"messages":[],"stream_options":{"include_usage":true}}"#)
        #expect(try upstreamBody(#"{"model":"x","stream":true,"stream_options":{"include_usage":false,"other":1},"messages":[]}"#, stream: true)
                == #"{"model":"fast-v2","stream":true,"stream_options":{"include_usage":true,"other":1},"messages":[]}"#)
    }

    @Test func anAnswerNamesTheCatalogModelAndCostsItsUsage() throws {
        let answer = #"{"id":"c1","model":"fast-v2","choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}],"#
            + #""usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}}"#
        let rewritten = try #require(AnswerRewriter(model: model).rewrite(Array(answer.utf8)))
        #expect(String(decoding: rewritten.bytes, as: UTF8.self)
                == #"{"id":"c1","model":"acme/fast \"v2\"","choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}],"#
                + #""usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"cost_usd":0.00045}}"#)
        #expect(rewritten.costUSD == 0.00045)
        #expect(!rewritten.hasNoChoices)
    }

    @Test func aUsageWithoutCountsCostsNull() throws {
        let chunk = #"{"model":"m","choices":[],"usage":{"prompt_tokens":3}}"#
        let rewritten = try #require(AnswerRewriter(model: model).rewrite(Array(chunk.utf8)))
        #expect(String(decoding: rewritten.bytes, as: UTF8.self)
                == #"{"model":"acme/fast \"v2\"","choices":[],"usage":{"prompt_tokens":3,"cost_usd":null}}"#)
        #expect(rewritten.costUSD == nil && rewritten.hasNoChoices)
    }

    @Test func aReasonBecomesOneLineOfASCII() {
        #expect(GatewayHeaders.value("selected: cheapest with quality 0.91 ≥ 0.8") == "selected: cheapest with quality 0.91 >= 0.8")
        #expect(GatewayHeaders.value("p95 ≤ 900 ms\nnext\tline\r") == "p95 <= 900 ms next line ")
        #expect(GatewayHeaders.value("café 🙂 e\u{301}\u{7F}\u{1}") == "caf? ? e???")
    }
}
