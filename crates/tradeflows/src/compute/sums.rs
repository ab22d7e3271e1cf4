//! Sums by integer key, gathered in arrival order and kept sorted: the accumulator of the
//! reference year's detail (product, partner) and of the CPF4 imports.
//!
//! Hand-written because what it exploits is particular to DGDDI's files: their rows come
//! sorted (quarter, département, A129, CPF4, country), so the keys of one place, (CPF4,
//! country) or (product, partner) once a run of a product is sorted by partner, arrive
//! ascending, once per quarter. A sorted vector holds a key in 16 bytes where a hash map
//! takes 25 to 35 (buckets, control bytes, a load factor and doubling): on files spread like
//! real ones (1 million cells at A129) that is 8 MiB less at the peak. After the first quarter almost every key is
//! already settled, and is found from where the previous one was: a few nanoseconds a row
//! where a hash map costs tens, and the sums end sorted, so the cube needs no sort. Keys
//! not settled yet are appended, then merged in batches, in place. Unsorted input gives the
//! same sums, only slower (a binary search a row).

/// Sums by `u32` key.
#[derive(Debug, Clone, Default)]
pub(crate) struct SortedSums {
    /// Settled: strictly ascending keys.
    sorted: Vec<(u32, i64)>,
    /// Keys not settled yet, in arrival order.
    pending: Vec<(u32, i64)>,
    /// Where the last key was found in `sorted` (the next one is usually at or just after).
    cursor: usize,
}

/// Below this many pending entries a place does not settle (bounds the sorts' count).
const MIN_PENDING: usize = 512;
/// Steps the cursor walks forward before it searches.
const WALK: usize = 8;

impl SortedSums {
    /// Adds `value` to the sum of `key`: in place when the key is settled (found from where
    /// the previous key was, so an ascending stream costs O(1) a key), else appended.
    #[inline(always)]
    pub(crate) fn add(&mut self, key: u32, value: i64) {
        // The usual case: the key is the one after the previous key.
        if let Some(e) = self.sorted.get_mut(self.cursor) {
            if e.0 == key {
                e.1 += value;
                self.cursor += 1;
                return;
            }
        }
        self.add_elsewhere(key, value);
    }

    /// [`SortedSums::add`] when the key is not at the cursor.
    #[inline(never)]
    fn add_elsewhere(&mut self, key: u32, value: i64) {
        let s = &self.sorted;
        let mut i = self.cursor.min(s.len());
        if i > 0 && s[i - 1].0 >= key {
            i = s.partition_point(|x| x.0 < key);
        } else {
            let stop = (i + WALK).min(s.len());
            while i < stop && s[i].0 < key {
                i += 1;
            }
            if i == stop && i < s.len() {
                i += s[i..].partition_point(|x| x.0 < key);
            }
        }
        match self.sorted.get_mut(i) {
            Some(e) if e.0 == key => {
                e.1 += value;
                // The next key of an ascending stream is after this one.
                self.cursor = i + 1;
            }
            _ => {
                self.cursor = i;
                self.pending.push((key, value));
                if self.pending.len() >= self.sorted.len().max(MIN_PENDING) {
                    self.settle();
                }
            }
        }
    }

    /// Merges the pending entries into the settled ones, summing equal keys, in place: the
    /// keys already settled are added where they are, the new ones merged in from the back
    /// (no buffer is allocated: a settle costs a pass over both lists).
    pub(crate) fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        // New keys arrive in a few ascending runs: the stable sort finds and merges them.
        if !self.pending.is_sorted_by_key(|x| x.0) {
            self.pending.sort_by_key(|x| x.0);
        }
        let (sorted, pending) = (&mut self.sorted, &mut self.pending);
        let (mut kept, mut i) = (0, 0);
        for j in 0..pending.len() {
            let (k, v) = pending[j];
            if kept > 0 && pending[kept - 1].0 == k {
                pending[kept - 1].1 += v;
                continue;
            }
            while i < sorted.len() && sorted[i].0 < k {
                i += 1;
            }
            match sorted.get_mut(i) {
                Some(e) if e.0 == k => e.1 += v,
                _ => {
                    pending[kept] = (k, v);
                    kept += 1;
                }
            }
        }
        pending.truncate(kept);
        let (mut a, mut b) = (sorted.len(), kept);
        // Settles come when the pending keys are as many as the settled ones (or at the end
        // of the input), so exact reservations still grow geometrically, without the
        // doubling's unused half at the end.
        sorted.reserve_exact(b);
        sorted.resize(a + b, (0, 0));
        while b > 0 {
            let w = a + b - 1;
            if a > 0 && sorted[a - 1].0 > pending[b - 1].0 {
                sorted[w] = sorted[a - 1];
                a -= 1;
            } else {
                sorted[w] = pending[b - 1];
                b -= 1;
            }
        }
        // A large pending buffer is freed rather than kept for the next batch: it would
        // double the memory of the sums.
        if pending.capacity() > 4 * MIN_PENDING {
            *pending = Vec::new();
        } else {
            pending.clear();
        }
        self.cursor = 0;
    }

    /// Adds the sums of `other`.
    pub(crate) fn merge(&mut self, other: SortedSums) {
        if self.sorted.is_empty() && self.pending.is_empty() {
            *self = other;
            return;
        }
        self.pending.extend(other.sorted);
        self.pending.extend(other.pending);
        self.settle();
    }

    /// The sums, by ascending key (zero sums included).
    pub(crate) fn into_sorted(mut self) -> Vec<(u32, i64)> {
        self.settle();
        self.sorted
    }

    /// The keys added so far, in no particular order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.sorted.iter().chain(&self.pending).map(|x| x.0)
    }
}

#[cfg(test)]
mod tests {
    use super::SortedSums;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Whatever the order and the repeats, the sums are a map's, by ascending key.
        #[test]
        fn sums_equal_a_maps(entries in proptest::collection::vec((0u32..3000, -1000i64..1000), 0..3000),
                             split in 0usize..3000) {
            let mut want: BTreeMap<u32, i64> = BTreeMap::new();
            for &(k, v) in &entries {
                *want.entry(k).or_insert(0) += v;
            }
            let cut = split.min(entries.len());
            let (mut a, mut b) = (SortedSums::default(), SortedSums::default());
            for &(k, v) in &entries[..cut] {
                a.add(k, v);
            }
            for &(k, v) in &entries[cut..] {
                b.add(k, v);
            }
            a.merge(b);
            let keys: std::collections::BTreeSet<u32> = a.keys().collect();
            prop_assert_eq!(keys, want.keys().copied().collect());
            prop_assert_eq!(a.into_sorted(), want.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn ascending_runs_settle_in_place_of_a_map() {
        let mut s = SortedSums::default();
        for quarter in 0..4 {
            for k in 0..1000u32 {
                s.add(k * 3, i64::from(quarter) + 1);
            }
        }
        let sorted = s.into_sorted();
        assert_eq!(sorted.len(), 1000);
        assert!(sorted.iter().all(|&(k, v)| k % 3 == 0 && v == 10));
        assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
