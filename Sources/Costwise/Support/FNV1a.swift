/// 64-bit FNV-1a of a text's UTF-8 bytes: the same in every process, unlike `Hasher`, for
/// reproducible splits.
enum FNV1a {
    static func hash(_ text: String) -> UInt64 {
        func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
        // Native strings, small ones too, lend their bytes in one piece; others are walked.
        return text.utf8.withContiguousStorageIfAvailable(hash) ?? hash(text.utf8)
    }
}
