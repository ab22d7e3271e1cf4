//! A year of the regional file aggregated at one product level, from which every territory's
//! figures are drawn, with the totals of every year and the margins of the year before.
//!
//! A [`Cube`] holds, for one year, each place's non-zero cells with products and partners
//! renumbered densely over those present; a territory's figures are computed on a dense
//! products × partners grid, so régions and France cost one addition per cell.

use super::change::{largest_changes, Change, FlowChange, Margins};
use super::place::{counts_in, places};
use super::series::{QuarterFigures, Series, YearFigures};
use super::sums::{Cells, SortedSums};
use crate::codes::{Country, Cpf4, Flow, Level, Product, Quarters};
use crate::compute::matrix::{Fold, MatrixCell};
use crate::compute::rank::Ranking;
use crate::error::{Error, Result};
use crate::model::Territory;

/// What a cube's maps hold: the products and partners present, and each dense index's
/// compact index.
struct Present {
    products: Vec<Product>,
    partners: Vec<Country>,
    product_index: Vec<u32>,
    partner_index: Vec<u32>,
}

/// A territory's imports of one CPF4 product: its total and its extra-EU suppliers in code
/// order with their values.
pub(crate) struct ProductImports<'a> {
    pub product: Cpf4,
    pub total: i64,
    pub suppliers: &'a [(Country, i64)],
}

/// A year's detail as the builder gathered it, handed over to the cube: `[flow × places +
/// place]` → (product, partner) → euros, and `[place]` → imports by (CPF4, extra-EU country
/// or all partners) → euros.
#[derive(Debug, Default)]
pub(crate) struct Detail {
    pub(crate) maps: Vec<SortedSums>,
    pub(crate) imports_cpf4: Vec<SortedSums>,
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
    /// Every year's totals by quarter.
    series: Series,
    /// The year before, by quarter and product or partner (when the data have it).
    previous: Option<Margins>,
    /// The CPF4 products imported, in code order.
    cpf4_products: Vec<Cpf4>,
    /// `[place]` → imports by (compact CPF4 × (partners + 1) + compact extra-EU partner, or
    /// the partners' count for the product's total), sorted: the dependencies' figures,
    /// whatever the level.
    imports_cpf4: Vec<Cells>,
    /// France's exports by product (the specialisation's denominator), computed once.
    national_exports: std::sync::OnceLock<Vec<(Product, i64)>>,
    /// The products present, in code order.
    products: Vec<Product>,
    /// The partners present, in code order.
    partners: Vec<Country>,
    /// `[flow][place]` → (compact product × n_partners + compact partner, euros).
    cells: [Vec<Cells>; 2],
    /// `[flow][place]` → total.
    totals: [Vec<i64>; 2],
}

/// Which products and partners (dense indices) have a non-zero cell in `maps`.
fn seen(maps: &[Cells], level: Level) -> (Vec<bool>, Vec<bool>) {
    let mut products = vec![false; level.cardinality()];
    let mut partners = vec![false; Country::CARDINALITY];
    for map in maps {
        for (k, v) in map.iter() {
            if v != 0 {
                products[(k >> 10) as usize] = true;
                partners[(k & 1023) as usize] = true;
            }
        }
    }
    (products, partners)
}

/// The products and partners present (non-zero) in the maps, and each dense index's compact
/// index; one thread per flow. The partners of the CPF4 imports count too (a country whose
/// rows cancel out at the cube's level may still have CPF4 imports).
fn present(maps: &[Cells], cpf4: &[SortedSums], level: Level) -> Result<Present> {
    let n = maps.len() / 2;
    let (first, (products_seen, partners_seen)) = std::thread::scope(|scope| {
        let imports = scope.spawn(|| seen(&maps[..n], level));
        let exports = seen(&maps[n..], level);
        (imports.join(), exports)
    });
    let (p0, c0) = first.map_err(|_| Error::Internal("a counting thread failed"))?;
    let or = |a: Vec<bool>, b: Vec<bool>| -> Vec<bool> {
        a.into_iter().zip(b).map(|(x, y)| x || y).collect()
    };
    let mut partners_seen = or(c0, partners_seen);
    for k in cpf4.iter().flat_map(SortedSums::keys) {
        if let Some(seen) = partners_seen.get_mut((k & 1023) as usize) {
            *seen = true;
        }
    }
    let (product_list, product_index) = compact_indices(&or(p0, products_seen));
    let (partner_list, partner_index) = compact_indices(&partners_seen);
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
    Ok(Present {
        products,
        partners,
        product_index,
        partner_index,
    })
}

/// One place's CPF4 imports under compact keys: the order of the raw keys is kept (the
/// compact indices grow with the raw ones, and the total comes last), so they stay sorted.
fn compact_place(
    sums: SortedSums,
    cpf4_index: &[u32],
    partner_index: &[u32],
    n_partners: u32,
) -> Result<Cells> {
    let mut cells = sums.into_sorted();
    let width = n_partners + 1;
    cells
        .retain_nonzero_and_map(|k| {
            let p = cpf4_index.get((k >> 10) as usize).copied();
            let c = match k & 1023 {
                super::builder::ALL_PARTNERS => Some(n_partners),
                c => partner_index.get(c as usize).copied(),
            };
            match (p, c) {
                (Some(p), Some(c)) if p != u32::MAX && c != u32::MAX => Some(p * width + c),
                _ => None,
            }
        })
        .ok_or(Error::Internal(
            "a CPF4 import outside the cube's products or partners",
        ))?;
    Ok(cells)
}

/// The CPF4 import sums (`[place]` → CPF4 value << 10 | country or 1023 → euros) under
/// compact keys (compact CPF4 × (partners + 1) + compact partner, or the partners' count
/// for the total), sorted, with the CPF4 products in code order.
fn compact_cpf4_imports(
    sums: Vec<SortedSums>,
    partner_index: &[u32],
    n_partners: usize,
    places: usize,
) -> Result<(Vec<Cpf4>, Vec<Cells>)> {
    let mut seen = vec![false; 10_000];
    for k in sums.iter().flat_map(SortedSums::keys) {
        if let Some(s) = seen.get_mut((k >> 10) as usize) {
            *s = true;
        }
    }
    let (present, cpf4_index) = compact_indices(&seen);
    let products = present
        .iter()
        .map(|&v| {
            u16::try_from(v)
                .ok()
                .and_then(Cpf4::from_value)
                .ok_or(Error::Internal("CPF4 value out of range"))
        })
        .collect::<Result<Vec<Cpf4>>>()?;
    let mut out = sums
        .into_iter()
        .map(|s| compact_place(s, &cpf4_index, partner_index, n_partners as u32))
        .collect::<Result<Vec<Cells>>>()?;
    out.resize(places, Cells::default());
    Ok((products, out))
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
    /// A cube from the detail of a year, taken over and freed place by place as it is
    /// compacted (`[flow × places + place]` → (product, partner) → euros, `[place]` →
    /// CPF4 imports; empty for a year without rows), the series and the year before's
    /// margins.
    pub(crate) fn new(
        year: u16,
        quarters: Quarters,
        detail: Detail,
        level: Level,
        series: Series,
        previous: Option<Margins>,
    ) -> Result<Self> {
        let n = places();
        let Detail { maps, imports_cpf4 } = detail;
        let mut maps: Vec<Cells> = maps.into_iter().map(SortedSums::into_sorted).collect();
        if maps.is_empty() {
            maps = vec![Cells::default(); 2 * n];
        }
        if maps.len() != 2 * n {
            return Err(Error::Internal("detail maps of the wrong size"));
        }
        let Present {
            products,
            partners,
            product_index,
            partner_index,
        } = present(&maps, &imports_cpf4, level)?;
        let n_partners = partners.len() as u32;
        // Each place's non-zero cells under compact keys, in place (the compact indices grow
        // with the dense ones, so the keys stay sorted).
        let compact = |mut map: Cells| -> Result<Cells> {
            map.retain_nonzero_and_map(|k| {
                let p = *product_index.get((k >> 10) as usize)?;
                let c = *partner_index.get((k & 1023) as usize)?;
                (p != u32::MAX && c != u32::MAX).then_some(p * n_partners + c)
            })
            .ok_or(Error::Internal(
                "a cell outside the cube's products or partners",
            ))?;
            Ok(map)
        };
        let exports = maps.split_off(n);
        let imports = maps;
        // One thread per flow, and one for the CPF4 imports: they are independent.
        let n_partners = partners.len();
        let (cells_imports, cells_exports, cpf4) = std::thread::scope(|scope| {
            let handle =
                scope.spawn(|| imports.into_iter().map(compact).collect::<Result<Vec<_>>>());
            let cpf4 =
                scope.spawn(|| compact_cpf4_imports(imports_cpf4, &partner_index, n_partners, n));
            let exports = exports.into_iter().map(compact).collect::<Result<Vec<_>>>();
            (handle.join(), exports, cpf4.join())
        });
        let failed = || Error::Internal("a compacting thread failed");
        let cells = [cells_imports.map_err(|_| failed())??, cells_exports?];
        let (cpf4_products, imports_cpf4) = cpf4.map_err(|_| failed())??;
        let totals: [Vec<i64>; 2] = [0, 1].map(|flow| cells[flow].iter().map(Cells::sum).collect());
        Ok(Cube {
            year,
            level,
            quarters,
            series,
            previous,
            cpf4_products,
            imports_cpf4,
            national_exports: std::sync::OnceLock::new(),
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

    /// `select` applied to the territory's imports of every CPF4 product whose imports reach
    /// `min` euros (the product, its total, and its extra-EU suppliers in code order with
    /// their values); what it keeps, in product order.
    ///
    /// Product by product, the cells of that product in each of the territory's places (each
    /// place's cells are sorted) are summed in one row: every cell is read once, in order,
    /// and the suppliers are listed in one buffer, reused.
    pub(crate) fn cpf4_imports<T>(
        &self,
        territory: &Territory,
        min: i64,
        mut select: impl FnMut(&ProductImports) -> Option<T>,
    ) -> Vec<T> {
        let width = self.partners.len() + 1;
        let total = width - 1;
        let lists: Vec<&Cells> = self
            .imports_cpf4
            .iter()
            .enumerate()
            .filter(|(p, c)| counts_in(territory, *p) && !c.is_empty())
            .map(|x| x.1)
            .collect();
        let mut cursors = vec![0usize; lists.len()];
        let mut row = vec![0i64; width];
        // The columns touched, a bit each: given back in order without a sort.
        let mut touched = vec![0u64; width.div_ceil(64)];
        let mut suppliers: Vec<(Country, i64)> = Vec::new();
        let mut out = Vec::new();
        for (p, &product) in self.cpf4_products.iter().enumerate() {
            let start = p * width;
            let end = (start + width) as u32;
            for (cells, at) in lists.iter().zip(cursors.iter_mut()) {
                while let Some(&k) = cells.keys.get(*at).filter(|&&k| k < end) {
                    let c = k as usize - start;
                    touched[c / 64] |= 1 << (c % 64);
                    row[c] += cells.value(*at);
                    *at += 1;
                }
            }
            let sum = row[total];
            let keep = sum >= min && sum > 0;
            suppliers.clear();
            for (w, word) in touched.iter_mut().enumerate() {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    let c = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let v = std::mem::take(&mut row[c]);
                    if keep && c < total && v != 0 {
                        suppliers.push((self.partners[c], v));
                    }
                }
            }
            if keep {
                out.extend(select(&ProductImports {
                    product,
                    total: sum,
                    suppliers: &suppliers,
                }));
            }
        }
        out
    }

    /// France's exports by product (computed once per cube).
    pub(crate) fn national_exports(&self) -> &[(Product, i64)] {
        self.national_exports
            .get_or_init(|| self.flows(&Territory::France, Flow::Export).by_product())
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
        let flows = [Flow::Import, Flow::Export].map(|f| self.flows(territory, f));
        self.change_of(territory, &flows, n)
    }

    /// [`Cube::change`] from the territory's flows already folded (imports, exports).
    pub(crate) fn change_of(
        &self,
        territory: &Territory,
        flows: &[TerritoryFlows<'_>; 2],
        n: usize,
    ) -> Option<Change> {
        let previous = self.previous.as_ref()?;
        let before = self.series.year(previous.year)?;
        if Some(previous.year) != self.year.checked_sub(1)
            || self.quarters.is_empty()
            || !before.quarters.covers(self.quarters)
        {
            return None;
        }
        let flow_change = |flow: Flow| {
            let now = &flows[flow.index()];
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
                for (k, v) in cells.iter() {
                    grid[k as usize] += v;
                }
            }
        }
        TerritoryFlows {
            cube: self,
            grid,
            by_product: std::cell::OnceCell::new(),
            by_partner: std::cell::OnceCell::new(),
        }
    }
}

/// The values of one territory and flow by (product, partner), at the cube's level.
#[derive(Debug, Clone)]
pub struct TerritoryFlows<'a> {
    cube: &'a Cube,
    /// products × partners, row-major, compact indices of the cube.
    grid: Vec<i64>,
    /// The sums by product and by partner, computed once (the factsheet's top lists, its
    /// change and its exposure all read them).
    by_product: std::cell::OnceCell<Vec<(Product, i64)>>,
    by_partner: std::cell::OnceCell<Vec<(Country, i64)>>,
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
        self.product_sums().iter().map(|x| x.1).sum()
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
        self.product_sums().to_vec()
    }

    /// [`TerritoryFlows::by_product`], borrowed.
    pub(crate) fn product_sums(&self) -> &[(Product, i64)] {
        self.by_product.get_or_init(|| {
            self.grid
                .chunks(self.width())
                .enumerate()
                .map(|(p, row)| (p, row.iter().sum::<i64>()))
                .filter(|x| x.1 != 0)
                .map(|(p, v)| (self.product(p), v))
                .collect()
        })
    }

    /// The total per partner country, in code order (partners with a non-zero total).
    pub fn by_partner(&self) -> Vec<(Country, i64)> {
        self.partner_sums().to_vec()
    }

    /// [`TerritoryFlows::by_partner`], borrowed.
    pub(crate) fn partner_sums(&self) -> &[(Country, i64)] {
        self.by_partner.get_or_init(|| {
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
        })
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
        // The named partners' columns (compact index, rank) are read one by one; the other
        // partners' cells go to `autres` as the row's total less the named ones (the total
        // is summed without a branch per cell): a row costs its named partners, not its
        // width.
        let others = partners.named.len();
        let named: Vec<(usize, usize)> = self
            .cube
            .partners
            .iter()
            .enumerate()
            .map(|(c, &k)| (c, partners.position(k)))
            .filter(|x| x.1 < others)
            .collect();
        let mut fold = Fold::new(products.named.len(), others);
        for (p, row) in self.grid.chunks(self.width()).enumerate() {
            let mut rest: i64 = row.iter().sum();
            for &(c, slot) in &named {
                fold.add(slot_p[p], slot, row[c]);
                rest -= row[c];
            }
            fold.add(slot_p[p], others, rest);
        }
        fold.cells(products, partners, highlight)
    }
}
