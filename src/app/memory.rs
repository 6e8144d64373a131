//! The allocator, told how this program uses memory: a long list's load sets aside and frees tens of
//! megabytes at once, then the console lives on for hours with far less.

/// glibc's malloc raises its mmap and trim thresholds each time a large block is freed (up to 32 and
/// 64 MiB), so the room a long list's load freed, and a reading thread's arena, stayed with the process
/// for good: 15 to 30 MiB more at 100,000 tokens. Fixing them (at glibc's own starting values: 1 MiB
/// kept more of the reading's buffers in the heaps, 1 to 1.5 MiB more at the peak) keeps large blocks
/// out of the arenas and gives a heap's free top back. For the interactive console only, before its
/// first load: a command that prints and ends (`list`, `--dump-screen`) is done before the room would
/// matter, and with the raised thresholds reuses its buffers rather than mapping fresh pages and
/// unmapping them each time (3 to 7 % quicker at 10,000 tokens, its peak within a MiB).
pub fn keep_thresholds() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 128 << 10;
        // SAFETY: `mallopt` only sets the allocator's parameters.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, THRESHOLD);
        }
    }
}

/// Gives the system back the free pages inside the heaps, once what a new list needs has been made
/// and its temporaries freed: the free room between live blocks is otherwise kept until reused.
pub fn give_back_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
