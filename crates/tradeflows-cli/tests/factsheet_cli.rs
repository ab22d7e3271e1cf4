//! End to end: `tradeflows factsheet --data DIR --all --format json --out OUT` gives, for
//! every territory, figures equal to the euro to an independent computation over the rows.
//!
//! The independent computation below shares no code with the library: it reads the raw
//! lines with `split(';')`, keys everything by strings, and takes the département → région
//! crosswalk and the A129 → A17 roll-up from the reference files in `reference/`.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{a129_to_a17, bin, dep_to_region, run};

struct Row {
    flow: String,
    year: u16,
    dep: String,
    a129: String,
    cpf4: String,
    country: String,
    value: i64,
}

fn read_rows(dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.starts_with("Region_") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let f: Vec<&str> = line.split(';').collect();
            assert_eq!(f.len(), 10);
            rows.push(Row {
                flow: f[0].into(),
                year: f[2].parse().unwrap(),
                dep: f[3].into(),
                a129: f[5].into(),
                cpf4: f[6].into(),
                country: f[7].into(),
                value: f[8].parse().unwrap(),
            });
        }
    }
    rows
}

fn top(map: &BTreeMap<String, i64>, n: usize) -> (Vec<(String, i64)>, Option<i64>) {
    let mut v: Vec<(String, i64)> = map
        .iter()
        .filter(|x| *x.1 != 0)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rest: Vec<i64> = v.iter().skip(n).map(|x| x.1).collect();
    v.truncate(n);
    (
        v,
        if rest.is_empty() {
            None
        } else {
            Some(rest.iter().sum())
        },
    )
}

struct Expected {
    total: i64,
    partners: BTreeMap<String, i64>,
    top_partners: Vec<(String, i64)>,
    top_products: Vec<(String, i64)>,
    flows: Vec<(String, String, i64, bool)>,
}

fn expected(rows: &[&Row], product: &dyn Fn(&Row) -> String, n: usize, k: usize) -> Expected {
    let mut by_product: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_partner: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        *by_product.entry(product(r)).or_default() += r.value;
        *by_partner.entry(r.country.clone()).or_default() += r.value;
    }
    let (tp, tp_rest) = top(&by_product, n);
    let (tc, tc_rest) = top(&by_partner, n);
    let list = |named: &Vec<(String, i64)>, rest: Option<i64>| {
        let mut l = named.clone();
        if let Some(r) = rest {
            l.push(("autres".into(), r));
        }
        l
    };
    let mut cells: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in rows {
        let p = product(r);
        let p = if tp.iter().any(|x| x.0 == p) {
            p
        } else {
            "autres".into()
        };
        let c = if tc.iter().any(|x| x.0 == r.country) {
            r.country.clone()
        } else {
            "autres".into()
        };
        *cells.entry((p, c)).or_default() += r.value;
    }
    let mut flows: Vec<(String, String, i64, bool)> = cells
        .into_iter()
        .filter(|x| x.1 != 0)
        .map(|((p, c), v)| (p, c, v, false))
        .collect();
    let mut named: Vec<usize> = (0..flows.len())
        .filter(|&i| flows[i].0 != "autres" && flows[i].1 != "autres")
        .collect();
    named.sort_by(|&a, &b| {
        flows[b]
            .2
            .cmp(&flows[a].2)
            .then(flows[a].0.cmp(&flows[b].0))
            .then(flows[a].1.cmp(&flows[b].1))
    });
    for &i in named.iter().take(k) {
        flows[i].3 = true;
    }
    Expected {
        total: rows.iter().map(|r| r.value).sum(),
        partners: by_partner,
        top_partners: list(&tc, tc_rest),
        top_products: list(&tp, tp_rest),
        flows,
    }
}

fn list_of(v: &Value) -> Vec<(String, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap().to_owned(),
                x["value_eur"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Whether a DGDDI département code counts in a territory.
type Membership = Box<dyn Fn(&str) -> bool>;

/// Checks every JSON file of OUT against the independent computation.
fn check_all(data: &Path, out: &Path, level: &str, n: usize, k: usize) {
    let rows = read_rows(data);
    let year = rows.iter().map(|r| r.year).max().unwrap();
    let regions = dep_to_region();
    let a17 = a129_to_a17();
    let product: Box<dyn Fn(&Row) -> String> = match level {
        "a129" => Box::new(|r: &Row| r.a129.clone()),
        "cpf4" => Box::new(|r: &Row| r.cpf4.clone()),
        "a17" => Box::new(move |r: &Row| a17[&r.a129].clone()),
        _ => unreachable!(),
    };
    let mut territories: Vec<(String, Membership, Option<String>)> = Vec::new();
    for dep in regions.keys() {
        let d = dep.clone();
        territories.push((
            format!("dep-{dep}"),
            Box::new(move |x: &str| x == d),
            Some(regions[dep].clone()),
        ));
    }
    let region_codes: BTreeSet<String> = regions.values().cloned().collect();
    for reg in &region_codes {
        let (r, m) = (reg.clone(), regions.clone());
        territories.push((
            format!("reg-{reg}"),
            Box::new(move |x: &str| m[x] == r),
            None,
        ));
    }
    territories.push(("fr".into(), Box::new(|_: &str| true), None));
    assert_eq!(territories.len(), 120);
    let files = std::fs::read_dir(out.join("json")).unwrap().count();
    assert_eq!(files, 120);

    let national: BTreeMap<&str, i64> = ["I", "E"]
        .iter()
        .map(|f| {
            (
                *f,
                rows.iter()
                    .filter(|r| r.year == year && r.flow == *f)
                    .map(|r| r.value)
                    .sum(),
            )
        })
        .collect();
    for (key, in_territory, region) in &territories {
        let text = std::fs::read_to_string(out.join("json").join(format!("{key}.json"))).unwrap();
        let fs: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(fs["schema"], "tradeflows.factsheet/1");
        assert_eq!(fs["year"], year);
        assert_eq!(fs["level"], level);
        // Files written by `tradeflows demo` are still demonstration data, and say so.
        assert_eq!(fs["source"]["demo"], true);
        let mut partners: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut tops: BTreeSet<String> = BTreeSet::new();
        for (flow, name) in [("E", "exports"), ("I", "imports")] {
            let mine: Vec<&Row> = rows
                .iter()
                .filter(|r| r.year == year && r.flow == flow && in_territory(&r.dep))
                .collect();
            let e = expected(&mine, &product, n, k);
            let got = &fs[name];
            assert_eq!(
                got["total_eur"].as_i64().unwrap(),
                e.total,
                "{key} {name} total"
            );
            assert_eq!(
                list_of(&got["top_partners"]),
                e.top_partners,
                "{key} {name} top partners"
            );
            assert_eq!(
                list_of(&got["top_products"]),
                e.top_products,
                "{key} {name} top products"
            );
            let flows: Vec<(String, String, i64, bool)> = got["flows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["product"].as_str().unwrap().to_owned(),
                        c["partner"].as_str().unwrap().to_owned(),
                        c["value_eur"].as_i64().unwrap(),
                        c["highlight"].as_bool().unwrap(),
                    )
                })
                .collect();
            assert_eq!(flows, e.flows, "{key} {name} flows");
            // Shares: of the région for départements, of the nation for départements and régions.
            match region {
                Some(reg) => {
                    let reg_total: i64 = rows
                        .iter()
                        .filter(|r| r.year == year && r.flow == flow && &regions[&r.dep] == reg)
                        .map(|r| r.value)
                        .sum();
                    assert_eq!(
                        got["share_of_region"].as_f64().unwrap(),
                        e.total as f64 / reg_total as f64,
                        "{key}"
                    );
                    assert_eq!(fs["territory"]["region"]["code"], reg.as_str());
                }
                None => assert!(got["share_of_region"].is_null(), "{key}"),
            }
            if key == "fr" {
                assert!(got["share_of_nation"].is_null());
            } else {
                assert_eq!(
                    got["share_of_nation"].as_f64().unwrap(),
                    e.total as f64 / national[flow] as f64,
                    "{key}"
                );
            }
            for (c, v) in &e.partners {
                let p = partners.entry(c.clone()).or_default();
                if flow == "I" {
                    p.0 = *v
                } else {
                    p.1 = *v
                }
            }
            tops.extend(
                e.top_partners
                    .iter()
                    .map(|x| x.0.clone())
                    .filter(|c| c != "autres"),
            );
        }
        let mut want: Vec<(String, i64, i64, i64)> = tops
            .iter()
            .map(|c| {
                let (i, e) = partners[c];
                (c.clone(), i, e, e - i)
            })
            .collect();
        want.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then(a.0.cmp(&b.0)));
        let got: Vec<(String, i64, i64, i64)> = fs["partners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["code"].as_str().unwrap().to_owned(),
                    p["imports_eur"].as_i64().unwrap(),
                    p["exports_eur"].as_i64().unwrap(),
                    p["balance_eur"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want, "{key} partners");
    }
}

fn demo_files(scale: &str) -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let (ok, err) = run(&[
        "demo",
        "--out",
        data.path().to_str().unwrap(),
        "--scale",
        scale,
    ]);
    assert!(ok, "{err}");
    data
}

#[test]
fn every_territory_equals_an_independent_computation() {
    let data = demo_files("0.3");
    let d = data.path().to_str().unwrap();
    for (level, top, highlight) in [("a129", "10", "5"), ("a17", "5", "3"), ("cpf4", "10", "5")] {
        let out = tempfile::tempdir().unwrap();
        let o = out.path().to_str().unwrap();
        let (ok, err) = run(&[
            "factsheet",
            "--data",
            d,
            "--all",
            "--format",
            "json",
            "--out",
            o,
            "--level",
            level,
            "--top",
            top,
            "--highlight",
            highlight,
        ]);
        assert!(ok, "{err}");
        assert!(err.contains("wrote 120 factsheets"), "{err}");
        assert!(err.contains("rows read ="), "{err}");
        check_all(
            data.path(),
            out.path(),
            level,
            top.parse().unwrap(),
            highlight.parse().unwrap(),
        );
    }
}

#[test]
fn demo_without_data_is_labelled_and_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let (ok, err) = run(&[
            "factsheet",
            "--territory",
            "22",
            "--territory",
            "reg:53",
            "--territory",
            "fr",
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        assert!(err.contains("demonstration data"), "{err}");
    }
    for key in ["dep-22", "reg-53", "fr"] {
        let x = std::fs::read_to_string(a.path().join("json").join(format!("{key}.json"))).unwrap();
        let y = std::fs::read_to_string(b.path().join("json").join(format!("{key}.json"))).unwrap();
        assert_eq!(x, y);
        let v: Value = serde_json::from_str(&x).unwrap();
        assert_eq!(v["source"]["demo"], true);
        assert!(v["source"]["description"]
            .as_str()
            .unwrap()
            .contains("démonstration"));
    }
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(a.path().join("json/dep-22.json")).unwrap())
            .unwrap();
    assert_eq!(v["territory"]["name"], "Côtes-d'Armor");
    assert_eq!(v["territory"]["region"]["name"], "Bretagne");
    assert_eq!(v["quarters"], serde_json::json!([1, 2, 3, 4]));
}

#[test]
fn aliases_and_bad_arguments() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--territory",
        "2A",
        "--territory",
        "974",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.path().join("json/dep-20.json").exists()
            && out.path().join("json/dep-9D.json").exists()
    );
    for (args, message) in [
        (vec!["factsheet", "--out", o], "no territory"),
        (
            vec!["factsheet", "--territory", "975", "--out", o],
            "invalid territory \"975\"",
        ),
        (
            vec!["factsheet", "--all", "--level", "a99", "--out", o],
            "invalid product level \"a99\"",
        ),
        (
            vec!["factsheet", "--all", "--year", "2019", "--out", o],
            "no regional data for 2019",
        ),
        (
            vec![
                "factsheet",
                "--all",
                "--data",
                "/nonexistent/dir",
                "--out",
                o,
            ],
            "/nonexistent/dir",
        ),
    ] {
        let (ok, err) = run(&args);
        assert!(!ok && err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn strict_by_default_and_skip_mode_writes_the_rejection_report() {
    let data = demo_files("0.05");
    let export = data.path().join("Region_2024_Export.txt");
    let mut text = std::fs::read_to_string(&export).unwrap();
    let good_lines = text.lines().count();
    text.push_str("E;1;2024;22;07;C10A;1011;DE;12x;1\n");
    std::fs::write(&export, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (d, o) = (data.path().to_str().unwrap(), out.path().to_str().unwrap());
    let (ok, err) = run(&["factsheet", "--data", d, "--territory", "22", "--out", o]);
    assert!(!ok);
    assert!(err.contains(&format!("Region_2024_Export.txt, line {}, column 9 (Valeur): not a whole non-negative number (value \"12x\")", good_lines + 1)), "{err}");
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--territory",
        "22",
        "--on-error",
        "skip",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    // Every other data file of the folder (the earlier years, the imports) is read too.
    let others: usize = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("Region_") && name != "Region_2024_Export.txt"
        })
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count())
        .sum();
    let read = good_lines + 1 + others;
    assert!(
        err.contains(&format!(
            "{read} rows read = {} loaded + 1 rejected",
            read - 1
        )),
        "{err}"
    );
    let csv = std::fs::read_to_string(out.path().join("rejected.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().ends_with(&format!(",{},\"column 9 (Valeur): not a whole non-negative number (value \"\"12x\"\")\",E;1;2024;22;07;C10A;1011;DE;12x;1", good_lines + 1)), "{csv}");
}

#[test]
fn svg_and_html_for_every_territory_with_an_index() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--all",
        "--format",
        "json,svg,html",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    let count = |dir: &str| std::fs::read_dir(out.path().join(dir)).unwrap().count();
    assert_eq!(
        (count("json"), count("svg"), count("html")),
        (120, 720, 121)
    );
    for chart in [
        "balance",
        "activities",
        "exports",
        "imports",
        "evolution",
        "exposure",
    ] {
        let svg =
            std::fs::read_to_string(out.path().join(format!("svg/dep-22-{chart}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{chart}"
        );
    }
    let index = std::fs::read_to_string(out.path().join("html/index.html")).unwrap();
    assert!(index.contains("<a href=\"dep-22.html\">Côtes-d'Armor</a>"));
    assert!(index.contains("<a href=\"reg-53.html\">Bretagne</a>"));
    assert!(index.contains("<a href=\"fr.html\">France</a>"));
    assert!(index.contains("<a href=\"dep-22.html\" aria-label=\"Côtes-d'Armor (22)\">"));
    let page = std::fs::read_to_string(out.path().join("html/dep-22.html")).unwrap();
    assert!(
        page.contains("Baie d'Armor Industrie"),
        "the demo list of Territoires d'industrie"
    );
    // The page's totals are the JSON's.
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("json/dep-22.json")).unwrap(),
    )
    .unwrap();
    let total = json["exports"]["total_eur"].as_i64().unwrap();
    let tenths = (total + 50_000) / 100_000;
    let grouped = {
        let d = (tenths / 10).to_string();
        let mut s = String::new();
        for (i, c) in d.chars().enumerate() {
            if i > 0 && (d.len() - i) % 3 == 0 {
                s.push(' ');
            }
            s.push(c);
        }
        s
    };
    assert!(page.contains(&format!(
        "Total des exportations : {grouped}.{} millions d'euros",
        tenths % 10
    )));
}

#[test]
fn territoires_d_industrie_pages() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--territory",
        "ti:ti-9902",
        "--format",
        "json,html",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("json/ti-9902.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["schema"], "tradeflows.ti/1");
    assert_eq!(v["name"], "Dinan Agglomération");
    let deps: Vec<(&str, i64)> = v["departements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["communes"].as_i64().unwrap()))
        .collect();
    assert_eq!(deps, [("22", 10), ("35", 3)]);
    assert_eq!(v["factsheets"][0]["territory"]["code"], "22");
    assert_eq!(v["factsheets"][1]["territory"]["code"], "35");
    let page = std::fs::read_to_string(out.path().join("html/ti-9902.html")).unwrap();
    assert!(page.contains("Dinan Agglomération") && page.contains("Ille-et-Vilaine (35)"));
    let (ok, err) = run(&["factsheet", "--territory", "ti:ti-0000", "--out", o]);
    assert!(!ok && err.contains("ti:ti-0000: not in the list"), "{err}");
    // With real data and no list: said plainly.
    let data = demo_files("0.05");
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        data.path().to_str().unwrap(),
        "--territory",
        "ti:ti-9902",
        "--out",
        o,
    ]);
    assert!(
        !ok && err.contains("no list of Territoires d'industrie"),
        "{err}"
    );
    // A list given with --ti, in ANCT's format with ';'.
    let list = data.path().join("liste-ti-com2023-test.csv");
    std::fs::write(&list, "insee_com;lib_com;id_ti;lib_ti\n29001;A;ti-1;Test\n").unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        data.path().to_str().unwrap(),
        "--territory",
        "ti:ti-1",
        "--out",
        o,
    ]);
    assert!(ok, "the list is found in the data folder: {err}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("json/ti-1.json")).unwrap())
            .unwrap();
    assert_eq!(v["departements"][0]["code"], "29");
}

#[test]
fn only_folders_written_by_demo_are_labelled_demonstration_data() {
    let data = demo_files("0.05");
    let out = tempfile::tempdir().unwrap();
    let (d, o) = (data.path().to_str().unwrap(), out.path().to_str().unwrap());
    let (ok, err) = run(&["factsheet", "--data", d, "--territory", "22", "--out", o]);
    assert!(ok && err.contains("demonstration data"), "{err}");
    std::fs::remove_file(data.path().join("DEMONSTRATION.txt")).unwrap();
    let (ok, err) = run(&["factsheet", "--data", d, "--territory", "22", "--out", o]);
    assert!(ok && !err.contains("demonstration"), "{err}");
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("json/dep-22.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["source"]["demo"], false);
}

#[test]
fn check_reconciles_the_files_and_fails_on_a_discrepancy() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let (ok, err) = run(&["demo", "--out", d, "--scale", "0.1", "--national"]);
    assert!(ok, "{err}");
    let out = Command::new(bin())
        .args(["check", "--data", d])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("ok    départements add up to their régions and to France"));
    assert!(stdout.contains("ok    regional and national files agree"));
    assert!(stdout.contains("no discrepancy"));
    // A row the national file does not have, with codes no label file knows.
    let export = data.path().join("Region_2024_Export.txt");
    let mut text = std::fs::read_to_string(&export).unwrap();
    text.push_str("E;1;2024;22;07;C10A;9999;ZZ;5;1\n");
    std::fs::write(&export, text).unwrap();
    let out = Command::new(bin())
        .args(["check", "--data", d])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        stdout.contains("FAIL  exports 2024 T1: regional file"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL  CPF4 codes unknown to the label files: 9999 (1 rows)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL  country codes unknown to the label files: ZZ (1 rows)"),
        "{stdout}"
    );
    // With a tolerance the 5 € difference passes; the unknown codes still fail.
    let out = Command::new(bin())
        .args(["check", "--data", d, "--tolerance", "0.001"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("regional file") && stdout.contains("CPF4 codes unknown"),
        "{stdout}"
    );
}
