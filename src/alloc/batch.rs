//! The batch allocator of `aslc check`: blocks packed densely into one reserved region,
//! each thread keeping its own free list per size class.
//!
//! A check over many files allocates and frees a file's syntax tree and IR, file after
//! file, on a few threads; at its peak fewer than 3 MB are live. mimalloc gives each thread
//! its own 64 KiB page per small size class and 512 KiB page per medium one, so with the
//! kernel's transparent huge pages a check of the 362-file real corpus touched nine 2 MiB
//! pages, and zeroing them was an eighth of the process's CPU time (and without huge pages,
//! a thousand 4 KiB page faults cost about as much). Here every thread carves its blocks out
//! of 256 KiB chunks taken in turn from the front of one region, so the same check touches
//! two or three huge pages, and an allocation or a free is a few instructions on a
//! thread-local list.
//!
//! The cost is that memory only ever returns to the size class it was freed as, never to
//! the operating system: right for a process that checks its inputs and exits, which is why
//! only `check` uses it (the language server keeps mimalloc). Blocks larger than
//! [`LARGE_MAX`] or aligned to more than 16 bytes come from the system allocator, and so
//! does everything once the region is used up, or when it could not be reserved; a block
//! is freed by the allocator whose address range it is in.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of address space reserved (not memory: pages are only backed when first written).
const REGION: usize = 16 << 30;
/// The huge-page size the region is aligned to.
const HUGE_PAGE: usize = 2 << 20;
/// What a thread takes from the region at a time for its blocks.
const CHUNK: usize = 256 << 10;
/// Blocks larger than this are taken from the region on their own rather than from a chunk.
const OWN_SPAN: usize = CHUNK / 4;
/// Up to this size, size classes are 16 bytes apart.
const SMALL_MAX: usize = 1 << 10;
const SMALL_CLASSES: usize = SMALL_MAX / 16;
/// Above [`SMALL_MAX`], each power of two is split into this many classes.
const STEPS: usize = 4;
/// The largest block the region serves.
const LARGE_MAX: usize = 4 << 20;
/// The number of size classes: the small ones, then `STEPS` per doubling up to `LARGE_MAX`.
const CLASSES: usize =
    SMALL_CLASSES + (LARGE_MAX.trailing_zeros() - SMALL_MAX.trailing_zeros()) as usize * STEPS;
/// The alignment every block has.
const ALIGN: usize = 16;

/// Start of the region; 0 until [`reserve`] succeeds.
static BASE: AtomicUsize = AtomicUsize::new(0);
/// Length of the region; 0 until [`reserve`] succeeds, so that no address is in it.
static LEN: AtomicUsize = AtomicUsize::new(0);
/// Offset of the region's first byte not yet handed to a thread.
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A thread's chunk and free lists.
struct Local {
    /// The unused part of the current chunk: `next..end`.
    next: usize,
    end: usize,
    /// Per size class, the first free block; each free block holds the address of the next.
    free: [usize; CLASSES],
}

thread_local! {
    // Const-initialised and without `Drop`: no destructor to register and no lazy set-up,
    // so the allocator can use it on any thread at any time, its exit included.
    static LOCAL: UnsafeCell<Local> =
        const { UnsafeCell::new(Local { next: 0, end: 0, free: [0; CLASSES] }) };
}

/// The size class of a block of `size` bytes and that class's block size.
const fn class_of(size: usize) -> (usize, usize) {
    if size <= SMALL_MAX {
        let class = if size == 0 { 0 } else { (size - 1) / 16 };
        (class, (class + 1) * 16)
    } else {
        // `size` is in (2^k, 2^(k+1)], split into `STEPS` classes of 2^k / STEPS bytes each.
        let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
        let step = (1 << k) / STEPS;
        let sub = (size - (1 << k)).div_ceil(step);
        let class = SMALL_CLASSES + (k - SMALL_MAX.trailing_zeros() as usize) * STEPS + sub - 1;
        (class, (1 << k) + sub * step)
    }
}

/// Reserves the region. Called once, before the first allocation; `false` when the address
/// space cannot be had (a strict overcommit policy, an address-space limit), and every
/// allocation then goes to the system allocator.
pub fn reserve() -> bool {
    // SAFETY: a new anonymous private mapping, touching no existing memory.
    let start = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            REGION + HUGE_PAGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if start == libc::MAP_FAILED {
        return false;
    }
    let base = (start as usize).next_multiple_of(HUGE_PAGE);
    // Huge pages where the system allows them on request; a refusal only costs speed.
    // SAFETY: advice on the mapping just made.
    unsafe { libc::madvise(base as *mut libc::c_void, REGION, libc::MADV_HUGEPAGE) };
    BASE.store(base, Ordering::Relaxed);
    LEN.store(REGION, Ordering::Release);
    true
}

/// Takes `bytes` (a multiple of [`ALIGN`]) from the front of the region, if that much is
/// left.
fn take(bytes: usize) -> Option<usize> {
    let len = LEN.load(Ordering::Acquire);
    let offset = NEXT.fetch_add(bytes, Ordering::Relaxed);
    // `NEXT` only grows, by at most `LARGE_MAX` per call: it cannot wrap around.
    (offset.checked_add(bytes)? <= len).then(|| BASE.load(Ordering::Relaxed) + offset)
}

/// Whether `ptr` points into the region.
fn owns(ptr: *mut u8) -> bool {
    (ptr as usize).wrapping_sub(BASE.load(Ordering::Relaxed)) < LEN.load(Ordering::Relaxed)
}

/// Whether the region serves blocks of this layout.
fn serves(layout: Layout) -> bool {
    layout.size() <= LARGE_MAX && layout.align() <= ALIGN
}

/// Runs `f` on this thread's chunk and free lists.
fn with_local<R>(f: impl FnOnce(&mut Local) -> R) -> R {
    // SAFETY: the cell is this thread's own and `f` never allocates, so it is not borrowed
    // twice.
    LOCAL.with(|cell| f(unsafe { &mut *cell.get() }))
}

/// A block of `class`, `block` bytes long, from this thread's free list or chunk; `None`
/// when the region is used up.
fn alloc_block(class: usize, block: usize) -> Option<usize> {
    with_local(|local| {
        let head = local.free[class];
        if head != 0 {
            // SAFETY: a free block of this class, at least 16 bytes, holds the next one's
            // address in its first word.
            local.free[class] = unsafe { *(head as *const usize) };
            return Some(head);
        }
        if block > local.end - local.next {
            if block > OWN_SPAN {
                // The chunk stays: a large block takes its own span of the region.
                return take(block);
            }
            // The rest of the chunk is given up: at most `OWN_SPAN` bytes.
            let chunk = take(CHUNK)?;
            local.next = chunk;
            local.end = chunk + CHUNK;
        }
        let at = local.next;
        local.next += block;
        Some(at)
    })
}

/// The batch allocator; see the module documentation.
pub struct Batch;

// SAFETY: a block of the region is handed out once until it is freed: it leaves a free list
// when it is taken, and a chunk's unused part only shrinks. Each block is at least as long
// as its layout asks (its class's block size), 16-byte aligned (chunks and spans start at
// multiples of 16 and block sizes are multiples of 16), and writable (the region is mapped
// read-write). Anything else goes to the system allocator, and `owns` tells the two apart.
unsafe impl GlobalAlloc for Batch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if serves(layout) {
            let (class, block) = class_of(layout.size());
            if let Some(at) = alloc_block(class, block) {
                return at as *mut u8;
            }
        }
        // SAFETY: forwarded with the caller's guarantees on `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !owns(ptr) {
            // SAFETY: the block is not the region's, so the system allocator made it.
            return unsafe { System.dealloc(ptr, layout) };
        }
        let (class, _) = class_of(layout.size());
        with_local(|local| {
            // SAFETY: the caller gives the block up; its first word now links the list.
            unsafe { *(ptr as *mut usize) = local.free[class] };
            local.free[class] = ptr as usize;
        });
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if owns(ptr) && new_size <= LARGE_MAX {
            let (class, block) = class_of(layout.size());
            let (new_class, new_block) = class_of(new_size);
            if new_class == class {
                return ptr;
            }
            // The chunk's last block grows or shrinks where it is.
            let at = ptr as usize;
            let in_place = with_local(|local| {
                let fits = at + block == local.next && at + new_block <= local.end;
                if fits {
                    local.next = at + new_block;
                }
                fits
            });
            if in_place {
                return ptr;
            }
        }
        // SAFETY: `GlobalAlloc::realloc`'s contract makes this a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_size` is not zero (the caller's guarantee).
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live, distinct, and at least this long.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
            // SAFETY: the caller's block, with the caller's layout.
            unsafe { self.dealloc(ptr, layout) };
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Once;

    fn region() {
        static RESERVED: Once = Once::new();
        RESERVED.call_once(|| assert!(reserve(), "the test region could not be reserved"));
    }

    #[test]
    fn size_classes_cover_every_size_tightly() {
        let mut last = (0, 0);
        let sizes = (1..=4 * SMALL_MAX).chain((4 * SMALL_MAX..=LARGE_MAX).step_by(97)).chain([LARGE_MAX]);
        for size in sizes {
            let (class, block) = class_of(size);
            assert!(class < CLASSES, "size {size}: class {class}");
            assert!(block >= size && block % ALIGN == 0, "size {size}: block {block}");
            // At most 15 bytes or a quarter of the size wasted.
            assert!(block - size < 16 || (block - size) * STEPS <= size, "size {size}: block {block}");
            // A class's block size is in the class, and classes grow with sizes.
            assert_eq!(class_of(block), (class, block), "size {size}");
            assert!((class, block) >= last, "size {size}");
            last = (class, block);
        }
        assert_eq!(class_of(LARGE_MAX).0, CLASSES - 1);
    }

    /// A small deterministic generator, so that a failure repeats.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Allocates, grows, shrinks and frees blocks at random, each filled with its own byte,
    /// and checks that no block changes under another's writes.
    fn churn(seed: u64, rounds: usize, handed: &mut Vec<(usize, Layout, u8)>) {
        let mut rng = Rng(seed);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let check = |(ptr, layout, byte): &(*mut u8, Layout, u8)| {
            // SAFETY: a live block of `layout.size()` bytes, filled with `byte`.
            let bytes = unsafe { std::slice::from_raw_parts(*ptr, layout.size()) };
            assert!(bytes.iter().all(|b| b == byte), "a block changed under another's writes");
            assert_eq!(*ptr as usize % layout.align(), 0);
        };
        for round in 0..rounds {
            let byte = (round % 251) as u8 + 1;
            match rng.below(10) {
                0..=4 => {
                    let size = match rng.below(400) {
                        0 => 1 + rng.below(LARGE_MAX + (1 << 20)),
                        1..=40 => 1 + rng.below(64 << 10),
                        _ => 1 + rng.below(600),
                    };
                    let align = [1, 8, 16, 64][rng.below(4)];
                    let layout = Layout::from_size_align(size, align).unwrap();
                    // SAFETY: a non-zero size.
                    let ptr = unsafe { Batch.alloc(layout) };
                    assert!(!ptr.is_null());
                    // SAFETY: the new block is `size` bytes long.
                    unsafe { ptr.write_bytes(byte, size) };
                    live.push((ptr, layout, byte));
                }
                5..=6 if !live.is_empty() => {
                    let i = rng.below(live.len());
                    let (ptr, layout, _) = live[i];
                    let new_size = 1 + rng.below(2 * layout.size() + 64);
                    // SAFETY: a live block with its layout and a non-zero size.
                    let new = unsafe { Batch.realloc(ptr, layout, new_size) };
                    assert!(!new.is_null());
                    let new_layout = Layout::from_size_align(new_size, layout.align()).unwrap();
                    check(&(
                        new,
                        Layout::from_size_align(layout.size().min(new_size), 1).unwrap(),
                        live[i].2,
                    ));
                    // SAFETY: the block is `new_size` bytes long.
                    unsafe { new.write_bytes(byte, new_size) };
                    live[i] = (new, new_layout, byte);
                }
                _ if !live.is_empty() => {
                    let i = rng.below(live.len());
                    let block = live.swap_remove(i);
                    check(&block);
                    // SAFETY: a live block with its layout.
                    unsafe { Batch.dealloc(block.0, block.1) };
                }
                _ => {}
            }
            if round % 1024 == 0 {
                live.iter().for_each(check);
            }
        }
        live.iter().for_each(check);
        handed.extend(live.iter().map(|&(ptr, layout, byte)| (ptr as usize, layout, byte)));
    }

    #[test]
    fn blocks_keep_their_contents_through_allocation_growth_and_frees() {
        region();
        let mut handed = Vec::new();
        churn(0x9e37_79b9_7f4a_7c15, 20_000, &mut handed);
        free_all(handed);
    }

    /// Frees blocks that [`churn`] handed on, first checking that each still holds its byte.
    fn free_all(blocks: impl IntoIterator<Item = (usize, Layout, u8)>) {
        for (ptr, layout, byte) in blocks {
            // SAFETY: live blocks with their layouts, filled with `byte`.
            let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, layout.size()) };
            assert!(bytes.iter().all(|&b| b == byte));
            // SAFETY: as above.
            unsafe { Batch.dealloc(ptr as *mut u8, layout) };
        }
    }

    #[test]
    fn threads_free_each_others_blocks() {
        region();
        // Blocks made on four threads, checked and freed on this one, whose lists then hand
        // them out again.
        let handed: Vec<Vec<(usize, Layout, u8)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|t| {
                    scope.spawn(move || {
                        let mut handed = Vec::new();
                        churn(t + 1, 5_000, &mut handed);
                        handed
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        free_all(handed.into_iter().flatten());
        let mut again = Vec::new();
        churn(99, 2_000, &mut again);
        free_all(again);
    }

    #[test]
    fn large_and_overaligned_blocks_come_from_the_system() {
        region();
        for layout in
            [Layout::from_size_align(LARGE_MAX + 1, 8).unwrap(), Layout::from_size_align(64, 64).unwrap()]
        {
            // SAFETY: a non-zero size.
            let ptr = unsafe { Batch.alloc(layout) };
            assert!(!ptr.is_null() && !owns(ptr));
            // SAFETY: the block just made, with its layout.
            unsafe { Batch.dealloc(ptr, layout) };
        }
        let layout = Layout::from_size_align(LARGE_MAX, 16).unwrap();
        // SAFETY: a non-zero size.
        let ptr = unsafe { Batch.alloc(layout) };
        assert!(owns(ptr));
        // SAFETY: the block just made, with its layout.
        unsafe { Batch.dealloc(ptr, layout) };
    }
}
