//! The aggregated levels of the NAF rév. 2 / CPF rév. 2.1 (A88 … A10), and the product level
//! at which a computation is made.

use std::fmt;
use std::str::FromStr;

use super::{serde_via_str, Cpf4, A129};
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

    /// Size of the dense index space of the level's products: its codes, then (from A129
    /// up) the A129 codes INSEE does not list, which stay themselves at every level.
    pub fn cardinality(self) -> usize {
        let unlisted = A129::CARDINALITY - A129::count();
        match self {
            Level::Cpf4 => 10_000,
            Level::A129 => A129::CARDINALITY,
            Level::A88 => A88::count() + unlisted,
            Level::A64 => A64::count() + unlisted,
            Level::A38 => A38::count() + unlisted,
            Level::A21 => A21::count() + unlisted,
            Level::A17 => A17::count() + unlisted,
            Level::A10 => A10::count() + unlisted,
        }
    }

    /// The product of this level a row with codes `(a129, cpf4)` counts in. An A129 code
    /// INSEE does not list has no parent: it stays itself at every level from A129 up.
    pub fn product_of(self, a129: A129, cpf4: Cpf4) -> Product {
        let parent = |p: Option<Product>| p.unwrap_or(Product::A129(a129));
        match self {
            Level::Cpf4 => Product::Cpf4(cpf4),
            Level::A129 => Product::A129(a129),
            Level::A88 => parent(a129.a88().map(Product::A88)),
            Level::A64 => parent(a129.a64().map(Product::A64)),
            Level::A38 => parent(a129.a38().map(Product::A38)),
            Level::A21 => parent(a129.a21().map(Product::A21)),
            Level::A17 => parent(a129.a17().map(Product::A17)),
            Level::A10 => parent(a129.a10().map(Product::A10)),
        }
    }

    /// The dense index of the product a row counts in (see [`Level::product_of`] and
    /// [`Level::product_at`], its inverse).
    #[inline]
    pub fn index_of(self, a129: A129, cpf4: Cpf4) -> usize {
        match self {
            Level::Cpf4 => usize::from(cpf4.value()),
            Level::A129 => a129.index(),
            Level::A88 => a129.parent_index(A88::count(), |e| e.a88),
            Level::A64 => a129.parent_index(A64::count(), |e| e.a64),
            Level::A38 => a129.parent_index(A38::count(), |e| e.a38),
            Level::A21 => a129.parent_index(A21::count(), |e| e.a21),
            Level::A17 => a129.parent_index(A17::count(), |e| e.a17),
            Level::A10 => a129.parent_index(A10::count(), |e| e.a10),
        }
    }

    /// The product at a dense index of this level (`None` beyond [`Level::cardinality`]).
    pub fn product_at(self, i: usize) -> Option<Product> {
        fn level<T>(
            i: usize,
            count: usize,
            at: impl Fn(usize) -> Option<T>,
            wrap: impl Fn(T) -> Product,
        ) -> Option<Product> {
            match i.checked_sub(count) {
                None => at(i).map(wrap),
                Some(u) => A129::unlisted(u).map(Product::A129),
            }
        }
        match self {
            Level::Cpf4 => Cpf4::from_value(u16::try_from(i).ok()?).map(Product::Cpf4),
            Level::A129 => A129::from_index(i).map(Product::A129),
            Level::A88 => level(i, A88::count(), A88::from_index, Product::A88),
            Level::A64 => level(i, A64::count(), A64::from_index, Product::A64),
            Level::A38 => level(i, A38::count(), A38::from_index, Product::A38),
            Level::A21 => level(i, A21::count(), A21::from_index, Product::A21),
            Level::A17 => level(i, A17::count(), A17::from_index, Product::A17),
            Level::A10 => level(i, A10::count(), A10::from_index, Product::A10),
        }
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
/// Ordered by code (the order of the strings), then by level: within a level's list, which
/// may hold unlisted A129 codes (see [`Level::product_of`]), that is code order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The built-in French label (`None` for CPF4 and A129 codes outside the tables).
    pub fn label(self) -> Option<&'static str> {
        Some(match self {
            Product::Cpf4(c) => return c.label(),
            Product::A129(c) => return c.label(),
            Product::A88(c) => c.label(),
            Product::A64(c) => c.label(),
            Product::A38(c) => c.label(),
            Product::A21(c) => c.label(),
            Product::A17(c) => c.label(),
            Product::A10(c) => c.label(),
        })
    }

    /// Parses a code of the given level; from A129 up, an A129 code INSEE does not list is
    /// a product of every level too (see [`Level::product_of`]).
    pub fn parse(level: Level, s: &str) -> Result<Self, CodeError> {
        let own = match level {
            Level::Cpf4 => return s.parse().map(Product::Cpf4),
            Level::A129 => return s.parse().map(Product::A129),
            Level::A88 => s.parse().map(Product::A88),
            Level::A64 => s.parse().map(Product::A64),
            Level::A38 => s.parse().map(Product::A38),
            Level::A21 => s.parse().map(Product::A21),
            Level::A17 => s.parse().map(Product::A17),
            Level::A10 => s.parse().map(Product::A10),
        };
        own.or_else(|e| match s.parse::<A129>() {
            Ok(a) if !a.is_listed() => Ok(Product::A129(a)),
            _ => Err(e),
        })
    }

    /// The code's bytes, padded with zeros (code order is the order of these arrays).
    fn sort_key(self) -> [u8; 4] {
        let mut key = [0u8; 4];
        let code: std::borrow::Cow<'_, str> = match self {
            Product::Cpf4(c) => {
                let v = c.value();
                return [1000, 100, 10, 1].map(|d| b'0' + ((v / d) % 10) as u8);
            }
            Product::A129(c) => c.code(),
            Product::A88(c) => c.code().into(),
            Product::A64(c) => c.code().into(),
            Product::A38(c) => c.code().into(),
            Product::A21(c) => c.code().into(),
            Product::A17(c) => c.code().into(),
            Product::A10(c) => c.code().into(),
        };
        for (k, b) in key.iter_mut().zip(code.bytes()) {
            *k = b;
        }
        key
    }
}

impl Ord for Product {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            // The common cases without building keys.
            (Product::Cpf4(a), Product::Cpf4(b)) => a.cmp(b),
            (Product::A129(a), Product::A129(b)) => a.cmp(b),
            _ => self
                .sort_key()
                .cmp(&other.sort_key())
                .then(self.level().cmp(&other.level())),
        }
    }
}

impl PartialOrd for Product {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
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
        match self {
            // The levels of the factsheets, without formatting machinery.
            Product::Cpf4(c) => c.serialize(s),
            Product::A129(c) => c.serialize(s),
            _ => s.collect_str(self),
        }
    }
}
