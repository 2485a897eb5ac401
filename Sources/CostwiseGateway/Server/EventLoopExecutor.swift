import CConcurrencyHook
import NIOCore
import NIOPosix

/// Makes NIO's shared event loops run Swift's tasks too, so that a request's handler, its upstream
/// call and the callbacks between them stay on the thread of the request's connection rather than
/// hopping between NIO's threads and the concurrency pool (most of a forwarder's cost on a small
/// machine; see benchmarks/RESULTS.md).
///
/// NIO can do it itself when it finds the runtime's hook with `dlsym`, which works with the Swift
/// runtime linked as a shared library. With the runtime linked statically (`--static-swift-stdlib`,
/// the release build) the hook is not in the dynamic symbol table; it is then taken from the linker
/// through `CConcurrencyHook`, and filled with the same function NIO would put there: each job goes
/// to the current event loop when there is one, else to the next.
enum EventLoopExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the loops as the executor; false when it could not be done (another hook is set).
    /// Call it once, from the main thread, before any task starts.
    static func install() -> Bool {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() { return true }
        let slot = costwise_swift_task_enqueue_global_hook()
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
            })
            return hook.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 1) { function in
                // Nothing runs tasks yet (see above), so a plain store is enough.
                slot.pointee = function.pointee
                return true
            }
        }
    }
}
