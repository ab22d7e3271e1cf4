//! Computations: totals, top-N with `autres`, balances, shares and the product × partner
//! matrix, at any product level from CPF4 up to A10.
//!
//! The generic pieces ([`Ranking`], [`balances`], [`share`], [`matrix()`]) work on any keys;
//! [`Cube`] aggregates a year of the regional file once so that every territory's figures
//! are drawn from it.

pub mod cube;
pub mod matrix;
pub mod rank;

pub use cube::{Cube, TerritoryFlows};
pub use matrix::{matrix, MatrixCell};
pub use rank::{balances, share, PartnerBalance, Ranking, Slot, OTHERS_CODE, OTHERS_LABEL};
