//! Row types of the built-in nomenclature tables (`tables.rs` is generated from the public
//! reference files by `tools/gen_tables.py`).

/// A code of an aggregation level (A10 … A88) and its French label.
#[derive(Debug)]
pub(crate) struct Entry {
    pub code: &'static str,
    pub label: &'static str,
}

/// An A129 code, its label and its parents as indices into the level tables.
#[derive(Debug)]
pub(crate) struct A129Entry {
    pub code: &'static str,
    pub label: &'static str,
    /// Whether DGDDI uses the code for goods (it is in `Libelle_A129.txt`).
    pub goods: bool,
    pub a88: u8,
    pub a64: u8,
    pub a38: u8,
    pub a21: u8,
    pub a17: u8,
    pub a10: u8,
}

/// A CPF4 code (as its integer value), its DGDDI label and its A129 index when it is a NAF class.
#[derive(Debug)]
pub(crate) struct Cpf4Entry {
    pub code: u16,
    pub label: &'static str,
    pub a129: Option<u8>,
}

/// A géonomenclature country code with its validity range (`AAAAMM`, `999912` = still valid).
#[derive(Debug)]
pub(crate) struct CountryEntry {
    pub code: &'static str,
    pub label: &'static str,
    pub from: u32,
    pub to: u32,
}

/// An INSEE région and the DGDDI-internal code of its départements.
#[derive(Debug)]
pub(crate) struct RegionEntry {
    pub code: &'static str,
    pub name: &'static str,
    pub dgddi: &'static str,
}

/// A DGDDI département, the INSEE codes it covers and its INSEE région (index into `REGIONS`).
#[derive(Debug)]
pub(crate) struct DepartementEntry {
    pub code: &'static str,
    pub insee: &'static [&'static str],
    pub name: &'static str,
    pub region: u8,
}
