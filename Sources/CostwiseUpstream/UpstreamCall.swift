import NIOCore
import Synchronization

/// One request in flight to an upstream: its answer's head, then its body chunk by chunk as it
/// arrives, and a way to end it early.
///
/// Its connection hands every part of the answer over on the connection's event loop: when the
/// caller awaits on that same loop (the server channel's, with NIO as the concurrency executor) no
/// part crosses a thread on its way to the caller. A part that arrives before it is asked for waits
/// here; a caller that already waits takes it without a queue. After a few unread parts the
/// connection stops reading until the caller catches up, so a slow client slows the upstream rather
/// than filling memory.
///
/// Read the body to its end or call ``cancel()``: a call left half read holds its connection.
///
/// ```swift
/// let call = try client.post(url: url, headers: headers, body: body)
/// let head = try await call.head()
/// while let chunk = try await call.next() { … }
/// ```
public final class UpstreamCall: Sendable {
    /// Unread parts beyond which the connection pauses.
    static let unreadPartsBeforePause = 4

    private struct State {
        var head: UpstreamHead?
        var headWaiter: UnsafeContinuation<UpstreamHead, any Error>?
        var parts = CircularBuffer<ByteBuffer>()
        var partWaiter: UnsafeContinuation<ByteBuffer?, any Error>?
        /// The connection that stopped reading until the caller catches up.
        var paused: UpstreamConnection?
        var ended = false
        /// Why the call ended without (more of) an answer: an ``UpstreamFailure``, or a
        /// `CancellationError` after ``cancel()``.
        var failure: (any Error)?
        /// The connection the request went out on, once it has.
        var connection: UpstreamConnection?
    }

    private let state = Mutex(State())

    init() {}

    /// The answer's head, once it has arrived.
    ///
    /// - Throws: ``UpstreamFailure`` when no head arrives: no connection, or the upstream was
    ///   silent too long; `CancellationError` after ``cancel()`` or when the awaiting task is cancelled.
    public func head() async throws -> UpstreamHead {
        if let ready = state.withLock({ state -> Result<UpstreamHead, any Error>? in
            if let head = state.head { return .success(head) }
            return state.failure.map { .failure($0) }
        }) {
            return try ready.get()
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<UpstreamHead, any Error>? in
                    if let head = state.head { return .success(head) }
                    if let failure = state.failure { return .failure(failure) }
                    state.headWaiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The next part of the body, or nil at its end.
    ///
    /// - Throws: ``UpstreamFailure`` when the answer breaks off; `CancellationError` as ``head()`` does.
    public func next() async throws -> ByteBuffer? {
        if let ready = takePart() { return try ready.get() }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                if let ready = takePart(orWait: continuation) { continuation.resume(with: ready) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The whole body, up to `limit` bytes; a longer one ends the call.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected: ByteBuffer?
        while var part = try await next() {
            guard (collected?.readableBytes ?? 0) + part.readableBytes <= limit else {
                cancel()
                throw UpstreamFailure(kind: .protocolError, message: "the upstream's answer is larger than \(limit) bytes")
            }
            if collected == nil {
                collected = part
            } else {
                collected!.writeBuffer(&part)
            }
        }
        return collected ?? ByteBuffer()
    }

    /// Ends the call if it is still running: its connection is closed and a waiting reader gets a
    /// `CancellationError`. Safe from any thread, any number of times.
    public func cancel() {
        let (connection, headWaiter, partWaiter) = state.withLock { state -> (UpstreamConnection?, UnsafeContinuation<UpstreamHead, any Error>?,
                                                                               UnsafeContinuation<ByteBuffer?, any Error>?) in
            guard !state.ended, state.failure == nil else { return (nil, nil, nil) }
            state.failure = CancellationError()
            defer {
                state.headWaiter = nil
                state.partWaiter = nil
                state.connection = nil
                state.paused = nil
            }
            return (state.connection, state.headWaiter, state.partWaiter)
        }
        headWaiter?.resume(throwing: CancellationError())
        partWaiter?.resume(throwing: CancellationError())
        connection?.abandon(self)
    }

    private func takePart(orWait continuation: UnsafeContinuation<ByteBuffer?, any Error>? = nil) -> Result<ByteBuffer?, any Error>? {
        let (ready, paused) = state.withLock { state -> (Result<ByteBuffer?, any Error>?, UpstreamConnection?) in
            if let part = state.parts.popFirst() {
                guard state.parts.count < Self.unreadPartsBeforePause, let paused = state.paused else { return (.success(part), nil) }
                state.paused = nil
                return (.success(part), paused)
            }
            if state.ended { return (.success(nil), nil) }
            if let failure = state.failure { return (.failure(failure), nil) }
            if let continuation { state.partWaiter = continuation }
            return (nil, nil)
        }
        paused?.resumeReading(for: self)
        return ready
    }

    // MARK: What the connection tells the call, on its event loop.

    /// The request goes out on `connection`; false when the call was cancelled before.
    func bind(to connection: UpstreamConnection) -> Bool {
        state.withLock { state in
            guard state.failure == nil else { return false }
            state.connection = connection
            return true
        }
    }

    func receive(head: UpstreamHead) {
        let waiter = state.withLock { state -> UnsafeContinuation<UpstreamHead, any Error>? in
            guard state.failure == nil else { return nil }
            state.head = head
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: head)
    }

    /// Hands over a part of the body; true when the connection should stop reading until the
    /// caller has caught up (it is then told through ``UpstreamConnection/resumeReading(for:)``).
    func receive(part: ByteBuffer, from connection: UpstreamConnection) -> Bool {
        let (waiter, pause) = state.withLock { state -> (UnsafeContinuation<ByteBuffer?, any Error>?, Bool) in
            guard state.failure == nil else { return (nil, false) }
            if let waiter = state.partWaiter {
                state.partWaiter = nil
                return (waiter, false)
            }
            state.parts.append(part)
            guard state.parts.count >= Self.unreadPartsBeforePause else { return (nil, false) }
            state.paused = connection
            return (nil, true)
        }
        waiter?.resume(returning: part)
        return pause
    }

    /// The body is whole.
    func receiveEnd() {
        let waiter = state.withLock { state -> UnsafeContinuation<ByteBuffer?, any Error>? in
            guard state.failure == nil else { return nil }
            state.ended = true
            state.connection = nil
            state.paused = nil
            defer { state.partWaiter = nil }
            return state.partWaiter
        }
        waiter?.resume(returning: nil)
    }

    /// The call ends without (the rest of) its answer.
    func fail(_ failure: UpstreamFailure) {
        let (headWaiter, partWaiter) = state.withLock { state -> (UnsafeContinuation<UpstreamHead, any Error>?,
                                                                  UnsafeContinuation<ByteBuffer?, any Error>?) in
            guard !state.ended, state.failure == nil else { return (nil, nil) }
            state.failure = failure
            state.connection = nil
            state.paused = nil
            defer {
                state.headWaiter = nil
                state.partWaiter = nil
            }
            return (state.headWaiter, state.partWaiter)
        }
        headWaiter?.resume(throwing: failure)
        partWaiter?.resume(throwing: failure)
    }

    /// Whether ``cancel()`` was called (or the call failed) before the request could go out.
    var isFinished: Bool {
        state.withLock { $0.failure != nil || $0.ended }
    }
}
