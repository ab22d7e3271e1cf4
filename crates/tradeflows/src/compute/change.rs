//! Change over a year: a territory's exports and imports against the year before, over the
//! same quarters, and the partners and products that drove it.

use std::collections::BTreeMap;

use super::place::{counts_in, places};
use super::rank::share;
use super::sums::{Cells, SortedSums};
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
    /// The products and partners with a value, ascending.
    products: Vec<Product>,
    partners: Vec<Country>,
    /// `[flow × places + place]` → (quarter − 1) << 30 | partner flag << 29 | index into
    /// `products` or `partners` → euros (no zero).
    cells: Vec<Cells>,
}

/// The index bits of a margin key.
const INDEX: u32 = (1 << 29) - 1;
/// The partner flag of a margin key.
const PARTNER: u32 = 1 << 29;

impl Margins {
    /// From the builder's sums (`[flow × places + place]` → margin key → euros), whose
    /// keys are renumbered in place (8 bytes a margin, no second copy).
    pub(crate) fn new(
        year: u16,
        quarters: Quarters,
        sums: Vec<SortedSums>,
        level: Level,
    ) -> Result<Self> {
        let out_of_range = || Error::Internal("margin product or country out of range");
        let mut cells: Vec<Cells> = sums.into_iter().map(SortedSums::into_sorted).collect();
        // Which products and partners have a value: then their number among them.
        let mut numbers = [
            vec![u32::MAX; level.cardinality()],
            vec![u32::MAX; Country::CARDINALITY],
        ];
        for c in &cells {
            for (k, _) in c.iter().filter(|x| x.1 != 0) {
                let set = &mut numbers[usize::from(k & PARTNER != 0)];
                *set.get_mut((k & INDEX) as usize).ok_or_else(out_of_range)? = 0;
            }
        }
        let mut listed: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        for (set, list) in numbers.iter_mut().zip(&mut listed) {
            for (i, n) in set.iter_mut().enumerate().filter(|x| *x.1 == 0) {
                *n = list.len() as u32;
                list.push(i);
            }
        }
        for c in &mut cells {
            c.retain_nonzero_and_map(|k, _| {
                let n = numbers[usize::from(k & PARTNER != 0)][(k & INDEX) as usize];
                Some(k & !INDEX | n)
            })
            .ok_or_else(out_of_range)?;
        }
        let [products, partners] = listed;
        Ok(Margins {
            year,
            quarters,
            products: products
                .into_iter()
                .map(|i| level.product_at(i).ok_or_else(out_of_range))
                .collect::<Result<_>>()?,
            partners: partners
                .into_iter()
                .map(|i| Country::from_index(i).ok_or_else(out_of_range))
                .collect::<Result<_>>()?,
            cells,
        })
    }

    fn fold<K: Copy>(
        &self,
        flow: Flow,
        partner: bool,
        keys: &[K],
        territory: &Territory,
        quarters: Quarters,
    ) -> Vec<(K, i64)> {
        let mut sums = vec![0i64; keys.len()];
        let n = places();
        let flag = if partner { PARTNER } else { 0 };
        let cells = &self.cells[flow.index() * n..(flow.index() + 1) * n];
        for (place, cells) in cells.iter().enumerate() {
            if counts_in(territory, place) {
                for (k, v) in cells.iter() {
                    if k & PARTNER == flag && quarters.contains((k >> 30) as u8 + 1) {
                        sums[(k & INDEX) as usize] += v;
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
        self.fold(flow, false, &self.products, territory, quarters)
    }

    /// A territory's flow by partner over some quarters (non-zero values).
    pub fn by_partner(
        &self,
        territory: &Territory,
        flow: Flow,
        quarters: Quarters,
    ) -> Vec<(Country, i64)> {
        self.fold(flow, true, &self.partners, territory, quarters)
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
    // Size of the change descending, then code: a total order (a code once), so the `n`
    // first are the same whichever way they are found; only they are sorted.
    let order = |a: &Contribution<K>, b: &Contribution<K>| {
        b.change_eur()
            .unsigned_abs()
            .cmp(&a.change_eur().unsigned_abs())
            .then(a.code.cmp(&b.code))
    };
    if all.len() > n {
        all.select_nth_unstable_by(n, order);
        all.truncate(n);
    }
    all.sort_by(order);
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
