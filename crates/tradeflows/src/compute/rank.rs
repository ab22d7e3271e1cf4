//! Top-N with an `autres` remainder, balances and shares: the building blocks of the factsheet.

use crate::codes::Country;

/// The N largest items of a breakdown and the sum of the rest.
///
/// Items are sorted by value descending, then key ascending (for codes, the code's order);
/// items of value 0 are left out. `others` is the sum of the items beyond the N first, and is
/// `Some` only when there are such items, so [`Ranking::total`] always equals the total of
/// the breakdown.
///
/// ```
/// use tradeflows::compute::Ranking;
/// let r = Ranking::top_n([("DE", 50), ("BE", 30), ("US", 30), ("IT", 5)], 2);
/// assert_eq!(r.named, vec![("DE", 50), ("BE", 30)]);
/// assert_eq!(r.others, Some(35));
/// assert_eq!(r.total(), 115);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking<K> {
    /// The N first items with their values, largest first.
    pub named: Vec<(K, i64)>,
    /// The sum of the other items, if any.
    pub others: Option<i64>,
}

impl<K: Ord + Copy> Ranking<K> {
    /// Ranks a breakdown (each key once) and keeps the `n` first.
    pub fn top_n(items: impl IntoIterator<Item = (K, i64)>, n: usize) -> Self {
        let mut all: Vec<(K, i64)> = items.into_iter().filter(|&(_, v)| v != 0).collect();
        // Value descending, then key: a total order (each key once), so the `n` first are
        // the same whichever way they are found. Only they are sorted: the others are
        // summed in any order (a breakdown is hundreds of items, the top a handful).
        let order = |a: &(K, i64), b: &(K, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        let rest = if all.len() > n {
            all.select_nth_unstable_by(n, order);
            Some(all[n..].iter().map(|x| x.1).sum())
        } else {
            None
        };
        all.truncate(n);
        all.sort_unstable_by(order);
        Ranking {
            named: all,
            others: rest,
        }
    }

    /// The sum of the named items and the rest: the total of the breakdown.
    pub fn total(&self) -> i64 {
        self.named.iter().map(|x| x.1).sum::<i64>() + self.others.unwrap_or(0)
    }

    /// Where a key falls: its own slot if named, else `autres`.
    pub fn slot(&self, key: K) -> Slot<K> {
        if self.named.iter().any(|x| x.0 == key) {
            Slot::Named(key)
        } else {
            Slot::Others
        }
    }

    /// The named keys.
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.named.iter().map(|x| x.0)
    }

    /// The rank of a named key, or `named.len()` (the place of `autres`) for any other.
    pub fn position(&self, key: K) -> usize {
        self.named
            .iter()
            .position(|x| x.0 == key)
            .unwrap_or(self.named.len())
    }

    /// The slot at a rank: the named key, or `autres` past the named ones.
    pub fn slot_at(&self, rank: usize) -> Slot<K> {
        self.named
            .get(rank)
            .map_or(Slot::Others, |x| Slot::Named(x.0))
    }
}

/// A named item of a ranking, or the `autres` remainder (which sorts after every named one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot<K> {
    /// A named item.
    Named(K),
    /// Everything beyond the N first (`autres`).
    Others,
}

impl<K> Slot<K> {
    /// Whether it is a named item (not `autres`).
    pub fn is_named(&self) -> bool {
        matches!(self, Slot::Named(_))
    }

    /// The named item, if it is one.
    pub fn named(&self) -> Option<&K> {
        match self {
            Slot::Named(k) => Some(k),
            Slot::Others => None,
        }
    }
}

/// Serialised as its text: the code, or `autres`.
impl<K: serde::Serialize> serde::Serialize for Slot<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Slot::Named(k) => k.serialize(s),
            Slot::Others => s.serialize_str(OTHERS_CODE),
        }
    }
}

impl<K: std::fmt::Display> std::fmt::Display for Slot<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Named(k) => k.fmt(f),
            Slot::Others => f.write_str(OTHERS_CODE),
        }
    }
}

/// The code of the remainder in lists: `autres`.
pub const OTHERS_CODE: &str = "autres";
/// The label of the remainder: `Autres`.
pub const OTHERS_LABEL: &str = "Autres";

/// Imports, exports and balance with one partner country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerBalance {
    /// The partner.
    pub partner: Country,
    /// Imports from it, euros.
    pub imports: i64,
    /// Exports to it, euros.
    pub exports: i64,
}

impl PartnerBalance {
    /// Exports − imports.
    pub fn balance(&self) -> i64 {
        self.exports - self.imports
    }
}

/// The balance with every partner of either breakdown (each partner once per breakdown),
/// in code order.
///
/// ```
/// use tradeflows::compute::balances;
/// let de = "DE".parse()?;
/// let us = "US".parse()?;
/// let b = balances(&[(de, 10)], &[(de, 4), (us, 7)]);
/// assert_eq!(b.len(), 2);
/// assert_eq!(b[0].balance(), -6);
/// assert_eq!(b[1].balance(), 7);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
pub fn balances(imports: &[(Country, i64)], exports: &[(Country, i64)]) -> Vec<PartnerBalance> {
    let mut by: std::collections::BTreeMap<Country, (i64, i64)> = std::collections::BTreeMap::new();
    for &(c, v) in imports {
        by.entry(c).or_default().0 += v;
    }
    for &(c, v) in exports {
        by.entry(c).or_default().1 += v;
    }
    by.into_iter()
        .map(|(partner, (imports, exports))| PartnerBalance {
            partner,
            imports,
            exports,
        })
        .collect()
}

/// `part / whole`, or `None` when the whole is 0. Computed last, from exact euros.
///
/// ```
/// assert_eq!(tradeflows::compute::share(1, 4), Some(0.25));
/// assert_eq!(tradeflows::compute::share(1, 0), None);
/// ```
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}
