//! Streaming line scanner: reads a file block by block (never the whole file in memory),
//! drops a UTF-8 BOM and `\r` before `\n`, and numbers the lines.
//!
//! Blank lines at the end of a file are a harmless variant and are ignored; a blank line
//! followed by data is reported like any malformed line.

use std::io::Read;
use std::path::Path;

use memchr::memchr;

use crate::error::{Error, Result};

/// Size of the read buffer: large enough to amortise system calls, small enough that memory
/// does not grow with the file.
const BLOCK: usize = 1 << 20;

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Calls `f(block)` with successive blocks of whole lines of `reader`: each block ends just
/// after a `\n`, except the last one when the file does not end with a newline. A UTF-8 BOM
/// is dropped. Refuses a binary file (NUL bytes in the first 8 KiB).
pub(crate) fn for_each_block<R: Read>(
    mut reader: R,
    path: &Path,
    mut f: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut buf: Vec<u8> = vec![0; BLOCK];
    // `buf[start..end]` holds bytes not yet given to `f`.
    let (mut start, mut end) = (0usize, 0usize);
    let mut checked = false;
    loop {
        if start > 0 {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
        }
        if end == buf.len() {
            // A line longer than the buffer: grow.
            buf.resize(buf.len() * 2, 0);
        }
        let n = loop {
            match reader.read(&mut buf[end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(path, e)),
            }
        };
        end += n;
        let eof = n == 0;
        if !checked {
            if end < 8192 && !eof {
                continue;
            }
            checked = true;
            if memchr(0, &buf[..end.min(8192)]).is_some() {
                return Err(Error::File {
                    path: path.to_owned(),
                    message: "binary content (NUL bytes): not a DGDDI text file".into(),
                });
            }
            if buf[..end].starts_with(b"\xEF\xBB\xBF") {
                start = 3;
            }
        }
        if eof {
            if start < end {
                f(&buf[start..end])?;
            }
            return Ok(());
        }
        if let Some(i) = memchr::memrchr(b'\n', &buf[start..end]) {
            f(&buf[start..start + i + 1])?;
            start += i + 1;
        }
    }
}

/// Line numbers and the blank-line policy of the readers: blank lines at the end of a file
/// are ignored; a blank line followed by data is a line like any other (and will fail to
/// parse); a file with no data line is refused.
#[derive(Debug, Default)]
pub(crate) struct LineState {
    /// Number of the last line seen.
    pub line_no: u64,
    pending_blank: Vec<u64>,
    any_data: bool,
}

impl LineState {
    /// Whether a data line can be taken without first reporting blank lines.
    #[inline]
    pub(crate) fn clean(&self) -> bool {
        self.pending_blank.is_empty()
    }

    /// Counts a data line taken directly by a fast path (only when [`clean`](Self::clean)).
    #[inline]
    pub(crate) fn data_line(&mut self) -> u64 {
        self.line_no += 1;
        self.any_data = true;
        self.line_no
    }

    /// Takes one line (without its `\n`): calls `f(number, line)` for it if it is data,
    /// after calling it for the blank lines before it.
    pub(crate) fn line(
        &mut self,
        line: &[u8],
        mut f: impl FnMut(u64, &[u8]) -> Result<()>,
    ) -> Result<()> {
        self.line_no += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_blank(line) {
            self.pending_blank.push(self.line_no);
            return Ok(());
        }
        for blank in self.pending_blank.drain(..) {
            f(blank, b"")?;
        }
        self.any_data = true;
        f(self.line_no, line)
    }

    /// The end of the file: refuses a file without data.
    pub(crate) fn finish(&self, path: &Path) -> Result<()> {
        if self.any_data {
            Ok(())
        } else {
            Err(Error::File {
                path: path.to_owned(),
                message: "empty file: no data row".into(),
            })
        }
    }
}

/// What the line loop of [`read_lines`] gives each data line to.
pub(crate) trait Lines {
    /// Takes the line starting at `block[pos]` whole if it can (the fast path of a reader),
    /// numbered `line`; returns where the next line starts, or `None` to leave it to
    /// [`Lines::line`].
    fn fast(&mut self, block: &[u8], pos: usize, line: u64) -> Option<usize>;
    /// Takes a data line (`line` is its 1-based number; no terminator).
    fn line(&mut self, line: u64, bytes: &[u8]) -> Result<()>;
}

/// The line loop of every reader: reads `reader` block by block and gives each data line to
/// `lines`, its fast path first when no blank line is pending, with the policy of
/// [`LineState`]. Refuses a file with no data line.
pub(crate) fn read_lines<R: Read>(reader: R, path: &Path, lines: &mut impl Lines) -> Result<()> {
    let mut state = LineState::default();
    for_each_block(reader, path, |block| {
        let mut pos = 0;
        while pos < block.len() {
            if state.clean() {
                if let Some(next) = lines.fast(block, pos, state.line_no + 1) {
                    state.data_line();
                    pos = next;
                    continue;
                }
            }
            let end = memchr(b'\n', &block[pos..]).map_or(block.len(), |i| pos + i);
            state.line(&block[pos..end], |n, line| lines.line(n, line))?;
            pos = end + 1;
        }
        Ok(())
    })?;
    state.finish(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the lines; a fast path takes the lines that start with `F` whole.
    #[derive(Default)]
    struct Collect(Vec<(u64, Vec<u8>)>);

    impl Lines for Collect {
        fn fast(&mut self, block: &[u8], pos: usize, line: u64) -> Option<usize> {
            if block[pos] != b'F' {
                return None;
            }
            let end = memchr(b'\n', &block[pos..]).map_or(block.len(), |i| pos + i);
            let text = block[pos..end]
                .strip_suffix(b"\r")
                .unwrap_or(&block[pos..end]);
            self.0.push((line, text.to_vec()));
            Some((end + 1).min(block.len()))
        }
        fn line(&mut self, line: u64, bytes: &[u8]) -> Result<()> {
            self.0.push((line, bytes.to_vec()));
            Ok(())
        }
    }

    fn lines(bytes: &[u8]) -> Result<Vec<(u64, Vec<u8>)>> {
        let mut out = Collect::default();
        read_lines(bytes, "t.txt".as_ref(), &mut out)?;
        Ok(out.0)
    }

    #[test]
    fn fast_and_slow_lines_are_numbered_alike() {
        let got = lines(b"F1\na\n\nF2\r\nb\nF3").unwrap();
        let want: Vec<(u64, Vec<u8>)> = vec![
            (1, b"F1".to_vec()),
            (2, b"a".to_vec()),
            (3, vec![]),
            (4, b"F2".to_vec()),
            (5, b"b".to_vec()),
            (6, b"F3".to_vec()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn variants() {
        let want = vec![(1, b"a;b".to_vec()), (2, b"c".to_vec())];
        assert_eq!(lines(b"a;b\nc\n").unwrap(), want);
        assert_eq!(lines(b"a;b\r\nc\r\n").unwrap(), want);
        assert_eq!(lines(b"\xEF\xBB\xBFa;b\nc").unwrap(), want);
        assert_eq!(lines(b"a;b\nc\n\n \r\n").unwrap(), want);
        // A blank line before data is a line like any other (and will fail to parse).
        assert_eq!(
            lines(b"a\n\nc\n").unwrap(),
            vec![(1, b"a".to_vec()), (2, vec![]), (3, b"c".to_vec())]
        );
        assert!(lines(b"").unwrap_err().to_string().contains("empty file"));
        assert!(lines(b"\n\r\n")
            .unwrap_err()
            .to_string()
            .contains("empty file"));
        assert!(lines(b"PK\x03\x04\x00")
            .unwrap_err()
            .to_string()
            .contains("binary"));
    }

    #[test]
    fn lines_across_blocks_and_long_lines() {
        let mut text = Vec::new();
        for i in 0..300_000u32 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        text.extend_from_slice(&vec![b'x'; 3 * BLOCK]);
        let got = lines(&text).unwrap();
        assert_eq!(got.len(), 300_001);
        assert_eq!(got[123_456], (123_457, b"line 123456".to_vec()));
        assert_eq!(got[300_000].1.len(), 3 * BLOCK);
    }
}
