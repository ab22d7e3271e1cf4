//! Byte-level helpers of the readers: fields and numbers, without allocation.
//!
//! Hand-written rather than the `csv` crate: the DGDDI data files are unquoted `;`-separated
//! ASCII, and splitting them directly keeps the hot loop free of per-record allocation and
//! lets errors point at the exact field (the `csv` crate reads the label files).

/// A problem with one field of a row, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// 1-based field number; 0 for the whole line.
    pub column: u32,
    /// The field's name as DGDDI documents it.
    pub field: &'static str,
    /// The offending bytes.
    pub value: Vec<u8>,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    pub(crate) fn new(
        column: u32,
        field: &'static str,
        value: &[u8],
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        let message = if std::str::from_utf8(value).is_err() {
            format!("invalid UTF-8 ({message})")
        } else {
            message
        };
        FieldError {
            column,
            field,
            value: value.to_vec(),
            message,
        }
    }
}

/// The message for a malformed flow letter.
pub(crate) fn flow_error(value: &[u8]) -> String {
    match crate::codes::Flow::from_bytes(value) {
        Ok(_) => String::new(),
        Err(e) => e.reason.to_owned(),
    }
}

/// The message for a row whose flow is not its file's.
pub(crate) fn mismatch(row: crate::codes::Flow, file: crate::codes::Flow) -> String {
    let name = |f: crate::codes::Flow| match f {
        crate::codes::Flow::Import => "an import",
        crate::codes::Flow::Export => "an export",
    };
    format!("{} row in {} file", name(row), name(file))
}

/// Splits a line on `;` into exactly `N` fields, or says how many there were.
#[inline]
pub(crate) fn split_fields<const N: usize>(line: &[u8]) -> Result<[&[u8]; N], usize> {
    // Fields are a few bytes long: a plain loop beats a SIMD search started per field.
    let mut out: [&[u8]; N] = [&[]; N];
    let mut n = 0;
    let mut start = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b';' {
            if n < N {
                out[n] = &line[start..i];
            }
            n += 1;
            start = i + 1;
        }
    }
    if n < N {
        out[n] = &line[start..];
    }
    n += 1;
    if n == N {
        Ok(out)
    } else {
        Err(n)
    }
}

/// Parses a non-negative whole number (euros, kilograms, units) that fits an `i64`.
#[inline(always)]
pub(crate) fn parse_amount(s: &[u8]) -> Result<i64, &'static str> {
    if s.is_empty() {
        return Err("empty value");
    }
    let mut v: i64 = 0;
    if s.len() <= 18 {
        // Up to 18 digits cannot overflow an i64: no checks in the common case.
        for &b in s {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return Err("not a whole non-negative number");
            }
            v = v * 10 + i64::from(d);
        }
        return Ok(v);
    }
    for &b in s {
        if !b.is_ascii_digit() {
            return Err("not a whole non-negative number");
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or("too large (does not fit in 64 bits)")?;
    }
    Ok(v)
}

/// Parses a small number in `lo..=hi` written with one or two digits (`3`, `03`, `12`).
#[inline]
pub(crate) fn parse_small(s: &[u8], lo: u8, hi: u8) -> Option<u8> {
    let v = match s {
        [a] if a.is_ascii_digit() => a - b'0',
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => (a - b'0') * 10 + (b - b'0'),
        _ => return None,
    };
    (lo..=hi).contains(&v).then_some(v)
}

/// Parses a four-digit year.
#[inline]
pub(crate) fn parse_year(s: &[u8]) -> Option<u16> {
    match s {
        [a, b, c, d] if s.iter().all(u8::is_ascii_digit) => {
            let v = [a, b, c, d]
                .iter()
                .fold(0u16, |acc, &&x| acc * 10 + u16::from(x - b'0'));
            (1900..=2999).contains(&v).then_some(v)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_counted() {
        assert_eq!(split_fields::<3>(b"a;b;c"), Ok([&b"a"[..], b"b", b"c"]));
        assert_eq!(split_fields::<3>(b"a;b"), Err(2));
        assert_eq!(split_fields::<3>(b"a;b;c;"), Err(4));
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount(b"406473"), Ok(406_473));
        assert_eq!(parse_amount(b"0"), Ok(0));
        assert!(parse_amount(b"").is_err());
        assert!(parse_amount(b"-5").is_err());
        assert!(parse_amount(b"1.5").is_err());
        assert!(parse_amount(b"99999999999999999999").is_err());
        assert_eq!(parse_amount(b"9223372036854775807"), Ok(i64::MAX));
    }

    #[test]
    fn small_numbers_and_years() {
        assert_eq!(parse_small(b"3", 1, 4), Some(3));
        assert_eq!(parse_small(b"03", 1, 4), Some(3));
        assert_eq!(parse_small(b"5", 1, 4), None);
        assert_eq!(parse_small(b"12", 1, 12), Some(12));
        assert_eq!(parse_year(b"2024"), Some(2024));
        assert_eq!(parse_year(b"24"), None);
    }
}
