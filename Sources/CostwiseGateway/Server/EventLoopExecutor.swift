import CConcurrencyHook
import NIOCore
import NIOPosix

/// Makes NIO's shared event loops run Swift's tasks too, so that a request's handler, its upstream
/// call and the callbacks between them stay on the thread of the request's connection rather than
/// hopping between NIO's threads and the concurrency pool (most of a forwarder's cost on a small
/// machine; see benchmarks/RESULTS.md).
///
/// The runtime's `swift_task_enqueueGlobal_hook` gets a function that sends each job to the current
/// event loop when there is one, else to the next. The hook is taken from the linker through
/// `CConcurrencyHook`, so it is found with the runtime linked statically (`--static-swift-stdlib`,
/// the release build) too, where `dlsym` cannot see it.
///
/// Each job runs as the runtime's *generic* executor, which is what the global pool is. NIO's own
/// hook runs them as the event loop's serial executor instead, and then every call into a
/// nonisolated async function is a switch away from that executor: the task is enqueued on the
/// loop again and waits for its next turn. Counted by `benchmarks/task-hops.sh`, a chat completion
/// went through the loop's queue 79 times that way, and twice this way (once per awaited answer).
enum EventLoopExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the loops as the executor; false when it could not be done (another hook is set).
    /// Call it once, from the main thread, before any task starts.
    static func install() -> Bool {
        let slot = costwise_swift_task_enqueue_global_hook()
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in runOnEventLoop(job) })
            return hook.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 1) { function in
                // Nothing runs tasks yet (see above), so a plain store is enough.
                slot.pointee = function.pointee
                return true
            }
        }
    }
}

/// The generic executor, which the runtime represents as a null identity. The standard library gives
/// no name for it, so it is made from its two-word representation.
private let genericExecutor = unsafeBitCast((0, 0), to: UnownedSerialExecutor.self)

/// Runs `job` on the current event loop (else the next) as the generic executor.
private func runOnEventLoop(_ job: UnownedJob) {
    MultiThreadedEventLoopGroup.singleton.any().execute { job.runSynchronously(on: genericExecutor) }
}
