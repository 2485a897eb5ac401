import Costwise
import FoundationEssentials
import Hummingbird

/// An error as the gateway answers it, in OpenAI's shape:
/// `{"error": {"message", "type", "param", "code"}}`, with a 4xx status for a request the client
/// can fix and a 5xx only for an upstream or server fault. The message says what to fix.
struct GatewayError: Error, CustomStringConvertible, Sendable {
    /// OpenAI's error types, as clients branch on them.
    enum Kind: String, Sendable {
        case invalidRequest = "invalid_request_error"
        case notFound = "not_found_error"
        case upstream = "upstream_error"
        case server = "server_error"
        case timeout = "timeout_error"
        /// No valid key was presented (401).
        case authentication = "authentication_error"
        /// The key lacks the scope the endpoint needs (403).
        case permission = "permission_error"
        /// The key's remaining budget cannot cover the request's worst case (429).
        case budgetExceeded = "budget_exceeded"
        /// The key's requests or tokens per minute are used up (429, with `retry-after`).
        case rateLimited = "rate_limited"
    }

    var status: Int
    var type: Kind
    var code: String
    var message: String
    var param: String?
    /// Whole seconds after which the request may succeed, sent as `retry-after`.
    var retryAfterSeconds: Int?

    init(status: Int, type: Kind, code: String, _ message: String, param: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.retryAfterSeconds = retryAfterSeconds
    }

    var description: String { message }

    /// The error as its JSON body.
    var json: String {
        "{\"error\":{\"message\":\(JSONText.string(message)),\"type\":\(JSONText.string(type.rawValue)),"
            + "\"param\":\(param.map(JSONText.string) ?? "null"),\"code\":\(JSONText.string(code))}}"
    }

    /// The error as a response, with the request's id so that a failed request can be looked up too.
    func response(requestID: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let requestID { headers[GatewayHeaders.requestID] = requestID }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// An error the gateway did not expect, as a 500; or, when it is the store's server being out of
    /// reach (a PostgreSQL store restarting), a 503 `store_unavailable` that says to retry: the
    /// store's connection is opened again on its next use.
    static func unexpected(_ error: any Error) -> GatewayError {
        if let error = error as? RemoteSQLError, error.isUnreachable {
            return GatewayError(status: 503, type: .server, code: "store_unavailable",
                                "the store cannot be reached (\(error)); retry shortly", retryAfterSeconds: 1)
        }
        return GatewayError.unexpected(error)
    }

    /// A body that does not decode as the request, naming the field.
    static func invalidBody(_ error: DecodingError) -> GatewayError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return GatewayError(status: 400, type: .invalidRequest, code: "missing_field", "the request needs '\(field)'", param: field)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return GatewayError(status: 400, type: .invalidRequest, code: "invalid_field",
                                "'\(field)' has the wrong type: \(context.debugDescription)", param: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return GatewayError(status: 400, type: .invalidRequest, code: "invalid_json",
                                "the body is not valid JSON" + (field.isEmpty ? "" : " at '\(field)'") + ": \(context.debugDescription)")
        @unknown default:
            return GatewayError(status: 400, type: .invalidRequest, code: "invalid_json", "the body cannot be read: \(error)")
        }
    }
}
