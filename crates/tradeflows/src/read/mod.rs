//! Readers of the DGDDI files, from a folder as downloaded (zipped or not).
//!
//! One pass over the bytes of each file; every row is parsed into typed codes and exact
//! integer euros and stored column by column. Strict by default: the first bad row stops the
//! load with an error naming the file, line, field and value. With [`OnError::Skip`], every
//! good row loads and every bad one is listed in the [`LoadReport`].

pub(crate) mod lines;
pub mod national;
pub mod regional;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::codes::Flow;
use crate::error::{Error, Position, Result};
use crate::nomenclature::{LabelFileKind, Labels};
use lines::{looks_binary, FieldError, Lines};
use national::NationalTable;
use regional::RegionalTable;

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

    fn flow(self) -> Option<Flow> {
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
/// gives the same quarter and flow (the annual file is the final figure).
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

/// The account of a load: every row read is loaded, rejected or superseded, and said so here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Every file read, in the order read.
    pub files: Vec<FileReport>,
    /// Rows refused (skip mode only; in strict mode the first one is the error).
    pub rejected: Vec<Rejection>,
    /// Rows loaded but set aside for an annual file of the same quarter.
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
    /// Data rows loaded (superseded ones included).
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

/// A file to read: its display path, name and bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// Shown in messages (`dir/x.zip!member.txt` for a zip member).
    pub path: PathBuf,
    /// What the name says it holds.
    pub kind: FileKind,
    /// The whole content.
    pub bytes: Vec<u8>,
}

/// Finds the DGDDI files under `path` (a folder, searched recursively in name order; a single
/// file; or a zip), reading zip members in place. Files of other names are ignored. A file
/// found twice with the same content (a zip and its extracted copy) is kept once.
pub fn discover(path: &Path) -> Result<(Vec<Input>, Vec<PathBuf>)> {
    let mut found = Vec::new();
    collect(path, &mut found)?;
    // One input per file name: the same name twice is the same file, or a conflict.
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs: Vec<Input> = Vec::new();
    let mut duplicates = Vec::new();
    for input in found {
        let name = input
            .path
            .to_string_lossy()
            .rsplit(['/', '\\', '!'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match by_name.get(&name) {
            Some(&i) if inputs[i].bytes == input.bytes => duplicates.push(input.path),
            Some(&i) => {
                return Err(Error::File {
                    path: input.path,
                    message: format!(
                        "a different copy of this file is also at {}",
                        inputs[i].path.display()
                    ),
                })
            }
            None => {
                by_name.insert(name, inputs.len());
                inputs.push(input);
            }
        }
    }
    if !inputs
        .iter()
        .any(|i| !matches!(i.kind, FileKind::Labels(_)))
    {
        return Err(Error::NoData {
            path: path.to_owned(),
        });
    }
    Ok((inputs, duplicates))
}

fn collect(path: &Path, out: &mut Vec<Input>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .map(|e| e.map(|e| e.path()).map_err(|e| Error::io(path, e)))
            .collect::<Result<_>>()?;
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
        return Ok(());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.to_ascii_lowercase().ends_with(".zip") {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let bad_zip = |e: zip::result::ZipError| Error::File {
            path: path.to_owned(),
            message: format!("not a readable zip: {e}"),
        };
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(bad_zip)?;
        let mut members: Vec<(String, usize)> = (0..zip.len())
            .filter_map(|i| Some((zip.name_for_index(i)?.to_owned(), i)))
            .collect();
        members.sort();
        for (member, i) in members {
            let base = member.rsplit('/').next().unwrap_or(&member).to_owned();
            let Some(kind) = FileKind::from_file_name(&base) else {
                continue;
            };
            let display = PathBuf::from(format!("{}!{}", path.display(), member));
            let mut f = zip.by_index(i).map_err(bad_zip)?;
            let mut bytes = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0).min(1 << 30));
            f.read_to_end(&mut bytes)
                .map_err(|e| Error::io(&display, e))?;
            out.push(Input {
                path: display,
                kind,
                bytes,
            });
        }
    } else if let Some(kind) = FileKind::from_file_name(&name) {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        out.push(Input {
            path: path.to_owned(),
            kind,
            bytes,
        });
    }
    Ok(())
}

/// The tables a load fills.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub regional: RegionalTable,
    pub national: NationalTable,
    pub labels: Labels,
    pub report: LoadReport,
}

/// Reads the inputs: label files first (they override the built-in labels), then data.
pub(crate) fn load_inputs(inputs: &[Input], options: &LoadOptions) -> Result<Loaded> {
    let mut out = Loaded::default();
    let mut order: Vec<&Input> = inputs.iter().collect();
    order.sort_by_key(|i| !matches!(i.kind, FileKind::Labels(_)));
    for input in order {
        let source = u16::try_from(out.report.files.len())
            .map_err(|_| Error::Request("too many files (more than 65 535)".into()))?;
        let mut file = FileReport {
            path: input.path.clone(),
            kind: input.kind,
            rows_read: 0,
            rows_loaded: 0,
            rows_rejected: 0,
        };
        if let FileKind::Labels(k) = input.kind {
            let n = out.labels.apply_file(k, &input.path, &input.bytes)? as u64;
            file.rows_read = n;
            file.rows_loaded = n;
            out.report.files.push(file);
            continue;
        }
        check_text(input)?;
        let flow = input.kind.flow().unwrap_or(Flow::Import);
        let national_fields = match input.kind {
            FileKind::National { .. } => national_layout(input)?,
            _ => 0,
        };
        for (line_no, line) in Lines::new(&input.bytes) {
            file.rows_read += 1;
            let line32 = u32::try_from(line_no).unwrap_or(u32::MAX);
            let result = match input.kind {
                FileKind::Regional { .. } => {
                    regional::parse_line(line, flow).map(|r| out.regional.push(r, source, line32))
                }
                _ => national::parse_line(line, flow, national_fields)
                    .map(|r| out.national.push(r, source, line32)),
            };
            match result {
                Ok(()) => file.rows_loaded += 1,
                Err(e) => match options.on_error {
                    OnError::Fail => return Err(to_error(&input.path, line_no, e)),
                    OnError::Skip => {
                        file.rows_rejected += 1;
                        out.report.rejected.push(Rejection {
                            path: input.path.clone(),
                            line: line_no,
                            reason: reason(&e),
                            raw: String::from_utf8_lossy(line).into_owned(),
                        });
                    }
                },
            }
        }
        out.report.files.push(file);
    }
    supersede(&mut out)?;
    Ok(out)
}

fn reason(e: &FieldError) -> String {
    if e.column == 0 {
        e.message.clone()
    } else {
        format!(
            "column {} ({}): {} (value \"{}\")",
            e.column,
            e.field,
            e.message,
            String::from_utf8_lossy(&e.value)
        )
    }
}

fn to_error(path: &Path, line: u64, e: FieldError) -> Error {
    Error::Parse {
        position: Position {
            path: path.to_owned(),
            line,
            column: e.column,
            field: e.field,
        },
        value: String::from_utf8_lossy(&e.value).into_owned(),
        message: e.message,
    }
}

/// An empty or binary file is refused whole.
fn check_text(input: &Input) -> Result<()> {
    if Lines::new(&input.bytes).next().is_none() {
        return Err(Error::File {
            path: input.path.clone(),
            message: "empty file: no data row".into(),
        });
    }
    if looks_binary(&input.bytes) {
        return Err(Error::File {
            path: input.path.clone(),
            message: "binary content (NUL bytes): not a DGDDI text file".into(),
        });
    }
    Ok(())
}

/// The layout of a national file (10 fields, or 8 for 2012–2015), from its first line.
fn national_layout(input: &Input) -> Result<usize> {
    let first = Lines::new(&input.bytes)
        .next()
        .map(|l| l.1)
        .unwrap_or_default();
    match memchr::memchr_iter(b';', first).count() + 1 {
        8 => Ok(8),
        _ => Ok(10),
    }
}

/// Sets aside the rows of "last five quarters" files for the quarters an annual file of the
/// same flow gives too; refuses two annual sources of the same quarter.
fn supersede(out: &mut Loaded) -> Result<()> {
    let t = &out.regional;
    // (flow, year, quarter) -> source -> rows
    let mut cover: BTreeMap<(Flow, u16, u8), BTreeMap<u16, u64>> = BTreeMap::new();
    for i in 0..t.len() {
        *cover
            .entry((t.flow[i], t.year[i], t.quarter[i]))
            .or_default()
            .entry(t.source[i])
            .or_default() += 1;
    }
    let annual = |s: u16| {
        matches!(
            out.report.files[usize::from(s)].kind,
            FileKind::Regional { year: Some(_), .. }
        )
    };
    let mut drop: BTreeMap<(u16, Flow, u16, u8), ()> = BTreeMap::new();
    for (&(flow, year, quarter), sources) in &cover {
        if sources.len() < 2 {
            continue;
        }
        let annuals: Vec<u16> = sources.keys().copied().filter(|&s| annual(s)).collect();
        if annuals.len() != 1 {
            let names: Vec<String> = sources
                .keys()
                .map(|&s| out.report.files[usize::from(s)].path.display().to_string())
                .collect();
            return Err(Error::Request(format!(
                "{} and {} both give {} {year} quarter {quarter}: keep one of them",
                names[0],
                names[1],
                if flow == Flow::Import {
                    "imports"
                } else {
                    "exports"
                },
            )));
        }
        for (&s, &rows) in sources {
            if s != annuals[0] {
                drop.insert((s, flow, year, quarter), ());
                out.report.superseded.push(Superseded {
                    file: usize::from(s),
                    by: usize::from(annuals[0]),
                    flow,
                    year,
                    quarter,
                    rows,
                });
            }
        }
    }
    if !drop.is_empty() {
        let keep: Vec<bool> = (0..t.len())
            .map(|i| !drop.contains_key(&(t.source[i], t.flow[i], t.year[i], t.quarter[i])))
            .collect();
        out.regional.retain(&keep);
    }
    Ok(())
}
