//! The A129 level: INSEE's 129 products, and the well-formed codes INSEE does not list.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::serde_via_str;
use super::{A10, A17, A21, A38, A64, A88};
use crate::error::CodeError;
use crate::nomenclature::tables;

/// Number of well-formed codes outside INSEE's table: section `A`–`U` (21) × two digits ×
/// a letter.
const UNLISTED: usize = 21 * 100 * 26;

/// A product of the A129 level (`C10A` = viande et produits à base de viande), the level
/// carried by every row of the DGDDI files.
///
/// The 129 codes of INSEE's table are *listed*: they have a label and parents up to A10.
/// A code of the right shape that the table does not list (the NAF section `A`–`U`, two
/// digits, a capital letter: `C10X`) is accepted too, as countries and CPF4 codes are: DGDDI
/// files can carry codes the nomenclature does not name, and their rows must still count.
/// Such a code has no label and no parent; [`A129::is_listed`] tells which is which.
///
/// ```
/// use tradeflows::A129;
/// let a: A129 = "C10A".parse()?;
/// assert_eq!(a.a38().map(|p| p.code()), Some("CA"));
/// assert_eq!(a.a17().map(|p| p.code()), Some("C1"));
/// assert_eq!(a.a10().map(|p| p.code()), Some("BE"));
/// let unlisted: A129 = "C10X".parse()?;
/// assert!(!unlisted.is_listed());
/// assert_eq!((unlisted.code(), unlisted.a38()), ("C10X".into(), None));
/// assert!("c10a".parse::<A129>().is_err() && "Z10A".parse::<A129>().is_err());
/// // Ordered by code, listed or not.
/// assert!(unlisted > a && unlisted < "C10Z".parse()?);
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct A129(u16);

/// The listed codes as big-endian words, in the table's order (code order: the words sort
/// as the bytes do): a lookup compares one integer a step. Every code has four bytes (the
/// assertion fails the build otherwise).
const WORDS: [u32; tables::A129.len()] = {
    let mut words = [0u32; tables::A129.len()];
    let mut i = 0;
    while i < words.len() {
        let b = tables::A129[i].code.as_bytes();
        assert!(b.len() == 4, "an A129 code of four bytes");
        words[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        i += 1;
    }
    words
};

impl A129 {
    /// Size of the dense index space: the listed codes, then every unlisted well-formed one.
    pub const CARDINALITY: usize = tables::A129.len() + UNLISTED;

    /// Parses the code from bytes (same rules as `FromStr`).
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        if let Ok(word) = <[u8; 4]>::try_from(s) {
            if let Ok(i) = WORDS.binary_search(&u32::from_be_bytes(word)) {
                return Ok(A129(i as u16));
            }
        }
        match s {
            [sec @ b'A'..=b'U', d1 @ b'0'..=b'9', d2 @ b'0'..=b'9', l @ b'A'..=b'Z'] => {
                let packed = (usize::from(sec - b'A') * 100
                    + usize::from(d1 - b'0') * 10
                    + usize::from(d2 - b'0'))
                    * 26
                    + usize::from(l - b'A');
                Ok(A129((tables::A129.len() + packed) as u16))
            }
            _ => Err(CodeError::new(
                "A129 code",
                s,
                "expected a NAF section letter A–U, two digits and a capital letter (C10A)",
            )),
        }
    }

    fn entry(self) -> Option<&'static crate::nomenclature::rows::A129Entry> {
        tables::A129.get(usize::from(self.0))
    }

    /// The four bytes of the code.
    fn bytes(self) -> [u8; 4] {
        match self.entry() {
            Some(e) => {
                let b = e.code.as_bytes();
                [b[0], b[1], b[2], b[3]]
            }
            None => {
                let p = usize::from(self.0) - tables::A129.len();
                let (rest, letter) = (p / 26, p % 26);
                let (section, division) = (rest / 100, rest % 100);
                [
                    b'A' + section as u8,
                    b'0' + (division / 10) as u8,
                    b'0' + (division % 10) as u8,
                    b'A' + letter as u8,
                ]
            }
        }
    }

    /// The code, e.g. as printed (borrowed from the built-in table when listed).
    pub fn code(self) -> Cow<'static, str> {
        match self.entry() {
            Some(e) => Cow::Borrowed(e.code),
            None => Cow::Owned(self.bytes().iter().map(|&b| char::from(b)).collect()),
        }
    }

    /// Whether INSEE's table lists the code (it then has a label and parents).
    pub fn is_listed(self) -> bool {
        self.entry().is_some()
    }

    /// The built-in French label of a listed code.
    pub fn label(self) -> Option<&'static str> {
        self.entry().map(|e| e.label)
    }

    /// Whether DGDDI uses this code for goods (it is in `Libelle_A129.txt`).
    pub fn is_goods(self) -> bool {
        self.entry().is_some_and(|e| e.goods)
    }

    /// A dense index in `0..A129::CARDINALITY`: the listed codes first, in code order.
    #[inline]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The code at a dense index, if in range.
    pub fn from_index(i: usize) -> Option<Self> {
        (i < Self::CARDINALITY).then_some(A129(i as u16))
    }

    /// Every listed code, in code order.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..tables::A129.len()).map(|i| A129(i as u16))
    }

    /// Number of listed codes (129).
    pub fn count() -> usize {
        tables::A129.len()
    }

    /// The A88 parent of a listed code.
    pub fn a88(self) -> Option<A88> {
        self.entry()
            .and_then(|e| A88::from_index(usize::from(e.a88)))
    }
    /// The A64 parent of a listed code.
    pub fn a64(self) -> Option<A64> {
        self.entry()
            .and_then(|e| A64::from_index(usize::from(e.a64)))
    }
    /// The A38 parent of a listed code.
    pub fn a38(self) -> Option<A38> {
        self.entry()
            .and_then(|e| A38::from_index(usize::from(e.a38)))
    }
    /// The A21 parent of a listed code.
    pub fn a21(self) -> Option<A21> {
        self.entry()
            .and_then(|e| A21::from_index(usize::from(e.a21)))
    }
    /// The A17 parent of a listed code (built from A38).
    pub fn a17(self) -> Option<A17> {
        self.entry()
            .and_then(|e| A17::from_index(usize::from(e.a17)))
    }
    /// The A10 parent of a listed code.
    pub fn a10(self) -> Option<A10> {
        self.entry()
            .and_then(|e| A10::from_index(usize::from(e.a10)))
    }

    /// The dense index of `self` at a coarser level of `count` codes: its parent's index
    /// (`pick` reads it from the table) when listed; an unlisted code, which has no parent,
    /// stays itself, after the level's own codes.
    #[inline]
    pub(crate) fn parent_index(
        self,
        count: usize,
        pick: impl Fn(&crate::nomenclature::rows::A129Entry) -> u8,
    ) -> usize {
        match self.entry() {
            Some(e) => usize::from(pick(e)),
            None => count + (usize::from(self.0) - tables::A129.len()),
        }
    }

    /// The unlisted code at index `u` among the unlisted codes.
    pub(crate) fn unlisted(u: usize) -> Option<Self> {
        (u < UNLISTED).then(|| A129((tables::A129.len() + u) as u16))
    }
}

impl Ord for A129 {
    /// Code order, listed and unlisted codes mixed.
    fn cmp(&self, other: &Self) -> Ordering {
        let listed = tables::A129.len();
        if usize::from(self.0) < listed && usize::from(other.0) < listed || self.0 == other.0 {
            // The listed codes are indexed in code order (the table is searched by code).
            return self.0.cmp(&other.0);
        }
        self.bytes().cmp(&other.bytes())
    }
}

impl PartialOrd for A129 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for A129 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for A129 {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        A129::from_bytes(s.as_bytes())
    }
}
serde_via_str!(A129, |code, s| s.serialize_str(&code.code()));
