//! What the allocator is asked besides allocating. The `nkdigi` binary allocates with
//! mimalloc (see `main.rs`); where the system's allocator is in use, as in tests, these
//! calls find nothing to do.

/// mimalloc's `mi_option_purge_delay` (the same place in the options of its versions 2
/// and 3; the bindings name only the options around it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long memory freed to the allocator stays mapped before it goes back to the system.
/// mimalloc 3 keeps freed pages for a second, so that memory freed by one phase of an
/// `index` run still counts while the next phase allocates its own: with the indexing
/// threads' buffers written out and filled again every few seconds, a run's peak rose
/// with its length (182–187 MB at 1 GB against 168–187 MB at 200 MB). At 10 ms, mimalloc
/// 2's delay, the two stay together (169–173 against 159–171 MB).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Sets how soon the allocator hands freed memory back: called once, first thing. A
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
pub fn set_up_allocator() {
    // SAFETY: `mi_option_set_default` takes plain values and may be called at any time; it
    // leaves an option read from the environment as it is.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocator's purge delay in milliseconds, as it will apply it.
    fn purge_delay_ms() -> std::ffi::c_long {
        // SAFETY: `mi_option_get` takes a plain value and may be called at any time.
        unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    #[test]
    fn the_purge_delay_is_the_option_of_that_name_and_is_set_to_ten_ms() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // mimalloc 3's own default, which no option around this one has: the place is right.
        assert_eq!(purge_delay_ms(), 1000, "option {MI_OPTION_PURGE_DELAY} is not mimalloc 3's purge delay");
        set_up_allocator();
        assert_eq!(purge_delay_ms(), 10);
    }

    /// mimalloc's `mi_option_arena_eager_commit` (the fifth option of versions 2 and 3).
    const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

    /// The C flags of `.cargo/config.toml` reach the C the binary links: mimalloc was built
    /// with the default its define sets, at the option of that name.
    #[test]
    fn the_configured_c_flags_reach_the_allocators_build() {
        let configured = option_env!("CFLAGS").is_some_and(|flags| flags.contains("-DMI_DEFAULT_ARENA_EAGER_COMMIT=0"));
        if !configured || std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_some() {
            return;
        }
        // SAFETY: `mi_option_get` takes a plain value and may be called at any time.
        let eager = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_EAGER_COMMIT) };
        // mimalloc's own default is 2, eager where the system overcommits.
        assert_eq!(eager, 0);
    }
}
