//! The process allocator: mimalloc for the long jobs, the system allocator for short ones.
//!
//! mimalloc is about a quarter faster than the system allocator on allocation-heavy jobs
//! (`aslc check` over a corpus, the language server), but setting up its first arena costs
//! about half a millisecond of every process, which is a third of a short `aslc run`. So
//! the allocator is chosen per process, from the subcommand, before the first allocation:
//! on glibc, a function in `.init_array` reads the arguments (glibc hands them to every
//! such function) before `main` runs and before the Rust runtime allocates anything. The
//! choice never changes afterwards, so every block is freed by the allocator that made it.
//! Where arguments cannot be read that early, the process uses mimalloc throughout.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// The subcommands that run long enough for mimalloc to pay for its set-up.
const MIMALLOC_SUBCOMMANDS: [&[u8]; 2] = [b"check", b"lsp"];

/// Whether blocks come from mimalloc. Written once, before the first allocation.
static MIMALLOC: AtomicBool = AtomicBool::new(!cfg!(all(target_os = "linux", target_env = "gnu")));

/// The allocator of the `aslc` process.
pub struct Allocator;

/// Whether a process started with `args` (program name excluded) should use mimalloc: the
/// subcommand is the first argument that is not an option.
fn wants_mimalloc<'a>(mut args: impl Iterator<Item = &'a [u8]>) -> bool {
    args.find(|arg| !arg.starts_with(b"-")).is_some_and(|sub| MIMALLOC_SUBCOMMANDS.contains(&sub))
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod choose {
    use std::ffi::{c_char, c_int, CStr};
    use std::sync::atomic::Ordering;

    /// Runs before `main`, with `main`'s arguments.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHOOSE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose;

    extern "C" fn choose(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
        if argv.is_null() {
            return;
        }
        let count = usize::try_from(argc).unwrap_or(0);
        let args = (1..count).filter_map(|i| {
            // SAFETY: glibc calls `.init_array` functions with `main`'s `argc` and `argv`:
            // `argv` holds `argc` pointers to NUL-terminated strings that live as long as
            // the process.
            let arg = unsafe { *argv.add(i) };
            // SAFETY: as above; a null entry is skipped.
            (!arg.is_null()).then(|| unsafe { CStr::from_ptr(arg) }.to_bytes())
        });
        super::MIMALLOC.store(super::wants_mimalloc(args), Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to one of two sound allocators, and as the choice is
// made before the first allocation and never changes, a block is always freed or resized
// by the allocator that made it.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: forwarded with the caller's guarantees on `layout`.
            unsafe { MiMalloc.alloc(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: forwarded with the caller's guarantees on `layout`.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: the block came from mimalloc, the only allocator of this process.
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            // SAFETY: as above, with the system allocator.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: the block came from mimalloc, the only allocator of this process.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: as above, with the system allocator.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wants(args: &[&str]) -> bool {
        wants_mimalloc(args.iter().map(|a| a.as_bytes()))
    }

    #[test]
    fn long_jobs_get_mimalloc() {
        assert!(wants(&["check", "examples"]));
        assert!(wants(&["--no-color", "check", "-"]));
        assert!(wants(&["lsp", "--stdio"]));
    }

    #[test]
    fn short_jobs_keep_the_system_allocator() {
        assert!(!wants(&["run", "check.asl.json"]));
        assert!(!wants(&["--version"]));
        assert!(!wants(&[]));
        assert!(!wants(&["checkers"]));
    }
}
