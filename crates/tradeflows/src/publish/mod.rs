//! The application layer: what the command line and the Python module do, written once.
//!
//! - [`Spec`]: a territory as users name it, Territoires d'industrie included; [`Format`].
//! - [`Sheet`]: a factsheet with the région's and France's it is compared with and its
//!   Territoires d'industrie ([`find_ti_list`] finds the list beside the data).
//! - [`Plan`]: the batch of a `factsheet` run — every factsheet computed once, the files
//!   named ([`Document`]) from validated codes and written atomically ([`write_atomic`]).
//! - The labelled tables (top lists, balances, totals) are [`crate::model::tables`].
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use tradeflows::publish::{Format, Plan, Request};
//! use tradeflows::Summary;
//!
//! let data = Summary::demo(tradeflows::Level::A129)?;
//! let request = Request {
//!     specs: vec!["22".parse()?, "ti:ti-9901".parse()?],
//!     formats: vec![Format::Json, Format::Html],
//!     ..Default::default()
//! };
//! let list = tradeflows::publish::find_ti_list(None, data.origin())?;
//! let plan = Plan::new(&data, &request, list.as_ref())?;
//! let out = std::env::temp_dir().join(format!("tradeflows-publish-doc-{}", std::process::id()));
//! let written = plan.write(&out, &|_| {}, &AtomicBool::new(false))?;
//! assert_eq!(written, 4);
//! assert!(out.join("html/ti-9901.html").is_file() && out.join("json/dep-22.json").is_file());
//! # std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod output;
mod sheet;
mod spec;

pub use batch::{Plan, Request};
pub use output::{write_atomic, Document};
pub use sheet::{compared_with, find_ti_list, territoires_of, Sheet};
pub use spec::{Format, Spec};
