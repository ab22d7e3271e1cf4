//! Readers of the DGDDI files, from a folder as downloaded (zipped or not).
//!
//! One pass over the bytes of each file; every row is parsed into typed codes and exact
//! integer euros and stored column by column. Strict by default: the first bad row stops the
//! load with an error naming the file, line, field and value. With [`OnError::Skip`], every
//! good row loads and every bad one is listed in the [`LoadReport`].

mod cache;
pub(crate) mod lines;
mod load;
pub mod national;
pub mod regional;
pub(crate) mod scan;
mod split;

use std::path::PathBuf;

use crate::codes::Flow;
use crate::nomenclature::LabelFileKind;

pub(crate) use load::load;
pub use load::{discover, Input, Sink};

/// What to do with a malformed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop the load with an error (the default).
    #[default]
    Fail,
    /// Load every good row and report every bad one in [`LoadReport::rejected`].
    Skip,
}

impl std::str::FromStr for OnError {
    type Err = crate::CodeError;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "fail" => Ok(OnError::Fail),
            "skip" => Ok(OnError::Skip),
            _ => Err(crate::CodeError::new(
                "on-error mode",
                s,
                "expected fail or skip",
            )),
        }
    }
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Strict (default) or lenient.
    pub on_error: OnError,
}

/// What a file holds, recognised from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `Region_YYYY_{Export,Import}.txt` (a full year) or `REGIONAL_CPF4PAYS{E,I}.txt` (the
    /// last five quarters, `year` = `None`).
    Regional {
        /// Flow of the file.
        flow: Flow,
        /// The year of an annual file.
        year: Option<u16>,
    },
    /// `National_YYYY_{Export,Import}.txt` or `NATIONAL_NC8PAYS{E,I}.txt`.
    National {
        /// Flow of the file.
        flow: Flow,
        /// The year of an annual file.
        year: Option<u16>,
    },
    /// A label file.
    Labels(LabelFileKind),
}

impl FileKind {
    /// Recognises a DGDDI file by its name (case-insensitive), e.g. `Region_2024_Export.txt`.
    ///
    /// ```
    /// use tradeflows::read::FileKind;
    /// use tradeflows::Flow;
    /// assert_eq!(
    ///     FileKind::from_file_name("Region_2024_Export.txt"),
    ///     Some(FileKind::Regional { flow: Flow::Export, year: Some(2024) })
    /// );
    /// assert_eq!(
    ///     FileKind::from_file_name("REGIONAL_CPF4PAYSI.txt"),
    ///     Some(FileKind::Regional { flow: Flow::Import, year: None })
    /// );
    /// assert_eq!(FileKind::from_file_name("notes.txt"), None);
    /// ```
    pub fn from_file_name(name: &str) -> Option<Self> {
        if let Some(k) = LabelFileKind::from_file_name(name) {
            return Some(FileKind::Labels(k));
        }
        let n = name.to_ascii_lowercase();
        let stem = n.strip_suffix(".txt")?;
        let flow_word = |w: &str| match w {
            "export" => Some(Flow::Export),
            "import" => Some(Flow::Import),
            _ => None,
        };
        let annual = |rest: &str| -> Option<(Flow, Option<u16>)> {
            let (year, flow) = rest.split_once('_')?;
            let year: u16 = (year.len() == 4).then(|| year.parse().ok()).flatten()?;
            Some((flow_word(flow)?, Some(year)))
        };
        let letter = |l: &str| match l {
            "e" => Some((Flow::Export, None)),
            "i" => Some((Flow::Import, None)),
            _ => None,
        };
        if let Some(rest) = stem.strip_prefix("region_") {
            annual(rest).map(|(flow, year)| FileKind::Regional { flow, year })
        } else if let Some(l) = stem.strip_prefix("regional_cpf4pays") {
            letter(l).map(|(flow, year)| FileKind::Regional { flow, year })
        } else if let Some(rest) = stem.strip_prefix("national_nc8pays") {
            letter(rest).map(|(flow, year)| FileKind::National { flow, year })
        } else if let Some(rest) = stem.strip_prefix("national_") {
            annual(rest).map(|(flow, year)| FileKind::National { flow, year })
        } else {
            None
        }
    }
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file (`dir/archive.zip!member.txt` for a zip member).
    pub path: PathBuf,
    /// What it holds.
    pub kind: FileKind,
    /// Data rows (or label rows) read.
    pub rows_read: u64,
    /// Rows loaded.
    pub rows_loaded: u64,
    /// Rows rejected (skip mode).
    pub rows_rejected: u64,
    /// Rows set aside for an annual file (see [`Superseded`]).
    pub rows_superseded: u64,
}

/// A row refused in skip mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: u64,
    /// Why, with the field and value.
    pub reason: String,
    /// The line as found (lossily decoded).
    pub raw: String,
}

/// Rows of a "last five quarters" file set aside because an annual file of the same folder
/// gives the same flow and year (the annual file holds the final figures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// Index of the file whose rows were set aside.
    pub file: usize,
    /// Index of the annual file used instead.
    pub by: usize,
    /// Flow.
    pub flow: Flow,
    /// Year.
    pub year: u16,
    /// Quarter.
    pub quarter: u8,
    /// Number of rows set aside.
    pub rows: u64,
}

/// A field whose codes must be in a list (DGDDI's départements and régions, INSEE's A129)
/// and that held well-formed codes the list does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnlistedField {
    /// `Code département`: not in `Departement_region.txt`.
    Departement,
    /// `Code région` of such a département: names no single INSEE région.
    Region,
    /// `Code A129`: not in INSEE's A129 table.
    A129,
}

impl UnlistedField {
    /// How the field's codes are described in the load's notes.
    pub fn describe(self) -> &'static str {
        match self {
            UnlistedField::Departement => "département codes not in DGDDI's list",
            UnlistedField::Region => "région codes not in DGDDI's list",
            UnlistedField::A129 => "A129 codes not in INSEE's table",
        }
    }
}

/// Loaded rows whose code is well formed but not listed: they count in the totals (France's,
/// and their région's when known), and are named here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlisted {
    /// The field.
    pub field: UnlistedField,
    /// The code as found.
    pub code: String,
    /// Rows loaded with it.
    pub rows: u64,
    /// Their value, in euros.
    pub value_eur: i64,
}

/// The account of a load: every row read is loaded, rejected or set aside (superseded), and
/// said so here: `rows_read = rows_loaded + rows_rejected + rows_superseded`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Every file read, in the order read.
    pub files: Vec<FileReport>,
    /// Rows refused (skip mode only; in strict mode the first one is the error).
    pub rejected: Vec<Rejection>,
    /// Rows set aside for an annual file of the same flow and year.
    pub superseded: Vec<Superseded>,
    /// Files found twice with the same content (a zip and its extracted copy): read once.
    pub duplicates: Vec<PathBuf>,
    /// Codes loaded that their list does not name, by field and code.
    pub unlisted: Vec<Unlisted>,
}

impl LoadReport {
    fn data_files(&self) -> impl Iterator<Item = &FileReport> {
        self.files
            .iter()
            .filter(|f| !matches!(f.kind, FileKind::Labels(_)))
    }
    /// Data rows read.
    pub fn rows_read(&self) -> u64 {
        self.data_files().map(|f| f.rows_read).sum()
    }
    /// Data rows loaded.
    pub fn rows_loaded(&self) -> u64 {
        self.data_files().map(|f| f.rows_loaded).sum()
    }
    /// Data rows rejected.
    pub fn rows_rejected(&self) -> u64 {
        self.data_files().map(|f| f.rows_rejected).sum()
    }
    /// Rows set aside for an annual file.
    pub fn rows_superseded(&self) -> u64 {
        self.superseded.iter().map(|s| s.rows).sum()
    }

    /// One sentence per field with unlisted codes, e.g. `412 rows, 3.1 M€ for département
    /// codes not in DGDDI's list: 00`.
    pub fn unlisted_notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for field in [
            UnlistedField::Departement,
            UnlistedField::Region,
            UnlistedField::A129,
        ] {
            let these: Vec<&Unlisted> = self.unlisted.iter().filter(|u| u.field == field).collect();
            if these.is_empty() {
                continue;
            }
            let rows: u64 = these.iter().map(|u| u.rows).sum();
            let value: i64 = these.iter().map(|u| u.value_eur).sum();
            let codes: Vec<&str> = these.iter().map(|u| u.code.as_str()).collect();
            out.push(format!(
                "{rows} row{}, {} M€ for {}: {}",
                if rows == 1 { "" } else { "s" },
                crate::format::millions(value),
                field.describe(),
                codes.join(", ")
            ));
        }
        out
    }

    /// What a reader of the summary should know beyond the counts: rows set aside for an
    /// annual file, files read once for being copies, codes their list does not name.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let path = |i: usize| {
            self.files
                .get(i)
                .map_or_else(String::new, |f| f.path.display().to_string())
        };
        for s in &self.superseded {
            let flow = match s.flow {
                Flow::Import => "imports",
                Flow::Export => "exports",
            };
            out.push(format!(
                "{} rows of {} ({flow} {} T{}) set aside: {} gives that year",
                s.rows,
                path(s.file),
                s.year,
                s.quarter,
                path(s.by)
            ));
        }
        for d in &self.duplicates {
            out.push(format!(
                "{} skipped: same content as a file already read",
                d.display()
            ));
        }
        out.extend(self.unlisted_notes());
        out
    }

    /// The rejected rows as CSV: `file,line,reason,raw`.
    pub fn rejections_csv(&self) -> crate::Result<Vec<u8>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        let failed = |e: csv::Error| crate::Error::Request(format!("rejected.csv: {e}"));
        out.write_record(["file", "line", "reason", "raw"])
            .map_err(failed)?;
        for r in &self.rejected {
            out.write_record([
                &r.path.display().to_string(),
                &r.line.to_string(),
                &r.reason,
                &r.raw,
            ])
            .map_err(failed)?;
        }
        out.into_inner()
            .map_err(|e| crate::Error::Request(format!("rejected.csv: {e}")))
    }
}
