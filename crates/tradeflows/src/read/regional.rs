//! The regional / departmental file: `Region_YYYY_{Export,Import}.txt` and
//! `REGIONAL_CPF4PAYS{E,I}.txt`, one row per quarter × département × product × country.

use super::lines::{
    flow_error, mismatch, parse_amount, parse_small, parse_year, split_fields, FieldError,
};
use crate::codes::{Country, Cpf4, Departement, Flow, Place, A129};

/// The fields of the regional file, in order, as DGDDI names them.
pub const REGIONAL_FIELDS: [&str; 10] = [
    "Flux",
    "Trimestre",
    "Année",
    "Code département",
    "Code région",
    "Code A129",
    "Code CPF4",
    "Code Pays",
    "Valeur",
    "Masse",
];

/// One parsed row of the regional file (all codes typed, money in euros).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionalRow {
    /// Import or export.
    pub flow: Flow,
    /// Quarter, 1–4.
    pub quarter: u8,
    /// Year.
    pub year: u16,
    /// Département and région fields: a listed département, or a well-formed code DGDDI's
    /// list does not name (its rows count in France's totals).
    pub place: Place,
    /// A129 product.
    pub a129: A129,
    /// CPF4 product.
    pub cpf4: Cpf4,
    /// Partner country.
    pub country: Country,
    /// Value in euros (imports CAF, exports FAB).
    pub value: i64,
    /// Net mass in kilograms.
    pub mass: i64,
}

/// The fields of a row that change within a run: DGDDI's rows come in runs sharing flow,
/// quarter, year, place and A129 product (one per CPF4 code and country of that product).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunRow {
    /// CPF4 product.
    pub cpf4: Cpf4,
    /// Partner country.
    pub country: Country,
    /// Value in euros.
    pub value: i64,
    /// Net mass in kilograms; 0 for a sink that does not read it (see
    /// [`Sink::reads_mass`](crate::read::Sink::reads_mass)), the field checked all the same.
    pub mass: i64,
}

impl RegionalRow {
    /// The fields of this row that change within a run.
    #[inline]
    pub fn run_row(&self) -> RunRow {
        RunRow {
            cpf4: self.cpf4,
            country: self.country,
            value: self.value,
            mass: self.mass,
        }
    }

    /// The row of a run whose other fields are this row's.
    #[inline]
    pub fn with(&self, r: &RunRow) -> RegionalRow {
        RegionalRow {
            cpf4: r.cpf4,
            country: r.country,
            value: r.value,
            mass: r.mass,
            ..*self
        }
    }
}

/// The most rows [`RegionalParser::parse_run_at`] gathers in one run (a longer run goes on in
/// the next one): the buffer of a run stays small whatever the file.
const MAX_RUN: usize = 1024;

/// Parses the lines of one regional file. It remembers the last département/région, A129
/// and year fields it validated: consecutive rows mostly repeat them, so most rows skip
/// those lookups (a cache hit compares a few bytes).
pub(crate) struct RegionalParser {
    expected: Flow,
    /// (département field, région field) as little-endian words, and the place.
    last_geo: Option<(u16, u16, Place)>,
    /// The A129 field as a little-endian word, and the code.
    last_a129: Option<(u32, A129)>,
    /// The year field as a little-endian word, and the year.
    last_year: Option<(u32, u16)>,
}

impl RegionalParser {
    /// A parser for a file of flow `expected`.
    pub(crate) fn new(expected: Flow) -> Self {
        RegionalParser {
            expected,
            last_geo: None,
            last_a129: None,
            last_year: None,
        }
    }

    /// The fast path: the line starting at `block[pos]` in DGDDI's canonical layout, every
    /// code at its usual width (`E;3;2018;01;18;A01Z;0111;BE;406473;1210935`), its year,
    /// département and région those of the previous line. Checks the separators at
    /// their fixed places and reads the numbers up to the end of the line in the same pass,
    /// so the line's end is not searched for separately. Returns the row and the position
    /// of the next line, or `None` for anything else, which the general path then parses or
    /// explains: both paths accept exactly the same lines with the same result.
    #[inline]
    pub(crate) fn parse_canonical_at(
        &mut self,
        block: &[u8],
        pos: usize,
    ) -> Option<(RegionalRow, usize)> {
        let line = block.get(pos..)?;
        // The fixed-width head `F;Q;YYYY;DD;RR;AAAA;` as an array: no bounds checks.
        let head: &[u8; HEAD] = line.get(..HEAD)?.try_into().ok()?;
        let word = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let pair = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
        if (head[1], head[3], head[8], head[11], head[14], head[19])
            != (b';', b';', b';', b';', b';', b';')
        {
            return None;
        }
        let flow = match head[0] {
            b'E' => Flow::Export,
            b'I' => Flow::Import,
            _ => return None,
        };
        if flow != self.expected || !(b'1'..=b'4').contains(&head[2]) {
            return None;
        }
        let quarter = head[2] - b'0';
        let year = match self.last_year {
            Some((w, y)) if word(4) == w => y,
            _ => return None,
        };
        let place = match self.last_geo {
            Some((d, r, place)) if pair(9) == d && pair(12) == r => place,
            _ => return None,
        };
        let a129 = match self.last_a129 {
            Some((w, a)) if word(15) == w => a,
            _ => {
                // A new product (once per run of rows): looked up here, with the general
                // path's own function, rather than by the whole general path.
                let a = A129::from_bytes(&head[15..19]).ok()?;
                self.last_a129 = Some((word(15), a));
                a
            }
        };
        let (tail, n) = parse_tail::<true>(&line[HEAD..])?;
        Some((
            RegionalRow {
                flow,
                quarter,
                year,
                place,
                a129,
                cpf4: tail.cpf4,
                country: tail.country,
                value: tail.value,
                mass: tail.mass,
            },
            pos + HEAD + n,
        ))
    }

    /// The fast path over a run: the line at `block[pos]` as [`parse_canonical_at`] takes
    /// it, then the lines after it that begin with the same head, byte for byte (flow,
    /// quarter, year, département, région and A129 fields), of which only the rest is
    /// parsed: the head is valid since that line's is, and means the same. Appends the
    /// changing fields of every line of the run to `rows` (up to [`MAX_RUN`] of them);
    /// returns the first line's row and where the run ends, or `None` when the first line
    /// is not canonical. Every line is accepted or left exactly as
    /// [`parse_canonical_at`] would. Without `MASS`, the mass of the lines after the first
    /// is checked but not computed: their [`RunRow::mass`] is 0.
    ///
    /// [`parse_canonical_at`]: RegionalParser::parse_canonical_at
    #[inline]
    pub(crate) fn parse_run_at<const MASS: bool>(
        &mut self,
        block: &[u8],
        pos: usize,
        rows: &mut Vec<RunRow>,
    ) -> Option<(RegionalRow, usize)> {
        let (first, mut next) = self.parse_canonical_at(block, pos)?;
        rows.push(first.run_row());
        let head: &[u8; HEAD] = block.get(pos..pos + HEAD)?.try_into().ok()?;
        while rows.len() < MAX_RUN {
            let Some(line) = block.get(next..) else { break };
            // A line of up to `WINDOW` bytes read out of one array (see `parse_window`),
            // else as the first line of a run is, past the head.
            let parsed = match line.first_chunk::<WINDOW>() {
                Some(w) if w[..HEAD] != head[..] => break,
                Some(w) => parse_window::<MASS>(w).or_else(|| after_head::<MASS>(line)),
                None if line.get(..HEAD) != Some(head) => break,
                None => after_head::<MASS>(line),
            };
            let Some((row, len)) = parsed else { break };
            rows.push(row);
            next += len;
        }
        Some((first, next))
    }

    /// The general path: any layout of the fields, with a precise error. It validates every
    /// field and primes the fast path's caches.
    pub(crate) fn parse_general(&mut self, line: &[u8]) -> Result<RegionalRow, FieldError> {
        let f = split_fields::<10>(line).map_err(|n| {
            FieldError::new(
                0,
                "line",
                line,
                format!("expected 10 fields separated by ';', found {n}"),
            )
        })?;
        let err =
            |i: usize, msg: String| FieldError::new(i as u32 + 1, REGIONAL_FIELDS[i], f[i], msg);
        let flow = match f[0] {
            b"E" => Flow::Export,
            b"I" => Flow::Import,
            other => return Err(err(0, flow_error(other))),
        };
        if flow != self.expected {
            return Err(err(0, mismatch(flow, self.expected)));
        }
        let quarter =
            parse_small(f[1], 1, 4).ok_or_else(|| err(1, "quarter must be 1 to 4".into()))?;
        let year = parse_year(f[2]).ok_or_else(|| err(2, "expected a four-digit year".into()))?;
        self.last_year = word4(f[2]).map(|w| (w, year));
        let place = parse_place(f[3], f[4]).map_err(|(i, msg)| err(i, msg))?;
        if let (Ok(d), Ok(r)) = (<[u8; 2]>::try_from(f[3]), <[u8; 2]>::try_from(f[4])) {
            self.last_geo = Some((u16::from_le_bytes(d), u16::from_le_bytes(r), place));
        }
        let a129 = A129::from_bytes(f[5]).map_err(|e| err(5, e.reason.to_owned()))?;
        self.last_a129 = word4(f[5]).map(|w| (w, a129));
        let cpf4 = Cpf4::from_bytes(f[6]).map_err(|e| err(6, e.reason.to_owned()))?;
        let country = Country::from_bytes(f[7]).map_err(|e| err(7, e.reason.to_owned()))?;
        let value = parse_amount(f[8]).map_err(|m| err(8, m.to_owned()))?;
        let mass = parse_amount(f[9]).map_err(|m| err(9, m.to_owned()))?;
        Ok(RegionalRow {
            flow,
            quarter,
            year,
            place,
            a129,
            cpf4,
            country,
            value,
            mass,
        })
    }
}

/// A four-byte field as a little-endian word (the fast path's cache key).
fn word4(field: &[u8]) -> Option<u32> {
    <[u8; 4]>::try_from(field).ok().map(u32::from_le_bytes)
}

/// The département and région fields (indices 3 and 4), or the index of the field at fault
/// and why.
fn parse_place(dep: &[u8], region: &[u8]) -> Result<Place, (usize, String)> {
    Place::from_fields(dep, region).map_err(|e| {
        if e.kind != "région code" {
            return (3, e.reason.to_owned());
        }
        match Departement::from_dgddi_bytes(dep) {
            Ok(d) => (
                4,
                format!(
                    "département {} belongs to DGDDI région {} ({}), not this one",
                    d,
                    d.region().dgddi_code(),
                    d.region().name()
                ),
            ),
            Err(_) => (4, e.reason.to_owned()),
        }
    })
}

/// Reads 1 to 18 ASCII digits starting at `s[from]`: the number and the index just past
/// it, or `None` if there is no digit or more than 18.
///
/// Eight bytes at a time (SWAR): the first non-digit is found with a mask and the digits are
/// combined in three multiplications, instead of a loop per digit.
/// Powers of ten up to 10⁸.
const POW10: [i64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The bytes of a canonical line's head, `F;Q;YYYY;DD;RR;AAAA;`: the fields a run shares.
const HEAD: usize = 20;

/// Where [`first_newline`] starts looking: the first byte of the value, after the head and
/// `CCCC;PP;` (a canonical line's `\n` comes later).
const NEWLINE_FROM: usize = HEAD + 8;

/// A byte repeated in every byte of a word.
const fn bytes16(b: u8) -> u128 {
    u128::from_le_bytes([b; 16])
}

/// The length of the line that starts at `line[0]`, up to and including its first `\n`,
/// when that `\n` is among the 16 bytes from [`NEWLINE_FROM`] (a line of 31 to 44 bytes
/// with its `\n`, 99.6% of those of the benchmark's files); `None` otherwise, or when fewer
/// bytes are left. Found by a mask of those bytes as one 128-bit word (the lowest zero byte
/// of `x ^ '\n'`, which the subtraction finds exactly: a wrong bit can only come above it),
/// in a few instructions that do not depend on reading the line's numbers: for the lines
/// [`parse_window`] leaves, the run's loop moves on to the next line while this one's
/// numbers are read, instead of waiting for their lengths. Hand-written rather than
/// `memchr`, whose search is a call per line through its runtime dispatch.
#[inline(always)]
fn first_newline(line: &[u8]) -> Option<usize> {
    let window: [u8; 16] = line.get(NEWLINE_FROM..NEWLINE_FROM + 16)?.try_into().ok()?;
    let x = u128::from_le_bytes(window) ^ bytes16(b'\n');
    let zero = x.wrapping_sub(bytes16(1)) & !x & bytes16(0x80);
    (zero != 0).then(|| NEWLINE_FROM + (zero.trailing_zeros() / 8) as usize + 1)
}

/// A line of a run past its head (whose bytes the caller compared), read as
/// [`parse_tail`] reads it: its changing fields and its length up to the next line, or
/// `None` for a line the fast path leaves to the general path.
#[inline(always)]
fn after_head<const MASS: bool>(line: &[u8]) -> Option<(RunRow, usize)> {
    // Where the line ends, found apart from its fields (see `first_newline`), so that the
    // next line's position does not wait for this one's numbers.
    let end = first_newline(line);
    let (row, n) = parse_tail::<MASS>(line.get(HEAD..)?)?;
    match end {
        // The line parsed ends at its first `\n` (its fields hold none).
        Some(e) if e == HEAD + n => Some((row, e)),
        None => Some((row, HEAD + n)),
        // Not a line the fast path reads: left to the general path.
        Some(_) => None,
    }
}

/// The bytes [`parse_window`] reads a line out of: its head, `CCCC;PP;`, and 20 bytes
/// for its numbers and its end (a mass of up to 8 bytes read at once after a value of up to
/// 8 digits and its `;`).
const WINDOW: usize = NEWLINE_FROM + 20;

/// The index (0 to 8) of the first byte of `x` (the first in the low byte) that is not an
/// ASCII digit, or 8 when every one is. Exact for the first: below it every byte is a
/// digit, and neither the subtraction's borrows nor the addition's carries reach down.
#[inline(always)]
fn first_non_digit(x: u64) -> usize {
    let t = digit_values(x);
    // High bit set in each byte that is not a digit ('0'..='9').
    let bad = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
    (bad.trailing_zeros() / 8) as usize
}

/// Each byte of `x` less `'0'`: the values of its digits, up to its first non-digit (see
/// [`first_non_digit`]), as [`swar_value`] takes them.
#[inline(always)]
fn digit_values(x: u64) -> u64 {
    x.wrapping_sub(0x3030_3030_3030_3030)
}

/// A line of a run past its head, when its value and its mass have at most 8 and 7 digits
/// and it ends with `\n` or `\r\n` (99.9% of the lines of the benchmark's files): the same
/// row and length as [`after_head`]; `None` for any other line, which [`after_head`] then
/// reads.
/// Read out of one array of [`WINDOW`] bytes, without a bound checked per field: the value
/// and the mass are read as 8-byte words at places the digits found before give, and every
/// other byte looked at is at a place the array holds. The next line's place then waits for
/// this one's numbers, which [`first_newline`] avoids; on the reference run the fewer
/// instructions win all the same: 930.9 → 829.1 million (callgrind; 943.5 → 845.8 million
/// with `\r\n` ends), where finding the end by the mask as well gave 888.7 million and no
/// faster run.
#[inline(always)]
fn parse_window<const MASS: bool>(w: &[u8; WINDOW]) -> Option<(RunRow, usize)> {
    let word =
        |at: usize| -> Option<u64> { Some(u64::from_le_bytes(*w.get(at..)?.first_chunk()?)) };
    let codes: &[u8; 8] = w[..NEWLINE_FROM].last_chunk()?;
    let (cpf4, country) = cpf4_and_country(codes)?;
    // Value: 1 to 8 digits, then `;` (at most 8 bytes after the codes).
    let value = word(NEWLINE_FROM)?;
    let semicolon = NEWLINE_FROM + first_non_digit(value);
    if semicolon == NEWLINE_FROM || w.get(semicolon) != Some(&b';') {
        return None;
    }
    // Mass: 1 to 7 digits, then `\n` or `\r\n`.
    let mass = word(semicolon + 1)?;
    let mass_len = first_non_digit(mass);
    let after = semicolon + 1 + mass_len;
    let end = match (w.get(after), w.get(after + 1)) {
        (Some(b'\n'), _) => after + 1,
        (Some(b'\r'), Some(b'\n')) => after + 2,
        _ => return None,
    };
    if !(1..8).contains(&mass_len) {
        return None;
    }
    let row = RunRow {
        cpf4,
        country,
        value: swar_value(digit_values(value), semicolon - NEWLINE_FROM),
        mass: if MASS {
            swar_value(digit_values(mass), mass_len)
        } else {
            0
        },
    };
    Some((row, end))
}

/// The CPF4 code and the country of a canonical line, from the 8 bytes after its head
/// (`CCCC;PP;`): four digits and two capitals between `;`.
#[inline(always)]
fn cpf4_and_country(t: &[u8; 8]) -> Option<(Cpf4, Country)> {
    if t[4] != b';' || t[7] != b';' {
        return None;
    }
    // CPF4: four ASCII digits, tested and read as one word.
    let c = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
    if c & 0xF0F0_F0F0 != 0x3030_3030 || c.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 != 0x3030_3030 {
        return None;
    }
    // The digits' values, first digit in the low byte: pairs (d0 d1, d2 d3) in bytes 0 and
    // 2, then the number in the low 16 bits (no product carries into another lane).
    let d = c - 0x3030_3030;
    let pairs = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF;
    let cpf4 = Cpf4::from_value(((pairs.wrapping_mul(100) + (pairs >> 16)) & 0xFFFF) as u16)?;
    if !(t[5].is_ascii_uppercase() && t[6].is_ascii_uppercase()) {
        return None;
    }
    let country = Country::from_bytes(&t[5..7]).ok()?;
    Some((cpf4, country))
}

/// The rest of a canonical line after its head, `CCCC;PP;value;mass` and its end: four
/// CPF4 digits, two capitals, 1 to 18 digits twice; the row's changing fields and the
/// length up to the next line.
#[inline(always)]
fn parse_tail<const MASS: bool>(rest: &[u8]) -> Option<(RunRow, usize)> {
    let (cpf4, country) = cpf4_and_country(rest.first_chunk()?)?;
    // Value: 1 to 18 digits, then ';'; mass: 1 to 18 digits, then the end of the line.
    let rest = &rest[8..];
    let (value, i) = digits_at::<true>(rest, 0)?;
    if rest.get(i) != Some(&b';') {
        return None;
    }
    let (mass, j) = digits_at::<MASS>(rest, i + 1)?;
    let end = match &rest[j..] {
        [] => j,
        [b'\n', ..] => j + 1,
        [b'\r', b'\n', ..] => j + 2,
        _ => return None,
    };
    Some((
        RunRow {
            cpf4,
            country,
            value,
            mass,
        },
        8 + end,
    ))
}

#[inline(always)]
fn digits_at<const VALUE: bool>(s: &[u8], from: usize) -> Option<(i64, usize)> {
    // The first eight bytes on their own: a number of 1 to 7 digits (nearly every one) ends
    // in them, and its value is that of its digits, without the loop's running product.
    if let Some(chunk) = s.get(from..from + 8) {
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let n = first_non_digit(x);
        if n < 8 {
            return match (n, VALUE) {
                (0, _) => None,
                (_, true) => Some((swar_value(digit_values(x), n), from + n)),
                (_, false) => Some((0, from + n)),
            };
        }
    }
    let mut value: i64 = 0;
    let mut at = from;
    loop {
        let Some(chunk) = s.get(at..at + 8) else {
            // Fewer than 8 bytes left: one digit at a time.
            for (k, &b) in s[at..].iter().enumerate() {
                let d = b.wrapping_sub(b'0');
                if d > 9 {
                    let end = at + k;
                    return (end > from && end - from <= 18).then_some((value, end));
                }
                if at + k + 1 - from > 18 {
                    return None;
                }
                if VALUE {
                    value = value * 10 + i64::from(d);
                }
            }
            let end = s.len();
            return (end > from).then_some((value, end));
        };
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let n = first_non_digit(x);
        if at + n - from > 18 {
            return None;
        }
        // Without VALUE the digits are only checked (their value stays 0).
        if VALUE && n > 0 {
            value = value * POW10[n] + swar_value(digit_values(x), n);
        }
        at += n;
        if n < 8 {
            return (at > from).then_some((value, at));
        }
    }
}

/// The value of the `n` (1 to 8) digits in the low bytes of `t`, each byte a digit's value
/// (the first digit in the lowest byte): the digits moved to the top bytes, then combined
/// in pairs, quads and the whole.
#[inline(always)]
fn swar_value(t: u64, n: usize) -> i64 {
    let mut v = t << (8 * (8 - n));
    v = (v.wrapping_mul(10) + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    v = (v.wrapping_mul(10_000) + (v >> 32)) & 0xFFFF_FFFF;
    v as i64
}

/// Parses one line of the regional file with the general path. `expected` is the flow of
/// the file it is in.
#[cfg(test)]
pub(crate) fn parse_line(line: &[u8], expected: Flow) -> Result<RegionalRow, FieldError> {
    RegionalParser::new(expected).parse_general(line)
}

/// The rows of the regional files, column by column (codes are small `Copy` integers).
#[derive(Debug, Clone, Default)]
pub struct RegionalTable {
    pub(crate) flow: Vec<Flow>,
    pub(crate) quarter: Vec<u8>,
    pub(crate) year: Vec<u16>,
    pub(crate) place: Vec<Place>,
    pub(crate) a129: Vec<A129>,
    pub(crate) cpf4: Vec<Cpf4>,
    pub(crate) country: Vec<Country>,
    pub(crate) value: Vec<i64>,
    pub(crate) mass: Vec<i64>,
    /// Index of the file each row comes from (into the load report's files).
    pub(crate) source: Vec<u16>,
    /// 1-based line of the row in its file.
    pub(crate) line: Vec<u32>,
}

/// The columns of a [`RegionalTable`], borrowed: one slice per field, all of the same
/// length (row `i` is element `i` of each).
#[derive(Debug, Clone, Copy)]
pub struct RegionalColumns<'a> {
    /// Import or export.
    pub flow: &'a [Flow],
    /// Quarter, 1–4.
    pub quarter: &'a [u8],
    /// Year.
    pub year: &'a [u16],
    /// Département and région fields.
    pub place: &'a [Place],
    /// A129 product.
    pub a129: &'a [A129],
    /// CPF4 product.
    pub cpf4: &'a [Cpf4],
    /// Partner country.
    pub country: &'a [Country],
    /// Value in euros.
    pub value: &'a [i64],
    /// Net mass in kilograms.
    pub mass: &'a [i64],
}

impl RegionalTable {
    /// The rows column by column, without copying (for columnar consumers such as Arrow).
    pub fn columns(&self) -> RegionalColumns<'_> {
        RegionalColumns {
            flow: &self.flow,
            quarter: &self.quarter,
            year: &self.year,
            place: &self.place,
            a129: &self.a129,
            cpf4: &self.cpf4,
            country: &self.country,
            value: &self.value,
            mass: &self.mass,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    pub(crate) fn push(&mut self, r: RegionalRow, source: u16, line: u32) {
        self.flow.push(r.flow);
        self.quarter.push(r.quarter);
        self.year.push(r.year);
        self.place.push(r.place);
        self.a129.push(r.a129);
        self.cpf4.push(r.cpf4);
        self.country.push(r.country);
        self.value.push(r.value);
        self.mass.push(r.mass);
        self.source.push(source);
        self.line.push(line);
    }

    /// Row `i`, typed.
    pub fn row(&self, i: usize) -> Option<RegionalRow> {
        Some(RegionalRow {
            flow: *self.flow.get(i)?,
            quarter: self.quarter[i],
            year: self.year[i],
            place: self.place[i],
            a129: self.a129[i],
            cpf4: self.cpf4[i],
            country: self.country[i],
            value: self.value[i],
            mass: self.mass[i],
        })
    }

    /// Every row, typed.
    pub fn rows(&self) -> impl Iterator<Item = RegionalRow> + '_ {
        (0..self.len()).filter_map(|i| self.row(i))
    }

    /// Where row `i` was read: (file index in the load report, line).
    pub fn origin(&self, i: usize) -> Option<(usize, u32)> {
        Some((usize::from(*self.source.get(i)?), self.line[i]))
    }

    /// Appends the rows of another table.
    pub(crate) fn append(&mut self, mut other: RegionalTable) {
        self.flow.append(&mut other.flow);
        self.quarter.append(&mut other.quarter);
        self.year.append(&mut other.year);
        self.place.append(&mut other.place);
        self.a129.append(&mut other.a129);
        self.cpf4.append(&mut other.cpf4);
        self.country.append(&mut other.country);
        self.value.append(&mut other.value);
        self.mass.append(&mut other.mass);
        self.source.append(&mut other.source);
        self.line.append(&mut other.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swar_digits_agree_with_the_plain_reading() {
        let mut cases: Vec<String> = vec![
            "0".into(),
            "7".into(),
            "12;".into(),
            "406473;1".into(),
            "12345678".into(),
            "123456789".into(),
            "999999999999999999".into(),
            "9999999999999999999".into(),
            "00000001;".into(),
            "1a".into(),
            ";".into(),
            "".into(),
            "1234567\n".into(),
            "12345678\r\n".into(),
        ];
        let mut x: u64 = 12345;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (x >> 59) as usize;
            let mut y = x;
            let digits: String = (0..len)
                .map(|_| {
                    y = y.wrapping_mul(6364136223846793005).wrapping_add(1);
                    char::from(b'0' + ((y >> 33) % 10) as u8)
                })
                .collect();
            let tail = [";5", "\n", "\r\n", "", "x", " 1"][(x % 6) as usize];
            cases.push(format!("{digits}{tail}"));
        }
        for c in &cases {
            let b = c.as_bytes();
            let n = b.iter().take_while(|d| d.is_ascii_digit()).count();
            let want = (1..=18)
                .contains(&n)
                .then(|| (c[..n].parse::<i64>().unwrap(), n));
            assert_eq!(digits_at::<true>(b, 0), want, "{c:?}");
            let len = want.map(|w| (0, w.1));
            assert_eq!(digits_at::<false>(b, 0), len, "{c:?}");
            // And after a prefix.
            let p = format!("ab{c}");
            assert_eq!(
                digits_at::<true>(p.as_bytes(), 2),
                want.map(|(v, e)| (v, e + 2)),
                "{p:?}"
            );
        }
    }

    #[test]
    fn parses_the_documented_example() {
        let r = parse_line(b"E;3;2018;01;18;A01Z;0111;BE;406473;1210935", Flow::Export).unwrap();
        assert_eq!(r.place.code(), "01");
        assert_eq!(r.a129.to_string(), "A01Z");
        assert_eq!(r.cpf4.to_string(), "0111");
        assert_eq!(r.country.to_string(), "BE");
        assert_eq!(
            (r.quarter, r.year, r.value, r.mass),
            (3, 2018, 406_473, 1_210_935)
        );
    }

    #[test]
    fn dom_and_monaco_rows() {
        let r = parse_line(b"I;1;2024;9D;24;C10A;1011;BR;10;1", Flow::Import).unwrap();
        assert_eq!(r.place.region().map(|r| r.code()), Some("04"));
        let r = parse_line(b"I;1;2024;99;21;C10A;1011;BR;10;1", Flow::Import).unwrap();
        assert_eq!(r.place.region().map(|r| r.code()), Some("93"));
    }

    #[test]
    fn errors_name_the_field_and_value() {
        let e =
            parse_line(b"E;3;2018;01;18;A01Z;01A1;BE;406473;1210935", Flow::Export).unwrap_err();
        assert_eq!(
            (e.column, e.field, &e.value[..]),
            (7, "Code CPF4", &b"01A1"[..])
        );
        let e =
            parse_line(b"I;3;2018;01;18;A01Z;0111;BE;406473;1210935", Flow::Export).unwrap_err();
        assert_eq!(e.message, "an import row in an export file");
        let e = parse_line(b"E;3;2018;22;18;A01Z;0111;BE;1;1", Flow::Export).unwrap_err();
        assert_eq!(e.column, 5);
        let e = parse_line(b"E;5;2018;22;07;A01Z;0111;BE;1;1", Flow::Export).unwrap_err();
        assert_eq!(e.field, "Trimestre");
        let e = parse_line(b"E;3;2018;22;07;A01Z;0111;BE;1", Flow::Export).unwrap_err();
        assert_eq!(e.message, "expected 10 fields separated by ';', found 9");
    }

    use proptest::prelude::*;

    /// The differential test below means something only if the fast path takes lines: it
    /// takes a canonical line once the general path has seen its year, place and A129.
    #[test]
    fn the_fast_path_takes_canonical_lines_after_the_first() {
        let mut p = RegionalParser::new(Flow::Export);
        let first = b"E;3;2018;01;18;A01Z;0111;BE;406473;1210935";
        assert!(
            p.parse_canonical_at(first, 0).is_none(),
            "nothing cached yet"
        );
        p.parse_general(first).unwrap();
        let next = b"E;4;2018;01;18;A01Z;0112;DE;12;3\r\nE;1";
        let (row, end) = p.parse_canonical_at(next, 0).unwrap();
        assert_eq!(
            (row.quarter, row.cpf4.value(), row.value, end),
            (4, 112, 12, 34)
        );
        let unlisted = b"E;1;2018;00;00;A01Z;0111;BE;5;1";
        p.parse_general(unlisted).unwrap();
        let (row, _) = p
            .parse_canonical_at(b"E;2;2018;00;00;A01Z;0111;DE;6;1", 0)
            .unwrap();
        assert_eq!((row.place.code(), row.place.region()), ("00", None));
    }

    /// The window takes a line whose value has 1 to 8 digits and mass 1 to 7, ending with
    /// `\n` or `\r\n`, as [`after_head`] reads it, and leaves every other line to
    /// [`after_head`].
    #[test]
    fn the_window_takes_short_numbers_and_leaves_the_rest() {
        let window = |tail: &str| {
            let mut line = format!("E;1;2024;22;07;C10A;{tail}").into_bytes();
            line.resize(line.len().max(WINDOW), b'E');
            let w: &[u8; WINDOW] = line.first_chunk().unwrap();
            let got = (parse_window::<true>(w), parse_window::<false>(w));
            if let Some((row, len)) = got.0 {
                assert_eq!(after_head::<true>(&line), Some((row, len)), "{tail:?}");
                let want = after_head::<false>(&line);
                assert_eq!(got.1, want, "{tail:?}");
            }
            got.0
                .map(|(row, len)| (row.cpf4.value(), row.value, row.mass, len))
        };
        assert_eq!(window("1011;DE;7;1\n"), Some((1011, 7, 1, 32)));
        assert_eq!(
            window("1011;DE;12345678;1234567\n"),
            Some((1011, 12_345_678, 1_234_567, 45))
        );
        assert_eq!(window("0111;BE;00000001;0\nE;1"), Some((111, 1, 0, 39)));
        assert_eq!(window("1011;DE;7;1\r\n"), Some((1011, 7, 1, 33)));
        for tail in [
            "1011;DE;123456789;1\n",
            "1011;DE;1;12345678\n",
            "1011;DE;7;1\r",
            "1011;DE;7;1\r\r\n",
            "1011;DE;7;1",
            "1011;DE;;1\n",
            "1011;DE;7;\n",
            "1011;DE;7,1\n",
            "1011;DE;7;1;\n",
            "1011;DE;-7;1\n",
            "1011;de;7;1\n",
            "10a1;DE;7;1\n",
        ] {
            assert_eq!(window(tail), None, "{tail:?}");
        }
    }

    /// A run takes the lines of one head, up to [`MAX_RUN`], and stops at another head or
    /// at a line the fast path refuses.
    #[test]
    fn a_run_is_the_lines_of_one_head() {
        let mut p = RegionalParser::new(Flow::Export);
        p.parse_general(b"E;3;2018;01;18;A01Z;0111;BE;1;1").unwrap();
        let block = b"E;3;2018;01;18;A01Z;0111;BE;5;1\nE;3;2018;01;18;A01Z;0112;DE;6;2\r\nE;3;2018;01;18;A01Z;0113;FR;7;3\nE;3;2018;01;18;A01B;0111;BE;8;4\n";
        let mut run = Vec::new();
        let (head, next) = p.parse_run_at::<true>(block, 0, &mut run).unwrap();
        assert_eq!(head.value, 5);
        let got: Vec<(u16, &str, i64, i64)> = run
            .iter()
            .map(|r| (r.cpf4.value(), r.country.code(), r.value, r.mass))
            .collect();
        assert_eq!(
            got,
            vec![(111, "BE", 5, 1), (112, "DE", 6, 2), (113, "FR", 7, 3)]
        );
        assert!(block[next..].starts_with(b"E;3;2018;01;18;A01B;"));
        // A bad line ends the run before it.
        run.clear();
        let bad = b"E;3;2018;01;18;A01Z;0111;BE;5;1\nE;3;2018;01;18;A01Z;0111;BE;x;1\n";
        let (_, next) = p.parse_run_at::<true>(bad, 0, &mut run).unwrap();
        assert_eq!((run.len(), next), (1, 32));
        // A long run is cut at MAX_RUN rows, and goes on from there.
        let long = "E;3;2018;01;18;A01Z;0111;BE;5;1\n".repeat(MAX_RUN + 3);
        run.clear();
        let (_, next) = p
            .parse_run_at::<true>(long.as_bytes(), 0, &mut run)
            .unwrap();
        assert_eq!((run.len(), next), (MAX_RUN, 32 * MAX_RUN));
        run.clear();
        let (_, next) = p
            .parse_run_at::<true>(long.as_bytes(), next, &mut run)
            .unwrap();
        assert_eq!((run.len(), next), (3, long.len()));
    }

    /// A field of a DGDDI-like line: mostly valid, often a near miss.
    fn field(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::sample::select(choices).prop_map(str::to_owned),
            1 => "[0-9A-Za-z;\\- ]{0,5}",
        ]
    }

    /// `usual` most of the time, else one of `others` or the noise of [`field`].
    fn mostly(
        usual: &'static str,
        others: &'static [&'static str],
    ) -> impl Strategy<Value = String> {
        prop_oneof![4 => Just(usual.to_owned()), 1 => field(others)]
    }

    /// Lines shaped like DGDDI's, each field drawn from valid values, the shapes the fast
    /// path must refuse (other widths, letters, signs), and noise; with `\r` at times.
    fn dgddi_like() -> impl Strategy<Value = Vec<u8>> {
        (
            field(&["E", "I", "X", ""]),
            field(&["1", "2", "3", "4", "04", "5", "0"]),
            field(&["2024", "2023", "24", "20240", "1899"]),
            field(&["22", "29", "20", "9D", "99", "00", "0A", "2A", "2", "975"]),
            field(&["07", "24", "21", "00", "99", "7", "007"]),
            field(&["C10A", "A01Z", "C10X", "Z10A", "c10a", "C1OA", "C10"]),
            field(&["1011", "0111", "0300", "101", "10110", "1O11"]),
            field(&["DE", "BE", "QU", "de", "D", "DEU"]),
            field(&[
                "406473",
                "0",
                "1",
                "000012",
                "999999999999999999",
                "9999999999999999999",
                "-1",
                "1.5",
                "",
            ]),
            field(&["1210935", "0", "7", "99999999999999999999", "x", ""]),
            proptest::sample::select(&["", "\r", ";", " "][..]),
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i, j, end)| {
                format!("{a};{b};{c};{d};{e};{f};{g};{h};{i};{j}{end}").into_bytes()
            })
    }

    /// The line at `block[pos]` read by the general path, and where the next line starts.
    fn general_at(
        p: &mut RegionalParser,
        block: &[u8],
        pos: usize,
    ) -> (Result<RegionalRow, FieldError>, usize) {
        let end = block[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(block.len(), |i| pos + i);
        let line = &block[pos..end];
        (
            p.parse_general(line.strip_suffix(b"\r").unwrap_or(line)),
            end + 1,
        )
    }

    /// Lines in runs: a few heads (one of another flow, one refused), each followed by the
    /// changing fields, valid or near misses; now and then a line of any shape.
    fn run_lines() -> impl Strategy<Value = Vec<Vec<u8>>> {
        let line = prop_oneof![
            8 => (
                proptest::sample::select(&[
                    "E;1;2024;22;07;C10A;",
                    "E;1;2024;22;07;A01Z;",
                    "E;2;2024;29;07;C10A;",
                    "I;1;2024;22;07;C10A;",
                    "E;1;2024;22;07;c10a;",
                ][..]),
                field(&["1011", "0111", "0300", "101", "10110", "1O11"]),
                field(&["DE", "BE", "QU", "de", "D", "DEU"]),
                field(&["406473", "0", "000012", "12345678", "123456789", "999999999999999999", "9999999999999999999", "-1"]),
                field(&["1210935", "0", "12345678", "99999999999999999999", "x"]),
                proptest::sample::select(&["", "", "\r", ";"][..]),
            )
                .prop_map(|(head, g, h, i, j, end)| format!("{head}{g};{h};{i};{j}{end}").into_bytes()),
            1 => dgddi_like(),
        ];
        proptest::collection::vec(line, 1..60)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The mask finds the first `\n` among the 16 bytes it looks at, exactly as a
        /// plain search does, whatever the bytes around it (those next to `\n` in value, a
        /// borrow's neighbours, other `\n`s after it).
        #[test]
        fn the_mask_finds_the_first_newline(
            line in proptest::collection::vec(
                prop_oneof![
                    4 => proptest::sample::select(&[b'\n', 0x0B, 0x09, 0x8A, 0x00, 0x01, 0xFF][..]),
                    6 => any::<u8>(),
                ],
                0..70,
            ),
        ) {
            let want = line
                .get(NEWLINE_FROM..NEWLINE_FROM + 16)
                .filter(|w| w.len() == 16)
                .and_then(|w| w.iter().position(|&b| b == b'\n'))
                .map(|i| NEWLINE_FROM + i + 1);
            prop_assert_eq!(first_newline(&line), want);
        }

        /// Whatever the bytes after a head, the window reads a line as [`after_head`] does
        /// or leaves it (then read by [`after_head`]); it leaves none of the lines it is
        /// meant for (value of 1 to 8 digits, mass of 1 to 7, then `\n` or `\r\n`).
        #[test]
        fn the_window_reads_a_line_as_after_head(
            codes in mostly("1011", &["0111", "0300", "10a1", "DE;1"]),
            country in mostly("DE", &["QU", "de", "D;", "D\n"]),
            value in prop_oneof!["[0-9]{7,9}", "[0-9]{1,8}", "[0-9]{0,10}"],
            between in mostly(";", &[",", "", ";;", "\n"]),
            mass in prop_oneof!["[0-9]{6,8}", "[0-9]{1,7}", "[0-9]{0,9}"],
            end in prop_oneof![Just("\n".to_owned()), Just("\r\n".to_owned()), field(&["\r", "", ";", "x"])],
            rest in proptest::collection::vec(any::<u8>(), 0..WINDOW),
        ) {
            let mut line = format!("E;1;2024;22;07;C10A;{codes};{country};{value}{between}{mass}{end}")
                .into_bytes();
            line.extend_from_slice(&rest);
            let Some(w) = line.first_chunk::<WINDOW>() else {
                return Ok(());
            };
            let windowed = parse_window::<true>(w);
            if let Some(read) = windowed {
                prop_assert_eq!(Some(read), after_head::<true>(&line));
            }
            let without_mass = parse_window::<false>(w);
            prop_assert_eq!(without_mass.is_some(), windowed.is_some());
            if let Some(read) = without_mass {
                prop_assert_eq!(Some(read), after_head::<false>(&line));
            }
            // What the window is meant for, read plainly: `CCCC;PP;`, 1 to 8 digits, `;`, 1
            // to 7 digits and `\n` or `\r\n`, whichever fields the bytes came from.
            let t = &line[HEAD..];
            let digits = |from: usize| {
                t.get(from..).map_or(0, |x| x.iter().take_while(|b| b.is_ascii_digit()).count())
            };
            let (v, m) = (digits(8), digits(9 + digits(8)));
            let ends = t.get(9 + v + m..).is_some_and(|e| e.starts_with(b"\n") || e.starts_with(b"\r\n"));
            let meant = t[..4].iter().all(u8::is_ascii_digit)
                && t[5..7].iter().all(u8::is_ascii_uppercase)
                && (t[4], t[7]) == (b';', b';')
                && t.get(8 + v) == Some(&b';')
                && ends
                && (1..=8).contains(&v)
                && (1..=7).contains(&m);
            prop_assert_eq!(windowed.is_some(), meant);
        }

        /// A block read run by run (the fast path over runs, else the general path) gives the
        /// rows and errors the line-by-line reading gives, line for line.
        #[test]
        fn runs_are_read_as_their_lines(lines in run_lines(), export in any::<bool>()) {
            let flow = if export { Flow::Export } else { Flow::Import };
            let block = lines.join(&b'\n');
            // Line by line: the fast path, else the general one.
            let by_line = |block: &[u8]| {
                let mut p = RegionalParser::new(flow);
                let (mut out, mut pos) = (Vec::new(), 0);
                while pos < block.len() {
                    if let Some((row, next)) = p.parse_canonical_at(block, pos) {
                        out.push(Ok(row));
                        pos = next;
                        continue;
                    }
                    let (row, next) = general_at(&mut p, block, pos);
                    out.push(row);
                    pos = next;
                }
                out
            };
            // Run by run, the mass computed or only checked.
            let by_run = |mass: bool| -> Result<Vec<_>, TestCaseError> {
                let mut p = RegionalParser::new(flow);
                let (mut by_run, mut pos, mut run) = (Vec::new(), 0, Vec::new());
                while pos < block.len() {
                    run.clear();
                    let parsed = match mass {
                        true => p.parse_run_at::<true>(&block, pos, &mut run),
                        false => p.parse_run_at::<false>(&block, pos, &mut run),
                    };
                    if let Some((head, next)) = parsed {
                        prop_assert!(!run.is_empty() && run.len() <= MAX_RUN);
                        prop_assert_eq!(head.with(&run[0]), head);
                        by_run.extend(run.iter().map(|r| Ok(head.with(r))));
                        pos = next;
                        continue;
                    }
                    let (row, next) = general_at(&mut p, &block, pos);
                    by_run.push(row);
                    pos = next;
                }
                Ok(by_run)
            };
            let want = by_line(&block);
            prop_assert_eq!(&by_run(true)?, &want);
            // Without the mass: the same rows and errors, each run's rows after the first
            // with a mass of 0.
            let no_mass = by_run(false)?;
            prop_assert_eq!(no_mass.len(), want.len());
            for (got, want) in no_mass.iter().zip(&want) {
                match (got, want) {
                    (Ok(g), Ok(w)) => {
                        prop_assert!(g.mass == w.mass || g.mass == 0);
                        prop_assert_eq!(RegionalRow { mass: w.mass, ..*g }, *w);
                    }
                    _ => prop_assert_eq!(got, want),
                }
            }
        }

        /// The reader's way (the fast path, else the general one, with the caches the lines
        /// before left) gives exactly what the general path alone gives: the same rows, the
        /// same errors.
        #[test]
        fn fast_and_general_paths_agree(
            lines in proptest::collection::vec(
                prop_oneof![
                    8 => dgddi_like(),
                    // Any bytes but a newline (which ends a line).
                    1 => proptest::collection::vec(any::<u8>().prop_filter("a line", |b| *b != b'\n'), 0..40),
                ],
                1..40,
            ),
            export in any::<bool>(),
        ) {
            let flow = if export { Flow::Export } else { Flow::Import };
            let (mut reader, mut general) = (RegionalParser::new(flow), RegionalParser::new(flow));
            for line in &lines {
                // A line given to the fast path alone: it must take all of it or none.
                let fast = match reader.parse_canonical_at(line, 0) {
                    Some((row, next)) => {
                        prop_assert_eq!(next, line.len());
                        Ok(row)
                    }
                    None => reader.parse_general(line),
                };
                prop_assert_eq!(fast, general.parse_general(line), "{}", String::from_utf8_lossy(line));
            }
        }
    }
}
