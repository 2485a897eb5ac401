/// What a gateway key may do. A key holds one or more scopes; each endpoint needs one of them.
///
/// - `chat`: chat completions and selections (`POST /v1/chat/completions`, `POST /v1/select`).
/// - `feedback`: scoring answered requests (`POST /v1/feedback`).
/// - `admin`: metrics, the dashboard and key management over HTTP.
public enum KeyScope: String, Sendable, Hashable, CaseIterable, Comparable {
    case chat
    case feedback
    case admin

    /// What a new key gets when none are named: it can route and score, not administer.
    public static let defaults: Set<KeyScope> = [.chat, .feedback]

    /// Reads a comma-separated list such as `chat,feedback`; an unknown or empty name is an error
    /// that names it.
    public static func parseList(_ text: String, field: String = "scopes") throws -> Set<KeyScope> {
        var scopes: Set<KeyScope> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingSpaces
            guard let scope = KeyScope(rawValue: name) else {
                throw InputError(field: field, "unknown scope \(name.quoted); the scopes are chat, feedback and admin")
            }
            scopes.insert(scope)
        }
        return scopes
    }

    /// Scopes in their fixed order, joined by commas: how the store and listings write them.
    public static func list(_ scopes: Set<KeyScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }

    public static func < (lhs: KeyScope, rhs: KeyScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
