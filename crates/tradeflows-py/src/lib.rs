//! `tradeflows._tradeflows`: the Python extension module of tradeflows.
//!
//! A thin layer: conversions, error mapping and the module declaration; every figure comes
//! from the `tradeflows` crate.

mod codes;
mod data;
mod errors;
mod sheet;
mod table;

use std::path::PathBuf;

use pyo3::prelude::*;

/// Loads the DGDDI files under `path` (a folder as downloaded, zipped or not; a zip; a
/// file). `on_error="fail"` (default) stops at the first malformed row with a `ParseError`
/// naming file, line, field and value; `"skip"` loads every good row and lists the bad ones
/// in `Data.rejected()`.
#[pyfunction]
#[pyo3(signature = (path, on_error = "fail"))]
fn load_dgddi(py: Python<'_>, path: PathBuf, on_error: &str) -> PyResult<data::PyData> {
    data::load(py, path, on_error)
}

/// The built-in demonstration data: synthetic, deterministic, in the DGDDI layout; not
/// official figures (every output says so).
#[pyfunction]
fn demo(py: Python<'_>) -> PyResult<data::PyData> {
    data::demo(py)
}

#[pymodule]
fn _tradeflows(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::bind(m.py())?;
    m.add_function(wrap_pyfunction!(load_dgddi, m)?)?;
    m.add_function(wrap_pyfunction!(demo, m)?)?;
    m.add_class::<data::PyData>()?;
    m.add_class::<sheet::PyFactsheet>()?;
    m.add_class::<sheet::PyChart>()?;
    m.add_class::<sheet::PyFlow>()?;
    m.add_class::<sheet::PyRanked>()?;
    m.add_class::<sheet::PyFlowCell>()?;
    m.add_class::<sheet::PyPartner>()?;
    m.add_class::<sheet::PyTerritory>()?;
    m.add_class::<table::PyArrowTable>()?;
    codes::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
