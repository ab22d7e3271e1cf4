//! `tradeflows._tradeflows`: the Python extension module of tradeflows.
//!
//! A thin layer: conversions, error mapping and the module declaration; every figure comes
//! from the `tradeflows` crate.

mod codes;
mod columns;
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

/// A map of the départements coloured by `values` (DGDDI département code → number;
/// `"2A"`, `"974"`… accepted; missing ones are grey), as a `Chart` that displays itself in
/// Jupyter. `unit`: `"euros"`, `"share"`, `"change"` or `"number"`; `scale`:
/// `"sequential"` (shades of `color`) or `"diverging"` (red below `center`, green above).
#[pyfunction]
#[pyo3(signature = (values, title = "", unit = "number", scale = "sequential", center = 0.0, color = "#7030a0", source = ""))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments
fn map(
    py: Python<'_>,
    values: std::collections::BTreeMap<String, f64>,
    title: &str,
    unit: &str,
    scale: &str,
    center: f64,
    color: &str,
    source: &str,
) -> PyResult<sheet::PyChart> {
    use tradeflows::charts::{MapOptions, MapScale, MapUnit};
    let bad = |what: &str, v: &str, expected: &str| {
        errors::request_error(py, format!("{what} {v:?}: expected {expected}"))
    };
    let unit = match unit {
        "euros" => MapUnit::Euros,
        "share" => MapUnit::Share,
        "change" => MapUnit::Change,
        "number" => MapUnit::Number,
        other => return Err(bad("unit", other, "euros, share, change or number")),
    };
    let scale = match scale {
        "sequential" => {
            let hex = color.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad("color", color, "#rrggbb"));
            }
            MapScale::Sequential {
                color: color.to_owned(),
            }
        }
        "diverging" => MapScale::Diverging { center },
        other => return Err(bad("scale", other, "sequential or diverging")),
    };
    let mut seen: std::collections::BTreeMap<tradeflows::Departement, &str> =
        std::collections::BTreeMap::new();
    let mut list = Vec::with_capacity(values.len());
    for (code, &v) in &values {
        let d: tradeflows::Departement = code.parse().map_err(|e| errors::code_error(py, e))?;
        if let Some(other) = seen.insert(d, code) {
            return Err(errors::request_error(
                py,
                format!(
                    "{other:?} and {code:?} are both DGDDI département {d} ({}): give one value",
                    d.name()
                ),
            ));
        }
        list.push((d, v));
    }
    let values = list;
    let options = MapOptions {
        title: title.to_owned(),
        unit,
        scale,
        source: source.to_owned(),
    };
    Ok(sheet::PyChart::of(
        "map",
        tradeflows::charts::map(&values, &options),
    ))
}

#[pymodule]
fn _tradeflows(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::bind(m.py())?;
    m.add_function(wrap_pyfunction!(load_dgddi, m)?)?;
    m.add_function(wrap_pyfunction!(demo, m)?)?;
    m.add_function(wrap_pyfunction!(map, m)?)?;
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
