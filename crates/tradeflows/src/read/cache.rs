//! Bringing a regional file into the page cache before its pieces are read out of order.
//!
//! The cut probes a regional file at scattered offsets, and the pieces then read it place by
//! place, not front to back. On a file the page cache does not hold, that order makes the
//! kernel read it in 4 KiB pages, and the cache keeps them so: every later run then copies
//! the file out of 4 KiB pages, which costs more than out of the large folios a sequential
//! read leaves. Measured on this project's machines (Linux 6.18, ext4, the benchmark's
//! 75 MiB year):
//! - a run on files not in the cache took 0.23–0.29 s (0.10 s warm) and left them in 4 KiB
//!   pages (1.0 page a folio on average), with or without `posix_fadvise(WILLNEED)`; with
//!   the read-through below, 0.17–0.18 s, leaving 36 pages a folio;
//! - a sequential read of such a file in 128 KiB reads took 18 ms and left 36 pages a
//!   folio on average (1 MiB reads: 26 ms and 10 pages);
//! - the run on warm files took 110.9 ms when the cache held them in 4 KiB pages and
//!   101.3 ms when a sequential read had brought them in (median of 15 interleaved runs).
//!
//! So a file whose last byte the cache lacks (a file not read lately lacks all of its pages)
//! is read through once, front to back, before it is cut. Any other file is announced to the
//! kernel (`posix_fadvise(WILLNEED)`), which reads the pages it lacks in the background
//! (on this machine the cache drops a tenth of an idle file's pages within a minute), in
//! large requests rather than one at a time when a probe needs them: with a tenth of the
//! pages dropped, 180 → 169 ms (median of 10 interleaved runs); with none, no change.
//!
//! Whether the cache holds the last byte is asked with a read that does not wait for the
//! disk (`RWF_NOWAIT`), which the kernel answers without mapping the file (mapping it would
//! need `unsafe`). Only one page is asked, at the end: a read that does not wait still
//! starts reading the page in, in a small folio, and small folios met by the read-through
//! keep its later folios small (32 pages asked across the file, then read through: 1.1
//! pages a folio on average).

use std::fs::File;

/// The size of the reads of a read-through (see the module's measures).
const CHUNK: usize = 128 << 10;

/// Brings `file` (`len` bytes) into the page cache as the module explains. Only a hint: a
/// failure changes nothing, the reads that follow report their own errors.
#[cfg(target_os = "linux")]
pub(crate) fn prepare(file: &File, len: u64) {
    if len > 0 && cached(file, len - 1) == Some(false) {
        read_through(file, len);
    } else {
        let _ = rustix::fs::fadvise(
            file,
            0,
            std::num::NonZeroU64::new(len),
            rustix::fs::Advice::WillNeed,
        );
    }
}

/// See the Linux version: elsewhere the pieces are read as they come.
#[cfg(not(target_os = "linux"))]
pub(crate) fn prepare(_file: &File, _len: u64) {}

/// Whether the page cache holds the byte at `at` of `file`: a read of it that must not wait
/// for the disk succeeds only if it does. `None` when the kernel does not tell (reads that
/// do not wait refused).
#[cfg(target_os = "linux")]
fn cached(file: &File, at: u64) -> Option<bool> {
    use rustix::io::{preadv2, Errno, ReadWriteFlags};
    let mut byte = [0u8; 1];
    let mut bufs = [std::io::IoSliceMut::new(&mut byte)];
    match preadv2(file, &mut bufs, at, ReadWriteFlags::NOWAIT) {
        Ok(_) => Some(true),
        Err(Errno::AGAIN) => Some(false),
        Err(_) => None,
    }
}

/// Reads `file` front to back in [`CHUNK`] reads, for the page cache only.
#[cfg(target_os = "linux")]
fn read_through(file: &File, len: u64) {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0u8; CHUNK];
    let mut at = 0;
    while at < len {
        match file.read_at(&mut buf, at) {
            Ok(0) => break,
            Ok(n) => at += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_file_just_written_is_found_in_the_cache_and_prepared_without_error() {
        let dir = std::env::temp_dir().join(format!("tradeflows-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.txt");
        let bytes: Vec<u8> = (0..300_000u32)
            .map(|i| b"0123456789;\n"[(i % 12) as usize])
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        let f = File::open(&path).unwrap();
        let len = bytes.len() as u64;
        // Just written: the cache holds it (unless the file system cannot tell, as some do
        // not take reads that do not wait: then `prepare` announces the file, as before).
        for at in [0, len / 2, len - 1] {
            assert!(matches!(cached(&f, at), Some(true) | None), "byte {at}");
        }
        assert_eq!(cached(&f, len - 1), cached(&f, 0));
        // Each way of preparing leaves the file as it was, an empty file too.
        prepare(&f, len);
        read_through(&f, len);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, b"").unwrap();
        prepare(&File::open(&empty).unwrap(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
