//! Labelled tables: the top lists, partner balances and totals with shares that the
//! factsheet, the command line and the Python module all show. Each figure is computed here
//! once.

use serde::Serialize;

use super::territory::Territory;
use crate::codes::{Country, Flow};
use crate::compute::cube::Cube;
use crate::compute::rank::{share, Ranking, Slot, OTHERS_LABEL};
use crate::model::factsheet::PartnerFigures;
use crate::nomenclature::Labels;

/// A code with its French label and a value in euros (a line of a top list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labelled<K> {
    /// The code (or `autres`).
    pub code: K,
    /// Its French label (`Autres` for the remainder; the code itself when unlabelled).
    pub label: String,
    /// Value in euros.
    pub value_eur: i64,
}

/// A top list as labelled items: the named ones, then `autres` if the rest is not empty, so
/// that the items sum to the breakdown's total.
pub fn labelled_top<K: Copy + Ord>(
    ranking: &Ranking<K>,
    label: impl Fn(K) -> String,
) -> Vec<Labelled<Slot<K>>> {
    ranking
        .named
        .iter()
        .map(|&(k, v)| Labelled {
            code: Slot::Named(k),
            label: label(k),
            value_eur: v,
        })
        .chain(ranking.others.map(|v| Labelled {
            code: Slot::Others,
            label: OTHERS_LABEL.into(),
            value_eur: v,
        }))
        .collect()
}

/// Imports, exports and balance with each of `partners` (each once, whatever the repeats),
/// from the by-partner values of each flow (in code order, as
/// [`TerritoryFlows::by_partner`](crate::compute::TerritoryFlows::by_partner) gives them);
/// sorted by imports + exports descending, then code.
pub fn labelled_partners(
    partners: impl IntoIterator<Item = Country>,
    imports: &[(Country, i64)],
    exports: &[(Country, i64)],
    label: impl Fn(Country) -> String,
) -> Vec<PartnerFigures> {
    let value = |list: &[(Country, i64)], c: Country| {
        list.binary_search_by_key(&c, |x| x.0)
            .map_or(0, |i| list[i].1)
    };
    let mut codes: Vec<Country> = partners.into_iter().collect();
    codes.sort_unstable();
    codes.dedup();
    let mut out: Vec<PartnerFigures> = codes
        .into_iter()
        .map(|c| PartnerFigures {
            code: c,
            label: label(c),
            imports_eur: value(imports, c),
            exports_eur: value(exports, c),
        })
        .collect();
    out.sort_by(|a, b| {
        (b.imports_eur + b.exports_eur)
            .cmp(&(a.imports_eur + a.exports_eur))
            .then(a.code.cmp(&b.code))
    });
    out
}

/// The balance with every partner of a territory (either flow), labelled, by imports +
/// exports descending.
pub fn partner_balances(
    cube: &Cube,
    territory: &Territory,
    labels: &Labels,
) -> Vec<PartnerFigures> {
    let imports = cube.flows(territory, Flow::Import).by_partner();
    let exports = cube.flows(territory, Flow::Export).by_partner();
    let all = imports
        .iter()
        .chain(&exports)
        .map(|x| x.0)
        .collect::<Vec<_>>();
    labelled_partners(all, &imports, &exports, |c| {
        labels.country_name(c, cube.year())
    })
}

/// A territory's share of its région's and of France's total for a flow: the région's for
/// départements only, France's for départements and régions.
pub fn shares(cube: &Cube, territory: &Territory, flow: Flow) -> (Option<f64>, Option<f64>) {
    let total = cube.total(territory, flow);
    let of_region = territory
        .region()
        .and_then(|r| share(total, cube.total(&Territory::Region(r), flow)));
    let of_nation = match territory {
        Territory::France => None,
        _ => share(total, cube.total(&Territory::France, flow)),
    };
    (of_region, of_nation)
}

/// The total of a territory's flow, with its shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TerritoryTotal {
    /// The territory.
    pub territory: Territory,
    /// The flow.
    pub flow: Flow,
    /// Total, euros.
    pub total_eur: i64,
    /// Share of the région's total (départements).
    pub share_of_region: Option<f64>,
    /// Share of France's total (départements and régions).
    pub share_of_nation: Option<f64>,
}

/// The totals of every territory (départements, régions, France) and flow (exports first).
pub fn totals(cube: &Cube) -> Vec<TerritoryTotal> {
    Territory::all()
        .flat_map(|t| {
            [Flow::Export, Flow::Import].map(|flow| {
                let (share_of_region, share_of_nation) = shares(cube, &t, flow);
                TerritoryTotal {
                    territory: t,
                    flow,
                    total_eur: cube.total(&t, flow),
                    share_of_region,
                    share_of_nation,
                }
            })
        })
        .collect()
}

/// What a top list ranks: the partner countries or the products of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Partner countries.
    Partners,
    /// Products, at the cube's level.
    Products,
}

impl std::str::FromStr for By {
    type Err = crate::CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "partners" => Ok(By::Partners),
            "products" => Ok(By::Products),
            _ => Err(crate::CodeError::new(
                "ranking",
                s,
                "expected partners or products",
            )),
        }
    }
}

/// The `n` main partners or products of a territory's flow, labelled, then `autres`: the
/// same items as the factsheet's top lists, with their codes as text.
///
/// ```
/// use tradeflows::model::tables::{top, By};
/// use tradeflows::{Dataset, Flow, Level};
/// let data = Dataset::demo()?;
/// let cube = data.cube(None, Level::A10)?;
/// let fr = "fr".parse()?;
/// let t = top(&cube, &fr, Flow::Export, By::Products, 3, data.labels());
/// assert_eq!(t.len(), 4);
/// assert_eq!(t[3].code, "autres");
/// assert_eq!(t.iter().map(|x| x.value_eur).sum::<i64>(), cube.total(&fr, Flow::Export));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn top(
    cube: &Cube,
    territory: &Territory,
    flow: Flow,
    by: By,
    n: usize,
    labels: &Labels,
) -> Vec<Labelled<String>> {
    fn text<K: std::fmt::Display>(list: Vec<Labelled<Slot<K>>>) -> Vec<Labelled<String>> {
        list.into_iter()
            .map(|l| Labelled {
                code: l.code.to_string(),
                label: l.label,
                value_eur: l.value_eur,
            })
            .collect()
    }
    let tf = cube.flows(territory, flow);
    match by {
        By::Partners => text(labelled_top(&tf.top_partners(n), |c| {
            labels.country_name(c, cube.year())
        })),
        By::Products => text(labelled_top(&tf.top_products(n), |p| {
            labels.product_name(p)
        })),
    }
}
