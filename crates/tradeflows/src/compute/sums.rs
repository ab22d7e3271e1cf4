//! Sums by integer key, gathered in arrival order and kept sorted: the accumulator of the
//! reference year's detail (product, partner) and of the CPF4 imports.
//!
//! Hand-written because what it exploits is particular to DGDDI's files: their rows come
//! sorted (quarter, département, A129, CPF4, country), so the keys of one place, (CPF4,
//! country) or (product, partner) once a run of a product is sorted by partner, arrive
//! ascending, once per quarter. New values are appended to a short pending list; at the end
//! of a place's rows for a quarter ([`SortedSums::checkpoint`]) that list is merged with the
//! place's settled keys in one sequential pass, and freed. Keys and values are held in two
//! arrays, a value in 32 bits (the rare larger sum exactly in a side map): 8 bytes a key
//! where a hash map takes 25 to 35 (buckets, control bytes, a load factor and doubling) and
//! a `(u32, i64)` pair 16 (padding). On files spread like real ones (1 million cells at
//! A129, half a million CPF4 imports) that is the difference between fitting in 32 MiB and
//! not. Unsorted input gives the same sums, only slower (each batch is sorted).

use std::collections::BTreeMap;

/// Settled sums: strictly ascending keys and their values, side by side. A value is held in
/// 32 bits; the rare sum beyond ±2.1 billion euros (or equal to [`BIG`]) is held exactly in
/// `overflow`, under its key, and its 32-bit place says [`BIG`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cells {
    pub(crate) keys: Vec<u32>,
    values: Vec<i32>,
    overflow: BTreeMap<u32, i64>,
}

/// The 32-bit value of a sum held in [`Cells::overflow`].
const BIG: i32 = i32::MIN;

impl Cells {
    /// The value of cell `i`.
    #[inline(always)]
    pub(crate) fn value(&self, i: usize) -> i64 {
        self.decode(self.keys[i], self.values[i])
    }

    /// The sum of a cell from its key and 32-bit value (the side map's when it is [`BIG`]).
    #[inline(always)]
    fn decode(&self, key: u32, value: i32) -> i64 {
        match value {
            BIG => self.overflow.get(&key).copied().unwrap_or(0),
            v => i64::from(v),
        }
    }

    /// Appends a cell whose key is above every key held.
    #[inline(always)]
    fn push(&mut self, key: u32, value: i64) {
        self.keys.push(key);
        match i32::try_from(value) {
            Ok(v) if v != BIG => self.values.push(v),
            _ => {
                self.values.push(BIG);
                self.overflow.insert(key, value);
            }
        }
    }

    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no cell.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys of the cells whose value is not zero (or of every cell), ascending.
    pub(crate) fn keys_held(&self, nonzero_only: bool) -> impl Iterator<Item = u32> + '_ {
        // A sum held in the side map is not zero: its 32-bit place is not either.
        self.keys
            .iter()
            .zip(&self.values)
            .filter(move |x| *x.1 != 0 || !nonzero_only)
            .map(|x| *x.0)
    }

    /// The cells as `(key, value)` pairs.
    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, i64)> + '_ {
        // Zipped, not indexed: no bounds check per cell.
        self.keys
            .iter()
            .zip(&self.values)
            .map(|(&k, &v)| (k, self.decode(k, v)))
    }

    /// Keeps the cells whose value is not zero, then maps every key (in place: no cell is
    /// copied elsewhere); `map` gets the key and its value, and `None` from it is an error the
    /// caller names. Gives the sum of the values, read in the same pass.
    pub(crate) fn retain_nonzero_and_map(
        &mut self,
        mut map: impl FnMut(u32, i64) -> Option<u32>,
    ) -> Option<i64> {
        let mut kept = 0;
        let mut sum = 0;
        let mut overflow = BTreeMap::new();
        for i in 0..self.keys.len() {
            let v = self.values[i];
            if v != 0 {
                let value = match v {
                    BIG => self.value(i),
                    small => i64::from(small),
                };
                let key = map(self.keys[i], value)?;
                if v == BIG {
                    overflow.insert(key, value);
                }
                sum += value;
                self.keys[kept] = key;
                self.values[kept] = v;
                kept += 1;
            }
        }
        self.overflow = overflow;
        // Shrunk only when many cells went: a shrink may copy the arrays.
        let shrink = kept < self.keys.len() - self.keys.len() / 8;
        self.keys.truncate(kept);
        self.values.truncate(kept);
        if shrink {
            self.keys.shrink_to_fit();
            self.values.shrink_to_fit();
        }
        Some(sum)
    }
}

/// Sums by `u32` key.
#[derive(Debug, Clone, Default)]
pub(crate) struct SortedSums {
    /// Settled: strictly ascending keys and their sums.
    settled: Cells,
    /// Values not settled yet, in arrival order (equal neighbours summed).
    pending: Vec<(u32, i64)>,
    /// Whether the pending keys are strictly ascending.
    pending_ascending: bool,
    /// Whether a sum may hold more than the one value [`SortedSums::add_ascending`] appended
    /// under its key, above every key held (a place's sums drained from a dense array): the
    /// builder's marks of the values it drained ([`Seen`](super::cube::Seen)) are then not
    /// known to be what the sums hold (a later value may cancel a sum out). Every other way
    /// in sets it.
    unmarked: bool,
}

/// Below this many pending entries a place does not settle (bounds the number of merges).
const MIN_PENDING: usize = 512;

impl SortedSums {
    /// Adds `value` to the sum of `key` (appended; merged at the next settle).
    #[inline(always)]
    pub(crate) fn add(&mut self, key: u32, value: i64) {
        self.add_pending(key, value);
        if self.pending.len() >= self.settled.len().max(MIN_PENDING) {
            self.settle();
        }
    }

    /// Adds `value` to the sum of `key` as [`SortedSums::add`] does, but never settles,
    /// however many values are pending: for a batch of bounded size (a place's rows read
    /// together) that the caller ends with [`SortedSums::checkpoint`], merged once rather
    /// than at every doubling.
    #[inline(always)]
    pub(crate) fn add_pending(&mut self, key: u32, value: i64) {
        self.unmarked = true;
        match self.pending.last_mut() {
            Some(last) if last.0 == key => {
                last.1 += value;
                return;
            }
            Some(last) if last.0 > key => self.pending_ascending = false,
            None => self.pending_ascending = true,
            Some(_) => {}
        }
        self.pending.push((key, value));
    }

    /// Makes room for `n` keys when there is none yet (what [`SortedSums::add_ascending`]
    /// then appends takes no more memory than it needs).
    pub(crate) fn reserve_exact(&mut self, n: usize) {
        if self.pending.is_empty() && self.settled.is_empty() {
            self.settled.keys.reserve_exact(n);
            self.settled.values.reserve_exact(n);
        }
    }

    /// Adds `value` to `key` when the keys come ascending, each once (a place's sums drained
    /// from a dense array): appended to the settled keys directly while they are all below
    /// it (no merge; values pending, if any, are merged at the next settle whatever their
    /// keys), else added as by [`SortedSums::add`].
    #[inline(always)]
    pub(crate) fn add_ascending(&mut self, key: u32, value: i64) {
        if self.settled.keys.last().is_none_or(|&k| k < key) {
            self.settled.push(key, value);
        } else {
            self.add(key, value);
        }
    }

    /// Whether every sum held is the one value [`SortedSums::add_ascending`] appended under
    /// its key (see `unmarked`).
    pub(crate) fn marked(&self) -> bool {
        !self.unmarked
    }

    /// Whether no key is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.settled.is_empty() && self.pending.is_empty()
    }

    /// The end of a batch of keys (a place's rows for a quarter): settles when the pending
    /// values are numerous enough against the settled ones that the merge pays for itself
    /// (a 32nd: pending values then hold a few percent of the memory of the sums, and
    /// unsorted input, whose batches are single rows, is not merged at every row). Once
    /// settled, the pending buffer is freed: in DGDDI's order the place has no more rows
    /// until the next quarter, and hundreds of places each keeping theirs cost megabytes.
    pub(crate) fn checkpoint(&mut self) {
        if self.pending.len() * 32 >= self.settled.len() {
            self.settle();
            self.pending = Vec::new();
        }
    }

    /// Merges the pending values into the settled ones, summing equal keys, in one forward
    /// pass into new arrays (a place's keys are a few thousand: its old and new arrays side
    /// by side cost little). The pass takes the smaller key of the two lists without a
    /// branch on which it is (the lists interleave unpredictably); a sum beyond 32 bits
    /// stays in the side map, which is keyed by key.
    pub(crate) fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if !self.pending_ascending {
            // A stable sort finds the ascending runs the batch is made of (a product's CPF4
            // codes may come before the previous product's) and merges them.
            self.pending.sort_by_key(|x| x.0);
        }
        self.pending.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 += later.1;
            }
            same
        });
        let old = std::mem::take(&mut self.settled);
        let pending = &mut self.pending;
        let (a, b) = (old.len(), pending.len());
        let mut new = Cells {
            keys: Vec::with_capacity(a + b),
            values: Vec::with_capacity(a + b),
            overflow: old.overflow,
        };
        let (mut i, mut j) = (0, 0);
        while i < a && j < b {
            let (x, (y, pv)) = (old.keys[i], pending[j]);
            let (from_old, from_pending) = (x <= y, y <= x);
            let ov = if from_old { old.values[i] } else { 0 };
            let k = x.min(y);
            let ov = match ov {
                BIG => new.overflow.remove(&k).unwrap_or(0),
                small => i64::from(small),
            };
            new.push(k, ov + if from_pending { pv } else { 0 });
            i += usize::from(from_old);
            j += usize::from(from_pending);
        }
        new.keys.extend_from_slice(&old.keys[i..]);
        new.values.extend_from_slice(&old.values[i..]);
        for &(k, v) in &pending[j..] {
            new.push(k, v);
        }
        // Keys in both lists were counted twice in the reservation: give it back (a shrink
        // in place, no copy).
        new.keys.shrink_to_fit();
        new.values.shrink_to_fit();
        self.settled = new;
        // A large pending buffer is freed rather than kept for the next batch: kept in
        // every place it would add a third to the memory of the sums.
        if pending.capacity() > 4 * MIN_PENDING {
            *pending = Vec::new();
        } else {
            pending.clear();
        }
        self.pending_ascending = true;
    }

    /// Adds the sums of `other`.
    pub(crate) fn merge(&mut self, other: SortedSums) {
        if self.settled.is_empty() && self.pending.is_empty() {
            *self = other;
            return;
        }
        if other.is_empty() {
            return;
        }
        self.unmarked = true;
        self.pending.extend(other.settled.iter());
        self.pending.extend(other.pending);
        self.pending_ascending = false;
        self.settle();
    }

    /// The number of keys, settled and pending (a key may be in both).
    pub(crate) fn len(&self) -> usize {
        self.settled.len() + self.pending.len()
    }

    /// The sums, by ascending key (zero sums included).
    pub(crate) fn into_sorted(mut self) -> Cells {
        self.settle();
        self.settled
    }

    /// The keys added so far, in no particular order.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.settled
            .keys
            .iter()
            .copied()
            .chain(self.pending.iter().map(|x| x.0))
    }
}

#[cfg(test)]
mod tests {
    use super::SortedSums;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// Small values mostly, some beyond 32 bits, and the 32-bit marker itself.
    fn value() -> impl Strategy<Value = i64> {
        prop_oneof![
            8 => -1000i64..1000,
            1 => -(1i64 << 40)..(1i64 << 40),
            1 => Just(i64::from(i32::MIN)),
            1 => Just(i64::from(i32::MAX)),
        ]
    }

    proptest! {
        /// Whatever the order, the repeats, the way of adding and the checkpoints, the sums
        /// are a map's, by ascending key.
        #[test]
        fn sums_equal_a_maps(entries in proptest::collection::vec((0u32..3000, value(), 0u8..8), 0..3000),
                             split in 0usize..3000) {
            let mut want: BTreeMap<u32, i64> = BTreeMap::new();
            for &(k, v, _) in &entries {
                *want.entry(k).or_insert(0) += v;
            }
            let cut = split.min(entries.len());
            let (mut a, mut b) = (SortedSums::default(), SortedSums::default());
            // Added by any of the three ways (whatever is pending), with checkpoints.
            for &(k, v, c) in &entries[..cut] {
                match c {
                    1 => a.add_ascending(k, v),
                    2 => a.add_pending(k, v),
                    _ => a.add(k, v),
                }
                if c == 0 {
                    a.checkpoint();
                }
            }
            for &(k, v, c) in &entries[cut..] {
                b.add(k, v);
                if c == 0 {
                    b.checkpoint();
                }
            }
            a.merge(b);
            let keys: std::collections::BTreeSet<u32> = a.keys().collect();
            prop_assert_eq!(keys, want.keys().copied().collect());
            let sorted = a.into_sorted();
            prop_assert_eq!(sorted.iter().collect::<Vec<_>>(), want.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn ascending_runs_settle_in_place_of_a_map() {
        let mut s = SortedSums::default();
        for quarter in 0..4 {
            for k in 0..1000u32 {
                s.add(k * 3, i64::from(quarter) + 1);
            }
            s.checkpoint();
            // After the first quarter, a quarter's batch is as large as the settled keys.
            assert!(s.pending.is_empty());
        }
        let sorted = s.into_sorted();
        assert_eq!(sorted.len(), 1000);
        assert!(sorted.iter().all(|(k, v)| k % 3 == 0 && v == 10));
        assert!(sorted.keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn zero_sums_are_dropped_and_keys_mapped_in_place() {
        let mut s = SortedSums::default();
        for (k, v) in [(5, 3), (1, 2), (5, -3), (9, 1)] {
            s.add(k, v);
        }
        let mut cells = s.into_sorted();
        assert_eq!(cells.iter().collect::<Vec<_>>(), [(1, 2), (5, 0), (9, 1)]);
        let mut seen = Vec::new();
        let mapped = cells.retain_nonzero_and_map(|k, v| {
            seen.push((k, v));
            Some(k * 10)
        });
        assert_eq!(mapped, Some(3));
        // The map is given the cells kept, with their values.
        assert_eq!(seen, [(1, 2), (9, 1)]);
        assert_eq!(cells.iter().collect::<Vec<_>>(), [(10, 2), (90, 1)]);
        assert_eq!(cells.retain_nonzero_and_map(|_, _| None), None);
    }

    #[test]
    fn sums_beyond_32_bits_are_exact_and_follow_their_key() {
        let big = i64::from(i32::MAX);
        let mut s = SortedSums::default();
        for (k, v) in [(7, big), (7, 1), (3, i64::from(i32::MIN)), (5, -big - 10)] {
            s.add(k, v);
            s.settle();
        }
        // Settled keys are moved up as new ones come in below them: their values follow.
        s.add(1, 4);
        s.add(6, 5_000_000_000);
        s.settle();
        let mut cells = s.into_sorted();
        let want = [
            (1, 4),
            (3, i64::from(i32::MIN)),
            (5, -big - 10),
            (6, 5_000_000_000),
            (7, big + 1),
        ];
        assert_eq!(cells.iter().collect::<Vec<_>>(), want);
        // Back into 32 bits: the side map forgets the key.
        let mut s = SortedSums::default();
        s.add(2, 5_000_000_000);
        s.settle();
        s.add(2, -4_999_999_999);
        let back = s.into_sorted();
        assert_eq!(back.iter().collect::<Vec<_>>(), [(2, 1)]);
        assert!(back.overflow.is_empty());
        // The sum given back counts the values held in the side map exactly.
        assert_eq!(
            cells.retain_nonzero_and_map(|k, _| Some(k + 100)),
            Some(want.iter().map(|x| x.1).sum::<i64>())
        );
        assert_eq!(
            cells.iter().collect::<Vec<_>>(),
            want.map(|(k, v)| (k + 100, v))
        );
    }
}
