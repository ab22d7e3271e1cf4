//! Helpers shared by the command line's tests: the binary, and the reference files read with
//! plain code (nothing here uses the library).
#![allow(dead_code, clippy::unwrap_used)] // each test file uses some of them

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tradeflows")
}

/// A reference file committed under `reference/`, BOM and CR removed.
pub fn reference(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../reference")
        .join(rel);
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    s.trim_start_matches('\u{feff}').replace('\r', "")
}

/// Runs the command line: whether it succeeded, and its stderr.
pub fn run(args: &[&str]) -> (bool, String) {
    let out = Command::new(bin()).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// DGDDI département → INSEE région, from the crosswalk (Monaco `99` counts in PACA `93`).
pub fn dep_to_region() -> BTreeMap<String, String> {
    let mut m: BTreeMap<String, String> = reference("cog/departements_101_insee_vs_dgddi.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[4].to_owned(), f[2].to_owned())
        })
        .collect();
    m.insert("99".into(), "93".into());
    m
}

/// A129 → A17, from the derived join in the reference folder (codes at the end of the line).
pub fn a129_to_a17() -> BTreeMap<String, String> {
    reference("nomenclature_A129_goods_to_A88_A64_A38_A21_A17_A10.csv")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[0].to_owned(), f[f.len() - 3].to_owned())
        })
        .collect()
}
