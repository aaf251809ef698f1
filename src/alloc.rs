//! The process allocator: mimalloc for the long jobs, the system allocator for short ones.
//!
//! mimalloc is about a quarter faster than the system allocator on allocation-heavy jobs
//! (`aslc check` over a corpus, the language server, `aslc run` over a large input), but
//! setting up its first arena costs about half a millisecond of every process, which is a
//! third of a short `aslc run`. So the allocator is chosen per process, from the subcommand
//! and, for `aslc run`, the size of the execution input, before the first allocation:
//! on glibc, a function in `.init_array` reads the arguments (glibc hands them to every
//! such function) before `main` runs and before the Rust runtime allocates anything. The
//! choice never changes afterwards, so every block is freed by the allocator that made it.
//! Where arguments cannot be read that early, the process uses mimalloc throughout.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// The subcommands that run long enough for mimalloc to pay for its set-up.
const MIMALLOC_SUBCOMMANDS: [&[u8]; 2] = [b"check", b"lsp"];

/// From this many bytes of execution input on, `aslc run` allocates enough for mimalloc to
/// pay for its set-up (a 75 KiB input measured a quarter faster with it).
const MIMALLOC_RUN_INPUT: u64 = 16 << 10;

/// Whether blocks come from mimalloc. Written once, before the first allocation.
static MIMALLOC: AtomicBool = AtomicBool::new(!cfg!(all(target_os = "linux", target_env = "gnu")));

/// The allocator of the `aslc` process.
pub struct Allocator;

/// Whether a process started with `args` (program name excluded) should use mimalloc: the
/// subcommand is the first argument that is not an option. `input_size` gives the size of
/// the file at a path, if there is one; it must not keep anything it allocates.
fn wants_mimalloc<'a>(
    mut args: impl Iterator<Item = &'a [u8]>,
    input_size: impl Fn(&[u8]) -> Option<u64>,
) -> bool {
    let Some(sub) = args.find(|arg| !arg.starts_with(b"-")) else {
        return false;
    };
    if MIMALLOC_SUBCOMMANDS.contains(&sub) {
        return true;
    }
    if sub != b"run" {
        return false;
    }
    // `--input FILE|JSON` or `--input=FILE|JSON`; `-` (standard input) has no size.
    let mut input = None;
    while let Some(arg) = args.next() {
        if arg == b"--input" {
            input = args.next();
        } else if let Some(value) = arg.strip_prefix(b"--input=") {
            input = Some(value);
        }
    }
    match input {
        Some(b"-") | None => false,
        Some(value) => {
            let size = input_size(value).unwrap_or(u64::try_from(value.len()).unwrap_or(u64::MAX));
            size >= MIMALLOC_RUN_INPUT
        }
    }
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
        let input_size = |path: &[u8]| {
            use std::os::unix::ffi::OsStrExt;
            // Anything `metadata` allocates (a long path's C string) it frees before
            // returning, still on the allocator chosen by default.
            let meta = std::fs::metadata(std::ffi::OsStr::from_bytes(path)).ok()?;
            meta.is_file().then_some(meta.len())
        };
        super::MIMALLOC.store(super::wants_mimalloc(args, input_size), Ordering::Relaxed);
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
        let size = |path: &[u8]| match path {
            b"big.json" => Some(75 << 10),
            b"small.json" => Some(40),
            _ => None,
        };
        wants_mimalloc(args.iter().map(|a| a.as_bytes()), size)
    }

    #[test]
    fn long_jobs_get_mimalloc() {
        assert!(wants(&["check", "examples"]));
        assert!(wants(&["--no-color", "check", "-"]));
        assert!(wants(&["lsp", "--stdio"]));
    }

    #[test]
    fn runs_over_large_inputs_get_mimalloc() {
        assert!(wants(&["run", "flow.asl.json", "--input", "big.json"]));
        assert!(wants(&["run", "--input=big.json", "flow.asl.json"]));
        let text = format!("{{\"items\": [{}0]}}", "0, ".repeat(10_000));
        assert!(wants(&["run", "flow.asl.json", "--input", &text]));
        assert!(!wants(&["run", "flow.asl.json", "--input", "small.json"]));
        assert!(!wants(&["run", "flow.asl.json", "--input", "-"]));
        assert!(!wants(&["run", "flow.asl.json", "--input", "{}"]));
        assert!(!wants(&["run", "flow.asl.json"]));
    }

    #[test]
    fn short_jobs_keep_the_system_allocator() {
        assert!(!wants(&["run", "check.asl.json"]));
        assert!(!wants(&["--version"]));
        assert!(!wants(&[]));
        assert!(!wants(&["checkers"]));
    }
}
