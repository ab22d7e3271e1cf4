//! Aggregation of a year of the regional file: the values per département, product and
//! partner, from which every territory's figures are drawn.

use crate::codes::{Country, Departement, Flow, Level, Product};
use crate::compute::matrix::{matrix, MatrixCell};
use crate::compute::rank::Ranking;
use crate::read::regional::RegionalTable;
use crate::territory::Territory;

/// One aggregated value: (dense product index, dense country index, euros).
type RawCell = (u16, u16, i64);

/// Sorts cells by (product, partner) and adds up duplicates, dropping zeros.
fn merge(mut cells: Vec<RawCell>) -> Vec<RawCell> {
    cells.sort_unstable_by_key(|c| (c.0, c.1));
    let mut out: Vec<RawCell> = Vec::with_capacity(cells.len());
    for c in cells {
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (c.0, c.1) => last.2 += c.2,
            _ => out.push(c),
        }
    }
    out.retain(|c| c.2 != 0);
    out
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
    quarters: Vec<u8>,
    /// `[flow][departement]` → cells sorted by (product, partner).
    cells: [Vec<Vec<RawCell>>; 2],
    /// `[flow][departement]` → total.
    totals: [Vec<i64>; 2],
}

impl Cube {
    /// Aggregates the rows of `year` at `level`.
    pub fn new(table: &RegionalTable, year: u16, level: Level) -> Self {
        let n = Departement::count();
        let mut raw: [Vec<Vec<RawCell>>; 2] = [vec![Vec::new(); n], vec![Vec::new(); n]];
        let mut quarters = [false; 4];
        for i in 0..table.len() {
            if table.year[i] != year {
                continue;
            }
            quarters[usize::from(table.quarter[i] - 1)] = true;
            let product = level.index_of(table.a129[i], table.cpf4[i]) as u16;
            raw[table.flow[i].index()][table.departement[i].index()].push((
                product,
                table.country[i].index() as u16,
                table.value[i],
            ));
        }
        let cells = raw.map(|per_dep| per_dep.into_iter().map(merge).collect::<Vec<_>>());
        let totals = [0, 1].map(|f| {
            cells[f]
                .iter()
                .map(|c| c.iter().map(|x| x.2).sum())
                .collect()
        });
        Cube {
            year,
            level,
            quarters: (1..=4u8).filter(|q| quarters[usize::from(q - 1)]).collect(),
            cells,
            totals,
        }
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
    pub fn quarters(&self) -> &[u8] {
        &self.quarters
    }

    /// The total value of a territory's flow, in euros.
    pub fn total(&self, territory: &Territory, flow: Flow) -> i64 {
        Departement::all()
            .filter(|d| territory.contains(*d))
            .map(|d| self.totals[flow.index()][d.index()])
            .sum()
    }

    /// The (product, partner) values of a territory's flow.
    pub fn flows(&self, territory: &Territory, flow: Flow) -> TerritoryFlows {
        let per_dep = &self.cells[flow.index()];
        let deps = territory.departements();
        let cells = if let [d] = deps[..] {
            per_dep[d.index()].clone()
        } else {
            merge(
                deps.iter()
                    .flat_map(|d| per_dep[d.index()].iter().copied())
                    .collect(),
            )
        };
        TerritoryFlows {
            level: self.level,
            cells,
        }
    }
}

/// The values of one territory and flow by (product, partner), at the cube's level.
#[derive(Debug, Clone)]
pub struct TerritoryFlows {
    level: Level,
    cells: Vec<RawCell>,
}

impl TerritoryFlows {
    fn product(&self, i: u16) -> Product {
        // Indices come from `Level::index_of`, so they are valid for the level.
        self.level
            .product_at(usize::from(i))
            .unwrap_or(Product::A10(crate::codes::A10::from_index_unchecked(0)))
    }

    fn country(i: u16) -> Country {
        // Indices come from `Country::index`, so they are below 676.
        Country::from_dense(i)
    }

    /// The total, in euros.
    pub fn total(&self) -> i64 {
        self.cells.iter().map(|c| c.2).sum()
    }

    /// Every non-zero (product, partner, value), sorted by product then partner.
    pub fn cells(&self) -> impl Iterator<Item = (Product, Country, i64)> + '_ {
        self.cells
            .iter()
            .map(|c| (self.product(c.0), Self::country(c.1), c.2))
    }

    /// The total per product, in code order.
    pub fn by_product(&self) -> Vec<(Product, i64)> {
        let mut out: Vec<(Product, i64)> = Vec::new();
        for c in &self.cells {
            let p = self.product(c.0);
            match out.last_mut() {
                Some(last) if last.0 == p => last.1 += c.2,
                _ => out.push((p, c.2)),
            }
        }
        out
    }

    /// The total per partner country, in code order.
    pub fn by_partner(&self) -> Vec<(Country, i64)> {
        let mut dense = vec![0i64; Country::CARDINALITY];
        for c in &self.cells {
            dense[usize::from(c.1)] += c.2;
        }
        dense
            .iter()
            .enumerate()
            .filter(|x| *x.1 != 0)
            .map(|(i, &v)| (Self::country(i as u16), v))
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
    /// side), with the `highlight` largest named cells marked.
    pub fn matrix(&self, n: usize, highlight: usize) -> Vec<MatrixCell<Product, Country>> {
        matrix(
            self.cells(),
            &self.top_products(n),
            &self.top_partners(n),
            highlight,
        )
    }
}
