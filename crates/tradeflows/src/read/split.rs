//! Splitting a regional file into pieces, one per place, that two threads can read at once.
//!
//! DGDDI's regional files come sorted by quarter, then département (then product and
//! country): a département's rows for a year are four blocks, one per quarter, far apart in
//! the file. Read in the file's order, each block's sums must be merged with those of the
//! earlier quarters; read place by place, a place's four blocks follow one another, its sums
//! are complete when its last block ends, and the places of both files can be shared between
//! the threads in any number.
//!
//! The blocks are found without reading the file through: a block's end is searched from its
//! start by probing a few hundred bytes at doubling distances, then by bisection, comparing
//! the leading fields (flow, quarter, year, département, région) of the line found there.
//! This only decides how the work is cut: the blocks tile the file exactly, line by line,
//! and every line is read as the file's order would read it, so a file that is not sorted
//! (a block's rows not contiguous) gives the same sums, only less well shared.
//!
//! Hand-written: no crate finds line-aligned blocks by key in a file sorted by that key.

use std::fs::File;
use std::os::unix::fs::FileExt;

/// The leading fields of a line: flow, quarter, year, département and région, each followed
/// by its `;` (at most this many bytes; a longer head is not DGDDI's layout).
const KEY_MAX: usize = 40;

/// Bytes read by a probe: a line of the regional file is about 40 bytes.
const PROBE: usize = 256;

/// Beyond this many blocks, blocks must average [`MIN_AVERAGE`] bytes: a file whose rows are
/// not grouped by place (blocks of a line or two) is read whole rather than probed line by
/// line.
const MANY_BLOCKS: usize = 64;

/// See [`MANY_BLOCKS`].
const MIN_AVERAGE: u64 = 4096;

/// Below this distance between a block's last known line and the first line known to be
/// past it, the lines between are read one by one.
const LINEAR: u64 = 8192;

/// The largest bracket around a hinted block end read at once (see [`block_end`]).
const HOLD: u64 = 1 << 18;

/// Where the bytes of a file are: in memory, or in a file read at offsets.
pub(crate) enum Bytes<'a> {
    Memory(&'a [u8]),
    File(&'a File, u64),
}

impl Bytes<'_> {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Bytes::Memory(b) => b.len() as u64,
            Bytes::File(_, len) => *len,
        }
    }

    /// The bytes `[from, to)`: borrowed from memory, or read into `buf`.
    pub(crate) fn range<'b>(
        &'b self,
        from: u64,
        to: u64,
        buf: &'b mut Vec<u8>,
    ) -> std::io::Result<&'b [u8]> {
        let to = to.min(self.len());
        let from = from.min(to);
        match self {
            Bytes::Memory(b) => Ok(&b[from as usize..to as usize]),
            Bytes::File(file, _) => {
                // The buffer keeps the length of the largest range read: it is zeroed once,
                // not at every range longer than the one before.
                let n = (to - from) as usize;
                if buf.len() < n {
                    buf.resize(n, 0);
                }
                file.read_exact_at(&mut buf[..n], from)?;
                Ok(&buf[..n])
            }
        }
    }
}

/// A place's blocks, as byte ranges of the file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) ranges: Vec<(u64, u64)>,
}

impl Piece {
    /// The number of bytes of the piece.
    pub(crate) fn size(&self) -> u64 {
        self.ranges.iter().map(|r| r.1 - r.0).sum()
    }
}

/// The leading fields of the line starting at `line[0]`: their bytes up to the fifth `;`
/// included, and where the place (département and région fields) starts in them. `None`
/// when the line has no such head.
fn key_of(line: &[u8]) -> Option<(&[u8], usize)> {
    let mut seps = 0;
    let mut place = 0;
    for (i, &b) in line.iter().take(KEY_MAX).enumerate() {
        match b {
            b'\n' | b'\r' => return None,
            b';' => {
                seps += 1;
                if seps == 3 {
                    place = i + 1;
                } else if seps == 5 {
                    return Some((&line[..=i], place));
                }
            }
            _ => {}
        }
    }
    None
}

/// Bytes read from a file at a probe: a line's start and its head come from one read (the
/// head is at most [`KEY_MAX`] bytes past the [`PROBE`] bytes searched for the line's start).
const WINDOW: usize = PROBE + KEY_MAX;

/// Reads probes of a file, through a window of the bytes read last.
struct Prober<'a> {
    bytes: &'a Bytes<'a>,
    buf: Vec<u8>,
    /// The window: `buf[..filled]` holds the file's bytes from `from`.
    from: u64,
    filled: usize,
}

impl<'a> Prober<'a> {
    fn new(bytes: &'a Bytes<'a>) -> Self {
        Prober {
            bytes,
            buf: Vec::new(),
            from: 0,
            filled: 0,
        }
    }

    /// Up to `n` bytes from `at` (fewer at the end of the file): from the window when it
    /// holds them, else read with at least [`WINDOW`] bytes, which become the window.
    fn at(&mut self, at: u64, n: usize) -> std::io::Result<&[u8]> {
        let len = self.bytes.len();
        let end = at.saturating_add(n as u64).min(len);
        let at = at.min(end);
        if let Bytes::Memory(b) = self.bytes {
            return Ok(&b[at as usize..end as usize]);
        }
        self.fill(at, end, end.max(at.saturating_add(WINDOW as u64)))?;
        let i = (at - self.from) as usize;
        Ok(&self.buf[i..i + (end - at) as usize])
    }

    /// Reads `[from, to)` into the window in one read, unless the window holds it already:
    /// the probes that follow within it are then served from memory.
    fn hold(&mut self, from: u64, to: u64) -> std::io::Result<()> {
        if let Bytes::Memory(_) = self.bytes {
            return Ok(());
        }
        let to = to.min(self.bytes.len());
        self.fill(from, to, to)
    }

    /// Makes the window hold `[from, to)`: when it does not, `[from, read_to)` is read and
    /// becomes the window.
    fn fill(&mut self, from: u64, to: u64, read_to: u64) -> std::io::Result<()> {
        if from < self.from || to > self.from + self.filled as u64 {
            self.filled = self.bytes.range(from, read_to, &mut self.buf)?.len();
            self.from = from;
        }
        Ok(())
    }

    /// The start of the first line at or after `at` (the file's length if none), or `None`
    /// when no line end is found near `at` (lines that long are not DGDDI's layout).
    fn line_start(&mut self, at: u64) -> std::io::Result<Option<u64>> {
        if at == 0 {
            return Ok(Some(0));
        }
        let len = self.bytes.len();
        if at >= len {
            return Ok(Some(len));
        }
        let window = self.at(at - 1, PROBE)?;
        Ok(match memchr::memchr(b'\n', window) {
            Some(i) => Some(at + i as u64),
            None if at - 1 + window.len() as u64 >= len => Some(len),
            None => None,
        })
    }

    /// Whether the line at `at` has the head `key`.
    fn has_key(&mut self, at: u64, key: &[u8]) -> std::io::Result<bool> {
        let head = self.at(at, KEY_MAX)?;
        Ok(key_of(head).is_some_and(|k| k.0 == key))
    }
}

/// The pieces of a regional file, one per place (the département and région fields), in
/// the order their first block comes; `None` when the file does not look like a regional
/// file in DGDDI's layout (a head longer than DGDDI's, a line too long, blank lines before
/// the end, rows not grouped by place), which is then read whole. The blocks tile
/// `[start, len)` exactly; trailing blank lines are left out.
pub(crate) fn pieces(bytes: &Bytes<'_>, start: u64) -> std::io::Result<Option<Vec<Piece>>> {
    let mut probe = Prober::new(bytes);
    let len = bytes.len();
    let mut places: Vec<(Vec<u8>, Piece)> = Vec::new();
    let mut s = start;
    let mut step = LINEAR;
    let mut blocks = 0usize;
    while s < len {
        blocks += 1;
        if blocks > MANY_BLOCKS && (s - start) / (blocks as u64) < MIN_AVERAGE {
            return Ok(None);
        }
        let head = probe.at(s, KEY_MAX)?.to_vec();
        let Some((key, place)) = key_of(&head) else {
            return Ok(None);
        };
        let known = places.iter().position(|p| p.0 == key[place..]);
        // The size of the place's block in the quarter before, when there is one.
        let hint = known
            .and_then(|i| places[i].1.ranges.last())
            .map(|r| r.1 - r.0);
        let Some(e) = block_end(&mut probe, s, key, step, hint)? else {
            return Ok(None);
        };
        step = ((e - s) / 2).max(LINEAR);
        match known.and_then(|i| places.get_mut(i)) {
            Some(p) => p.1.ranges.push((s, e)),
            None => places.push((
                key[place..].to_vec(),
                Piece {
                    ranges: vec![(s, e)],
                },
            )),
        }
        s = e;
        // Blank lines at the end of the file are left out (the file's reader ignores them);
        // blank lines before more data are not DGDDI's layout.
        let rest = probe.at(s, PROBE)?;
        if !rest.is_empty() && rest.iter().all(|b| b.is_ascii_whitespace()) {
            if s + (rest.len() as u64) < len {
                return Ok(None);
            }
            break;
        }
    }
    Ok(Some(places.into_iter().map(|p| p.1).collect()))
}

/// The end of the block that starts at line `s` with head `key`: the start of the first
/// line after it whose head differs (or the file's length). With `hint`, the size of the
/// place's block in the quarter before, probes around the end it suggests first (see
/// [`hinted_bracket`]: the probes usually bracket the end closely); then, unless a line that
/// differs was found, probes at `step` further, doubling, until one is; then bisects down
/// to [`LINEAR`] bytes and reads those lines.
fn block_end(
    probe: &mut Prober<'_>,
    s: u64,
    key: &[u8],
    step: u64,
    hint: Option<u64>,
) -> std::io::Result<Option<u64>> {
    let len = probe.bytes.len();
    let (mut lo, mut step) = (s, step);
    let mut bracket = None;
    if let Some(h) = hint {
        match hinted_bracket(probe, s, key, h, &mut lo)? {
            Some(b) => bracket = b,
            None => return Ok(None),
        }
    }
    let mut hi = match bracket {
        Some(q) => q,
        None => loop {
            let Some(q) = probe.line_start(lo.saturating_add(step))? else {
                return Ok(None);
            };
            if q >= len || !probe.has_key(q, key)? {
                break q;
            }
            lo = q;
            step = step.saturating_mul(2);
        },
    };
    while hi - lo > LINEAR {
        let Some(mid) = probe.line_start(lo + (hi - lo) / 2)? else {
            return Ok(None);
        };
        if mid >= hi {
            break;
        }
        if probe.has_key(mid, key)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // Lines from `lo` (its head is `key`) up to `hi` (its head differs): the first that
    // differs ends the block. (A line has the head `key` when it starts with it: `key` ends
    // at its fifth `;` and holds no line end.)
    let window = probe.at(lo, (hi - lo) as usize + KEY_MAX)?;
    let mut pos = 0usize;
    while (pos as u64) < hi - lo {
        if !window[pos..].starts_with(key) {
            return Ok(Some(lo + pos as u64));
        }
        match memchr::memchr(b'\n', &window[pos..]) {
            Some(i) => pos += i + 1,
            None => return Ok(Some(hi)),
        }
    }
    Ok(Some(hi))
}

/// The probes of [`block_end`] around `s + h`, where the block that starts at line `s` with
/// head `key` ends when it is `h` bytes long, as the place's block of the quarter before was:
/// a thirty-second of `h` either side first (a place's blocks are of much the same size from
/// quarter to quarter: in the benchmark's generated files they differ by 1.7% in the median,
/// by under 7% in 99 cases in 100), then an eighth (what a file whose blocks vary more
/// needs), each bracket read at once, and only its part not known yet.
/// Moves `lo` to the last line found with the head; gives the first line found past the
/// block, if any (`None`: a line too long for DGDDI's layout).
fn hinted_bracket(
    probe: &mut Prober<'_>,
    s: u64,
    key: &[u8],
    h: u64,
    lo: &mut u64,
) -> std::io::Result<Option<Option<u64>>> {
    let len = probe.bytes.len();
    let mut hi: Option<u64> = None;
    for margin in [(h / 32).max(LINEAR / 2), (h / 8).max(LINEAR)] {
        let (from, to) = (s + h.saturating_sub(margin), s.saturating_add(h + margin));
        let (from, to) = (from.max(*lo), hi.map_or(to, |q| to.min(q)));
        // One read for the bracket and the lines to scan in it, instead of a read per
        // probe (when the bracket is small enough to hold).
        if from < to && to - from <= HOLD {
            probe.hold(
                from.saturating_sub(1).max(s),
                to.saturating_add(WINDOW as u64),
            )?;
        }
        let before = *lo;
        for at in [from, to] {
            if at <= *lo || hi.is_some_and(|q| at >= q) {
                continue;
            }
            let Some(q) = probe.line_start(at)? else {
                return Ok(None);
            };
            if q >= len || !probe.has_key(q, key)? {
                hi = Some(q);
                break;
            }
            *lo = q;
        }
        // Bracketed within this margin: a line with the head below, one without above.
        if hi.is_some() && *lo > before {
            break;
        }
    }
    Ok(Some(hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(q: u8, dep: &str, n: u32) -> String {
        format!("E;{q};2024;{dep};53;A01Z;0111;BE;{n};1\n")
    }

    /// The pieces of `text`, found alike in memory and in a file (read through the probes'
    /// window).
    fn split(text: &[u8]) -> Option<Vec<Piece>> {
        let in_memory = pieces(&Bytes::Memory(text), 0).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, text).unwrap();
        let in_file = pieces(&Bytes::File(&file, text.len() as u64), 0).unwrap();
        assert_eq!(in_memory, in_file);
        in_memory
    }

    /// Every byte of `[0, end)` in exactly one range, ranges at line starts.
    fn tiles(pieces: &[Piece], text: &[u8], end: usize) -> bool {
        let mut ranges: Vec<(u64, u64)> = pieces.iter().flat_map(|p| p.ranges.clone()).collect();
        ranges.sort_unstable();
        let mut at = 0;
        for (s, e) in ranges {
            if s != at || e <= s || (s > 0 && text[s as usize - 1] != b'\n') {
                return false;
            }
            at = e;
        }
        at == end as u64
    }

    #[test]
    fn one_piece_per_place_in_file_order() {
        let mut text = String::new();
        for q in 1..=4 {
            for dep in ["22", "29", "35"] {
                for n in 0..(300 * usize::from(q)) {
                    text.push_str(&line(q, dep, n as u32));
                }
            }
        }
        let got = split(text.as_bytes()).unwrap();
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|p| p.ranges.len() == 4));
        assert!(tiles(&got, text.as_bytes(), text.len()));
        let first = &text[got[1].ranges[2].0 as usize..got[1].ranges[2].1 as usize];
        assert!(first.starts_with("E;3;2024;29;53;"));
        assert_eq!(first.lines().count(), 900);
        assert!(first.lines().all(|l| l.starts_with("E;3;2024;29;53;")));
    }

    #[test]
    fn rows_not_grouped_by_place_are_read_whole() {
        let mut text = String::new();
        for n in 0..2000 {
            text.push_str(&line(1 + (n % 4) as u8, ["22", "29"][n % 2], n as u32));
        }
        assert_eq!(split(text.as_bytes()), None);
    }

    #[test]
    fn trailing_blank_lines_are_left_out_others_refused() {
        let text = format!("{}{}\n \r\n", line(1, "22", 1), line(1, "29", 2));
        let got = split(text.as_bytes()).unwrap();
        let end = text.find("\n\n").unwrap() + 1;
        assert!(tiles(&got, text.as_bytes(), end));
        let text = format!("{}\n{}", line(1, "22", 1), line(1, "29", 2));
        assert_eq!(split(text.as_bytes()), None);
        assert_eq!(split(b"Flux;Trimestre\n"), None);
        assert_eq!(split(b""), Some(vec![]));
    }

    proptest! {
        /// Whatever the order of the rows, the pieces tile the file at line starts, and
        /// sorted rows give one block per (quarter, place).
        #[test]
        fn pieces_tile_the_file(
            rows in proptest::collection::vec((1u8..=4, 0usize..4, 0u32..1_000_000), 1..2000),
            sorted in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let deps = ["01", "2A", "971", "75"];
            let mut rows = rows;
            if sorted {
                rows.sort_by_key(|r| (r.0, r.1));
            }
            let mut text = String::new();
            for &(q, d, n) in &rows {
                let l = line(q, deps[d], n);
                text.push_str(&if crlf { l.replace('\n', "\r\n") } else { l });
            }
            let got = split(text.as_bytes());
            // Rows not grouped by place are read whole (sorted ones give at most 16 blocks).
            prop_assert!(got.is_some() || !sorted);
            let got = got.unwrap_or_else(|| vec![Piece { ranges: vec![(0, text.len() as u64)] }]);
            prop_assert!(tiles(&got, text.as_bytes(), text.len()));
            if sorted {
                let mut blocks: Vec<(u8, usize)> = rows.iter().map(|r| (r.0, r.1)).collect();
                blocks.dedup();
                prop_assert_eq!(got.iter().map(|p| p.ranges.len()).sum::<usize>(), blocks.len());
            }
        }
    }
}
