//! The house style, checked: small named functions in every crate's sources, a thin command
//! line, and a repository that reads nothing outside itself.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

/// The longest a function may be, in lines (tests aside).
const MAX_FUNCTION: usize = 100;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The sources of every crate, without their `#[cfg(test)] mod tests`.
fn sources() -> Vec<(PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(repo().join("crates")).unwrap() {
        rust_files(&krate.unwrap().path().join("src"), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if let Some(i) = lines
                .windows(2)
                .position(|w| w[0] == "#[cfg(test)]" && w[1].starts_with("mod tests"))
            {
                lines.truncate(i);
            }
            (p, lines)
        })
        .collect()
}

/// The functions of rustfmt-formatted source: (name, first line, length in lines). A
/// function ends at the first line that closes at its own indentation.
fn functions(lines: &[String]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let head = [
            "pub fn ",
            "pub(crate) fn ",
            "fn ",
            "pub(super) fn ",
            "const fn ",
        ]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p));
        let Some(rest) = head else { continue };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (a trait's) ends with `;` before any `{`.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

#[test]
fn no_function_is_over_a_hundred_lines() {
    let mut long = Vec::new();
    let mut count = 0;
    for (path, lines) in sources() {
        for (name, line, n) in functions(&lines) {
            count += 1;
            if n > MAX_FUNCTION {
                long.push(format!("{}:{line} {name}: {n} lines", path.display()));
            }
        }
    }
    assert!(count > 300, "the scanner found only {count} functions");
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_scanner_measures_functions() {
    let text = "fn a() {\n    x();\n}\n\nimpl T {\n    pub fn b(\n        y: u8,\n    ) -> u8 {\n        y\n    }\n    fn c(&self);\n}\n";
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert_eq!(
        functions(&lines),
        [("a".to_owned(), 1, 3), ("b".to_owned(), 6, 5)]
    );
}

#[test]
fn the_command_line_is_thin() {
    let main = std::fs::read_to_string(repo().join("crates/tradeflows-cli/src/main.rs")).unwrap();
    let n = main.lines().count();
    assert!(n < 400, "crates/tradeflows-cli/src/main.rs has {n} lines");
}

#[test]
fn nothing_reads_outside_the_repository() {
    let mut files = Vec::new();
    for dir in ["crates", "examples", "benches", "python"] {
        let d = repo().join(dir);
        if d.is_dir() {
            let mut rs = Vec::new();
            rust_files(&d, &mut rs);
            files.extend(rs);
        }
    }
    for extra in [
        "README.md",
        "scripts/test",
        "scripts/test-python",
        ".ci/run",
    ] {
        files.push(repo().join(extra));
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // Built so that this file does not name it itself.
        let shared = ["..", "shared"].join("/");
        assert!(
            !text.contains(&shared),
            "{} refers to {shared}",
            path.display()
        );
    }
}
