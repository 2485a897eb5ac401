/// Something a model can do beyond plain text chat, which a request may need: calling tools,
/// reading images, answering to a JSON schema.
///
/// Names are kebab-case (`json-schema`). ``known`` lists the ones Costwise reads from price sources
/// and accepts from users; a store may hold others, written by a newer Costwise, and keeps them.
/// Adding one: a static here, an entry in ``known``, and where the price sources say it (see
/// ``LiteLLMCostMap`` and ``OpenRouterListing``).
public struct Capability: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Function or tool calling (`tools` in a chat-completions request).
    public static let tools = Capability(rawValue: "tools")
    /// Image input (`image_url` parts in a message).
    public static let vision = Capability(rawValue: "vision")
    /// Structured output to a JSON schema (`response_format` of type `json_schema`).
    public static let jsonSchema = Capability(rawValue: "json-schema")

    /// Every capability Costwise knows, in the order listings show them.
    public static let known: [Capability] = [.tools, .vision, .jsonSchema]

    /// The known capability named `name`.
    ///
    /// - Throws: ``InputError`` naming `name` and the known ones, when it is none of them.
    public init(validating name: String, field: String = "capability") throws {
        guard let known = Self.known.first(where: { $0.rawValue == name }) else {
            throw InputError(field: field, "unknown capability \(name.quoted); known: \(Self.known.map(\.rawValue).joined(separator: ", "))")
        }
        self = known
    }

    public var description: String { rawValue }

    public static func < (a: Capability, b: Capability) -> Bool {
        a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8)
    }
}

extension Set where Element == Capability {
    /// The names in byte order, joined by `separator`: how stores and price tables keep them.
    public func joined(separator: String = ";") -> String {
        sorted().map(\.rawValue).joined(separator: separator)
    }

    /// The capabilities in `text`, names separated by `;`, `,` or spaces; unknown names are kept.
    public init(listed text: String) {
        self.init(text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map { Capability(rawValue: String($0)) })
    }
}

extension Capability {
    /// The capabilities a request needs, as a selection checks them: the known ones as bits, matched
    /// against each candidate's bits with one AND, and any others by name.
    struct Requirement: Sendable {
        let bits: UInt64
        let others: Set<Capability>

        init(_ required: Set<Capability>) {
            bits = Capability.bits(of: required)
            others = required.filter { !Capability.known.contains($0) }
        }

        var isEmpty: Bool { bits == 0 && others.isEmpty }

        func isMet(by candidate: Candidate) -> Bool {
            candidate.capabilityBits & bits == bits && (others.isEmpty || candidate.model.capabilities.isSuperset(of: others))
        }

        /// The required capabilities `candidate` lacks, in byte order.
        func missing(from candidate: Candidate) -> [Capability] {
            let lacking = Capability.known.indices.filter { bits & (1 << $0) != 0 && candidate.capabilityBits & (1 << $0) == 0 }
                .map { Capability.known[$0] }
            return (lacking + others.subtracting(candidate.model.capabilities)).sorted()
        }
    }

    /// One bit per ``known`` capability in `capabilities`, by its place in that list.
    static func bits(of capabilities: Set<Capability>) -> UInt64 {
        var bits: UInt64 = 0
        for (place, capability) in known.enumerated() where capabilities.contains(capability) { bits |= 1 << place }
        return bits
    }
}
