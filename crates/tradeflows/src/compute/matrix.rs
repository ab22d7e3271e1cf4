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
    let np = products.named.len();
    let nc = partners.named.len();
    // Dense (np + 1) × (nc + 1) grid; the last row / column is `autres`.
    let mut grid = vec![0i64; (np + 1) * (nc + 1)];
    let pi = |p: P| products.named.iter().position(|x| x.0 == p).unwrap_or(np);
    let ci = |c: C| partners.named.iter().position(|x| x.0 == c).unwrap_or(nc);
    for (p, c, v) in cells {
        grid[pi(p) * (nc + 1) + ci(c)] += v;
    }
    let slot_p = |i: usize| {
        if i < np {
            Slot::Named(products.named[i].0)
        } else {
            Slot::Others
        }
    };
    let slot_c = |j: usize| {
        if j < nc {
            Slot::Named(partners.named[j].0)
        } else {
            Slot::Others
        }
    };
    let mut out: Vec<MatrixCell<P, C>> = Vec::new();
    for i in 0..=np {
        for j in 0..=nc {
            let value = grid[i * (nc + 1) + j];
            if value != 0 {
                out.push(MatrixCell {
                    product: slot_p(i),
                    partner: slot_c(j),
                    value,
                    highlight: false,
                });
            }
        }
    }
    out.sort_by(|a, b| a.product.cmp(&b.product).then(a.partner.cmp(&b.partner)));
    mark_highlights(&mut out, highlight);
    out
}

/// Marks the `highlight` largest cells whose product and partner are both named (ties:
/// product, then partner).
pub(crate) fn mark_highlights<P: Ord + Copy, C: Ord + Copy>(
    out: &mut [MatrixCell<P, C>],
    highlight: usize,
) {
    let mut named: Vec<usize> = (0..out.len())
        .filter(|&i| {
            matches!(
                (out[i].product, out[i].partner),
                (Slot::Named(_), Slot::Named(_))
            )
        })
        .collect();
    named.sort_by(|&a, &b| {
        out[b]
            .value
            .cmp(&out[a].value)
            .then(out[a].product.cmp(&out[b].product))
            .then(out[a].partner.cmp(&out[b].partner))
    });
    for &i in named.iter().take(highlight) {
        out[i].highlight = true;
    }
}
