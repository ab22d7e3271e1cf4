//! Typed codes: every code of the DGDDI files and of the nomenclatures is a small `Copy` type.
//!
//! Each type has one parse path ([`FromStr`](std::str::FromStr), also used by serde), a
//! canonical [`Display`](std::fmt::Display) that round-trips, and validates at construction:
//! a value of the type is always a valid code. Codes of closed nomenclatures (the aggregated
//! levels A88 … A10, départements, régions) must belong to them; open ones (A129, CPF4, CPF6,
//! NC8, countries) must have the right shape, and the nomenclature tells whether they are
//! listed. A row's département field is a [`Place`]: a listed [`Departement`], or a
//! well-formed code DGDDI's list does not name, whose rows still count.

mod a129;
mod digits;
mod flow;
mod geo;
mod levels;
mod quarters;
mod zone;
#[rustfmt::skip]
mod zone_table;

pub use a129::A129;
pub use digits::{Cpf4, Cpf6, Nc8};
pub use flow::Flow;
pub use geo::{Country, Departement, Place, Region, UnlistedDepartement};
pub use levels::{Level, Product, A10, A17, A21, A38, A64, A88};
pub use quarters::Quarters;
pub use zone::Zone;

/// Implements serde through the string form (`Display` / `FromStr`); with `|code, s| …`,
/// serialises through that expression instead, for a code whose text is at hand without
/// `Display` (the reference run's factsheets write about 60 000 codes: formatting them
/// through `collect_str` took 6 of the 64 million instructions of writing the JSON).
macro_rules! serde_via_str {
    ($t:ty) => {
        $crate::codes::serde_via_str!($t, |code, s| s.collect_str(code));
    };
    ($t:ty, |$code:ident, $s:ident| $ser:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, $s: S) -> Result<S::Ok, S::Error> {
                let $code = self;
                $ser
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_str;
