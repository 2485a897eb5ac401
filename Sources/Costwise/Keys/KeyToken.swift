/// A gateway key's secret: `cwk_` and 64 hex digits, 256 random bits from the system's
/// cryptographically secure generator (`getrandom` on Linux).
///
/// The token is shown once, when the key is made; the store keeps only its SHA-256 and its first
/// twelve characters (``prefix``), enough to recognise a key in a listing but not to use it. With
/// 256 random bits, a hash lookup is as good as a comparison with the token: no one can make a
/// token that hashes to a stored digest, and the time a lookup takes says nothing about the token.
public struct KeyToken: Sendable {
    /// What every token starts with, so that a leaked one is recognisable as a Costwise key.
    public static let marker = "cwk_"
    /// How many characters of a token its ``prefix`` keeps: the marker and 8 hex digits (32 bits).
    public static let prefixLength = 12

    public let text: String

    /// A new random token.
    public static func generate() -> KeyToken {
        var generator = SystemRandomNumberGenerator()
        var text = marker
        for _ in 0..<4 {
            let word = String(generator.next() as UInt64, radix: 16)
            text += String(repeating: "0", count: 16 - word.count) + word
        }
        return KeyToken(text: text)
    }

    /// The token's SHA-256 as 64 lowercase hex digits: what the store keeps.
    public var sha256: String { Self.sha256(of: text) }

    /// The token's first characters: what listings show to tell keys apart.
    public var prefix: String { String(text.prefix(Self.prefixLength)) }

    /// The SHA-256 of a token as presented by a client, whatever it holds.
    public static func sha256(of presented: some StringProtocol) -> String {
        SHA256.hex(Array(presented.utf8))
    }
}
