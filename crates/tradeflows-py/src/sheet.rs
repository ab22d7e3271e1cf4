//! A factsheet for Python: typed attribute access, the JSON contract as Python objects,
//! the four charts, the page, and rich display in Jupyter.

use pyo3::prelude::*;
use tradeflows::charts::ChartKind;
use tradeflows::factsheet::{self as core_fs, Factsheet};
use tradeflows::page::{self, totals_sentences};
use tradeflows::publish::Sheet;
use tradeflows::Flow;

use crate::errors::to_py;

/// A chart as an SVG document; displays itself in Jupyter.
#[pyclass(module = "tradeflows", name = "Chart", frozen)]
pub(crate) struct PyChart {
    kind: &'static str,
    svg: String,
}

impl PyChart {
    /// A chart of another kind than the factsheet's (the map).
    pub(crate) fn of(kind: &'static str, svg: String) -> Self {
        PyChart { kind, svg }
    }
}

#[pymethods]
impl PyChart {
    /// `balance`, `activities`, `exports`, `imports`, `evolution`, `exposure` or `map`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }
    /// The SVG text.
    #[getter]
    fn svg(&self) -> &str {
        &self.svg
    }
    fn __str__(&self) -> &str {
        &self.svg
    }
    fn __repr__(&self) -> String {
        format!(
            "<tradeflows.Chart {} ({} bytes of SVG)>",
            self.kind,
            self.svg.len()
        )
    }
    fn _repr_svg_(&self) -> &str {
        &self.svg
    }
    /// HTML display (untrusted notebooks drop saved SVG outputs but keep HTML).
    fn _repr_html_(&self) -> String {
        format!("<div style=\"max-width:820px\">{}</div>", self.svg)
    }
}

/// An item of a top list (`code` is `autres` for the rest).
#[pyclass(module = "tradeflows", name = "Ranked", frozen, get_all)]
pub(crate) struct PyRanked {
    /// Code (country, product), or `autres`.
    code: String,
    /// French label.
    label: String,
    /// Value in euros.
    value_eur: i64,
}

#[pymethods]
impl PyRanked {
    fn __repr__(&self) -> String {
        format!(
            "Ranked(code='{}', label='{}', value_eur={})",
            self.code, self.label, self.value_eur
        )
    }
}

/// A cell of the product × partner matrix.
#[pyclass(module = "tradeflows", name = "FlowCell", frozen, get_all)]
pub(crate) struct PyFlowCell {
    /// Product code, or `autres`.
    product: String,
    /// Partner code, or `autres`.
    partner: String,
    /// Value in euros.
    value_eur: i64,
    /// One of the largest named flows (drawn in red).
    highlight: bool,
}

#[pymethods]
impl PyFlowCell {
    fn __repr__(&self) -> String {
        format!(
            "FlowCell(product='{}', partner='{}', value_eur={}, highlight={})",
            self.product,
            self.partner,
            self.value_eur,
            if self.highlight { "True" } else { "False" }
        )
    }
}

/// Imports, exports and balance with a main partner.
#[pyclass(module = "tradeflows", name = "PartnerFigures", frozen, get_all)]
pub(crate) struct PyPartner {
    /// Country code.
    code: String,
    /// Country name.
    label: String,
    /// Imports from it, euros.
    imports_eur: i64,
    /// Exports to it, euros.
    exports_eur: i64,
    /// Exports − imports, euros.
    balance_eur: i64,
}

#[pymethods]
impl PyPartner {
    fn __repr__(&self) -> String {
        format!(
            "PartnerFigures(code='{}', imports_eur={}, exports_eur={}, balance_eur={})",
            self.code, self.imports_eur, self.exports_eur, self.balance_eur
        )
    }
}

/// The figures of one flow: total, shares, top lists and flows.
#[pyclass(module = "tradeflows", name = "FlowFigures", frozen, get_all)]
pub(crate) struct PyFlow {
    /// Total in euros.
    total_eur: i64,
    /// Share of the région's total (départements only).
    share_of_region: Option<f64>,
    /// Share of France's total (départements and régions).
    share_of_nation: Option<f64>,
    /// Main partners, then `autres`.
    top_partners: Vec<Py<PyRanked>>,
    /// Main products, then `autres`.
    top_products: Vec<Py<PyRanked>>,
    /// The cells of (top products + autres) × (top partners + autres).
    flows: Vec<Py<PyFlowCell>>,
    /// The totals sentences as the factsheet writes them.
    sentences: Vec<String>,
}

#[pymethods]
impl PyFlow {
    fn __repr__(&self) -> String {
        format!("FlowFigures(total_eur={})", self.total_eur)
    }
}

/// The territory of a factsheet.
#[pyclass(module = "tradeflows", name = "TerritoryInfo", frozen, get_all)]
pub(crate) struct PyTerritory {
    /// `departement`, `region` or `france`.
    kind: String,
    /// DGDDI département code, INSEE région code, or `FR`.
    code: String,
    /// Name.
    name: String,
    /// The INSEE code of a département's région.
    region_code: Option<String>,
    /// The name of a département's région.
    region_name: Option<String>,
}

#[pymethods]
impl PyTerritory {
    fn __repr__(&self) -> String {
        format!(
            "TerritoryInfo(kind='{}', code='{}', name='{}')",
            self.kind, self.code, self.name
        )
    }
}

fn ranked<K: std::fmt::Display>(
    py: Python<'_>,
    list: &[core_fs::Ranked<K>],
) -> PyResult<Vec<Py<PyRanked>>> {
    list.iter()
        .map(|r| {
            Py::new(
                py,
                PyRanked {
                    code: r.code.to_string(),
                    label: r.label.clone(),
                    value_eur: r.value_eur,
                },
            )
        })
        .collect()
}

fn flow_figures(py: Python<'_>, fs: &Factsheet, flow: Flow) -> PyResult<PyFlow> {
    let f = fs.flow(flow);
    Ok(PyFlow {
        total_eur: f.total_eur,
        share_of_region: f.share_of_region,
        share_of_nation: f.share_of_nation,
        top_partners: ranked(py, &f.top_partners)?,
        top_products: ranked(py, &f.top_products)?,
        flows: f
            .flows
            .iter()
            .map(|c| {
                Py::new(
                    py,
                    PyFlowCell {
                        product: c.product.to_string(),
                        partner: c.partner.to_string(),
                        value_eur: c.value_eur,
                        highlight: c.highlight,
                    },
                )
            })
            .collect::<PyResult<_>>()?,
        sentences: totals_sentences(fs, flow),
    })
}

/// The factsheet of one territory (`schema: "tradeflows.factsheet/1"`), with the région's
/// and France's its page compares it with.
#[pyclass(module = "tradeflows", name = "Factsheet", frozen)]
pub(crate) struct PyFactsheet {
    sheet: Sheet,
}

impl PyFactsheet {
    pub(crate) fn new(sheet: Sheet) -> Self {
        PyFactsheet { sheet }
    }

    fn fs(&self) -> &Factsheet {
        &self.sheet.factsheet
    }

    fn chart(&self, kind: ChartKind) -> PyChart {
        PyChart {
            kind: kind.name(),
            svg: kind.render(self.fs()),
        }
    }
}

#[pymethods]
impl PyFactsheet {
    /// The JSON contract as Python objects (dicts, lists, ints, floats, None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        python_value(py, self.fs())
    }

    /// The JSON text of the contract.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.fs().to_json().map_err(|e| to_py(py, e))
    }

    /// The self-contained HTML page (inline SVG and CSS), as the command line writes it.
    fn to_html(&self) -> String {
        self.sheet.page()
    }

    /// Schema name.
    #[getter]
    fn schema(&self) -> &'static str {
        core_fs::SCHEMA
    }
    /// Year.
    #[getter]
    fn year(&self) -> u16 {
        self.fs().year
    }
    /// Product level (`a129`, …).
    #[getter]
    fn level(&self) -> &'static str {
        self.fs().level.name()
    }
    /// Quarters the data cover, as a list of ints (a `Vec<u8>` would become `bytes`).
    #[getter]
    fn quarters(&self) -> Vec<u16> {
        self.fs().quarters.iter().map(u16::from).collect()
    }
    /// Whether the figures are the synthetic demonstration data's.
    #[getter]
    fn demo(&self) -> bool {
        self.fs().source.demo
    }
    /// The territory.
    #[getter]
    fn territory(&self) -> PyTerritory {
        let t = self.fs().territory;
        PyTerritory {
            kind: t.kind().to_owned(),
            code: t.code().to_owned(),
            name: t.name().to_owned(),
            region_code: t.region().map(|r| r.code().to_owned()),
            region_name: t.region().map(|r| r.name().to_owned()),
        }
    }
    /// Exports.
    #[getter]
    fn exports(&self, py: Python<'_>) -> PyResult<PyFlow> {
        flow_figures(py, self.fs(), Flow::Export)
    }
    /// Imports.
    #[getter]
    fn imports(&self, py: Python<'_>) -> PyResult<PyFlow> {
        flow_figures(py, self.fs(), Flow::Import)
    }
    /// The main partners with imports, exports and balance.
    #[getter]
    fn partners(&self, py: Python<'_>) -> PyResult<Vec<Py<PyPartner>>> {
        self.fs()
            .partners
            .iter()
            .map(|p| {
                Py::new(
                    py,
                    PyPartner {
                        code: p.code.to_string(),
                        label: p.label.clone(),
                        imports_eur: p.imports_eur,
                        exports_eur: p.exports_eur,
                        balance_eur: p.balance_eur(),
                    },
                )
            })
            .collect()
    }
    /// *Balance commerciale territoriale* (butterfly chart).
    #[getter]
    fn balance_chart(&self) -> PyChart {
        self.chart(ChartKind::Balance)
    }
    /// *Principales activités* (treemap).
    #[getter]
    fn activities_chart(&self) -> PyChart {
        self.chart(ChartKind::Activities)
    }
    /// *Flux à l'export* (sankey).
    #[getter]
    fn exports_chart(&self) -> PyChart {
        self.chart(ChartKind::Exports)
    }
    /// *Flux à l'import* (sankey).
    #[getter]
    fn imports_chart(&self) -> PyChart {
        self.chart(ChartKind::Imports)
    }
    /// *Évolution* (bars by year, lines by quarter).
    #[getter]
    fn evolution_chart(&self) -> PyChart {
        self.chart(ChartKind::Evolution)
    }
    /// The territory's exports, imports and balance, one dict per year of the data (the
    /// JSON's `history`).
    #[getter]
    fn history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        python_value(py, &self.fs().history)
    }
    /// Its exports and imports, one dict per (year, quarter) of the data (`quarterly`).
    #[getter]
    fn quarterly<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        python_value(py, &self.fs().quarterly)
    }
    /// The change against the year before over this year's quarters, with the partners and
    /// products that drove it (`change`); None when the year before lacks a quarter.
    #[getter]
    fn change<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        python_value(py, &self.fs().change)
    }
    /// Exposure and dependence: zones, countries watched, concentration, dependencies,
    /// specialisation (the JSON's `exposure`).
    #[getter]
    fn exposure<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        python_value(py, &self.fs().exposure)
    }
    /// *Exposition* (the zones' shares of exports and imports).
    #[getter]
    fn exposure_chart(&self) -> PyChart {
        self.chart(ChartKind::Exposure)
    }
    /// The sentences of the countries watched, as the page writes them.
    #[getter]
    fn watch_sentences(&self) -> Vec<String> {
        page::watch_sentences(self.fs())
    }
    /// The sentences of the change, as the page writes them.
    #[getter]
    fn change_sentences(&self) -> Vec<String> {
        page::evolution_sentences(self.fs())
    }

    fn __repr__(&self) -> String {
        format!(
            "<tradeflows.Factsheet {} {} {}: exports {} €, imports {} €{}>",
            self.fs().territory.kind(),
            self.fs().territory.code(),
            self.fs().year,
            self.fs().exports.total_eur,
            self.fs().imports.total_eur,
            if self.fs().source.demo {
                " (demonstration data)"
            } else {
                ""
            }
        )
    }

    /// Rich display in Jupyter: the title, the totals sentences and the four charts.
    fn _repr_html_(&self) -> String {
        page::notebook(self.fs())
    }
}

/// A value of the JSON contract as Python objects (through its JSON text: the same numbers,
/// the same keys as the command line writes).
fn python_value<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| to_py(py, tradeflows::Error::Json(e.to_string())))?;
    py.import("json")?.call_method1("loads", (text,))
}
