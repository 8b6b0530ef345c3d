//! What the allocator is asked besides allocating. The `nkdigi` binary allocates with
//! mimalloc (see `main.rs`); where the system's allocator is in use, as in tests, these
//! calls find nothing to do.

/// Hands back to the system the memory freed so far that the allocator still keeps: blocks
/// freed on other threads than the one that made them, and the pages of threads that have
/// ended. Called when a phase that held much (the indexing threads' buffers, the documents
/// handed to them) is over and another that needs much (merges, which map the index's
/// files) begins, so that the two do not add up.
pub fn give_back_freed() {
    // SAFETY: `mi_collect` takes no arguments that point anywhere and may be called from
    // any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
