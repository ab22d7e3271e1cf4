//! Geographic codes: partner countries, départements and régions.

use std::fmt;
use std::str::FromStr;

use super::serde_via_str;
use crate::error::CodeError;
use crate::nomenclature::tables;

/// A partner country of the EU géonomenclature: two capital letters (ISO alpha-2, plus the
/// special codes such as `QU` *pays non déterminés*, `XS` Serbia, `EU`, and `FR` for French
/// goods returned). The shape is validated; [`Country::label`] tells whether it is known.
///
/// ```
/// use tradeflows::Country;
/// let de: Country = "DE".parse()?;
/// assert_eq!(de.label(2024), Some("Allemagne"));
/// assert!("de".parse::<Country>().is_err());
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Size of the dense index space (26 × 26).
    pub const CARDINALITY: usize = 676;

    /// Parses the code from bytes.
    #[inline]
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        match s {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok(Country([*a, *b])),
            _ => Err(CodeError::new(
                "country code",
                s,
                "expected two capital letters",
            )),
        }
    }

    /// The code.
    pub fn code(&self) -> &str {
        // The two bytes are ASCII capitals by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// A dense index in `0..676`, in code order.
    #[inline]
    pub fn index(self) -> usize {
        (self.0[0] - b'A') as usize * 26 + (self.0[1] - b'A') as usize
    }

    /// The code at a dense index.
    pub fn from_index(i: usize) -> Option<Self> {
        (i < Self::CARDINALITY).then(|| Country([b'A' + (i / 26) as u8, b'A' + (i % 26) as u8]))
    }

    /// Parses a country code the géonomenclature lists (in any period): what a user names,
    /// as the countries to watch, must exist; a row of the files may hold any well-formed
    /// code.
    ///
    /// ```
    /// use tradeflows::Country;
    /// assert!(Country::parse_listed("US").is_ok());
    /// assert!(Country::parse_listed("ZZ").unwrap_err().to_string().contains("not in the géonomenclature"));
    /// assert!(Country::parse_listed("us").is_err());
    /// ```
    pub fn parse_listed(s: &str) -> Result<Self, CodeError> {
        let c: Country = s.trim().parse()?;
        if tables::COUNTRIES.iter().any(|e| e.code == c.code()) {
            Ok(c)
        } else {
            Err(CodeError::new(
                "country code",
                s,
                "not in the géonomenclature (Libelle_PAYS.txt)",
            ))
        }
    }

    /// The built-in French name valid in `year` (codes reused over time, `QU`, `XK`, `XS`,
    /// take the name of the period that covers the year, else the latest one).
    pub fn label(self, year: u16) -> Option<&'static str> {
        crate::nomenclature::pick_by_validity(
            tables::COUNTRIES
                .iter()
                .filter(|e| e.code.as_bytes() == self.0)
                .map(|e| (e.label, e.from, e.to)),
            year,
        )
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Country {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Country::from_bytes(s.as_bytes())
    }
}
serde_via_str!(Country, |code, s| s.serialize_str(code.code()));

/// A département as DGDDI codes it: `01`–`95` with `20` for all of Corsica, `9A`–`9E` for
/// the DOM (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte) and `99` for Monaco.
///
/// Parsing also takes the INSEE codes `2A`, `2B` (→ `20`) and `971`–`976` (→ `9A`–`9E`);
/// [`Display`](fmt::Display) always gives the DGDDI code.
///
/// ```
/// use tradeflows::Departement;
/// let d: Departement = "22".parse()?;
/// assert_eq!(d.name(), "Côtes-d'Armor");
/// assert_eq!(d.region().code(), "53");
/// assert_eq!("974".parse::<Departement>()?.to_string(), "9D");
/// assert_eq!("99".parse::<Departement>()?.region().name(), "Provence-Alpes-Côte d'Azur");
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Departement(u8);

impl Departement {
    /// Parses a DGDDI département code only (the reader's path: no INSEE aliases).
    #[inline]
    pub fn from_dgddi_bytes(s: &[u8]) -> Result<Self, CodeError> {
        tables::DEPARTEMENTS
            .binary_search_by(|e| e.code.as_bytes().cmp(s))
            .map(|i| Departement(i as u8))
            .map_err(|_| {
                CodeError::new(
                    "département code",
                    s,
                    "not a DGDDI département (01–95, 9A–9E, 99)",
                )
            })
    }

    /// The DGDDI code.
    pub fn code(self) -> &'static str {
        self.entry().code
    }

    fn entry(self) -> &'static crate::nomenclature::rows::DepartementEntry {
        &tables::DEPARTEMENTS[self.0 as usize]
    }

    /// The name (INSEE's; `Corse` for `20`, `Monaco` for `99`).
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The INSEE codes the DGDDI code covers (`20` → `2A`, `2B`; `99` → none).
    pub fn insee_codes(self) -> &'static [&'static str] {
        self.entry().insee
    }

    /// The INSEE région (DOM départements are their own région; Monaco counts in PACA).
    pub fn region(self) -> Region {
        Region(self.entry().region)
    }

    /// A dense index in `0..Departement::count()`, in code order.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The département at a dense index.
    pub fn from_index(i: usize) -> Option<Self> {
        (i < tables::DEPARTEMENTS.len()).then_some(Departement(i as u8))
    }

    /// Number of DGDDI départements (101).
    pub fn count() -> usize {
        tables::DEPARTEMENTS.len()
    }

    /// Every département, in code order.
    pub fn all() -> impl Iterator<Item = Departement> {
        (0..tables::DEPARTEMENTS.len()).map(|i| Departement(i as u8))
    }
}

impl fmt::Display for Departement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Departement {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        if let Ok(d) = Departement::from_dgddi_bytes(s.as_bytes()) {
            return Ok(d);
        }
        tables::DEPARTEMENTS
            .iter()
            .position(|e| e.insee.contains(&s))
            .map(|i| Departement(i as u8))
            .ok_or_else(|| {
                CodeError::new(
                    "département code",
                    s,
                    "not a département (DGDDI 01–95, 9A–9E, 99, or INSEE 2A, 2B, 971–976)",
                )
            })
    }
}
serde_via_str!(Departement);

/// A région by its INSEE code (`53` = Bretagne). The DGDDI files use internal région codes
/// (`07` = Bretagne, `24` = all DOM); the reader maps them through the département.
///
/// ```
/// use tradeflows::Region;
/// let r: Region = "53".parse()?;
/// assert_eq!(r.name(), "Bretagne");
/// assert_eq!(r.departements().map(|d| d.code()).collect::<Vec<_>>(), ["22", "29", "35", "56"]);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(u8);

impl Region {
    fn entry(self) -> &'static crate::nomenclature::rows::RegionEntry {
        &tables::REGIONS[self.0 as usize]
    }

    /// The INSEE code.
    pub fn code(self) -> &'static str {
        self.entry().code
    }

    /// The name.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The DGDDI-internal code of the région's départements in the files (`24` for every DOM).
    pub fn dgddi_code(self) -> &'static str {
        self.entry().dgddi
    }

    /// The région's départements, in code order.
    pub fn departements(self) -> impl Iterator<Item = Departement> {
        Departement::all().filter(move |d| d.region() == self)
    }

    /// A dense index in `0..Region::count()`.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Number of régions (18).
    pub fn count() -> usize {
        tables::REGIONS.len()
    }

    /// Every région, in code order.
    pub fn all() -> impl Iterator<Item = Region> {
        (0..tables::REGIONS.len()).map(|i| Region(i as u8))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        tables::REGIONS
            .binary_search_by(|e| e.code.cmp(s))
            .map(|i| Region(i as u8))
            .map_err(|_| {
                CodeError::new("région code", s, "not an INSEE région code (01–06, 11–94)")
            })
    }
}
serde_via_str!(Region);

/// A département code DGDDI's list does not name (`00`), as found in a row of the regional
/// file with the row's région code. Real files carry such rows; they count in France's
/// totals, and in their région's when the région code names one INSEE région.
///
/// ```
/// use tradeflows::{Place, Region};
/// let p = Place::from_fields(b"00", b"07")?;
/// assert_eq!(p.departement(), None);
/// assert_eq!(p.region(), Some("53".parse::<Region>()?));
/// assert_eq!(p.code(), "00");
/// // DGDDI's région 24 is every DOM: no single INSEE région.
/// assert_eq!(Place::from_fields(b"00", b"24")?.region(), None);
/// assert!(Place::from_fields(b"0", b"07").is_err());
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnlistedDepartement {
    code: [u8; 2],
    region_code: [u8; 2],
}

impl UnlistedDepartement {
    /// The département code as found.
    pub fn code(&self) -> &str {
        // Two ASCII bytes by construction.
        std::str::from_utf8(&self.code).unwrap_or("??")
    }

    /// The row's DGDDI région code as found.
    pub fn dgddi_region_code(&self) -> &str {
        std::str::from_utf8(&self.region_code).unwrap_or("??")
    }

    /// The INSEE région the row's région code names, if it names exactly one.
    pub fn region(&self) -> Option<Region> {
        let mut it = Region::all().filter(|r| r.dgddi_code().as_bytes() == self.region_code);
        match (it.next(), it.next()) {
            (Some(r), None) => Some(r),
            _ => None,
        }
    }
}

/// Where a row of the regional file counts: its département and région fields. Either a
/// département of DGDDI's list (whose région field must then be its own), or a well-formed
/// code the list does not name (two characters `0-9`/`A-Z`, and a two-digit région code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// A département of DGDDI's list.
    Listed(Departement),
    /// A well-formed département code the list does not name.
    Unlisted(UnlistedDepartement),
}

impl Place {
    /// Reads the département and région fields of a row. A listed département must come
    /// with its own DGDDI région code; any other well-formed pair is an unlisted place.
    pub fn from_fields(departement: &[u8], region: &[u8]) -> Result<Self, CodeError> {
        let well_formed = |b: &u8| b.is_ascii_digit() || b.is_ascii_uppercase();
        let dep: [u8; 2] = match departement {
            [a, b] if well_formed(a) && well_formed(b) => [*a, *b],
            _ => {
                return Err(CodeError::new(
                    "département code",
                    departement,
                    "expected two characters 0-9 or A-Z (01–95, 9A–9E, 99)",
                ))
            }
        };
        let reg: [u8; 2] = match region {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => [*a, *b],
            _ => return Err(CodeError::new("région code", region, "expected two digits")),
        };
        match Departement::from_dgddi_bytes(&dep) {
            Ok(d) if d.region().dgddi_code().as_bytes() == reg => Ok(Place::Listed(d)),
            Ok(_) => Err(CodeError::new(
                "région code",
                region,
                "not the DGDDI région of this département",
            )),
            Err(_) => Ok(Place::Unlisted(UnlistedDepartement {
                code: dep,
                region_code: reg,
            })),
        }
    }

    /// The listed département, if any.
    pub fn departement(&self) -> Option<Departement> {
        match self {
            Place::Listed(d) => Some(*d),
            Place::Unlisted(_) => None,
        }
    }

    /// The INSEE région: a listed département's, else the one the row's région code names.
    pub fn region(&self) -> Option<Region> {
        match self {
            Place::Listed(d) => Some(d.region()),
            Place::Unlisted(u) => u.region(),
        }
    }

    /// The département code as found.
    pub fn code(&self) -> &str {
        match self {
            Place::Listed(d) => d.code(),
            Place::Unlisted(u) => u.code(),
        }
    }

    /// The row's DGDDI région code.
    pub fn dgddi_region_code(&self) -> &str {
        match self {
            Place::Listed(d) => d.region().dgddi_code(),
            Place::Unlisted(u) => u.dgddi_region_code(),
        }
    }
}

impl From<Departement> for Place {
    fn from(d: Departement) -> Self {
        Place::Listed(d)
    }
}
