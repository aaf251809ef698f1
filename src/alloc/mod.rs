//! The process allocator, chosen per process before its first allocation: the batch
//! allocator for `aslc check`, mimalloc for the other long jobs, the system allocator for
//! short ones.
//!
//! `check` allocates and frees one file's syntax tree and IR after another and then exits:
//! [`batch`] packs its blocks densely and never hands memory back, which measured a sixth
//! less CPU than mimalloc on the real corpus (see there). mimalloc is about a quarter faster
//! than the system allocator on the language server and on `aslc run` over a large input,
//! but setting up its first arena costs about half a millisecond of every process, which is
//! a third of a short `aslc run`. So the allocator is chosen from the subcommand and, for
//! `aslc run`, the size of the execution input: on glibc, a function in `.init_array` reads
//! the arguments (glibc hands them to every such function) before `main` runs and before
//! the Rust runtime allocates anything. The choice never changes afterwards, so every block
//! is freed by the allocator that made it. Where arguments cannot be read that early, the
//! process uses mimalloc throughout.

mod batch;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

/// The allocators a process can run on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Choice {
    System,
    Mimalloc,
    Batch,
}

/// The subcommands that run long enough for mimalloc to pay for its set-up.
const MIMALLOC_SUBCOMMANDS: [&[u8]; 1] = [b"lsp"];

/// The subcommands that run on the batch allocator.
const BATCH_SUBCOMMANDS: [&[u8]; 1] = [b"check"];

/// From this many bytes of execution input on, `aslc run` allocates enough for mimalloc to
/// pay for its set-up (a 75 KiB input measured a quarter faster with it).
const MIMALLOC_RUN_INPUT: u64 = 16 << 10;

/// The process's [`Choice`]. Written once, before the first allocation.
static CHOICE: AtomicU8 = AtomicU8::new(if cfg!(all(target_os = "linux", target_env = "gnu")) {
    Choice::System as u8
} else {
    Choice::Mimalloc as u8
});

fn choice() -> Choice {
    match CHOICE.load(Ordering::Relaxed) {
        0 => Choice::System,
        1 => Choice::Mimalloc,
        _ => Choice::Batch,
    }
}

/// The allocator of the `aslc` process.
pub struct Allocator;

/// The allocator for a process started with `args` (program name excluded): the subcommand
/// is the first argument that is not an option. `input_size` gives the size of the file at
/// a path, if there is one; it must not keep anything it allocates.
fn choose_for<'a>(
    mut args: impl Iterator<Item = &'a [u8]>,
    input_size: impl Fn(&[u8]) -> Option<u64>,
) -> Choice {
    let Some(sub) = args.find(|arg| !arg.starts_with(b"-")) else {
        return Choice::System;
    };
    if BATCH_SUBCOMMANDS.contains(&sub) {
        return Choice::Batch;
    }
    if MIMALLOC_SUBCOMMANDS.contains(&sub) {
        return Choice::Mimalloc;
    }
    if sub != b"run" {
        return Choice::System;
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
    let large = match input {
        Some(b"-") | None => false,
        Some(value) => {
            let size = input_size(value).unwrap_or(u64::try_from(value.len()).unwrap_or(u64::MAX));
            size >= MIMALLOC_RUN_INPUT
        }
    };
    if large {
        Choice::Mimalloc
    } else {
        Choice::System
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod choose {
    use std::ffi::{c_char, c_int, CStr};
    use std::sync::atomic::Ordering;

    use super::{batch, Choice};

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
        let choice = match super::choose_for(args, input_size) {
            // Without its region, the batch allocator would hand every block to the system
            // allocator anyway.
            Choice::Batch if !batch::reserve() => Choice::System,
            choice => choice,
        };
        super::CHOICE.store(choice as u8, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to one of three sound allocators, and as the choice is
// made before the first allocation and never changes, a block is always freed or resized
// by the allocator that made it.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY (all three arms): forwarded with the caller's guarantees on `layout`.
        match choice() {
            Choice::Batch => unsafe { batch::Batch.alloc(layout) },
            Choice::Mimalloc => unsafe { MiMalloc.alloc(layout) },
            Choice::System => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY (all three arms): forwarded with the caller's guarantees on `layout`.
        match choice() {
            Choice::Batch => unsafe { batch::Batch.alloc_zeroed(layout) },
            Choice::Mimalloc => unsafe { MiMalloc.alloc_zeroed(layout) },
            Choice::System => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY (all three arms): the block came from the chosen allocator, the only one
        // of this process.
        match choice() {
            Choice::Batch => unsafe { batch::Batch.dealloc(ptr, layout) },
            Choice::Mimalloc => unsafe { MiMalloc.dealloc(ptr, layout) },
            Choice::System => unsafe { System.dealloc(ptr, layout) },
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY (all three arms): as for `dealloc`, with the caller's guarantees on
        // `new_size`.
        match choice() {
            Choice::Batch => unsafe { batch::Batch.realloc(ptr, layout, new_size) },
            Choice::Mimalloc => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            Choice::System => unsafe { System.realloc(ptr, layout, new_size) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(args: &[&str]) -> Choice {
        let size = |path: &[u8]| match path {
            b"big.json" => Some(75 << 10),
            b"small.json" => Some(40),
            _ => None,
        };
        choose_for(args.iter().map(|a| a.as_bytes()), size)
    }

    #[test]
    fn checks_get_the_batch_allocator() {
        assert_eq!(chosen(&["check", "examples"]), Choice::Batch);
        assert_eq!(chosen(&["--no-color", "check", "-"]), Choice::Batch);
    }

    #[test]
    fn the_language_server_gets_mimalloc() {
        assert_eq!(chosen(&["lsp", "--stdio"]), Choice::Mimalloc);
    }

    #[test]
    fn runs_over_large_inputs_get_mimalloc() {
        assert_eq!(chosen(&["run", "flow.asl.json", "--input", "big.json"]), Choice::Mimalloc);
        assert_eq!(chosen(&["run", "--input=big.json", "flow.asl.json"]), Choice::Mimalloc);
        let text = format!("{{\"items\": [{}0]}}", "0, ".repeat(10_000));
        assert_eq!(chosen(&["run", "flow.asl.json", "--input", &text]), Choice::Mimalloc);
        for small in ["small.json", "-", "{}"] {
            assert_eq!(chosen(&["run", "flow.asl.json", "--input", small]), Choice::System);
        }
        assert_eq!(chosen(&["run", "flow.asl.json"]), Choice::System);
    }

    #[test]
    fn short_jobs_keep_the_system_allocator() {
        assert_eq!(chosen(&["run", "check.asl.json"]), Choice::System);
        assert_eq!(chosen(&["--version"]), Choice::System);
        assert_eq!(chosen(&[]), Choice::System);
        assert_eq!(chosen(&["checkers"]), Choice::System);
    }
}
