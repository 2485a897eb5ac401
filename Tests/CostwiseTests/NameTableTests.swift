import Testing
@testable import Costwise

/// The name tables every select looks its task type, providers and excluded models up in.
struct NameTableTests {
    /// Names of every length up to 40 bytes, ASCII and not, so that each word-and-tail split of the
    /// hash and of the byte comparison is exercised.
    static let names: [String] = (0..<2_000).map { index in
        let base = ["openai", "anthropic", "mistral", "modèle-é", "模型", "x"][index % 6]
        return String((base + "/" + String(index, radix: 7) + String(repeating: "abcdefgh", count: index % 5)).prefix(index % 41))
    }

    @Test("Each distinct name is found at the number of its first appearance")
    func numbersInOrder() {
        let table = NameTable(Self.names)
        var firstNumber: [String: Int] = [:]
        for name in Self.names where firstNumber[name] == nil { firstNumber[name] = firstNumber.count }
        #expect(table.count == firstNumber.count)
        for (name, number) in firstNumber {
            #expect(table[name] == number, "\(name)")
            // The same text built another way, as a request's strings are.
            #expect(table[String(decoding: Array(name.utf8), as: UTF8.self)] == number, "\(name)")
        }
    }

    @Test("A short name is found however its string was made, inline or in storage of its own")
    func shortNamesInEveryForm() {
        let table = NameTable(["openai", "task-042", "modèle-é", "ai21/model-0001", "openai/model-0123"])
        for (name, number) in [("openai", 0), ("task-042", 1), ("modèle-é", 2), ("ai21/model-0001", 3), ("openai/model-0123", 4)] {
            // Reserved room makes a string keep its bytes in storage of its own, however short.
            var stored = String()
            stored.reserveCapacity(64)
            stored += name
            let interpolated = "\(name.prefix(3))\(name.dropFirst(3))"
            for form in [name, stored, interpolated, String(decoding: Array(name.utf8), as: UTF8.self), String(name[...])] {
                #expect(table[form] == number, "\(form)")
            }
        }
        var absent = String()
        absent.reserveCapacity(64)
        absent += "openai2"
        #expect(table[absent] == nil)
        #expect(table["openai2"] == nil)
    }

    @Test("Names the table does not hold are not found, however close they are")
    func absentNames() {
        let table = NameTable(["openai/gpt-4o-mini-2024-07-18", "anthropic", "a"])
        for absent in ["openai/gpt-4o-mini-2024-07-19", "openai/gpt-4o-mini-2024-07-1", "openai/gpt-4o-mini-2024-07-180",
                       "Openai/gpt-4o-mini-2024-07-18", "anthropi", "anthropicc", "", "b", "A"] {
            #expect(table[absent] == nil, "\(absent)")
        }
        #expect(table["openai/gpt-4o-mini-2024-07-18"] == 0)
        #expect(table["a"] == 2)
        #expect(NameTable([String]())["anything"] == nil)
    }

    @Test("A name is told to be its number's by its bytes alone: each byte and the length count")
    func nameIsNumber() {
        let table = NameTable(Self.names)
        // Every wrong answer, gathered so that a broken comparison fails once, not thousands of times.
        var wrong: [String] = []
        for name in Set(Self.names) {
            let number = table[name]!
            for same in [name, String(decoding: Array(name.utf8), as: UTF8.self)] where !table.name(number, is: same) {
                wrong.append("\(name) is not itself")
            }
            var bytes = Array(name.utf8)
            // Each byte changed in turn, then one byte more and one less.
            var others = [name + "a"]
            if !bytes.isEmpty { others.append(String(decoding: bytes.dropLast(), as: UTF8.self)) }
            for offset in bytes.indices {
                bytes[offset] ^= 0x20
                others.append(String(decoding: bytes, as: UTF8.self))
                bytes[offset] ^= 0x20
            }
            for other in others where table.name(number, is: other) { wrong.append("\(name) is \(other)") }
        }
        #expect(wrong.count == 0, "first: \(wrong.prefix(3))")
        // Equal as text, and as long, but not the same bytes: two combining accents in either order.
        let accented = NameTable(["openai/a\u{316}\u{301}"])
        #expect("openai/a\u{316}\u{301}" == "openai/a\u{301}\u{316}")
        #expect(accented.name(0, is: "openai/a\u{316}\u{301}"))
        #expect(!accented.name(0, is: "openai/a\u{301}\u{316}"))
    }

    @Test("The empty name is a name like any other, even alone in its table")
    func emptyName() {
        let table = NameTable([""])
        #expect(table[""] == 0)
        #expect(table["a"] == nil)
        #expect(NameTable(["a", ""])[""] == 1)
    }
}
