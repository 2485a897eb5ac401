import Costwise
import NIOCore

/// Passes an upstream's server-sent event stream on event by event as it arrives, with each chunk's
/// `model` set to the catalog id and `cost_usd` added to the usage chunk, and notes what the
/// stream said about its tokens and whether it ended with `data: [DONE]`.
///
/// The gateway always asks the upstream for usage (`stream_options.include_usage`), to record what
/// a stream cost; when the client did not ask for it, the usage-only chunk (the one with no choices)
/// is read and not passed on, since clients that did not ask for it may not expect a chunk without
/// choices.
struct SSETranscoder {
    let rewriter: AnswerRewriter
    let passesUsageChunk: Bool
    private var pending: [UInt8] = []
    /// Whether `data: [DONE]` arrived: a stream without it was cut short.
    private(set) var sawDone = false
    private(set) var usage: Usage?
    private(set) var costUSD: Double?

    init(rewriter: AnswerRewriter, passesUsageChunk: Bool) {
        self.rewriter = rewriter
        self.passesUsageChunk = passesUsageChunk
    }

    /// Takes the next bytes of the upstream's stream; returns the whole events among them, rewritten,
    /// or nil when no event is complete yet.
    mutating func feed(_ buffer: ByteBuffer) -> ByteBuffer? {
        pending.append(contentsOf: buffer.readableBytesView)
        var output: [UInt8] = []
        var start = 0
        while let (end, next) = Self.eventBoundary(in: pending, from: start) {
            transcode(pending[start..<end], into: &output)
            start = next
        }
        if start > 0 { pending.removeFirst(start) }
        return output.isEmpty ? nil : ByteBuffer(bytes: output)
    }

    /// The event that tells the client the stream broke off, in OpenAI's error shape. No `[DONE]`
    /// follows it: a cut stream must not look like a finished one.
    static func errorEvent(_ error: GatewayError) -> ByteBuffer {
        ByteBuffer(string: "data: \(error.json)\n\n")
    }

    /// The end of the next event (before its blank line) and where the one after it starts.
    private static func eventBoundary(in bytes: [UInt8], from start: Int) -> (Int, Int)? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                if bytes[index + 1] == 0x0A { return (index, index + 2) }
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    private mutating func transcode(_ event: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var lines: [ArraySlice<UInt8>] = []
        var dataLines: [ArraySlice<UInt8>] = []
        for line in event.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = line.last == 0x0D ? line.dropLast() : line
            if line.starts(with: "data:".utf8) {
                var payload = line.dropFirst(5)
                if payload.first == 0x20 { payload = payload.dropFirst() }
                dataLines.append(payload)
            } else {
                lines.append(line)
            }
        }
        var data = Array(dataLines.joined(separator: [0x0A]))
        if !dataLines.isEmpty {
            if data.elementsEqual("[DONE]".utf8) {
                sawDone = true
            } else if let rewritten = rewriter.rewrite(data) {
                if let reported = rewritten.usage {
                    usage = reported
                    costUSD = rewritten.costUSD
                    if !passesUsageChunk && rewritten.hasNoChoices { return }
                }
                data = rewritten.bytes
            }
        }
        for line in lines {
            output += line
            output.append(0x0A)
        }
        if !dataLines.isEmpty {
            output += "data: ".utf8
            output += data
            output.append(0x0A)
        }
        output.append(0x0A)
    }
}
