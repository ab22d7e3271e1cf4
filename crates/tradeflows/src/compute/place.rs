//! The places the aggregates are filed by: each listed département, and the rows of
//! unlisted département codes gathered by région.

use crate::codes::{Departement, Place, Region};
use crate::model::Territory;

/// Where a row is filed: each listed département has its place; the rows of unlisted
/// département codes are filed by région (when their région code names one) or together
/// (when not), so that they count in their région's and France's totals.
#[inline]
pub(crate) fn place_index(place: Place) -> usize {
    match place {
        Place::Listed(d) => d.index(),
        Place::Unlisted(u) => match u.region() {
            Some(r) => Departement::count() + r.index(),
            None => Departement::count() + Region::count(),
        },
    }
}

/// Number of places of [`place_index`].
pub(crate) fn places() -> usize {
    Departement::count() + Region::count() + 1
}

/// Whether the rows filed at place `i` count in `territory`.
pub(crate) fn counts_in(territory: &Territory, i: usize) -> bool {
    let n = Departement::count();
    match territory {
        Territory::France => true,
        Territory::Departement(d) => i == d.index(),
        Territory::Region(r) => match Departement::from_index(i) {
            Some(d) => d.region() == *r,
            None => i == n + r.index(),
        },
    }
}
