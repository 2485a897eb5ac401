import HTTPTypes
import Hummingbird

/// The headers an answer carries about how the gateway routed it.
enum GatewayHeaders {
    /// The request's id: what `POST /v1/feedback` and `costwise requests` name it by.
    static let requestID = HTTPField.Name("x-costwise-request-id")!
    /// The catalog id of the model that answered.
    static let model = HTTPField.Name("x-costwise-model")!
    static let task = HTTPField.Name("x-costwise-task")!
    /// What the reported tokens cost at the store's price; absent when the upstream reported no usage.
    static let costUSD = HTTPField.Name("x-costwise-cost-usd")!
    /// The quality threshold the selection applied.
    static let threshold = HTTPField.Name("x-costwise-threshold")!
    /// Where that threshold came from: `request`, `task` (the task type's default) or `gateway` (the config's).
    static let thresholdSource = HTTPField.Name("x-costwise-threshold-source")!
    /// Why this model: the selection's reason, or that the request named it.
    static let reason = HTTPField.Name("x-costwise-reason")!
    /// How many models were tried.
    static let attempts = HTTPField.Name("x-costwise-attempts")!

    /// `text` as a header value: ASCII only, one line. `≥` and `≤` become `>=` and `<=`, line
    /// breaks and tabs spaces, any other character outside printable ASCII `?`.
    static func value(_ text: String) -> String {
        // Built as bytes, not appended to a `String` scalar by scalar: every answer carries a reason.
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F: output.append(UInt8(scalar.value))
            case 0x0A, 0x0D, 0x09: output.append(UInt8(ascii: " "))
            case 0x2265: output += [UInt8(ascii: ">"), UInt8(ascii: "=")]
            case 0x2264: output += [UInt8(ascii: "<"), UInt8(ascii: "=")]
            default: output.append(UInt8(ascii: "?"))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
