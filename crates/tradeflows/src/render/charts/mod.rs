//! The four charts of the factsheet, as standalone SVG documents.
//!
//! Each function takes a [`Factsheet`] and returns a complete `<svg>` element, 800 px wide
//! (an A4 page's text width), with an accessible `<title>` and `<desc>`, French labels,
//! values in millions of euros, and a source line (which says so when the figures are the
//! demonstration data's). The output is deterministic: the same factsheet gives the same
//! bytes. Text is laid out with the widths of [`text::width`], an upper bound of the rendered
//! widths, so labels never overlap: what does not fit is cut with an ellipsis or left out
//! (every mark also carries a `<title>` with its full label and value).
//!
//! Marks carry classes and data attributes for scripts and tests: `rect.bar.import`,
//! `rect.bar.export` and `g.balance` (balance), `rect.cell` (treemap), `rect.node` and
//! `path.band` / `path.band.highlight` (sankeys), each with `data-code` or
//! `data-product`/`data-partner`, and `data-value` in euros.

mod butterfly;
mod evolution;
mod exposure;
mod map;
mod sankey;
mod svg;
pub mod text;
mod treemap;

pub(crate) use map::{
    departements as map_departements, legend as map_legend, outlines as map_outlines,
    Layer as MapLayer, LEGEND_AT, MISSING,
};
pub use map::{map, MapOptions, MapScale, MapUnit, ATTRIBUTION};

use std::fmt;
use std::str::FromStr;

use crate::codes::Flow;
use crate::error::CodeError;
use crate::model::Factsheet;

/// The charts of a factsheet, as named in file names (`dep-22-balance.svg`) and in Python.
///
/// ```
/// use tradeflows::charts::ChartKind;
/// let k: ChartKind = "exports".parse()?;
/// assert_eq!(k, ChartKind::Exports);
/// assert!("export".parse::<ChartKind>().is_err());
/// assert_eq!(ChartKind::ALL.map(|k| k.name()), ["balance", "activities", "exports", "imports", "evolution", "exposure"]);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartKind {
    /// *Balance commerciale territoriale* ([`balance`]).
    Balance,
    /// *Principales activités* ([`activities`]).
    Activities,
    /// *Flux à l'export* ([`exports`]).
    Exports,
    /// *Flux à l'import* ([`imports`]).
    Imports,
    /// *Évolution* ([`evolution`]).
    Evolution,
    /// *Exposition* ([`exposure`]).
    Exposure,
}

impl ChartKind {
    /// The charts of the factsheet.
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Balance,
        ChartKind::Activities,
        ChartKind::Exports,
        ChartKind::Imports,
        ChartKind::Evolution,
        ChartKind::Exposure,
    ];

    /// The name: `balance`, `activities`, `exports`, `imports`.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Balance => "balance",
            ChartKind::Activities => "activities",
            ChartKind::Exports => "exports",
            ChartKind::Imports => "imports",
            ChartKind::Evolution => "evolution",
            ChartKind::Exposure => "exposure",
        }
    }

    /// The chart of a factsheet, as an SVG document.
    pub fn render(self, fs: &Factsheet) -> String {
        match self {
            ChartKind::Balance => balance(fs),
            ChartKind::Activities => activities(fs),
            ChartKind::Exports => exports(fs),
            ChartKind::Imports => imports(fs),
            ChartKind::Evolution => evolution(fs),
            ChartKind::Exposure => exposure(fs),
        }
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ChartKind {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        ChartKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                CodeError::new(
                    "chart kind",
                    s,
                    "expected balance, activities, exports, imports, evolution or exposure",
                )
            })
    }
}

/// *Balance commerciale territoriale*: a butterfly chart of the main partner countries, in
/// the order of [`Factsheet::partners`]. Imports to the left (blue), exports to the right
/// (violet), on one scale; the balance (exports − imports) in M€, green when positive, red
/// when negative.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::balance(&fs);
/// assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
/// assert!(svg.contains("Solde (M€)"));
/// assert_eq!(svg.matches("class=\"bar import\"").count(), fs.partners.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn balance(fs: &Factsheet) -> String {
    butterfly::render(fs)
}

/// *Principales activités*: the main imported (blue) and exported (violet) products as two
/// squarified treemaps side by side, their widths proportional to the two totals, so that
/// every cell's area is proportional to its value across the chart; `autres` in grey.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::activities(&fs);
/// assert!(svg.contains("Importations : "));
/// let cells = fs.imports.top_products.len() + fs.exports.top_products.len();
/// assert_eq!(svg.matches("<rect class=\"cell").count(), cells);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn activities(fs: &Factsheet) -> String {
    treemap::render(fs)
}

/// *Flux à l'export*: a sankey from the main exported products (left, `autres` last) to the
/// main destination countries (right); the highlighted flows in red.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::exports(&fs);
/// let red = fs.exports.flows.iter().filter(|c| c.highlight).count();
/// assert_eq!(svg.matches("class=\"band highlight\"").count(), red);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exports(fs: &Factsheet) -> String {
    sankey::render(fs, Flow::Export)
}

/// *Flux à l'import*: a sankey from the main countries of origin (left, `autres` last) to
/// the main imported products (right); the highlighted flows in red.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::imports(&fs);
/// assert!(svg.contains(">Pays d'origine<"));
/// assert_eq!(svg.matches("<path class=\"band").count(), fs.imports.flows.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn imports(fs: &Factsheet) -> String {
    sankey::render(fs, Flow::Import)
}

/// *Évolution*: the territory's exports and imports year by year (bars, with the balance
/// under each year) and quarter by quarter (lines); partial years lighter, dashed and
/// labelled with their quarters.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::evolution(&fs);
/// assert_eq!(svg.matches("class=\"bar export").count(), fs.history.len());
/// assert_eq!(svg.matches("<circle class=\"point import\"").count(), fs.quarterly.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evolution(fs: &Factsheet) -> String {
    evolution::render(fs)
}

/// *Exposition*: the share of each zone (the EU of 27, the rest of Europe, the continents of
/// the UN M49 standard, not determined) in the territory's exports and imports, as pairs of
/// bars on one scale.
///
/// ```
/// use tradeflows::{charts, Dataset};
///
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let svg = charts::exposure(&fs);
/// assert_eq!(svg.matches("<rect class=\"bar export\"").count(), 7);
/// assert!(svg.contains("Union européenne (27)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exposure(fs: &Factsheet) -> String {
    exposure::render(fs)
}
