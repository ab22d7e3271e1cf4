//! Country groups: the zones of the exposure figures (the EU of 27 and the continents of the
//! UN M49 standard), and EU and euro-area membership with their dates.

use std::fmt;
use std::str::FromStr;

use super::geo::Country;
use super::serde_via_str;
use super::zone_table::{MEMBERSHIP, ZONES};
use crate::error::CodeError;

/// A group of partner countries. Always these seven, in this order: `UE27` (the 27 members
/// of the EU since 2020-02-01, for every year: Eurostat's EU27_2020), `EUROPE_HORS_UE`,
/// `AFRIQUE`, `AMERIQUE`, `ASIE`, `OCEANIE` (the continents of the UN M49 standard for every
/// other country) and `NON_DETERMINE` (DGDDI's `Q*` codes, `EU`, Antarctica, any code with no
/// M49 region). `GB` and `XI` (Northern Ireland), `XK` Kosovo and `XS` Serbia are
/// `EUROPE_HORS_UE`; `XC` Ceuta and `XL` Melilla `AFRIQUE`; `TW` Taiwan `ASIE`; `FR` (French
/// goods returned) `UE27`.
///
/// ```
/// use tradeflows::{Country, Zone};
/// let zone = |c: &str| c.parse::<Country>().map(|c| c.zone());
/// assert_eq!(zone("DE")?, Zone::Ue27);
/// assert_eq!(zone("GB")?, Zone::EuropeHorsUe);
/// assert_eq!(zone("XC")?, Zone::Afrique);
/// assert_eq!(zone("TW")?, Zone::Asie);
/// assert_eq!(zone("QU")?, Zone::NonDetermine);
/// assert_eq!(zone("ZZ")?, Zone::NonDetermine, "a code no table knows");
/// assert_eq!(Zone::Ue27.to_string(), "UE27");
/// assert_eq!("OCEANIE".parse::<Zone>()?, Zone::Oceanie);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    /// The 27 members of the EU (EU27_2020).
    Ue27,
    /// The rest of Europe (M49 region 150 outside the EU).
    EuropeHorsUe,
    /// Africa (M49 002).
    Afrique,
    /// The Americas (M49 019).
    Amerique,
    /// Asia (M49 142).
    Asie,
    /// Oceania (M49 009).
    Oceanie,
    /// Not determined: DGDDI's `Q*` codes, `EU`, Antarctica, codes with no M49 region.
    NonDetermine,
}

impl Zone {
    /// The seven zones, in the order of the outputs.
    pub const ALL: [Zone; 7] = [
        Zone::Ue27,
        Zone::EuropeHorsUe,
        Zone::Afrique,
        Zone::Amerique,
        Zone::Asie,
        Zone::Oceanie,
        Zone::NonDetermine,
    ];

    /// The code: `UE27`, `EUROPE_HORS_UE`, `AFRIQUE`, `AMERIQUE`, `ASIE`, `OCEANIE`,
    /// `NON_DETERMINE`.
    pub fn code(self) -> &'static str {
        match self {
            Zone::Ue27 => "UE27",
            Zone::EuropeHorsUe => "EUROPE_HORS_UE",
            Zone::Afrique => "AFRIQUE",
            Zone::Amerique => "AMERIQUE",
            Zone::Asie => "ASIE",
            Zone::Oceanie => "OCEANIE",
            Zone::NonDetermine => "NON_DETERMINE",
        }
    }

    /// The French name.
    pub fn label(self) -> &'static str {
        match self {
            Zone::Ue27 => "Union européenne (27)",
            Zone::EuropeHorsUe => "Europe hors UE",
            Zone::Afrique => "Afrique",
            Zone::Amerique => "Amérique",
            Zone::Asie => "Asie",
            Zone::Oceanie => "Océanie",
            Zone::NonDetermine => "Non déterminé",
        }
    }

    /// A dense index in `0..7`, in the order of [`Zone::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Zone {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Zone::ALL
            .into_iter()
            .find(|z| z.code() == s)
            .ok_or_else(|| {
                CodeError::new(
                    "zone",
                    s,
                    "expected UE27, EUROPE_HORS_UE, AFRIQUE, AMERIQUE, ASIE, OCEANIE or NON_DETERMINE",
                )
            })
    }
}
serde_via_str!(Zone);

/// A day as `YYYYMMDD`, checked.
fn day(year: u16, month: u8, day: u8) -> Option<u32> {
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| u32::from(year) * 10_000 + u32::from(month) * 100 + u32::from(day))
}

impl Country {
    /// The zone of the country (a code no table knows is `NON_DETERMINE`).
    #[inline]
    pub fn zone(self) -> Zone {
        // Looked up once for every code, then by index: the exposure asks for every partner
        // of every territory.
        static BY_INDEX: std::sync::OnceLock<Vec<Zone>> = std::sync::OnceLock::new();
        let table = BY_INDEX.get_or_init(|| {
            (0..Country::CARDINALITY)
                .map(|i| {
                    Country::from_index(i)
                        .and_then(Country::listed_zone)
                        .unwrap_or(Zone::NonDetermine)
                })
                .collect()
        });
        table
            .get(self.index())
            .copied()
            .unwrap_or(Zone::NonDetermine)
    }

    /// The zone the table gives the country: every code of DGDDI's `Libelle_PAYS.txt` has
    /// one; `None` for a code the table does not know.
    pub fn listed_zone(self) -> Option<Zone> {
        ZONES
            .binary_search_by(|e| e.0.cmp(self.code()))
            .ok()
            .map(|i| ZONES[i].1)
    }

    fn member_on(self, euro: bool, year: u16, month: u8, d: u8) -> bool {
        day(year, month, d).is_some_and(|day| {
            MEMBERSHIP
                .iter()
                .any(|m| m.0 == self.code() && m.1 == euro && m.2 <= day && day <= m.3)
        })
    }

    /// Whether the country was a member of the EU (the EEC, then the EC, before 1993) on a
    /// day; `false` for an impossible date.
    ///
    /// ```
    /// use tradeflows::Country;
    /// let gb: Country = "GB".parse()?;
    /// assert!(gb.in_eu_on(2020, 1, 31) && !gb.in_eu_on(2020, 2, 1));
    /// let hr: Country = "HR".parse()?;
    /// assert!(!hr.in_eu_on(2013, 6, 30) && hr.in_eu_on(2013, 7, 1));
    /// # Ok::<(), tradeflows::CodeError>(())
    /// ```
    pub fn in_eu_on(self, year: u16, month: u8, day: u8) -> bool {
        self.member_on(false, year, month, day)
    }

    /// Whether the country was in the euro area on a day.
    ///
    /// ```
    /// use tradeflows::Country;
    /// let bg: Country = "BG".parse()?;
    /// assert!(!bg.in_euro_area_on(2025, 12, 31) && bg.in_euro_area_on(2026, 1, 1));
    /// # Ok::<(), tradeflows::CodeError>(())
    /// ```
    pub fn in_euro_area_on(self, year: u16, month: u8, day: u8) -> bool {
        self.member_on(true, year, month, day)
    }
}
