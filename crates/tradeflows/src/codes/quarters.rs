//! The quarters a year's data cover.

use std::fmt;

/// A set of quarters (1 to 4): those a year's rows cover. A partial year (the « 5 derniers
/// trimestres » file) has fewer than four, and every output says which.
///
/// Serialised as the list of quarter numbers (`[1, 2, 3, 4]`); printed as `T1, T2, T3, T4`.
///
/// ```
/// use tradeflows::Quarters;
/// let q: Quarters = [1, 2].into_iter().collect();
/// assert_eq!(q.to_string(), "T1, T2");
/// assert_eq!(q.period(2025), "2025 (T1, T2)");
/// assert_eq!(Quarters::ALL.period(2024), "2024");
/// assert_eq!(serde_json::to_string(&q).unwrap(), "[1,2]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Quarters(u8);

impl Quarters {
    /// No quarter.
    pub const NONE: Quarters = Quarters(0);
    /// The four quarters of a full year.
    pub const ALL: Quarters = Quarters(0b1111);

    /// Adds quarter `q` (1–4; any other number is ignored).
    pub fn insert(&mut self, q: u8) {
        if (1..=4).contains(&q) {
            self.0 |= 1 << (q - 1);
        }
    }

    /// Whether quarter `q` is in the set.
    pub fn contains(self, q: u8) -> bool {
        (1..=4).contains(&q) && self.0 & (1 << (q - 1)) != 0
    }

    /// Whether every quarter of `other` is in `self`.
    pub fn covers(self, other: Quarters) -> bool {
        self.0 & other.0 == other.0
    }

    /// The quarters, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1..=4u8).filter(move |&q| self.contains(q))
    }

    /// How many quarters.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether there is none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether all four are there.
    pub fn is_full(self) -> bool {
        self == Quarters::ALL
    }

    /// The quarters as a sentence names them: `T1–T4` for a run, `T1` alone, `T1, T3` when
    /// there are gaps.
    ///
    /// ```
    /// use tradeflows::Quarters;
    /// assert_eq!(Quarters::ALL.range(), "T1–T4");
    /// assert_eq!([2, 3].into_iter().collect::<Quarters>().range(), "T2–T3");
    /// assert_eq!([1].into_iter().collect::<Quarters>().range(), "T1");
    /// assert_eq!([1, 3].into_iter().collect::<Quarters>().range(), "T1, T3");
    /// ```
    pub fn range(self) -> String {
        let q: Vec<u8> = self.iter().collect();
        match (q.first(), q.last()) {
            (Some(a), Some(b)) if a == b => format!("T{a}"),
            (Some(a), Some(b)) if usize::from(b - a) + 1 == q.len() => format!("T{a}–T{b}"),
            _ => self.to_string(),
        }
    }

    /// The period as the outputs name it: `2024` for a full year, `2024 (T1, T2)` otherwise.
    pub fn period(self, year: u16) -> String {
        if self.is_full() {
            year.to_string()
        } else {
            format!("{year} ({self})")
        }
    }
}

impl FromIterator<u8> for Quarters {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        let mut q = Quarters::NONE;
        for x in iter {
            q.insert(x);
        }
        q
    }
}

impl fmt::Display for Quarters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, q) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "T{q}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for Quarters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Quarters {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = <Vec<u8> as serde::Deserialize>::deserialize(d)?;
        if let Some(bad) = list.iter().find(|q| !(1..=4).contains(*q)) {
            return Err(serde::de::Error::custom(format!(
                "quarter {bad}: expected 1 to 4"
            )));
        }
        Ok(list.into_iter().collect())
    }
}
