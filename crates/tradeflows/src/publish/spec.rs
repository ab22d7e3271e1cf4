//! What to publish: territory specs (Territoires d'industrie included) and output formats.

use std::fmt;
use std::str::FromStr;

use crate::error::CodeError;
use crate::model::{Territory, TiId};

/// A territory as the command line and Python name it: a [`Territory`] (`22`, `dep:22`,
/// `2A`, `reg:53`, `fr`) or a Territoire d'industrie (`ti:ti-8413`), whose figures are those
/// of its départements.
///
/// ```
/// use tradeflows::publish::Spec;
/// assert_eq!("22".parse::<Spec>()?, Spec::Territory("dep:22".parse()?));
/// assert_eq!("ti:ti-8413".parse::<Spec>()?, Spec::Ti("ti-8413".parse()?));
/// assert_eq!("ti:ti-8413".parse::<Spec>()?.to_string(), "ti:ti-8413");
/// assert!("ti:../x".parse::<Spec>().is_err());
/// assert!("dep:00".parse::<Spec>().is_err());
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spec {
    /// A département, a région or France.
    Territory(Territory),
    /// A Territoire d'industrie.
    Ti(TiId),
}

impl Spec {
    /// The file key of the outputs: `dep-22`, `reg-53`, `fr`, `ti-8413`.
    pub fn key(&self) -> String {
        match self {
            Spec::Territory(t) => t.key(),
            Spec::Ti(id) => id.key(),
        }
    }
}

impl FromStr for Spec {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        match s.trim().strip_prefix("ti:") {
            Some(id) => id.parse().map(Spec::Ti),
            None => s.parse().map(Spec::Territory),
        }
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Territory(t) => t.fmt(f),
            Spec::Ti(id) => write!(f, "ti:{id}"),
        }
    }
}

/// An output format of `factsheet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `OUT/json/<key>.json`: the figures.
    Json,
    /// `OUT/svg/<key>-<chart>.svg`: the charts.
    Svg,
    /// `OUT/html/<key>.html`: the pages (and `index.html` with `--all`).
    Html,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Json, Format::Svg, Format::Html];

    /// The name, which is also the folder of its files: `json`, `svg`, `html`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Svg => "svg",
            Format::Html => "html",
        }
    }
}

impl FromStr for Format {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s.trim())
            .ok_or_else(|| CodeError::new("output format", s, "expected json, svg or html"))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
