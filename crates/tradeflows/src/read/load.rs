//! Finding the files of a download and reading them: lazily (a file is opened when its turn
//! comes, never held whole in memory), in parallel, into a [`Sink`]: one file per thread, or,
//! for sinks of sums, the regional files place by place, every thread taking the places of
//! every file (see [`split`](super::split)).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::lines::FieldError;
use super::national::{self, NationalRow};
use super::regional::{RegionalParser, RegionalRow, RunRow};
use super::scan::{read_lines, Lines};
use super::split::{self, Bytes, Piece};
use super::{
    FileKind, FileReport, LoadOptions, LoadReport, OnError, Rejection, Superseded, Unlisted,
    UnlistedField,
};
use crate::codes::{Flow, Place};
use crate::error::{Error, Position, Result};
use crate::nomenclature::Labels;

/// Where the bytes of an input are.
#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Zip { archive: PathBuf, index: usize },
    Bytes(Vec<u8>),
}

/// A file to read: its display path, what its name says it holds, and where its bytes are
/// (a file, a zip member, or memory). Nothing is read until the load needs it.
#[derive(Debug, Clone)]
pub struct Input {
    /// Shown in messages (`dir/x.zip!member.txt` for a zip member).
    pub path: PathBuf,
    /// What the name says it holds.
    pub kind: FileKind,
    source: Source,
}

impl Input {
    /// An input held in memory (generated data, tests).
    pub fn from_bytes(path: impl Into<PathBuf>, kind: FileKind, bytes: Vec<u8>) -> Self {
        Input {
            path: path.into(),
            kind,
            source: Source::Bytes(bytes),
        }
    }

    /// The bytes of an input held in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// Calls `f` with a reader of the content.
    pub(crate) fn with_reader<T>(&self, f: impl FnOnce(&mut dyn Read) -> Result<T>) -> Result<T> {
        match &self.source {
            Source::Bytes(b) => f(&mut &b[..]),
            Source::File(p) => {
                let mut file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
                f(&mut file)
            }
            Source::Zip { archive, index } => {
                let mut zip = open_zip(archive)?;
                let mut member = zip.by_index(*index).map_err(|e| bad_zip(archive, e))?;
                f(&mut member)
            }
        }
    }

    /// The whole content (label files are small).
    pub(crate) fn read_all(&self) -> Result<Vec<u8>> {
        self.with_reader(|r| {
            let mut out = Vec::new();
            r.read_to_end(&mut out)
                .map_err(|e| Error::io(&self.path, e))?;
            Ok(out)
        })
    }

    /// Size and CRC-32 of the content, to tell two copies of a file apart. Zip members take
    /// them from the archive's directory; other files are read once.
    fn fingerprint(&self) -> Result<(u64, u32)> {
        if let Source::Zip { archive, index } = &self.source {
            let mut zip = open_zip(archive)?;
            let member = zip.by_index_raw(*index).map_err(|e| bad_zip(archive, e))?;
            return Ok((member.size(), member.crc32()));
        }
        let bytes = self.read_all()?;
        Ok((bytes.len() as u64, crc32fast::hash(&bytes)))
    }

    /// Uncompressed size when known without reading.
    fn size_hint(&self) -> u64 {
        match &self.source {
            Source::Bytes(b) => b.len() as u64,
            Source::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Source::Zip { .. } => 0,
        }
    }
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<std::io::BufReader<std::fs::File>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| bad_zip(path, e))
}

fn bad_zip(path: &Path, e: zip::result::ZipError) -> Error {
    Error::File {
        path: path.to_owned(),
        message: format!("not a readable zip: {e}"),
    }
}

/// Finds the DGDDI files under `path` (a folder, searched recursively in name order; a
/// single file; or a zip), zip members included. Files of other names are ignored. A file
/// found twice with the same content (a zip and its extracted copy) is kept once and listed
/// in the second vector; two different contents under one name are refused.
pub fn discover(path: &Path) -> Result<(Vec<Input>, Vec<PathBuf>)> {
    let mut found = Vec::new();
    collect(path, &mut found)?;
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
            Some(&i) if inputs[i].fingerprint()? == input.fingerprint()? => {
                duplicates.push(input.path)
            }
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
        let zip = open_zip(path)?;
        let mut members: Vec<(String, usize)> = (0..zip.len())
            .filter_map(|i| Some((zip.name_for_index(i)?.to_owned(), i)))
            .collect();
        members.sort();
        for (member, index) in members {
            let base = member.rsplit('/').next().unwrap_or(&member).to_owned();
            let Some(kind) = FileKind::from_file_name(&base) else {
                continue;
            };
            out.push(Input {
                path: PathBuf::from(format!("{}!{}", path.display(), member)),
                kind,
                source: Source::Zip {
                    archive: path.to_owned(),
                    index,
                },
            });
        }
    } else if let Some(kind) = FileKind::from_file_name(&name) {
        out.push(Input {
            path: path.to_owned(),
            kind,
            source: Source::File(path.to_owned()),
        });
    }
    Ok(())
}

/// What a load fills: the rows themselves, or aggregates of them. Each reader thread fills
/// its own sink; they are merged in file order, so the result does not depend on scheduling.
pub trait Sink: Send {
    /// A row of a regional file (`source`: index of the file in the report).
    fn regional(&mut self, row: &RegionalRow, source: u16, line: u64);
    /// A run of rows of a regional file read in pieces (see [`Sink::in_pieces`]; such rows
    /// have no line number): each row is `head` with the fields of one of `rows`. The
    /// default takes them one by one; a sink may take the shared fields once.
    fn regional_run(&mut self, head: &RegionalRow, rows: &[RunRow], source: u16) {
        for r in rows {
            self.regional(&head.with(r), source, 0);
        }
    }
    /// A row of a national file.
    fn national(&mut self, row: &NationalRow, source: u16, line: u64);
    /// Appends what another sink of the same kind gathered (called in file order).
    fn merge(&mut self, other: Self);
    /// Whether the load should read a regional file of this kind place by place, in pieces
    /// shared between threads (each département's blocks of every quarter one after the
    /// other, found by probing the sorted file): only for a sink whose result
    /// depends neither on the order of its rows nor on how they are shared between sinks
    /// (sums do; a list of rows does not), and that gains from it (it keeps more than totals
    /// of the file's rows).
    fn in_pieces(&self, _kind: FileKind) -> bool {
        false
    }
    /// The load leaves this sink for another one (its thread moves on to another file); rows
    /// may still come later. A sink may free here what it only needs while rows come.
    fn set_aside(&mut self) {}
    /// Whether the sink reads the mass of the rows it takes in runs: when not, the mass
    /// field of those rows is checked (a row is accepted or refused the same) but not
    /// computed, and their [`RunRow::mass`] is 0.
    fn reads_mass(&self) -> bool {
        true
    }
}

/// What reading one data file gave.
struct Outcome<S> {
    sink: S,
    report: FileReport,
    rejected: Vec<Rejection>,
    superseded: BTreeMap<(Flow, u16, u8), u64>,
    unlisted: BTreeMap<(UnlistedField, String), (u64, i64)>,
}

/// Reads the inputs: label files first (they override the built-in labels), then the data
/// files, one per thread, each into a sink made by `make`; the sinks are merged in file
/// order, so the result does not depend on scheduling.
///
/// Rows of a "last five quarters" regional file whose flow and year an annual file of the
/// inputs gives are set aside (counted in the report, not given to the sink).
pub(crate) fn load<S: Sink>(
    inputs: &[Input],
    options: &LoadOptions,
    make: impl Fn() -> S + Sync,
) -> Result<(S, Labels, LoadReport)> {
    let mut report = LoadReport::default();
    let labels = read_labels(inputs, &mut report)?;
    let data: Vec<&Input> = inputs
        .iter()
        .filter(|i| !matches!(i.kind, FileKind::Labels(_)))
        .collect();
    let first = report.files.len();
    if first + data.len() > usize::from(u16::MAX) {
        return Err(Error::Request("too many files (more than 65 535)".into()));
    }
    let annual = annual_files(&data, first)?;
    // Which files the sink wants read in pieces (asked of a sink made for the question).
    let wanted: Vec<bool> = {
        let probe = make();
        data.iter().map(|i| probe.in_pieces(i.kind)).collect()
    };
    let split = match wanted.contains(&true) {
        true => read_split(&data, &wanted, first, options, &annual, &make)?,
        false => None,
    };
    let outcomes = match split {
        Some(outcomes) => outcomes,
        None => read_in_parallel(&data, |j, input| {
            read_file(input, (first + j) as u16, options, &annual, make())
        })?,
    };
    let mut sink = make();
    let mut unlisted: BTreeMap<(UnlistedField, String), (u64, i64)> = BTreeMap::new();
    for (j, outcome) in outcomes.into_iter().enumerate() {
        sink.merge(outcome.sink);
        for ((flow, year, quarter), rows) in outcome.superseded {
            let by = annual.get(&(flow, year)).copied().ok_or(Error::Internal(
                "rows set aside for an annual file that is not there",
            ))?;
            report.superseded.push(Superseded {
                file: first + j,
                by: usize::from(by),
                flow,
                year,
                quarter,
                rows,
            });
        }
        report.files.push(outcome.report);
        report.rejected.extend(outcome.rejected);
        for (key, (rows, value)) in outcome.unlisted {
            let e = unlisted.entry(key).or_insert((0, 0));
            e.0 += rows;
            e.1 += value;
        }
    }
    report.unlisted = unlisted
        .into_iter()
        .map(|((field, code), (rows, value_eur))| Unlisted {
            field,
            code,
            rows,
            value_eur,
        })
        .collect();
    Ok((sink, labels, report))
}

/// The annual regional files: (flow, year) → their index in the report. Two annual files of
/// one flow and year are refused, naming both: which of them holds the year's figures
/// cannot be told.
fn annual_files(data: &[&Input], first: usize) -> Result<BTreeMap<(Flow, u16), u16>> {
    let mut annual: BTreeMap<(Flow, u16), u16> = BTreeMap::new();
    for (j, input) in data.iter().enumerate() {
        if let FileKind::Regional {
            flow,
            year: Some(y),
        } = input.kind
        {
            if let Some(&other) = annual.get(&(flow, y)) {
                let other = data[usize::from(other) - first];
                return Err(Error::File {
                    path: input.path.clone(),
                    message: format!(
                        "a second annual file of {} {y}: {} also gives that year",
                        flow.name(),
                        other.path.display()
                    ),
                });
            }
            annual.insert((flow, y), (first + j) as u16);
        }
    }
    Ok(annual)
}

/// The built-in labels overridden by the label files of the inputs (each listed in the
/// report).
fn read_labels(inputs: &[Input], report: &mut LoadReport) -> Result<Labels> {
    let mut labels = Labels::builtin();
    for input in inputs {
        if let FileKind::Labels(kind) = input.kind {
            let n = labels.apply_file(kind, &input.path, &input.read_all()?)? as u64;
            report.files.push(FileReport {
                path: input.path.clone(),
                kind: input.kind,
                rows_read: n,
                rows_loaded: n,
                rows_rejected: 0,
                rows_superseded: 0,
            });
        }
    }
    Ok(labels)
}

/// A data file cut into the pieces of its places: the file they are read from (none for
/// bytes in memory), its length and the pieces.
struct Cut {
    file: Option<std::fs::File>,
    len: u64,
    pieces: Vec<Piece>,
}

impl Cut {
    /// The bytes of `input` (the input this cut was made from).
    fn bytes<'a>(&'a self, input: &'a Input) -> Option<Bytes<'a>> {
        match (&input.source, &self.file) {
            (Source::Bytes(b), _) => Some(Bytes::Memory(b)),
            (_, Some(f)) => Some(Bytes::File(f, self.len)),
            _ => None,
        }
    }
}

/// `input` cut into the pieces of its places (see [`split`]), or `None` when it is read
/// whole: a national file, a zip member, or a regional file not in DGDDI's layout (which the
/// whole reading then accepts or explains).
fn cut(input: &Input) -> Result<Option<Cut>> {
    let io = |e| Error::io(&input.path, e);
    let (file, len) = match (&input.kind, &input.source) {
        (FileKind::Regional { .. }, Source::File(p)) => {
            let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            let len = f.metadata().map_err(|e| Error::io(p, e))?.len();
            super::cache::prepare(&f, len);
            (Some(f), len)
        }
        (FileKind::Regional { .. }, Source::Bytes(b)) => (None, b.len() as u64),
        _ => return Ok(None),
    };
    let mut cut = Cut {
        file,
        len,
        pieces: Vec::new(),
    };
    let Some(bytes) = cut.bytes(input) else {
        return Ok(None);
    };
    let mut buf = Vec::new();
    let head = bytes.range(0, 8192, &mut buf).map_err(io)?;
    if memchr::memchr(0, head).is_some() {
        return Ok(None);
    }
    let start = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match split::pieces(&bytes, start).map_err(io)? {
        Some(pieces) if !pieces.is_empty() => {
            cut.pieces = pieces;
            Ok(Some(cut))
        }
        _ => Ok(None),
    }
}

/// What the threads of [`read_split`] share: the files, how they are cut, and the jobs
/// (file, piece or the whole file, size).
struct Split<'a, M> {
    data: &'a [&'a Input],
    first: usize,
    options: &'a LoadOptions,
    annual: &'a BTreeMap<(Flow, u16), u16>,
    make: &'a M,
    cuts: Vec<Option<Cut>>,
    jobs: Vec<(usize, Option<usize>, u64)>,
    next: AtomicUsize,
    stop: AtomicBool,
}

/// What one thread of [`read_split`] read: (file, outcome) for each file it read a part of,
/// or `None` when it met something the pieces do not take.
type Parts<S> = Option<Vec<(usize, Outcome<S>)>>;

/// Reads the data files as [`load`] does, for a sink whose sums do not depend on the order
/// of the rows: each regional file `wanted` in the pieces of its places, the others whole; the
/// threads take the pieces of every file, largest first, and each thread sums a file's
/// pieces into one sink. `None` when something the pieces do not take is met (a line the
/// parser refuses, a blank line, a file that fails): the files are then read whole, in order,
/// and the error or the report is the same as without pieces.
fn read_split<S: Sink, M: Fn() -> S + Sync>(
    data: &[&Input],
    wanted: &[bool],
    first: usize,
    options: &LoadOptions,
    annual: &BTreeMap<(Flow, u16), u16>,
    make: &M,
) -> Result<Option<Vec<Outcome<S>>>> {
    let Ok(cuts) = read_in_parallel(data, |j, input| match wanted[j] {
        true => cut(input),
        false => Ok(None),
    }) else {
        return Ok(None);
    };
    // File by file (a thread moves on to another file once, and sets the sink of the first
    // aside), the largest pieces first (the threads end together on the smallest ones).
    let mut jobs: Vec<(usize, Option<usize>, u64)> = Vec::new();
    for (j, c) in cuts.iter().enumerate() {
        match c {
            Some(c) => {
                jobs.extend(
                    c.pieces
                        .iter()
                        .enumerate()
                        .map(|(k, p)| (j, Some(k), p.size())),
                );
            }
            None => jobs.push((j, None, data[j].size_hint())),
        }
    }
    jobs.sort_by_key(|job| (job.0, std::cmp::Reverse(job.2)));
    let split = Split {
        data,
        first,
        options,
        annual,
        make,
        cuts,
        jobs,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    let parts: Vec<Parts<S>> = crate::cores::each_core(|| split.take_jobs())
        .into_iter()
        .map(Option::flatten)
        .collect();
    let mut outcomes: Vec<Option<Outcome<S>>> = (0..data.len()).map(|_| None).collect();
    for part in parts {
        let Some(part) = part else { return Ok(None) };
        for (j, o) in part {
            match &mut outcomes[j] {
                Some(mine) => mine.absorb(o),
                slot @ None => *slot = Some(o),
            }
        }
    }
    Ok(outcomes.into_iter().collect())
}

impl<M> Split<'_, M> {
    /// One thread's work: jobs taken from the shared list until none is left, each file's
    /// pieces summed into one reader of that file. At a failure, every thread stops.
    fn take_jobs<S: Sink>(&self) -> Parts<S>
    where
        M: Fn() -> S + Sync,
    {
        let mut readers: Vec<Option<FileReader<'_, S>>> =
            (0..self.data.len()).map(|_| None).collect();
        let mut done = Vec::new();
        // The bytes of a block and the rows of a run, kept from piece to piece. (The rows'
        // buffer, made for each piece, grew again each time: 147 of a run's 796 `mprotect`s,
        // each growing a thread's heap by a few pages.)
        let (mut buf, mut run) = (Vec::new(), Vec::new());
        let mut last: Option<usize> = None;
        loop {
            let k = self.next.fetch_add(1, Ordering::Relaxed);
            if k >= self.jobs.len() || self.stop.load(Ordering::Relaxed) {
                break;
            }
            let (j, piece, _) = self.jobs[k];
            if let Some(r) = last.filter(|&l| l != j).and_then(|l| readers[l].as_mut()) {
                r.sink.set_aside();
            }
            last = Some(j);
            let (input, source) = (self.data[j], (self.first + j) as u16);
            let ok = match (piece, &self.cuts[j], input.kind) {
                (Some(p), Some(cut), FileKind::Regional { flow, .. }) => {
                    let reader = readers[j].get_or_insert_with(|| {
                        FileReader::new(input, source, self.options, self.annual, (self.make)())
                    });
                    cut.bytes(input).is_some_and(|bytes| {
                        let piece = &cut.pieces[p];
                        read_piece(reader, flow, &bytes, piece, &mut buf, &mut run).unwrap_or(false)
                    })
                }
                (None, ..) => {
                    let sink = (self.make)();
                    read_file(input, source, self.options, self.annual, sink)
                        .map(|outcome| done.push((j, outcome)))
                        .is_ok()
                }
                _ => false,
            };
            if !ok {
                self.stop.store(true, Ordering::Relaxed);
                return None;
            }
        }
        for (j, r) in readers.into_iter().enumerate() {
            if let Some(r) = r {
                done.push((j, r.outcome()));
            }
        }
        Some(done)
    }
}

/// Reads the blocks of one piece of a regional file into `reader`, as the whole reading
/// would read them; `false` at a line it would refuse or explain (a bad or blank line),
/// whose number is not known here.
fn read_piece<S: Sink>(
    reader: &mut FileReader<'_, S>,
    flow: Flow,
    bytes: &Bytes<'_>,
    piece: &Piece,
    buf: &mut Vec<u8>,
    run: &mut Vec<RunRow>,
) -> std::io::Result<bool> {
    let mut parser = RegionalParser::new(flow);
    // `run`: the rows of a run, taken by the sink at once (their line numbers are not known
    // here).
    let mass = reader.sink.reads_mass();
    for &(from, to) in &piece.ranges {
        let block = bytes.range(from, to, buf)?;
        let mut pos = 0;
        while pos < block.len() {
            run.clear();
            let parsed = match mass {
                true => parser.parse_run_at::<true>(block, pos, run),
                false => parser.parse_run_at::<false>(block, pos, run),
            };
            if let Some((head, next)) = parsed {
                reader.regional_run(&head, run);
                pos = next;
                continue;
            }
            let end = memchr::memchr(b'\n', &block[pos..]).map_or(block.len(), |i| pos + i);
            let line = &block[pos..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match parser.parse_general(line) {
                Ok(row) => reader.regional(&row, 0),
                Err(_) => return Ok(false),
            }
            pos = end + 1;
        }
    }
    Ok(true)
}

impl<S: Sink> Outcome<S> {
    /// Adds what another part of the same file gave.
    fn absorb(&mut self, other: Outcome<S>) {
        self.sink.merge(other.sink);
        let (mine, theirs) = (&mut self.report, other.report);
        mine.rows_read += theirs.rows_read;
        mine.rows_loaded += theirs.rows_loaded;
        mine.rows_rejected += theirs.rows_rejected;
        mine.rows_superseded += theirs.rows_superseded;
        self.rejected.extend(other.rejected);
        for (key, rows) in other.superseded {
            *self.superseded.entry(key).or_default() += rows;
        }
        for (key, (rows, value)) in other.unlisted {
            let e = self.unlisted.entry(key).or_insert((0, 0));
            e.0 += rows;
            e.1 += value;
        }
    }
}

/// Runs `read` on every input, one input per thread at a time, the largest first (so that
/// the threads finish together); results in input order. The first error in input order
/// wins (deterministic); after an error, inputs not yet started are not read.
fn read_in_parallel<T: Send>(
    inputs: &[&Input],
    read: impl Fn(usize, &Input) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&j| std::cmp::Reverse(inputs[j].size_hint()));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Result<T>>>> =
        Mutex::new((0..inputs.len()).map(|_| None).collect());
    // A thread that fails leaves its input without a result: an error below.
    crate::cores::each_core(|| loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        if k >= order.len() || failed.load(Ordering::Relaxed) {
            break;
        }
        let j = order[k];
        let outcome = read(j, inputs[j]);
        if outcome.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        if let Ok(mut r) = results.lock() {
            r[j] = Some(outcome);
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| Error::Internal("a reader thread failed"))?;
    if let Some(e) = results.iter().position(|r| matches!(r, Some(Err(_)))) {
        if let Some(Some(Err(err))) = results.into_iter().nth(e) {
            return Err(err);
        }
        return Err(Error::Internal("a reader thread failed"));
    }
    results
        .into_iter()
        .map(|r| match r {
            Some(Ok(t)) => Ok(t),
            _ => Err(Error::Internal("a file was not read")),
        })
        .collect()
}

/// The state of the reading of one data file.
struct FileReader<'a, S> {
    input: &'a Input,
    source: u16,
    options: &'a LoadOptions,
    annual: &'a BTreeMap<(Flow, u16), u16>,
    quarters_file: bool,
    sink: S,
    report: FileReport,
    rejected: Vec<Rejection>,
    superseded: BTreeMap<(Flow, u16, u8), u64>,
    unlisted: BTreeMap<(UnlistedField, String), (u64, i64)>,
}

impl<'a, S: Sink> FileReader<'a, S> {
    /// The reader of `input`, the `source`-th file of the report, into `sink`.
    fn new(
        input: &'a Input,
        source: u16,
        options: &'a LoadOptions,
        annual: &'a BTreeMap<(Flow, u16), u16>,
        sink: S,
    ) -> Self {
        FileReader {
            input,
            source,
            options,
            annual,
            quarters_file: matches!(input.kind, FileKind::Regional { year: None, .. }),
            sink,
            report: FileReport {
                path: input.path.clone(),
                kind: input.kind,
                rows_read: 0,
                rows_loaded: 0,
                rows_rejected: 0,
                rows_superseded: 0,
            },
            rejected: Vec::new(),
            superseded: BTreeMap::new(),
            unlisted: BTreeMap::new(),
        }
    }

    /// What the reading gave.
    fn outcome(self) -> Outcome<S> {
        Outcome {
            sink: self.sink,
            report: self.report,
            rejected: self.rejected,
            superseded: self.superseded,
            unlisted: self.unlisted,
        }
    }

    /// Counts `n` rows read with `head`'s flow, year and quarter; `true` when they are set
    /// aside for an annual file of that flow and year.
    #[inline]
    fn superseded(&mut self, head: &RegionalRow, n: u64) -> bool {
        self.report.rows_read += n;
        if self.quarters_file && self.annual.contains_key(&(head.flow, head.year)) {
            *self
                .superseded
                .entry((head.flow, head.year, head.quarter))
                .or_default() += n;
            self.report.rows_superseded += n;
            return true;
        }
        false
    }

    /// Notes the codes of a loaded row that are well formed but not listed.
    #[inline]
    fn note_codes(&mut self, row: &RegionalRow) {
        if let Place::Unlisted(u) = row.place {
            self.note_unlisted(UnlistedField::Departement, u.code(), row.value);
            if u.region().is_none() {
                self.note_unlisted(UnlistedField::Region, u.dgddi_region_code(), row.value);
            }
        }
        if !row.a129.is_listed() {
            self.note_unlisted(UnlistedField::A129, &row.a129.code(), row.value);
        }
    }

    /// A good regional row: loaded, or set aside for an annual file.
    #[inline]
    fn regional(&mut self, row: &RegionalRow, line_no: u64) {
        if self.superseded(row, 1) {
            return;
        }
        self.note_codes(row);
        self.sink.regional(row, self.source, line_no);
        self.report.rows_loaded += 1;
    }

    /// A run of good rows (see [`Sink::regional_run`]): as [`FileReader::regional`] row by
    /// row, with the fields they share looked at once.
    #[inline]
    fn regional_run(&mut self, head: &RegionalRow, rows: &[RunRow]) {
        let n = rows.len() as u64;
        if self.superseded(head, n) {
            return;
        }
        if matches!(head.place, Place::Unlisted(_)) || !head.a129.is_listed() {
            for r in rows {
                self.note_codes(&head.with(r));
            }
        }
        self.sink.regional_run(head, rows, self.source);
        self.report.rows_loaded += n;
    }

    /// Counts a loaded row whose code of `field` is well formed but not listed.
    #[cold]
    fn note_unlisted(&mut self, field: UnlistedField, code: &str, value: i64) {
        let e = self
            .unlisted
            .entry((field, code.to_owned()))
            .or_insert((0, 0));
        e.0 += 1;
        e.1 += value;
    }

    /// A good national row.
    fn national(&mut self, row: &NationalRow, line_no: u64) {
        self.report.rows_read += 1;
        if let Some(a) = row.a129.filter(|a| !a.is_listed()) {
            self.note_unlisted(UnlistedField::A129, &a.code(), row.value);
        }
        self.sink.national(row, self.source, line_no);
        self.report.rows_loaded += 1;
    }

    /// A bad row: the error (strict) or a line of the rejection report (skip).
    fn bad(&mut self, line_no: u64, line: &[u8], e: FieldError) -> Result<()> {
        self.report.rows_read += 1;
        match self.options.on_error {
            OnError::Fail => Err(to_error(&self.input.path, line_no, e)),
            OnError::Skip => {
                self.report.rows_rejected += 1;
                self.rejected.push(Rejection {
                    path: self.input.path.clone(),
                    line: line_no,
                    reason: reason(&e),
                    raw: String::from_utf8_lossy(line).into_owned(),
                });
                Ok(())
            }
        }
    }
}

/// The lines of a regional file: the fast path, else the general parser.
struct RegionalLines<'r, 'a, S> {
    reader: &'r mut FileReader<'a, S>,
    parser: RegionalParser,
}

impl<S: Sink> Lines for RegionalLines<'_, '_, S> {
    #[inline]
    fn fast(&mut self, block: &[u8], pos: usize, line: u64) -> Option<usize> {
        let (row, next) = self.parser.parse_canonical_at(block, pos)?;
        self.reader.regional(&row, line);
        Some(next)
    }

    fn line(&mut self, line: u64, bytes: &[u8]) -> Result<()> {
        match self.parser.parse_general(bytes) {
            Ok(row) => {
                self.reader.regional(&row, line);
                Ok(())
            }
            Err(e) => self.reader.bad(line, bytes, e),
        }
    }
}

/// The lines of a national file; its layout (8 fields in 2012–2015, else 10) is that of its
/// first line.
struct NationalLines<'r, 'a, S> {
    reader: &'r mut FileReader<'a, S>,
    flow: Flow,
    fields: Option<usize>,
}

impl<S: Sink> Lines for NationalLines<'_, '_, S> {
    fn fast(&mut self, _block: &[u8], _pos: usize, _line: u64) -> Option<usize> {
        None
    }

    fn line(&mut self, line: u64, bytes: &[u8]) -> Result<()> {
        let n = *self.fields.get_or_insert_with(|| {
            if memchr::memchr_iter(b';', bytes).count() == 7 {
                8
            } else {
                10
            }
        });
        match national::parse_line(bytes, self.flow, n) {
            Ok(row) => {
                self.reader.national(&row, line);
                Ok(())
            }
            Err(e) => self.reader.bad(line, bytes, e),
        }
    }
}

/// Reads one data file into `sink`.
fn read_file<S: Sink>(
    input: &Input,
    source: u16,
    options: &LoadOptions,
    annual: &BTreeMap<(Flow, u16), u16>,
    sink: S,
) -> Result<Outcome<S>> {
    let mut r = FileReader::new(input, source, options, annual, sink);
    match input.kind {
        FileKind::Regional { flow, .. } => {
            let mut lines = RegionalLines {
                reader: &mut r,
                parser: RegionalParser::new(flow),
            };
            input.with_reader(|reader| read_lines(reader, &input.path, &mut lines))?;
        }
        FileKind::National { flow, .. } => {
            let mut lines = NationalLines {
                reader: &mut r,
                flow,
                fields: None,
            };
            input.with_reader(|reader| read_lines(reader, &input.path, &mut lines))?;
        }
        FileKind::Labels(_) => {
            return Err(Error::Request(format!(
                "{}: a label file is not a data file",
                input.path.display()
            )))
        }
    }
    Ok(r.outcome())
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
