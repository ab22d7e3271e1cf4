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

/// Calls `f(line_number, line)` for every line of `reader` (1-based numbers, terminators
/// removed). Refuses an empty file and a binary one (NUL bytes in the first block).
/// Stops at the first error `f` returns.
pub(crate) fn for_each_line<R: Read>(
    mut reader: R,
    path: &Path,
    mut f: impl FnMut(u64, &[u8]) -> Result<()>,
) -> Result<()> {
    let mut buf: Vec<u8> = vec![0; BLOCK];
    // `buf[start..end]` holds bytes not yet consumed.
    let (mut start, mut end) = (0usize, 0usize);
    let mut line_no: u64 = 0;
    let mut pending_blank: Vec<u64> = Vec::new();
    let mut first = true;
    let mut any_data = false;
    let mut eof = false;
    let mut handle = |line_no: u64,
                      line: &[u8],
                      pending_blank: &mut Vec<u64>,
                      any_data: &mut bool|
     -> Result<()> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_blank(line) {
            pending_blank.push(line_no);
            return Ok(());
        }
        for blank in pending_blank.drain(..) {
            f(blank, b"")?;
        }
        *any_data = true;
        f(line_no, line)
    };
    loop {
        // Refill: move the partial line to the front, read more.
        if !eof {
            if start > 0 {
                buf.copy_within(start..end, 0);
                end -= start;
                start = 0;
            }
            if end == buf.len() {
                // A line longer than the buffer: grow (a binary file is caught below first).
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
            eof = n == 0;
            if first && (end >= 8192 || eof) {
                first = false;
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
            if !eof && first {
                continue;
            }
        }
        // Consume the complete lines.
        while let Some(i) = memchr(b'\n', &buf[start..end]) {
            line_no += 1;
            handle(
                line_no,
                &buf[start..start + i],
                &mut pending_blank,
                &mut any_data,
            )?;
            start += i + 1;
        }
        if eof {
            if start < end {
                line_no += 1;
                handle(line_no, &buf[start..end], &mut pending_blank, &mut any_data)?;
            }
            break;
        }
    }
    if !any_data {
        return Err(Error::File {
            path: path.to_owned(),
            message: "empty file: no data row".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Result<Vec<(u64, Vec<u8>)>> {
        let mut out = Vec::new();
        for_each_line(bytes, "t.txt".as_ref(), |n, l| {
            out.push((n, l.to_vec()));
            Ok(())
        })?;
        Ok(out)
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
