//! A load that keeps the aggregates, not the rows: the fast path of the command line.

use std::path::Path;

use crate::codes::Level;
use crate::compute::cube::{Cube, CubeBuilder};
use crate::dataset::{pick_year, Origin};
use crate::error::Result;
use crate::factsheet::{build, Factsheet, FactsheetOptions, SourceInfo};
use crate::nomenclature::Labels;
use crate::read::{discover, load, Input, LoadOptions, LoadReport};
use crate::territory::Territory;

/// The regional files of a folder aggregated at one product level as they are read, without
/// keeping the rows: memory stays small whatever the size of the files. Gives the same
/// factsheets as a [`Dataset`](crate::Dataset) (a test checks it).
///
/// ```
/// use tradeflows::{FactsheetOptions, Level, Summary};
/// let summary = Summary::demo(Level::A129)?;
/// let cube = summary.cube(None)?;
/// let fs = summary.factsheet_from(&cube, &"22".parse()?, &FactsheetOptions::default());
/// assert_eq!(fs.territory.name, "Côtes-d'Armor");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Summary {
    builder: CubeBuilder,
    labels: Labels,
    report: LoadReport,
    origin: Origin,
}

impl Summary {
    /// Reads the DGDDI files under `path` (folder, file or zip) and aggregates them at `level`.
    pub fn load(path: impl AsRef<Path>, options: &LoadOptions, level: Level) -> Result<Self> {
        let path = path.as_ref();
        let (inputs, duplicates) = discover(path)?;
        let mut s = Summary::from_inputs(&inputs, options, level, Origin::of_path(path))?;
        s.report.duplicates = duplicates;
        Ok(s)
    }

    /// Reads the DGDDI files under `path` and aggregates one year at `level`: the year asked
    /// for, else the latest. Rows of other years are read (and checked) but not aggregated,
    /// so memory does not grow with the number of years in the folder.
    pub fn load_year(
        path: impl AsRef<Path>,
        options: &LoadOptions,
        level: Level,
        year: Option<u16>,
    ) -> Result<Self> {
        let path = path.as_ref();
        let (inputs, duplicates) = discover(path)?;
        let origin = Origin::of_path(path);
        let mut s = Summary::from_inputs_year(&inputs, options, level, year, origin)?;
        s.report.duplicates = duplicates;
        Ok(s)
    }

    /// Aggregates inputs at `level`.
    pub fn from_inputs(
        inputs: &[Input],
        options: &LoadOptions,
        level: Level,
        origin: Origin,
    ) -> Result<Self> {
        Summary::from_inputs_year(inputs, options, level, None, origin)
    }

    /// Aggregates one year of the inputs at `level` (see [`Summary::load_year`]). Without a
    /// year, the latest is known before reading when every regional file is an annual one
    /// (its name gives the year); otherwise every year is aggregated.
    pub fn from_inputs_year(
        inputs: &[Input],
        options: &LoadOptions,
        level: Level,
        year: Option<u16>,
        origin: Origin,
    ) -> Result<Self> {
        let regional: Vec<Option<u16>> = inputs
            .iter()
            .filter_map(|i| match i.kind {
                crate::read::FileKind::Regional { year, .. } => Some(year),
                _ => None,
            })
            .collect();
        let year = year.or_else(|| {
            if regional.iter().all(Option::is_some) {
                regional.iter().flatten().max().copied()
            } else {
                None
            }
        });
        let make = || match year {
            Some(y) => CubeBuilder::for_year(level, y),
            None => CubeBuilder::new(level),
        };
        let (builder, labels, report) = load(inputs, options, make)?;
        Ok(Summary {
            builder,
            labels,
            report,
            origin,
        })
    }

    /// The built-in demonstration data, aggregated at `level`.
    pub fn demo(level: Level) -> Result<Self> {
        let inputs = crate::demo::generate(&crate::demo::DemoOptions {
            national: false,
            ..Default::default()
        });
        Summary::from_inputs(&inputs, &LoadOptions::default(), level, Origin::Demo)
    }

    /// The years of the regional rows, ascending.
    pub fn years(&self) -> Vec<u16> {
        self.builder.years()
    }

    /// The aggregated year (default: the latest).
    pub fn cube(&self, year: Option<u16>) -> Result<Cube> {
        Ok(self.builder.cube(pick_year(&self.years(), year)?))
    }

    /// The factsheet of a territory from a cube of this summary (the cube fixes year and
    /// level; `options` gives the top and highlight counts).
    pub fn factsheet_from(
        &self,
        cube: &Cube,
        territory: &Territory,
        options: &FactsheetOptions,
    ) -> Factsheet {
        build(cube, territory, options, &self.labels, &self.origin)
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
}
