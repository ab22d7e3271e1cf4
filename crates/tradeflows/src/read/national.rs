//! The national file: `National_YYYY_{Export,Import}.txt` and `NATIONAL_NC8PAYS{E,I}.txt`,
//! one row per month × NC8 product × country; 10 fields, or 8 in the files of 2012–2015.

use super::lines::{mismatch, parse_amount, parse_small, parse_year, split_fields, FieldError};
use crate::codes::{Country, Cpf6, Flow, Nc8, A129};

/// The fields of the national file (current layout), as DGDDI names them.
pub const NATIONAL_FIELDS: [&str; 10] = [
    "Flux",
    "Mois",
    "Année",
    "Code CPF6",
    "Code A129",
    "Code NC8",
    "Code Pays",
    "Valeur",
    "Masse",
    "USUP",
];

/// The fields of the 2012–2015 layout.
pub const NATIONAL_FIELDS_8: [&str; 8] = [
    "Flux",
    "Mois",
    "Année",
    "Code NC8",
    "Code Pays",
    "Valeur",
    "Masse",
    "USUP",
];

/// One parsed row of the national file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NationalRow {
    /// Import or export.
    pub flow: Flow,
    /// Month, 1–12.
    pub month: u8,
    /// Year.
    pub year: u16,
    /// CPF6 product (absent in the 8-field layout).
    pub cpf6: Option<Cpf6>,
    /// A129 product (absent in the 8-field layout).
    pub a129: Option<A129>,
    /// NC8 product.
    pub nc8: Nc8,
    /// Partner country.
    pub country: Country,
    /// Value in euros.
    pub value: i64,
    /// Net mass in kilograms.
    pub mass: i64,
    /// Supplementary units (empty in the file: 0).
    pub usup: i64,
}

/// Parses one line of the national file; `fields` is the layout of the file (10 or 8).
pub(crate) fn parse_line(
    line: &[u8],
    expected: Flow,
    fields: usize,
) -> Result<NationalRow, FieldError> {
    let names: &[&'static str] = if fields == 8 {
        &NATIONAL_FIELDS_8
    } else {
        &NATIONAL_FIELDS
    };
    let mut f: [&[u8]; 10] = [&[]; 10];
    if fields == 8 {
        let a = split_fields::<8>(line).map_err(|n| {
            FieldError::new(
                0,
                "line",
                line,
                format!("expected {fields} fields separated by ';', found {n}"),
            )
        })?;
        f[..8].copy_from_slice(&a);
    } else {
        f = split_fields::<10>(line).map_err(|n| {
            FieldError::new(
                0,
                "line",
                line,
                format!("expected {fields} fields separated by ';', found {n}"),
            )
        })?;
    }

    let err = |i: usize, msg: String| FieldError::new(i as u32 + 1, names[i], f[i], msg);
    let flow = Flow::from_bytes(f[0]).map_err(|e| err(0, e.reason.to_owned()))?;
    if flow != expected {
        return Err(err(0, mismatch(flow, expected)));
    }
    let month = parse_small(f[1], 1, 12).ok_or_else(|| err(1, "month must be 1 to 12".into()))?;
    let year = parse_year(f[2]).ok_or_else(|| err(2, "expected a four-digit year".into()))?;
    let (cpf6, a129, rest) = if fields == 8 {
        (None, None, 3)
    } else {
        let cpf6 = Cpf6::from_bytes(f[3]).map_err(|e| err(3, e.reason.to_owned()))?;
        let a129 = A129::from_bytes(f[4]).map_err(|e| err(4, e.reason.to_owned()))?;
        (Some(cpf6), Some(a129), 5)
    };
    let nc8 = Nc8::from_bytes(f[rest]).map_err(|e| err(rest, e.reason.to_owned()))?;
    let country =
        Country::from_bytes(f[rest + 1]).map_err(|e| err(rest + 1, e.reason.to_owned()))?;
    let value = parse_amount(f[rest + 2]).map_err(|m| err(rest + 2, m.to_owned()))?;
    let mass = parse_amount(f[rest + 3]).map_err(|m| err(rest + 3, m.to_owned()))?;
    let usup = if f[rest + 4].is_empty() {
        0
    } else {
        parse_amount(f[rest + 4]).map_err(|m| err(rest + 4, m.to_owned()))?
    };
    Ok(NationalRow {
        flow,
        month,
        year,
        cpf6,
        a129,
        nc8,
        country,
        value,
        mass,
        usup,
    })
}

/// The rows of the national files, column by column.
#[derive(Debug, Clone, Default)]
pub struct NationalTable {
    pub(crate) rows: Vec<NationalRow>,
    pub(crate) source: Vec<u16>,
    pub(crate) line: Vec<u32>,
}

impl NationalTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every row.
    pub fn rows(&self) -> &[NationalRow] {
        &self.rows
    }

    pub(crate) fn push(&mut self, r: NationalRow, source: u16, line: u32) {
        self.rows.push(r);
        self.source.push(source);
        self.line.push(line);
    }

    /// Where row `i` was read: (file index in the load report, line).
    pub fn origin(&self, i: usize) -> Option<(usize, u32)> {
        Some((usize::from(*self.source.get(i)?), self.line[i]))
    }

    /// Appends the rows of another table.
    pub(crate) fn append(&mut self, mut other: NationalTable) {
        self.rows.append(&mut other.rows);
        self.source.append(&mut other.source);
        self.line.append(&mut other.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts() {
        let r = parse_line(
            b"I;09;2018;014310;A01Z;01012100;AU;70000;1000;2",
            Flow::Import,
            10,
        )
        .unwrap();
        assert_eq!(
            (r.month, r.year, r.value, r.mass, r.usup),
            (9, 2018, 70_000, 1_000, 2)
        );
        assert_eq!(r.cpf6.unwrap().to_string(), "014310");
        assert_eq!(r.nc8.to_string(), "01012100");
        let r = parse_line(b"E;1;2013;01012100;BE;438193;9500;", Flow::Export, 8).unwrap();
        assert_eq!((r.cpf6, r.a129, r.usup), (None, None, 0));
        assert_eq!(r.country.to_string(), "BE");
        let e = parse_line(b"E;13;2013;01012100;BE;438193;9500;", Flow::Export, 8).unwrap_err();
        assert_eq!((e.column, e.field), (2, "Mois"));
    }
}
