use mailtrap_tokens::cli;

fn main() {
    keep_allocator_thresholds();
    let cli = cli::args::parse();
    std::process::exit(cli::dispatch(cli));
}

/// glibc's malloc raises its mmap and trim thresholds each time a large block is freed (up to 32 and
/// 64 MiB), so the room a long list's load frees, and a reading thread's arena, stayed with the process
/// for good: 15 to 30 MiB more at 100,000 tokens. Fixed thresholds keep blocks over 1 MiB out of the
/// arenas and give a heap's free top back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_allocator_thresholds() {
    const ONE_MIB: libc::c_int = 1 << 20;
    // SAFETY: `mallopt` only sets the allocator's parameters; nothing else runs yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, ONE_MIB);
        libc::mallopt(libc::M_TRIM_THRESHOLD, ONE_MIB);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_allocator_thresholds() {}
