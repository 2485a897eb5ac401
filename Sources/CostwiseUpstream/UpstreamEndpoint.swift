/// Where an upstream listens: scheme, host and port, as read from a request's URL. Connections are
/// pooled per endpoint.
struct UpstreamEndpoint: Hashable, Sendable {
    var isTLS: Bool
    var host: String
    var port: Int

    /// The `Host` header's value: the port only when it is not the scheme's own.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    /// Whether the host is an IP address rather than a name (TLS then sends no server name).
    var hostIsAddress: Bool {
        host.contains(":") || host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Reads `http[s]://host[:port][/path]`; nil for anything else. The path includes the query and
    /// is `/` when the URL has none.
    static func parse(_ url: String) -> (endpoint: UpstreamEndpoint, path: String)? {
        let isTLS: Bool
        var rest: Substring
        if url.hasPrefix("https://") {
            isTLS = true
            rest = url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            isTLS = false
            rest = url.dropFirst(7)
        } else {
            return nil
        }
        let authority: Substring
        let path: String
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
            authority = rest[..<slash]
            path = rest[slash] == "?" ? "/" + rest[slash...] : String(rest[slash...])
        } else {
            authority = rest
            path = "/"
        }
        rest = authority
        guard !rest.contains("@") else { return nil }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { return nil }
        let port: Int
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else { return nil }
            port = number
        } else {
            port = isTLS ? 443 : 80
        }
        return (UpstreamEndpoint(isTLS: isTLS, host: String(host), port: port), path)
    }
}

/// An http or https URL read once: where to connect, the path to ask for and the `Host` header,
/// so that a caller that sends to the same URL again and again does not read it each time.
public struct UpstreamURL: Sendable, Hashable {
    let endpoint: UpstreamEndpoint
    /// The path and query, `/` when the URL has none.
    let path: String
    let hostHeader: String

    /// Nil unless `url` is `http[s]://host[:port][/path]` with a port from 1 to 65535.
    public init?(_ url: String) {
        guard let (endpoint, path) = UpstreamEndpoint.parse(url) else { return nil }
        self.endpoint = endpoint
        self.path = path
        hostHeader = endpoint.hostHeader
    }
}
