@testable import CostwiseGateway
import Testing

/// How the gateway reads an answer's `usage`: the counts it prices, and what it declines to trust.
@Suite struct UsageReadingTests {
    private func read(_ text: String) -> Usage? { Usage.decode(ArraySlice(Array(text.utf8))) }

    @Test func countsAndTheirDetailsAreRead() {
        let usage = read(#"{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"#
            + #""prompt_tokens_details":{"audio_tokens":0,"cached_tokens":200},"completion_tokens_details":{"reasoning_tokens":100,"x":[1,{}]}}"#)
        #expect(usage == Usage(promptTokens: 1000, completionTokens: 500, cachedTokens: 200, reasoningTokens: 100))
    }

    @Test func absentAndNullCountsAreUnknown() {
        #expect(read(#"{"prompt_tokens":7,"completion_tokens":null,"prompt_tokens_details":null}"#)
                == Usage(promptTokens: 7, completionTokens: nil, cachedTokens: nil, reasoningTokens: nil))
        #expect(read("null") == nil)
    }

    @Test func aCountThatIsNotAnIntegerMakesTheUsageUnknown() {
        #expect(read(#"{"prompt_tokens":10.0,"completion_tokens":2}"#)?.promptTokens == 10)
        #expect(read(#"{"prompt_tokens":"10","completion_tokens":2}"#) == nil)
        #expect(read(#"{"prompt_tokens":10.5,"completion_tokens":2}"#) == nil)
        #expect(read(#"{"prompt_tokens":10,"completion_tokens":2"#) == nil, "cut short")
    }
}
