import Foundation
import Testing
@testable import Costwise

/// ``ZipArchive`` on archives built byte by byte here: stored and Deflate members, the central
/// directory found past a comment, and damage and truncation refused with the member's name.
struct ZipArchiveTests {
    /// CRC-32 (the zip polynomial, bit by bit): an implementation of its own, not the reader's.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    struct Member {
        var name: String
        var data: [UInt8]
        var method: UInt16 = 0
        /// What the directory claims; the data's own size and CRC when nil.
        var uncompressedSize: Int?
        var crc32: UInt32?
    }

    /// A zip archive of `members` stored as given, with `comment` after the end record.
    static func archive(_ members: [Member], comment: String = "") -> [UInt8] {
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
        var bytes: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            let crc = Int(member.crc32 ?? crc32(member.data))
            let size = member.uncompressedSize ?? member.data.count
            let offset = bytes.count
            bytes += le32(0x0403_4B50) + le16(20) + le16(0) + le16(Int(member.method)) + le16(0) + le16(0)
                + le32(crc) + le32(member.data.count) + le32(size) + le16(name.count) + le16(0) + name + member.data
            directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(Int(member.method)) + le16(0) + le16(0)
                + le32(crc) + le32(member.data.count) + le32(size) + le16(name.count) + le16(0) + le16(0) + le16(0)
                + le16(0) + le32(0) + le32(offset) + name
        }
        let directoryOffset = bytes.count
        bytes += directory
        bytes += le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
            + le32(directory.count) + le32(directoryOffset) + le16(comment.utf8.count) + Array(comment.utf8)
        return bytes
    }

    /// One member, header.json, 168 bytes Deflate-compressed to 26; written by Python's zipfile.
    static let deflated: [UInt8] = [
        0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xB2, 0x09, 0x64, 0x63, 0x1A, 0x00,
        0x00, 0x00, 0xA8, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x68, 0x65, 0x61, 0x64, 0x65, 0x72, 0x2E, 0x6A, 0x73, 0x6F,
        0x6E, 0xAB, 0x56, 0x2A, 0x2E, 0x49, 0x2C, 0x29, 0x2D, 0x56, 0xB2, 0x52, 0x50, 0x2A, 0x2E, 0x4D, 0x4E, 0x4E, 0x2D, 0x2E,
        0x56, 0xAA, 0xAD, 0x1E, 0x7C, 0x82, 0x00, 0x50, 0x4B, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
        0x00, 0x21, 0x00, 0xB2, 0x09, 0x64, 0x63, 0x1A, 0x00, 0x00, 0x00, 0xA8, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x68, 0x65, 0x61, 0x64, 0x65, 0x72, 0x2E,
        0x6A, 0x73, 0x6F, 0x6E, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x39, 0x00, 0x00, 0x00,
        0x43, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    @Test("Stored members read back by name, in directory order; a name it lacks is nil")
    func storedMembers() throws {
        let first = Array(#"{"a": 1}"#.utf8)
        let second = Array("line one\nline two\n".utf8)
        let zip = try ZipArchive(bytes: Self.archive([Member(name: "a.json", data: first), Member(name: "dir/b.txt", data: second)]),
                                 file: "t.zip")
        #expect(zip.entries.map(\.name) == ["a.json", "dir/b.txt"])
        #expect(zip.entries.map(\.uncompressedSize) == [first.count, second.count])
        #expect(try zip.contents(of: "dir/b.txt") == second)
        #expect(try zip.contents(of: "a.json") == first)
        #expect(try zip.contents(of: "c.json") == nil)
        #expect(try ZipArchive(bytes: Self.archive([Member(name: "empty", data: [])]), file: nil).contents(of: "empty") == [])
    }

    @Test("The end record is found behind an archive comment")
    func comment() throws {
        let zip = try ZipArchive(bytes: Self.archive([Member(name: "m", data: [1, 2, 3])], comment: "made by hand, PK\u{5}\u{6} inside"),
                                 file: nil)
        #expect(try zip.contents(of: "m") == [1, 2, 3])
    }

    @Test("A Deflate member inflates to its recorded size and CRC")
    func deflate() throws {
        let zip = try ZipArchive(bytes: Self.deflated, file: "d.zip")
        #expect(zip.entries.map(\.method) == [8])
        let text = try #require(try zip.contents(of: "header.json"))
        #expect(text == Array(String(repeating: #"{"status": "success"}"#, count: 8).utf8))
    }

    @Test("Inspect AI's Zstandard members read back and parse as JSON")
    func zstandard() throws {
        let bytes = Array(try Data(contentsOf: fixturesFolder.appendingPathComponent("evals/inspect_mockllm.eval")))
        let zip = try ZipArchive(bytes: bytes, file: "inspect_mockllm.eval")
        #expect(!zip.entries.isEmpty && zip.entries.allSatisfy { $0.method == 93 })
        for entry in zip.entries {
            let contents = try zip.contents(of: entry)
            #expect(contents.count == entry.uncompressedSize)
            #expect((try? JSONSerialization.jsonObject(with: Data(contents))) != nil, "\(entry.name)")
        }
    }

    @Test("A changed byte, a wrong CRC or a claimed size the data cannot hold is damage, named by member")
    func damage() throws {
        let data = Array("the member's bytes".utf8)
        var changed = Self.archive([Member(name: "m.json", data: data)])
        changed[30 + 6 + 4] ^= 0x20 // a byte of the data, after the 30-byte header and the name
        let damaged = InputError(file: "z.zip", field: "m.json", "the archive member is damaged")
        #expect(throws: damaged) { try ZipArchive(bytes: changed, file: "z.zip").contents(of: "m.json") }
        #expect(throws: damaged) {
            try ZipArchive(bytes: Self.archive([Member(name: "m.json", data: data, crc32: 1)]), file: "z.zip").contents(of: "m.json")
        }
        // Deflate data claiming far more than 26 bytes can inflate to: refused before inflating.
        var bomb = Self.deflated
        bomb[22] = 0xFF; bomb[23] = 0xFF; bomb[24] = 0xFF // the local header's size
        bomb[67 + 24] = 0xFF; bomb[67 + 25] = 0xFF; bomb[67 + 26] = 0xFF // the directory's
        #expect(throws: InputError(file: "z.zip", field: "header.json", "the archive member is damaged")) {
            try ZipArchive(bytes: bomb, file: "z.zip").contents(of: "header.json")
        }
        // Deflate data cut short inside: the stream does not end.
        var cut = Self.deflated
        cut[50] ^= 0xFF
        #expect(throws: InputError.self) { try ZipArchive(bytes: cut, file: "z.zip").contents(of: "header.json") }
    }

    @Test("A compression method other than stored, Deflate and Zstandard is refused by name")
    func unsupportedMethod() throws {
        let zip = try ZipArchive(bytes: Self.archive([Member(name: "m.bz2", data: [1, 2, 3], method: 12)]), file: "z.zip")
        #expect(throws: InputError(file: "z.zip", field: "m.bz2", "compression method 12 is not supported")) {
            try zip.contents(of: "m.bz2")
        }
    }

    @Test("A truncated archive, or bytes that are no archive, are refused whole", arguments: [0, 10, 21, 60, 100])
    func truncated(keep: Int) throws {
        let bytes = Self.archive([Member(name: "a.json", data: Array("0123456789".utf8)), Member(name: "b.json", data: [1])])
        #expect(keep < bytes.count)
        #expect(throws: InputError(file: "t.zip", "not a complete zip archive (no central directory; truncated?)")) {
            try ZipArchive(bytes: Array(bytes.prefix(keep)), file: "t.zip")
        }
    }

    @Test("A directory that points past the end, or at no member, is refused")
    func directoryPastTheEnd() throws {
        var bytes = Self.archive([Member(name: "a", data: [1, 2])])
        let end = bytes.count - 22
        bytes[end + 16] = 0xF0 // the directory's offset
        #expect(throws: InputError.self) { try ZipArchive(bytes: bytes, file: nil) }

        var moved = Self.archive([Member(name: "a", data: [1, 2])])
        let directory = 30 + 1 + 2
        moved[directory + 42] = 5 // the member's local header offset
        let zip = try ZipArchive(bytes: moved, file: "z.zip")
        #expect(throws: InputError(file: "z.zip", field: "a", "the archive member is damaged")) { try zip.contents(of: "a") }
    }
}
