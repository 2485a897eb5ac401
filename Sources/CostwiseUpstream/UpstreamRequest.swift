import NIOCore
import NIOHTTP1

/// A POST to send upstream, kept whole so that it can be sent again on a fresh connection when a
/// pooled one turns out to have been closed by the upstream.
struct UpstreamRequest: Sendable {
    var endpoint: UpstreamEndpoint
    /// The head as it goes on the wire: method, path and headers (`Host` and `Content-Length` included).
    var head: HTTPRequestHead
    var body: ByteBuffer
    /// When the whole call must have ended, connecting included; nil for none.
    var deadline: NIODeadline?

    init(url: UpstreamURL, headers: HTTPHeaders, body: ByteBuffer, deadline: NIODeadline?) {
        var fields = headers
        fields.replaceOrAdd(name: "host", value: url.hostHeader)
        fields.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        endpoint = url.endpoint
        head = HTTPRequestHead(version: .http1_1, method: .POST, uri: url.path, headers: fields)
        self.body = body
        self.deadline = deadline
    }
}
