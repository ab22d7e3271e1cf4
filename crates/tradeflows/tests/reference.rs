//! The built-in tables against the official files in `reference/` (committed copies, see reference/PROVENANCE.md): every code of
//! the DGDDI label files is known and rolls up as INSEE's tables say.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::HashMap;
use std::path::PathBuf;

use tradeflows::nomenclature::{LabelFileKind, Labels};
use tradeflows::{Country, Cpf4, Departement, Region, Zone, A129};

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../reference")
}

fn read(rel: &str) -> Vec<u8> {
    let p = reference().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the reference files are committed under reference/)",
            p.display()
        )
    })
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
        assert_eq!(a.label(), Some(row.label.as_str()), "{a}");
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
            a.a88().unwrap().code(),
            a.a64().unwrap().code(),
            a.a38().unwrap().code(),
            a.a17().unwrap().code(),
            a.a21().unwrap().code(),
            a.a10().unwrap().code(),
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
fn every_country_of_the_label_file_has_a_zone_and_design_md_s_exceptions_hold() {
    let rows =
        Labels::parse_file("Libelle_PAYS.txt".as_ref(), &read("dgddi/Libelle_PAYS.txt")).unwrap();
    let mut by_zone: HashMap<Zone, usize> = HashMap::new();
    for row in &rows {
        let c: Country = row.code.parse().unwrap();
        let zone = c.listed_zone();
        assert!(zone.is_some(), "{c} ({}) has no zone", row.label);
        assert_eq!(zone, Some(c.zone()));
        *by_zone.entry(c.zone()).or_default() += 1;
    }
    assert_eq!(by_zone.len(), 7, "every zone has countries: {by_zone:?}");
    let zone = |c: &str| c.parse::<Country>().unwrap().zone();
    // DESIGN.md §4: the EU of 27 for every year, FR (French goods returned) included, and the
    // United Kingdom outside it even for 2019.
    let eu27 = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK";
    for c in eu27.split(' ') {
        assert_eq!(zone(c), Zone::Ue27, "{c}");
        assert!(c.parse::<Country>().unwrap().in_eu_on(2024, 6, 30), "{c}");
    }
    let members = rows.iter().filter(|r| zone(&r.code) == Zone::Ue27);
    let current: Vec<&str> = members
        .map(|r| r.code.as_str())
        .filter(|c| eu27.contains(c))
        .collect();
    assert_eq!(current.len(), 27);
    for (codes, z) in [
        ("GB XI XK XS", Zone::EuropeHorsUe),
        ("XC XL", Zone::Afrique),
        ("TW", Zone::Asie),
        ("EU AQ QP QQ QR QS QT QU QV QW QY QZ", Zone::NonDetermine),
        // And a few of each continent.
        ("CH NO RU UA ME", Zone::EuropeHorsUe),
        ("MA DZ ZA NG EG", Zone::Afrique),
        ("US CA BR MX GF GP MQ", Zone::Amerique),
        ("CN JP IN KR QA TR CY", Zone::Asie),
        ("AU NZ NC PF", Zone::Oceanie),
    ] {
        for c in codes.split(' ') {
            let want = if c == "CY" { Zone::Ue27 } else { z };
            assert_eq!(zone(c), want, "{c}");
        }
    }
    let gb: Country = "GB".parse().unwrap();
    assert!(gb.in_eu_on(2019, 12, 31) && !gb.in_eu_on(2020, 2, 1));
    assert!(!"AT".parse::<Country>().unwrap().in_eu_on(1994, 12, 31));
    assert!("AT".parse::<Country>().unwrap().in_eu_on(1995, 1, 1));
    let hr: Country = "HR".parse().unwrap();
    assert!(!hr.in_euro_area_on(2022, 12, 31) && hr.in_euro_area_on(2023, 1, 1));
    assert!(!"DK"
        .parse::<Country>()
        .unwrap()
        .in_euro_area_on(2024, 6, 30));
    assert!(!gb.in_eu_on(2024, 2, 30), "an impossible date");
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
        Some("Viande et produits à base de viande")
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
        Some("Viandes (libellé local)")
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

/// DGDDI's own rows, as printed in its description of the files, loaded through the readers:
/// the figures are those DGDDI reads in them.
#[test]
fn dgddi_official_sample_rows_give_dgddis_figures() {
    let text = String::from_utf8(read("dgddi/official_sample_rows.txt")).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let (national, regional): (Vec<&str>, Vec<&str>) = rows.iter().partition(|l| {
        l.split(';').count() == 10 && l.split(';').nth(5).is_some_and(|f| f.len() == 8)
    });
    assert_eq!((national.len(), regional.len()), (4, 4));
    let dir = std::env::temp_dir().join(format!("tradeflows-sample-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, lines: Vec<&str>| {
        std::fs::write(dir.join(name), lines.join("\n") + "\n").unwrap();
    };
    fn of<'a>(lines: &[&'a str], flow: char) -> Vec<&'a str> {
        lines
            .iter()
            .copied()
            .filter(|l| l.starts_with(flow))
            .collect()
    }
    write("Region_2018_Import.txt", of(&regional, 'I'));
    write("Region_2018_Export.txt", of(&regional, 'E'));
    write("National_2018_Import.txt", of(&national, 'I'));
    write("National_2018_Export.txt", of(&national, 'E'));
    let data = tradeflows::Dataset::load(&dir).unwrap();
    assert_eq!(data.report().rows_loaded(), 8);

    // "import in Q3 2018 of CPF4 0111 (A129 A01Z) from AR into département 01 (DGDDI région
    // 18), 52 euros, 11 kg" and "export … to BE from département 01, 406 473 euros, 1 210 935 kg".
    let row = |flow: tradeflows::Flow, country: &str| {
        data.regional()
            .rows()
            .find(|r| r.flow == flow && r.country.code() == country)
            .unwrap()
    };
    let ar = row(tradeflows::Flow::Import, "AR");
    assert_eq!(
        (
            ar.quarter,
            ar.year,
            ar.place.code(),
            ar.place.dgddi_region_code(),
            ar.value,
            ar.mass
        ),
        (3, 2018, "01", "18", 52, 11)
    );
    assert_eq!(
        (ar.a129.to_string(), ar.cpf4.to_string()),
        ("A01Z".into(), "0111".into())
    );
    let be = row(tradeflows::Flow::Export, "BE");
    assert_eq!((be.value, be.mass), (406_473, 1_210_935));
    // Département 01 is in Auvergne-Rhône-Alpes (INSEE 84, DGDDI 18).
    assert_eq!(ar.place.region().map(|r| r.code()), Some("84"));

    // "import in September 2018 of NC8 01012100 (CPF6 014310, A129 A01Z) from AU, 70 000
    // euros, 1 000 kg, 2 supplementary units".
    let au = data
        .national()
        .rows()
        .iter()
        .find(|r| r.country.code() == "AU")
        .unwrap();
    assert_eq!(
        (
            au.month,
            au.year,
            au.nc8.to_string(),
            au.value,
            au.mass,
            au.usup
        ),
        (9, 2018, "01012100".to_owned(), 70_000, 1_000, 2)
    );
    assert_eq!(au.cpf6.map(|c| c.to_string()), Some("014310".into()));

    // The totals of the factsheet of département 01 are the sums of its rows.
    let fs = data
        .factsheet(&"01".parse().unwrap(), &Default::default())
        .unwrap();
    assert_eq!(fs.imports.total_eur, 52 + 29_916);
    assert_eq!(fs.exports.total_eur, 406_473 + 11_228);
    assert_eq!(fs.exports.share_of_nation, Some(1.0));
    std::fs::remove_dir_all(&dir).unwrap();
}
