//! A loaded dataset for Python: factsheets, the rows as Arrow tables, and the library's
//! computations (totals, top-N, balances, matrix) as Arrow tables.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use tradeflows::compute::{balances, Cube, Slot};
use tradeflows::read::{LoadOptions, OnError};
use tradeflows::ti::TerritoiresIndustrie;
use tradeflows::{Dataset, FactsheetOptions, Flow, Level, Origin, Product, Territory};

use crate::errors::{code_error, request_error, to_py};
use crate::sheet::PyFactsheet;
use crate::table::{Column, PyArrowTable};

/// DGDDI data loaded in memory (or the demonstration data).
#[pyclass(module = "tradeflows", name = "Data", frozen)]
pub(crate) struct PyData {
    data: Dataset,
    tis: Option<TerritoiresIndustrie>,
    cubes: Mutex<Vec<CachedCube>>,
}

/// A cube built for (year asked, level).
type CachedCube = ((Option<u16>, Level), Arc<Cube>);

impl PyData {
    pub(crate) fn new(data: Dataset, tis: Option<TerritoiresIndustrie>) -> Self {
        PyData {
            data,
            tis,
            cubes: Mutex::new(Vec::new()),
        }
    }

    /// The aggregated year at a level (built once, then cached).
    fn cube(&self, py: Python<'_>, year: Option<u16>, level: Level) -> PyResult<Arc<Cube>> {
        if let Ok(cache) = self.cubes.lock() {
            if let Some((_, c)) = cache.iter().find(|(k, _)| *k == (year, level)) {
                return Ok(c.clone());
            }
        }
        let cube = Arc::new(
            py.detach(|| self.data.cube(year, level))
                .map_err(|e| to_py(py, e))?,
        );
        if let Ok(mut cache) = self.cubes.lock() {
            cache.push(((year, level), cube.clone()));
        }
        Ok(cube)
    }
}

fn parse_level(py: Python<'_>, level: &str) -> PyResult<Level> {
    level.parse().map_err(|e| code_error(py, e))
}

fn parse_territory(py: Python<'_>, spec: &str) -> PyResult<Territory> {
    spec.parse().map_err(|e| code_error(py, e))
}

fn parse_flow(py: Python<'_>, flow: &str) -> PyResult<Flow> {
    match flow.to_ascii_lowercase().as_str() {
        "exports" | "export" | "e" => Ok(Flow::Export),
        "imports" | "import" | "i" => Ok(Flow::Import),
        _ => Err(request_error(
            py,
            format!("flow {flow:?}: expected \"exports\" or \"imports\""),
        )),
    }
}

fn flow_name(flow: Flow) -> &'static str {
    match flow {
        Flow::Export => "exports",
        Flow::Import => "imports",
    }
}

#[pymethods]
impl PyData {
    /// The factsheet of a territory: `"22"` or `"dep:22"` (INSEE aliases `"2A"`, `"974"`
    /// accepted), `"reg:53"`, `"fr"`.
    #[pyo3(signature = (spec, level = "a129", top = 10, highlight = 5, year = None))]
    fn factsheet(
        &self,
        py: Python<'_>,
        spec: &str,
        level: &str,
        top: usize,
        highlight: usize,
        year: Option<u16>,
    ) -> PyResult<PyFactsheet> {
        let territory = parse_territory(py, spec)?;
        let level = parse_level(py, level)?;
        let cube = self.cube(py, year, level)?;
        let options = FactsheetOptions {
            level,
            top,
            highlight,
        };
        let sheet = |t: &Territory| self.data.factsheet_from(&cube, t, &options);
        let fs = sheet(&territory);
        let region = territory.region().map(|r| sheet(&Territory::Region(r)));
        let france = (territory != Territory::France).then(|| sheet(&Territory::France));
        let tis = match (territory, &self.tis) {
            (Territory::Departement(d), Some(list)) => {
                Some(list.of_departement(d).into_iter().cloned().collect())
            }
            _ => None,
        };
        Ok(PyFactsheet::new(fs, region, france, tis))
    }

    /// The Territoires d'industrie of the list found with the data (the demonstration list
    /// for `tf.demo()`; a `liste-ti-com*.csv` of the loaded folder), as `(id, name)`.
    #[getter]
    fn territoires_industrie(&self) -> Vec<(String, String)> {
        self.tis
            .iter()
            .flat_map(|list| list.all())
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect()
    }

    /// The factsheets of a Territoire d'industrie's départements, most communes first
    /// (customs figures stop at the département).
    #[pyo3(signature = (id, level = "a129", top = 10, highlight = 5, year = None))]
    fn territoire_industrie(
        &self,
        py: Python<'_>,
        id: &str,
        level: &str,
        top: usize,
        highlight: usize,
        year: Option<u16>,
    ) -> PyResult<Vec<PyFactsheet>> {
        let id = id.strip_prefix("ti:").unwrap_or(id);
        let ti = self
            .tis
            .as_ref()
            .and_then(|list| list.get(id))
            .ok_or_else(|| {
                request_error(
                    py,
                    format!("{id}: not in the list of Territoires d'industrie"),
                )
            })?;
        ti.departements()
            .into_iter()
            .map(|d| self.factsheet(py, d.code(), level, top, highlight, year))
            .collect()
    }

    /// The regional rows as an Arrow table: flow, year, quarter, departement (DGDDI code),
    /// region (INSEE code), a129, cpf4, country, value_eur, mass_kg. Codes are strings,
    /// values integers.
    fn flows(&self, py: Python<'_>) -> PyResult<PyArrowTable> {
        let t = self.data.regional();
        let n = t.len();
        let (mut flow, mut year, mut quarter) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut dep, mut reg, mut a129, mut cpf4, mut country) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut value, mut mass) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for r in t.rows() {
            flow.push(r.flow.to_string());
            year.push(i32::from(r.year));
            quarter.push(i32::from(r.quarter));
            dep.push(r.departement.code().to_owned());
            reg.push(r.departement.region().code().to_owned());
            a129.push(r.a129.code().to_owned());
            cpf4.push(r.cpf4.to_string());
            country.push(r.country.to_string());
            value.push(r.value);
            mass.push(r.mass);
        }
        PyArrowTable::new(
            py,
            vec![
                ("flow", Column::Str(flow)),
                ("year", Column::Int32(year)),
                ("quarter", Column::Int32(quarter)),
                ("departement", Column::Str(dep)),
                ("region", Column::Str(reg)),
                ("a129", Column::Str(a129)),
                ("cpf4", Column::Str(cpf4)),
                ("country", Column::Str(country)),
                ("value_eur", Column::Int(value)),
                ("mass_kg", Column::Int(mass)),
            ],
        )
    }

    /// The national rows as an Arrow table: flow, year, month, cpf6, a129 (null in the
    /// 2012–2015 layout), nc8, country, value_eur, mass_kg, usup.
    fn national_flows(&self, py: Python<'_>) -> PyResult<PyArrowTable> {
        let rows = self.data.national().rows();
        PyArrowTable::new(
            py,
            vec![
                (
                    "flow",
                    Column::Str(rows.iter().map(|r| r.flow.to_string()).collect()),
                ),
                (
                    "year",
                    Column::Int32(rows.iter().map(|r| i32::from(r.year)).collect()),
                ),
                (
                    "month",
                    Column::Int32(rows.iter().map(|r| i32::from(r.month)).collect()),
                ),
                (
                    "cpf6",
                    Column::OptStr(rows.iter().map(|r| r.cpf6.map(|c| c.to_string())).collect()),
                ),
                (
                    "a129",
                    Column::OptStr(rows.iter().map(|r| r.a129.map(|c| c.to_string())).collect()),
                ),
                (
                    "nc8",
                    Column::Str(rows.iter().map(|r| r.nc8.to_string()).collect()),
                ),
                (
                    "country",
                    Column::Str(rows.iter().map(|r| r.country.to_string()).collect()),
                ),
                (
                    "value_eur",
                    Column::Int(rows.iter().map(|r| r.value).collect()),
                ),
                (
                    "mass_kg",
                    Column::Int(rows.iter().map(|r| r.mass).collect()),
                ),
                ("usup", Column::Int(rows.iter().map(|r| r.usup).collect())),
            ],
        )
    }

    /// Total of every territory (101 départements, 18 régions, France) and flow, with the
    /// shares of région and nation.
    #[pyo3(signature = (year = None))]
    fn totals(&self, py: Python<'_>, year: Option<u16>) -> PyResult<PyArrowTable> {
        let cube = self.cube(py, year, Level::A10)?;
        #[derive(Default)]
        struct Cols {
            key: Vec<String>,
            kind: Vec<String>,
            code: Vec<String>,
            name: Vec<String>,
            flow: Vec<String>,
        }
        let mut cols = Cols::default();
        let (mut total, mut sr, mut sn) = (Vec::new(), Vec::new(), Vec::new());
        for t in Territory::all() {
            for flow in [Flow::Export, Flow::Import] {
                let v = cube.total(&t, flow);
                cols.key.push(t.key());
                cols.kind.push(t.kind().to_owned());
                cols.code.push(t.code().to_owned());
                cols.name.push(t.name().to_owned());
                cols.flow.push(flow_name(flow).to_owned());
                total.push(v);
                sr.push(t.region().and_then(|r| {
                    tradeflows::compute::share(v, cube.total(&Territory::Region(r), flow))
                }));
                sn.push(match t {
                    Territory::France => None,
                    _ => tradeflows::compute::share(v, cube.total(&Territory::France, flow)),
                });
            }
        }
        PyArrowTable::new(
            py,
            vec![
                ("key", Column::Str(cols.key)),
                ("kind", Column::Str(cols.kind)),
                ("code", Column::Str(cols.code)),
                ("name", Column::Str(cols.name)),
                ("flow", Column::Str(cols.flow)),
                ("total_eur", Column::Int(total)),
                ("share_of_region", Column::OptFloat(sr)),
                ("share_of_nation", Column::OptFloat(sn)),
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
        let (t, f, level) = (
            parse_territory(py, spec)?,
            parse_flow(py, flow)?,
            parse_level(py, level)?,
        );
        let cube = self.cube(py, year, level)?;
        let tf = cube.flows(&t, f);
        let labels = self.data.labels();
        let mut rows: Vec<(String, String, i64)> = match by {
            "partners" => {
                let r = tf.top_partners(n);
                let mut v: Vec<_> = r
                    .named
                    .iter()
                    .map(|&(c, v)| {
                        (
                            c.to_string(),
                            labels
                                .country(c, cube.year())
                                .unwrap_or(c.code())
                                .to_owned(),
                            v,
                        )
                    })
                    .collect();
                v.extend(
                    r.others
                        .map(|o| ("autres".to_owned(), "Autres".to_owned(), o)),
                );
                v
            }
            "products" => {
                let r = tf.top_products(n);
                let mut v: Vec<_> = r
                    .named
                    .iter()
                    .map(|&(p, v)| {
                        (
                            p.to_string(),
                            labels
                                .product(p)
                                .map_or_else(|| p.to_string(), str::to_owned),
                            v,
                        )
                    })
                    .collect();
                v.extend(
                    r.others
                        .map(|o| ("autres".to_owned(), "Autres".to_owned(), o)),
                );
                v
            }
            _ => {
                return Err(request_error(
                    py,
                    format!("by={by:?}: expected \"partners\" or \"products\""),
                ))
            }
        };
        let (code, label, value) = rows.drain(..).fold((vec![], vec![], vec![]), |mut acc, r| {
            acc.0.push(r.0);
            acc.1.push(r.1);
            acc.2.push(r.2);
            acc
        });
        PyArrowTable::new(
            py,
            vec![
                ("code", Column::Str(code)),
                ("label", Column::Str(label)),
                ("value_eur", Column::Int(value)),
            ],
        )
    }

    /// Imports, exports and balance (exports − imports) with every partner of a territory,
    /// by imports + exports descending.
    #[pyo3(signature = (spec, year = None))]
    fn balance(&self, py: Python<'_>, spec: &str, year: Option<u16>) -> PyResult<PyArrowTable> {
        let t = parse_territory(py, spec)?;
        let cube = self.cube(py, year, Level::A10)?;
        let mut b = balances(
            &cube.flows(&t, Flow::Import).by_partner(),
            &cube.flows(&t, Flow::Export).by_partner(),
        );
        b.sort_by(|x, y| {
            (y.imports + y.exports)
                .cmp(&(x.imports + x.exports))
                .then(x.partner.cmp(&y.partner))
        });
        let labels = self.data.labels();
        PyArrowTable::new(
            py,
            vec![
                (
                    "code",
                    Column::Str(b.iter().map(|p| p.partner.to_string()).collect()),
                ),
                (
                    "label",
                    Column::Str(
                        b.iter()
                            .map(|p| {
                                labels
                                    .country(p.partner, cube.year())
                                    .unwrap_or(p.partner.code())
                                    .to_owned()
                            })
                            .collect(),
                    ),
                ),
                (
                    "imports_eur",
                    Column::Int(b.iter().map(|p| p.imports).collect()),
                ),
                (
                    "exports_eur",
                    Column::Int(b.iter().map(|p| p.exports).collect()),
                ),
                (
                    "balance_eur",
                    Column::Int(b.iter().map(|p| p.balance()).collect()),
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
        let (t, f, level) = (
            parse_territory(py, spec)?,
            parse_flow(py, flow)?,
            parse_level(py, level)?,
        );
        let cube = self.cube(py, year, level)?;
        let m = cube.flows(&t, f).matrix(n, highlight);
        let slot_p = |s: Slot<Product>| s.to_string();
        let slot_c = |s: Slot<tradeflows::Country>| s.to_string();
        PyArrowTable::new(
            py,
            vec![
                (
                    "product",
                    Column::Str(m.iter().map(|c| slot_p(c.product)).collect()),
                ),
                (
                    "partner",
                    Column::Str(m.iter().map(|c| slot_c(c.partner)).collect()),
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

    /// The account of the load: rows read, loaded, rejected and set aside, and the files.
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

/// Loads the DGDDI files of a folder (or a zip or a file).
pub(crate) fn load(py: Python<'_>, path: PathBuf, on_error: &str) -> PyResult<PyData> {
    let on_error: OnError = on_error.parse().map_err(|_| {
        request_error(
            py,
            format!("on_error={on_error:?}: expected \"fail\" or \"skip\""),
        )
    })?;
    let options = LoadOptions { on_error };
    let data = py
        .detach(|| Dataset::load_with(&path, &options))
        .map_err(|e| to_py(py, e))?;
    let tis = if path.is_dir() {
        TerritoiresIndustrie::find_in(&path).map_err(|e| to_py(py, e))?
    } else {
        None
    };
    Ok(PyData::new(data, tis))
}

/// The demonstration data.
pub(crate) fn demo(py: Python<'_>) -> PyResult<PyData> {
    let data = py.detach(Dataset::demo).map_err(|e| to_py(py, e))?;
    let tis = TerritoiresIndustrie::demo().map_err(|e| to_py(py, e))?;
    Ok(PyData::new(data, Some(tis)))
}
