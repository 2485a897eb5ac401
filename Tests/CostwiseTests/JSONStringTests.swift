import Foundation
import Testing
@testable import Costwise

/// Strings as Costwise writes them into JSON: escaped where JSON requires it, every other character
/// as it is, so that any JSON reader gets the same string back.
struct JSONStringTests {
    func written(_ text: String) -> String {
        var output = ""
        JSONValue.writeString(text, to: &output)
        return output
    }

    @Test("Quotes, backslashes and control characters are escaped; everything else is written as it is")
    func escapes() {
        #expect(written("openai/gpt-4o-mini") == "\"openai/gpt-4o-mini\"")
        #expect(written("") == "\"\"")
        #expect(written("say \"hi\"\\n") == "\"say \\\"hi\\\"\\\\n\"")
        #expect(written("a\nb\rc\td\u{0}e\u{1F}") == "\"a\\nb\\rc\\td\\u0000e\\u001f\"")
        #expect(written("quality ≥ 0.8, café, 🙂\u{7F}") == "\"quality ≥ 0.8, café, 🙂\u{7F}\"")
        #expect(written("\"") == "\"\\\"\"")
    }

    @Test("Any string reads back the same through a JSON reader", arguments: [
        "plain", "\"quoted\" and \\back\\slashed\\", "line\nbreaks\r\nand\ttabs", "\u{0}\u{1}\u{8}\u{C}\u{1F} controls",
        "ends with an escape\n", "\nstarts with one", "ünïcödé ≥ ≤ 漢字 👩‍👩‍👧 e\u{301}",
    ])
    func roundTrip(text: String) throws {
        let data = Data(written(text).utf8)
        #expect(try JSONDecoder().decode(String.self, from: data) == text)
    }
}
