//! A loaded dataset: the rows of the DGDDI files, the labels, and the account of the load.

use std::path::{Path, PathBuf};

use crate::codes::Level;
use crate::compute::cube::{Cube, CubeBuilder};
use crate::error::{Error, Result};
use crate::factsheet::{build, Factsheet, FactsheetOptions, SourceInfo};
use crate::nomenclature::Labels;
use crate::read::national::{NationalRow, NationalTable};
use crate::read::regional::{RegionalRow, RegionalTable};
use crate::read::{discover, load, Input, LoadOptions, LoadReport, Sink};
use crate::territory::Territory;

/// The rows of a load (the sink of [`Dataset`]).
#[derive(Debug, Default)]
struct Rows {
    regional: RegionalTable,
    national: NationalTable,
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
}

/// The DGDDI data of a folder: regional and national rows, labels, and the load report.
///
/// ```
/// use tradeflows::{Dataset, FactsheetOptions, Territory};
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse::<Territory>()?, &FactsheetOptions::default())?;
/// assert_eq!(fs.territory.name, "Côtes-d'Armor");
/// assert!(fs.source.demo);
/// // Every top list sums to its total.
/// let sum: i64 = fs.exports.top_partners.iter().map(|p| p.value_eur).sum();
/// assert_eq!(sum, fs.exports.total_eur);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dataset {
    regional: RegionalTable,
    national: NationalTable,
    labels: Labels,
    report: LoadReport,
    origin: Origin,
}

impl Dataset {
    /// Loads the DGDDI files under `path` (folder, file or zip), strictly.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        Dataset::load_with(path, &LoadOptions::default())
    }

    /// Loads the DGDDI files under `path` with options (e.g. skip bad rows).
    pub fn load_with(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Self> {
        let path = path.as_ref();
        let (inputs, duplicates) = discover(path)?;
        let mut data = Dataset::from_inputs(&inputs, options, Origin::of_path(path))?;
        data.report.duplicates = duplicates;
        Ok(data)
    }

    /// Loads files already in memory (each named as DGDDI names it).
    pub fn from_inputs(inputs: &[Input], options: &LoadOptions, origin: Origin) -> Result<Self> {
        let (rows, labels, report) = load(inputs, options, Rows::default)?;
        Ok(Dataset {
            regional: rows.regional,
            national: rows.national,
            labels,
            report,
            origin,
        })
    }

    /// The built-in demonstration dataset: synthetic, deterministic, in the DGDDI layout
    /// (see [`crate::demo`]). Not official figures.
    pub fn demo() -> Result<Self> {
        crate::demo::dataset(&crate::demo::DemoOptions::default())
    }

    /// A demonstration dataset of another size, year or seed.
    pub fn demo_with(options: &crate::demo::DemoOptions) -> Result<Self> {
        crate::demo::dataset(options)
    }

    /// The regional rows.
    pub fn regional(&self) -> &RegionalTable {
        &self.regional
    }

    /// The national rows.
    pub fn national(&self) -> &NationalTable {
        &self.national
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
        let mut seen = [false; 1100];
        for &y in &self.regional.year {
            if let Some(s) = seen.get_mut(usize::from(y).saturating_sub(1900)) {
                *s = true;
            }
        }
        (0..seen.len())
            .filter(|&i| seen[i])
            .map(|i| 1900 + i as u16)
            .collect()
    }

    /// The latest year of the regional rows.
    pub fn latest_year(&self) -> Option<u16> {
        self.years().last().copied()
    }

    /// Aggregates a year (default: the latest) at a product level.
    pub fn cube(&self, year: Option<u16>, level: Level) -> Result<Cube> {
        let year = pick_year(&self.years(), year)?;
        let mut b = CubeBuilder::new(level);
        let t = &self.regional;
        for i in (0..t.len()).filter(|&i| t.year[i] == year) {
            if let Some(row) = t.row(i) {
                b.add(&row);
            }
        }
        b.finish();
        Ok(b.cube(year))
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

    /// The factsheet of one territory from a cube already built (for many territories); the
    /// cube fixes year and level, `options` gives the top and highlight counts.
    pub fn factsheet_from(
        &self,
        cube: &Cube,
        territory: &Territory,
        options: &FactsheetOptions,
    ) -> Factsheet {
        build(cube, territory, options, &self.labels, &self.origin)
    }
}
