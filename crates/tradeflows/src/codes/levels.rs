//! A129 and the aggregated levels of the NAF rév. 2 / CPF rév. 2.1 (A88 … A10), and the
//! product level at which a computation is made.

use std::fmt;
use std::str::FromStr;

use super::{serde_via_str, Cpf4};
use crate::error::CodeError;
use crate::nomenclature::tables;

/// Defines a code type of a closed level: a `u8` index into its (code-sorted) built-in table.
macro_rules! level_code {
    ($(#[$doc:meta])* $name:ident, $table:path, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u8);

        impl $name {
            /// Parses the code from bytes (same rules as `FromStr`).
            pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
                $table
                    .binary_search_by(|e| e.code.as_bytes().cmp(s))
                    .map(|i| $name(i as u8))
                    .map_err(|_| CodeError::new($kind, s, "not in the INSEE nomenclature"))
            }

            /// The code, e.g. as printed.
            pub fn code(self) -> &'static str {
                $table[self.0 as usize].code
            }

            /// The French label.
            pub fn label(self) -> &'static str {
                $table[self.0 as usize].label
            }

            /// A dense index in `0..Self::COUNT`, in code order.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The code at a dense index, if in range.
            pub fn from_index(i: usize) -> Option<Self> {
                (i < $table.len()).then(|| $name(i as u8))
            }

            #[allow(dead_code)]
            pub(crate) fn from_index_unchecked(i: u8) -> Self {
                debug_assert!((i as usize) < $table.len());
                $name(i)
            }

            /// Every code of the level, in code order.
            pub fn all() -> impl Iterator<Item = Self> {
                (0..$table.len()).map(|i| $name(i as u8))
            }

            /// Number of codes in the level.
            pub fn count() -> usize {
                $table.len()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, CodeError> {
                $name::from_bytes(s.as_bytes())
            }
        }
        serde_via_str!($name);
    };
}

level_code!(
    /// A product of the A129 level (`C10A` = viande et produits à base de viande), the
    /// aggregated level carried by every row of the DGDDI files. All 129 INSEE codes are
    /// valid; DGDDI uses the 75 that are goods.
    ///
    /// ```
    /// use tradeflows::A129;
    /// let a: A129 = "C10A".parse()?;
    /// assert_eq!(a.a38().code(), "CA");
    /// assert_eq!(a.a17().code(), "C1");
    /// assert_eq!(a.a10().code(), "BE");
    /// assert!("C10X".parse::<A129>().is_err());
    /// # Ok::<(), tradeflows::CodeError>(())
    /// ```
    A129, tables::A129, "A129 code"
);
level_code!(
    /// A product of the A88 level (NAF divisions, `10`).
    A88, tables::A88, "A88 code"
);
level_code!(
    /// A product of the A64 level (`CA0`).
    A64, tables::A64, "A64 code"
);
level_code!(
    /// A product of the A38 level (`CA`).
    A38, tables::A38, "A38 code"
);
level_code!(
    /// A product of the A21 level (NAF sections, `C`).
    A21, tables::A21, "A21 code"
);
level_code!(
    /// A product of the A17 level (`C1`), built from A38.
    A17, tables::A17, "A17 code"
);
level_code!(
    /// A product of the A10 level (`BE`).
    A10, tables::A10, "A10 code"
);

impl A129 {
    fn entry(self) -> &'static crate::nomenclature::rows::A129Entry {
        &tables::A129[self.0 as usize]
    }
    /// Whether DGDDI uses this code for goods (it is in `Libelle_A129.txt`).
    pub fn is_goods(self) -> bool {
        self.entry().goods
    }
    /// The A88 parent.
    pub fn a88(self) -> A88 {
        A88(self.entry().a88)
    }
    /// The A64 parent.
    pub fn a64(self) -> A64 {
        A64(self.entry().a64)
    }
    /// The A38 parent.
    pub fn a38(self) -> A38 {
        A38(self.entry().a38)
    }
    /// The A21 parent.
    pub fn a21(self) -> A21 {
        A21(self.entry().a21)
    }
    /// The A17 parent (built from A38).
    pub fn a17(self) -> A17 {
        A17(self.entry().a17)
    }
    /// The A10 parent.
    pub fn a10(self) -> A10 {
        A10(self.entry().a10)
    }
}

/// The product level of a computation, from the finest the regional file has (CPF4) up to A10.
///
/// ```
/// use tradeflows::Level;
/// let l: Level = "a38".parse()?;
/// assert_eq!(l, Level::A38);
/// assert_eq!(l.to_string(), "a38");
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    /// CPF rév. 2.1 at 4 digits (about 600 products).
    Cpf4,
    /// A129 (the default of the factsheet).
    #[default]
    A129,
    /// A88.
    A88,
    /// A64.
    A64,
    /// A38.
    A38,
    /// A21.
    A21,
    /// A17.
    A17,
    /// A10.
    A10,
}

impl Level {
    /// Every level, finest first.
    pub const ALL: [Level; 8] = [
        Level::Cpf4,
        Level::A129,
        Level::A88,
        Level::A64,
        Level::A38,
        Level::A21,
        Level::A17,
        Level::A10,
    ];

    /// The name used on the command line and in the JSON (`a129`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Cpf4 => "cpf4",
            Level::A129 => "a129",
            Level::A88 => "a88",
            Level::A64 => "a64",
            Level::A38 => "a38",
            Level::A21 => "a21",
            Level::A17 => "a17",
            Level::A10 => "a10",
        }
    }

    /// Size of the dense index space of the level's products.
    pub fn cardinality(self) -> usize {
        match self {
            Level::Cpf4 => 10_000,
            Level::A129 => A129::count(),
            Level::A88 => A88::count(),
            Level::A64 => A64::count(),
            Level::A38 => A38::count(),
            Level::A21 => A21::count(),
            Level::A17 => A17::count(),
            Level::A10 => A10::count(),
        }
    }

    /// The product of this level a row with codes `(a129, cpf4)` counts in.
    #[inline]
    pub fn product_of(self, a129: A129, cpf4: Cpf4) -> Product {
        match self {
            Level::Cpf4 => Product::Cpf4(cpf4),
            Level::A129 => Product::A129(a129),
            Level::A88 => Product::A88(a129.a88()),
            Level::A64 => Product::A64(a129.a64()),
            Level::A38 => Product::A38(a129.a38()),
            Level::A21 => Product::A21(a129.a21()),
            Level::A17 => Product::A17(a129.a17()),
            Level::A10 => Product::A10(a129.a10()),
        }
    }

    /// The dense index of the product a row counts in (see [`Level::product_of`]).
    #[inline]
    pub fn index_of(self, a129: A129, cpf4: Cpf4) -> usize {
        match self {
            Level::Cpf4 => cpf4.value() as usize,
            Level::A129 => a129.index(),
            Level::A88 => a129.a88().index(),
            Level::A64 => a129.a64().index(),
            Level::A38 => a129.a38().index(),
            Level::A21 => a129.a21().index(),
            Level::A17 => a129.a17().index(),
            Level::A10 => a129.a10().index(),
        }
    }

    /// The product at a dense index of this level.
    pub fn product_at(self, i: usize) -> Option<Product> {
        Some(match self {
            Level::Cpf4 => Product::Cpf4(Cpf4::from_value(u16::try_from(i).ok()?)?),
            Level::A129 => Product::A129(A129::from_index(i)?),
            Level::A88 => Product::A88(A88::from_index(i)?),
            Level::A64 => Product::A64(A64::from_index(i)?),
            Level::A38 => Product::A38(A38::from_index(i)?),
            Level::A21 => Product::A21(A21::from_index(i)?),
            Level::A17 => Product::A17(A17::from_index(i)?),
            Level::A10 => Product::A10(A10::from_index(i)?),
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Level {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Level::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                CodeError::new(
                    "product level",
                    s,
                    "expected one of cpf4, a129, a88, a64, a38, a21, a17, a10",
                )
            })
    }
}
serde_via_str!(Level);

/// A product at any level: what a top-N or a flow of a factsheet names.
///
/// Ordered by level, then by code (within a level, code order is the order of the strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Product {
    /// A CPF4 product.
    Cpf4(Cpf4),
    /// An A129 product.
    A129(A129),
    /// An A88 product.
    A88(A88),
    /// An A64 product.
    A64(A64),
    /// An A38 product.
    A38(A38),
    /// An A21 product.
    A21(A21),
    /// An A17 product.
    A17(A17),
    /// An A10 product.
    A10(A10),
}

impl Product {
    /// The level of the product.
    pub fn level(self) -> Level {
        match self {
            Product::Cpf4(_) => Level::Cpf4,
            Product::A129(_) => Level::A129,
            Product::A88(_) => Level::A88,
            Product::A64(_) => Level::A64,
            Product::A38(_) => Level::A38,
            Product::A21(_) => Level::A21,
            Product::A17(_) => Level::A17,
            Product::A10(_) => Level::A10,
        }
    }

    /// The built-in French label (for CPF4 codes outside the table: `None`).
    pub fn label(self) -> Option<&'static str> {
        Some(match self {
            Product::Cpf4(c) => return c.label(),
            Product::A129(c) => c.label(),
            Product::A88(c) => c.label(),
            Product::A64(c) => c.label(),
            Product::A38(c) => c.label(),
            Product::A21(c) => c.label(),
            Product::A17(c) => c.label(),
            Product::A10(c) => c.label(),
        })
    }

    /// Parses a code of the given level.
    pub fn parse(level: Level, s: &str) -> Result<Self, CodeError> {
        Ok(match level {
            Level::Cpf4 => Product::Cpf4(s.parse()?),
            Level::A129 => Product::A129(s.parse()?),
            Level::A88 => Product::A88(s.parse()?),
            Level::A64 => Product::A64(s.parse()?),
            Level::A38 => Product::A38(s.parse()?),
            Level::A21 => Product::A21(s.parse()?),
            Level::A17 => Product::A17(s.parse()?),
            Level::A10 => Product::A10(s.parse()?),
        })
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Product::Cpf4(c) => c.fmt(f),
            Product::A129(c) => c.fmt(f),
            Product::A88(c) => c.fmt(f),
            Product::A64(c) => c.fmt(f),
            Product::A38(c) => c.fmt(f),
            Product::A21(c) => c.fmt(f),
            Product::A17(c) => c.fmt(f),
            Product::A10(c) => c.fmt(f),
        }
    }
}

impl serde::Serialize for Product {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
