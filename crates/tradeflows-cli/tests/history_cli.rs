//! Several years in one folder: three annual years and a « 5 derniers trimestres » file
//! (2024, already in an annual file, and 2025 T1). Every factsheet's `history`, `quarterly` and
//! `change` equal a recomputation from the rows with plain code, for the default reference
//! year (2025, T1 only) and for `--year 2024`.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

mod common;
use common::{dep_to_region, run};

struct Row {
    flow: String,
    quarter: u8,
    year: u16,
    dep: String,
    a129: String,
    country: String,
    value: i64,
}

fn parse(line: &str) -> Row {
    let f: Vec<&str> = line.split(';').collect();
    Row {
        flow: f[0].into(),
        quarter: f[1].parse().unwrap(),
        year: f[2].parse().unwrap(),
        dep: f[3].into(),
        a129: f[5].into(),
        country: f[7].into(),
        value: f[8].parse().unwrap(),
    }
}

/// The rows that count: every annual file's, and the five-quarter files' rows of a (flow,
/// year) no annual file gives.
fn effective_rows(dir: &Path) -> Vec<Row> {
    let mut annual: Vec<Row> = Vec::new();
    let mut quarters: Vec<Row> = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        let target = if name.starts_with("Region_") {
            &mut annual
        } else if name.starts_with("REGIONAL_") {
            &mut quarters
        } else {
            continue;
        };
        target.extend(std::fs::read_to_string(&p).unwrap().lines().map(parse));
    }
    let given: BTreeSet<(String, u16)> = annual.iter().map(|r| (r.flow.clone(), r.year)).collect();
    annual.extend(
        quarters
            .into_iter()
            .filter(|r| !given.contains(&(r.flow.clone(), r.year))),
    );
    annual
}

/// The folder: `tradeflows demo` for 2022–2024, and a five-quarter file per flow made of
/// 2024's rows with provisional values (to be set aside) and 2025 T1 rows.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (ok, err) = run(&["demo", "--out", d, "--scale", "0.2", "--history", "2"]);
    assert!(ok, "{err}");
    for (flow, letter) in [("Export", 'E'), ("Import", 'I')] {
        let annual =
            std::fs::read_to_string(dir.path().join(format!("Region_2024_{flow}.txt"))).unwrap();
        let mut text = String::new();
        for (i, line) in annual.lines().enumerate() {
            let f: Vec<&str> = line.split(';').collect();
            let v: i64 = f[8].parse().unwrap();
            text.push_str(&format!("{};{};{}\n", f[..8].join(";"), v + 1, f[9]));
            if f[1] == "1" && i % 10 != 0 {
                text.push_str(&format!(
                    "{};1;2025;{};{};{}\n",
                    f[0],
                    f[3..8].join(";"),
                    v * 107 / 100,
                    f[9]
                ));
            }
        }
        let name = format!("REGIONAL_CPF4PAYS{letter}.txt");
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn sum(rows: &[&Row], flow: &str, year: u16, quarters: &BTreeSet<u8>) -> i64 {
    rows.iter()
        .filter(|r| r.flow == flow && r.year == year && quarters.contains(&r.quarter))
        .map(|r| r.value)
        .sum()
}

fn by(
    rows: &[&Row],
    flow: &str,
    year: u16,
    quarters: &BTreeSet<u8>,
    key: &dyn Fn(&Row) -> String,
) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.flow == flow && r.year == year && quarters.contains(&r.quarter))
    {
        *m.entry(key(r)).or_insert(0) += r.value;
    }
    m
}

/// The five codes with the largest |change| (ties: code), as the contract states them.
fn drivers(
    before: &BTreeMap<String, i64>,
    after: &BTreeMap<String, i64>,
    previous_total: i64,
) -> Value {
    let codes: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut all: Vec<(String, i64, i64)> = codes
        .into_iter()
        .map(|c| {
            (
                c.clone(),
                *before.get(c).unwrap_or(&0),
                *after.get(c).unwrap_or(&0),
            )
        })
        .filter(|(_, p, v)| *p != 0 || *v != 0)
        .collect();
    all.sort_by(|a, b| {
        (b.2 - b.1)
            .abs()
            .cmp(&(a.2 - a.1).abs())
            .then(a.0.cmp(&b.0))
    });
    all.truncate(5);
    Value::Array(
        all.into_iter()
            .map(|(code, p, v)| {
                let contribution =
                    (previous_total != 0).then(|| (v - p) as f64 / previous_total as f64);
                serde_json::json!({"code": code, "previous_eur": p, "value_eur": v,
                                   "change_eur": v - p, "contribution": contribution})
            })
            .collect(),
    )
}

/// `history`, `quarterly` and `change` of a territory, recomputed.
fn expected(rows: &[&Row], reference: u16) -> (Value, Value, Value) {
    let mut quarters: BTreeMap<u16, BTreeSet<u8>> = BTreeMap::new();
    for r in rows {
        quarters.entry(r.year).or_default().insert(r.quarter);
    }
    let history: Vec<Value> = quarters
        .iter()
        .map(|(&y, q)| {
            let (e, i) = (sum(rows, "E", y, q), sum(rows, "I", y, q));
            serde_json::json!({"year": y, "quarters": q, "exports_eur": e, "imports_eur": i, "balance_eur": e - i})
        })
        .collect();
    let quarterly: Vec<Value> = quarters
        .iter()
        .flat_map(|(&y, qs)| {
            qs.iter().map(move |&q| {
                let one = BTreeSet::from([q]);
                serde_json::json!({"year": y, "quarter": q, "exports_eur": sum(rows, "E", y, &one), "imports_eur": sum(rows, "I", y, &one)})
            })
        })
        .collect();
    let now = &quarters[&reference];
    let change = match quarters.get(&(reference - 1)) {
        Some(before) if before.is_superset(now) => {
            let flow = |f: &str| {
                let (p, v) = (
                    sum(rows, f, reference - 1, now),
                    sum(rows, f, reference, now),
                );
                let country = |r: &Row| r.country.clone();
                let product = |r: &Row| r.a129.clone();
                serde_json::json!({
                    "previous_eur": p, "value_eur": v,
                    "growth": (p != 0).then(|| v as f64 / p as f64 - 1.0),
                    "partners": drivers(&by(rows, f, reference - 1, now, &country), &by(rows, f, reference, now, &country), p),
                    "products": drivers(&by(rows, f, reference - 1, now, &product), &by(rows, f, reference, now, &product), p),
                })
            };
            serde_json::json!({"previous_year": reference - 1, "quarters": now, "exports": flow("E"), "imports": flow("I")})
        }
        _ => Value::Null,
    };
    (Value::Array(history), Value::Array(quarterly), change)
}

/// The factsheet's change without the labels (the recomputation has none).
fn without_labels(mut change: Value) -> Value {
    for flow in ["exports", "imports"] {
        for list in ["partners", "products"] {
            if let Some(items) = change[flow][list].as_array_mut() {
                for item in items {
                    item.as_object_mut().unwrap().remove("label");
                }
            }
        }
    }
    change
}

fn check(dir: &Path, out: &Path, reference: u16) {
    let rows = effective_rows(dir);
    let regions = dep_to_region();
    let (mut checked, mut compared) = (0, 0);
    for e in std::fs::read_dir(out.join("json")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let fs: Value = serde_json::from_str(&text).unwrap();
        let (kind, code) = (
            fs["territory"]["kind"].as_str().unwrap(),
            fs["territory"]["code"].as_str().unwrap(),
        );
        let mine: Vec<&Row> = rows
            .iter()
            .filter(|r| match kind {
                "departement" => r.dep == code,
                "region" => regions[&r.dep] == code,
                _ => true,
            })
            .collect();
        let (history, quarterly, change) = expected(&mine, reference);
        assert_eq!(fs["year"], reference);
        assert_eq!(fs["history"], history, "{kind} {code}");
        assert_eq!(fs["quarterly"], quarterly, "{kind} {code}");
        assert_eq!(
            without_labels(fs["change"].clone()),
            change,
            "{kind} {code}"
        );
        checked += 1;
        compared += usize::from(!change.is_null());
    }
    assert_eq!(checked, 120);
    assert!(compared >= 100, "only {compared} factsheets have a change");
}

#[test]
fn history_quarterly_and_change_equal_a_recomputation() {
    let dir = folder();
    let d = dir.path().to_str().unwrap();
    // The default reference year: the latest, 2025, whose data cover T1 only.
    let out = tempfile::tempdir().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--all",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("set aside"), "{err}");
    check(dir.path(), out.path(), 2025);
    let fr: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("json/fr.json")).unwrap())
            .unwrap();
    assert_eq!(fr["quarters"], serde_json::json!([1]));
    assert_eq!(fr["change"]["quarters"], serde_json::json!([1]));
    assert_eq!(fr["history"].as_array().unwrap().len(), 4);
    // A full year asked for.
    let out = tempfile::tempdir().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--all",
        "--year",
        "2024",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    check(dir.path(), out.path(), 2024);
    // The first year has no year before: no change.
    let out = tempfile::tempdir().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--territory",
        "fr",
        "--year",
        "2022",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    check_one_null(out.path());
}

fn check_one_null(out: &Path) {
    let fr: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("json/fr.json")).unwrap()).unwrap();
    assert_eq!(fr["change"], Value::Null);
    assert_eq!(
        fr["history"].as_array().unwrap().len(),
        4,
        "history lists every year present"
    );
}

/// Years far apart: history lists the years present, the change is null; a previous year
/// that lacks one of the reference year's quarters gives no change either.
#[test]
fn years_far_apart_and_partial_years_give_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "Region_2015_Export.txt",
        "E;1;2015;22;07;C10A;1011;DE;100;1\n",
    );
    write(
        "Region_2015_Import.txt",
        "I;1;2015;22;07;C10A;1011;DE;50;1\n",
    );
    write(
        "Region_2024_Export.txt",
        "E;1;2024;22;07;C10A;1011;DE;300;1\nE;2;2024;22;07;C10A;1011;BE;30;1\n",
    );
    write(
        "Region_2024_Import.txt",
        "I;2;2024;22;07;C10A;1011;DE;70;1\n",
    );
    let out = tempfile::tempdir().unwrap();
    let (d, o) = (dir.path().to_str().unwrap(), out.path().to_str().unwrap());
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--territory",
        "22",
        "--format",
        "json,html",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    let fs: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("json/dep-22.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(fs["change"], Value::Null);
    let years: Vec<i64> = fs["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2015, 2024]);
    assert_eq!(fs["history"][0]["quarters"], serde_json::json!([1]));
    assert_eq!(fs["history"][1]["quarters"], serde_json::json!([1, 2]));
    let page = std::fs::read_to_string(out.path().join("html/dep-22.html")).unwrap();
    assert!(page.contains("La comparaison avec 2023 sur les mêmes trimestres n'est pas possible : les données de 2023 ne sont pas dans les fichiers."), "the page says why");
    // 2023 with T1 only, 2024 with T1 and T2: not comparable.
    write(
        "Region_2023_Export.txt",
        "E;1;2023;22;07;C10A;1011;DE;200;1\n",
    );
    write(
        "Region_2023_Import.txt",
        "I;1;2023;22;07;C10A;1011;DE;20;1\n",
    );
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--territory",
        "22",
        "--format",
        "json,html",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    let fs: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("json/dep-22.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(fs["change"], Value::Null);
    let page = std::fs::read_to_string(out.path().join("html/dep-22.html")).unwrap();
    assert!(
        page.contains("les données de 2023 ne couvrent que T1 et celles de 2024 couvrent T1–T2")
    );
}

/// Two annual files of one year and flow, with different content: refused, naming both.
#[test]
fn two_annual_files_of_one_year_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Region_2024_Export.txt"),
        "E;1;2024;22;07;C10A;1011;DE;1;1\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("copy")).unwrap();
    std::fs::write(
        dir.path().join("copy/Region_2024_Export.txt"),
        "E;1;2024;22;07;C10A;1011;DE;2;1\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        dir.path().to_str().unwrap(),
        "--territory",
        "fr",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("copy/Region_2024_Export.txt")
            && err.contains("a different copy of this file is also at"),
        "{err}"
    );
}
