//! What the command line leaves on disk: the JSON of the previous release field for field, no
//! partial file on a full disk or after Ctrl-C, and rows of codes DGDDI's lists do not name
//! loaded, counted and named.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{bin, run};

/// The JSON files of a zip written from the previous release's output.
fn golden(name: &str) -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().to_owned(), text)
        })
        .collect()
}

/// Every field of every factsheet equals the previous release's (release 357c763, whose
/// output on the demonstration data is in `tests/golden/`): the same value, written with the
/// same bytes; while a file has no field the release did not have, the whole file is the
/// same bytes.
#[test]
fn every_json_field_is_the_previous_releases() {
    for (zip, args) in [
        ("demo-2024-a129.zip", vec![]),
        (
            "demo-2024-cpf4-top7-highlight3.zip",
            vec!["--level", "cpf4", "--top", "7", "--highlight", "3"],
        ),
    ] {
        let before = golden(zip);
        assert_eq!(before.len(), 120, "{zip}");
        let out = tempfile::tempdir().unwrap();
        let o = out.path().to_str().unwrap();
        let mut all = vec!["factsheet", "--all", "--format", "json", "--out", o];
        all.extend(args);
        let (ok, err) = run(&all);
        assert!(ok, "{err}");
        for (name, old_text) in &before {
            let new_text = std::fs::read_to_string(out.path().join("json").join(name)).unwrap();
            let (old, new): (Value, Value) = (
                serde_json::from_str(old_text).unwrap(),
                serde_json::from_str(&new_text).unwrap(),
            );
            let (old, new) = (old.as_object().unwrap(), new.as_object().unwrap());
            for (key, value) in old {
                let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap();
                assert_eq!(pretty(&new[key]), pretty(value), "{zip} {name} {key}");
            }
            if new.len() == old.len() {
                assert_eq!(&new_text, old_text, "{zip} {name}");
            }
        }
    }
}

/// Whether a file written by `factsheet` is complete: JSON that parses, SVG and HTML that
/// end as they must.
fn complete(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str::<Value>(&text).is_ok(),
        Some("svg") => text.ends_with("</svg>"),
        Some("html") => text.ends_with("</html>\n"),
        _ => false,
    }
}

/// Every file under `dir`: complete, and no temporary file left.
fn only_complete_files(dir: &Path) -> usize {
    let mut n = 0;
    for sub in ["json", "svg", "html"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "temporary file left: {name}");
            assert!(complete(&path), "{} is not complete", path.display());
            n += 1;
        }
    }
    n
}

/// Whether tests must not skip for want of a tool: in CI, and under `scripts/test`.
fn required() -> bool {
    ["CI", "TRADEFLOWS_REQUIRE_BROWSER"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|x| !x.is_empty() && x != "0" && x != "false"))
}

/// A run on a full disk: a 256 KiB tmpfs as `--out`, mounted in a private mount namespace
/// (`unshare`, from util-linux: no root needed where user namespaces are allowed). The run
/// fails naming the file it could not write, and leaves no truncated file.
#[test]
fn a_full_disk_leaves_no_partial_file() {
    let mnt = tempfile::tempdir().unwrap();
    let copy = tempfile::tempdir().unwrap();
    let script = r#"mount -t tmpfs -o size=256k tmpfs "$1" || exit 99
"$2" factsheet --all --format json,svg,html --out "$1" 2>"$3/stderr"
status=$?
cp -a "$1"/. "$3"/
exit $status"#;
    let status = Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script, "sh"])
        .arg(mnt.path())
        .arg(bin())
        .arg(copy.path())
        .status();
    let code = status.ok().and_then(|s| s.code());
    if matches!(code, None | Some(99)) {
        assert!(!required(), "cannot mount a tmpfs in a user namespace here");
        eprintln!("unshare or tmpfs unavailable: full-disk test skipped");
        return;
    }
    assert_eq!(code, Some(1), "the run must fail on a full disk");
    let stderr = std::fs::read_to_string(copy.path().join("stderr")).unwrap();
    // `error: <OUT>/<dir>/<file>: cannot write: No space left on device (os error 28)`
    let named = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line: {stderr}"));
    assert!(
        named.contains(&mnt.path().display().to_string()) && named.contains("No space left"),
        "{named}"
    );
    let file = named
        .trim_start_matches("error: ")
        .split(": cannot write")
        .next()
        .unwrap();
    assert!(
        [".json", ".svg", ".html"].iter().any(|e| file.ends_with(e)),
        "{named}"
    );
    std::fs::remove_file(copy.path().join("stderr")).unwrap();
    let n = only_complete_files(copy.path());
    assert!(n > 0, "some files fit before the disk was full");
}

/// Ctrl-C during `--all`: the run stops with status 130, saying so, and leaves only complete
/// files. The signal is sent once the first pages are written, while hundreds remain.
#[test]
fn an_interrupted_run_leaves_only_complete_files() {
    let mut interrupted = 0;
    for attempt in 0..5 {
        let out = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin())
            .args(["factsheet", "--all", "--level", "cpf4", "--top", "25"])
            .args(["--format", "json,svg,html", "--out"])
            .arg(out.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let html = out.path().join("html");
        // Wait for a few files, then interrupt.
        loop {
            let n = std::fs::read_dir(&html).map_or(0, |d| d.count());
            if n >= 3 + attempt || start.elapsed() > Duration::from_secs(30) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let kill = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        only_complete_files(out.path());
        match status.code() {
            Some(130) => {
                assert!(stderr.contains("interrupted"), "{stderr}");
                interrupted += 1;
            }
            // The run ended before the signal arrived: nothing to interrupt.
            Some(0) => {}
            other => panic!("unexpected exit {other:?}: {stderr}"),
        }
    }
    assert!(interrupted > 0, "no run was interrupted");
}

/// Real files can hold département and région codes that `Departement_region.txt` does not
/// name (`00`). Such a row loads in strict mode and counts in France's totals, and in its
/// région's when its région code names one; the load summary and `check` name the codes.
#[test]
fn unlisted_departement_codes_load_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let export = "E;1;2024;22;07;C10A;1011;DE;1000;10\n\
                  E;1;2024;00;00;C10A;1011;DE;400;4\n\
                  E;2;2024;0A;07;C10X;1011;BE;25;1\n\
                  E;2;2024;35;07;C29A;2910;ES;300;3\n";
    let import = "I;1;2024;22;07;C10A;1011;DE;50;1\n";
    std::fs::write(dir.path().join("Region_2024_Export.txt"), export).unwrap();
    std::fs::write(dir.path().join("Region_2024_Import.txt"), import).unwrap();
    let out = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = out.path().to_str().unwrap();
    let (ok, err) = run(&[
        "factsheet",
        "--data",
        d,
        "--territory",
        "fr",
        "--territory",
        "reg:53",
        "--territory",
        "22",
        "--format",
        "json",
        "--out",
        o,
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("2 rows, 0.0 M€ for département codes not in DGDDI's list: 00, 0A"),
        "{err}"
    );
    assert!(
        err.contains("1 row, 0.0 M€ for région codes not in DGDDI's list: 00"),
        "{err}"
    );
    assert!(
        err.contains("1 row, 0.0 M€ for A129 codes not in INSEE's table: C10X"),
        "{err}"
    );
    let total = |key: &str| -> i64 {
        let v: Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("json/{key}.json"))).unwrap(),
        )
        .unwrap();
        v["exports"]["total_eur"].as_i64().unwrap()
    };
    // Every row counts in France; `0A` (région 07) in Bretagne; `00` (région 00) in no région.
    assert_eq!(total("fr"), 1000 + 400 + 25 + 300);
    assert_eq!(total("reg-53"), 1000 + 25 + 300);
    assert_eq!(total("dep-22"), 1000);
    let fr: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("json/fr.json")).unwrap())
            .unwrap();
    let products: Vec<&str> = fr["exports"]["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        products,
        ["C10A", "C29A", "C10X"],
        "an unlisted A129 stays itself"
    );

    let out = Command::new(bin())
        .args(["check", "--data", d])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note  2 rows, 0.0 M€ for département codes not in DGDDI's list: 00, 0A"),
        "{text}"
    );
    assert!(
        text.contains("départements add up to their régions and to France"),
        "{text}"
    );
}

/// Run again into the folder of an earlier run, a file whose bytes would not change is left
/// as it is (same inode: not replaced), and one that changes is replaced with what a run
/// into a fresh folder writes.
#[test]
fn a_second_run_replaces_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let args = [
        "factsheet",
        "--territory",
        "22",
        "--territory",
        "fr",
        "--format",
        "json",
        "--out",
        o,
    ];
    let (ok, err) = run(&args);
    assert!(ok, "{err}");
    let file = |key: &str| out.path().join("json").join(format!("{key}.json"));
    let inode = |key: &str| std::fs::metadata(file(key)).unwrap().ino();
    let before = (inode("dep-22"), std::fs::read(file("dep-22")).unwrap());
    let (ok, err) = run(&args);
    assert!(ok, "{err}");
    assert_eq!(inode("dep-22"), before.0);
    assert_eq!(std::fs::read(file("dep-22")).unwrap(), before.1);
    // Another top: every file changes; replaced with a fresh run's bytes.
    let fresh = tempfile::tempdir().unwrap();
    let f = fresh.path().to_str().unwrap();
    for dir in [o, f] {
        let (ok, err) = run(&[
            "factsheet",
            "--territory",
            "22",
            "--territory",
            "fr",
            "--top",
            "7",
            "--format",
            "json",
            "--out",
            dir,
        ]);
        assert!(ok, "{err}");
    }
    assert_ne!(inode("dep-22"), before.0);
    for key in ["dep-22", "fr"] {
        let again = std::fs::read(fresh.path().join("json").join(format!("{key}.json")));
        assert_eq!(std::fs::read(file(key)).unwrap(), again.unwrap(), "{key}");
    }
}
