//! Labels, built in and overridden by the label files of a DGDDI download.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use crate::codes::{Country, Cpf4, Product, A129};
use crate::error::{Error, Position, Result};
use crate::nomenclature::{pick_by_validity, tables};

/// The label files DGDDI ships in its zips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFileKind {
    /// `Libelle_A129.txt` (UTF-8 with BOM).
    A129,
    /// `Libelle_CPF4_rev2.1.txt` (Windows-1252).
    Cpf4,
    /// `Libelle_PAYS.txt` (UTF-8; some codes appear twice with different validity).
    Pays,
}

impl LabelFileKind {
    /// Recognises a label file by its name (case-insensitive).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        if !n.ends_with(".txt") {
            return None;
        }
        if n.starts_with("libelle_a129") {
            Some(LabelFileKind::A129)
        } else if n.starts_with("libelle_cpf4") {
            Some(LabelFileKind::Cpf4)
        } else if n.starts_with("libelle_pays") {
            Some(LabelFileKind::Pays)
        } else {
            None
        }
    }
}

/// One row of a label file: `code;label;from(AAAAMM);to(AAAAMM)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRow {
    /// The code as written.
    pub code: String,
    /// The label, decoded to UTF-8.
    pub label: String,
    /// First month of validity (`AAAAMM`).
    pub from: u32,
    /// Last month of validity (`999912` = still valid).
    pub to: u32,
}

/// Decodes a label file: UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8,
/// Windows-1252 (DGDDI's CPF4 file).
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

impl Labels {
    /// Parses a label file: UTF-8 with or without BOM, or Windows-1252; CRLF or LF; quoted
    /// labels may contain `;`.
    ///
    /// ```
    /// use tradeflows::nomenclature::Labels;
    /// let rows = Labels::parse_file(
    ///     "Libelle_A129.txt".as_ref(),
    ///     b"\xEF\xBB\xBFC26G;\"Mat\xC3\xA9riels optique ; supports\";200901;999912\r\n",
    /// )?;
    /// assert_eq!(rows[0].label, "Matériels optique ; supports");
    /// // Windows-1252, as DGDDI's CPF4 file: 0xE9 is "é".
    /// let rows = Labels::parse_file("Libelle_CPF4_rev2.1.txt".as_ref(), b"1011;Viandes de boucherie \xE9;201501;999912\r\n")?;
    /// assert_eq!(rows[0].label, "Viandes de boucherie é");
    /// # Ok::<(), tradeflows::Error>(())
    /// ```
    pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<Vec<LabelRow>> {
        let text = decode(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| Error::File {
                path: path.to_owned(),
                message: format!("not a label file: {e}"),
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let pos = |column: u32, field: &'static str| Position {
                path: path.to_owned(),
                line,
                column,
                field,
            };
            if record.len() == 1 && record[0].trim().is_empty() {
                continue;
            }
            if record.len() != 4 {
                return Err(Error::Parse {
                    position: pos(0, "line"),
                    value: record.iter().collect::<Vec<_>>().join(";"),
                    message: format!(
                        "expected 4 fields (code;label;from;to), found {}",
                        record.len()
                    ),
                });
            }
            let month = |i: usize, field: &'static str| -> Result<u32> {
                let v = record[i].trim();
                match v.parse::<u32>() {
                    Ok(m) if v.len() == 6 && (1..=12).contains(&(m % 100)) => Ok(m),
                    _ => Err(Error::Parse {
                        position: pos(i as u32 + 1, field),
                        value: v.to_owned(),
                        message: "expected a month AAAAMM".into(),
                    }),
                }
            };
            rows.push(LabelRow {
                code: record[0].trim().to_owned(),
                label: record[1].trim().to_owned(),
                from: month(2, "début de validité")?,
                to: month(3, "fin de validité")?,
            });
        }
        if rows.is_empty() {
            return Err(Error::File {
                path: path.to_owned(),
                message: "empty label file".into(),
            });
        }
        Ok(rows)
    }
}

/// A country's name over a period: (code, name, first month, last month), months as
/// `AAAAMM`.
type CountryEntry = (Country, Cow<'static, str>, u32, u32);

/// Country entries sorted by code; a code's entries keep their order (a stable sort: of two
/// entries as good, the first given wins).
fn by_code(mut entries: Vec<CountryEntry>) -> Vec<CountryEntry> {
    entries.sort_by_key(|e| e.0);
    entries
}

/// French labels of products and countries: the built-in ones, overridden by the label
/// files of the user's download when there are some.
///
/// ```
/// use tradeflows::nomenclature::Labels;
/// let labels = Labels::builtin();
/// assert_eq!(labels.country("XS".parse()?, 2024), Some("Serbie"));
/// assert_eq!(labels.cpf4("0111".parse()?), Some("Céréales (à l'exclusion du riz), légumineuses et oléagineux"));
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Labels {
    /// The labels of the listed A129 codes, by index.
    a129: Vec<Cow<'static, str>>,
    /// Labels a label file gives to A129 codes INSEE does not list.
    a129_unlisted: BTreeMap<A129, String>,
    cpf4: BTreeMap<Cpf4, Cow<'static, str>>,
    /// (code, name, valid from, valid to), by code (the entries of a code in the order
    /// given): a code's entries are found by a binary search, not by reading all.
    countries: Vec<CountryEntry>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::builtin()
    }
}

impl Labels {
    /// The built-in labels.
    pub fn builtin() -> Self {
        Labels {
            a129: tables::A129
                .iter()
                .map(|e| Cow::Borrowed(e.label))
                .collect(),
            a129_unlisted: BTreeMap::new(),
            cpf4: tables::CPF4
                .iter()
                .filter_map(|e| Some((Cpf4::from_value(e.code)?, Cow::Borrowed(e.label))))
                .collect(),
            countries: by_code(
                tables::COUNTRIES
                    .iter()
                    .filter_map(|e| {
                        Some((e.code.parse().ok()?, Cow::Borrowed(e.label), e.from, e.to))
                    })
                    .collect(),
            ),
        }
    }

    /// The label of an A129 code: INSEE's (or the label file's), or the label file's for a
    /// code INSEE does not list.
    pub fn a129(&self, code: A129) -> Option<&str> {
        match self.a129.get(code.index()) {
            Some(label) => Some(label.as_ref()),
            None => self.a129_unlisted.get(&code).map(String::as_str),
        }
    }

    /// The label of a CPF4 code, if known.
    pub fn cpf4(&self, code: Cpf4) -> Option<&str> {
        self.cpf4.get(&code).map(|s| s.as_ref())
    }

    /// The name of a country valid in `year`, if known.
    pub fn country(&self, code: Country, year: u16) -> Option<&str> {
        let first = self.countries.partition_point(|e| e.0 < code);
        pick_by_validity(
            self.countries[first..]
                .iter()
                .take_while(|e| e.0 == code)
                .map(|e| (e.1.as_ref(), e.2, e.3)),
            year,
        )
    }

    /// The label of a product of any level.
    pub fn product(&self, p: Product) -> Option<&str> {
        match p {
            Product::A129(c) => self.a129(c),
            Product::Cpf4(c) => self.cpf4(c),
            other => other.label(),
        }
    }

    /// The name outputs show for a product: its label, else its code.
    pub fn product_name(&self, p: Product) -> String {
        self.product(p).map_or_else(|| p.to_string(), str::to_owned)
    }

    /// The name outputs show for a country in `year`: its name, else its code.
    pub fn country_name(&self, c: Country, year: u16) -> String {
        self.country(c, year).unwrap_or(c.code()).to_owned()
    }

    /// Overrides the labels with those of a DGDDI label file; returns how many rows it had.
    ///
    /// Every code of the file must be well formed (an A129 code INSEE does not list gets its
    /// label from the file too). For a country listed in a `Libelle_PAYS.txt`, the file's rows (with
    /// their validity periods) replace the built-in ones.
    pub fn apply_file(&mut self, kind: LabelFileKind, path: &Path, bytes: &[u8]) -> Result<usize> {
        let rows = Labels::parse_file(path, bytes)?;
        let bad = |i: usize, row: &LabelRow, e: crate::CodeError| Error::Parse {
            position: Position {
                path: path.to_owned(),
                line: i as u64 + 1,
                column: 1,
                field: "code",
            },
            value: row.code.clone(),
            message: e.to_string(),
        };
        match kind {
            LabelFileKind::A129 => {
                for (i, row) in rows.iter().enumerate() {
                    let code: A129 = row.code.parse().map_err(|e| bad(i, row, e))?;
                    match self.a129.get_mut(code.index()) {
                        Some(label) => *label = Cow::Owned(row.label.clone()),
                        None => {
                            self.a129_unlisted.insert(code, row.label.clone());
                        }
                    }
                }
            }
            LabelFileKind::Cpf4 => {
                for (i, row) in rows.iter().enumerate() {
                    let code: Cpf4 = row.code.parse().map_err(|e| bad(i, row, e))?;
                    self.cpf4.insert(code, Cow::Owned(row.label.clone()));
                }
            }
            LabelFileKind::Pays => {
                let mut countries = Vec::with_capacity(rows.len());
                for (i, row) in rows.iter().enumerate() {
                    let code: Country = row.code.parse().map_err(|e| bad(i, row, e))?;
                    countries.push((code, Cow::Owned(row.label.clone()), row.from, row.to));
                }
                self.countries
                    .retain(|old| !countries.iter().any(|new| new.0 == old.0));
                self.countries.extend(countries);
                self.countries = by_code(std::mem::take(&mut self.countries));
            }
        }
        Ok(rows.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The name of a country in a year, found by a binary search in the entries sorted
        /// by code, is the one the entries in their given order say (several periods a
        /// code, overlapping or not, ties included).
        #[test]
        fn country_names_are_those_of_the_entries_in_order(
            entries in prop::collection::vec(
                (0usize..6, 0u8..4, 2015u32..2030, 0u32..6),
                0..40,
            ),
            year in 2010u16..2035,
        ) {
            let codes = ["AD", "BE", "CN", "DE", "US", "XS"];
            let names = ["a", "b", "c", "d"];
            let given: Vec<CountryEntry> = entries
                .iter()
                .map(|&(c, n, from, len)| {
                    let code: Country = codes[c].parse().unwrap_or_else(|_| unreachable!());
                    (code, Cow::Borrowed(names[usize::from(n)]), from * 100 + 1, (from + len) * 100 + 12)
                })
                .collect();
            let labels = Labels { countries: by_code(given.clone()), ..Labels::builtin() };
            for code in codes {
                let code: Country = code.parse().unwrap_or_else(|_| unreachable!());
                let want = pick_by_validity(
                    given.iter().filter(|e| e.0 == code).map(|e| (e.1.as_ref(), e.2, e.3)),
                    year,
                );
                prop_assert_eq!(labels.country(code, year), want);
            }
        }
    }
}
