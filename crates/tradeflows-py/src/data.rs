//! A loaded dataset for Python: factsheets, the rows and the library's labelled tables as
//! Arrow tables. Conversions only: every figure comes from the `tradeflows` crate.

use std::path::PathBuf;

use pyo3::prelude::*;
use tradeflows::model::tables::{self, By};
use tradeflows::model::ExposureFigures;
use tradeflows::publish::{find_ti_list, Sheet};
use tradeflows::read::{LoadOptions, OnError};
use tradeflows::ti::TerritoiresIndustrie;
use tradeflows::{Country, Dataset, FactsheetOptions, Flow, Level, Origin, Territory, TiId};

use crate::columns;
use crate::errors::{code_error, request_error, to_py};
use crate::sheet::PyFactsheet;
use crate::table::{Column, PyArrowTable};

/// DGDDI data loaded in memory (or the demonstration data).
#[pyclass(module = "tradeflows", name = "Data", frozen)]
pub(crate) struct PyData {
    data: Dataset,
    tis: Option<TerritoiresIndustrie>,
}

/// Parses a text argument into a code type, mapping the error.
fn parse<T: std::str::FromStr<Err = tradeflows::CodeError>>(
    py: Python<'_>,
    s: &str,
) -> PyResult<T> {
    s.parse().map_err(|e| code_error(py, e))
}

/// The countries to watch: those given (each must be in the géonomenclature), else the
/// default ones.
fn watched(py: Python<'_>, watch: Option<Vec<String>>) -> PyResult<Vec<Country>> {
    match watch {
        None => Ok(tradeflows::factsheet::default_watch()),
        Some(list) => list
            .iter()
            .map(|c| Country::parse_listed(c).map_err(|e| code_error(py, e)))
            .collect(),
    }
}

/// An argument naming one of a few choices (flow, ranking, error mode): a mistake is a
/// request the library cannot answer, not a malformed code.
fn choice<T>(py: Python<'_>, parsed: Result<T, tradeflows::CodeError>) -> PyResult<T> {
    parsed.map_err(|e| request_error(py, e.to_string()))
}

fn flow(py: Python<'_>, s: &str) -> PyResult<Flow> {
    choice(py, Flow::from_name(s))
}

impl PyData {
    fn options(
        py: Python<'_>,
        level: &str,
        top: usize,
        highlight: usize,
        watch: Option<Vec<String>>,
    ) -> PyResult<FactsheetOptions> {
        Ok(FactsheetOptions {
            level: parse(py, level)?,
            top,
            highlight,
            watch: watched(py, watch)?,
        })
    }

    /// The labelled exposure of a territory (the factsheet's `exposure`).
    fn exposure_of(
        &self,
        py: Python<'_>,
        spec: &str,
        level: &str,
        year: Option<u16>,
        watch: Option<Vec<String>>,
    ) -> PyResult<ExposureFigures> {
        let t: Territory = parse(py, spec)?;
        let watch = watched(py, watch)?;
        let cube = self.cube(py, year, parse(py, level)?)?;
        let e = cube.exposure(&t, &watch);
        Ok(ExposureFigures::labelled(
            &e,
            self.data.labels(),
            cube.year(),
        ))
    }

    fn cube(
        &self,
        py: Python<'_>,
        year: Option<u16>,
        level: Level,
    ) -> PyResult<std::sync::Arc<tradeflows::compute::Cube>> {
        py.detach(|| self.data.cube(year, level))
            .map_err(|e| to_py(py, e))
    }
}

#[pymethods]
impl PyData {
    /// The factsheet of a territory: `"22"` or `"dep:22"` (INSEE aliases `"2A"`, `"974"`
    /// accepted), `"reg:53"`, `"fr"`.
    #[pyo3(signature = (spec, level = "a129", top = 10, highlight = 5, year = None, watch = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn factsheet(
        &self,
        py: Python<'_>,
        spec: &str,
        level: &str,
        top: usize,
        highlight: usize,
        year: Option<u16>,
        watch: Option<Vec<String>>,
    ) -> PyResult<PyFactsheet> {
        let territory: Territory = parse(py, spec)?;
        let options = Self::options(py, level, top, highlight, watch)?;
        let sheet = py
            .detach(|| Sheet::compute(&self.data, territory, &options, year, self.tis.as_ref()))
            .map_err(|e| to_py(py, e))?;
        Ok(PyFactsheet::new(sheet))
    }

    /// The Territoires d'industrie of the list found with the data (the demonstration list
    /// for `tf.demo()`; a `liste-ti-com*.csv` of the loaded folder), as `(id, name)`.
    #[getter]
    fn territoires_industrie(&self) -> Vec<(String, String)> {
        self.tis
            .iter()
            .flat_map(|list| list.all())
            .map(|t| (t.id.to_string(), t.name.clone()))
            .collect()
    }

    /// The factsheets of a Territoire d'industrie's départements, most communes first
    /// (customs figures stop at the département).
    #[pyo3(signature = (id, level = "a129", top = 10, highlight = 5, year = None, watch = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn territoire_industrie(
        &self,
        py: Python<'_>,
        id: &str,
        level: &str,
        top: usize,
        highlight: usize,
        year: Option<u16>,
        watch: Option<Vec<String>>,
    ) -> PyResult<Vec<PyFactsheet>> {
        let id: TiId = parse(py, id.strip_prefix("ti:").unwrap_or(id))?;
        let options = Self::options(py, level, top, highlight, watch)?;
        let sheets = py
            .detach(|| Sheet::of_ti(&self.data, &id, &options, year, self.tis.as_ref()))
            .map_err(|e| to_py(py, e))?;
        Ok(sheets.into_iter().map(PyFactsheet::new).collect())
    }

    /// The regional rows as an Arrow table: flow, year, quarter, departement (the code as
    /// found, DGDDI's list or not), region (INSEE code; null for a code that names no
    /// région), a129, cpf4, country, value_eur, mass_kg. Codes are dictionary-encoded
    /// (categorical in pandas and polars); built without the GIL.
    fn flows(&self, py: Python<'_>) -> PyResult<PyArrowTable> {
        let columns = py.detach(|| columns::regional(self.data.regional().columns()));
        PyArrowTable::from_arrays(py, columns)
    }

    /// The national rows as an Arrow table: flow, year, month, cpf6, a129 (null in the
    /// 2012–2015 layout), nc8, country, value_eur, mass_kg, usup. Codes are
    /// dictionary-encoded; built without the GIL.
    fn national_flows(&self, py: Python<'_>) -> PyResult<PyArrowTable> {
        let columns = py.detach(|| columns::national(self.data.national().rows()));
        PyArrowTable::from_arrays(py, columns)
    }

    /// Total of every territory (101 départements, 18 régions, France) and flow, with the
    /// shares of région and nation.
    #[pyo3(signature = (year = None))]
    fn totals(&self, py: Python<'_>, year: Option<u16>) -> PyResult<PyArrowTable> {
        let cube = self.cube(py, year, Level::A10)?;
        let rows = tables::totals(&cube);
        let text = |f: &dyn Fn(&tables::TerritoryTotal) -> String| {
            Column::Str(rows.iter().map(f).collect())
        };
        PyArrowTable::new(
            py,
            vec![
                ("key", text(&|r| r.territory.key())),
                ("kind", text(&|r| r.territory.kind().to_owned())),
                ("code", text(&|r| r.territory.code().to_owned())),
                ("name", text(&|r| r.territory.name().to_owned())),
                ("flow", text(&|r| r.flow.name().to_owned())),
                (
                    "total_eur",
                    Column::Int(rows.iter().map(|r| r.total_eur).collect()),
                ),
                (
                    "share_of_region",
                    Column::OptFloat(rows.iter().map(|r| r.share_of_region).collect()),
                ),
                (
                    "share_of_nation",
                    Column::OptFloat(rows.iter().map(|r| r.share_of_nation).collect()),
                ),
            ],
        )
    }

    /// The `n` main partners (`by="partners"`) or products (`by="products"`) of a
    /// territory's flow, then `autres`: code, label, value_eur (sums to the total).
    #[pyo3(signature = (spec, flow = "exports", by = "partners", n = 10, level = "a129", year = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn top(
        &self,
        py: Python<'_>,
        spec: &str,
        flow: &str,
        by: &str,
        n: usize,
        level: &str,
        year: Option<u16>,
    ) -> PyResult<PyArrowTable> {
        let (t, f, by): (Territory, Flow, By) = (
            parse(py, spec)?,
            self::flow(py, flow)?,
            choice(py, by.parse())?,
        );
        let cube = self.cube(py, year, parse(py, level)?)?;
        let rows = tables::top(&cube, &t, f, by, n, self.data.labels());
        PyArrowTable::new(
            py,
            vec![
                (
                    "code",
                    Column::Str(rows.iter().map(|r| r.code.clone()).collect()),
                ),
                (
                    "label",
                    Column::Str(rows.iter().map(|r| r.label.clone()).collect()),
                ),
                (
                    "value_eur",
                    Column::Int(rows.iter().map(|r| r.value_eur).collect()),
                ),
            ],
        )
    }

    /// Imports, exports and balance (exports − imports) with every partner of a territory,
    /// by imports + exports descending.
    #[pyo3(signature = (spec, year = None))]
    fn balance(&self, py: Python<'_>, spec: &str, year: Option<u16>) -> PyResult<PyArrowTable> {
        let t: Territory = parse(py, spec)?;
        let cube = self.cube(py, year, Level::A10)?;
        let b = tables::partner_balances(&cube, &t, self.data.labels());
        PyArrowTable::new(
            py,
            vec![
                (
                    "code",
                    Column::Str(b.iter().map(|p| p.code.to_string()).collect()),
                ),
                (
                    "label",
                    Column::Str(b.iter().map(|p| p.label.clone()).collect()),
                ),
                (
                    "imports_eur",
                    Column::Int(b.iter().map(|p| p.imports_eur).collect()),
                ),
                (
                    "exports_eur",
                    Column::Int(b.iter().map(|p| p.exports_eur).collect()),
                ),
                (
                    "balance_eur",
                    Column::Int(b.iter().map(|p| p.balance_eur()).collect()),
                ),
            ],
        )
    }

    /// The product × partner matrix of a territory's flow: the `n` main products and
    /// partners plus `autres`, the `highlight` largest named cells marked.
    #[pyo3(signature = (spec, flow = "exports", n = 10, highlight = 5, level = "a129", year = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn matrix(
        &self,
        py: Python<'_>,
        spec: &str,
        flow: &str,
        n: usize,
        highlight: usize,
        level: &str,
        year: Option<u16>,
    ) -> PyResult<PyArrowTable> {
        let (t, f): (Territory, Flow) = (parse(py, spec)?, self::flow(py, flow)?);
        let cube = self.cube(py, year, parse(py, level)?)?;
        let m = cube.flows(&t, f).matrix(n, highlight);
        PyArrowTable::new(
            py,
            vec![
                (
                    "product",
                    Column::Str(m.iter().map(|c| c.product.to_string()).collect()),
                ),
                (
                    "partner",
                    Column::Str(m.iter().map(|c| c.partner.to_string()).collect()),
                ),
                (
                    "value_eur",
                    Column::Int(m.iter().map(|c| c.value).collect()),
                ),
                (
                    "highlight",
                    Column::Bool(m.iter().map(|c| c.highlight).collect()),
                ),
            ],
        )
    }

    /// A territory's exports, imports and balance, one row per year of the data: year,
    /// quarters (`T1, T2, T3, T4`), full_year, exports_eur, imports_eur, balance_eur.
    #[pyo3(signature = (spec, year = None))]
    fn history(&self, py: Python<'_>, spec: &str, year: Option<u16>) -> PyResult<PyArrowTable> {
        let t: Territory = parse(py, spec)?;
        let h = self.cube(py, year, Level::A10)?.history(&t);
        PyArrowTable::new(
            py,
            vec![
                (
                    "year",
                    Column::Int32(h.iter().map(|y| i32::from(y.year)).collect()),
                ),
                (
                    "quarters",
                    Column::Str(h.iter().map(|y| y.quarters.to_string()).collect()),
                ),
                (
                    "full_year",
                    Column::Bool(h.iter().map(|y| y.quarters.is_full()).collect()),
                ),
                (
                    "exports_eur",
                    Column::Int(h.iter().map(|y| y.exports_eur).collect()),
                ),
                (
                    "imports_eur",
                    Column::Int(h.iter().map(|y| y.imports_eur).collect()),
                ),
                (
                    "balance_eur",
                    Column::Int(h.iter().map(|y| y.balance_eur()).collect()),
                ),
            ],
        )
    }

    /// A territory's exports and imports, one row per (year, quarter) of the data.
    #[pyo3(signature = (spec, year = None))]
    fn quarterly(&self, py: Python<'_>, spec: &str, year: Option<u16>) -> PyResult<PyArrowTable> {
        let t: Territory = parse(py, spec)?;
        let q = self.cube(py, year, Level::A10)?.quarterly(&t);
        PyArrowTable::new(
            py,
            vec![
                (
                    "year",
                    Column::Int32(q.iter().map(|x| i32::from(x.year)).collect()),
                ),
                (
                    "quarter",
                    Column::Int32(q.iter().map(|x| i32::from(x.quarter)).collect()),
                ),
                (
                    "exports_eur",
                    Column::Int(q.iter().map(|x| x.exports_eur).collect()),
                ),
                (
                    "imports_eur",
                    Column::Int(q.iter().map(|x| x.imports_eur).collect()),
                ),
            ],
        )
    }

    /// A territory's exposure by zone and for the countries watched: flow, kind (`zone` or
    /// `watch`), code, label, value_eur, share (null when the flow is 0).
    #[pyo3(signature = (spec, year = None, watch = None))]
    fn exposure(
        &self,
        py: Python<'_>,
        spec: &str,
        year: Option<u16>,
        watch: Option<Vec<String>>,
    ) -> PyResult<PyArrowTable> {
        let e = self.exposure_of(py, spec, "a10", year, watch)?;
        /// (flow, kind, code, label, value, share)
        type Row = (Flow, &'static str, String, String, i64, Option<f64>);
        let mut rows: Vec<Row> = Vec::new();
        for flow in [Flow::Export, Flow::Import] {
            let f = e.flow(flow);
            for z in &f.zones {
                rows.push((
                    flow,
                    "zone",
                    z.code.to_string(),
                    z.label.clone(),
                    z.value_eur,
                    z.share,
                ));
            }
            for w in &f.watch {
                rows.push((
                    flow,
                    "watch",
                    w.code.to_string(),
                    w.label.clone(),
                    w.value_eur,
                    w.share,
                ));
            }
        }
        PyArrowTable::new(
            py,
            vec![
                (
                    "flow",
                    Column::Str(rows.iter().map(|r| r.0.name().to_owned()).collect()),
                ),
                (
                    "kind",
                    Column::Str(rows.iter().map(|r| r.1.to_owned()).collect()),
                ),
                (
                    "code",
                    Column::Str(rows.iter().map(|r| r.2.clone()).collect()),
                ),
                (
                    "label",
                    Column::Str(rows.iter().map(|r| r.3.clone()).collect()),
                ),
                ("value_eur", Column::Int(rows.iter().map(|r| r.4).collect())),
                (
                    "share",
                    Column::OptFloat(rows.iter().map(|r| r.5).collect()),
                ),
            ],
        )
    }

    /// The imported CPF4 products of a territory that depend on few suppliers outside the
    /// EU (the European Commission's 2021 criteria): product, label, value_eur,
    /// extra_eu_share, hhi_extra_eu, top_supplier, top_supplier_share.
    #[pyo3(signature = (spec, year = None))]
    fn dependencies(
        &self,
        py: Python<'_>,
        spec: &str,
        year: Option<u16>,
    ) -> PyResult<PyArrowTable> {
        let e = self.exposure_of(py, spec, "a10", year, None)?;
        let d = e.imports.dependencies.unwrap_or_default();
        PyArrowTable::new(
            py,
            vec![
                (
                    "product",
                    Column::Str(d.iter().map(|x| x.product.to_string()).collect()),
                ),
                (
                    "label",
                    Column::Str(d.iter().map(|x| x.label.clone()).collect()),
                ),
                (
                    "value_eur",
                    Column::Int(d.iter().map(|x| x.value_eur).collect()),
                ),
                (
                    "extra_eu_share",
                    Column::OptFloat(d.iter().map(|x| Some(x.extra_eu_share)).collect()),
                ),
                (
                    "hhi_extra_eu",
                    Column::OptFloat(d.iter().map(|x| Some(x.hhi_extra_eu)).collect()),
                ),
                (
                    "top_supplier",
                    Column::Str(d.iter().map(|x| x.top_supplier.code.to_string()).collect()),
                ),
                (
                    "top_supplier_share",
                    Column::OptFloat(d.iter().map(|x| Some(x.top_supplier.share)).collect()),
                ),
            ],
        )
    }

    /// The years of the regional rows.
    #[getter]
    fn years(&self) -> Vec<u16> {
        self.data.years()
    }

    /// Whether this is the synthetic demonstration data.
    #[getter]
    fn demo(&self) -> bool {
        self.data.is_demo()
    }

    /// The account of the load: rows read, loaded, rejected and set aside, the files, and
    /// the notes (rows set aside, copies skipped, codes their list does not name).
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let r = self.data.report();
        let d = pyo3::types::PyDict::new(py);
        d.set_item("rows_read", r.rows_read())?;
        d.set_item("rows_loaded", r.rows_loaded())?;
        d.set_item("rows_rejected", r.rows_rejected())?;
        d.set_item("rows_superseded", r.rows_superseded())?;
        d.set_item(
            "files",
            r.files
                .iter()
                .map(|f| f.path.display().to_string())
                .collect::<Vec<_>>(),
        )?;
        d.set_item("notes", r.notes())?;
        Ok(d)
    }

    /// The rows refused in skip mode: file, line, reason, raw.
    fn rejected(&self, py: Python<'_>) -> PyResult<PyArrowTable> {
        let r = &self.data.report().rejected;
        PyArrowTable::new(
            py,
            vec![
                (
                    "file",
                    Column::Str(r.iter().map(|x| x.path.display().to_string()).collect()),
                ),
                (
                    "line",
                    Column::Int(
                        r.iter()
                            .map(|x| i64::try_from(x.line).unwrap_or(i64::MAX))
                            .collect(),
                    ),
                ),
                (
                    "reason",
                    Column::Str(r.iter().map(|x| x.reason.clone()).collect()),
                ),
                (
                    "raw",
                    Column::Str(r.iter().map(|x| x.raw.clone()).collect()),
                ),
            ],
        )
    }

    fn __repr__(&self) -> String {
        let origin = match self.data.origin() {
            Origin::Demo => "demonstration data (synthetic)".to_owned(),
            Origin::Files(p) => p.display().to_string(),
            Origin::DemoFiles(p) => format!("{} (demonstration data, synthetic)", p.display()),
        };
        format!(
            "<tradeflows.Data {origin}: {} regional rows, years {:?}>",
            self.data.regional().len(),
            self.data.years()
        )
    }
}

/// Loads the DGDDI files of a folder (or a zip or a file), and the list of Territoires
/// d'industrie beside them if there is one.
pub(crate) fn load(py: Python<'_>, path: PathBuf, on_error: &str) -> PyResult<PyData> {
    let options = LoadOptions {
        on_error: on_error.parse::<OnError>().map_err(|_| {
            request_error(
                py,
                format!("on_error={on_error:?}: expected \"fail\" or \"skip\""),
            )
        })?,
    };
    let (data, tis) = py
        .detach(|| {
            let data = Dataset::load_with(&path, &options)?;
            let tis = find_ti_list(None, data.origin())?;
            Ok((data, tis))
        })
        .map_err(|e| to_py(py, e))?;
    Ok(PyData { data, tis })
}

/// The demonstration data, with the demonstration list of Territoires d'industrie.
pub(crate) fn demo(py: Python<'_>) -> PyResult<PyData> {
    let (data, tis) = py
        .detach(|| {
            let data = Dataset::demo()?;
            let tis = find_ti_list(None, data.origin())?;
            Ok((data, tis))
        })
        .map_err(|e| to_py(py, e))?;
    Ok(PyData { data, tis })
}
