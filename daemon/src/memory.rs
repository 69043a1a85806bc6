//! Allocator settings for a long-lived daemon with a small footprint: large buffers (1 MiB tool
//! results) are mmapped and given back to the system when freed, and threads share few arenas.

/// Applies the settings; call once, before the runtime's threads start.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc allocator parameters; called before other threads exist.
    unsafe {
        // A fixed threshold (glibc's default one rises after big frees, then keeps big heaps).
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
