//! Fuzzing with proptest: arbitrary bytes into the readers and arbitrary strings into every
//! code parser never panic, and the readers account for every line they read.
//!
//! `.ci/run` runs the default number of cases; a long run is
//! `PROPTEST_CASES=200000 cargo test --release -p tradeflows --test fuzz`. Failures found are
//! kept by proptest in `proptest-regressions/fuzz.txt` and replayed first on every run.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use proptest::prelude::*;
use tradeflows::read::{FileKind, Input, LoadOptions, OnError};
use tradeflows::{
    Country, Cpf4, Cpf6, Dataset, Departement, Flow, Level, Nc8, Origin, Region, Territory, A10,
    A129, A17, A21, A38, A64, A88,
};

const VALID: &str = "E;1;2024;22;07;C10A;1011;DE;1000;10\nE;2;2024;9D;24;C11Z;1101;US;700;7\n";

/// Bytes that look like DGDDI lines more often than pure noise does.
fn dgddi_like() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just(b"E".to_vec()),
        Just(b"I".to_vec()),
        Just(b"2024".to_vec()),
        Just(b"22".to_vec()),
        Just(b"07".to_vec()),
        Just(b"C10A".to_vec()),
        Just(b"1011".to_vec()),
        Just(b"DE".to_vec()),
        prop::collection::vec(b'0'..=b'9', 0..22),
        prop::collection::vec(any::<u8>(), 0..6),
    ];
    let line = prop::collection::vec(field, 0..13).prop_map(|fields| fields.join(&b';'));
    prop::collection::vec(line, 0..20).prop_map(|lines| {
        let mut out = lines.join(&b'\n');
        out.push(b'\n');
        out
    })
}

fn kinds() -> impl Strategy<Value = FileKind> {
    prop_oneof![
        Just(FileKind::Regional {
            flow: Flow::Export,
            year: Some(2024)
        }),
        Just(FileKind::Regional {
            flow: Flow::Import,
            year: None
        }),
        Just(FileKind::National {
            flow: Flow::Export,
            year: Some(2024)
        }),
        Just(FileKind::National {
            flow: Flow::Import,
            year: None
        }),
        Just(FileKind::Labels(
            tradeflows::nomenclature::LabelFileKind::Pays
        )),
        Just(FileKind::Labels(
            tradeflows::nomenclature::LabelFileKind::Cpf4
        )),
    ]
}

/// Loads the bytes in both modes; checks the accounting; never panics.
fn load(kind: FileKind, bytes: Vec<u8>) {
    let mut inputs = vec![Input::from_bytes("x/Region_2024_Export.txt", kind, bytes)];
    if matches!(kind, FileKind::Labels(_)) {
        inputs.push(Input::from_bytes(
            "x/Region_2024_Export.txt",
            FileKind::Regional {
                flow: Flow::Export,
                year: Some(2024),
            },
            VALID.as_bytes().to_vec(),
        ));
    }
    let strict = Dataset::from_inputs(&inputs, &LoadOptions::default(), Origin::Demo);
    let skip = Dataset::from_inputs(
        &inputs,
        &LoadOptions {
            on_error: OnError::Skip,
        },
        Origin::Demo,
    );
    if let Ok(d) = &skip {
        let r = d.report();
        assert_eq!(
            r.rows_read(),
            r.rows_loaded() + r.rows_rejected() + r.rows_superseded()
        );
        assert_eq!(r.rejected.len() as u64, r.rows_rejected());
        assert_eq!(
            (d.regional().len() + d.national().len()) as u64,
            r.rows_loaded()
        );
        // Strict succeeds exactly when nothing was rejected.
        assert_eq!(strict.is_ok(), r.rows_rejected() == 0, "{strict:?}");
        // And whatever loaded gives factsheets that keep their totals.
        if let Ok(cube) = d.cube(None, Level::A129) {
            for t in [Territory::France, "22".parse().unwrap()] {
                let fs = d.factsheet_from(&cube, &t, &Default::default());
                assert_eq!(
                    fs.exports
                        .top_partners
                        .iter()
                        .map(|p| p.value_eur)
                        .sum::<i64>(),
                    fs.exports.total_eur
                );
            }
        }
    }
    if let Err(e) = &strict {
        assert!(!e.to_string().is_empty());
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_readers(kind in kinds(), bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        load(kind, bytes);
    }

    #[test]
    fn dgddi_like_bytes_never_panic_the_readers(kind in kinds(), bytes in dgddi_like()) {
        load(kind, bytes);
    }

    #[test]
    fn corrupted_valid_files_are_accounted_for(bytes in dgddi_like(), cut in 0usize..80) {
        let mut text = VALID.as_bytes().to_vec();
        text.truncate(cut.min(text.len()));
        text.extend_from_slice(&bytes);
        load(FileKind::Regional { flow: Flow::Export, year: Some(2024) }, text);
    }

    #[test]
    fn code_parsers_never_panic(s in "\\PC{0,12}", raw in prop::collection::vec(any::<u8>(), 0..12)) {
        let _ = (s.parse::<Cpf4>(), s.parse::<Cpf6>(), s.parse::<Nc8>(), s.parse::<Country>());
        let _ = (s.parse::<A129>(), s.parse::<A88>(), s.parse::<A64>(), s.parse::<A38>());
        let _ = (s.parse::<A21>(), s.parse::<A17>(), s.parse::<A10>(), s.parse::<Level>());
        let _ = (s.parse::<Departement>(), s.parse::<Region>(), s.parse::<Flow>(), s.parse::<Territory>());
        let _ = (Cpf4::from_bytes(&raw), Cpf6::from_bytes(&raw), Nc8::from_bytes(&raw), Country::from_bytes(&raw));
        let _ = (A129::from_bytes(&raw), Departement::from_dgddi_bytes(&raw), Flow::from_bytes(&raw));
        // What parses prints back to something that parses to the same code.
        if let Ok(c) = s.parse::<Departement>() { prop_assert_eq!(c.to_string().parse::<Departement>().unwrap(), c); }
        if let Ok(t) = s.parse::<Territory>() { prop_assert_eq!(t.to_string().parse::<Territory>().unwrap(), t); }
    }
}
