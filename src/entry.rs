//! The process entry point on Linux with glibc, in place of Rust's runtime start-up.
//!
//! Rust's start-up finds the main thread's stack for its stack-overflow message by reading
//! and parsing `/proc/self/maps`, and gives the thread a signal stack; together about a
//! tenth of a short `aslc run`. aslc bounds its recursion on every input (the readers' and
//! the lowering's depth limits), so that message is not worth the price at every start. The
//! rest of what the start-up does that aslc relies on is done here: a write to a closed pipe
//! is an error (`EPIPE`), not a killing `SIGPIPE`; the standard descriptors are open, so no
//! file the process opens takes their place; a panic ends the process with status 101; and
//! standard output is flushed at exit. The arguments reach
//! `std::env::args` without this function: glibc hands them to Rust's standard library
//! before `main` runs.

use std::ffi::{c_char, c_int};
use std::io::Write as _;

/// Called by the C runtime with the process's arguments.
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: ignoring a signal installs no handler; nothing else changes its disposition.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    open_standard_descriptors();
    let code = std::panic::catch_unwind(super::run).unwrap_or(101);
    // What Rust's exit would do first; a failure to flush is as silent as it is there.
    let _ = std::io::stdout().flush();
    // Then straight to the kernel: nothing registered to run at exit is needed, and
    // mimalloc's handler would hand its memory back page range by page range to a process
    // that is about to lose all of it.
    // SAFETY: ends the process; no Rust code runs afterwards.
    unsafe { libc::_exit(i32::from(code)) }
}

/// Opens `/dev/null` on any of descriptors 0, 1 and 2 that is closed.
fn open_standard_descriptors() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd { fd, events: 0, revents: 0 });
    // SAFETY: `fds` is a live array of three `pollfd`s, the count passed.
    let polled = unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) };
    if polled < 0 {
        return;
    }
    for fd in fds {
        if fd.revents & libc::POLLNVAL != 0 {
            // The lowest free descriptor is the closed one (those below it are open).
            // SAFETY: a NUL-terminated path and plain flags.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}
