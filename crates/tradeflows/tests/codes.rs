//! Codes: every valid code round-trips through its string form (Display/FromStr and serde);
//! malformed ones are refused with a clear error.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use proptest::prelude::*;
use tradeflows::{
    Country, Cpf4, Cpf6, Departement, Flow, Level, Nc8, Product, Region, Territory, Zone, A10,
    A129, A17, A21, A38, A64, A88,
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

#[test]
fn zones_roundtrip_in_their_order() {
    let codes = [
        "UE27",
        "EUROPE_HORS_UE",
        "AFRIQUE",
        "AMERIQUE",
        "ASIE",
        "OCEANIE",
        "NON_DETERMINE",
    ];
    for (i, (code, zone)) in codes.iter().zip(Zone::ALL).enumerate() {
        assert_eq!(roundtrip::<Zone>(code), zone);
        assert_eq!(zone.index(), i);
    }
    let err = "EUROPE".parse::<Zone>().unwrap_err().to_string();
    assert!(
        err.contains("\"EUROPE\"") && err.contains("UE27, EUROPE_HORS_UE"),
        "{err}"
    );
}

proptest! {
    /// Every well-formed country code has a zone; one no table knows is NON_DETERMINE.
    #[test]
    fn every_country_code_has_one_zone(a in b'A'..=b'Z', b in b'A'..=b'Z') {
        let code = String::from_utf8(vec![a, b]).unwrap();
        let c: Country = code.parse().unwrap();
        prop_assert_eq!(c.zone(), c.listed_zone().unwrap_or(Zone::NonDetermine));
        prop_assert!(Zone::ALL.contains(&c.zone()));
    }
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
        if let Ok(d) = s.parse::<Departement>() {
            prop_assert!(d.code() == s || d.insee_codes().contains(&s.as_str()));
        }
        if let Ok(a) = s.parse::<A38>() { prop_assert_eq!(a.code(), s.as_str()); }
        else { prop_assert!(!A38::all().any(|a| a.code() == s)); }
    }

    #[test]
    fn a129_takes_exactly_the_well_formed_codes(s in "[A-Z0-9]{1,5}") {
        let b = s.as_bytes();
        let well_formed = b.len() == 4
            && (b'A'..=b'U').contains(&b[0])
            && b[1].is_ascii_digit()
            && b[2].is_ascii_digit()
            && b[3].is_ascii_uppercase();
        let listed = A129::all().any(|a| a.code() == s);
        match s.parse::<A129>() {
            Ok(a) => {
                prop_assert!(well_formed || listed);
                prop_assert_eq!(a.is_listed(), listed);
                prop_assert_eq!(a.label().is_some(), listed);
                prop_assert_eq!(A129::from_index(a.index()), Some(a));
                roundtrip::<A129>(&s);
            }
            Err(_) => prop_assert!(!well_formed && !listed),
        }
    }

    /// Products and top-list slots are written as their text (the CPF4 and A129 codes
    /// without `Display`, the other levels through it): the same in JSON.
    #[test]
    fn products_and_slots_serialise_as_their_text(
        v in 0u16..10_000,
        a in "[A-U][0-9]{2}[A-Z]",
        level in prop::sample::select(Level::ALL.to_vec()),
    ) {
        use tradeflows::compute::Slot;
        let a129: A129 = a.parse().unwrap();
        let cpf4 = Cpf4::from_value(v).unwrap();
        for p in [Product::Cpf4(cpf4), Product::A129(a129), level.product_of(a129, cpf4)] {
            prop_assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{p}\""));
            prop_assert_eq!(serde_json::to_string(&Slot::Named(p)).unwrap(), format!("\"{p}\""));
        }
        let country = Country::from_index(usize::from(v) % 676).unwrap();
        let named = serde_json::to_string(&Slot::Named(country)).unwrap();
        prop_assert_eq!(named, format!("\"{country}\""));
        prop_assert_eq!(serde_json::to_string(&Slot::<Country>::Others).unwrap(), "\"autres\"");
    }

    #[test]
    fn a129_and_products_sort_by_code(a in "[A-U][0-9]{2}[A-Z]", b in "[A-U][0-9]{2}[A-Z]") {
        let (x, y) = (a.parse::<A129>().unwrap(), b.parse::<A129>().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        // At a coarser level an unlisted code stays itself, and sorts among the level's codes
        // as its string does.
        for level in [Level::A129, Level::A38, Level::A10] {
            let (p, q) = (level.product_of(x, "0111".parse().unwrap()), level.product_of(y, "0111".parse().unwrap()));
            if p.level() == q.level() || !x.is_listed() || !y.is_listed() {
                prop_assert_eq!(p.cmp(&q), p.to_string().cmp(&q.to_string()), "{} {}", p, q);
            }
            prop_assert_eq!(level.product_at(level.index_of(x, "0111".parse().unwrap())), Some(p));
        }
    }

    #[test]
    fn places_are_listed_or_well_formed(d in "[0-9A-Z]{2}", r in "[0-9]{2}") {
        let place = tradeflows::Place::from_fields(d.as_bytes(), r.as_bytes());
        match d.parse::<Departement>().ok().filter(|x| x.code() == d) {
            Some(listed) if listed.region().dgddi_code() == r => {
                prop_assert_eq!(place.unwrap(), tradeflows::Place::Listed(listed));
            }
            Some(_) => prop_assert!(place.is_err()),
            None => {
                let p = place.unwrap();
                prop_assert_eq!((p.code(), p.dgddi_region_code()), (d.as_str(), r.as_str()));
                prop_assert_eq!(p.departement(), None);
                let named: Vec<Region> = Region::all().filter(|x| x.dgddi_code() == r).collect();
                prop_assert_eq!(p.region(), (named.len() == 1).then(|| named[0]));
            }
        }
    }
}

/// Listed A129 codes compare by their index (the table is in code order): every pair, as
/// their strings do.
#[test]
fn listed_a129_codes_sort_as_their_strings() {
    let all: Vec<A129> = A129::all().collect();
    assert!(all.len() > 100);
    for x in &all {
        for y in &all {
            assert_eq!(x.cmp(y), x.code().cmp(&y.code()), "{x} {y}");
        }
    }
}

#[test]
fn every_member_of_the_closed_nomenclatures_roundtrips() {
    for a in A129::all() {
        roundtrip::<A129>(&a.code());
        // Each rolls up into codes that exist.
        roundtrip::<A88>(a.a88().unwrap().code());
        roundtrip::<A64>(a.a64().unwrap().code());
        roundtrip::<A38>(a.a38().unwrap().code());
        roundtrip::<A21>(a.a21().unwrap().code());
        roundtrip::<A17>(a.a17().unwrap().code());
        roundtrip::<A10>(a.a10().unwrap().code());
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
        let text = t.to_string();
        assert_eq!(roundtrip::<Territory>(&text), t);
        // The file key is another form: no ':', the code alone after the kind.
        assert_eq!(t.key(), text.replace(':', "-"));
    }
    assert_eq!("22".parse::<Territory>().unwrap().to_string(), "dep:22");
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
        assert_eq!(a.parse::<A129>().unwrap().a17().unwrap().code(), a17, "{a}");
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
        "c10a".parse::<A129>().unwrap_err().to_string(),
        "invalid A129 code \"c10a\": expected a NAF section letter A–U, two digits and a capital letter (C10A)"
    );
    let unlisted: A129 = "C10X".parse().unwrap();
    assert_eq!((unlisted.is_listed(), unlisted.a10()), (false, None));
    assert_eq!(
        Product::parse(Level::A38, "CA").unwrap().label(),
        Some("Fabrication de denrées alimentaires, de boissons et de produits à base de tabac")
    );
    assert!("ti:ti-8413".parse::<Territory>().is_err());
}
