//! The crate's only `unsafe` code: four calls into the operating system that std
//! does not offer. Each is a hint or a mode switch on a file, a thread or the
//! allocator; none takes a pointer of ours, and each has a safe fall-back where it
//! is missing.

#![allow(unsafe_code)]

use std::fs::File;

/// Hands memory freed by the previous phase back to the system.
///
/// The readers' per-chunk buffers and tables are freed on rayon's worker threads,
/// whose glibc arenas keep the pages; on 100k customers that was a third of the
/// peak resident memory. `malloc_trim` returns them (docs/performance.md).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heaps; it takes no pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Turns `O_DIRECT` on or off for `file`; false where that is refused or unknown.
pub fn set_direct(file: &File, on: bool) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl with F_GETFL/F_SETFL takes no pointers; `file` keeps the
        // descriptor open for the duration of the calls.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 {
                return false;
            }
            let flags = if on {
                flags | libc::O_DIRECT
            } else {
                flags & !libc::O_DIRECT
            };
            libc::fcntl(fd, libc::F_SETFL, flags) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, on);
        false
    }
}

/// Asks the kernel to start writing `len` bytes of `file` from `offset` to disk,
/// without waiting for it. Only a hint: where it is unavailable, fsync does it all.
pub fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
            return;
        };
        // SAFETY: sync_file_range takes no pointers; `file` keeps the descriptor open.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

/// Lets the calling thread run only when a core would otherwise idle
/// (`SCHED_IDLE`, Linux): for threads that free memory in the background, which
/// otherwise take turns on the two cores with the thread the run waits for.
pub fn run_when_idle() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: the parameter is a local that outlives the call; pid 0 is the
        // calling thread. A refusal leaves the thread as it was.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
        }
    }
}
