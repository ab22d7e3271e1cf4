//! The page: the totals sentences in the factsheet's exact form, every block in order, the
//! région and France pages, and a headless-browser screenshot that is not blank.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use tradeflows::factsheet::{Factsheet, FlowFigures, Schema, SourceInfo};
use tradeflows::page::{self, totals_sentences, PageContext};
use tradeflows::ti::TerritoiresIndustrie;
use tradeflows::{Dataset, FactsheetOptions, Flow, Level, Quarters, Territory};

fn flow(total: i64, region: Option<f64>, nation: Option<f64>) -> FlowFigures {
    FlowFigures {
        total_eur: total,
        share_of_region: region,
        share_of_nation: nation,
        top_partners: vec![],
        top_products: vec![],
        flows: vec![],
    }
}

/// The figures of the seed (Côtes-d'Armor 2024), totals and shares only.
fn seed() -> Factsheet {
    Factsheet {
        schema: Schema,
        year: 2024,
        level: Level::A129,
        quarters: Quarters::ALL,
        source: SourceInfo {
            demo: false,
            description: "DGDDI".into(),
        },
        territory: "22".parse().unwrap(),
        exports: flow(1_400_300_000, Some(0.114), Some(0.0024)),
        imports: flow(1_483_800_000, Some(0.107), Some(0.0022)),
        partners: vec![],
        history: vec![],
        quarterly: vec![],
        change: None,
        exposure: tradeflows::model::ExposureFigures::labelled(
            &Default::default(),
            &Default::default(),
            2024,
        ),
    }
}

#[test]
fn totals_sentences_are_those_of_the_seed() {
    let fs = seed();
    assert_eq!(
        totals_sentences(&fs, Flow::Export),
        [
            "Total des exportations : 1 400.3 millions d'euros",
            "soit 11.4% de la valeur exportée par la région Bretagne",
            "soit 0.24% de la valeur exportée au niveau national",
        ]
    );
    assert_eq!(
        totals_sentences(&fs, Flow::Import),
        [
            "Total des importations : 1 483.8 millions d'euros",
            "soit 10.7% de la valeur importée par la région Bretagne",
            "soit 0.22% de la valeur importée au niveau national",
        ]
    );
}

#[test]
fn number_formatting_golden() {
    let mut fs = seed();
    for (eur, text) in [
        (13_902_200_000, "13 902.2"),
        (684_776_300_000, "684 776.3"),
        (999_950_000, "1 000.0"),
        (49_999, "0.0"),
        (1_234_567_890_123, "1 234 567.9"),
    ] {
        fs.imports.total_eur = eur;
        assert_eq!(
            totals_sentences(&fs, Flow::Import)[0],
            format!("Total des importations : {text} millions d'euros")
        );
    }
    fs.exports.share_of_region = Some(0.99951);
    fs.exports.share_of_nation = Some(0.000049);
    let s = totals_sentences(&fs, Flow::Export);
    assert_eq!(
        s[1],
        "soit 100.0% de la valeur exportée par la région Bretagne"
    );
    assert_eq!(s[2], "soit 0.00% de la valeur exportée au niveau national");
    // Régions have the national share only; France has none.
    fs.territory = Territory::Region("53".parse().unwrap());
    fs.exports.share_of_region = None;
    assert_eq!(totals_sentences(&fs, Flow::Export).len(), 2);
    fs.exports.share_of_nation = None;
    assert_eq!(totals_sentences(&fs, Flow::Export).len(), 1);
}

fn pages() -> (String, String, String) {
    let data = Dataset::demo().unwrap();
    let cube = data.cube(None, Level::A129).unwrap();
    let o = FactsheetOptions::default();
    let dep = data.factsheet_from(&cube, &"22".parse().unwrap(), &o);
    let reg = data.factsheet_from(&cube, &"reg:53".parse().unwrap(), &o);
    let fr = data.factsheet_from(&cube, &"fr".parse().unwrap(), &o);
    let tis = TerritoiresIndustrie::demo().unwrap();
    let here = tis.of_departement("22".parse().unwrap());
    let dep_page = page::render(
        &dep,
        &PageContext {
            region: Some(&reg),
            france: Some(&fr),
            territoires: Some(&here),
        },
    );
    let reg_page = page::render(
        &reg,
        &PageContext {
            region: None,
            france: Some(&fr),
            territoires: None,
        },
    );
    let fr_page = page::render(&fr, &PageContext::default());
    (dep_page, reg_page, fr_page)
}

/// Positions of `needles` in `hay`, asserting each is found after the previous one.
fn in_order(hay: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        let i = hay[at..]
            .find(n)
            .unwrap_or_else(|| panic!("{n:?} missing or out of order"));
        at += i + n.len();
    }
}

#[test]
fn the_departement_page_has_every_block_of_the_seed_in_order() {
    let (dep, _, _) = pages();
    in_order(
        &dep,
        &[
            "<html lang=\"fr\">",
            "Les indicateurs clés : commerce extérieur",
            "Territoires d'industrie - Côtes-d'Armor",
            "Données de démonstration synthétiques",
            "Introduction",
            "Principaux Territoires d'industrie du département*",
            "Baie d'Armor Industrie",
            "Dinan Agglomération",
            "Lannion-Trégor Communauté",
            "comptant moins de 5 communes dans le département ont été retirés",
            "Contexte et méthodologie",
            "Précisions méthodologiques",
            "Balance commerciale territoriale",
            "Principaux pays à l'import et à l'export, Côtes-d'Armor (2024)",
            "<svg",
            "Clé de lecture",
            "Principales activités à l'import et à l'export, Côtes-d'Armor (2024)",
            "<svg",
            "<h2>Évolution</h2>",
            "Évolution des échanges, Côtes-d'Armor (2021–2024)",
            "<svg",
            "Les exportations ont ",
            " par rapport à 2023 (T1–T4)",
            "Les importations ont ",
            "Exportations : ce qui a le plus varié",
            "Importations : ce qui a le plus varié",
            "Exportations",
            "Flux à l'export par produit et par pays, Côtes-d'Armor (en valeur, 2024)",
            "<svg",
            "Total des exportations : ",
            "de la valeur exportée par la région Bretagne",
            "de la valeur exportée au niveau national",
            "Figurent à gauche <strong>les principaux biens exportés</strong>",
            "Flux à l'export, Bretagne (en valeur, 2024)",
            "Flux à l'export, France entière (en valeur, 2024)",
            "Importations",
            "Flux à l'import par pays et par produit, Côtes-d'Armor (en valeur, 2024)",
            "Total des importations : ",
            "Flux à l'import, Bretagne (en valeur, 2024)",
            "Flux à l'import, France entière (en valeur, 2024)",
            "Exposition et dépendances",
            "Échanges par zone géographique, Côtes-d'Armor (2024)",
            "<svg",
            "Les États-Unis reçoivent ",
            "La Chine reçoit ",
            "Le Royaume-Uni reçoit ",
            "indice de concentration des pays (HHI)",
            "Produits importés dépendant de peu de fournisseurs hors UE",
            "Spécialisations à l'export",
            "SWD(2021) 352",
            "quotient de localisation",
            "Sources et informations pratiques",
            "CAF",
            "FAB",
        ],
    );
    // Self-contained: no external resource is loaded.
    for bad in ["<script", "<link", "src=\"http", "url(http", "@import"] {
        assert!(!dep.contains(bad), "{bad}");
    }
    assert_eq!(dep.matches("<svg").count(), 10);
}

#[test]
fn region_and_france_pages_have_the_blocks_that_apply() {
    let (_, reg, fr) = pages();
    assert!(reg.contains("Région Bretagne"));
    assert!(!reg.contains("Principaux Territoires d'industrie"));
    assert!(!reg.contains("par la région"));
    assert!(reg.contains("de la valeur exportée au niveau national"));
    assert!(reg.contains("Flux à l'export, France entière"));
    assert_eq!(reg.matches("<svg").count(), 8);
    assert!(fr.contains("France entière"));
    assert!(!fr.contains("au niveau national"));
    assert_eq!(fr.matches("<svg").count(), 6);
    assert!(
        !fr.contains("Spécialisations à l'export"),
        "France has no specialisation"
    );
}

/// Renders the page of `22` in headless Chromium and checks the screenshot is not blank.
/// Where Chromium is not installed the test is skipped with a message, except under
/// `scripts/test` (which installs it and sets `TRADEFLOWS_REQUIRE_BROWSER`) and in CI
/// (`CI` set), where a missing browser fails it.
#[test]
fn the_page_renders_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        let required = ["CI", "TRADEFLOWS_REQUIRE_BROWSER"]
            .iter()
            .any(|v| std::env::var(v).is_ok_and(|x| !x.is_empty() && x != "0" && x != "false"));
        assert!(
            !required,
            "chromium is required here (scripts/test installs Debian's chromium)"
        );
        eprintln!("chromium not installed: screenshot test skipped");
        return;
    };
    let (dep, _, _) = pages();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("dep-22.html");
    std::fs::write(&html, dep).unwrap();
    let png = dir.path().join("dep-22.png");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=900,2400",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        png.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let inked = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let colored = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().max().unwrap_or(&0) - p[..3].iter().min().unwrap_or(&0) > 60)
        .count();
    eprintln!("screenshot: {inked} inked and {colored} coloured pixels of {total}");
    // Text, charts and their colours: a blank or unstyled page would have none of this.
    assert!(
        inked * 100 > total * 3,
        "screenshot looks blank: {inked} of {total} pixels inked"
    );
    assert!(
        colored * 100 > total,
        "no coloured marks: {colored} of {total} pixels"
    );
}
