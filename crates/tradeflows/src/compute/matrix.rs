//! The product × partner matrix of the sankey charts.

use super::rank::{Ranking, Slot};

/// A cell of the product × partner matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixCell<P, C> {
    /// A top product, or `autres`.
    pub product: Slot<P>,
    /// A top partner, or `autres`.
    pub partner: Slot<C>,
    /// Value in euros.
    pub value: i64,
    /// Whether it is one of the `k` largest cells whose product and partner are both named.
    pub highlight: bool,
}

/// Folds the cells `(product, partner, value)` of a territory into (top products + autres) ×
/// (top partners + autres). Returns the non-zero cells sorted by product then partner, named
/// before `autres`; the `highlight` largest cells with both sides named are marked (ties:
/// product, then partner). The cells sum to the total of the input.
///
/// ```
/// use tradeflows::compute::{matrix, Ranking, Slot};
/// let cells = [("C10A", "DE", 5), ("C10A", "US", 2), ("C20B", "DE", 3), ("C29A", "IT", 1)];
/// let products = Ranking::top_n([("C10A", 7), ("C20B", 3), ("C29A", 1)], 2);
/// let partners = Ranking::top_n([("DE", 8), ("US", 2), ("IT", 1)], 1);
/// let m = matrix(cells, &products, &partners, 1);
/// assert_eq!(m.len(), 4);
/// assert_eq!((m[0].product, m[0].partner, m[0].value, m[0].highlight), (Slot::Named("C10A"), Slot::Named("DE"), 5, true));
/// assert_eq!((m[1].partner, m[1].value), (Slot::Others, 2));
/// assert_eq!((m[3].product, m[3].partner, m[3].value), (Slot::Others, Slot::Others, 1));
/// ```
pub fn matrix<P: Ord + Copy, C: Ord + Copy>(
    cells: impl IntoIterator<Item = (P, C, i64)>,
    products: &Ranking<P>,
    partners: &Ranking<C>,
    highlight: usize,
) -> Vec<MatrixCell<P, C>> {
    let mut fold = Fold::new(products.named.len(), partners.named.len());
    for (p, c, v) in cells {
        fold.add(products.position(p), partners.position(c), v);
    }
    fold.cells(products, partners, highlight)
}

/// The (top products + autres) × (top partners + autres) grid being folded; the last row and
/// column are `autres`. [`matrix`] and the cube's dense fold share it.
pub(crate) struct Fold {
    np: usize,
    nc: usize,
    grid: Vec<i64>,
}

impl Fold {
    /// An empty grid for `np` named products and `nc` named partners.
    pub(crate) fn new(np: usize, nc: usize) -> Self {
        Fold {
            np,
            nc,
            grid: vec![0; (np + 1) * (nc + 1)],
        }
    }

    /// Adds a value at (product slot, partner slot), as [`Ranking::position`] gives them.
    #[inline]
    pub(crate) fn add(&mut self, product: usize, partner: usize, value: i64) {
        self.grid[product * (self.nc + 1) + partner] += value;
    }

    /// The non-zero cells, sorted by product then partner, highlights marked.
    pub(crate) fn cells<P: Ord + Copy, C: Ord + Copy>(
        self,
        products: &Ranking<P>,
        partners: &Ranking<C>,
        highlight: usize,
    ) -> Vec<MatrixCell<P, C>> {
        // The rows and columns in the order of their slots (distinct, `autres` last), sorted
        // once: the cells come out sorted by product then partner, without a sort of the
        // cells comparing codes.
        let (rows, columns) = (
            in_slot_order(products, self.np),
            in_slot_order(partners, self.nc),
        );
        let mut out: Vec<MatrixCell<P, C>> = Vec::new();
        for &(i, product) in &rows {
            for &(j, partner) in &columns {
                let value = self.grid[i * (self.nc + 1) + j];
                if value != 0 {
                    out.push(MatrixCell {
                        product,
                        partner,
                        value,
                        highlight: false,
                    });
                }
            }
        }
        mark_highlights(&mut out, highlight);
        out
    }
}

/// The ranks `0..=n` of a ranking's slots (its `n` named keys, then `autres`) with their
/// slots, in the order of the slots.
fn in_slot_order<K: Ord + Copy>(ranking: &Ranking<K>, n: usize) -> Vec<(usize, Slot<K>)> {
    let mut slots: Vec<(usize, Slot<K>)> = (0..=n).map(|i| (i, ranking.slot_at(i))).collect();
    slots.sort_by_key(|s| s.1);
    slots
}

/// Marks the `highlight` largest cells whose product and partner are both named (ties:
/// product, then partner).
fn mark_highlights<P: Ord + Copy, C: Ord + Copy>(out: &mut [MatrixCell<P, C>], highlight: usize) {
    let mut named: Vec<usize> = (0..out.len())
        .filter(|&i| {
            matches!(
                (out[i].product, out[i].partner),
                (Slot::Named(_), Slot::Named(_))
            )
        })
        .collect();
    // Value descending, then product, then partner: a total order (a cell per pair), so
    // the `highlight` first are the same whichever way they are found; only they are set
    // apart, not sorted (they are marked, not listed).
    if named.len() > highlight {
        let cells = &*out;
        named.select_nth_unstable_by(highlight, |&a, &b| {
            cells[b]
                .value
                .cmp(&cells[a].value)
                .then(cells[a].product.cmp(&cells[b].product))
                .then(cells[a].partner.cmp(&cells[b].partner))
        });
        named.truncate(highlight);
    }
    for i in named {
        out[i].highlight = true;
    }
}
