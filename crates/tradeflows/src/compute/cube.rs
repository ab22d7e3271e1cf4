//! A year of the regional file aggregated at one product level, from which every territory's
//! figures are drawn, with the totals of every year and the margins of the year before.
//!
//! A [`Cube`] holds, for one year, each place's non-zero cells with products and partners
//! renumbered densely over those present; a territory's figures are computed on a dense
//! products × partners grid, so régions and France cost one addition per cell.

use rustc_hash::FxHashMap;

use super::builder::Key;
use super::change::{largest_changes, Change, FlowChange, Margins};
use super::place::{counts_in, places};
use super::series::{QuarterFigures, Series, YearFigures};
use crate::codes::{Country, Flow, Level, Product, Quarters};
use crate::compute::matrix::{Fold, MatrixCell};
use crate::compute::rank::Ranking;
use crate::error::{Error, Result};
use crate::model::Territory;

/// A year of the regional file aggregated at one product level: for each flow and
/// département, the value of every (product, partner) pair. Build it once
/// ([`Dataset::cube`](crate::Dataset::cube)) and draw every territory's figures from it.
///
/// ```
/// use tradeflows::{Dataset, Flow, Level, Territory};
/// let data = Dataset::demo()?;
/// let cube = data.cube(None, Level::A10)?;
/// let bretagne: Territory = "reg:53".parse()?;
/// let exports = cube.flows(&bretagne, Flow::Export);
/// assert_eq!(exports.total(), cube.total(&bretagne, Flow::Export));
/// // By product at A10: a handful of codes that add up to the total.
/// let by_product = exports.by_product();
/// assert!(by_product.len() <= 10);
/// assert_eq!(by_product.iter().map(|p| p.1).sum::<i64>(), exports.total());
/// // The départements of the région add up to it.
/// let deps: i64 = ["22", "29", "35", "56"]
///     .iter()
///     .map(|d| cube.total(&d.parse().unwrap(), Flow::Export))
///     .sum();
/// assert_eq!(deps, exports.total());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Cube {
    year: u16,
    level: Level,
    quarters: Quarters,
    /// Every year's totals by quarter.
    series: Series,
    /// The year before, by quarter and product or partner (when the data have it).
    previous: Option<Margins>,
    /// The products present, in code order.
    products: Vec<Product>,
    /// The partners present, in code order.
    partners: Vec<Country>,
    /// `[flow][place]` → (compact product × n_partners + compact partner, euros).
    cells: [Vec<Vec<(u32, i64)>>; 2],
    /// `[flow][place]` → total.
    totals: [Vec<i64>; 2],
}

/// Which products and partners (dense indices) have a non-zero cell in `maps`.
fn seen(maps: &[FxHashMap<Key, i64>], level: Level) -> (Vec<bool>, Vec<bool>) {
    let mut products = vec![false; level.cardinality()];
    let mut partners = vec![false; Country::CARDINALITY];
    for map in maps {
        for (&k, &v) in map {
            if v != 0 {
                products[(k >> 10) as usize] = true;
                partners[(k & 1023) as usize] = true;
            }
        }
    }
    (products, partners)
}

/// The positions of the `true`s, and for each dense index its compact index.
fn compact_indices(seen: &[bool]) -> (Vec<usize>, Vec<u32>) {
    let list: Vec<usize> = (0..seen.len()).filter(|&i| seen[i]).collect();
    let mut index = vec![u32::MAX; seen.len()];
    for (c, &i) in list.iter().enumerate() {
        index[i] = c as u32;
    }
    (list, index)
}

impl Cube {
    /// A cube from the detail of a year (`[flow × places + place]` → (product, partner) →
    /// euros; empty for a year without rows), the series and the year before's margins.
    pub(crate) fn new(
        year: u16,
        quarters: Quarters,
        maps: &[FxHashMap<Key, i64>],
        level: Level,
        series: Series,
        previous: Option<Margins>,
    ) -> Result<Self> {
        let n = places();
        let empty = vec![FxHashMap::default(); 2 * n];
        let maps = if maps.is_empty() { &empty[..] } else { maps };
        if maps.len() != 2 * n {
            return Err(Error::Internal("detail maps of the wrong size"));
        }
        // The products and partners present, one thread per flow.
        let ((mut product_seen, mut partner_seen), (p1, c1)) = std::thread::scope(|scope| {
            let imports = scope.spawn(|| seen(&maps[..n], level));
            let exports = seen(&maps[n..], level);
            (
                imports.join().unwrap_or_else(|_| seen(&maps[..n], level)),
                exports,
            )
        });
        for (a, b) in product_seen.iter_mut().zip(p1) {
            *a |= b;
        }
        for (a, b) in partner_seen.iter_mut().zip(c1) {
            *a |= b;
        }
        let (product_list, product_index) = compact_indices(&product_seen);
        let (partner_list, partner_index) = compact_indices(&partner_seen);
        let products = product_list
            .iter()
            .map(|&i| {
                level
                    .product_at(i)
                    .ok_or(Error::Internal("product index out of its level"))
            })
            .collect::<Result<Vec<Product>>>()?;
        let partners = partner_list
            .iter()
            .map(|&i| Country::from_index(i).ok_or(Error::Internal("country index out of range")))
            .collect::<Result<Vec<Country>>>()?;
        let n_partners = partners.len() as u32;

        // Each place's non-zero cells under compact keys (in no particular order: a
        // territory's figures are folded on a dense grid).
        let compact = |map: &FxHashMap<Key, i64>| -> Vec<(u32, i64)> {
            map.iter()
                .filter(|x| *x.1 != 0)
                .map(|(&k, &v)| {
                    let p = product_index[(k >> 10) as usize];
                    let c = partner_index[(k & 1023) as usize];
                    (p * n_partners + c, v)
                })
                .collect()
        };
        // One thread per flow: the two halves are independent.
        let per_flow = |flow: usize| -> Vec<Vec<(u32, i64)>> {
            maps[flow * n..(flow + 1) * n].iter().map(compact).collect()
        };
        let cells: [Vec<Vec<(u32, i64)>>; 2] = std::thread::scope(|scope| {
            let imports = scope.spawn(|| per_flow(0));
            let exports = per_flow(1);
            [imports.join().unwrap_or_else(|_| per_flow(0)), exports]
        });
        let totals: [Vec<i64>; 2] = [0, 1].map(|flow| {
            cells[flow]
                .iter()
                .map(|c| c.iter().map(|x| x.1).sum())
                .collect()
        });
        Ok(Cube {
            year,
            level,
            quarters,
            series,
            previous,
            products,
            partners,
            cells,
            totals,
        })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The product level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The quarters the year's rows cover (fewer than four for a partial year).
    pub fn quarters(&self) -> Quarters {
        self.quarters
    }

    /// Every year's totals by quarter.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// A territory's exports and imports, one entry per year of the data, ascending.
    pub fn history(&self, territory: &Territory) -> Vec<YearFigures> {
        self.series.history(territory)
    }

    /// A territory's exports and imports, one entry per (year, quarter) of the data.
    pub fn quarterly(&self, territory: &Territory) -> Vec<QuarterFigures> {
        self.series.quarterly(territory)
    }

    /// A territory's change against the year before, over this year's quarters, with the `n`
    /// partners and products (at the cube's level) whose value changed most. `None` when the
    /// year before is not in the data or lacks one of this year's quarters.
    pub fn change(&self, territory: &Territory, n: usize) -> Option<Change> {
        let previous = self.previous.as_ref()?;
        let before = self.series.year(previous.year)?;
        if Some(previous.year) != self.year.checked_sub(1)
            || self.quarters.is_empty()
            || !before.quarters.covers(self.quarters)
        {
            return None;
        }
        let flow_change = |flow: Flow| {
            let now = self.flows(territory, flow);
            FlowChange {
                previous_eur: before.total(territory, flow, self.quarters),
                value_eur: now.total(),
                partners: largest_changes(
                    &previous.by_partner(territory, flow, self.quarters),
                    &now.by_partner(),
                    n,
                ),
                products: largest_changes(
                    &previous.by_product(territory, flow, self.quarters),
                    &now.by_product(),
                    n,
                ),
            }
        };
        Some(Change {
            previous_year: previous.year,
            quarters: self.quarters,
            exports: flow_change(Flow::Export),
            imports: flow_change(Flow::Import),
        })
    }

    /// The total value of a territory's flow, in euros (rows of unlisted département codes
    /// count in France's, and in their région's when known).
    pub fn total(&self, territory: &Territory, flow: Flow) -> i64 {
        self.totals[flow.index()]
            .iter()
            .enumerate()
            .filter(|(i, _)| counts_in(territory, *i))
            .map(|x| x.1)
            .sum()
    }

    /// The (product, partner) values of a territory's flow.
    pub fn flows(&self, territory: &Territory, flow: Flow) -> TerritoryFlows<'_> {
        let mut grid = vec![0i64; self.products.len() * self.partners.len()];
        for (i, cells) in self.cells[flow.index()].iter().enumerate() {
            if counts_in(territory, i) {
                for &(k, v) in cells {
                    grid[k as usize] += v;
                }
            }
        }
        TerritoryFlows { cube: self, grid }
    }
}

/// The values of one territory and flow by (product, partner), at the cube's level.
#[derive(Debug, Clone)]
pub struct TerritoryFlows<'a> {
    cube: &'a Cube,
    /// products × partners, row-major, compact indices of the cube.
    grid: Vec<i64>,
}

impl TerritoryFlows<'_> {
    fn product(&self, p: usize) -> Product {
        self.cube.products[p]
    }

    fn partner(&self, c: usize) -> Country {
        self.cube.partners[c]
    }

    fn width(&self) -> usize {
        self.cube.partners.len().max(1)
    }

    /// The total, in euros.
    pub fn total(&self) -> i64 {
        self.grid.iter().sum()
    }

    /// Every non-zero (product, partner, value), sorted by product then partner.
    pub fn cells(&self) -> impl Iterator<Item = (Product, Country, i64)> + '_ {
        let w = self.width();
        self.grid
            .iter()
            .enumerate()
            .filter(|x| *x.1 != 0)
            .map(move |(i, &v)| (self.product(i / w), self.partner(i % w), v))
    }

    /// The total per product, in code order (products with a non-zero total).
    pub fn by_product(&self) -> Vec<(Product, i64)> {
        self.grid
            .chunks(self.width())
            .enumerate()
            .map(|(p, row)| (p, row.iter().sum::<i64>()))
            .filter(|x| x.1 != 0)
            .map(|(p, v)| (self.product(p), v))
            .collect()
    }

    /// The total per partner country, in code order (partners with a non-zero total).
    pub fn by_partner(&self) -> Vec<(Country, i64)> {
        let w = self.width();
        let mut sums = vec![0i64; w];
        for row in self.grid.chunks(w) {
            for (s, v) in sums.iter_mut().zip(row) {
                *s += v;
            }
        }
        sums.iter()
            .enumerate()
            .filter(|x| *x.1 != 0)
            .map(|(c, &v)| (self.partner(c), v))
            .collect()
    }

    /// The `n` main products and the rest.
    pub fn top_products(&self, n: usize) -> Ranking<Product> {
        Ranking::top_n(self.by_product(), n)
    }

    /// The `n` main partners and the rest.
    pub fn top_partners(&self, n: usize) -> Ranking<Country> {
        Ranking::top_n(self.by_partner(), n)
    }

    /// The matrix of the `n` main products × the `n` main partners (plus `autres` on each
    /// side), with the `highlight` largest named cells marked. Same result as
    /// [`matrix`](crate::compute::matrix()) over [`cells`](Self::cells) (a test checks it),
    /// folded on the dense grid without building the cell list.
    pub fn matrix(&self, n: usize, highlight: usize) -> Vec<MatrixCell<Product, Country>> {
        self.matrix_of(&self.top_products(n), &self.top_partners(n), highlight)
    }

    /// The matrix for given top lists (see [`TerritoryFlows::matrix`]).
    pub fn matrix_of(
        &self,
        products: &Ranking<Product>,
        partners: &Ranking<Country>,
        highlight: usize,
    ) -> Vec<MatrixCell<Product, Country>> {
        // The slot of each compact index: its rank among the named ones, or `autres`.
        let slot_p: Vec<usize> = self
            .cube
            .products
            .iter()
            .map(|&p| products.position(p))
            .collect();
        let slot_c: Vec<usize> = self
            .cube
            .partners
            .iter()
            .map(|&c| partners.position(c))
            .collect();
        let mut fold = Fold::new(products.named.len(), partners.named.len());
        for (p, row) in self.grid.chunks(self.width()).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                fold.add(slot_p[p], slot_c[c], v);
            }
        }
        fold.cells(products, partners, highlight)
    }
}
