//! Readers: both file layouts, zips, harmless variants, positioned errors, skip mode.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::io::Write;
use std::path::Path;

use proptest::prelude::*;
use tradeflows::demo::DemoOptions;
use tradeflows::read::{FileKind, LoadOptions, OnError};
use tradeflows::{Dataset, Error, FactsheetOptions, Flow, Territory};

const EXPORT: &str = "E;1;2024;22;07;C10A;1011;DE;1000;10\n\
                      E;2;2024;22;07;C10A;1011;BE;2000;20\n\
                      E;3;2024;29;07;C10B;1051;DE;500;5\n\
                      E;4;2024;9D;24;C11Z;1101;US;700;7\n";
const IMPORT: &str = "I;1;2024;22;07;C19Z;1920;NO;300;3\n\
                      I;2;2024;99;21;C20B;2042;IT;50;1\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn small(dir: &Path) {
    write(dir, "Region_2024_Export.txt", EXPORT.as_bytes());
    write(dir, "Region_2024_Import.txt", IMPORT.as_bytes());
}

fn all_json(data: &Dataset) -> Vec<String> {
    let cube = data.cube(None, tradeflows::Level::A129).unwrap();
    Territory::all()
        .map(|t| {
            data.factsheet_from(&cube, &t, &FactsheetOptions::default())
                .to_json()
                .unwrap()
        })
        .collect()
}

fn zip(path: &Path, members: &[(&str, &[u8])]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    for (name, bytes) in members {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_small_folder_gives_exact_figures() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path());
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.report().rows_read(), 6);
    let fs = data
        .factsheet(&"22".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert_eq!(fs.exports.total_eur, 3000);
    assert_eq!(fs.exports.share_of_region, Some(3000.0 / 3500.0));
    assert_eq!(fs.exports.share_of_nation, Some(3000.0 / 4200.0));
    assert_eq!(fs.imports.total_eur, 300);
    assert_eq!(
        fs.partners
            .iter()
            .map(|p| (p.code.to_string(), p.balance_eur()))
            .collect::<Vec<_>>(),
        [
            ("BE".into(), 2000),
            ("DE".into(), 1000),
            ("NO".into(), -300)
        ]
    );
    let paca = data
        .factsheet(&"reg:93".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert_eq!(paca.imports.total_eur, 50, "Monaco counts in PACA");
    let reunion = data
        .factsheet(&"reg:04".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert_eq!(reunion.exports.total_eur, 700);
    assert_eq!(fs.quarters, tradeflows::Quarters::ALL);
}

#[test]
fn harmless_variants_load_to_identical_figures() {
    let inputs = tradeflows::demo::generate(&DemoOptions {
        scale: 0.2,
        ..DemoOptions::default()
    });
    let base_dir = tempfile::tempdir().unwrap();
    for i in &inputs {
        write(
            base_dir.path(),
            i.path.file_name().unwrap().to_str().unwrap(),
            i.bytes().unwrap(),
        );
    }
    let base = all_json(&Dataset::load(base_dir.path()).unwrap());
    type Variant = Box<dyn Fn(&[u8]) -> Vec<u8>>;
    let variants: Vec<(&str, Variant)> = vec![
        (
            "crlf",
            Box::new(|b: &[u8]| {
                String::from_utf8_lossy(b)
                    .replace('\n', "\r\n")
                    .into_bytes()
            }),
        ),
        (
            "bom",
            Box::new(|b: &[u8]| [&b"\xEF\xBB\xBF"[..], b].concat()),
        ),
        (
            "no final newline",
            Box::new(|b: &[u8]| b.strip_suffix(b"\n").unwrap().to_vec()),
        ),
        (
            "trailing empty line",
            Box::new(|b: &[u8]| [b, &b"\n\r\n"[..]].concat()),
        ),
    ];
    for (name, f) in variants {
        let dir = tempfile::tempdir().unwrap();
        for i in &inputs {
            write(
                dir.path(),
                i.path.file_name().unwrap().to_str().unwrap(),
                &f(i.bytes().unwrap()),
            );
        }
        assert_eq!(
            all_json(&Dataset::load(dir.path()).unwrap()),
            base,
            "{name}"
        );
    }
    // A zip of the files, and a zip beside its extracted copy (read once).
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<(&str, &[u8])> = inputs
        .iter()
        .map(|i| {
            (
                i.path.file_name().unwrap().to_str().unwrap(),
                i.bytes().unwrap(),
            )
        })
        .collect();
    zip(&dir.path().join("Region_2024.zip"), &members);
    assert_eq!(all_json(&Dataset::load(dir.path()).unwrap()), base, "zip");
    assert_eq!(
        all_json(&Dataset::load(dir.path().join("Region_2024.zip")).unwrap()),
        base,
        "zip given directly"
    );
    write(dir.path(), members[0].0, members[0].1);
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.report().duplicates.len(), 1);
    assert_eq!(all_json(&data), base, "zip and extracted copy");
    // A different copy under the same name is refused, not added twice.
    write(dir.path(), members[0].0, EXPORT.as_bytes());
    let err = Dataset::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("a different copy of this file"), "{err}");
}

/// Loads a folder holding an export file with one bad line; returns the error message.
fn error_for(line: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let bytes = [EXPORT.as_bytes(), line, b"\n"].concat();
    write(dir.path(), "Region_2024_Export.txt", &bytes);
    match Dataset::load(dir.path()) {
        Err(e @ Error::Parse { .. }) => e.to_string(),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn every_malformed_row_names_file_line_field_and_value() {
    let cases: &[(&[u8], &str, &str)] = &[
        (
            b"E;1;2024;22;07;C10A;1011;DE;1000",
            "expected 10 fields separated by ';', found 9",
            "E;1;2024;22;07;C10A;1011;DE;1000",
        ),
        (
            b"E;1;2024;22;07;C10A;1011;DE;;10",
            "column 9 (Valeur): empty value",
            "",
        ),
        (
            b"E;1;2024;22;07;C10A;1011;DE;12a;10",
            "column 9 (Valeur): not a whole non-negative number",
            "12a",
        ),
        (
            b"E;1;2024;22;07;C10A;1011;DE;1;99999999999999999999",
            "column 10 (Masse): too large",
            "99999999999999999999",
        ),
        (
            b"X;1;2024;22;07;C10A;1011;DE;1;1",
            "column 1 (Flux): expected I (import) or E (export)",
            "X",
        ),
        (
            b"I;1;2024;22;07;C10A;1011;DE;1;1",
            "an import row in an export file",
            "I",
        ),
        (
            b"E;5;2024;22;07;C10A;1011;DE;1;1",
            "column 2 (Trimestre): quarter must be 1 to 4",
            "5",
        ),
        (b"E;1;24;22;07;C10A;1011;DE;1;1", "column 3 (Année)", "24"),
        (
            b"E;1;2024;2a;07;C10A;1011;DE;1;1",
            "column 4 (Code département): expected two characters 0-9 or A-Z",
            "2a",
        ),
        (
            b"E;1;2024;00;7;C10A;1011;DE;1;1",
            "column 5 (Code région): expected two digits",
            "7",
        ),
        (
            b"E;1;2024;22;53;C10A;1011;DE;1;1",
            "column 5 (Code région): département 22 belongs to DGDDI région 07",
            "53",
        ),
        (
            b"E;1;2024;22;07;C1OA;1011;DE;1;1",
            "column 6 (Code A129): expected a NAF section letter A–U, two digits and a capital letter",
            "C1OA",
        ),
        (
            b"E;1;2024;22;07;C10A;101;DE;1;1",
            "column 7 (Code CPF4): expected 4 digits",
            "101",
        ),
        (
            b"E;1;2024;22;07;C10A;1011;de;1;1",
            "column 8 (Code Pays): expected two capital letters",
            "de",
        ),
        (
            b"E;1;2024;22;07;C10A;1011;D\xff;1;1",
            "column 8 (Code Pays): invalid UTF-8",
            "D\u{fffd}",
        ),
    ];
    for (line, message, value) in cases {
        let err = error_for(line);
        assert!(err.contains("Region_2024_Export.txt, line 5"), "{err}");
        assert!(err.contains(message), "{err}\n  should say: {message}");
        assert!(err.contains(&format!("(value \"{value}\")")), "{err}");
    }
}

#[test]
fn every_malformed_national_row_names_file_line_field_and_value() {
    let cases: &[(&[u8], &str, &str)] = &[
        (
            b"I;09;2024;01431;A01Z;01012100;AU;1;1;2",
            "column 4 (Code CPF6): expected 6 digits",
            "01431",
        ),
        (
            b"I;09;2024;014310;a01z;01012100;AU;1;1;2",
            "column 5 (Code A129): expected a NAF section letter A–U, two digits and a capital letter",
            "a01z",
        ),
        (
            b"I;09;2024;014310;A01Z;0101210A;AU;1;1;2",
            "column 6 (Code NC8): expected 8 digits",
            "0101210A",
        ),
        (
            b"I;00;2024;014310;A01Z;01012100;AU;1;1;2",
            "column 2 (Mois): month must be 1 to 12",
            "00",
        ),
        (
            b"I;09;2024;014310;A01Z;01012100;AU;1;1;x",
            "column 10 (USUP): not a whole non-negative number",
            "x",
        ),
        (
            b"E;09;2024;014310;A01Z;01012100;AU;1;1;2",
            "an export row in an import file",
            "E",
        ),
    ];
    for (line, message, value) in cases {
        let dir = tempfile::tempdir().unwrap();
        let bytes = [
            &b"I;09;2024;014310;A01Z;01012100;AU;70000;1000;2\n"[..],
            line,
            b"\n",
        ]
        .concat();
        write(dir.path(), "National_2024_Import.txt", &bytes);
        let err = Dataset::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("National_2024_Import.txt, line 2"), "{err}");
        assert!(err.contains(message), "{err}\n  should say: {message}");
        assert!(err.contains(&format!("(value \"{value}\")")), "{err}");
    }
    // The 2012–2015 layout: a file's lines must all have its 8 fields.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "National_2013_Export.txt",
        b"E;1;2013;01012100;BE;438193;9500;19\nE;1;2013;01012100;BE;438193;9500;19;1;1\n",
    );
    let err = Dataset::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("line 2") && err.contains("expected 8 fields separated by ';', found 10"),
        "{err}"
    );
}

#[test]
fn empty_and_binary_files_are_refused() {
    for (bytes, message) in [
        (&b""[..], "empty file"),
        (&b"\r\n\n"[..], "empty file"),
        (&b"PK\x03\x04\x00\x00binary"[..], "binary content"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Region_2024_Import.txt", bytes);
        let err = Dataset::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("Region_2024_Import.txt: ") && err.contains(message),
            "{err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", b"hello");
    assert!(matches!(
        Dataset::load(dir.path()),
        Err(Error::NoData { .. })
    ));
    assert!(matches!(
        Dataset::load(dir.path().join("missing")),
        Err(Error::Io { .. })
    ));
}

#[test]
fn skip_mode_reports_exactly_the_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let bad = format!("{EXPORT}E;9;2024;22;07;C10A;1011;DE;1;1\nE;1;2024;22;07;C10A;1011;DE;x;1\n");
    write(dir.path(), "Region_2024_Export.txt", bad.as_bytes());
    write(dir.path(), "Region_2024_Import.txt", IMPORT.as_bytes());
    let data = Dataset::load_with(
        dir.path(),
        &LoadOptions {
            on_error: OnError::Skip,
        },
    )
    .unwrap();
    let r = data.report();
    assert_eq!(
        (r.rows_read(), r.rows_loaded(), r.rows_rejected()),
        (8, 6, 2)
    );
    assert_eq!(
        r.rejected.iter().map(|x| x.line).collect::<Vec<_>>(),
        [5, 6]
    );
    assert_eq!(r.rejected[0].raw, "E;9;2024;22;07;C10A;1011;DE;1;1");
    let csv = String::from_utf8(r.rejections_csv().unwrap()).unwrap();
    assert!(csv.starts_with("file,line,reason,raw\n"));
    assert!(csv.contains(",5,\"column 2 (Trimestre): quarter must be 1 to 4 (value \"\"9\"\")\",E;9;2024;22;07;C10A;1011;DE;1;1\n"), "{csv}");
    // The good rows give the same figures as the clean file.
    let fs = data
        .factsheet(&"22".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert_eq!(fs.exports.total_eur, 3000);
}

#[test]
fn quarters_file_is_superseded_by_the_annual_file() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path());
    // Five quarters: 2024 T1–T4 (already in the annual file, different provisional values)
    // and 2025 T1.
    let quarters = "E;1;2024;22;07;C10A;1011;DE;999;10\nE;4;2024;22;07;C10A;1011;DE;999;10\nE;1;2025;22;07;C10A;1011;DE;40;1\n";
    write(dir.path(), "REGIONAL_CPF4PAYSE.txt", quarters.as_bytes());
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.report().rows_superseded(), 2);
    assert_eq!(data.years(), [2024, 2025]);
    let fs24 = data.factsheet_from(
        &data.cube(Some(2024), tradeflows::Level::A129).unwrap(),
        &"22".parse().unwrap(),
        &FactsheetOptions::default(),
    );
    assert_eq!(fs24.exports.total_eur, 3000);
    let cube25 = data.cube(None, tradeflows::Level::A129).unwrap();
    assert_eq!(
        (cube25.year(), cube25.quarters()),
        (2025, [1].into_iter().collect())
    );
    assert_eq!(cube25.total(&"22".parse().unwrap(), Flow::Export), 40);
    assert!(data
        .cube(Some(2019), tradeflows::Level::A129)
        .unwrap_err()
        .to_string()
        .contains("no regional data for 2019"));
}

#[test]
fn national_files_in_both_layouts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "National_2024_Import.txt", b"I;09;2024;014310;A01Z;01012100;AU;70000;1000;2\r\nI;10;2024;014310;A01Z;01012100;BE;90750;2585;\r\n");
    zip(
        &dir.path().join("National_2013.zip"),
        &[(
            "National_2013_Export.txt",
            b"E;1;2013;01012100;BE;438193;9500;19\n",
        )],
    );
    let data = Dataset::load(dir.path()).unwrap();
    let rows = data.national().rows();
    assert_eq!(rows.len(), 3);
    let files: Vec<FileKind> = data.report().files.iter().map(|f| f.kind).collect();
    assert!(files.contains(&FileKind::National {
        flow: Flow::Export,
        year: Some(2013)
    }));
    let e = rows.iter().find(|r| r.flow == Flow::Export).unwrap();
    assert_eq!(
        (e.year, e.value, e.cpf6, e.nc8.to_string()),
        (2013, 438_193, None, "01012100".to_string())
    );
    let i: i64 = rows
        .iter()
        .filter(|r| r.flow == Flow::Import)
        .map(|r| r.value)
        .sum();
    assert_eq!(i, 160_750);
    let err = {
        write(
            dir.path(),
            "National_2024_Import.txt",
            b"I;13;2024;014310;A01Z;01012100;AU;70000;1000;2\n",
        );
        Dataset::load(dir.path()).unwrap_err().to_string()
    };
    assert!(
        err.contains("National_2024_Import.txt, line 1, column 2 (Mois)"),
        "{err}"
    );
    // Without a regional file there is no factsheet, said plainly.
    let err = data
        .factsheet(&"fr".parse().unwrap(), &FactsheetOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs the regional file"), "{err}");
}

#[test]
fn label_files_of_the_download_override_the_builtin_labels() {
    let dir = tempfile::tempdir().unwrap();
    small(dir.path());
    let pays = "DE;Allemagne (libellé du fichier);190001;999912\r\n".as_bytes();
    zip(
        &dir.path().join("Libelles.zip"),
        &[("Libelle_PAYS.txt", pays)],
    );
    let data = Dataset::load(dir.path()).unwrap();
    let fs = data
        .factsheet(&"22".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    let de = fs
        .exports
        .top_partners
        .iter()
        .find(|p| p.code.to_string() == "DE")
        .unwrap();
    assert_eq!(de.label, "Allemagne (libellé du fichier)");
    // Belgium is not in that file: the built-in name stays.
    let be = fs
        .exports
        .top_partners
        .iter()
        .find(|p| p.code.to_string() == "BE")
        .unwrap();
    assert_eq!(be.label, "Belgique");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random corruptions of a valid file: every line is loaded or rejected, the rejected
    /// ones are among the corrupted ones, and no input makes the reader panic.
    #[test]
    fn loaded_plus_rejected_is_read(edits in prop::collection::vec((0usize..6, 0usize..40, any::<u8>()), 0..8)) {
        let mut lines: Vec<Vec<u8>> = format!("{EXPORT}E;1;2024;35;07;C29A;2910;ES;77;1\nE;2;2024;56;07;C10B;1051;IT;10;1\n").lines().map(|l| l.as_bytes().to_vec()).collect();
        let mut touched = std::collections::BTreeSet::new();
        for (l, pos, byte) in edits {
            let line = &mut lines[l];
            if byte == b'\n' { continue; }
            let p = pos % (line.len() + 1);
            if byte % 3 == 0 && p < line.len() { line.remove(p); } else { line.insert(p.min(line.len()), byte); }
            touched.insert(l as u64 + 1);
        }
        let text = lines.join(&b'\n');
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Region_2024_Export.txt", &text);
        let strict = Dataset::load(dir.path());
        match Dataset::load_with(dir.path(), &LoadOptions { on_error: OnError::Skip }) {
            Ok(data) => {
                let r = data.report();
                prop_assert_eq!(r.rows_read(), r.rows_loaded() + r.rows_rejected());
                prop_assert_eq!(r.rows_read(), 6);
                prop_assert_eq!(data.regional().len() as u64, r.rows_loaded());
                for rej in &r.rejected { prop_assert!(touched.contains(&rej.line)); }
                prop_assert_eq!(strict.is_ok(), r.rejected.is_empty());
            }
            Err(e) => prop_assert!(matches!(e, Error::File { .. }), "{e}"),
        }
    }
}

#[test]
fn the_real_spread_looks_like_dgddi_files() {
    use tradeflows::demo::Spread;
    let options = |spread| DemoOptions {
        scale: 0.5,
        history: 0,
        national: false,
        spread,
        ..DemoOptions::default()
    };
    // (rows, distinct flow × département × CPF4 × country cells, distinct countries)
    let shape = |spread| {
        let inputs = tradeflows::demo::generate(&options(spread));
        let mut rows = 0usize;
        let mut cells = std::collections::HashSet::new();
        let mut countries = std::collections::HashSet::new();
        for i in &inputs {
            for line in String::from_utf8(i.bytes().unwrap().to_vec())
                .unwrap()
                .lines()
            {
                let f: Vec<&str> = line.split(';').collect();
                rows += 1;
                cells.insert((
                    f[0].to_owned(),
                    f[3].to_owned(),
                    f[6].to_owned(),
                    f[7].to_owned(),
                ));
                countries.insert(f[7].to_owned());
            }
        }
        (rows, cells.len(), countries.len())
    };
    let (rows, cells, countries) = shape(Spread::Real);
    // Real files: every country, about 1.4 M cells for 2 M rows.
    assert!(countries > 200, "{countries} countries");
    let ratio = cells as f64 / rows as f64;
    assert!((0.6..0.8).contains(&ratio), "{cells} cells for {rows} rows");
    let (compact_rows, compact_cells, compact_countries) = shape(Spread::Compact);
    assert_eq!(compact_countries, 70);
    assert!((compact_cells as f64 / compact_rows as f64) < 0.4);
    // Every country written is in the géonomenclature, and the files load.
    let dir = tempfile::tempdir().unwrap();
    for i in tradeflows::demo::generate(&options(Spread::Real)) {
        write(
            dir.path(),
            i.path.file_name().unwrap().to_str().unwrap(),
            i.bytes().unwrap(),
        );
    }
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.regional().len(), rows);
    assert!(data
        .regional()
        .rows()
        .all(|r| r.country.label(2024).is_some()));
}

/// A summary reads each regional file on disk place by place, in pieces shared between
/// threads. Whatever the files hold (sorted or shuffled lines, CRLF ends and a BOM, blank
/// lines at the end, unlisted codes, a five-quarter file set aside by an annual file, a bad
/// line in skip or strict mode), its report, error and factsheets are those of the rows read
/// in file order.
#[test]
fn a_summary_read_in_pieces_equals_the_rows_read_in_order() {
    let inputs = tradeflows::demo::generate(&DemoOptions {
        scale: 1.0,
        history: 1,
        national: false,
        ..Default::default()
    });
    let text = |name: &str| -> String {
        let input = inputs.iter().find(|i| i.path.ends_with(name)).unwrap();
        String::from_utf8(input.bytes().unwrap().to_vec()).unwrap()
    };
    let (export, import) = (
        text("Region_2024_Export.txt"),
        text("Region_2024_Import.txt"),
    );
    let mut shuffled: Vec<&str> = export.lines().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in (1..shuffled.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        shuffled.swap(i, (state >> 33) as usize % (i + 1));
    }
    let shuffled = shuffled.join("\n") + "\n";
    let crlf = format!(
        "\u{feff}{}\r\n\r\n",
        import.trim_end().replace('\n', "\r\n")
    );
    // Unlisted codes at the start of a quarter's block and in the middle of a place's.
    let middle = import.len() / 2 + import[import.len() / 2..].find('\n').unwrap() + 1;
    let unlisted = format!(
        "{}I;2;2024;9Z;99;C20B;2042;IT;50;1\nI;3;2024;22;07;C99Z;2042;IT;70;1\n{}",
        &import[..middle],
        &import[middle..]
    );
    let bad = format!(
        "{}I;2;2024;22;07;C20B;2042;IT;5x;1\n{}",
        &import[..middle],
        &import[middle..]
    );
    let quarters: String = export
        .lines()
        .filter(|l| l.starts_with("E;4;"))
        .map(|l| format!("{l}\n"))
        .collect();
    let cases: [(&str, &str, Option<&str>); 5] = [
        (&export, &import, None),
        (&shuffled, &crlf, None),
        (&export, &unlisted, Some(&quarters)),
        (&export, &bad, None),
        (&shuffled, &bad, Some(&quarters)),
    ];
    for (k, (export, import, quarters)) in cases.into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Region_2024_Export.txt", export.as_bytes());
        write(dir.path(), "Region_2024_Import.txt", import.as_bytes());
        write(
            dir.path(),
            "Region_2023_Export.txt",
            text("Region_2023_Export.txt").as_bytes(),
        );
        if let Some(q) = quarters {
            write(dir.path(), "REGIONAL_CPF4PAYSE.txt", q.as_bytes());
        }
        // The product level: the A129 codes, the CPF4 codes (each row's own), a coarser one.
        let levels = [
            tradeflows::Level::A129,
            tradeflows::Level::Cpf4,
            tradeflows::Level::A17,
        ];
        for on_error in [OnError::Skip, OnError::Fail] {
            let options = LoadOptions { on_error };
            let rows = Dataset::load_with(dir.path(), &options);
            for level in levels {
                let summary = tradeflows::Summary::load(dir.path(), &options, level, None);
                let (rows, summary) = match (&rows, summary) {
                    (Ok(r), Ok(s)) => (r, s),
                    (Err(a), Err(b)) => {
                        assert_eq!(a.to_string(), b.to_string(), "case {k}");
                        assert!(
                            a.to_string().contains("Region_2024_Import.txt, line "),
                            "{a}"
                        );
                        continue;
                    }
                    (a, b) => panic!("case {k}: {:?} / {:?}", a.as_ref().err(), b.err()),
                };
                assert_eq!(summary.report(), rows.report(), "case {k}");
                let r = summary.report();
                match k {
                    2 => assert_eq!((r.unlisted.len(), r.rows_superseded() > 0), (3, true)),
                    3 | 4 => assert_eq!(
                        r.rejected.iter().map(|x| x.line).collect::<Vec<_>>(),
                        [import[..middle].lines().count() as u64 + 1]
                    ),
                    _ => assert!(r.rejected.is_empty() && r.unlisted.is_empty()),
                }
                let (a, b) = (
                    rows.cube(None, level).unwrap(),
                    summary.cube(None, level).unwrap(),
                );
                // Every territory at the A129 level; the régions and France (the sums of
                // every place) at the others.
                let territories = Territory::all().filter(|t| {
                    level == tradeflows::Level::A129
                        || matches!(t, Territory::France | Territory::Region(_))
                });
                for t in territories {
                    let options = FactsheetOptions::default();
                    assert_eq!(
                        rows.factsheet_from(&a, &t, &options),
                        summary.factsheet_from(&b, &t, &options),
                        "case {k} {t} {level}"
                    );
                }
            }
        }
    }
}
