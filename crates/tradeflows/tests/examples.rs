//! Every example of `examples/` runs on the demonstration data and prints the figures the
//! library computes (so no example rots).
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::PathBuf;
use std::process::Command;

use tradeflows::page::totals_sentences;
use tradeflows::{Dataset, FactsheetOptions, Flow, Level, Territory};

/// Runs a compiled example (cargo test builds them into target/<profile>/examples).
fn run(name: &str, args: &[&str]) -> String {
    let exe = std::env::current_exe().unwrap();
    let dir: PathBuf = exe.parent().unwrap().parent().unwrap().join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let out = Command::new(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn data() -> Dataset {
    Dataset::demo().unwrap()
}

#[test]
fn departement_factsheet() {
    let out = run("departement_factsheet", &[]);
    let fs = data()
        .factsheet(&"22".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert!(out.contains("Côtes-d'Armor (2024)"));
    for flow in Flow::ALL {
        for sentence in totals_sentences(&fs, flow) {
            assert!(out.contains(&sentence), "{sentence}\n{out}");
        }
    }
    assert!(out.contains("démonstration"));
}

#[test]
fn top_partners() {
    let out = run("top_partners", &[]);
    let cube = data().cube(None, Level::A10).unwrap();
    let bretagne: Territory = "reg:53".parse().unwrap();
    assert!(out.contains("Bretagne (53)"));
    for flow in Flow::ALL {
        let tf = cube.flows(&bretagne, flow);
        assert!(out.contains(&format!("total {} €", tf.total())));
        let (first, value) = tf.top_partners(10).named[0];
        assert!(out.contains(&format!("{first}  ")) && out.contains(&value.to_string()));
    }
    assert!(out.contains("balance €"));
}

#[test]
fn compare_territories() {
    let out = run("compare_territories", &[]);
    let d = data();
    for dep in ["22", "29"] {
        let fs = d
            .factsheet(&dep.parse().unwrap(), &FactsheetOptions::default())
            .unwrap();
        assert!(
            out.contains(&format!("{} €", fs.exports.total_eur)),
            "{dep}\n{out}"
        );
        assert!(out.contains(&fs.exports.top_products[0].code.to_string()));
    }
    assert!(out.contains("[C1 Fabrication de denrées alimentaires"));
}

#[test]
fn rollup() {
    let out = run("rollup", &[]);
    let total = data()
        .cube(None, Level::A17)
        .unwrap()
        .total(&Territory::France, Flow::Export);
    for level in ["a129", "a38", "a17"] {
        assert!(
            out.contains(&format!("France, exports by {level}")),
            "{level}"
        );
    }
    assert_eq!(out.matches(&format!("total {total} €")).count(), 3);
    assert!(out.contains("→ A17"));
}

#[test]
fn national_nc8() {
    let out = run("national_nc8", &[]);
    let d = data();
    let year = d.latest_year().unwrap();
    let total: i64 = d
        .national()
        .rows()
        .iter()
        .filter(|r| r.flow == Flow::Export && r.year == year)
        .map(|r| r.value)
        .sum();
    assert!(out.contains(&format!("total {total} €")), "{out}");
    // The national demo file gives the same totals as the regional one.
    let regional = d
        .cube(None, Level::A10)
        .unwrap()
        .total(&Territory::France, Flow::Export);
    assert_eq!(total, regional);
    assert!(out.contains("CPF6") && out.contains("A129"));
}

#[test]
fn examples_take_a_folder_of_real_files() {
    let dir = tempfile::tempdir().unwrap();
    tradeflows::demo::write(
        dir.path(),
        &tradeflows::demo::DemoOptions {
            scale: 0.1,
            ..Default::default()
        },
    )
    .unwrap();
    let out = run(
        "departement_factsheet",
        &[dir.path().to_str().unwrap(), "974"],
    );
    assert!(out.contains("La Réunion"));
    assert!(
        out.contains("démonstration"),
        "demonstration files stay labelled as such"
    );
    let out = run("top_partners", &[dir.path().to_str().unwrap(), "84"]);
    assert!(out.contains("Auvergne-Rhône-Alpes (84)"));
}
