//! A year of the regional file aggregated at one product level, from which every territory's
//! figures are drawn, with the totals of every year and the margins of the year before.
//!
//! A [`Cube`] holds, for one year, each place's non-zero cells with products and partners
//! renumbered densely over those present, and each place's sums by product and by partner.
//! A territory's sums are those of its places, added (a région or France costs an addition
//! per place and product or partner, not per cell); its matrix reads only the cells of its
//! top products × top partners, searched for in each place's run of the product's cells.

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
    #[cfg(test)]
    fn new(cells: Cells, products: usize, width: u32) -> Option<Self> {
        let mut index = Cpf4Index::new(products, width);
        for (k, v) in cells.iter() {
            index.add(k / width, k % width, v)?;
        }
        Some(index.finish(cells))
    }
}

/// A place's [`Cpf4Imports`] index being filled, cell after cell in the order of the keys,
/// as they are compacted: the cells are not read again.
struct Cpf4Index {
    starts: Vec<u32>,
    sums: Vec<(i64, i64)>,
    /// The total's column: the partners' count.
    total: u32,
    /// The cells counted.
    count: u32,
}

impl Cpf4Index {
    /// An empty index over `products` products, `width` columns (the partners, then the
    /// total).
    fn new(products: usize, width: u32) -> Self {
        Cpf4Index {
            starts: Vec::with_capacity(products + 1),
            sums: vec![(0, 0); products],
            total: width.saturating_sub(1),
            count: 0,
        }
    }

    /// Counts the next cell (compact product and column, value), the keys ascending; `None`
    /// when the product is beyond the index.
    #[inline(always)]
    fn add(&mut self, product: u32, column: u32, value: i64) -> Option<()> {
        let product = product as usize;
        let s = self.sums.get_mut(product)?;
        // The products up to this one start here (those without a cell are empty).
        while self.starts.len() <= product {
            self.starts.push(self.count);
        }
        if column == self.total {
            s.0 += value;
        } else {
            s.1 += value;
        }
        self.count += 1;
        Some(())
    }

    /// The index of `cells`, every one of them counted (empty when there is none).
    fn finish(mut self, cells: Cells) -> Cpf4Imports {
        if self.count == 0 {
            return Cpf4Imports::default();
        }
        self.starts.resize(self.sums.len() + 1, self.count);
        Cpf4Imports {
            cells,
            starts: self.starts,
            sums: self.sums,
        }
    }
}

/// A year's detail as the builder gathered it, handed over to the cube: `[flow × places +
/// place]` → (product, partner) → euros, and `[place]` → imports by (CPF4, extra-EU country
/// or all partners) → euros.
#[derive(Debug, Default)]
pub(crate) struct Detail {
    pub(crate) maps: Vec<SortedSums>,
    pub(crate) imports_cpf4: Vec<SortedSums>,
    /// What the builder marked as it drained the places' rows into the sums, if it did.
    pub(crate) marks: Option<Marks>,
}

/// What a builder's drains put in a year's sums (see [`Seen`]): in its (product, partner)
/// sums, over the level's dense products; in its CPF4 imports, over the CPF4 values.
#[derive(Debug, Clone)]
pub(crate) struct Marks {
    pub(crate) maps: Seen,
    pub(crate) cpf4: Seen,
}

impl Marks {
    /// Nothing marked, for products of `level`.
    pub(crate) fn new(level: Level) -> Marks {
        Marks {
            maps: Seen::new(level.cardinality()),
            cpf4: Seen::new(Level::Cpf4.cardinality()),
        }
    }

    /// What `other` marked too.
    pub(crate) fn join(&mut self, other: &Marks) {
        self.maps.join(&other.maps);
        self.cpf4.join(&other.cpf4);
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
    /// The products present, in code order.
    products: Vec<Product>,
    /// The partners present, in code order.
    partners: Vec<Country>,
    /// `[flow][place]` → (compact product × n_partners + compact partner, euros).
    cells: [Vec<Cells>; 2],
    /// `[flow][place]` → total.
    totals: [Vec<i64>; 2],
    /// `[flow × places + place]` → the index of its cells (with its sums by product and by
    /// partner).
    index: Index,
}

/// Every place's cells indexed, read as they are compacted (`[flow × places + place]`):
/// where each compact product's cells start, and the sums by product and by partner. A
/// territory adds its places' sums instead of reading their cells, and its matrix finds a
/// cell in its product's run. One block of each for all the places, allocated before the
/// compacting threads fill their places' parts.
#[derive(Debug, Clone, Default)]
struct Index {
    products: usize,
    partners: usize,
    /// `[place × (products + 1) + compact product]` → the index of the product's first
    /// cell; then the number of cells.
    starts: Vec<u32>,
    /// `[place × products + compact product]` → euros.
    rows: Vec<i64>,
    /// `[place × partners + compact partner]` → euros.
    columns: Vec<i64>,
}

impl Index {
    /// Zeros for `places` places, `products` products and `partners` partners.
    fn new(places: usize, products: usize, partners: usize) -> Index {
        Index {
            products,
            partners,
            starts: vec![0; places * (products + 1)],
            rows: vec![0; places * products],
            columns: vec![0; places * partners],
        }
    }

    /// Each place's part of the index, to fill (in place order).
    fn builders(&mut self) -> impl Iterator<Item = IndexBuilder<'_>> {
        let (products, partners) = (self.products, self.partners);
        (self.starts.chunks_mut(products + 1))
            .zip(parts_of(&mut self.rows, products))
            .zip(parts_of(&mut self.columns, partners))
            .map(|((starts, rows), columns)| IndexBuilder {
                starts,
                rows,
                columns,
                product: 0,
                row: 0,
                count: 0,
            })
    }

    /// A place's sums by compact product (empty beyond the places).
    fn rows(&self, place: usize) -> &[i64] {
        let n = self.products;
        self.rows.get(place * n..(place + 1) * n).unwrap_or(&[])
    }

    /// A place's sums by compact partner (empty beyond the places).
    fn columns(&self, place: usize) -> &[i64] {
        let n = self.partners;
        self.columns.get(place * n..(place + 1) * n).unwrap_or(&[])
    }

    /// The cells of a place's compact product: a range of the place's cells.
    fn run(&self, place: usize, product: usize) -> Option<std::ops::Range<usize>> {
        let at = place * (self.products + 1) + product;
        let from = *self.starts.get(at)?;
        let to = *self.starts.get(at + 1)?;
        Some(from as usize..to as usize)
    }
}

/// `all` cut into parts of `n`, one after the other: like `chunks_mut`, which refuses a size
/// of 0, but then empty parts without end (a cube without products or partners).
fn parts_of<T>(mut all: &mut [T], n: usize) -> impl Iterator<Item = &mut [T]> {
    std::iter::from_fn(move || {
        let (part, rest) = std::mem::take(&mut all).split_at_mut_checked(n)?;
        all = rest;
        Some(part)
    })
}

/// A place's part of the [`Index`] being filled, cell after cell. The current product's sum
/// and count are held apart and stored when the product changes: the cells of a product come
/// one after the other, and adding each to its row in memory would wait on the previous
/// addition.
struct IndexBuilder<'a> {
    starts: &'a mut [u32],
    rows: &'a mut [i64],
    columns: &'a mut [i64],
    product: usize,
    row: i64,
    count: u32,
}

impl IndexBuilder<'_> {
    /// Counts a cell (compact product and partner, value), in any order (fastest by
    /// product); `None` when beyond the products or partners.
    #[inline(always)]
    fn add(&mut self, product: u32, partner: u32, value: i64) -> Option<()> {
        let product = product as usize;
        if product != self.product {
            self.store()?;
            self.product = product;
        }
        self.row += value;
        self.count += 1;
        *self.columns.get_mut(partner as usize)? += value;
        Some(())
    }

    /// Adds the current product's sum and count to the index.
    fn store(&mut self) -> Option<()> {
        if self.count > 0 {
            *self.rows.get_mut(self.product)? += std::mem::take(&mut self.row);
            // Counted one place up: the running sum in `finish` makes it the next one's
            // start.
            *self.starts.get_mut(self.product + 1)? += std::mem::take(&mut self.count);
        }
        Some(())
    }

    /// Every cell counted: the starts from the counts. `None` when a product was beyond
    /// the index.
    fn finish(mut self) -> Option<()> {
        self.store()?;
        let mut start = 0;
        for s in self.starts.iter_mut() {
            start += *s;
            *s = start;
        }
        Some(())
    }
}

/// `into[i] += from[i]` (`from` empty or as long).
fn add_into(into: &mut [i64], from: &[i64]) {
    for (t, v) in into.iter_mut().zip(from) {
        *t += v;
    }
}

/// Which products and which partners (dense indices) a place's sums hold: for its
/// (product, partner) sums, in a non-zero cell; for its CPF4 imports (CPF4 values), in any
/// key, whatever its sum. Read from the sums once settled, or marked by the builder as it
/// drains a place's rows into them, where the cells are in cache: a pass over the settled
/// sums reads their 12 MB again, which took 2.4 ms of the reference run's 70 (the marks
/// cost the reading about 1 ms of it back).
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    products: Vec<bool>,
    partners: Vec<bool>,
}

impl Seen {
    /// Nothing held, for `products` dense indices.
    pub(crate) fn new(products: usize) -> Seen {
        Seen {
            products: vec![false; products],
            partners: vec![false; Country::CARDINALITY],
        }
    }

    /// What `other` holds too.
    pub(crate) fn join(&mut self, other: &Seen) {
        or_into(&mut self.products, &other.products);
        or_into(&mut self.partners, &other.partners);
    }

    /// Marks the product (`key >> 10`) and the partner (`key & 1023`) of a key when `held`
    /// (indices beyond them are not marked).
    #[inline(always)]
    pub(crate) fn mark(&mut self, key: u32, held: bool) {
        if let Some(s) = self.products.get_mut((key >> 10) as usize) {
            *s |= held;
        }
        if let Some(s) = self.partners.get_mut((key & 1023) as usize) {
            *s |= held;
        }
    }

    /// What `cells` (keys: dense product or CPF4 value << 10 | partner) hold, over
    /// `products` dense indices: in their non-zero cells only, or in every key.
    fn of(cells: &Cells, products: usize, nonzero_only: bool) -> Seen {
        let mut seen = Seen::new(products);
        for k in cells.keys_held(nonzero_only) {
            seen.mark(k, true);
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
/// for every place until all are settled, it would add megabytes to the peak). When every
/// place's sums hold only what the builder's drains marked (`marks`), what they hold is
/// those marks, and the sums are not read.
fn settle_places(
    maps: Vec<SortedSums>,
    imports_cpf4: Vec<SortedSums>,
    marks: Option<Marks>,
    level: Level,
) -> Result<(Vec<Cells>, Vec<Cells>, Present)> {
    let all_marked = maps.iter().chain(&imports_cpf4).all(SortedSums::marked);
    if let Some(marks) = marks.filter(|_| all_marked) {
        let cells = |sums: Vec<SortedSums>| sums.into_iter().map(SortedSums::into_sorted).collect();
        let present = present(&marks.maps, &marks.cpf4, level)?;
        return Ok((cells(maps), cells(imports_cpf4), present));
    }
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
    // Indexed in the same pass: the cells are not read again.
    let mut index = Cpf4Index::new(n_products, width);
    cells
        .retain_nonzero_and_map(|k, v| {
            let p = *cpf4_index.get((k >> 10) as usize)?;
            let c = match k & 1023 {
                super::builder::ALL_PARTNERS => n_partners,
                c => *partner_index.get(c as usize)?,
            };
            if p == u32::MAX || c == u32::MAX {
                return None;
            }
            index.add(p, c, v)?;
            Some(p * width + c)
        })
        .ok_or(Error::Internal(
            "a CPF4 import outside the cube's products or partners",
        ))?;
    Ok(index.finish(cells))
}

/// One place's (product, partner) sums of one flow under compact keys (product × the
/// partners' count plus partner: the compact indices grow with the dense ones, so the keys
/// stay sorted), its part of the index filled in the same pass; and their total.
fn compact_map(
    mut map: Cells,
    mut index: IndexBuilder<'_>,
    product_index: &[u32],
    partner_index: &[u32],
) -> Result<(Cells, i64)> {
    let n_partners = index.columns.len() as u32;
    let outside = || Error::Internal("a cell outside the cube's products or partners");
    let total = map
        .retain_nonzero_and_map(|k, v| {
            let p = *product_index.get((k >> 10) as usize)?;
            let c = *partner_index.get((k & 1023) as usize)?;
            if p == u32::MAX || c == u32::MAX {
                return None;
            }
            index.add(p, c, v)?;
            Some(p * n_partners + c)
        })
        .ok_or_else(outside)?;
    index.finish().ok_or_else(outside)?;
    Ok((map, total))
}

/// What [`Cube::new`] compacts: a place's (product, partner) sums of one flow, or its CPF4
/// imports.
enum Part<'a> {
    Map(Cells, IndexBuilder<'a>),
    Cpf4(Cells),
}

impl Part<'_> {
    /// The relative cost of compacting it: its keys (the CPF4 imports are mapped and
    /// indexed).
    fn cost(&self) -> usize {
        match self {
            Part::Map(cells, _) => cells.len(),
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
            marks,
        } = detail;
        if maps.is_empty() {
            maps = vec![SortedSums::default(); 2 * n];
        }
        if maps.len() != 2 * n {
            return Err(Error::Internal("detail maps of the wrong size"));
        }
        let failed = || Error::Internal("a compacting thread failed");
        let (maps, imports_cpf4, present) = settle_places(maps, imports_cpf4, marks, level)?;
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
                Part::Map(map, index) => {
                    let (map, total) = compact_map(map, index, &product_index, &partner_index)?;
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
        let mut index = Index::new(2 * n, products.len(), partners.len());
        let parts: Vec<Part> = maps
            .into_iter()
            .zip(index.builders())
            .map(|(map, builder)| Part::Map(map, builder))
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
            products,
            partners,
            cells,
            totals,
            index,
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
        let f = flow.index();
        let mut rows = vec![0i64; self.products.len()];
        let mut columns = vec![0i64; self.partners.len()];
        let mut held = Vec::new();
        for (i, cells) in self.cells[f].iter().enumerate() {
            if counts_in(territory, i) && !cells.is_empty() {
                let place = f * places() + i;
                add_into(&mut rows, self.index.rows(place));
                add_into(&mut columns, self.index.columns(place));
                held.push((cells, place));
            }
        }
        let nonzero = |x: &(usize, &i64)| *x.1 != 0;
        let by_product = (rows.iter().enumerate().filter(nonzero))
            .map(|(p, &v)| (self.products[p], v))
            .collect();
        let by_partner = (columns.iter().enumerate().filter(nonzero))
            .map(|(c, &v)| (self.partners[c], v))
            .collect();
        TerritoryFlows {
            cube: self,
            places: held,
            rows,
            columns,
            by_product,
            by_partner,
        }
    }
}

/// The compact index of each named key of a ranking among the keys `present`; `None` (its
/// slot gets nothing, as when folding cell by cell) when absent, or for a repeated key.
fn compact_slots<K: Ord + Copy>(ranking: &Ranking<K>, present: &[K]) -> Vec<Option<usize>> {
    (ranking.named.iter().enumerate())
        .map(|(i, x)| match ranking.position(x.0) == i {
            true => present.iter().position(|&k| k == x.0),
            false => None,
        })
        .collect()
}

/// The values of one territory and flow by (product, partner), at the cube's level.
#[derive(Debug, Clone)]
pub struct TerritoryFlows<'a> {
    cube: &'a Cube,
    /// The cells of the places counted in the territory (those with cells), and their
    /// places in the cube's index.
    places: Vec<(&'a Cells, usize)>,
    /// `[compact product]` → the territory's total (the sums of its places, added).
    rows: Vec<i64>,
    /// `[compact partner]` → the territory's total.
    columns: Vec<i64>,
    /// The products with a non-zero total, in code order.
    by_product: Vec<(Product, i64)>,
    /// The partners with a non-zero total, in code order.
    by_partner: Vec<(Country, i64)>,
}

impl TerritoryFlows<'_> {
    /// The total, in euros.
    pub fn total(&self) -> i64 {
        self.by_product.iter().map(|x| x.1).sum()
    }

    /// Every non-zero (product, partner, value), sorted by product then partner.
    pub fn cells(&self) -> impl Iterator<Item = (Product, Country, i64)> + '_ {
        // Folded on a dense products × partners grid (the places' keys index it).
        let width = self.cube.partners.len().max(1);
        let mut grid = vec![0i64; self.cube.products.len() * width];
        for (place, _) in &self.places {
            for (k, v) in place.iter() {
                if let Some(g) = grid.get_mut(k as usize) {
                    *g += v;
                }
            }
        }
        grid.into_iter()
            .enumerate()
            .filter(|x| x.1 != 0)
            .map(move |(i, v)| {
                (
                    self.cube.products[i / width],
                    self.cube.partners[i % width],
                    v,
                )
            })
    }

    /// The total per product, in code order (products with a non-zero total).
    pub fn by_product(&self) -> Vec<(Product, i64)> {
        self.by_product.clone()
    }

    /// [`TerritoryFlows::by_product`], borrowed.
    pub(crate) fn product_sums(&self) -> &[(Product, i64)] {
        &self.by_product
    }

    /// The total per partner country, in code order (partners with a non-zero total).
    pub fn by_partner(&self) -> Vec<(Country, i64)> {
        self.by_partner.clone()
    }

    /// [`TerritoryFlows::by_partner`], borrowed.
    pub(crate) fn partner_sums(&self) -> &[(Country, i64)] {
        &self.by_partner
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
    /// without building the cell list.
    pub fn matrix(&self, n: usize, highlight: usize) -> Vec<MatrixCell<Product, Country>> {
        self.matrix_of(&self.top_products(n), &self.top_partners(n), highlight)
    }

    /// The matrix for given top lists (see [`TerritoryFlows::matrix`]).
    ///
    /// Only the named products' cells are read: each place's run of a named product's cells
    /// in one pass, each cell added to its partner's column (a table from compact partner
    /// to column); a named row's `autres` is its total less its named cells, a named
    /// column's `autres` likewise, and `autres` × `autres` what is left of the total.
    pub fn matrix_of(
        &self,
        products: &Ranking<Product>,
        partners: &Ranking<Country>,
        highlight: usize,
    ) -> Vec<MatrixCell<Product, Country>> {
        let rows = compact_slots(products, &self.cube.products);
        let columns = compact_slots(partners, &self.cube.partners);
        let (np, nc) = (rows.len(), columns.len());
        let width = self.cube.partners.len();
        // `[compact partner]` → its column if named, else `nc`: a column of the other
        // partners' cells, not read. A run of cells is added in order, without a test or a
        // search: more instructions than a binary search for each named cell in each place
        // (27.4 against 19.2 million on the reference run) but less time (446 against 599
        // perf samples over six runs), the searches waiting on scattered reads.
        let mut column_of = vec![nc; width];
        for (j, c) in columns.iter().enumerate() {
            if let Some(slot) = c.and_then(|c| column_of.get_mut(c)) {
                *slot = j;
            }
        }
        // `[i × (nc + 1) + j]` → the cell of named product i and named partner j.
        let stride = nc + 1;
        let mut named = vec![0i64; np * stride];
        for &(cells, place) in &self.places {
            for (i, p) in rows.iter().enumerate() {
                let Some((p, run)) = p.and_then(|p| Some((p, self.cube.index.run(place, p)?)))
                else {
                    continue;
                };
                let first = u32::try_from(p * width).unwrap_or(u32::MAX);
                let row = &mut named[i * stride..(i + 1) * stride];
                for k in run.start..run.end.min(cells.keys.len()) {
                    let c = cells.keys[k].wrapping_sub(first) as usize;
                    let j = column_of.get(c).copied().unwrap_or(nc);
                    row[j.min(nc)] += cells.value(k);
                }
            }
        }
        let mut fold = Fold::new(np, nc);
        let mut added = 0i64;
        for (i, p) in rows.iter().enumerate() {
            let Some(p) = *p else { continue };
            let row = &named[i * stride..i * stride + nc];
            for (j, &v) in row.iter().enumerate() {
                fold.add(i, j, v);
            }
            fold.add(i, nc, self.rows[p] - row.iter().sum::<i64>());
            added += self.rows[p];
        }
        for (j, c) in columns.iter().enumerate() {
            let Some(c) = *c else { continue };
            let rest = self.columns[c] - (0..np).map(|i| named[i * stride + j]).sum::<i64>();
            fold.add(np, j, rest);
            added += rest;
        }
        fold.add(np, nc, self.total() - added);
        fold.cells(products, partners, highlight)
    }
}

#[cfg(test)]
mod tests {
    use super::{on_cores, Cpf4Imports, Index};
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

        /// A place's index: each product's cells start where its keys do, and its sums by
        /// product and by partner are those of its cells; the places' parts do not overlap.
        #[test]
        fn the_index_of_the_places_holds_their_sums(
            places in prop::collection::vec(
                prop::collection::btree_map((0u32..6, 0u32..4), -1000i64..1000, 0..20),
                1..4,
            ),
        ) {
            let (products, partners) = (6usize, 4usize);
            let mut index = Index::new(places.len(), products, partners);
            for (cells, mut builder) in places.iter().zip(index.builders()) {
                for (&(p, c), &v) in cells {
                    prop_assert!(builder.add(p, c, v).is_some());
                }
                prop_assert!(builder.finish().is_some());
            }
            for (place, cells) in places.iter().enumerate() {
                for p in 0..products {
                    let of_p = cells.range((p as u32, 0)..(p as u32 + 1, 0));
                    prop_assert_eq!(index.rows(place)[p], of_p.clone().map(|x| x.1).sum::<i64>());
                    let before = cells.range(..(p as u32, 0)).count();
                    prop_assert_eq!(index.run(place, p), Some(before..before + of_p.count()));
                }
                for c in 0..partners {
                    let of_c = cells.iter().filter(|x| x.0 .1 == c as u32).map(|x| x.1);
                    prop_assert_eq!(index.columns(place)[c], of_c.sum::<i64>());
                }
            }
            // A product or a partner beyond the index is refused.
            let mut index = Index::new(1, products, partners);
            let mut builders = index.builders();
            let mut builder = builders.next().unwrap();
            prop_assert!(builder.add(0, partners as u32, 1).is_none());
            prop_assert!(builder.add(products as u32, 0, 1).is_some());
            prop_assert!(builder.finish().is_none());
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
