//! What people look at: the four charts of the factsheet as SVG ([`charts`]) and the
//! self-contained HTML page ([`page`]). Everything is drawn from the typed
//! [`Factsheet`](crate::Factsheet); numbers and text go through [`crate::format`].

pub mod charts;
pub mod page;
