//! The figures of the ANCT factsheet "Les indicateurs clés : commerce extérieur" for one
//! territory, as the JSON contract `tradeflows.factsheet/1` states them.

use serde::{Deserialize, Serialize};

use crate::codes::{Country, Flow, Level, Product};
use crate::compute::cube::Cube;
use crate::compute::rank::{share, Ranking, Slot, OTHERS_CODE, OTHERS_LABEL};
use crate::nomenclature::Labels;
use crate::territory::Territory;

/// The schema name written in every factsheet.
pub const SCHEMA: &str = "tradeflows.factsheet/1";

/// Choices of a factsheet: product level, length of the top lists, highlighted flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactsheetOptions {
    /// Product level (default A129).
    pub level: Level,
    /// Number of named products and partners (default 10).
    pub top: usize,
    /// Number of highlighted flows (default 5).
    pub highlight: usize,
}

impl Default for FactsheetOptions {
    fn default() -> Self {
        FactsheetOptions {
            level: Level::A129,
            top: 10,
            highlight: 5,
        }
    }
}

/// Where the figures come from; demonstration data says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// True for the built-in synthetic dataset.
    pub demo: bool,
    /// A sentence naming the source.
    pub description: String,
}

/// A code and a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedCode {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// The territory of a factsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryInfo {
    /// `departement`, `region` or `france`.
    pub kind: String,
    /// DGDDI département code, INSEE région code, or `FR`.
    pub code: String,
    /// Name.
    pub name: String,
    /// The région of a département (INSEE), else `null`.
    pub region: Option<NamedCode>,
}

/// An item of a top list (or the `autres` remainder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// Code, or `autres`.
    pub code: String,
    /// French label.
    pub label: String,
    /// Value in euros.
    pub value_eur: i64,
}

/// A cell of the product × partner matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowCell {
    /// Product code, or `autres`.
    pub product: String,
    /// Partner code, or `autres`.
    pub partner: String,
    /// Value in euros.
    pub value_eur: i64,
    /// One of the largest named flows (drawn in red).
    pub highlight: bool,
}

/// The figures of one flow (exports or imports).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowFigures {
    /// Total in euros.
    pub total_eur: i64,
    /// Share of the région's total (départements only).
    pub share_of_region: Option<f64>,
    /// Share of France's total (départements and régions).
    pub share_of_nation: Option<f64>,
    /// Main partners, then `autres`.
    pub top_partners: Vec<Ranked>,
    /// Main products, then `autres`.
    pub top_products: Vec<Ranked>,
    /// The non-zero cells of (top products + autres) × (top partners + autres).
    pub flows: Vec<FlowCell>,
}

/// Imports, exports and balance with a main partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerFigures {
    /// Country code.
    pub code: String,
    /// Country name.
    pub label: String,
    /// Imports from it.
    pub imports_eur: i64,
    /// Exports to it.
    pub exports_eur: i64,
    /// Exports − imports.
    pub balance_eur: i64,
}

/// A factsheet's figures (`schema: "tradeflows.factsheet/1"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factsheet {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Year.
    pub year: u16,
    /// Product level.
    pub level: Level,
    /// Quarters covered by the data of the year.
    pub quarters: Vec<u8>,
    /// Where the figures come from.
    pub source: SourceInfo,
    /// The territory.
    pub territory: TerritoryInfo,
    /// Exports.
    pub exports: FlowFigures,
    /// Imports.
    pub imports: FlowFigures,
    /// The union of the main import and export partners, by imports + exports.
    pub partners: Vec<PartnerFigures>,
}

impl Factsheet {
    /// The figures of one flow.
    pub fn flow(&self, flow: Flow) -> &FlowFigures {
        match flow {
            Flow::Import => &self.imports,
            Flow::Export => &self.exports,
        }
    }

    /// The JSON text of the contract (pretty-printed, UTF-8).
    pub fn to_json(&self) -> String {
        // Plain structs of strings, integers and finite floats: serialisation cannot fail,
        // and an empty string would be caught by any consumer.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a factsheet back from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Computes the factsheet of `territory` from a cube (which fixes year and level; `options`
/// gives the top and highlight counts), labelled as coming from `origin`.
pub(crate) fn build(
    cube: &Cube,
    territory: &Territory,
    options: &FactsheetOptions,
    labels: &Labels,
    origin: &crate::dataset::Origin,
) -> Factsheet {
    let (top, highlight, source) = (options.top, options.highlight, &origin.source_info());
    let year = cube.year();
    let country_label = |c: Country| labels.country(c, year).unwrap_or(c.code()).to_owned();
    let product_label = |p: Product| {
        labels
            .product(p)
            .map_or_else(|| p.to_string(), str::to_owned)
    };
    let mut by_partner: [Vec<(Country, i64)>; 2] = [Vec::new(), Vec::new()];
    let mut tops: [Vec<Country>; 2] = [Vec::new(), Vec::new()];
    let [imports, exports] = Flow::ALL.map(|flow| {
        let tf = cube.flows(territory, flow);
        let total = tf.total();
        let partners = tf.top_partners(top);
        let products = tf.top_products(top);
        let flows = tf
            .matrix(top, highlight)
            .into_iter()
            .map(|c| FlowCell {
                product: slot(c.product),
                partner: slot(c.partner),
                value_eur: c.value,
                highlight: c.highlight,
            })
            .collect();
        by_partner[flow.index()] = tf.by_partner();
        tops[flow.index()] = partners.keys().collect();
        FlowFigures {
            total_eur: total,
            share_of_region: territory
                .region()
                .and_then(|r| share(total, cube.total(&Territory::Region(r), flow))),
            share_of_nation: match territory {
                Territory::France => None,
                _ => share(total, cube.total(&Territory::France, flow)),
            },
            top_partners: ranked(&partners, |c| c.to_string(), country_label),
            top_products: ranked(&products, |p| p.to_string(), product_label),
            flows,
        }
    });
    let value = |flow: Flow, c: Country| {
        by_partner[flow.index()]
            .binary_search_by_key(&c, |x| x.0)
            .map_or(0, |i| by_partner[flow.index()][i].1)
    };
    let mut partners: Vec<Country> = tops[0].iter().chain(tops[1].iter()).copied().collect();
    partners.sort_unstable();
    partners.dedup();
    let mut partners: Vec<PartnerFigures> = partners
        .into_iter()
        .map(|c| {
            let (i, e) = (value(Flow::Import, c), value(Flow::Export, c));
            PartnerFigures {
                code: c.to_string(),
                label: country_label(c),
                imports_eur: i,
                exports_eur: e,
                balance_eur: e - i,
            }
        })
        .collect();
    partners.sort_by(|a, b| {
        (b.imports_eur + b.exports_eur)
            .cmp(&(a.imports_eur + a.exports_eur))
            .then(a.code.cmp(&b.code))
    });
    Factsheet {
        schema: SCHEMA.into(),
        year,
        level: cube.level(),
        quarters: cube.quarters().to_vec(),
        source: source.clone(),
        territory: TerritoryInfo {
            kind: territory.kind().into(),
            code: territory.code().into(),
            name: territory.name().into(),
            region: territory.region().map(|r| NamedCode {
                code: r.code().into(),
                name: r.name().into(),
            }),
        },
        exports,
        imports,
        partners,
    }
}

/// A top list as JSON items: the named ones, then `autres` if the rest is not empty.
fn ranked<K: Copy>(
    r: &Ranking<K>,
    code: impl Fn(K) -> String,
    label: impl Fn(K) -> String,
) -> Vec<Ranked> {
    r.named
        .iter()
        .map(|&(k, v)| Ranked {
            code: code(k),
            label: label(k),
            value_eur: v,
        })
        .chain(r.others.map(|v| Ranked {
            code: OTHERS_CODE.into(),
            label: OTHERS_LABEL.into(),
            value_eur: v,
        }))
        .collect()
}

fn slot<K: std::fmt::Display>(s: Slot<K>) -> String {
    s.to_string()
}
