import CostwiseUpstream
import Synchronization

/// One client connection, as the request in flight on it sees it: the upstream call to end if the
/// client leaves. HTTP/1.1 answers one request at a time per connection, so one call at a time is
/// enough.
final class ClientConnection: Sendable {
    private enum State {
        case open(call: UpstreamCall?)
        case gone
    }

    private let state = Mutex(State.open(call: nil))

    /// Ends `call` when the client leaves, until ``disarm()``; ends it at once when the client has
    /// already left.
    func arm(_ call: UpstreamCall) {
        let stillOpen = state.withLock { state in
            guard case .open = state else { return false }
            state = .open(call: call)
            return true
        }
        if !stillOpen { call.cancel() }
    }

    /// The request no longer needs its call ended.
    func disarm() {
        state.withLock { state in
            if case .open = state { state = .open(call: nil) }
        }
    }

    /// The client closed its side, or the connection broke.
    func clientLeft() {
        let call = state.withLock { state -> UpstreamCall? in
            defer { state = .gone }
            if case .open(let call) = state { return call }
            return nil
        }
        call?.cancel()
    }
}
