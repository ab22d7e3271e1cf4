//! Reconciliation: the files checked against themselves.
//!
//! - the départements add up to their régions (grouped by the région code of the rows) and
//!   to France, for every flow, year and quarter;
//! - the regional file agrees with the national file for the quarters both give;
//! - every code is known (to the label files of the download, else to the built-in tables),
//!   and each CPF4 sits under the A129 its rows give; well-formed codes that DGDDI's or
//!   INSEE's lists do not name (département `00`) are named, their rows counted;
//! - annual files hold their year only, and every (flow, year) has its quarters.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::{Country, Cpf4, Flow, Quarters, A129};
use crate::data::Dataset;
use crate::read::FileKind;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing (e.g. a partial year).
    Info,
    /// The files disagree with themselves: `tradeflows check` exits non-zero.
    Discrepancy,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// What was found, in plain words.
    pub message: String,
}

/// The result of [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Every finding, in the order checked.
    pub findings: Vec<Finding>,
    /// What was verified (one line per check that passed).
    pub passed: Vec<String>,
}

impl CheckReport {
    /// Whether any finding is a discrepancy.
    pub fn has_discrepancy(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Discrepancy)
    }

    fn info(&mut self, message: String) {
        self.findings.push(Finding {
            severity: Severity::Info,
            message,
        });
    }

    fn discrepancy(&mut self, message: String) {
        self.findings.push(Finding {
            severity: Severity::Discrepancy,
            message,
        });
    }
}

fn flow_name(f: Flow) -> &'static str {
    match f {
        Flow::Import => "imports",
        Flow::Export => "exports",
    }
}

/// What one pass over the regional rows gathers for the checks.
#[derive(Default)]
struct Gathered {
    /// Sums by (flow, year, quarter): per département code, per DGDDI région code, in all.
    by_dep: BTreeMap<Key, BTreeMap<String, i64>>,
    by_region: BTreeMap<Key, BTreeMap<String, i64>>,
    total: BTreeMap<Key, i64>,
    /// Codes seen, with a count of rows.
    a129s: BTreeMap<A129, u64>,
    cpf4s: BTreeMap<(Cpf4, A129), u64>,
    countries: BTreeMap<(Country, u16), u64>,
    /// Rows of an annual file that are not of its year: file → (a year found, rows).
    wrong_year: BTreeMap<usize, (u16, u64)>,
}

type Key = (Flow, u16, u8);

fn gather(data: &Dataset) -> Gathered {
    let t = data.regional();
    let mut g = Gathered::default();
    for (i, row) in t.rows().enumerate() {
        let key = (row.flow, row.year, row.quarter);
        *g.by_dep
            .entry(key)
            .or_default()
            .entry(row.place.code().to_owned())
            .or_default() += row.value;
        *g.by_region
            .entry(key)
            .or_default()
            .entry(row.place.dgddi_region_code().to_owned())
            .or_default() += row.value;
        *g.total.entry(key).or_default() += row.value;
        *g.a129s.entry(row.a129).or_default() += 1;
        *g.cpf4s.entry((row.cpf4, row.a129)).or_default() += 1;
        *g.countries.entry((row.country, row.year)).or_default() += 1;
        if let Some((file, _)) = t.origin(i) {
            if let Some(FileKind::Regional { year: Some(y), .. }) =
                data.report().files.get(file).map(|f| f.kind)
            {
                if y != row.year {
                    g.wrong_year.entry(file).or_insert((row.year, 0)).1 += 1;
                }
            }
        }
    }
    g
}

/// Checks a dataset against itself. `tolerance` is the relative difference allowed between
/// the regional and national totals of a quarter (0: exact).
///
/// ```
/// let data = tradeflows::Dataset::demo()?;
/// let report = tradeflows::check::check(&data, 0.0);
/// assert!(!report.has_discrepancy(), "{:?}", report.findings);
/// # Ok::<(), tradeflows::Error>(())
/// ```
pub fn check(data: &Dataset, tolerance: f64) -> CheckReport {
    let mut report = CheckReport::default();
    let g = gather(data);
    check_sums(&g, &mut report);
    check_national(data, &g, tolerance, &mut report);
    check_unlisted(data, &mut report);
    check_codes(data, &g, &mut report);
    check_years(data, &g, &mut report);
    report
}

/// The départements add up to their régions (by the rows' own région code) and to France.
fn check_sums(g: &Gathered, report: &mut CheckReport) {
    let mut sums_ok = 0;
    for (key, deps) in &g.by_dep {
        let sum_deps: i64 = deps.values().sum();
        let sum_regions: i64 = g.by_region.get(key).map_or(0, |r| r.values().sum());
        let france = g.total.get(key).copied().unwrap_or(0);
        if sum_deps != france || sum_regions != france {
            report.discrepancy(format!(
                "{} {} T{}: départements {sum_deps} €, régions {sum_regions} €, France {france} €",
                flow_name(key.0),
                key.1,
                key.2
            ));
        } else {
            sums_ok += 1;
        }
    }
    if sums_ok > 0 {
        report.passed.push(format!(
            "départements add up to their régions and to France ({sums_ok} flow × quarter totals)"
        ));
    }
}

/// The regional file against the national file, quarter by quarter.
fn check_national(data: &Dataset, g: &Gathered, tolerance: f64, report: &mut CheckReport) {
    let mut national: BTreeMap<Key, i64> = BTreeMap::new();
    for r in data.national().rows() {
        *national
            .entry((r.flow, r.year, (r.month - 1) / 3 + 1))
            .or_default() += r.value;
    }
    let mut compared = 0;
    let mut differ = 0;
    for (key, n) in &national {
        let Some(&r) = g.total.get(key) else { continue };
        compared += 1;
        let diff = (r - n) as f64 / (*n).max(1) as f64;
        if diff.abs() > tolerance {
            differ += 1;
            report.discrepancy(format!(
                "{} {} T{}: regional file {r} €, national file {n} € ({:+.4}%)",
                flow_name(key.0),
                key.1,
                key.2,
                diff * 100.0
            ));
        }
    }
    if compared > 0 && differ == 0 {
        report.passed.push(format!(
            "regional and national files agree ({compared} flow × quarter totals)"
        ));
    } else if compared == 0 && !national.is_empty() {
        report.info("the national and regional files cover no common quarter".into());
    }
}

/// Well-formed codes that their list does not name (their rows are counted): named.
fn check_unlisted(data: &Dataset, report: &mut CheckReport) {
    for note in data.report().unlisted_notes() {
        report.info(note);
    }
}

/// Every code is known (to the label files, else the built-in tables), and each CPF4 sits
/// under the A129 its rows give.
fn check_codes(data: &Dataset, g: &Gathered, report: &mut CheckReport) {
    let labels = data.labels();
    let rows = |n: &u64| format!("{n} rows");
    let not_goods: Vec<String> = g
        .a129s
        .iter()
        .filter(|(a, _)| a.is_listed() && !a.is_goods())
        .map(|(a, n)| format!("{a} ({})", rows(n)))
        .collect();
    let mut unknown_cpf4: BTreeMap<Cpf4, u64> = BTreeMap::new();
    let mut misplaced: Vec<String> = Vec::new();
    for (&(c, a), &n) in &g.cpf4s {
        if labels.cpf4(c).is_none() {
            *unknown_cpf4.entry(c).or_default() += n;
        } else if let Some(parent) = c.a129().filter(|p| *p != a && a.is_listed()) {
            misplaced.push(format!(
                "{c} under {a} ({}; the NAF puts it under {parent})",
                rows(&n)
            ));
        }
    }
    let mut unknown_country: BTreeMap<Country, u64> = BTreeMap::new();
    for (&(c, year), &n) in &g.countries {
        if labels.country(c, year).is_none() {
            *unknown_country.entry(c).or_default() += n;
        }
    }
    let lists = [
        ("A129 codes that are not DGDDI goods codes", not_goods),
        (
            "CPF4 codes unknown to the label files",
            unknown_cpf4
                .iter()
                .map(|(c, n)| format!("{c} ({})", rows(n)))
                .collect(),
        ),
        ("CPF4 codes under another A129", misplaced),
        (
            "country codes unknown to the label files",
            unknown_country
                .iter()
                .map(|(c, n)| format!("{c} ({})", rows(n)))
                .collect(),
        ),
    ];
    let mut all_known = true;
    for (what, list) in lists {
        if !list.is_empty() {
            all_known = false;
            report.discrepancy(format!("{what}: {}", list.join(", ")));
        }
    }
    if all_known {
        let distinct = |it: &mut dyn Iterator<Item = String>| it.collect::<BTreeSet<_>>().len();
        report.passed.push(format!(
            "every code is known: {} A129, {} CPF4, {} countries",
            g.a129s.len(),
            distinct(&mut g.cpf4s.keys().map(|k| k.0.to_string())),
            distinct(&mut g.countries.keys().map(|k| k.0.to_string())),
        ));
    }
}

/// Annual files hold their year only, and every (flow, year) has its quarters.
fn check_years(data: &Dataset, g: &Gathered, report: &mut CheckReport) {
    for (file, (year, n)) in &g.wrong_year {
        let path = data
            .report()
            .files
            .get(*file)
            .map(|f| f.path.display().to_string())
            .unwrap_or_default();
        report.discrepancy(format!(
            "{path}: {n} rows of {year}, not of the file's year"
        ));
    }
    let mut quarters: BTreeMap<(Flow, u16), Quarters> = BTreeMap::new();
    for &(flow, year, q) in g.total.keys() {
        quarters.entry((flow, year)).or_default().insert(q);
    }
    for (&(flow, year), qs) in &quarters {
        if !qs.is_full() {
            report.info(format!("{} {year}: quarters {qs} only", flow_name(flow)));
        }
    }
    let years: Vec<u16> = data.years();
    for year in &years {
        let has = |f: Flow| quarters.contains_key(&(f, *year));
        if has(Flow::Import) != has(Flow::Export) {
            report.discrepancy(format!("{year}: only one flow in the regional files"));
        }
    }
    if g.wrong_year.is_empty() {
        report.passed.push(format!(
            "flows and years consistent: years {}",
            years
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}
