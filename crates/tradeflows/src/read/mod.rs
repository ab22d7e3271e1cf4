//! Readers of the DGDDI files, from a folder as downloaded (zipped or not).
//!
//! One pass over the bytes of each file; every row is parsed into typed codes and exact
//! integer euros and stored column by column. Strict by default: the first bad row stops the
//! load with an error naming the file, line, field and value. With [`OnError::Skip`], every
//! good row loads and every bad one is listed in the [`LoadReport`].

pub(crate) mod lines;
mod load;
pub mod national;
pub mod regional;
pub(crate) mod scan;

use std::path::PathBuf;

use crate::codes::Flow;
use crate::nomenclature::LabelFileKind;

pub use load::{discover, Input};
pub(crate) use load::{load, Sink};

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

    pub(crate) fn flow(self) -> Option<Flow> {
        match self {
            FileKind::Regional { flow, .. } | FileKind::National { flow, .. } => Some(flow),
            FileKind::Labels(_) => None,
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

    /// Writes the rejected rows as CSV: `file,line,reason,raw`.
    pub fn write_rejections_csv<W: std::io::Write>(
        &self,
        w: W,
    ) -> std::result::Result<(), csv::Error> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["file", "line", "reason", "raw"])?;
        for r in &self.rejected {
            out.write_record([
                &r.path.display().to_string(),
                &r.line.to_string(),
                &r.reason,
                &r.raw,
            ])?;
        }
        out.flush()?;
        Ok(())
    }
}
