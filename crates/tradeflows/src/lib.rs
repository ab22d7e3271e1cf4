//! # tradeflows
//!
//! French customs (DGDDI) open data on foreign trade, turned into the figures of ANCT's
//! factsheet *« Les indicateurs clés : commerce extérieur »* for every département, région
//! and France — exact to the euro, typed, fast.
//!
//! ## The data
//! DGDDI publishes, under Licence Ouverte 2.0, on `data.gouv.fr` and its own site
//! (*Le chiffre du commerce extérieur*, « Bases complètes »):
//! - the **regional file** (`Region_YYYY_Export.txt`, `Region_YYYY_Import.txt` for a full
//!   year, `REGIONAL_CPF4PAYSE.txt` / `…I.txt` for the last five quarters): one row per
//!   quarter × département × CPF4 product × country, values in euros;
//! - the **national file** (`National_YYYY_*.txt`, `NATIONAL_NC8PAYS{E,I}.txt`): monthly,
//!   by NC8 product;
//! - label files (`Libelle_A129.txt`, `Libelle_CPF4_rev2.1.txt`, `Libelle_PAYS.txt`).
//!
//! Point [`Dataset::load`] at the folder of the download, zipped or not.
//!
//! ## From files to a factsheet
//! ```
//! use tradeflows::{Dataset, FactsheetOptions, Flow, Level, Territory};
//!
//! // A folder of DGDDI files as downloaded; here the demonstration data written as such.
//! let dir = std::env::temp_dir().join(format!("tradeflows-doc-{}", std::process::id()));
//! tradeflows::demo::write(&dir, &Default::default())?;
//! let data = Dataset::load(&dir)?;
//! assert_eq!(data.report().rows_rejected(), 0);
//! let cotes_darmor: Territory = "22".parse()?;
//! let fs = data.factsheet(&cotes_darmor, &FactsheetOptions::default())?;
//! assert!(fs.to_json()?.contains(r#""schema": "tradeflows.factsheet/1""#));
//! assert_eq!(fs.territory.region().map(|r| r.name()), Some("Bretagne"));
//!
//! // The same figures, piece by piece, at another product level.
//! let cube = data.cube(None, Level::A17)?;
//! let exports = cube.flows(&cotes_darmor, Flow::Export);
//! let top = exports.top_products(5);
//! assert_eq!(top.total(), exports.total());
//! assert_eq!(exports.total(), fs.exports.total_eur);
//!
//! // The charts and the page of the factsheet.
//! assert!(tradeflows::charts::balance(&fs).starts_with("<svg"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The layers
//! Data flow one way, down this list; no module imports one above it.
//! - [`codes`]: typed codes; [`nomenclature`]: the built-in tables and the label files;
//! - [`read`]: files → typed rows → a store; [`data`]: the loaded [`Dataset`] (rows kept)
//!   or [`Summary`] (aggregated as read: the command line's way, small memory);
//! - [`compute`]: the cube, rankings, matrix — pure, no I/O;
//! - [`model`]: the typed [`Factsheet`], [`Territory`], Territoires d'industrie ([`ti`]) and
//!   the labelled tables;
//! - [`render`]: the four [`charts`] as SVG and the self-contained HTML [`page`];
//!   [`format`](mod@format): the one number formatter and escaper;
//! - [`publish`]: the application layer — specs, the batch, file names, atomic writes —
//!   that the command line and the Python module call;
//! - beside them: [`check`] (the files reconciled against themselves) and [`demo`] (the
//!   synthetic demonstration data).
//!
//! ## Codes are types
//! [`Cpf4`], [`Cpf6`], [`Nc8`], [`A129`] and the levels [`A88`] … [`A10`], [`Country`],
//! [`Departement`], [`Region`], [`Flow`]: each parses from its string form
//! ([`FromStr`](std::str::FromStr)), prints it back ([`Display`](std::fmt::Display)),
//! serialises through it, and is valid by construction. See [`codes`].
//!
//! ## Errors
//! One [`Error`] enum. Errors from files name the file (a zip member as
//! `archive.zip!member.txt`), the line, the field and the value; the load is strict by
//! default, and [`read::OnError::Skip`] loads every good row and lists the bad ones in the
//! [`read::LoadReport`]. Money is `i64` euros throughout; shares are computed last.
//!
//! ## Cargo features
//! None: the crate has no optional part and no Python in its tree (the bindings are the
//! separate `tradeflows-py` crate).
//!
//! ## Sources and licences
//! The built-in nomenclature tables are built from INSEE's NAF rév. 2 tables and DGDDI's
//! label files (Licence Ouverte 2.0) and etalab's *découpage administratif* (MIT); the
//! country zones from the UN M49 regions (UNSD) and the EU and euro-area accession dates
//! (see `data/zones.PROVENANCE.md`).

pub mod check;
pub mod codes;
pub mod compute;
mod cores;
pub mod data;
pub mod demo;
pub mod error;
pub mod format;
pub mod model;
pub mod nomenclature;
pub mod publish;
pub mod read;
pub mod render;

pub use codes::{
    Country, Cpf4, Cpf6, Departement, Flow, Level, Nc8, Place, Product, Quarters, Region, Zone,
    A10, A129, A17, A21, A38, A64, A88,
};
pub use cores::pin_threads;
pub use data::{Dataset, Loaded, Origin, Summary};
pub use error::{CodeError, Error, Position, Result};
pub use model::{factsheet, ti, Factsheet, FactsheetOptions, Territory, TiId};
pub use render::{charts, page};
