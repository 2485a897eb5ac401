#ifndef COSTWISE_C_CONCURRENCY_HOOK_H
#define COSTWISE_C_CONCURRENCY_HOOK_H

/// The address of the Swift concurrency runtime's `swift_task_enqueueGlobal_hook`: where a process
/// can put a function that runs every task job instead of the default pool. Taken by the linker,
/// so it is found in a binary with the runtime linked statically too, where the symbol is not in
/// the dynamic symbol table and `dlsym` cannot find it.
void *_Nullable *_Nonnull costwise_swift_task_enqueue_global_hook(void);

#endif
