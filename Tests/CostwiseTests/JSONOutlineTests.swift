import Testing
@testable import Costwise

/// ``JSONOutline``: where a document's top-level members stand and on which line, how deep it
/// nests, and repeated top-level keys, never confused by brackets, quotes or escapes inside strings.
struct JSONOutlineTests {
    @Test("An object's container members: keys as written, the line of each key, and each value's exact bytes")
    func objectMembers() {
        let text = """
            {
              "a": {"x": "}]"},
              "scalar": 3,
              "b \\"q\\"":
                [1, {"y": "{"}],
              "c": {}
            }
            """
        let bytes = Array(text.utf8)
        let members = JSONOutline.containerMembers(bytes)
        #expect(members.map(\.key) == ["a", "b \\\"q\\\"", "c"])
        #expect(members.map(\.line) == [2, 4, 6])
        #expect(members.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [#"{"x": "}]"}"#, #"[1, {"y": "{"}]"#, "{}"])
    }

    @Test("An array's container members have no key and start on their value's line")
    func arrayMembers() {
        let text = "[\n {\"a\": 1},\n 2,\n \"[\",\n\n [3]\n]"
        let bytes = Array(text.utf8)
        let members = JSONOutline.containerMembers(bytes)
        #expect(members.map(\.key) == [nil, nil])
        #expect(members.map(\.line) == [2, 6])
        #expect(members.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [#"{"a": 1}"#, "[3]"])
    }

    @Test("A truncated document gives the members that closed, and no more")
    func truncated() {
        let members = JSONOutline.containerMembers(Array(#"{"a": [1], "b": {"c": [2"#.utf8))
        #expect(members.map(\.key) == ["a"])
        #expect(JSONOutline.containerMembers(Array(#"{"a": "unterminated {"#.utf8)).isEmpty)
    }

    @Test("Nesting at the limit passes; one deeper is refused on the line it happens, brackets in strings not counted")
    func depth() throws {
        try JSONOutline.checkDepth(Array(#"[[["]]]]]]"]]]"#.utf8), limit: 3, file: "d.json")
        #expect(throws: InputError(file: "d.json", line: 3, field: "results", "arrays and objects nest deeper than 3 levels")) {
            try JSONOutline.checkDepth(Array("{\"a\":\n[\n[{\"b\": 1}]]}".utf8), limit: 3, file: "d.json", field: "results")
        }
        // An escaped quote does not end the string: the brackets after it are still inside.
        try JSONOutline.checkDepth(Array(#"["\"[[[[", "\\", []]"#.utf8), limit: 2, file: nil)
    }

    @Test("The first top-level key given twice, compared as written; nested and escaped look-alikes are not repeats")
    func repeatedKeys() {
        #expect(JSONOutline.repeatedKey(in: Array(#"{"a": 1, "b": {"a": 2, "a": 3}, "c": 4}"#.utf8)) == nil)
        #expect(JSONOutline.repeatedKey(in: Array(#"{"a": 1, "b": [{"b": 1}], "b": 2, "a": 3}"#.utf8)) == "b")
        #expect(JSONOutline.repeatedKey(in: Array(#"{"a": "a", "\u0061": 1, "x\"": 2, "x\\": 3}"#.utf8)) == nil)
        #expect(JSONOutline.repeatedKey(in: Array(#"{"x\"": 1, "x\"": 2}"#.utf8)) == #"x\""#)
        // A string value that looks like a key is not one.
        #expect(JSONOutline.repeatedKey(in: Array(#"{"k": "v", "v": 1}"#.utf8)) == nil)
    }
}
