//! Aggregation of the regional file: the values per year, flow, département, product and
//! partner, from which every territory's figures are drawn.
//!
//! The load feeds rows into a [`CubeBuilder`] (one hash map per year, flow and département,
//! keyed by the dense product and partner indices: small maps that stay in cache). A
//! [`Cube`] then holds, for one year, each département's non-zero cells with products and
//! partners renumbered densely over those present; a territory's figures are computed on a
//! dense products × partners grid, so régions and France cost one addition per cell.

use rustc_hash::FxHashMap;

use crate::codes::{Country, Departement, Flow, Level, Place, Product, Quarters, Region};
use crate::compute::matrix::{Fold, MatrixCell};
use crate::compute::rank::Ranking;
use crate::error::{Error, Result};
use crate::model::Territory;
use crate::read::national::NationalRow;
use crate::read::regional::RegionalRow;
use crate::read::Sink;

/// Key of a cell: dense product index (level) << 10 | dense country index (< 1024).
type Key = u32;

/// Where the cube files a row: each listed département has its place; the rows of
/// unlisted département codes are filed by région (when their région code names one) or
/// together (when not), so that they count in their région's and France's totals.
fn place_index(place: Place) -> usize {
    match place {
        Place::Listed(d) => d.index(),
        Place::Unlisted(u) => match u.region() {
            Some(r) => Departement::count() + r.index(),
            None => Departement::count() + Region::count(),
        },
    }
}

/// Number of places of [`place_index`].
fn places() -> usize {
    Departement::count() + Region::count() + 1
}

/// Whether the rows filed at place `i` count in `territory`.
fn counts_in(territory: &Territory, i: usize) -> bool {
    let n = Departement::count();
    match territory {
        Territory::France => true,
        Territory::Departement(d) => i == d.index(),
        Territory::Region(r) => match Departement::from_index(i) {
            Some(d) => d.region() == *r,
            None => i == n + r.index(),
        },
    }
}

#[inline]
fn key(product: usize, country: usize) -> Key {
    ((product as u32) << 10) | country as u32
}

/// The values of one year being gathered.
#[derive(Debug, Clone)]
struct YearAcc {
    year: u16,
    quarters: Quarters,
    /// `[flow * places + place]` → (product, partner) → euros.
    maps: Vec<FxHashMap<Key, i64>>,
}

impl YearAcc {
    fn new(year: u16) -> Self {
        YearAcc {
            year,
            quarters: Quarters::NONE,
            maps: vec![FxHashMap::default(); 2 * places()],
        }
    }
}

/// Gathers rows into per-year aggregates at one product level (what a load fills).
///
/// DGDDI files come sorted (by quarter, département, A129, CPF4, country), so consecutive
/// rows share their year, flow, département and product while the country varies: such a
/// run is summed in a small dense array by country first, and each (product, country) of
/// the run reaches the hash map once. Unsorted input gives the same result, only slower.
#[derive(Debug, Clone)]
pub struct CubeBuilder {
    level: Level,
    years: Vec<YearAcc>,
    /// The current run: (year slot, map slot, product).
    run: Option<(usize, usize, usize)>,
    /// The run's sums by country, and which countries it touched.
    run_values: Vec<i64>,
    run_touched: Vec<u16>,
    run_seen: Vec<bool>,
    /// When set, rows of other years are only noted (their year), not aggregated.
    only: Option<u16>,
    /// The years of the rows not aggregated.
    skipped_years: Vec<u16>,
}

impl CubeBuilder {
    /// A builder that aggregates the rows of one year only (memory does not grow with the
    /// number of years in the files); the other years are still listed by [`years`](Self::years).
    pub fn for_year(level: Level, year: u16) -> Self {
        CubeBuilder {
            only: Some(year),
            ..CubeBuilder::new(level)
        }
    }

    /// An empty builder for a product level.
    pub fn new(level: Level) -> Self {
        CubeBuilder {
            level,
            years: Vec::new(),
            run: None,
            run_values: vec![0; Country::CARDINALITY],
            run_touched: Vec::new(),
            run_seen: vec![false; Country::CARDINALITY],
            only: None,
            skipped_years: Vec::new(),
        }
    }

    /// Adds one row.
    #[inline]
    pub fn add(&mut self, row: &RegionalRow) {
        if let Some(only) = self.only {
            if row.year != only {
                if !self.skipped_years.contains(&row.year) {
                    self.skipped_years.push(row.year);
                }
                return;
            }
        }
        let product = self.level.index_of(row.a129, row.cpf4);
        let slot = row.flow.index() * places() + place_index(row.place);
        let y = match self.run {
            Some((y, s, p)) if s == slot && p == product && self.years[y].year == row.year => y,
            _ => {
                self.flush();
                let y = match self.years.iter().position(|a| a.year == row.year) {
                    Some(i) => i,
                    None => {
                        self.years.push(YearAcc::new(row.year));
                        self.years.len() - 1
                    }
                };
                self.run = Some((y, slot, product));
                y
            }
        };
        self.years[y].quarters.insert(row.quarter);
        let c = row.country.index();
        if !self.run_seen[c] {
            self.run_seen[c] = true;
            self.run_touched.push(c as u16);
        }
        self.run_values[c] += row.value;
    }

    /// Moves the current run into the hash maps.
    fn flush(&mut self) {
        let Some((y, slot, product)) = self.run.take() else {
            return;
        };
        let map = &mut self.years[y].maps[slot];
        for &c in &self.run_touched {
            let c = usize::from(c);
            *map.entry(key(product, c)).or_insert(0) += self.run_values[c];
            self.run_values[c] = 0;
            self.run_seen[c] = false;
        }
        self.run_touched.clear();
    }

    /// The product level of the aggregates.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The years gathered, ascending.
    pub fn years(&self) -> Vec<u16> {
        let mut y: Vec<u16> = self
            .years
            .iter()
            .map(|a| a.year)
            .chain(self.skipped_years.iter().copied())
            .collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// Ends the current run (done by [`CubeBuilder::cube`] too).
    pub fn finish(&mut self) {
        self.flush();
    }

    /// The cube of one year (an empty one if the year has no row).
    pub fn cube(&self, year: u16) -> Result<Cube> {
        if self.run.is_some() {
            let mut done = self.clone();
            done.flush();
            return done.cube(year);
        }
        match self.years.iter().find(|a| a.year == year) {
            Some(acc) => Cube::from_acc(acc, self.level),
            None => Cube::from_acc(&YearAcc::new(year), self.level),
        }
    }
}

impl Sink for CubeBuilder {
    fn regional(&mut self, row: &RegionalRow, _source: u16, _line: u64) {
        self.add(row);
    }

    fn national(&mut self, _row: &NationalRow, _source: u16, _line: u64) {}

    fn merge(&mut self, mut other: Self) {
        self.flush();
        other.flush();
        for y in other.skipped_years.drain(..) {
            if !self.skipped_years.contains(&y) {
                self.skipped_years.push(y);
            }
        }
        for acc in other.years {
            match self.years.iter_mut().find(|a| a.year == acc.year) {
                None => self.years.push(acc),
                Some(mine) => {
                    for q in acc.quarters.iter() {
                        mine.quarters.insert(q);
                    }
                    for (m, o) in mine.maps.iter_mut().zip(acc.maps) {
                        if m.is_empty() {
                            *m = o;
                        } else {
                            for (k, v) in o {
                                *m.entry(k).or_insert(0) += v;
                            }
                        }
                    }
                }
            }
        }
    }
}

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
    fn from_acc(acc: &YearAcc, level: Level) -> Result<Self> {
        let n = places();
        // The products and partners present, one thread per flow.
        let ((mut product_seen, mut partner_seen), (p1, c1)) = std::thread::scope(|scope| {
            let imports = scope.spawn(|| seen(&acc.maps[..n], level));
            let exports = seen(&acc.maps[n..], level);
            (
                imports
                    .join()
                    .unwrap_or_else(|_| seen(&acc.maps[..n], level)),
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
            acc.maps[flow * n..(flow + 1) * n]
                .iter()
                .map(compact)
                .collect()
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
            year: acc.year,
            level,
            quarters: acc.quarters,
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
