import ServiceLifecycle

/// Calls `tick` every `interval` until the service group shuts down or cancels: the loop of the
/// gateway's periodic services (the record writer, the store follower).
func repeatUntilShutdown(every interval: Duration, _ tick: () async -> Void) async {
    while !Task.isShuttingDownGracefully {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
        await tick()
    }
}
