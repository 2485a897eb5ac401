import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// One request in flight to an upstream: its answer's head, then its body chunk by chunk as it
/// arrives, and a way to end it early.
///
/// It is the client library's response delegate itself, so every part of the answer is handed
/// over on the call's event loop: when the caller awaits on that same loop (the server channel's,
/// with NIO as the concurrency executor) no part crosses a thread on its way to the caller.
/// A part that arrives before it is asked for waits here; a caller that already waits takes it
/// without a queue. After a few unread parts the connection stops reading until the caller catches
/// up, so a slow client slows the upstream rather than filling memory.
///
/// Read the body to its end or call ``cancel()``: a call left half read holds its connection.
///
/// ```swift
/// let call = try client.post(url: url, headers: headers, body: body)
/// let head = try await call.head()
/// while let chunk = try await call.next() { … }
/// ```
public final class UpstreamCall: HTTPClientResponseDelegate, Sendable {
    public typealias Response = Void

    /// Unread parts beyond which the connection pauses.
    static let unreadPartsBeforePause = 4

    private struct State {
        var head: UpstreamHead?
        var headWaiter: UnsafeContinuation<UpstreamHead, any Error>?
        var parts = CircularBuffer<ByteBuffer>()
        var partWaiter: UnsafeContinuation<ByteBuffer?, any Error>?
        /// Completed when the caller has read enough to resume reading the connection.
        var demand: EventLoopPromise<Void>?
        var ended = false
        /// Why the call ended without (more of) an answer: an ``UpstreamFailure``, or a
        /// `CancellationError` after ``cancel()``.
        var failure: (any Error)?
        var cancelled = false
        var task: HTTPClient.Task<Void>?
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
        let task = state.withLock { state -> HTTPClient.Task<Void>? in
            guard !state.ended, state.failure == nil, !state.cancelled else { return nil }
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }

    /// Ties the call to the request the client library runs for it, so that ``cancel()`` reaches it.
    func attach(_ task: HTTPClient.Task<Void>) {
        let cancelledBefore = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelledBefore { task.cancel() }
    }

    private func takePart(orWait continuation: UnsafeContinuation<ByteBuffer?, any Error>? = nil) -> Result<ByteBuffer?, any Error>? {
        let (ready, demand) = state.withLock { state -> (Result<ByteBuffer?, any Error>?, EventLoopPromise<Void>?) in
            if let part = state.parts.popFirst() {
                let demand = state.parts.count < Self.unreadPartsBeforePause ? state.demand : nil
                if demand != nil { state.demand = nil }
                return (.success(part), demand)
            }
            if state.ended { return (.success(nil), nil) }
            if let failure = state.failure { return (.failure(failure), nil) }
            if let continuation { state.partWaiter = continuation }
            return (nil, nil)
        }
        demand?.succeed()
        return ready
    }

    // MARK: The client library's callbacks, on the call's event loop.

    public func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let received = UpstreamHead(status: Int(head.status.code), contentType: head.headers.first(name: "content-type"))
        let waiter = state.withLock { state in
            state.head = received
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: received)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    public func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let (waiter, pause) = state.withLock { state -> (UnsafeContinuation<ByteBuffer?, any Error>?, EventLoopPromise<Void>?) in
            if let waiter = state.partWaiter {
                state.partWaiter = nil
                return (waiter, nil)
            }
            state.parts.append(buffer)
            guard state.parts.count >= Self.unreadPartsBeforePause else { return (nil, nil) }
            let pause = task.eventLoop.makePromise(of: Void.self)
            state.demand = pause
            return (nil, pause)
        }
        waiter?.resume(returning: buffer)
        return pause?.futureResult ?? task.eventLoop.makeSucceededVoidFuture()
    }

    public func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        let waiter = state.withLock { state in
            state.ended = true
            defer { state.partWaiter = nil }
            return state.partWaiter
        }
        waiter?.resume(returning: nil)
    }

    public func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        let (headWaiter, partWaiter, demand, failure) = state.withLock { state in
            let failure = state.failure ?? Self.failure(error, afterHead: state.head != nil)
            defer {
                state.failure = failure
                state.headWaiter = nil
                state.partWaiter = nil
                state.demand = nil
            }
            return (state.headWaiter, state.partWaiter, state.demand, failure)
        }
        headWaiter?.resume(throwing: failure)
        partWaiter?.resume(throwing: failure)
        demand?.fail(failure)
    }

    /// What a caller is told of an error of the client library.
    private static func failure(_ error: any Error, afterHead: Bool) -> any Error {
        if let error = error as? HTTPClientError {
            return error == .cancelled ? CancellationError() : UpstreamFailure(error)
        }
        // A connection that closes inside a chunked body ends with a parser error.
        return UpstreamFailure(kind: .connection, message: afterHead ? "the answer broke off: \(error)" : String(describing: error))
    }
}
