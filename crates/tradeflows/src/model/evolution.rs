//! The factsheet's change over time: the change against the year before, labelled, as the
//! JSON contract's `change` field writes it (`history` and `quarterly` are
//! [`YearFigures`](crate::compute::YearFigures) and
//! [`QuarterFigures`](crate::compute::QuarterFigures)).

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::codes::{Country, Flow, Product, Quarters};
use crate::compute::{Change, Contribution, FlowChange};
use crate::nomenclature::Labels;

/// How many partners and products with the largest change a factsheet names.
pub const CHANGE_COUNT: usize = 5;

/// A partner or product with its value in both years, labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver<K> {
    /// The code.
    pub code: K,
    /// Its French label.
    pub label: String,
    /// Its value the year before (over the reference year's quarters), euros.
    pub previous_eur: i64,
    /// Its value in the reference year, euros.
    pub value_eur: i64,
    /// Its change as a share of the flow's previous total (`None` when that is 0).
    pub contribution: Option<f64>,
}

impl<K> Driver<K> {
    /// Value − previous value, euros.
    pub fn change_eur(&self) -> i64 {
        self.value_eur - self.previous_eur
    }

    fn new(c: &Contribution<K>, label: String, previous_total: i64) -> Self
    where
        K: Copy,
    {
        Driver {
            code: c.code,
            label,
            previous_eur: c.previous_eur,
            value_eur: c.value_eur,
            contribution: c.contribution(previous_total),
        }
    }
}

impl<K: std::fmt::Display> Serialize for Driver<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Driver", 6)?;
        st.serialize_field("code", &self.code.to_string())?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("previous_eur", &self.previous_eur)?;
        st.serialize_field("value_eur", &self.value_eur)?;
        st.serialize_field("change_eur", &self.change_eur())?;
        st.serialize_field("contribution", &self.contribution)?;
        st.end()
    }
}

/// One flow's change, labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowChangeFigures {
    /// The flow the year before, over the reference year's quarters, euros.
    pub previous_eur: i64,
    /// The flow in the reference year, euros.
    pub value_eur: i64,
    /// The partners with the largest change (at most [`CHANGE_COUNT`]).
    pub partners: Vec<Driver<Country>>,
    /// The products with the largest change, at the factsheet's level.
    pub products: Vec<Driver<Product>>,
}

impl FlowChangeFigures {
    /// value / previous − 1 (`None` when previous is 0).
    pub fn growth(&self) -> Option<f64> {
        (self.previous_eur != 0).then(|| self.value_eur as f64 / self.previous_eur as f64 - 1.0)
    }
}

impl Serialize for FlowChangeFigures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("FlowChange", 5)?;
        st.serialize_field("previous_eur", &self.previous_eur)?;
        st.serialize_field("value_eur", &self.value_eur)?;
        st.serialize_field("growth", &self.growth())?;
        st.serialize_field("partners", &self.partners)?;
        st.serialize_field("products", &self.products)?;
        st.end()
    }
}

/// A territory's change against the year before, labelled (the `change` field).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeFigures {
    /// The year compared with.
    pub previous_year: u16,
    /// The quarters compared (the reference year's).
    pub quarters: Quarters,
    /// Exports.
    pub exports: FlowChangeFigures,
    /// Imports.
    pub imports: FlowChangeFigures,
}

impl ChangeFigures {
    /// The change of a flow.
    pub fn flow(&self, flow: Flow) -> &FlowChangeFigures {
        match flow {
            Flow::Export => &self.exports,
            Flow::Import => &self.imports,
        }
    }

    /// The change with labels for its partners (names valid in `year`) and products.
    pub fn labelled(change: &Change, labels: &Labels, year: u16) -> Self {
        let flow = |f: &FlowChange| FlowChangeFigures {
            previous_eur: f.previous_eur,
            value_eur: f.value_eur,
            partners: f
                .partners
                .iter()
                .map(|c| Driver::new(c, labels.country_name(c.code, year), f.previous_eur))
                .collect(),
            products: f
                .products
                .iter()
                .map(|c| Driver::new(c, labels.product_name(c.code), f.previous_eur))
                .collect(),
        };
        ChangeFigures {
            previous_year: change.previous_year,
            quarters: change.quarters,
            exports: flow(&change.exports),
            imports: flow(&change.imports),
        }
    }
}
