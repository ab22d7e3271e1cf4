//! The error type of the crate.
//!
//! Every error that comes from input data says where: the file, the line, the column (the
//! 1-based field number and its name) and the offending value.

use std::fmt;
use std::path::PathBuf;

/// A shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A code that does not parse or is not in its nomenclature.
///
/// ```
/// use tradeflows::Cpf4;
/// let err = "01A1".parse::<Cpf4>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid CPF4 code \"01A1\": expected 4 digits");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} \"{value}\": {reason}")]
pub struct CodeError {
    /// What kind of code was expected, e.g. `CPF4 code`.
    pub kind: &'static str,
    /// The text that was refused (lossily decoded if it was not UTF-8).
    pub value: String,
    /// Why it was refused.
    pub reason: &'static str,
}

impl CodeError {
    pub(crate) fn new(kind: &'static str, value: impl AsRef<[u8]>, reason: &'static str) -> Self {
        CodeError {
            kind,
            value: String::from_utf8_lossy(value.as_ref()).into_owned(),
            reason,
        }
    }
}

/// Where a value was read: a file (or a member of a zip), a line, a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file, as `dir/file.txt` or `dir/archive.zip!member.txt`.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: u64,
    /// 1-based field number (0 when the whole line is concerned).
    pub column: u32,
    /// Name of the field, as DGDDI documents it (`Code CPF4`), or `line`.
    pub field: &'static str,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}", self.path.display(), self.line)?;
        if self.column > 0 {
            write!(f, ", column {} ({})", self.column, self.field)?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A code given by the caller (not read from a file) is not valid.
    #[error(transparent)]
    Code(#[from] CodeError),

    /// A value in an input file is malformed; the position names file, line and field.
    #[error("{position}: {message} (value \"{value}\")")]
    Parse {
        /// Where the value was read.
        position: Position,
        /// The offending value, as found (lossily decoded when not UTF-8).
        value: String,
        /// What is wrong, in plain words.
        message: String,
    },

    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A whole file is unusable (empty, binary, a broken zip …).
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },

    /// The folder holds no file this crate knows how to read.
    #[error("{}: no DGDDI file found (expected Region_YYYY_Export.txt, REGIONAL_CPF4PAYSE.txt, National_YYYY_Import.txt … or zips of them)", path.display())]
    NoData {
        /// The folder searched.
        path: PathBuf,
    },

    /// A request the data cannot answer (a year that is not in the files, …).
    #[error("{0}")]
    Request(String),

    /// An output file could not be written; no part of it is left on disk.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file that was being written (its final name).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The work was interrupted (the command line's Ctrl-C); the files written before are
    /// complete, the others were not started or were removed.
    #[error("interrupted: {written} file(s) written completely, none partially")]
    Cancelled {
        /// Files written completely before the interruption.
        written: usize,
    },

    /// A value could not be written or read as JSON.
    #[error("JSON: {0}")]
    Json(String),

    /// An invariant of the library does not hold: a bug, reported instead of a wrong figure.
    #[error("internal error (please report): {0}")]
    Internal(&'static str),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
