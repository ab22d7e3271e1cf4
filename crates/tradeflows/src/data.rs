//! Loaded DGDDI data: what the factsheets are computed from. [`Dataset`] keeps the rows (for
//! notebooks and checks); [`Summary`] aggregates them as they are read and keeps no row (the
//! command line's way: small memory whatever the size of the files). Both are a
//! [`Loaded`] with a different store, so everything but the store is written once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::codes::Level;
use crate::compute::{Cube, CubeBuilder, Keep};
use crate::error::{Error, Result};
use crate::model::{Factsheet, FactsheetOptions, SourceInfo, Territory};
use crate::nomenclature::Labels;
use crate::read::national::{NationalRow, NationalTable};
use crate::read::regional::{RegionalRow, RegionalTable};
use crate::read::{discover, load, FileKind, Input, LoadOptions, LoadReport, Sink};

/// Where a dataset comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// DGDDI files under this path.
    Files(PathBuf),
    /// The built-in synthetic demonstration data.
    Demo,
    /// Demonstration data written as files (`tradeflows demo`) and read from this folder.
    DemoFiles(PathBuf),
}

impl Origin {
    /// Whether these are demonstration data (built in, or written by `tradeflows demo`).
    pub fn is_demo(&self) -> bool {
        matches!(self, Origin::Demo | Origin::DemoFiles(_))
    }

    /// The sentence naming the source, written in every output.
    pub fn source_info(&self) -> SourceInfo {
        if self.is_demo() {
            SourceInfo {
                demo: true,
                description: "Données de démonstration synthétiques (générées par tradeflows) : ce ne sont pas des chiffres officiels".into(),
            }
        } else {
            SourceInfo {
                demo: false,
                description: "DGDDI, statistiques régionales et départementales du commerce extérieur (open data)".into(),
            }
        }
    }

    /// The origin of files read from `path`: demonstration data if the folder says so.
    pub fn of_path(path: &Path) -> Self {
        if crate::demo::is_demo_folder(path) {
            Origin::DemoFiles(path.to_owned())
        } else {
            Origin::Files(path.to_owned())
        }
    }

    /// The folder or file the data were read from (`None` for the built-in data).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::Files(p) | Origin::DemoFiles(p) => Some(p),
            Origin::Demo => None,
        }
    }
}

/// The year asked for if the data have it, else the latest year of the data.
pub(crate) fn pick_year(years: &[u16], year: Option<u16>) -> Result<u16> {
    match year {
        Some(y) if years.contains(&y) => Ok(y),
        Some(y) => Err(Error::Request(format!(
            "no regional data for {y}; the files give {}",
            years
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        None => years.last().copied().ok_or_else(|| {
            Error::Request("no regional rows: a factsheet needs the regional file".into())
        }),
    }
}

/// What a [`Loaded`] keeps of the rows: the rows themselves ([`Rows`]) or their aggregates
/// ([`CubeBuilder`]).
pub trait Store: Sink + Sync + Sized {
    /// The years of the regional rows, ascending.
    fn years(&self) -> Vec<u16>;
    /// Aggregates `year` at `level`.
    fn build_cube(&self, year: u16, level: Level) -> Result<Cube>;
    /// Aggregates `year` at `level`, handing over what the store holds for it when that
    /// saves memory (see [`Loaded::keep_cube`]).
    fn take_cube(&mut self, year: u16, level: Level) -> Result<Cube> {
        self.build_cube(year, level)
    }
}

/// The rows of a load, column by column.
#[derive(Debug, Default, Clone)]
pub struct Rows {
    /// The regional rows.
    pub regional: RegionalTable,
    /// The national rows.
    pub national: NationalTable,
}

impl Sink for Rows {
    fn regional(&mut self, row: &RegionalRow, source: u16, line: u64) {
        self.regional
            .push(*row, source, u32::try_from(line).unwrap_or(u32::MAX));
    }
    fn national(&mut self, row: &NationalRow, source: u16, line: u64) {
        self.national
            .push(*row, source, u32::try_from(line).unwrap_or(u32::MAX));
    }
    fn merge(&mut self, other: Self) {
        self.regional.append(other.regional);
        self.national.append(other.national);
    }
}

impl Store for Rows {
    fn years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = Vec::new();
        for &y in &self.regional.year {
            if years.last() != Some(&y) && !years.contains(&y) {
                years.push(y);
            }
        }
        years.sort_unstable();
        years
    }

    fn build_cube(&self, year: u16, level: Level) -> Result<Cube> {
        // Every row: the other years give the history, the year before the change.
        let mut b = CubeBuilder::for_year(level, year);
        for row in self.regional.rows() {
            b.add(&row);
        }
        b.take_cube(year)
    }
}

impl Store for CubeBuilder {
    fn years(&self) -> Vec<u16> {
        CubeBuilder::years(self)
    }

    fn build_cube(&self, year: u16, level: Level) -> Result<Cube> {
        self.check_level(level)?;
        self.cube(year)
    }

    fn take_cube(&mut self, year: u16, level: Level) -> Result<Cube> {
        self.check_level(level)?;
        CubeBuilder::take_cube(self, year)
    }
}

impl CubeBuilder {
    fn check_level(&self, level: Level) -> Result<()> {
        if level == self.level() {
            Ok(())
        } else {
            Err(Error::Request(format!(
                "these data were aggregated at level {}, not {level}: load them again at {level}",
                self.level()
            )))
        }
    }
}

/// The cubes built so far, by (year, level).
type Cubes = Mutex<Vec<((u16, Level), Arc<Cube>)>>;

/// DGDDI data loaded from files (or the demonstration data): a store of the rows, the
/// labels (built in, overridden by the label files found), the account of the load and where
/// the data come from. Cubes are built on demand and kept, so each (year, level) is
/// aggregated once however many factsheets are drawn from it.
pub struct Loaded<S> {
    store: S,
    labels: Labels,
    report: LoadReport,
    origin: Origin,
    cubes: Cubes,
}

/// The rows kept in memory (notebooks, checks): see [`Loaded`].
///
/// ```
/// use tradeflows::{Dataset, FactsheetOptions, Territory};
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse::<Territory>()?, &FactsheetOptions::default())?;
/// assert_eq!(fs.territory.name(), "Côtes-d'Armor");
/// assert!(fs.source.demo);
/// // Every top list sums to its total.
/// let sum: i64 = fs.exports.top_partners.iter().map(|p| p.value_eur).sum();
/// assert_eq!(sum, fs.exports.total_eur);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Dataset = Loaded<Rows>;

/// The rows aggregated at one level as they are read, none kept (the command line's way):
/// see [`Loaded`]. Gives the same factsheets as a [`Dataset`] (a test checks it).
///
/// ```
/// use tradeflows::{FactsheetOptions, Level, Summary};
/// let summary = Summary::demo(Level::A129)?;
/// let fs = summary.factsheet(&"22".parse()?, &FactsheetOptions::default())?;
/// assert_eq!(fs.territory.name(), "Côtes-d'Armor");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Summary = Loaded<CubeBuilder>;

impl<S: std::fmt::Debug> std::fmt::Debug for Loaded<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("origin", &self.origin)
            .field("rows_loaded", &self.report.rows_loaded())
            .finish_non_exhaustive()
    }
}

impl<S: Clone> Clone for Loaded<S> {
    fn clone(&self) -> Self {
        Loaded {
            store: self.store.clone(),
            labels: self.labels.clone(),
            report: self.report.clone(),
            origin: self.origin.clone(),
            cubes: Mutex::new(Vec::new()),
        }
    }
}

impl<S: Store> Loaded<S> {
    /// Reads the inputs into a store made by `make` (one per reader thread, merged).
    fn read(
        inputs: &[Input],
        options: &LoadOptions,
        origin: Origin,
        make: impl Fn() -> S + Sync,
    ) -> Result<Self> {
        let (store, labels, report) = load(inputs, options, make)?;
        Ok(Loaded {
            store,
            labels,
            report,
            origin,
            cubes: Mutex::new(Vec::new()),
        })
    }

    /// Finds the files under `path` and reads them.
    fn read_path(path: &Path, options: &LoadOptions, make: impl Fn() -> S + Sync) -> Result<Self> {
        let (inputs, duplicates) = discover(path)?;
        let mut data = Self::read(&inputs, options, Origin::of_path(path), make)?;
        data.report.duplicates = duplicates;
        Ok(data)
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The labels (built in, overridden by the label files found).
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The account of the load.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// Where the data come from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Whether these are demonstration data (built in, or written by `tradeflows demo`).
    pub fn is_demo(&self) -> bool {
        self.origin.is_demo()
    }

    /// The source sentence written in every output.
    pub fn source_info(&self) -> SourceInfo {
        self.origin.source_info()
    }

    /// The years of the regional rows, ascending.
    pub fn years(&self) -> Vec<u16> {
        self.store.years()
    }

    /// The latest year of the regional rows.
    pub fn latest_year(&self) -> Option<u16> {
        self.years().last().copied()
    }

    /// A year (default: the latest) aggregated at a product level; built once, then kept.
    pub fn cube(&self, year: Option<u16>, level: Level) -> Result<Arc<Cube>> {
        let year = pick_year(&self.years(), year)?;
        let cached = |cubes: &[((u16, Level), Arc<Cube>)]| {
            cubes
                .iter()
                .find(|(k, _)| *k == (year, level))
                .map(|(_, c)| c.clone())
        };
        if let Some(c) = self.cubes.lock().ok().and_then(|c| cached(&c)) {
            return Ok(c);
        }
        let cube = Arc::new(self.store.build_cube(year, level)?);
        if let Ok(mut cubes) = self.cubes.lock() {
            if let Some(c) = cached(&cubes) {
                return Ok(c);
            }
            cubes.push(((year, level), cube.clone()));
        }
        Ok(cube)
    }

    /// Builds the cube of `year` (default: the latest) at `level` and keeps it, letting the
    /// store hand over what it holds for it: a [`Summary`]'s detail is then freed as the
    /// cube is built, so the peak memory is the load's. [`Loaded::cube`] then returns it.
    pub fn keep_cube(&mut self, year: Option<u16>, level: Level) -> Result<Arc<Cube>> {
        let year = pick_year(&self.years(), year)?;
        let cube = Arc::new(self.store.take_cube(year, level)?);
        if let Ok(mut cubes) = self.cubes.lock() {
            cubes.retain(|(k, _)| *k != (year, level));
            cubes.push(((year, level), cube.clone()));
        }
        Ok(cube)
    }

    /// The factsheet of one territory for the latest year.
    pub fn factsheet(
        &self,
        territory: &Territory,
        options: &FactsheetOptions,
    ) -> Result<Factsheet> {
        let cube = self.cube(None, options.level)?;
        Ok(self.factsheet_from(&cube, territory, options))
    }

    /// The factsheet of one territory from a cube of these data (the cube fixes year and
    /// level; `options` gives the top and highlight counts).
    pub fn factsheet_from(
        &self,
        cube: &Cube,
        territory: &Territory,
        options: &FactsheetOptions,
    ) -> Factsheet {
        Factsheet::build(cube, *territory, options, &self.labels, &self.source_info())
    }
}

impl Dataset {
    /// Loads the DGDDI files under `path` (folder, file or zip), strictly.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        Dataset::load_with(path, &LoadOptions::default())
    }

    /// Loads the DGDDI files under `path` with options (e.g. skip bad rows).
    pub fn load_with(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Self> {
        Self::read_path(path.as_ref(), options, Rows::default)
    }

    /// Loads files already in memory (each named as DGDDI names it).
    pub fn from_inputs(inputs: &[Input], options: &LoadOptions, origin: Origin) -> Result<Self> {
        Self::read(inputs, options, origin, Rows::default)
    }

    /// The built-in demonstration dataset: synthetic, deterministic, in the DGDDI layout
    /// (see [`crate::demo`]). Not official figures.
    pub fn demo() -> Result<Self> {
        Dataset::demo_with(&crate::demo::DemoOptions::default())
    }

    /// A demonstration dataset of another size, year or seed.
    pub fn demo_with(options: &crate::demo::DemoOptions) -> Result<Self> {
        Dataset::from_inputs(
            &crate::demo::generate(options),
            &LoadOptions::default(),
            Origin::Demo,
        )
    }

    /// The regional rows.
    pub fn regional(&self) -> &RegionalTable {
        &self.store.regional
    }

    /// The national rows.
    pub fn national(&self) -> &NationalTable {
        &self.store.national
    }
}

impl Summary {
    /// Reads the DGDDI files under `path` (folder, file or zip) and aggregates them at
    /// `level`, with `year` (default: the latest) as the reference year: it is kept in full
    /// detail, the year before by quarter, product and partner (for the change), every other
    /// year by its totals only, so memory does not grow with the number of years.
    pub fn load(
        path: impl AsRef<Path>,
        options: &LoadOptions,
        level: Level,
        year: Option<u16>,
    ) -> Result<Self> {
        let (inputs, duplicates) = discover(path.as_ref())?;
        let origin = Origin::of_path(path.as_ref());
        let mut s = Summary::from_inputs(&inputs, options, level, year, origin)?;
        s.report.duplicates = duplicates;
        Ok(s)
    }

    /// Aggregates the inputs at `level` (see [`Summary::load`]). Without a year, the latest
    /// is known before reading when every regional file is an annual one (its name gives the
    /// year); otherwise the latest year seen is kept in detail as the files are read.
    pub fn from_inputs(
        inputs: &[Input],
        options: &LoadOptions,
        level: Level,
        year: Option<u16>,
        origin: Origin,
    ) -> Result<Self> {
        let named: Vec<Option<u16>> = inputs
            .iter()
            .filter_map(|i| match i.kind {
                FileKind::Regional { year, .. } => Some(year),
                _ => None,
            })
            .collect();
        let year = year.or_else(|| {
            named
                .iter()
                .all(Option::is_some)
                .then(|| named.iter().flatten().max().copied())
                .flatten()
        });
        let keep = year.map_or(Keep::Latest, Keep::Year);
        let make = || CubeBuilder::keeping(level, keep);
        Self::read(inputs, options, origin, make)
    }

    /// The built-in demonstration data, aggregated at `level`.
    pub fn demo(level: Level) -> Result<Self> {
        let inputs = crate::demo::generate(&crate::demo::DemoOptions {
            national: false,
            ..Default::default()
        });
        Summary::from_inputs(&inputs, &LoadOptions::default(), level, None, Origin::Demo)
    }

    /// The product level of the aggregates.
    pub fn level(&self) -> Level {
        self.store.level()
    }
}
