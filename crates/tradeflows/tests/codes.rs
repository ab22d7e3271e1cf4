//! Codes: every valid code round-trips through its string form (Display/FromStr and serde);
//! malformed ones are refused with a clear error.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use proptest::prelude::*;
use tradeflows::{
    Country, Cpf4, Cpf6, Departement, Flow, Level, Nc8, Product, Region, Territory, A10, A129, A17,
    A21, A38, A64, A88,
};

fn roundtrip<T>(s: &str) -> T
where
    T: std::str::FromStr
        + std::fmt::Display
        + serde::Serialize
        + serde::de::DeserializeOwned
        + PartialEq
        + std::fmt::Debug,
    T::Err: std::fmt::Debug,
{
    let v: T = s.parse().unwrap();
    assert_eq!(v.to_string(), s);
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(json, format!("\"{s}\""));
    assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
    v
}

proptest! {
    #[test]
    fn cpf4_roundtrips(v in 0u16..10_000) {
        let s = format!("{v:04}");
        let c: Cpf4 = roundtrip(&s);
        prop_assert_eq!(c.value(), v);
    }

    #[test]
    fn cpf6_roundtrips_and_rolls_up(v in 0u32..1_000_000) {
        let s = format!("{v:06}");
        let c: Cpf6 = roundtrip(&s);
        prop_assert_eq!(c.cpf4().to_string(), &s[..4]);
    }

    #[test]
    fn nc8_roundtrips(v in 0u32..100_000_000) {
        roundtrip::<Nc8>(&format!("{v:08}"));
    }

    #[test]
    fn countries_roundtrip(s in "[A-Z]{2}") {
        let c: Country = roundtrip(&s);
        prop_assert_eq!(Country::from_index(c.index()), Some(c));
    }

    #[test]
    fn digit_codes_refuse_anything_else(s in "\\PC{0,10}") {
        let digits = s.chars().all(|c| c.is_ascii_digit());
        prop_assert_eq!(s.parse::<Cpf4>().is_ok(), digits && s.len() == 4);
        prop_assert_eq!(s.parse::<Cpf6>().is_ok(), digits && s.len() == 6);
        prop_assert_eq!(s.parse::<Nc8>().is_ok(), digits && s.len() == 8);
        let caps = s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase());
        prop_assert_eq!(s.parse::<Country>().is_ok(), caps);
    }

    #[test]
    fn closed_codes_refuse_unknown_strings(s in "[A-Z0-9]{1,4}") {
        // Parsing succeeds exactly for the members of the nomenclature, which print back.
        if let Ok(a) = s.parse::<A129>() { prop_assert_eq!(a.to_string(), s.clone()); }
        else { prop_assert!(!A129::all().any(|a| a.code() == s)); }
        if let Ok(d) = s.parse::<Departement>() {
            prop_assert!(d.code() == s || d.insee_codes().contains(&s.as_str()));
        }
    }
}

#[test]
fn every_member_of_the_closed_nomenclatures_roundtrips() {
    for a in A129::all() {
        roundtrip::<A129>(a.code());
        // Each rolls up into codes that exist.
        roundtrip::<A88>(a.a88().code());
        roundtrip::<A64>(a.a64().code());
        roundtrip::<A38>(a.a38().code());
        roundtrip::<A21>(a.a21().code());
        roundtrip::<A17>(a.a17().code());
        roundtrip::<A10>(a.a10().code());
    }
    assert_eq!(
        (A129::count(), A88::count(), A64::count(), A38::count()),
        (129, 88, 64, 38)
    );
    assert_eq!((A21::count(), A17::count(), A10::count()), (21, 17, 10));
    for d in Departement::all() {
        roundtrip::<Departement>(d.code());
    }
    for r in Region::all() {
        roundtrip::<Region>(r.code());
    }
    for f in Flow::ALL {
        roundtrip::<Flow>(&f.to_string());
    }
    for l in Level::ALL {
        roundtrip::<Level>(l.name());
    }
    for t in Territory::all() {
        assert_eq!(t.to_string().parse::<Territory>().unwrap(), t);
    }
}

#[test]
fn a17_is_built_from_a38() {
    let pairs = [
        ("C10A", "C1"),
        ("C19Z", "C2"),
        ("C26A", "C3"),
        ("C29A", "C4"),
        ("C20A", "C5"),
        ("D35A", "DE"),
        ("J58Z", "JZ"),
        ("M71Z", "MN"),
        ("R90Z", "RU"),
        ("A01Z", "AZ"),
    ];
    for (a, a17) in pairs {
        assert_eq!(a.parse::<A129>().unwrap().a17().code(), a17, "{a}");
    }
}

#[test]
fn aliases_and_errors() {
    assert_eq!("2A".parse::<Departement>().unwrap().code(), "20");
    assert_eq!("2B".parse::<Departement>().unwrap().code(), "20");
    for (insee, dgddi) in [
        ("971", "9A"),
        ("972", "9B"),
        ("973", "9C"),
        ("974", "9D"),
        ("976", "9E"),
    ] {
        assert_eq!(insee.parse::<Departement>().unwrap().code(), dgddi);
    }
    assert_eq!(
        "975".parse::<Departement>().unwrap_err().to_string(),
        "invalid département code \"975\": not a département (DGDDI 01–95, 9A–9E, 99, or INSEE 2A, 2B, 971–976)"
    );
    // The reader's path takes DGDDI codes only.
    assert!(Departement::from_dgddi_bytes(b"2A").is_err());
    assert_eq!("XX".parse::<Region>().unwrap_err().kind, "région code");
    assert_eq!(
        "e".parse::<Flow>().unwrap_err().to_string(),
        "invalid flow \"e\": expected I (import) or E (export)"
    );
    assert_eq!(
        "C10X".parse::<A129>().unwrap_err().to_string(),
        "invalid A129 code \"C10X\": not in the INSEE nomenclature"
    );
    assert_eq!(
        Product::parse(Level::A38, "CA").unwrap().label(),
        Some("Fabrication de denrées alimentaires, de boissons et de produits à base de tabac")
    );
    assert!("ti:ti-8413".parse::<Territory>().is_err());
}
