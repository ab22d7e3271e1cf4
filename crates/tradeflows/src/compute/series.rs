//! Every year's totals by quarter, flow and place: the history and the quarterly series of
//! any territory.

use serde::Serialize;

use super::place::{counts_in, places};
use crate::codes::{Flow, Quarters};
use crate::model::Territory;

/// One year's totals by quarter, flow and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTotals {
    /// The year.
    pub year: u16,
    /// The quarters its rows cover (any flow).
    pub quarters: Quarters,
    /// `[(quarter − 1) × 2 × places + flow × places + place]` → euros.
    totals: Vec<i64>,
}

impl YearTotals {
    pub(crate) fn new(year: u16, quarters: Quarters, totals: Vec<i64>) -> Self {
        YearTotals {
            year,
            quarters,
            totals,
        }
    }

    /// A territory's flow over some quarters of the year.
    pub fn total(&self, territory: &Territory, flow: Flow, quarters: Quarters) -> i64 {
        let n = places();
        quarters
            .iter()
            .map(|q| {
                let base = usize::from(q - 1) * 2 * n + flow.index() * n;
                (0..n)
                    .filter(|&p| counts_in(territory, p))
                    .map(|p| self.totals[base + p])
                    .sum::<i64>()
            })
            .sum()
    }
}

/// A year of a territory's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearFigures {
    /// The year.
    pub year: u16,
    /// The quarters the year's data cover (fewer than four: a partial year).
    pub quarters: Quarters,
    /// Exports, euros.
    pub exports_eur: i64,
    /// Imports, euros.
    pub imports_eur: i64,
}

impl YearFigures {
    /// Exports − imports.
    pub fn balance_eur(&self) -> i64 {
        self.exports_eur - self.imports_eur
    }
}

impl Serialize for YearFigures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("YearFigures", 5)?;
        st.serialize_field("year", &self.year)?;
        st.serialize_field("quarters", &self.quarters)?;
        st.serialize_field("exports_eur", &self.exports_eur)?;
        st.serialize_field("imports_eur", &self.imports_eur)?;
        st.serialize_field("balance_eur", &self.balance_eur())?;
        st.end()
    }
}

/// A quarter of a territory's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuarterFigures {
    /// The year.
    pub year: u16,
    /// The quarter, 1 to 4.
    pub quarter: u8,
    /// Exports, euros.
    pub exports_eur: i64,
    /// Imports, euros.
    pub imports_eur: i64,
}

/// Every year of the data, by quarter: cheap (a few thousand numbers a year), kept for all
/// the years of a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series {
    years: Vec<YearTotals>,
}

impl Series {
    pub(crate) fn new(years: Vec<YearTotals>) -> Self {
        Series { years }
    }

    /// The years, ascending.
    pub fn years(&self) -> &[YearTotals] {
        &self.years
    }

    /// A year.
    pub fn year(&self, year: u16) -> Option<&YearTotals> {
        self.years.iter().find(|y| y.year == year)
    }

    /// A territory's exports and imports, one entry per year of the data, ascending.
    pub fn history(&self, territory: &Territory) -> Vec<YearFigures> {
        self.years
            .iter()
            .map(|y| YearFigures {
                year: y.year,
                quarters: y.quarters,
                exports_eur: y.total(territory, Flow::Export, y.quarters),
                imports_eur: y.total(territory, Flow::Import, y.quarters),
            })
            .collect()
    }

    /// A territory's exports and imports, one entry per (year, quarter) of the data.
    pub fn quarterly(&self, territory: &Territory) -> Vec<QuarterFigures> {
        self.years
            .iter()
            .flat_map(|y| {
                y.quarters.iter().map(move |q| {
                    let one: Quarters = [q].into_iter().collect();
                    QuarterFigures {
                        year: y.year,
                        quarter: q,
                        exports_eur: y.total(territory, Flow::Export, one),
                        imports_eur: y.total(territory, Flow::Import, one),
                    }
                })
            })
            .collect()
    }
}
