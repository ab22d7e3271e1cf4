//! The regional / departmental file: `Region_YYYY_{Export,Import}.txt` and
//! `REGIONAL_CPF4PAYS{E,I}.txt`, one row per quarter × département × product × country.

use super::lines::{parse_amount, parse_small, parse_year, split_fields, FieldError};
use crate::codes::{Country, Cpf4, Departement, Flow, A129};

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
    /// Département (DGDDI code).
    pub departement: Departement,
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

/// Parses the lines of one regional file. It remembers the last département/région, A129
/// and year fields it validated: consecutive rows mostly repeat them, so most rows skip
/// those lookups (a cache hit compares a few bytes).
pub(crate) struct RegionalParser {
    expected: Flow,
    last_geo: Option<([u8; 2], [u8; 2], Departement)>,
    last_a129: Option<([u8; 4], A129)>,
    last_year: Option<([u8; 4], u16)>,
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

    /// Parses one line.
    #[inline]
    pub(crate) fn parse(&mut self, line: &[u8]) -> Result<RegionalRow, FieldError> {
        match self.parse_canonical_at(line, 0) {
            Some((row, next)) if next == line.len() => Ok(row),
            _ => self.parse_general(line),
        }
    }

    /// The fast path: the line starting at `block[pos]` in DGDDI's canonical layout, every
    /// code at its usual width (`E;3;2018;01;18;A01Z;0111;BE;406473;1210935`), its year,
    /// département, région and A129 those of the previous line. Checks the separators at
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
        if line.len() < 31 {
            return None;
        }
        let sep = |i: usize| line[i] == b';';
        if !(sep(1) && sep(3) && sep(8) && sep(11) && sep(14) && sep(19) && sep(24) && sep(27)) {
            return None;
        }
        let flow = match line[0] {
            b'E' => Flow::Export,
            b'I' => Flow::Import,
            _ => return None,
        };
        if flow != self.expected || !(b'1'..=b'4').contains(&line[2]) {
            return None;
        }
        let quarter = line[2] - b'0';
        let year = match self.last_year {
            Some((bytes, y)) if line[4..8] == bytes => y,
            _ => return None,
        };
        let departement = match self.last_geo {
            Some((d, r, dep)) if line[9..11] == d && line[12..14] == r => dep,
            _ => return None,
        };
        let a129 = match self.last_a129 {
            Some((bytes, a)) if line[15..19] == bytes => a,
            _ => return None,
        };
        let cpf4 = Cpf4::from_bytes(&line[20..24]).ok()?;
        let country = Country::from_bytes(&line[25..27]).ok()?;
        // Value: 1 to 18 digits, then ';'; mass: 1 to 18 digits, then the end of the line.
        let digits = |mut i: usize| -> (i64, usize) {
            let mut v: i64 = 0;
            while let Some(d) = line
                .get(i)
                .map(|b| b.wrapping_sub(b'0'))
                .filter(|d| *d <= 9)
            {
                if v >= 100_000_000_000_000_000 {
                    return (v, usize::MAX);
                }
                v = v * 10 + i64::from(d);
                i += 1;
            }
            (v, i)
        };
        let (value, i) = digits(28);
        if i == 28 || i == usize::MAX || line.get(i) != Some(&b';') {
            return None;
        }
        let (mass, j) = digits(i + 1);
        if j == i + 1 || j == usize::MAX {
            return None;
        }
        let next = match &line[j..] {
            [] => j,
            [b'\n', ..] => j + 1,
            [b'\r', b'\n', ..] => j + 2,
            _ => return None,
        };
        Some((
            RegionalRow {
                flow,
                quarter,
                year,
                departement,
                a129,
                cpf4,
                country,
                value,
                mass,
            },
            pos + next,
        ))
    }

    /// The general path: any layout of the fields, with a precise error.
    fn parse_general(&mut self, line: &[u8]) -> Result<RegionalRow, FieldError> {
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
        let quarter = match f[1] {
            [q @ b'1'..=b'4'] => q - b'0',
            other => {
                parse_small(other, 1, 4).ok_or_else(|| err(1, "quarter must be 1 to 4".into()))?
            }
        };
        let year = match self.last_year {
            Some((bytes, y)) if f[2] == bytes => y,
            _ => {
                let y =
                    parse_year(f[2]).ok_or_else(|| err(2, "expected a four-digit year".into()))?;
                self.last_year = f[2].try_into().ok().map(|b| (b, y));
                y
            }
        };
        let departement = match self.last_geo {
            Some((d, r, dep)) if f[3] == d && f[4] == r => dep,
            _ => {
                let dep =
                    Departement::from_dgddi_bytes(f[3]).map_err(|e| err(3, e.reason.to_owned()))?;
                let region = dep.region();
                if f[4] != region.dgddi_code().as_bytes() {
                    return Err(err(
                        4,
                        format!(
                            "département {} belongs to DGDDI région {} ({}), not this one",
                            dep,
                            region.dgddi_code(),
                            region.name()
                        ),
                    ));
                }
                if let (Ok(d), Ok(r)) = (f[3].try_into(), f[4].try_into()) {
                    self.last_geo = Some((d, r, dep));
                }
                dep
            }
        };
        let a129 = match self.last_a129 {
            Some((bytes, a)) if f[5] == bytes => a,
            _ => {
                let a = A129::from_bytes(f[5]).map_err(|e| err(5, e.reason.to_owned()))?;
                self.last_a129 = f[5].try_into().ok().map(|b| (b, a));
                a
            }
        };
        let cpf4 = Cpf4::from_bytes(f[6]).map_err(|e| err(6, e.reason.to_owned()))?;
        let country = Country::from_bytes(f[7]).map_err(|e| err(7, e.reason.to_owned()))?;
        let value = parse_amount(f[8]).map_err(|m| err(8, m.to_owned()))?;
        let mass = parse_amount(f[9]).map_err(|m| err(9, m.to_owned()))?;
        Ok(RegionalRow {
            flow,
            quarter,
            year,
            departement,
            a129,
            cpf4,
            country,
            value,
            mass,
        })
    }
}

/// The message for a malformed flow letter.
pub(crate) fn flow_error(value: &[u8]) -> String {
    match Flow::from_bytes(value) {
        Ok(_) => String::new(),
        Err(e) => e.reason.to_owned(),
    }
}

/// The message for a row whose flow is not its file's.
pub(crate) fn mismatch(row: Flow, file: Flow) -> String {
    let name = |f: Flow| {
        if f == Flow::Import {
            "an import"
        } else {
            "an export"
        }
    };
    format!("{} row in {} file", name(row), name(file))
}

/// Parses one line of the regional file. `expected` is the flow of the file it is in.
#[cfg(test)]
pub(crate) fn parse_line(line: &[u8], expected: Flow) -> Result<RegionalRow, FieldError> {
    RegionalParser::new(expected).parse(line)
}

/// The rows of the regional files, column by column (codes are small `Copy` integers).
#[derive(Debug, Clone, Default)]
pub struct RegionalTable {
    pub(crate) flow: Vec<Flow>,
    pub(crate) quarter: Vec<u8>,
    pub(crate) year: Vec<u16>,
    pub(crate) departement: Vec<Departement>,
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

impl RegionalTable {
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
        self.departement.push(r.departement);
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
            departement: self.departement[i],
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
        self.departement.append(&mut other.departement);
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
    fn parses_the_documented_example() {
        let r = parse_line(b"E;3;2018;01;18;A01Z;0111;BE;406473;1210935", Flow::Export).unwrap();
        assert_eq!(r.departement.to_string(), "01");
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
        assert_eq!(r.departement.region().code(), "04");
        let r = parse_line(b"I;1;2024;99;21;C10A;1011;BR;10;1", Flow::Import).unwrap();
        assert_eq!(r.departement.region().code(), "93");
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
}
