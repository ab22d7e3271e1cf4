//! Computations: totals, top-N with `autres`, balances, shares, the product × partner
//! matrix, the history and the change over a year, at any product level from CPF4 up to A10.
//! Pure: no I/O, no knowledge of the readers beyond the rows they give.
//!
//! The generic pieces ([`Ranking`], [`balances`], [`share`], [`matrix()`],
//! [`change::largest_changes`]) work on any keys; a [`CubeBuilder`] gathers the rows as they
//! are read, and the [`Cube`] of a year draws every territory's figures from them.

pub mod builder;
pub mod change;
pub mod cube;
pub mod exposure;
pub mod matrix;
pub(crate) mod place;
pub mod rank;
pub mod series;
mod sums;

pub use builder::{CubeBuilder, Keep};
pub use change::{Change, Contribution, FlowChange, Margins};
pub use cube::{Cube, TerritoryFlows};
pub use exposure::{Dependency, Exposure, FlowExposure, Specialisation};
pub use matrix::{matrix, MatrixCell};
pub use rank::{balances, share, PartnerBalance, Ranking, Slot, OTHERS_CODE, OTHERS_LABEL};
pub use series::{QuarterFigures, Series, YearFigures, YearTotals};
