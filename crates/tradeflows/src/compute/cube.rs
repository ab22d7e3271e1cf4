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
    /// The CPF4 products imported, in code order, and each CPF4 value's compact index.
    cpf4_products: Vec<Cpf4>,
    cpf4_index: Vec<u32>,
}

/// A territory's imports of one CPF4 product: its total, its extra-EU imports, and its
/// extra-EU suppliers in code order with their values.
pub(crate) struct ProductImports<'a> {
    pub product: Cpf4,
    pub total: i64,
    pub extra_eu: i64,
    pub suppliers: &'a [(Country, i64)],
}

/// One place's CPF4 imports: its cells under compact keys, sorted, and for each CPF4 product
/// where its cells start and its two sums. A territory's dependencies test a product on the
/// sums of its places and read the cells only of the few products that pass.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cpf4Imports {
    cells: Cells,
    /// `[product]` → the index of the product's first cell; then the number of cells.
    /// Empty when the place has no cell.
    starts: Vec<u32>,
    /// `[product]` → (all partners' total, the extra-EU partners' sum). Empty when the
    /// place has no cell.
    sums: Vec<(i64, i64)>,
}

impl Cpf4Imports {
    /// The index of a place's cells (compact keys: product × `width` + partner, the
    /// product's total in the last column), over `products` products; `None` when a key is
    /// beyond them.
    fn new(cells: Cells, products: usize, width: u32) -> Option<Self> {
        if cells.is_empty() {
            return Some(Cpf4Imports::default());
        }
        let mut starts = Vec::with_capacity(products + 1);
        let mut sums = vec![(0i64, 0i64); products];
        // Where the next product's keys start, moved along as the keys grow: no division
        // per cell. After the pushes, the cell's product is the last one started, and its
        // total's key is the one before `next`.
        let mut next = 0u64;
        for (i, (k, v)) in cells.iter().enumerate() {
            while u64::from(k) >= next {
                starts.push(i as u32);
                next += u64::from(width);
            }
            let s = sums.get_mut(starts.len() - 1)?;
            if u64::from(k) + 1 == next {
                s.0 += v;
            } else {
                s.1 += v;
            }
        }
        starts.resize(products + 1, cells.len() as u32);
        Some(Cpf4Imports {
            cells,
            starts,
            sums,
        })
    }
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
    /// the partners' count for the product's total), sorted and indexed by product: the
    /// dependencies' figures, whatever the level.
    imports_cpf4: Vec<Cpf4Imports>,
    /// France's exports by product (the specialisation's denominator), computed once.
    national_exports: std::sync::OnceLock<Vec<(Product, i64)>>,
    /// France's exports by (product, partner), folded once: every territory's
    /// specialisation reads their sums by product, and France's factsheet the whole grid.
    national_export_grid: std::sync::OnceLock<Vec<i64>>,
    /// The products present, in code order.
    products: Vec<Product>,
    /// The partners present, in code order.
    partners: Vec<Country>,
    /// `[flow][place]` → (compact product × n_partners + compact partner, euros).
    cells: [Vec<Cells>; 2],
    /// `[flow][place]` → total.
    totals: [Vec<i64>; 2],
}

/// Which products and which partners (dense indices) a place's sums hold: for its
/// (product, partner) sums, in a non-zero cell; for its CPF4 imports (CPF4 values), in any
/// key, whatever its sum.
struct Seen {
    products: Vec<bool>,
    partners: Vec<bool>,
}

impl Seen {
    /// Nothing held, for `products` dense indices.
    fn new(products: usize) -> Seen {
        Seen {
            products: vec![false; products],
            partners: vec![false; Country::CARDINALITY],
        }
    }

    /// What `other` holds too.
    fn join(&mut self, other: &Seen) {
        or_into(&mut self.products, &other.products);
        or_into(&mut self.partners, &other.partners);
    }

    /// What `cells` (keys: dense product or CPF4 value << 10 | partner) hold, over
    /// `products` dense indices: in their non-zero cells only, or in every key.
    fn of(cells: &Cells, products: usize, nonzero_only: bool) -> Seen {
        let mut seen = Seen::new(products);
        // The keys ascend: a product is marked once, when it changes.
        let mut product = u32::MAX;
        for k in cells.keys_held(nonzero_only) {
            if k >> 10 != product {
                product = k >> 10;
                if let Some(s) = seen.products.get_mut(product as usize) {
                    *s = true;
                }
            }
            if let Some(s) = seen.partners.get_mut((k & 1023) as usize) {
                *s = true;
            }
        }
        seen
    }
}

/// `a`, with what `b` holds too.
fn or_into(a: &mut [bool], b: &[bool]) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x |= y;
    }
}

/// The products and partners present (non-zero) in the maps, the CPF4 products of the
/// imports, and each dense index's compact index, from what the places hold. The partners
/// of the CPF4 imports count too (a country whose rows cancel out at the cube's level may
/// still have CPF4 imports).
fn present(maps: &Seen, cpf4: &Seen, level: Level) -> Result<Present> {
    let products_seen = &maps.products;
    let mut partners_seen = maps.partners.clone();
    or_into(&mut partners_seen, &cpf4.partners);
    let cpf4_seen = &cpf4.products;
    let (product_list, product_index) = compact_indices(products_seen);
    let (partner_list, partner_index) = compact_indices(&partners_seen);
    let (cpf4_list, cpf4_index) = compact_indices(cpf4_seen);
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
    let cpf4_products = cpf4_list
        .iter()
        .map(|&v| {
            u16::try_from(v)
                .ok()
                .and_then(Cpf4::from_value)
                .ok_or(Error::Internal("CPF4 value out of range"))
        })
        .collect::<Result<Vec<Cpf4>>>()?;
    Ok(Present {
        products,
        partners,
        product_index,
        partner_index,
        cpf4_products,
        cpf4_index,
    })
}

/// The first pass of [`Cube::new`], shared between the cores place by place: every place's
/// sums (`[flow × places + place]`, then the CPF4 imports `[place]`) settled, and what they
/// hold joined to what the others hold under a lock (a place's own is freed at once: held
/// for every place until all are settled, it would add megabytes to the peak).
fn settle_places(
    maps: Vec<SortedSums>,
    imports_cpf4: Vec<SortedSums>,
    level: Level,
) -> Result<(Vec<Cells>, Vec<Cells>, Present)> {
    let failed = || Error::Internal("a settling thread failed");
    let n_maps = maps.len();
    // The CPF4 imports are keyed by CPF4 value, whatever the cube's level.
    let cpf4_values = Level::Cpf4.cardinality();
    let held = std::sync::Mutex::new((Seen::new(level.cardinality()), Seen::new(cpf4_values)));
    let settle = |(cpf4, sums): (bool, SortedSums)| {
        let cells = sums.into_sorted();
        let seen = match cpf4 {
            true => Seen::of(&cells, cpf4_values, false),
            false => Seen::of(&cells, level.cardinality(), true),
        };
        let mut held = held.lock().ok()?;
        match cpf4 {
            true => held.1.join(&seen),
            false => held.0.join(&seen),
        }
        Some(cells)
    };
    let sums: Vec<(bool, SortedSums)> = maps
        .into_iter()
        .map(|s| (false, s))
        .chain(imports_cpf4.into_iter().map(|s| (true, s)))
        .collect();
    let mut maps = on_cores(sums, |x| x.1.len(), settle)
        .and_then(|cells| cells.into_iter().collect::<Option<Vec<Cells>>>())
        .ok_or_else(failed)?;
    let imports_cpf4 = maps.split_off(n_maps);
    let (maps_seen, cpf4_seen) = held.into_inner().map_err(|_| failed())?;
    Ok((maps, imports_cpf4, present(&maps_seen, &cpf4_seen, level)?))
}

/// One place's CPF4 imports under compact keys: the order of the raw keys is kept (the
/// compact indices grow with the raw ones, and the total comes last), so they stay sorted.
fn compact_place(
    mut cells: Cells,
    cpf4_index: &[u32],
    partner_index: &[u32],
    n_partners: u32,
    n_products: usize,
) -> Result<Cpf4Imports> {
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
    Cpf4Imports::new(cells, n_products, width)
        .ok_or(Error::Internal("a CPF4 import outside the cube's products"))
}

/// What [`Cube::new`] compacts: a place's (product, partner) sums of one flow, or its CPF4
/// imports.
enum Part {
    Map(Cells),
    Cpf4(Cells),
}

impl Part {
    /// The relative cost of compacting it: its keys (the CPF4 imports are mapped and
    /// indexed).
    fn cost(&self) -> usize {
        match self {
            Part::Map(cells) => cells.len(),
            Part::Cpf4(cells) => 2 * cells.len(),
        }
    }
}

/// A [`Part`] compacted.
enum Compacted {
    /// The cells and their sum.
    Map(Cells, i64),
    Cpf4(Cpf4Imports),
}

/// `f` applied to every input on the machine's cores (see [`crate::cores`]), the costliest
/// inputs (by `cost`) first so that the threads end together; the results in the inputs'
/// order, `None` when a thread failed.
pub(crate) fn on_cores<I: Send, R: Send>(
    inputs: Vec<I>,
    cost: impl Fn(&I) -> usize,
    f: impl Fn(I) -> R + Sync,
) -> Option<Vec<R>> {
    let n = inputs.len();
    let mut queue: Vec<(usize, I)> = inputs.into_iter().enumerate().collect();
    // Taken from the end: the costliest last in the vector.
    queue.sort_by_cached_key(|x| cost(&x.1));
    let queue = std::sync::Mutex::new(queue);
    let work = || -> Option<Vec<(usize, R)>> {
        let mut done = Vec::new();
        loop {
            let Some((i, x)) = queue.lock().ok()?.pop() else {
                return Some(done);
            };
            done.push((i, f(x)));
        }
    };
    let parts: Vec<Option<Vec<(usize, R)>>> = crate::cores::each_core(work)
        .into_iter()
        .map(Option::flatten)
        .collect();
    let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
    for (i, r) in parts
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
    {
        out[i] = Some(r);
    }
    out.into_iter().collect()
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
        let Detail {
            mut maps,
            imports_cpf4,
        } = detail;
        if maps.is_empty() {
            maps = vec![SortedSums::default(); 2 * n];
        }
        if maps.len() != 2 * n {
            return Err(Error::Internal("detail maps of the wrong size"));
        }
        let failed = || Error::Internal("a compacting thread failed");
        let (maps, imports_cpf4, present) = settle_places(maps, imports_cpf4, level)?;
        let Present {
            products,
            partners,
            product_index,
            partner_index,
            cpf4_products,
            cpf4_index,
        } = present;
        let n_partners = partners.len() as u32;
        // Each place's non-zero cells under compact keys, in place (the compact indices grow
        // with the dense ones, so the keys stay sorted); the places of both flows and their
        // CPF4 imports shared between the cores.
        let compact = |part: Part| -> Result<Compacted> {
            match part {
                Part::Map(mut map) => {
                    let total = map
                        .retain_nonzero_and_map(|k| {
                            let p = *product_index.get((k >> 10) as usize)?;
                            let c = *partner_index.get((k & 1023) as usize)?;
                            (p != u32::MAX && c != u32::MAX).then_some(p * n_partners + c)
                        })
                        .ok_or(Error::Internal(
                            "a cell outside the cube's products or partners",
                        ))?;
                    Ok(Compacted::Map(map, total))
                }
                Part::Cpf4(cells) => Ok(Compacted::Cpf4(compact_place(
                    cells,
                    &cpf4_index,
                    &partner_index,
                    n_partners,
                    cpf4_products.len(),
                )?)),
            }
        };
        let parts: Vec<Part> = maps
            .into_iter()
            .map(Part::Map)
            .chain(imports_cpf4.into_iter().map(Part::Cpf4))
            .collect();
        let mut maps = Vec::with_capacity(2 * n);
        let mut totals = Vec::with_capacity(2 * n);
        let mut imports_cpf4 = Vec::with_capacity(n);
        for part in on_cores(parts, Part::cost, compact).ok_or_else(failed)? {
            match part? {
                Compacted::Map(cells, total) => {
                    maps.push(cells);
                    totals.push(total);
                }
                Compacted::Cpf4(imports) => imports_cpf4.push(imports),
            }
        }
        imports_cpf4.resize(n, Cpf4Imports::default());
        let exports = maps.split_off(n);
        let cells = [maps, exports];
        let export_totals = totals.split_off(n);
        let totals = [totals, export_totals];
        Ok(Cube {
            year,
            level,
            quarters,
            series,
            previous,
            cpf4_products,
            imports_cpf4,
            national_exports: std::sync::OnceLock::new(),
            national_export_grid: std::sync::OnceLock::new(),
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

    /// `select` applied to the territory's imports of every CPF4 product that passes
    /// `wanted(total, extra-EU imports)` with a positive total (the product, its total, its
    /// extra-EU imports and its extra-EU suppliers in code order with their values); what it
    /// keeps, in product order.
    ///
    /// A product's two sums are those of its places, held in each place's index and added
    /// place after place; only for the products that pass are the cells read (each place's cells of the product are a
    /// run of its sorted cells) and summed in one row, with the suppliers listed in one
    /// buffer, reused.
    pub(crate) fn cpf4_imports<T>(
        &self,
        territory: &Territory,
        wanted: impl Fn(i64, i64) -> bool,
        mut select: impl FnMut(&ProductImports) -> Option<T>,
    ) -> Vec<T> {
        let width = self.partners.len() + 1;
        let places: Vec<&Cpf4Imports> = self
            .imports_cpf4
            .iter()
            .enumerate()
            .filter(|(p, c)| counts_in(territory, *p) && !c.cells.is_empty())
            .map(|x| x.1)
            .collect();
        // `[partner]` → the product's imports from it, the total's column left out.
        let mut row = vec![0i64; width - 1];
        // The columns touched, a bit each: given back in order without a sort.
        let mut touched = vec![0u64; width.div_ceil(64)];
        let mut suppliers: Vec<(Country, i64)> = Vec::new();
        let mut out = Vec::new();
        // The territory's sums by product, place after place (each place's in one pass).
        let mut sums = vec![(0i64, 0i64); self.cpf4_products.len()];
        for place in &places {
            for (t, s) in sums.iter_mut().zip(&place.sums) {
                t.0 += s.0;
                t.1 += s.1;
            }
        }
        for ((p, &product), &(total, extra_eu)) in self.cpf4_products.iter().enumerate().zip(&sums)
        {
            if total <= 0 || !wanted(total, extra_eu) {
                continue;
            }
            let first = (p * width) as u32;
            for place in &places {
                let from = place.starts.get(p).map_or(0, |&s| s as usize);
                let to = place.starts.get(p + 1).map_or(0, |&s| s as usize);
                for i in from..to.min(place.cells.len()) {
                    let c = place.cells.keys[i].wrapping_sub(first) as usize;
                    if let Some(v) = row.get_mut(c) {
                        touched[c / 64] |= 1 << (c % 64);
                        *v += place.cells.value(i);
                    }
                }
            }
            suppliers.clear();
            for (w, word) in touched.iter_mut().enumerate() {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    let c = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let v = std::mem::take(&mut row[c]);
                    if v != 0 {
                        suppliers.push((self.partners[c], v));
                    }
                }
            }
            out.extend(select(&ProductImports {
                product,
                total,
                extra_eu,
                suppliers: &suppliers,
            }));
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
        let grid = match (territory, flow) {
            (Territory::France, Flow::Export) => std::borrow::Cow::Borrowed(
                self.national_export_grid
                    .get_or_init(|| self.fold(territory, flow))
                    .as_slice(),
            ),
            _ => std::borrow::Cow::Owned(self.fold(territory, flow)),
        };
        TerritoryFlows {
            cube: self,
            grid,
            sums: std::cell::OnceCell::new(),
        }
    }

    /// A territory's flow on a products × partners grid: one addition per cell.
    fn fold(&self, territory: &Territory, flow: Flow) -> Vec<i64> {
        let mut grid = vec![0i64; self.products.len() * self.partners.len()];
        for (i, cells) in self.cells[flow.index()].iter().enumerate() {
            if counts_in(territory, i) {
                for (k, v) in cells.iter() {
                    grid[k as usize] += v;
                }
            }
        }
        grid
    }
}

/// The values of one territory and flow by (product, partner), at the cube's level.
#[derive(Debug, Clone)]
pub struct TerritoryFlows<'a> {
    cube: &'a Cube,
    /// products × partners, row-major, compact indices of the cube (France's exports
    /// borrowed from the cube, which keeps them).
    grid: std::borrow::Cow<'a, [i64]>,
    /// The sums by product and by partner, computed once (the factsheet's top lists, its
    /// change, its matrix and its exposure all read them).
    sums: std::cell::OnceCell<FlowSums>,
}

/// The sums of a [`TerritoryFlows`]' grid, read in one pass.
#[derive(Debug, Clone)]
struct FlowSums {
    /// `[compact product]` → the row's total.
    rows: Vec<i64>,
    /// The products with a non-zero total, in code order.
    by_product: Vec<(Product, i64)>,
    /// The partners with a non-zero total, in code order.
    by_partner: Vec<(Country, i64)>,
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

    /// The rows' totals and the sums by product and by partner, from one pass over the grid.
    fn sums(&self) -> &FlowSums {
        self.sums.get_or_init(|| {
            let w = self.width();
            let mut columns = vec![0i64; w];
            let rows: Vec<i64> = self
                .grid
                .chunks(w)
                .map(|row| {
                    let mut total = 0;
                    for (s, v) in columns.iter_mut().zip(row) {
                        *s += v;
                        total += v;
                    }
                    total
                })
                .collect();
            let nonzero = |x: &(usize, &i64)| *x.1 != 0;
            FlowSums {
                by_product: (rows.iter().enumerate().filter(nonzero))
                    .map(|(p, &v)| (self.product(p), v))
                    .collect(),
                by_partner: (columns.iter().enumerate().filter(nonzero))
                    .map(|(c, &v)| (self.partner(c), v))
                    .collect(),
                rows,
            }
        })
    }

    /// [`TerritoryFlows::by_product`], borrowed.
    pub(crate) fn product_sums(&self) -> &[(Product, i64)] {
        &self.sums().by_product
    }

    /// The total per partner country, in code order (partners with a non-zero total).
    pub fn by_partner(&self) -> Vec<(Country, i64)> {
        self.partner_sums().to_vec()
    }

    /// [`TerritoryFlows::by_partner`], borrowed.
    pub(crate) fn partner_sums(&self) -> &[(Country, i64)] {
        &self.sums().by_partner
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
        // partners' cells go to `autres` as the row's total (from the sums read once) less
        // the named ones: a row costs its named partners, not its width.
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
        let totals = &self.sums().rows;
        for (p, row) in self.grid.chunks(self.width()).enumerate() {
            let mut rest = totals[p];
            for &(c, slot) in &named {
                fold.add(slot_p[p], slot, row[c]);
                rest -= row[c];
            }
            fold.add(slot_p[p], others, rest);
        }
        fold.cells(products, partners, highlight)
    }
}

#[cfg(test)]
mod tests {
    use super::{on_cores, Cpf4Imports};
    use crate::compute::sums::SortedSums;
    use proptest::prelude::*;

    proptest! {
        /// A place's index: each product's cells start where its keys do, and its two sums
        /// are its total's cell and the sum of its partners' cells.
        #[test]
        fn the_index_of_a_place_points_at_its_products(
            cells in prop::collection::btree_map(0u32..60, -1000i64..1000, 0..40),
        ) {
            // 6 products × (4 partners + the total).
            let width = 5u32;
            let mut sums = SortedSums::default();
            for (&k, &v) in &cells {
                sums.add(k, v);
            }
            let index = Cpf4Imports::new(sums.into_sorted(), 12, width).unwrap();
            if cells.is_empty() {
                prop_assert!(index.starts.is_empty() && index.sums.is_empty());
                return Ok(());
            }
            for p in 0..12u32 {
                let first = cells.range(..p * width).count() as u32;
                prop_assert_eq!(index.starts[p as usize], first);
                let of = |c: std::ops::Range<u32>| -> i64 {
                    cells.range(p * width + c.start..p * width + c.end).map(|x| x.1).sum()
                };
                prop_assert_eq!(index.sums[p as usize], (of(4..5), of(0..4)));
            }
            prop_assert_eq!(index.starts[12], cells.len() as u32);
        }

        /// Whatever the costs, every input is done once and the results keep the inputs'
        /// order.
        #[test]
        fn on_cores_keeps_the_order(inputs in prop::collection::vec(0usize..1000, 0..50)) {
            let got = on_cores(inputs.clone(), |&x| x % 7, |x| x * 2).unwrap();
            prop_assert_eq!(got, inputs.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }
}
