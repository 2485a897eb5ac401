@testable import CostwiseUpstream
import Testing

/// How an upstream's URL is read, once, into where to connect and what to send: a wrong `Host`
/// header or path is an upstream that answers 404 or refuses the request.
@Suite struct UpstreamURLTests {
    @Test(arguments: [
        ("https://api.openai.com/v1/chat/completions", true, "api.openai.com", 443, "api.openai.com", "/v1/chat/completions"),
        ("http://localhost:80/v1/chat/completions", false, "localhost", 80, "localhost", "/v1/chat/completions"),
        ("http://127.0.0.1:8000", false, "127.0.0.1", 8000, "127.0.0.1:8000", "/"),
        ("http://[::1]:8080?stream=1", false, "::1", 8080, "[::1]:8080", "/?stream=1"),
        ("https://[2001:db8::1]/api", true, "2001:db8::1", 443, "[2001:db8::1]", "/api"),
    ])
    func whereAndWhat(url: String, isTLS: Bool, host: String, port: Int, hostHeader: String, path: String) throws {
        let target = try #require(UpstreamURL(url))
        #expect(target.endpoint == UpstreamEndpoint(isTLS: isTLS, host: host, port: port))
        #expect(target.hostHeader == hostHeader)
        #expect(target.path == path)
    }
}
