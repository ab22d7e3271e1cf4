//! Reconciliation: the files checked against themselves.
//!
//! - the départements add up to their régions (grouped by the région code of the rows) and
//!   to France, for every flow, year and quarter;
//! - the regional file agrees with the national file for the quarters both give;
//! - every code is known (to the label files of the download, else to the built-in tables),
//!   and each CPF4 sits under the A129 its rows give;
//! - annual files hold their year only, and every (flow, year) has its quarters.

use std::collections::BTreeMap;

use crate::codes::{Country, Cpf4, Departement, Flow, A129};
use crate::dataset::Dataset;
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
    let t = data.regional();
    let labels = data.labels();

    // Sums: départements, régions (by the rows' own DGDDI région code) and France.
    type Key = (Flow, u16, u8);
    let mut by_dep: BTreeMap<Key, BTreeMap<Departement, i64>> = BTreeMap::new();
    let mut by_region: BTreeMap<Key, BTreeMap<&'static str, i64>> = BTreeMap::new();
    let mut total: BTreeMap<Key, i64> = BTreeMap::new();
    // Codes seen, with a count.
    let mut a129s: BTreeMap<A129, u64> = BTreeMap::new();
    let mut cpf4s: BTreeMap<(Cpf4, A129), u64> = BTreeMap::new();
    let mut countries: BTreeMap<(Country, u16), u64> = BTreeMap::new();
    let mut wrong_year: BTreeMap<usize, (u16, u64)> = BTreeMap::new();
    for i in 0..t.len() {
        let Some(row) = t.row(i) else { continue };
        let key = (row.flow, row.year, row.quarter);
        *by_dep
            .entry(key)
            .or_default()
            .entry(row.departement)
            .or_default() += row.value;
        *by_region
            .entry(key)
            .or_default()
            .entry(row.departement.region().dgddi_code())
            .or_default() += row.value;
        *total.entry(key).or_default() += row.value;
        *a129s.entry(row.a129).or_default() += 1;
        *cpf4s.entry((row.cpf4, row.a129)).or_default() += 1;
        *countries.entry((row.country, row.year)).or_default() += 1;
        if let Some((file, _)) = t.origin(i) {
            if let Some(FileKind::Regional { year: Some(y), .. }) =
                data.report().files.get(file).map(|f| f.kind)
            {
                if y != row.year {
                    let e = wrong_year.entry(file).or_insert((row.year, 0));
                    e.1 += 1;
                }
            }
        }
    }
    let mut sums_ok = 0;
    for (key, deps) in &by_dep {
        let sum_deps: i64 = deps.values().sum();
        let sum_regions: i64 = by_region[key].values().sum();
        let france = total[key];
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

    // Regional against national, quarter by quarter.
    let mut national: BTreeMap<Key, i64> = BTreeMap::new();
    for r in data.national().rows() {
        *national
            .entry((r.flow, r.year, (r.month - 1) / 3 + 1))
            .or_default() += r.value;
    }
    let mut compared = 0;
    for (key, n) in &national {
        let Some(&r) = total.get(key) else { continue };
        compared += 1;
        let diff = (r - n) as f64 / (*n).max(1) as f64;
        if diff.abs() > tolerance {
            report.discrepancy(format!(
                "{} {} T{}: regional file {r} €, national file {n} € ({:+.4}%)",
                flow_name(key.0),
                key.1,
                key.2,
                diff * 100.0
            ));
        }
    }
    if compared > 0 && !report.has_discrepancy() {
        report.passed.push(format!(
            "regional and national files agree ({compared} flow × quarter totals)"
        ));
    } else if compared == 0 && !national.is_empty() {
        report.info("the national and regional files cover no common quarter".into());
    }

    // Codes.
    let unknown_a129: Vec<String> = a129s
        .iter()
        .filter(|(a, _)| !a.is_goods())
        .map(|(a, n)| format!("{a} ({n} rows)"))
        .collect();
    if !unknown_a129.is_empty() {
        report.discrepancy(format!(
            "A129 codes that are not DGDDI goods codes: {}",
            unknown_a129.join(", ")
        ));
    }
    let mut unknown_cpf4: BTreeMap<Cpf4, u64> = BTreeMap::new();
    let mut misplaced: Vec<String> = Vec::new();
    for (&(c, a), &n) in &cpf4s {
        if labels.cpf4(c).is_none() {
            *unknown_cpf4.entry(c).or_default() += n;
        } else if let Some(parent) = c.a129() {
            if parent != a {
                misplaced.push(format!(
                    "{c} under {a} ({n} rows; the NAF puts it under {parent})"
                ));
            }
        }
    }
    if !unknown_cpf4.is_empty() {
        let list: Vec<String> = unknown_cpf4
            .iter()
            .map(|(c, n)| format!("{c} ({n} rows)"))
            .collect();
        report.discrepancy(format!(
            "CPF4 codes unknown to the label files: {}",
            list.join(", ")
        ));
    }
    if !misplaced.is_empty() {
        report.discrepancy(format!(
            "CPF4 codes under another A129: {}",
            misplaced.join(", ")
        ));
    }
    let mut unknown_country: BTreeMap<Country, u64> = BTreeMap::new();
    for (&(c, year), &n) in &countries {
        if labels.country(c, year).is_none() {
            *unknown_country.entry(c).or_default() += n;
        }
    }
    if !unknown_country.is_empty() {
        let list: Vec<String> = unknown_country
            .iter()
            .map(|(c, n)| format!("{c} ({n} rows)"))
            .collect();
        report.discrepancy(format!(
            "country codes unknown to the label files: {}",
            list.join(", ")
        ));
    }
    if unknown_a129.is_empty()
        && unknown_cpf4.is_empty()
        && misplaced.is_empty()
        && unknown_country.is_empty()
    {
        report.passed.push(format!(
            "every code is known: {} A129, {} CPF4, {} countries",
            a129s.len(),
            cpf4s
                .keys()
                .map(|k| k.0)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            countries
                .keys()
                .map(|k| k.0)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        ));
    }

    // Years and quarters.
    for (file, (year, n)) in &wrong_year {
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
    let mut quarters: BTreeMap<(Flow, u16), Vec<u8>> = BTreeMap::new();
    for &(flow, year, q) in total.keys() {
        quarters.entry((flow, year)).or_default().push(q);
    }
    for (&(flow, year), qs) in &quarters {
        if qs.len() < 4 {
            let q: Vec<String> = qs.iter().map(|q| format!("T{q}")).collect();
            report.info(format!(
                "{} {year}: quarters {} only",
                flow_name(flow),
                q.join(", ")
            ));
        }
    }
    let years: Vec<u16> = data.years();
    for year in &years {
        let has = |f: Flow| quarters.contains_key(&(f, *year));
        if has(Flow::Import) != has(Flow::Export) {
            report.discrepancy(format!("{year}: only one flow in the regional files"));
        }
    }
    if wrong_year.is_empty() {
        report.passed.push(format!(
            "flows and years consistent: years {}",
            years
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    report
}
