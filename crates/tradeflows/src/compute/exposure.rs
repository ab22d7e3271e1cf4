//! Exposure and dependence: how concentrated a territory's trade is, how much of it goes to
//! or comes from each zone and the countries watched, which imported products depend on few
//! suppliers outside the EU, and what the territory is specialised in.

use super::cube::{Cube, TerritoryFlows};
use super::rank::share;
use crate::codes::{Country, Cpf4, Flow, Product};
use crate::model::Territory;

/// The thresholds of a dependency: the criteria of the European Commission's screening of
/// strategic dependencies (*Strategic dependencies and capacities*, SWD(2021) 352), applied
/// to the territory's imports of a CPF4 product.
pub mod criteria {
    /// Imports of at least this many euros.
    pub const MIN_IMPORTS_EUR: i64 = 1_000_000;
    /// A share of extra-EU imports above this.
    pub const EXTRA_EU_SHARE: f64 = 0.5;
    /// A concentration of the extra-EU suppliers (HHI of their shares) above this.
    pub const HHI_EXTRA_EU: f64 = 0.4;
    /// Products whose share of the territory's exports is at least this enter the
    /// specialisation.
    pub const MIN_SPECIALISATION_SHARE: f64 = 0.01;
}

/// The Herfindahl-Hirschman index of a breakdown: Σ (value / total)², summed in the order
/// given; `None` when the total is 0.
///
/// ```
/// use tradeflows::compute::exposure::hhi;
/// assert_eq!(hhi([50, 50]), Some(0.5));
/// assert_eq!(hhi([10]), Some(1.0));
/// assert_eq!(hhi([0, 0]), None);
/// ```
pub fn hhi(values: impl IntoIterator<Item = i64> + Clone) -> Option<f64> {
    let total: i64 = values.clone().into_iter().sum();
    (total != 0).then(|| {
        values
            .into_iter()
            .map(|v| {
                let s = v as f64 / total as f64;
                s * s
            })
            .sum()
    })
}

/// One flow's exposure (the default: no trade, no country watched).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowExposure {
    /// The flow's total, euros.
    pub total_eur: i64,
    /// The value of each zone, in the order of [`Zone::ALL`](crate::Zone::ALL).
    pub zones: [i64; 7],
    /// The value of each country watched, in the order asked.
    pub watch: Vec<(Country, i64)>,
    /// HHI of the partner countries (`None` when the total is 0).
    pub partners_hhi: Option<f64>,
    /// HHI of the products, at the cube's level.
    pub products_hhi: Option<f64>,
    /// Partner countries with a positive value.
    pub partners_count: usize,
    /// The largest partner (ties: code) and its value.
    pub top_partner: Option<(Country, i64)>,
}

/// An imported CPF4 product that depends on few suppliers outside the EU (see [`criteria`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// The product.
    pub product: Cpf4,
    /// Its imports, euros.
    pub value_eur: i64,
    /// Its imports from outside the EU of 27, euros.
    pub extra_eu_eur: i64,
    /// HHI of its extra-EU suppliers (their shares of the extra-EU imports).
    pub hhi_extra_eu: f64,
    /// Its largest extra-EU supplier (ties: code) and the value it supplies.
    pub top_supplier: (Country, i64),
}

impl Dependency {
    /// Imports from outside the EU / all its imports.
    pub fn extra_eu_share(&self) -> f64 {
        self.extra_eu_eur as f64 / self.value_eur as f64
    }
}

/// A product the territory exports more of, in proportion, than France does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Specialisation {
    /// The product, at the cube's level.
    pub product: Product,
    /// The territory's exports of it, euros.
    pub value_eur: i64,
    /// Its share of the territory's exports.
    pub share: f64,
    /// Its share of France's exports.
    pub national_share: f64,
}

impl Specialisation {
    /// The location quotient: share / national share.
    pub fn lq(&self) -> f64 {
        self.share / self.national_share
    }
}

/// A territory's exposure (the default: a territory with no trade).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exposure {
    /// Exports.
    pub exports: FlowExposure,
    /// Imports.
    pub imports: FlowExposure,
    /// The imported products that depend on few extra-EU suppliers, by value then code.
    pub dependencies: Vec<Dependency>,
    /// The five products with the highest location quotient (départements and régions).
    pub specialisation: Vec<Specialisation>,
}

fn flow_exposure(tf: &TerritoryFlows<'_>, watch: &[Country]) -> FlowExposure {
    let partners = tf.partner_sums();
    let products = tf.product_sums();
    let mut zones = [0i64; 7];
    for &(c, v) in partners {
        zones[c.zone().index()] += v;
    }
    let value = |c: Country| {
        partners
            .binary_search_by_key(&c, |x| x.0)
            .map_or(0, |i| partners[i].1)
    };
    // The largest partner: value descending, then code (partners are in code order).
    let top_partner =
        partners
            .iter()
            .filter(|x| x.1 > 0)
            .fold(None, |best: Option<(Country, i64)>, &(c, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((c, v)),
            });
    FlowExposure {
        total_eur: tf.total(),
        zones,
        watch: watch.iter().map(|&c| (c, value(c))).collect(),
        partners_hhi: hhi(partners.iter().map(|x| x.1)),
        products_hhi: hhi(products.iter().map(|x| x.1)),
        partners_count: partners.iter().filter(|x| x.1 > 0).count(),
        top_partner,
    }
}

/// The dependencies of a territory's imports (see [`criteria`]).
fn dependencies(cube: &Cube, territory: &Territory) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = cube.cpf4_imports(
        territory,
        // The size and the share first, from the sums: most products fail them, and
        // then their suppliers are not read.
        |total, extra_eu| {
            total >= criteria::MIN_IMPORTS_EUR
                && extra_eu as f64 / total as f64 > criteria::EXTRA_EU_SHARE
        },
        |imports| {
            let extra_eu_eur = imports.extra_eu;
            let concentration = hhi(imports.suppliers.iter().map(|x| x.1))?;
            if concentration <= criteria::HHI_EXTRA_EU {
                return None;
            }
            // The largest supplier: value descending, then code (suppliers are in code order).
            let top =
                imports
                    .suppliers
                    .iter()
                    .fold(None, |best: Option<(Country, i64)>, &(c, v)| match best {
                        Some((_, b)) if b >= v => best,
                        _ => Some((c, v)),
                    })?;
            Some(Dependency {
                product: imports.product,
                value_eur: imports.total,
                extra_eu_eur,
                hhi_extra_eu: concentration,
                top_supplier: top,
            })
        },
    );
    out.sort_by(|a, b| {
        b.value_eur
            .cmp(&a.value_eur)
            .then(a.product.cmp(&b.product))
    });
    out
}

/// The five products with the highest location quotient among those with a share of at
/// least [`criteria::MIN_SPECIALISATION_SHARE`] of the territory's exports; none for France.
fn specialisation(
    cube: &Cube,
    territory: &Territory,
    here: &TerritoryFlows<'_>,
) -> Vec<Specialisation> {
    if *territory == Territory::France {
        return Vec::new();
    }
    let national_total = cube.total(&Territory::France, Flow::Export);
    let total = here.total();
    // Both lists are in product order.
    let national = cube.national_exports();
    let mut out: Vec<Specialisation> = here
        .product_sums()
        .iter()
        .filter_map(|&(product, v)| {
            let i = national.binary_search_by(|x| x.0.cmp(&product)).ok()?;
            let n = national[i].1;
            Some(Specialisation {
                product,
                value_eur: v,
                share: share(v, total)?,
                national_share: share(n, national_total)?,
            })
        })
        .filter(|s| s.share >= criteria::MIN_SPECIALISATION_SHARE && s.national_share > 0.0)
        .collect();
    // Location quotient descending, then product: a total order (a product once), so the
    // five first are the same whichever way they are found; only they are sorted.
    let order = |a: &Specialisation, b: &Specialisation| {
        b.lq().total_cmp(&a.lq()).then(a.product.cmp(&b.product))
    };
    if out.len() > 5 {
        out.select_nth_unstable_by(5, order);
        out.truncate(5);
    }
    out.sort_by(order);
    out
}

impl Cube {
    /// A territory's exposure: its zones, the countries watched, the concentration of its
    /// partners and products, its dependencies and its specialisation.
    ///
    /// ```
    /// use tradeflows::{Dataset, Flow, Level, Zone};
    /// let data = Dataset::demo()?;
    /// let cube = data.cube(None, Level::A38)?;
    /// let watch = tradeflows::factsheet::default_watch(); // US, CN, GB
    /// let exposure = cube.exposure(&"22".parse()?, &watch);
    /// let exports = &exposure.exports;
    /// assert_eq!(exports.zones.iter().sum::<i64>(), exports.total_eur);
    /// assert!(exports.zones[Zone::Ue27.index()] > exports.zones[Zone::Asie.index()]);
    /// assert_eq!(exports.total_eur, cube.total(&"22".parse()?, Flow::Export));
    /// for d in &exposure.dependencies {
    ///     assert!(d.value_eur >= 1_000_000 && d.extra_eu_share() > 0.5 && d.hhi_extra_eu > 0.4);
    /// }
    /// assert!(exposure.specialisation.len() <= 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exposure(&self, territory: &Territory, watch: &[Country]) -> Exposure {
        let flows = [Flow::Import, Flow::Export].map(|f| self.flows(territory, f));
        self.exposure_of(territory, &flows, watch)
    }

    /// [`Cube::exposure`] from the territory's flows already folded (imports, exports).
    pub(crate) fn exposure_of(
        &self,
        territory: &Territory,
        flows: &[TerritoryFlows<'_>; 2],
        watch: &[Country],
    ) -> Exposure {
        Exposure {
            exports: flow_exposure(&flows[1], watch),
            imports: flow_exposure(&flows[0], watch),
            dependencies: dependencies(self, territory),
            specialisation: specialisation(self, territory, &flows[1]),
        }
    }
}
