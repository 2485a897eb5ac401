import Testing
@testable import Costwise

/// ``YAMLNode`` over libyaml: nesting, quoting and escapes, CRLF, an empty document, and errors
/// that name the line of duplicate keys, aliases, keys that are not text and broken input.
struct YAMLNodeTests {
    func parse(_ text: String) throws -> YAMLNode { try YAMLNode.parse(Array(text.utf8), file: "w.yaml") }

    @Test("Mappings, sequences and scalars nest, each with the line it starts on")
    func nesting() throws {
        let node = try parse("""
            name: pipeline
            steps:
              - name: first
                tokens: {input: 10, output: 2}
              - [a, b]
            empty:
            """)
        #expect(node.line == 1)
        #expect(node["name"]?.scalar == "pipeline")
        guard case .sequence(let steps, let line)? = node["steps"] else { Issue.record("steps is no sequence"); return }
        #expect(line == 3 && steps.count == 2)
        #expect(steps[0]["name"]?.scalar == "first" && steps[0].line == 3)
        #expect(steps[0]["tokens"]?["output"]?.scalar == "2" && steps[0]["tokens"]?["output"]?.line == 4)
        guard case .sequence(let pair, _) = steps[1] else { Issue.record("no inner sequence"); return }
        #expect(pair.map(\.scalar) == ["a", "b"] && steps[1].line == 5)
        #expect(node["empty"]?.scalar == "" && node["missing"] == nil && node.scalar == nil)
    }

    @Test("Quoted scalars: double quotes take escapes, single quotes double their quote, plain text is as written")
    func quoting() throws {
        let node = try parse(#"""
            double: "tab\there \"q\" \u00e9"
            single: 'it''s # not a comment'
            plain: a b # a comment
            number: 0.80
            folded: >
              two
              lines
            """#)
        #expect(node["double"]?.scalar == "tab\there \"q\" é")
        #expect(node["single"]?.scalar == "it's # not a comment")
        #expect(node["plain"]?.scalar == "a b")
        #expect(node["number"]?.scalar == "0.80")
        #expect(node["folded"]?.scalar == "two lines", "folded, and clipped: the document ends without a line break")
    }

    @Test("CRLF line ends read as LF ones, lines counted alike")
    func crlf() throws {
        let node = try parse("a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
        #expect(node["a"]?.scalar == "1")
        guard case .sequence(let items, _)? = node["b"] else { Issue.record("b is no sequence"); return }
        #expect(items.map(\.scalar) == ["x", "y"] && items.map(\.line) == [3, 4])
    }

    @Test("An empty document, or comments only, is an empty mapping")
    func empty() throws {
        for text in ["", "\n\n", "# nothing here\n"] {
            guard case .mapping(let members, _) = try parse(text) else { Issue.record("\(text.debugDescription)"); continue }
            #expect(members.isEmpty)
        }
    }

    @Test("A key given twice is refused on its second line, naming it")
    func duplicateKey() {
        #expect(throws: InputError(file: "w.yaml", line: 3, field: "a", "the key appears twice")) {
            try parse("a: 1\nb: 2\na: 3\n")
        }
    }

    @Test("Aliases and keys that are not text are refused on their line")
    func aliasesAndComplexKeys() {
        #expect(throws: InputError(file: "w.yaml", line: 2, "YAML aliases are not supported here")) {
            try parse("a: &x 1\nb: *x\n")
        }
        #expect(throws: InputError(file: "w.yaml", line: 1, "mapping keys must be plain text")) {
            try parse("? [a, b]\n: 1\n")
        }
    }

    @Test("Broken or truncated YAML is refused with libyaml's reason and the line it stopped on")
    func broken() throws {
        let unclosed = try #require(throws: InputError.self) { try parse("a: 1\nb: \"never closed\n\n") }
        #expect(unclosed.file == "w.yaml" && unclosed.line == 4, "\(unclosed)")
        #expect(unclosed.message == "found unexpected end of stream", "\(unclosed)")
        let indent = try #require(throws: InputError.self) { try parse("a:\n  b: 1\n c: 2\n") }
        #expect(indent.line == 3, "\(indent)")
        let flow = try #require(throws: InputError.self) { try parse("a: [1, 2\n") }
        #expect(flow.line == 2, "\(flow)")
    }
}
