//! The built-in tables against the official files in `../shared/reference/`: every code of
//! the DGDDI label files is known and rolls up as INSEE's tables say.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::HashMap;
use std::path::PathBuf;

use tradeflows::nomenclature::{LabelFileKind, Labels};
use tradeflows::{Country, Cpf4, Departement, Region, A129};

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference")
}

fn read(rel: &str) -> Vec<u8> {
    let p = reference().join(rel);
    std::fs::read(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (CI puts ../shared beside the clone)", p.display()))
}

fn utf8_lines(rel: &str) -> Vec<Vec<String>> {
    let bytes = read(rel);
    let text = String::from_utf8(bytes).expect("UTF-8");
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_a129_of_the_label_file_is_known_and_rolls_up_as_insee_says() {
    let rows =
        Labels::parse_file("Libelle_A129.txt".as_ref(), &read("dgddi/Libelle_A129.txt")).unwrap();
    assert_eq!(rows.len(), 76);
    let joins = utf8_lines("nomenclature_A129_goods_to_A88_A64_A38_A21_A17_A10.csv");
    let by_code: HashMap<&str, &Vec<String>> =
        joins[1..].iter().map(|r| (r[0].as_str(), r)).collect();
    for row in &rows {
        let a: A129 = row.code.parse().unwrap();
        assert!(a.is_goods(), "{a}");
        assert_eq!(a.label(), row.label, "{a}");
        // The joins file quotes labels with ';', so take its codes from the end.
        let j = by_code[row.code.as_str()];
        let n = j.len();
        let expected = [
            &j[n - 6],
            &j[n - 5],
            &j[n - 4],
            &j[n - 3],
            &j[n - 2],
            &j[n - 1],
        ];
        let got = [
            a.a88().code(),
            a.a64().code(),
            a.a38().code(),
            a.a17().code(),
            a.a21().code(),
            a.a10().code(),
        ];
        assert_eq!(got.map(str::to_owned), expected.map(|s| s.clone()), "{a}");
    }
}

#[test]
fn every_cpf4_of_the_windows_1252_label_file_is_known_with_its_a129() {
    let bytes = read("dgddi/Libelle_CPF4_rev2.1.txt");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is Windows-1252"
    );
    let rows = Labels::parse_file("Libelle_CPF4_rev2.1.txt".as_ref(), &bytes).unwrap();
    assert_eq!(rows.len(), 576);
    let joins = utf8_lines("nomenclature_CPF4_to_A129.csv");
    let a129_of: HashMap<&str, &str> = joins[1..]
        .iter()
        .map(|r| (r[0].as_str(), r.last().map_or("", String::as_str)))
        .collect();
    for row in &rows {
        let c: Cpf4 = row.code.parse().unwrap();
        assert_eq!(c.label(), Some(row.label.as_str()), "{c}");
        let expected = a129_of[row.code.as_str()];
        assert_eq!(
            c.a129().map(|a| a.to_string()).unwrap_or_default(),
            expected,
            "{c}"
        );
    }
    assert_eq!(
        Cpf4::from_bytes(b"0111").unwrap().label(),
        Some("Céréales (à l'exclusion du riz), légumineuses et oléagineux")
    );
    for odd in ["0300", "3100", "4100", "4700", "7200"] {
        let c: Cpf4 = odd.parse().unwrap();
        assert!(c.is_known() && c.a129().is_none(), "{odd}");
    }
}

#[test]
fn every_country_of_the_label_file_is_known_with_the_right_period() {
    let rows =
        Labels::parse_file("Libelle_PAYS.txt".as_ref(), &read("dgddi/Libelle_PAYS.txt")).unwrap();
    assert_eq!(rows.len(), 289);
    for row in &rows {
        let c: Country = row.code.parse().unwrap();
        assert!(c.label(2024).is_some(), "{c}");
    }
    let xs: Country = "XS".parse().unwrap();
    assert_eq!(xs.label(2024), Some("Serbie"));
    assert_eq!(xs.label(2000), Some("Saba"));
    assert_eq!("XK".parse::<Country>().unwrap().label(2024), Some("Kosovo"));
    assert_eq!(
        "QU".parse::<Country>().unwrap().label(2024),
        Some("Pays et territoires non déterminés")
    );
}

#[test]
fn label_files_override_the_builtin_labels_in_all_three_encodings() {
    let mut labels = Labels::builtin();
    for (kind, rel) in [
        (LabelFileKind::A129, "dgddi/Libelle_A129.txt"),
        (LabelFileKind::Cpf4, "dgddi/Libelle_CPF4_rev2.1.txt"),
        (LabelFileKind::Pays, "dgddi/Libelle_PAYS.txt"),
    ] {
        let n = labels.apply_file(kind, rel.as_ref(), &read(rel)).unwrap();
        assert!(n > 70);
    }
    assert_eq!(
        labels.a129("C10A".parse().unwrap()),
        "Viande et produits à base de viande"
    );
    assert_eq!(
        labels.cpf4("0113".parse().unwrap()),
        Some("Légumes et melons, racines et tubercules")
    );
    assert_eq!(labels.country("XS".parse().unwrap(), 2024), Some("Serbie"));
    // A user's own file wins over the built-in label.
    let mine = "C10A;Viandes (libellé local);200901;999912\r\n".as_bytes();
    labels
        .apply_file(LabelFileKind::A129, "Libelle_A129.txt".as_ref(), mine)
        .unwrap();
    assert_eq!(
        labels.a129("C10A".parse().unwrap()),
        "Viandes (libellé local)"
    );
}

#[test]
fn every_departement_of_dgddi_and_insee_maps_to_its_region() {
    let rows = utf8_lines("dgddi/Departement_region.txt");
    assert_eq!(rows.len(), 101);
    for r in &rows {
        let d = Departement::from_dgddi_bytes(r[0].as_bytes()).unwrap();
        assert_eq!(d.region().dgddi_code(), r[2], "{d}");
    }
    let cross = utf8_lines("cog/departements_101_insee_vs_dgddi.csv");
    for r in &cross[1..] {
        let d: Departement = r[0].parse().unwrap();
        assert_eq!(d.code(), r[4], "INSEE {}", r[0]);
        assert_eq!(d.region().code(), r[2], "INSEE {}", r[0]);
        let reg: Region = r[2].parse().unwrap();
        assert_eq!(reg.name(), r[3]);
        assert!(d.insee_codes().contains(&r[0].as_str()));
    }
    assert_eq!(Departement::count(), 101);
    assert_eq!(Region::count(), 18);
    assert_eq!("99".parse::<Departement>().unwrap().region().code(), "93");
}
