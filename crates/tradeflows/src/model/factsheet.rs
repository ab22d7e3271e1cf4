//! The figures of the ANCT factsheet "Les indicateurs clés : commerce extérieur" for one
//! territory, typed, and serialised exactly as the JSON contract `tradeflows.factsheet/1`
//! states them.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::evolution::{ChangeFigures, CHANGE_COUNT};
use super::exposure::ExposureFigures;
use super::tables::{labelled_partners, labelled_top, shares, Labelled};
use super::territory::Territory;
use crate::codes::{Country, Flow, Level, Product, Quarters};
use crate::compute::cube::Cube;
use crate::compute::rank::Slot;
use crate::compute::{QuarterFigures, YearFigures};
use crate::error::{Error, Result};
use crate::nomenclature::Labels;

/// The schema name written in every factsheet.
pub const SCHEMA: &str = "tradeflows.factsheet/1";

/// The `schema` field: always [`SCHEMA`] (reading another schema is an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schema;

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(SCHEMA)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s == SCHEMA {
            Ok(Schema)
        } else {
            Err(serde::de::Error::custom(format!(
                "schema {s:?}: expected {SCHEMA:?}"
            )))
        }
    }
}

/// Choices of a factsheet: product level, length of the top lists, highlighted flows, the
/// countries watched in the exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsheetOptions {
    /// Product level (default A129).
    pub level: Level,
    /// Number of named products and partners (default 10).
    pub top: usize,
    /// Number of highlighted flows (default 5).
    pub highlight: usize,
    /// The countries whose share the exposure gives (default `US`, `CN`, `GB`).
    pub watch: Vec<Country>,
}

/// The countries watched by default: the United States, China, the United Kingdom.
pub fn default_watch() -> Vec<Country> {
    [*b"US", *b"CN", *b"GB"]
        .iter()
        .filter_map(|c| Country::from_bytes(c).ok())
        .collect()
}

impl Default for FactsheetOptions {
    fn default() -> Self {
        FactsheetOptions {
            level: Level::A129,
            top: 10,
            highlight: 5,
            watch: default_watch(),
        }
    }
}

/// Where the figures come from; demonstration data says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// True for the built-in synthetic dataset.
    pub demo: bool,
    /// A sentence naming the source.
    pub description: String,
}

/// An item of a top list, or the `autres` remainder ([`Slot::Others`]).
pub type Ranked<K> = Labelled<Slot<K>>;

/// A cell of the product × partner matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FlowCell {
    /// A top product, or `autres`.
    pub product: Slot<Product>,
    /// A top partner, or `autres`.
    pub partner: Slot<Country>,
    /// Value in euros.
    pub value_eur: i64,
    /// One of the largest named flows (drawn in red).
    pub highlight: bool,
}

/// The figures of one flow (exports or imports).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowFigures {
    /// Total in euros.
    pub total_eur: i64,
    /// Share of the région's total (départements only).
    pub share_of_region: Option<f64>,
    /// Share of France's total (départements and régions).
    pub share_of_nation: Option<f64>,
    /// Main partners, then `autres`.
    pub top_partners: Vec<Ranked<Country>>,
    /// Main products, then `autres`.
    pub top_products: Vec<Ranked<Product>>,
    /// The non-zero cells of (top products + autres) × (top partners + autres).
    pub flows: Vec<FlowCell>,
}

impl FlowFigures {
    /// How many products of the top list are named (`autres` aside).
    pub fn named_products(&self) -> usize {
        self.top_products
            .iter()
            .filter(|r| r.code.is_named())
            .count()
    }

    /// How many partners of the top list are named (`autres` aside).
    pub fn named_partners(&self) -> usize {
        self.top_partners
            .iter()
            .filter(|r| r.code.is_named())
            .count()
    }

    /// How many flows are highlighted.
    pub fn highlighted(&self) -> usize {
        self.flows.iter().filter(|c| c.highlight).count()
    }
}

/// Imports, exports and balance with a partner. The balance is computed, never stored, so
/// it is always exports − imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerFigures {
    /// The country.
    pub code: Country,
    /// Its French name.
    pub label: String,
    /// Imports from it, euros.
    pub imports_eur: i64,
    /// Exports to it, euros.
    pub exports_eur: i64,
}

impl PartnerFigures {
    /// Exports − imports, euros.
    pub fn balance_eur(&self) -> i64 {
        self.exports_eur - self.imports_eur
    }
}

impl Serialize for PartnerFigures {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PartnerFigures", 5)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("imports_eur", &self.imports_eur)?;
        st.serialize_field("exports_eur", &self.exports_eur)?;
        st.serialize_field("balance_eur", &self.balance_eur())?;
        st.end()
    }
}

/// A factsheet's figures (`schema: "tradeflows.factsheet/1"`).
///
/// Serialised as the JSON contract (see [`Factsheet::to_json`]); the `territory` field is
/// written as the contract's object (`kind`, `code`, `name`, `region`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "super::wire::Factsheet")]
pub struct Factsheet {
    /// Always `tradeflows.factsheet/1`.
    pub schema: Schema,
    /// Year.
    pub year: u16,
    /// Product level.
    pub level: Level,
    /// Quarters covered by the data of the year.
    pub quarters: Quarters,
    /// Where the figures come from.
    pub source: SourceInfo,
    /// The territory.
    #[serde(serialize_with = "super::wire::territory_object")]
    pub territory: Territory,
    /// Exports.
    pub exports: FlowFigures,
    /// Imports.
    pub imports: FlowFigures,
    /// The union of the main import and export partners, by imports + exports.
    pub partners: Vec<PartnerFigures>,
    /// Every year of the data, ascending: the territory's exports, imports and balance.
    pub history: Vec<YearFigures>,
    /// Every (year, quarter) of the data: the territory's exports and imports.
    pub quarterly: Vec<QuarterFigures>,
    /// The change against the year before over this year's quarters; `None` when the year
    /// before is not in the data or lacks one of them.
    pub change: Option<ChangeFigures>,
    /// Exposure and dependence: zones, countries watched, concentration, dependencies,
    /// specialisation.
    pub exposure: ExposureFigures,
}

impl Factsheet {
    /// The figures of one flow.
    pub fn flow(&self, flow: Flow) -> &FlowFigures {
        match flow {
            Flow::Import => &self.imports,
            Flow::Export => &self.exports,
        }
    }

    /// The period as the outputs name it: `2024`, or `2025 (T1)` for a partial year.
    pub fn period(&self) -> String {
        self.quarters.period(self.year)
    }

    /// The JSON text of the contract (pretty-printed, UTF-8).
    pub fn to_json(&self) -> Result<String> {
        crate::format::pretty_json(self).map_err(|e| Error::Json(e.to_string()))
    }

    /// [`Factsheet::to_json`]'s bytes, for a file.
    pub(crate) fn to_json_bytes(&self) -> Result<Vec<u8>> {
        crate::format::pretty_json_bytes(self).map_err(|e| Error::Json(e.to_string()))
    }

    /// Reads a factsheet back from its JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::Json(e.to_string()))
    }

    /// Computes the factsheet of `territory` from a cube (which fixes year and level;
    /// `options` gives the top and highlight counts), with these labels and source.
    pub fn build(
        cube: &Cube,
        territory: Territory,
        options: &FactsheetOptions,
        labels: &Labels,
        source: &SourceInfo,
    ) -> Factsheet {
        let year = cube.year();
        let folded = Flow::ALL.map(|flow| cube.flows(&territory, flow));
        let [imports, exports] = Flow::ALL.map(|flow| {
            let tf = &folded[flow.index()];
            let (share_of_region, share_of_nation) = shares(cube, &territory, flow);
            let partners = tf.top_partners(options.top);
            let products = tf.top_products(options.top);
            let flows = tf
                .matrix_of(&products, &partners, options.highlight)
                .into_iter()
                .map(|c| FlowCell {
                    product: c.product,
                    partner: c.partner,
                    value_eur: c.value,
                    highlight: c.highlight,
                })
                .collect();
            let figures = FlowFigures {
                total_eur: tf.total(),
                share_of_region,
                share_of_nation,
                top_partners: labelled_top(&partners, |c| labels.country_name(c, year)),
                top_products: labelled_top(&products, |p| labels.product_name(p)),
                flows,
            };
            (
                figures,
                partners.keys().collect::<Vec<_>>(),
                tf.by_partner(),
            )
        });
        let partners = labelled_partners(
            imports.1.iter().chain(&exports.1).copied(),
            &imports.2,
            &exports.2,
            |c| labels.country_name(c, year),
        );
        Factsheet {
            schema: Schema,
            year,
            level: cube.level(),
            quarters: cube.quarters(),
            source: source.clone(),
            territory,
            exports: exports.0,
            imports: imports.0,
            partners,
            history: cube.history(&territory),
            quarterly: cube.quarterly(&territory),
            change: cube
                .change_of(&territory, &folded, CHANGE_COUNT)
                .map(|c| ChangeFigures::labelled(&c, labels, year)),
            exposure: ExposureFigures::labelled(
                &cube.exposure_of(&territory, &folded, &options.watch),
                labels,
                year,
            ),
        }
    }
}
