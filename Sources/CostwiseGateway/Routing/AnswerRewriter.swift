import Costwise

/// Rewrites an upstream's chat-completion object, whole or one streamed chunk, for the client: the
/// `model` becomes the catalog id the gateway chose, and a `usage` object gains `cost_usd`, what
/// its tokens cost at the store's prices. Every other byte passes as the upstream wrote it.
struct AnswerRewriter: Sendable {
    /// The catalog id, as a JSON string.
    let modelJSON: String
    /// The model that answers, whose prices cost its tokens.
    let model: Model

    init(model: Model) {
        modelJSON = JSONText.string(model.id)
        self.model = model
    }

    /// What one object said about its tokens, and the object as the client gets it.
    struct Rewritten {
        var bytes: [UInt8]
        /// The object's usage, when it had one that is not null.
        var usage: Usage?
        var costUSD: Double?
        /// Whether the object's `choices` is an empty array: a stream's usage-only chunk.
        var hasNoChoices: Bool
    }

    /// The object rewritten; nil when `bytes` holds no JSON object (passed on unchanged).
    func rewrite(_ bytes: [UInt8]) -> Rewritten? {
        guard let members = JSONMembers(bytes) else { return nil }
        var replacements: [(key: String, value: String)] = []
        if members.member("model") != nil { replacements.append(("model", modelJSON)) }
        var usage: Usage?
        var cost: Double?
        if let usageBytes = members.value("usage"), let reported = Usage.decode(usageBytes) {
            usage = reported
            cost = reported.cost(for: model)
            replacements.append(("usage", Self.adding("cost_usd", value: cost.map(JSONText.number) ?? "null", to: usageBytes)))
        }
        return Rewritten(bytes: members.rewritten(replacing: replacements), usage: usage, costUSD: cost,
                         hasNoChoices: members.value("choices").map(Self.isEmptyArray) ?? true)
    }

    /// Whether `value` is `[]`, with any whitespace inside.
    static func isEmptyArray(_ value: ArraySlice<UInt8>) -> Bool {
        guard value.first == UInt8(ascii: "[") else { return false }
        let inside = value.dropFirst().drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return inside.first == UInt8(ascii: "]")
    }

    /// The JSON object `object` with the member `key: value` added at its end (replacing one of that name).
    static func adding(_ key: String, value: String, to object: ArraySlice<UInt8>) -> String {
        guard let members = JSONMembers(Array(object)) else { return String(decoding: object, as: UTF8.self) }
        return String(decoding: members.rewritten(replacing: [(key, value)]), as: UTF8.self)
    }
}
