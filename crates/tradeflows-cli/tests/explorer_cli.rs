//! The explorer (`--all --format html` writes `html/index.html`): its structure is DESIGN.md
//! §4's contract, its figures are the JSON factsheets', it is offline and small. (The page
//! is driven in a real browser by `python/tests/test_explorer.py`.)
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

mod common;
use common::run;

/// The attribute values of every `attr="…"` in `text`.
fn attrs<'a>(text: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    text.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &text[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Millions as the pages write them (`1 400.3`).
fn millions(eur: i64) -> String {
    let tenths = (eur.unsigned_abs() + 50_000) / 100_000;
    let whole = (tenths / 10).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let sign = if eur < 0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{}", tenths % 10)
}

#[test]
fn the_explorer_has_the_map_the_selector_and_the_table_of_every_territory() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let (ok, err) = run(&["demo", "--out", d, "--scale", "0.3"]);
    assert!(ok, "{err}");
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let args = [
        "factsheet",
        "--data",
        d,
        "--all",
        "--format",
        "json,html",
        "--out",
        o,
    ];
    let (ok, err) = run(&args);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(out.path().join("html/index.html")).unwrap();

    // Offline and small.
    assert!(page.len() < 1_500_000, "{} bytes", page.len());
    assert!(!page.contains("<link") && !page.contains(" src="));
    let without_ns = page.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));

    // The map: 100 outlines, one per DGDDI département but Monaco, each linked to its page.
    assert_eq!(page.matches("<svg id=\"map\"").count(), 1);
    let codes: Vec<&str> = attrs(&page, "data-code");
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!((codes.len(), unique.len()), (100, 100));
    assert!(unique.contains("20") && unique.contains("9E") && !unique.contains("99"));
    for code in &unique {
        assert!(
            page.contains(&format!("<a href=\"dep-{code}.html\"")),
            "{code}"
        );
    }
    assert!(page.contains("IGN — via france-geojson"));

    // The selector, its options in DESIGN.md's order, a legend for each.
    assert!(page.contains("<select id=\"indicator\">"));
    let options = [
        "exports", "imports", "balance", "coverage", "growth", "extra_eu", "us",
    ];
    assert_eq!(attrs(&page, "value"), options);
    assert_eq!(attrs(&page, "data-indicator"), options);
    assert!(page.contains("<input id=\"search\" type=\"search\""));

    // The table: 120 rows, the columns of the contract, each sortable.
    assert_eq!(
        attrs(&page, "data-col"),
        ["name", "exports", "imports", "balance", "coverage", "growth", "partner"]
    );
    assert_eq!(attrs(&page, "aria-sort").len(), 7);
    let keys = attrs(&page, "data-key");
    assert_eq!(keys.len(), 120);
    assert_eq!(keys[0], "fr");

    // Every row's figures are its JSON factsheet's.
    for key in &keys {
        let fs: Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("json/{key}.json"))).unwrap(),
        )
        .unwrap();
        let start = page.find(&format!("<tr data-key=\"{key}\"")).unwrap();
        let row = &page[start..start + page[start..].find("</tr>").unwrap()];
        let values = attrs(row, "data-value");
        let exports = fs["exports"]["total_eur"].as_i64().unwrap();
        let imports = fs["imports"]["total_eur"].as_i64().unwrap();
        assert_eq!(values[1].parse::<i64>().unwrap(), exports, "{key}");
        assert_eq!(values[2].parse::<i64>().unwrap(), imports, "{key}");
        assert_eq!(
            values[3].parse::<i64>().unwrap(),
            exports - imports,
            "{key}"
        );
        assert!(
            row.contains(&format!(">{}</td>", millions(exports))),
            "{key}"
        );
        let coverage = values[4].parse::<f64>().unwrap();
        assert_eq!(coverage, exports as f64 / imports as f64, "{key}");
        let growth = fs["change"]["exports"]["growth"].as_f64().unwrap();
        assert_eq!(values[5].parse::<f64>().unwrap(), growth, "{key}");
        assert_eq!(
            values[6],
            fs["partners"][0]["label"].as_str().unwrap(),
            "{key}"
        );
    }

    // The script's data: a fill and a value for every outline and indicator; the values are
    // the factsheets'.
    let start = page
        .find("<script type=\"application/json\" id=\"explorer-data\">")
        .unwrap();
    let json = &page[page[start..].find('>').unwrap() + start + 1..];
    let json = &json[..json.find("</script>").unwrap()];
    let data: Value = serde_json::from_str(json).unwrap();
    for option in options {
        let ind = &data["indicators"][option];
        assert_eq!(ind["fill"].as_object().unwrap().len(), 100, "{option}");
        for code in &unique {
            assert!(
                ind["fill"][*code].as_str().unwrap().starts_with('#'),
                "{option} {code}"
            );
        }
    }
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    for code in &unique {
        let fs: Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("json/dep-{code}.json"))).unwrap(),
        )
        .unwrap();
        let exports = fs["exports"]["total_eur"].as_i64().unwrap();
        texts.insert(code, format!("{} M€", millions(exports)));
        let us = fs["exposure"]["exports"]["watch"][0]["share"].as_f64();
        let got = data["indicators"]["us"]["text"][*code].as_str();
        assert_eq!(
            got.map(str::to_owned),
            us.map(|s| format!("{:.1}%", s * 100.0)),
            "{code}"
        );
    }
    for (code, text) in texts {
        assert_eq!(data["indicators"]["exports"]["text"][code], text.as_str());
    }
    assert_eq!(data["names"]["22"], "Côtes-d'Armor");
}

#[test]
fn the_us_column_does_not_depend_on_the_countries_watched() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--all",
        "--format",
        "json,html",
        "--watch",
        "JP",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(out.path().join("html/index.html")).unwrap();
    let base = tempfile::tempdir().unwrap();
    let b = base.path().to_str().unwrap();
    let (ok, err) = run(&["factsheet", "--all", "--format", "html", "--out", b]);
    assert!(ok, "{err}");
    let default = std::fs::read_to_string(base.path().join("html/index.html")).unwrap();
    let us = |p: &str| -> Value {
        let start = p.find("id=\"explorer-data\">").unwrap() + "id=\"explorer-data\">".len();
        let data: Value =
            serde_json::from_str(&p[start..start + p[start..].find("</script>").unwrap()]).unwrap();
        data["indicators"]["us"].clone()
    };
    assert_eq!(us(&page), us(&default));
    assert!(us(&page)["text"]["22"].as_str().unwrap().ends_with('%'));
}
