//! The crate's only `unsafe` code: four calls into the operating system that std
//! does not offer, and one use of vector instructions. Each call is a hint or a
//! mode switch on a file, a thread or the allocator; none keeps a pointer of
//! ours, and each has a safe fall-back where it is missing. The vector compares
//! read a block of bytes through a reference.

#![allow(unsafe_code)]

use std::fs::File;

/// Hands the memory glibc's arenas hold free back to the system.
///
/// Called once the dataset's largest tables are freed at the end of a run, so that
/// the exit has less to unmap. Within the run, freed memory is kept for the next
/// phase to reuse rather than fault in again (docs/design.md).
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

/// Bytes compared at once by [`byte_masks`].
pub const MASK_BLOCK: usize = 32;

/// For each byte of `block`: bit `i` of the first mask is set when `block[i]` is
/// `byte`, of the second when it is one of `any_of`. One load and four compares
/// per 16 bytes with SSE2, which every x86-64 processor has (the compiler does not
/// turn the plain loop into these); the plain loop elsewhere.
pub fn byte_masks(block: &[u8; MASK_BLOCK], byte: u8, any_of: [u8; 3]) -> (u32, u32) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline. The two unaligned loads read
        // the 32 bytes of `block`, which the reference keeps alive and in bounds.
        unsafe {
            let at = block.as_ptr().cast::<__m128i>();
            let halves = [_mm_loadu_si128(at), _mm_loadu_si128(at.add(1))];
            let [one, a, b, c] =
                [byte, any_of[0], any_of[1], any_of[2]].map(|value| _mm_set1_epi8(value as i8));
            let [lo, hi] = halves.map(|half| {
                let is_byte = _mm_movemask_epi8(_mm_cmpeq_epi8(half, one)) as u32;
                let is_any = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(half, a), _mm_cmpeq_epi8(half, b)),
                    _mm_cmpeq_epi8(half, c),
                );
                (is_byte, _mm_movemask_epi8(is_any) as u32)
            });
            (lo.0 | hi.0 << 16, lo.1 | hi.1 << 16)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut masks = (0u32, 0u32);
        for (i, &value) in block.iter().enumerate() {
            masks.0 |= u32::from(value == byte) << i;
            masks.1 |= u32::from(any_of.contains(&value)) << i;
        }
        masks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn byte_masks_mark_each_matching_byte(
            block in proptest::collection::vec(
                prop::sample::select(vec![b'a', b',', b'"', b'\n', b'\r', 0, 0xff]),
                MASK_BLOCK,
            ),
        ) {
            let block: [u8; MASK_BLOCK] = block.try_into().expect("32 bytes");
            let any_of = [b'\n', b'\r', b'"'];
            let (ones, any) = byte_masks(&block, b',', any_of);
            for (i, value) in block.iter().enumerate() {
                prop_assert_eq!(ones >> i & 1 == 1, *value == b',');
                prop_assert_eq!(any >> i & 1 == 1, any_of.contains(value));
            }
        }
    }
}
