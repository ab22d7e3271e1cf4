//! Codes made of a fixed number of digits: CPF4, CPF6 (CPF rév. 2.1) and NC8.

use std::fmt;
use std::str::FromStr;

use super::serde_via_str;
use crate::error::CodeError;
use crate::nomenclature::tables;

/// Parses exactly `width` ASCII digits (leading zeros are significant).
#[inline(always)]
fn parse_digits(
    s: &[u8],
    width: usize,
    kind: &'static str,
    reason: &'static str,
) -> Result<u32, CodeError> {
    if s.len() != width || !s.iter().all(u8::is_ascii_digit) {
        return Err(CodeError::new(kind, s, reason));
    }
    Ok(s.iter()
        .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0')))
}

/// A CPF rév. 2.1 product code at 4 digits, the product level of the regional file
/// (`0111` = NAF class 01.11).
///
/// ```
/// use tradeflows::{Cpf4, A129};
/// let c: Cpf4 = "1011".parse()?;
/// assert_eq!(c.to_string(), "1011");
/// assert_eq!(c.a129(), Some("C10A".parse::<A129>()?));
/// assert_eq!(c.label(), Some("Viandes de boucherie et produits d'abattage"));
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpf4(u16);

impl Cpf4 {
    /// Parses the code from bytes (the reader's path; same rules as `FromStr`).
    #[inline]
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        parse_digits(s, 4, "CPF4 code", "expected 4 digits").map(|v| Cpf4(v as u16))
    }

    /// The code as an integer (`0111` → 111), a dense index in `0..10_000`.
    pub fn value(self) -> u16 {
        self.0
    }

    /// The code of an integer in `0..10_000`.
    pub fn from_value(v: u16) -> Option<Self> {
        (v < 10_000).then_some(Cpf4(v))
    }

    fn entry(self) -> Option<&'static crate::nomenclature::rows::Cpf4Entry> {
        tables::CPF4
            .binary_search_by_key(&self.0, |e| e.code)
            .ok()
            .map(|i| &tables::CPF4[i])
    }

    /// Whether the code is in the built-in CPF4 table (DGDDI's 576 codes).
    pub fn is_known(self) -> bool {
        self.entry().is_some()
    }

    /// The built-in French label (DGDDI), if the code is known.
    pub fn label(self) -> Option<&'static str> {
        self.entry().map(|e| e.label)
    }

    /// The A129 product the code belongs to, from INSEE's NAF table. `None` for codes that
    /// are unknown or are not NAF classes (DGDDI's `0300 3100 4100 4700 7200`): the regional
    /// file carries an A129 code on every row, which is what the aggregations use.
    pub fn a129(self) -> Option<super::A129> {
        self.entry()
            .and_then(|e| e.a129)
            .and_then(|i| super::A129::from_index(usize::from(i)))
    }

    /// Every code of the built-in table, in code order.
    pub fn all() -> impl Iterator<Item = Cpf4> {
        tables::CPF4.iter().map(|e| Cpf4(e.code))
    }

    /// The code's four digits (what `Display` writes), without formatting machinery.
    fn digits(self) -> [u8; 4] {
        let v = self.0 % 10_000;
        [v / 1000, v / 100 % 10, v / 10 % 10, v % 10].map(|d| b'0' + d as u8)
    }
}

impl fmt::Display for Cpf4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

impl FromStr for Cpf4 {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Cpf4::from_bytes(s.as_bytes())
    }
}
serde_via_str!(Cpf4, |code, s| match std::str::from_utf8(&code.digits()) {
    Ok(text) => s.serialize_str(text),
    Err(_) => s.collect_str(code),
});

/// A CPF rév. 2.1 product code at 6 digits (sub-category; `014310` = 01.43.10), the product
/// level of the national file.
///
/// ```
/// use tradeflows::Cpf6;
/// let c: Cpf6 = "014310".parse()?;
/// assert_eq!(c.cpf4().to_string(), "0143");
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpf6(u32);

impl Cpf6 {
    /// Parses the code from bytes.
    #[inline]
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        parse_digits(s, 6, "CPF6 code", "expected 6 digits").map(Cpf6)
    }

    /// The code as an integer.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The CPF4 class it belongs to (its first four digits).
    pub fn cpf4(self) -> Cpf4 {
        Cpf4((self.0 / 100) as u16)
    }
}

impl fmt::Display for Cpf6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl FromStr for Cpf6 {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Cpf6::from_bytes(s.as_bytes())
    }
}
serde_via_str!(Cpf6);

/// A code of the Combined Nomenclature at 8 digits (NC8), the finest product level of the
/// national file. NC8 is not a CPF level: its CPF6 parent is given on each row of the file.
///
/// ```
/// use tradeflows::Nc8;
/// let c: Nc8 = "01012100".parse()?;
/// assert_eq!(c.chapter(), 1);
/// assert!("0101210".parse::<Nc8>().is_err());
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nc8(u32);

impl Nc8 {
    /// Parses the code from bytes.
    #[inline]
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        parse_digits(s, 8, "NC8 code", "expected 8 digits").map(Nc8)
    }

    /// The code as an integer.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The Harmonized System chapter (first two digits, 1–99).
    pub fn chapter(self) -> u8 {
        (self.0 / 1_000_000) as u8
    }
}

impl fmt::Display for Nc8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

impl FromStr for Nc8 {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Nc8::from_bytes(s.as_bytes())
    }
}
serde_via_str!(Nc8);
