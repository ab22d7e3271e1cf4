//! Territories of a factsheet: a département, a région or France.

use std::fmt;
use std::str::FromStr;

use crate::codes::{serde_via_str, Departement, Region};
use crate::error::CodeError;

/// A territory of a factsheet: a département (DGDDI code), an INSEE région, or France.
///
/// One text form, used by [`FromStr`], [`Display`](fmt::Display) and serde: `dep:22`,
/// `reg:53`, `fr`. Parsing also takes the shorthands of the command line: `22` (INSEE aliases
/// `2A`, `2B`, `971`… too) and `france`. A Territoire d'industrie (`ti:ti-8413`) is not a
/// territory: its figures are its départements' (see [`crate::publish::Spec`]).
///
/// The *file key* is another form, for file names only: [`Territory::key`] gives `dep-22`,
/// `reg-53`, `fr` (no `:`, which some file systems refuse).
///
/// ```
/// use tradeflows::Territory;
/// let t: Territory = "dep:22".parse()?;
/// assert_eq!(t, "22".parse()?);
/// assert_eq!(t.to_string(), "dep:22");
/// assert_eq!(t.key(), "dep-22");
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""dep:22""#);
/// assert_eq!("reg:53".parse::<Territory>()?.name(), "Bretagne");
/// assert_eq!("2A".parse::<Territory>()?.key(), "dep-20");
/// assert_eq!(Territory::all().count(), 120);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Territory {
    /// A département.
    Departement(Departement),
    /// A région (INSEE).
    Region(Region),
    /// France: every département of the file, Monaco and the DOM included.
    France,
}

impl Territory {
    /// Every département, then every région, then France (101 + 18 + 1).
    pub fn all() -> impl Iterator<Item = Territory> {
        Departement::all()
            .map(Territory::Departement)
            .chain(Region::all().map(Territory::Region))
            .chain(std::iter::once(Territory::France))
    }

    /// The file key, the stem of the files written for the territory: `dep-22`, `reg-53`,
    /// `fr`. Built from validated codes only (two characters `0-9A-Z`), so it is always a
    /// plain file name.
    pub fn key(&self) -> String {
        match self {
            Territory::Departement(d) => format!("dep-{d}"),
            Territory::Region(r) => format!("reg-{r}"),
            Territory::France => "fr".into(),
        }
    }

    /// `departement`, `region` or `france`, as in the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Territory::Departement(_) => "departement",
            Territory::Region(_) => "region",
            Territory::France => "france",
        }
    }

    /// The code: DGDDI département code, INSEE région code, or `FR`.
    pub fn code(&self) -> &'static str {
        match self {
            Territory::Departement(d) => d.code(),
            Territory::Region(r) => r.code(),
            Territory::France => "FR",
        }
    }

    /// The name.
    pub fn name(&self) -> &'static str {
        match self {
            Territory::Departement(d) => d.name(),
            Territory::Region(r) => r.name(),
            Territory::France => "France",
        }
    }

    /// The région a département belongs to.
    pub fn region(&self) -> Option<Region> {
        match self {
            Territory::Departement(d) => Some(d.region()),
            _ => None,
        }
    }

    /// Whether a département counts in this territory.
    pub fn contains(&self, d: Departement) -> bool {
        match self {
            Territory::Departement(x) => *x == d,
            Territory::Region(r) => d.region() == *r,
            Territory::France => true,
        }
    }

    /// The départements of the territory, in code order.
    pub fn departements(&self) -> Vec<Departement> {
        Departement::all().filter(|d| self.contains(*d)).collect()
    }
}

impl fmt::Display for Territory {
    /// The canonical SPEC: `dep:22`, `reg:53`, `fr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Territory::Departement(d) => write!(f, "dep:{d}"),
            Territory::Region(r) => write!(f, "reg:{r}"),
            Territory::France => f.write_str("fr"),
        }
    }
}

impl FromStr for Territory {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("fr") || s.eq_ignore_ascii_case("france") {
            return Ok(Territory::France);
        }
        if let Some(code) = s.strip_prefix("reg:") {
            return code.parse().map(Territory::Region);
        }
        if s.starts_with("ti:") {
            return Err(CodeError::new(
                "territory",
                s,
                "a Territoire d'industrie is not one territory: its figures are those of its départements (use a Spec)",
            ));
        }
        let code = s.strip_prefix("dep:").unwrap_or(s);
        code.parse().map(Territory::Departement).map_err(|_| {
            CodeError::new(
                "territory",
                s,
                "expected a département (22, dep:22, 2A, 974), reg:NN (INSEE) or fr",
            )
        })
    }
}
serde_via_str!(Territory);
