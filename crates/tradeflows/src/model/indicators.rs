//! The indicators the explorer compares territories by: totals, balance, coverage, growth,
//! the share of exports outside the EU and to the United States, the main partner.

use std::fmt;
use std::str::FromStr;

use super::factsheet::Factsheet;
use super::Territory;
use crate::codes::{Country, Zone};
use crate::compute::share;
use crate::error::CodeError;

/// An indicator of the explorer's map, by its name in the page (`<option value="…">`).
///
/// ```
/// use tradeflows::model::Indicator;
/// let i: Indicator = "extra_eu".parse()?;
/// assert_eq!(i, Indicator::ExtraEu);
/// assert_eq!(i.label(), "Part des exportations hors UE");
/// assert_eq!(Indicator::ALL.map(|i| i.name()), ["exports", "imports", "balance", "coverage", "growth", "extra_eu", "us"]);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// Exports, euros.
    Exports,
    /// Imports, euros.
    Imports,
    /// Exports − imports, euros.
    Balance,
    /// Exports / imports.
    Coverage,
    /// Exports against the year before over the same quarters: value / previous − 1.
    Growth,
    /// The share of exports going outside the EU of 27.
    ExtraEu,
    /// The share of exports going to the United States.
    Us,
}

impl Indicator {
    /// Every indicator, in the order of the selector.
    pub const ALL: [Indicator; 7] = [
        Indicator::Exports,
        Indicator::Imports,
        Indicator::Balance,
        Indicator::Coverage,
        Indicator::Growth,
        Indicator::ExtraEu,
        Indicator::Us,
    ];

    /// The name in the page: `exports`, `imports`, `balance`, `coverage`, `growth`,
    /// `extra_eu`, `us`.
    pub fn name(self) -> &'static str {
        match self {
            Indicator::Exports => "exports",
            Indicator::Imports => "imports",
            Indicator::Balance => "balance",
            Indicator::Coverage => "coverage",
            Indicator::Growth => "growth",
            Indicator::ExtraEu => "extra_eu",
            Indicator::Us => "us",
        }
    }

    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Exports => "Exportations",
            Indicator::Imports => "Importations",
            Indicator::Balance => "Solde commercial",
            Indicator::Coverage => "Taux de couverture (exportations / importations)",
            Indicator::Growth => "Évolution des exportations sur un an",
            Indicator::ExtraEu => "Part des exportations hors UE",
            Indicator::Us => "Part des exportations vers les États-Unis",
        }
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Indicator {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, CodeError> {
        Indicator::ALL
            .into_iter()
            .find(|i| i.name() == s)
            .ok_or_else(|| {
                CodeError::new(
                    "indicator",
                    s,
                    "expected exports, imports, balance, coverage, growth, extra_eu or us",
                )
            })
    }
}

/// A territory's indicators, from its factsheet.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryIndicators {
    /// The territory.
    pub territory: Territory,
    /// Exports, euros.
    pub exports_eur: i64,
    /// Imports, euros.
    pub imports_eur: i64,
    /// Exports / imports (`None` without imports).
    pub coverage: Option<f64>,
    /// Exports against the year before over the same quarters (`None` when unknown).
    pub growth: Option<f64>,
    /// The share of exports outside the EU of 27 (`None` without exports).
    pub extra_eu: Option<f64>,
    /// The share of exports to the United States (`None` without exports).
    pub us: Option<f64>,
    /// The main partner (exports + imports) and its French name.
    pub partner: Option<(Country, String)>,
}

impl TerritoryIndicators {
    /// The indicators of a factsheet. `us_exports_eur` gives the exports to the United
    /// States when the factsheet does not watch them (its `--watch` left them out).
    pub fn of(fs: &Factsheet, us_exports_eur: Option<i64>) -> Self {
        let exports = &fs.exposure.exports;
        let total = fs.exports.total_eur;
        let us = exports
            .watch
            .iter()
            .find(|w| w.code.code() == "US")
            .map(|w| w.value_eur)
            .or(us_exports_eur);
        let eu = exports
            .zones
            .iter()
            .find(|z| z.code == Zone::Ue27)
            .map_or(0, |z| z.value_eur);
        TerritoryIndicators {
            territory: fs.territory,
            exports_eur: total,
            imports_eur: fs.imports.total_eur,
            coverage: (fs.imports.total_eur != 0)
                .then(|| total as f64 / fs.imports.total_eur as f64),
            growth: fs.change.as_ref().and_then(|c| c.exports.growth()),
            extra_eu: share(total - eu, total),
            us: us.and_then(|v| share(v, total)),
            partner: fs.partners.first().map(|p| (p.code, p.label.clone())),
        }
    }

    /// Exports − imports, euros.
    pub fn balance_eur(&self) -> i64 {
        self.exports_eur - self.imports_eur
    }

    /// The value of an indicator (`None` when it cannot be computed).
    pub fn value(&self, indicator: Indicator) -> Option<f64> {
        match indicator {
            Indicator::Exports => Some(self.exports_eur as f64),
            Indicator::Imports => Some(self.imports_eur as f64),
            Indicator::Balance => Some(self.balance_eur() as f64),
            Indicator::Coverage => self.coverage,
            Indicator::Growth => self.growth,
            Indicator::ExtraEu => self.extra_eu,
            Indicator::Us => self.us,
        }
    }
}
