import CZlib

/// Reads the members of a zip archive: stored, Deflate, or Zstandard (method 93, which Inspect
/// AI's `.eval` logs use for every member, read through ``ZstdLibrary``).
///
/// Every member is checked against the CRC-32 the archive records for it, so a damaged byte is an
/// error rather than a changed score.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let file: String?
    let entries: [Entry]

    init(bytes: [UInt8], file: String?) throws {
        self.bytes = bytes
        self.file = file
        let notAnArchive = InputError(file: file, "not a complete zip archive (no central directory; truncated?)")
        // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
        let searchStart = max(0, bytes.count - 65_557)
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: searchStart, by: -1).first(where: { Self.uint32(bytes, $0) == 0x0605_4b50 })
        else { throw notAnArchive }
        let count = Int(Self.uint16(bytes, end + 10))
        var offset = Int(Self.uint32(bytes, end + 16))
        var entries: [Entry] = []
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, Self.uint32(bytes, offset) == 0x0201_4b50 else { throw notAnArchive }
            let nameLength = Int(Self.uint16(bytes, offset + 28))
            let extraLength = Int(Self.uint16(bytes, offset + 30))
            let commentLength = Int(Self.uint16(bytes, offset + 32))
            guard offset + 46 + nameLength <= bytes.count else { throw notAnArchive }
            entries.append(Entry(
                name: String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self),
                method: Self.uint16(bytes, offset + 10),
                crc32: Self.uint32(bytes, offset + 16),
                compressedSize: Int(Self.uint32(bytes, offset + 20)),
                uncompressedSize: Int(Self.uint32(bytes, offset + 24)),
                localHeaderOffset: Int(Self.uint32(bytes, offset + 42))))
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The uncompressed bytes of the member called `name`, or nil when there is none.
    func contents(of name: String) throws -> [UInt8]? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return try contents(of: entry)
    }

    func contents(of entry: Entry) throws -> [UInt8] {
        let damaged = InputError(file: file, field: entry.name, "the archive member is damaged")
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, Self.uint32(bytes, header) == 0x0403_4b50 else { throw damaged }
        let start = header + 30 + Int(Self.uint16(bytes, header + 26)) + Int(Self.uint16(bytes, header + 28))
        guard start + entry.compressedSize <= bytes.count else { throw damaged }
        let compressed = Array(bytes[start..<(start + entry.compressedSize)])
        if entry.method == 0 {
            guard Self.crc32(compressed) == entry.crc32 else { throw damaged }
            return compressed
        }
        // The most one compressed byte can stand for: about 1,032 for Deflate, and 32,768 for
        // Zstandard (a 4-byte block repeating one byte 128 KiB times). A member that claims more is
        // damaged, or made to exhaust memory, and is refused before memory is set aside for it.
        let largestExpansion: Int
        switch entry.method {
        case 8: largestExpansion = 1_100
        case 93: largestExpansion = 32_768
        default: throw InputError(file: file, field: entry.name, "compression method \(entry.method) is not supported")
        }
        guard entry.uncompressedSize <= (entry.compressedSize + 1) * largestExpansion else { throw damaged }
        var output = [UInt8](repeating: 0, count: entry.uncompressedSize)
        if entry.method == 8 {
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw damaged }
            defer { inflateEnd(&stream) }
            let result = compressed.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                    stream.avail_in = uInt(input.count)
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_FINISH)
                }
            }
            guard result == Z_STREAM_END, Int(stream.total_out) == entry.uncompressedSize else { throw damaged }
        } else {
            let zstd = try ZstdLibrary.shared.mapError { InputError(file: file, field: entry.name, $0.description) }.get()
            let written = compressed.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { out in zstd.decompress(input, into: out) }
            }
            guard written == entry.uncompressedSize else { throw damaged }
        }
        guard Self.crc32(output) == entry.crc32 else { throw damaged }
        return output
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count))) }
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
