//! Change over a year: a territory's exports and imports against the year before, over the
//! same quarters, and the partners and products that drove it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::place::{counts_in, places};
use super::rank::share;
use crate::codes::{Country, Flow, Level, Product, Quarters};
use crate::error::{Error, Result};
use crate::model::Territory;

/// A year kept by quarter and product, and by quarter and partner, for every flow and place:
/// what the change of the year after needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Margins {
    /// The year.
    pub year: u16,
    /// The quarters its rows cover.
    pub quarters: Quarters,
    products: Vec<Product>,
    partners: Vec<Country>,
    /// `[flow][place]` → (quarter, index into `products`, euros).
    by_product: [Vec<Vec<(u8, u32, i64)>>; 2],
    /// `[flow][place]` → (quarter, index into `partners`, euros).
    by_partner: [Vec<Vec<(u8, u32, i64)>>; 2],
}

impl Margins {
    /// From the builder's maps (`[flow × places + place]` → margin key → euros).
    pub(crate) fn new(
        year: u16,
        quarters: Quarters,
        maps: &[FxHashMap<u32, i64>],
        level: Level,
    ) -> Result<Self> {
        let mut products: BTreeMap<usize, u32> = BTreeMap::new();
        let mut partners: BTreeMap<usize, u32> = BTreeMap::new();
        for map in maps {
            for &k in map.keys() {
                let index = (k & ((1 << 29) - 1)) as usize;
                let set = if k & (1 << 29) != 0 {
                    &mut partners
                } else {
                    &mut products
                };
                set.insert(index, 0);
            }
        }
        for (i, v) in products.values_mut().enumerate() {
            *v = i as u32;
        }
        for (i, v) in partners.values_mut().enumerate() {
            *v = i as u32;
        }
        let n = places();
        let split = |flow: usize, partner: bool| -> Vec<Vec<(u8, u32, i64)>> {
            maps[flow * n..(flow + 1) * n]
                .iter()
                .map(|map| {
                    map.iter()
                        .filter(|(&k, &v)| v != 0 && (k & (1 << 29) != 0) == partner)
                        .filter_map(|(&k, &v)| {
                            let index = (k & ((1 << 29) - 1)) as usize;
                            let set = if partner { &partners } else { &products };
                            Some(((k >> 30) as u8 + 1, *set.get(&index)?, v))
                        })
                        .collect()
                })
                .collect()
        };
        Ok(Margins {
            year,
            quarters,
            by_product: [split(0, false), split(1, false)],
            by_partner: [split(0, true), split(1, true)],
            products: products
                .keys()
                .map(|&i| {
                    level
                        .product_at(i)
                        .ok_or(Error::Internal("margin product out of its level"))
                })
                .collect::<Result<_>>()?,
            partners: partners
                .keys()
                .map(|&i| {
                    Country::from_index(i).ok_or(Error::Internal("margin country out of range"))
                })
                .collect::<Result<_>>()?,
        })
    }

    fn fold<K: Copy>(
        cells: &[Vec<(u8, u32, i64)>],
        keys: &[K],
        territory: &Territory,
        quarters: Quarters,
    ) -> Vec<(K, i64)> {
        let mut sums = vec![0i64; keys.len()];
        for (place, cells) in cells.iter().enumerate() {
            if counts_in(territory, place) {
                for &(q, i, v) in cells {
                    if quarters.contains(q) {
                        sums[i as usize] += v;
                    }
                }
            }
        }
        keys.iter()
            .zip(sums)
            .filter(|x| x.1 != 0)
            .map(|(&k, v)| (k, v))
            .collect()
    }

    /// A territory's flow by product over some quarters (non-zero values).
    pub fn by_product(
        &self,
        territory: &Territory,
        flow: Flow,
        quarters: Quarters,
    ) -> Vec<(Product, i64)> {
        Self::fold(
            &self.by_product[flow.index()],
            &self.products,
            territory,
            quarters,
        )
    }

    /// A territory's flow by partner over some quarters (non-zero values).
    pub fn by_partner(
        &self,
        territory: &Territory,
        flow: Flow,
        quarters: Quarters,
    ) -> Vec<(Country, i64)> {
        Self::fold(
            &self.by_partner[flow.index()],
            &self.partners,
            territory,
            quarters,
        )
    }
}

/// A code's value in two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution<K> {
    /// The partner or product.
    pub code: K,
    /// Its value the year before, euros.
    pub previous_eur: i64,
    /// Its value in the reference year, euros.
    pub value_eur: i64,
}

impl<K> Contribution<K> {
    /// Value − previous value, euros.
    pub fn change_eur(&self) -> i64 {
        self.value_eur - self.previous_eur
    }

    /// Its change as a share of the flow's previous total (`None` when that is 0).
    pub fn contribution(&self, previous_total: i64) -> Option<f64> {
        share(self.change_eur(), previous_total)
    }
}

/// The `n` codes with the largest absolute change among those with a non-zero value in either
/// year (ties: code ascending).
///
/// ```
/// use tradeflows::compute::change::largest_changes;
/// let before = [("BE", 10), ("DE", 50), ("IT", 5)];
/// let after = [("DE", 40), ("IT", 25), ("US", 7)];
/// let top = largest_changes(&before, &after, 2);
/// assert_eq!(top.iter().map(|c| (c.code, c.change_eur())).collect::<Vec<_>>(), [("IT", 20), ("BE", -10)]);
/// ```
pub fn largest_changes<K: Ord + Copy>(
    previous: &[(K, i64)],
    current: &[(K, i64)],
    n: usize,
) -> Vec<Contribution<K>> {
    let mut both: BTreeMap<K, (i64, i64)> = BTreeMap::new();
    for &(k, v) in previous {
        both.entry(k).or_default().0 += v;
    }
    for &(k, v) in current {
        both.entry(k).or_default().1 += v;
    }
    let mut all: Vec<Contribution<K>> = both
        .into_iter()
        .filter(|(_, (p, c))| *p != 0 || *c != 0)
        .map(|(code, (previous_eur, value_eur))| Contribution {
            code,
            previous_eur,
            value_eur,
        })
        .collect();
    all.sort_by(|a, b| {
        b.change_eur()
            .unsigned_abs()
            .cmp(&a.change_eur().unsigned_abs())
            .then(a.code.cmp(&b.code))
    });
    all.truncate(n);
    all
}

/// One flow's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowChange {
    /// The flow the year before, over the reference year's quarters, euros.
    pub previous_eur: i64,
    /// The flow in the reference year, euros.
    pub value_eur: i64,
    /// The partners with the largest change.
    pub partners: Vec<Contribution<Country>>,
    /// The products with the largest change, at the cube's level.
    pub products: Vec<Contribution<Product>>,
}

impl FlowChange {
    /// value / previous − 1 (`None` when previous is 0).
    pub fn growth(&self) -> Option<f64> {
        (self.previous_eur != 0).then(|| self.value_eur as f64 / self.previous_eur as f64 - 1.0)
    }
}

/// A territory's change against the year before, over the reference year's quarters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The year compared with.
    pub previous_year: u16,
    /// The quarters compared (the reference year's).
    pub quarters: Quarters,
    /// Exports.
    pub exports: FlowChange,
    /// Imports.
    pub imports: FlowChange,
}

impl Change {
    /// The change of a flow.
    pub fn flow(&self, flow: Flow) -> &FlowChange {
        match flow {
            Flow::Export => &self.exports,
            Flow::Import => &self.imports,
        }
    }
}
