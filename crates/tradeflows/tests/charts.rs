//! The four charts, read back as XML: geometry proportional to the figures, colours and signs
//! right, no overlapping text, deterministic output.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use roxmltree::{Document, Node};
use tradeflows::charts::{self, text};
use tradeflows::compute::Slot;
use tradeflows::factsheet::{FlowCell, FlowFigures, PartnerFigures, Ranked};
use tradeflows::format::millions;
use tradeflows::{Country, Dataset, Factsheet, FactsheetOptions, Product, A129};

// ---------------------------------------------------------------------------------------
// Factsheets

fn demo() -> &'static [Factsheet] {
    static CELL: OnceLock<Vec<Factsheet>> = OnceLock::new();
    CELL.get_or_init(|| {
        let data = Dataset::demo().unwrap();
        ["22", "reg:53", "fr"]
            .iter()
            .map(|t| {
                data.factsheet(&t.parse().unwrap(), &FactsheetOptions::default())
                    .unwrap()
            })
            .collect()
    })
}

const M: i64 = 1_000_000;

/// Three export partners (two tied), two products tied, a zero flow, no `autres`, a
/// partner with a zero balance, a long product label.
fn handmade() -> Factsheet {
    let json = format!(
        r#"{{
  "schema": "tradeflows.factsheet/1", "year": 2024, "level": "a129", "quarters": [1, 2, 3],
  "source": {{"demo": false, "description": "DGDDI (test)"}},
  "territory": {{"kind": "departement", "code": "22", "name": "Côtes-d'Armor",
                 "region": {{"code": "53", "name": "Bretagne"}}}},
  "exports": {{
    "total_eur": {ex}, "share_of_region": 0.1, "share_of_nation": 0.001,
    "top_partners": [
      {{"code": "DE", "label": "Allemagne", "value_eur": {de}}},
      {{"code": "IT", "label": "Italie", "value_eur": {it}}},
      {{"code": "CH", "label": "Suisse", "value_eur": {ch}}}],
    "top_products": [
      {{"code": "C10A", "label": "Viande et produits à base de viande", "value_eur": {c10a}}},
      {{"code": "C11Z", "label": "Boissons", "value_eur": {c11z}}},
      {{"code": "C32C", "label": "Articles de sport, jeux et jouets ; produits manufacturés divers", "value_eur": {c32c}}}],
    "flows": [
      {{"product": "C10A", "partner": "DE", "value_eur": {a}, "highlight": true}},
      {{"product": "C10A", "partner": "IT", "value_eur": {b}, "highlight": true}},
      {{"product": "C11Z", "partner": "CH", "value_eur": {ch}, "highlight": false}},
      {{"product": "C11Z", "partner": "DE", "value_eur": {b}, "highlight": false}},
      {{"product": "C11Z", "partner": "IT", "value_eur": {c}, "highlight": false}},
      {{"product": "C32C", "partner": "DE", "value_eur": 0, "highlight": false}},
      {{"product": "C32C", "partner": "IT", "value_eur": {c32c}, "highlight": true}}]
  }},
  "imports": {{
    "total_eur": {im}, "share_of_region": 0.1, "share_of_nation": 0.001,
    "top_partners": [
      {{"code": "NO", "label": "Norvège", "value_eur": {no}}},
      {{"code": "CH", "label": "Suisse", "value_eur": {ch}}}],
    "top_products": [
      {{"code": "C19Z", "label": "Produits pétroliers raffinés et coke", "value_eur": {no}}},
      {{"code": "C10A", "label": "Viande et produits à base de viande", "value_eur": {ch}}}],
    "flows": [
      {{"product": "C10A", "partner": "CH", "value_eur": {ch}, "highlight": false}},
      {{"product": "C19Z", "partner": "NO", "value_eur": {no}, "highlight": true}}]
  }},
  "partners": [
    {{"code": "DE", "label": "Allemagne", "imports_eur": 0, "exports_eur": {de}, "balance_eur": {de}}},
    {{"code": "IT", "label": "Italie", "imports_eur": 0, "exports_eur": {it}, "balance_eur": {it}}},
    {{"code": "NO", "label": "Norvège", "imports_eur": {no}, "exports_eur": 0, "balance_eur": -{no}}},
    {{"code": "CH", "label": "Suisse", "imports_eur": {ch}, "exports_eur": {ch}, "balance_eur": 0}}],
  "exposure": {{
    "exports": {{
      "zones": [{{"code": "UE27", "label": "Union européenne (27)", "value_eur": 300000000, "share": 0.967741935483871}},
                {{"code": "EUROPE_HORS_UE", "label": "Europe hors UE", "value_eur": {ch}, "share": 0.03225806451612903}},
                {{"code": "AFRIQUE", "label": "Afrique", "value_eur": 0, "share": 0.0}},
                {{"code": "AMERIQUE", "label": "Amérique", "value_eur": 0, "share": 0.0}},
                {{"code": "ASIE", "label": "Asie", "value_eur": 0, "share": 0.0}},
                {{"code": "OCEANIE", "label": "Océanie", "value_eur": 0, "share": 0.0}},
                {{"code": "NON_DETERMINE", "label": "Non déterminé", "value_eur": 0, "share": 0.0}}],
      "watch": [{{"code": "US", "label": "Etats-Unis", "value_eur": 0, "share": 0.0}},
                {{"code": "CN", "label": "Chine", "value_eur": 0, "share": 0.0}},
                {{"code": "GB", "label": "Royaume-Uni", "value_eur": 0, "share": 0.0}}],
      "partners_hhi": 0.4693028095733611, "products_hhi": 0.36732570239334027,
      "partners_count": 3, "top_partner": {{"code": "DE", "share": 0.4838709677419355}}
    }},
    "imports": {{
      "zones": [{{"code": "UE27", "label": "Union européenne (27)", "value_eur": 0, "share": 0.0}},
                {{"code": "EUROPE_HORS_UE", "label": "Europe hors UE", "value_eur": {im}, "share": 1.0}},
                {{"code": "AFRIQUE", "label": "Afrique", "value_eur": 0, "share": 0.0}},
                {{"code": "AMERIQUE", "label": "Amérique", "value_eur": 0, "share": 0.0}},
                {{"code": "ASIE", "label": "Asie", "value_eur": 0, "share": 0.0}},
                {{"code": "OCEANIE", "label": "Océanie", "value_eur": 0, "share": 0.0}},
                {{"code": "NON_DETERMINE", "label": "Non déterminé", "value_eur": 0, "share": 0.0}}],
      "watch": [{{"code": "US", "label": "Etats-Unis", "value_eur": 0, "share": 0.0}},
                {{"code": "CN", "label": "Chine", "value_eur": 0, "share": 0.0}},
                {{"code": "GB", "label": "Royaume-Uni", "value_eur": 0, "share": 0.0}}],
      "partners_hhi": 0.68, "products_hhi": 0.68, "partners_count": 2,
      "top_partner": {{"code": "NO", "share": 0.8}},
      "dependencies": [{{"product": "1920", "label": "Produits du raffinage du pétrole", "value_eur": {no},
                         "extra_eu_share": 1.0, "hhi_extra_eu": 1.0, "top_supplier": {{"code": "NO", "share": 1.0}}}}]
    }},
    "specialisation": [{{"product": "C10A", "label": "Viande et produits à base de viande", "value_eur": {c10a},
                         "share": 0.4838709677419355, "national_share": 0.02, "lq": 24.193548387096776}}]
  }}
}}"#,
        ex = 310 * M,
        de = 150 * M,
        it = 150 * M,
        ch = 10 * M,
        c10a = 150 * M,
        c11z = 80 * M,
        c32c = 80 * M,
        a = 100 * M,
        b = 50 * M,
        c = 20 * M,
        im = 50 * M,
        no = 40 * M,
    );
    Factsheet::from_json(&json).unwrap()
}

/// The hand-made factsheet without any import.
fn no_imports() -> Factsheet {
    let mut fs = handmade();
    fs.imports.total_eur = 0;
    fs.imports.top_partners.clear();
    fs.imports.top_products.clear();
    fs.imports.flows.clear();
    for p in &mut fs.partners {
        p.imports_eur = 0;
    }
    fs.partners.retain(|p| p.exports_eur > 0);
    fs
}

/// A small deterministic generator (xorshift64*), for synthetic factsheets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const LABELS: [&str; 12] = [
    "Allemagne",
    "UE",
    "Pays et territoires non déterminés",
    "Viande et produits à base de viande",
    "Articles de sport, jeux et jouets ; produits manufacturés divers",
    "Produitsdelaconstructionaéronautiqueetspatialesansaucunespace",
    "Équipements pour automobiles",
    "Œuvres d'art",
    "Îles Vierges britanniques",
    "Préparations et conserves à base de poisson et de produits de la pêche",
    "Bois",
    "Machines agricoles et forestières",
];

/// The figures of one flow from a products × partners matrix, by the contract's rules.
/// A top list by the contract's rules, and the slot of each item.
fn rank<K: Ord + Copy>(
    totals: Vec<i64>,
    names: &[(K, String)],
    top: usize,
) -> (Vec<Ranked<K>>, Vec<Slot<K>>) {
    let mut order: Vec<usize> = (0..totals.len()).filter(|&i| totals[i] > 0).collect();
    order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(names[a].0.cmp(&names[b].0)));
    let mut list: Vec<Ranked<K>> = order
        .iter()
        .take(top)
        .map(|&i| Ranked {
            code: Slot::Named(names[i].0),
            label: names[i].1.clone(),
            value_eur: totals[i],
        })
        .collect();
    let rest: i64 = order.iter().skip(top).map(|&i| totals[i]).sum();
    if order.len() > top {
        list.push(Ranked {
            code: Slot::Others,
            label: "Autres".into(),
            value_eur: rest,
        });
    }
    let slot: Vec<Slot<K>> = (0..totals.len())
        .map(|i| match order.iter().position(|&k| k == i) {
            Some(r) if r < top => Slot::Named(names[i].0),
            _ => Slot::Others,
        })
        .collect();
    (list, slot)
}

/// The figures of one flow from a products × partners matrix, by the contract's rules.
fn figures(
    m: &[Vec<i64>],
    products: &[(Product, String)],
    partners: &[(Country, String)],
    top: usize,
    highlight: usize,
) -> FlowFigures {
    let product_totals = m.iter().map(|row| row.iter().sum()).collect();
    let partner_totals = (0..partners.len())
        .map(|j| m.iter().map(|row| row[j]).sum())
        .collect();
    let (top_products, product_slot) = rank(product_totals, products, top);
    let (top_partners, partner_slot) = rank(partner_totals, partners, top);
    let mut cells: std::collections::BTreeMap<(Slot<Product>, Slot<Country>), i64> =
        Default::default();
    for (i, row) in m.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if *v > 0 {
                *cells.entry((product_slot[i], partner_slot[j])).or_default() += v;
            }
        }
    }
    let mut flows: Vec<FlowCell> = cells
        .into_iter()
        .map(|((product, partner), value_eur)| FlowCell {
            product,
            partner,
            value_eur,
            highlight: false,
        })
        .collect();
    let mut named: Vec<usize> = (0..flows.len())
        .filter(|&k| flows[k].product.is_named() && flows[k].partner.is_named())
        .collect();
    named.sort_by(|&a, &b| flows[b].value_eur.cmp(&flows[a].value_eur).then(a.cmp(&b)));
    for &k in named.iter().take(highlight) {
        flows[k].highlight = true;
    }
    FlowFigures {
        total_eur: m.iter().flatten().sum(),
        share_of_region: None,
        share_of_nation: None,
        top_partners,
        top_products,
        flows,
    }
}

/// A random factsheet: up to 14 products and partners, many zeros, values over seven
/// orders of magnitude, labels short, long and unbreakable.
fn synthetic(seed: u64) -> Factsheet {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    fn names<K>(rng: &mut Rng, n: usize, code: impl Fn(usize) -> K) -> Vec<(K, String)> {
        (0..n)
            .map(|i| {
                let label = LABELS[rng.below(LABELS.len() as u64) as usize];
                (code(i), format!("{label} {i}"))
            })
            .collect()
    }
    let n_products = rng.below(15) as usize;
    let n_partners = rng.below(15) as usize;
    // Codes of the right types, spread over their nomenclatures.
    let products = names(&mut rng, n_products, |i| {
        Product::A129(A129::all().nth(i * 9).unwrap())
    });
    let partners = names(&mut rng, n_partners, |i| {
        Country::from_index(i * 47 + 3).unwrap()
    });
    let top = 1 + rng.below(10) as usize;
    let highlight = rng.below(7) as usize;
    let matrix = |rng: &mut Rng| -> Vec<Vec<i64>> {
        (0..n_products)
            .map(|_| {
                (0..n_partners)
                    .map(|_| {
                        if rng.below(10) < 4 {
                            0
                        } else {
                            10f64.powf(3.0 + 7.0 * rng.unit()) as i64
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let exports = matrix(&mut rng);
    let imports = matrix(&mut rng);
    let mut fs = handmade();
    fs.exports = figures(&exports, &products, &partners, top, highlight);
    fs.imports = figures(&imports, &products, &partners, top, highlight);
    let by_partner = |m: &[Vec<i64>], j: usize| -> i64 { m.iter().map(|row| row[j]).sum() };
    let mut main: Vec<usize> = (0..n_partners)
        .filter(|&j| {
            [&fs.exports, &fs.imports].iter().any(|f| {
                f.top_partners
                    .iter()
                    .any(|r| r.code == Slot::Named(partners[j].0))
            })
        })
        .collect();
    main.sort_by_key(|&j| (-(by_partner(&imports, j) + by_partner(&exports, j)), j));
    fs.partners = main
        .into_iter()
        .map(|j| PartnerFigures {
            code: partners[j].0,
            label: partners[j].1.clone(),
            imports_eur: by_partner(&imports, j),
            exports_eur: by_partner(&exports, j),
        })
        .collect();
    fs
}

fn all() -> Vec<(String, Factsheet)> {
    let mut out: Vec<(String, Factsheet)> = demo()
        .iter()
        .map(|fs| (fs.territory.code().to_owned(), fs.clone()))
        .collect();
    out.push(("handmade".into(), handmade()));
    out.push(("no imports".into(), no_imports()));
    out.push(("fr top 25".into(), fr_top_25().clone()));
    out.extend((0..40).map(|seed| (format!("synthetic {seed}"), synthetic(seed))));
    out
}

/// France with 25 products and partners, 10 highlighted flows.
fn fr_top_25() -> &'static Factsheet {
    static CELL: OnceLock<Factsheet> = OnceLock::new();
    CELL.get_or_init(|| {
        let options = FactsheetOptions {
            top: 25,
            highlight: 10,
            ..Default::default()
        };
        Dataset::demo()
            .unwrap()
            .factsheet(&"fr".parse().unwrap(), &options)
            .unwrap()
    })
}

type Chart = fn(&Factsheet) -> String;
const CHARTS: [(&str, Chart); 5] = [
    ("evolution", charts::evolution),
    ("balance", charts::balance),
    ("activities", charts::activities),
    ("exports", charts::exports),
    ("imports", charts::imports),
];

// ---------------------------------------------------------------------------------------
// Reading the SVG back

fn num(n: Node<'_, '_>, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr} on {n:?}"))
        .parse()
        .unwrap()
}

fn value(n: Node<'_, '_>) -> i64 {
    n.attribute("data-value").unwrap().parse().unwrap()
}

fn has_class(n: Node<'_, '_>, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|c| c == class))
}

fn elements<'a, 'i>(doc: &'a Document<'i>, tag: &str, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && has_class(*n, class))
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct Box {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box {
    fn of_rect(n: Node<'_, '_>) -> Box {
        let (x, y) = (num(n, "x"), num(n, "y"));
        Box {
            x0: x,
            y0: y,
            x1: x + num(n, "width"),
            y1: y + num(n, "height"),
        }
    }

    fn overlap(&self, o: &Box) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }

    fn inside(&self, o: &Box, tol: f64) -> bool {
        self.x0 >= o.x0 - tol
            && self.y0 >= o.y0 - tol
            && self.x1 <= o.x1 + tol
            && self.y1 <= o.y1 + tol
    }

    fn area(&self) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }
}

fn bold(n: Node<'_, '_>) -> bool {
    n.ancestors()
        .find_map(|a| a.attribute("font-weight"))
        .is_some_and(|w| w == "bold")
}

/// The content of a text element.
fn content(t: Node<'_, '_>) -> String {
    t.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The box a text element's glyphs can take: its width from the metrics the layout uses
/// (an upper bound of the rendered width), from 0.8 em above the baseline to 0.22 em below.
fn text_box(t: Node<'_, '_>) -> Box {
    let size = num(t, "font-size");
    let width: f64 = t
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| text::width(n.text().unwrap(), size, bold(n)))
        .sum();
    let (x, y) = (num(t, "x"), num(t, "y"));
    let x0 = match t.attribute("text-anchor") {
        Some("middle") => x - width / 2.0,
        Some("end") => x - width,
        _ => x,
    };
    Box {
        x0,
        y0: y - 0.8 * size,
        x1: x0 + width,
        y1: y + 0.22 * size,
    }
}

fn view_box(doc: &Document<'_>) -> Box {
    let root = doc.root_element();
    let v: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(v.len(), 4);
    assert_eq!(num(root, "width"), v[2]);
    assert_eq!(num(root, "height"), v[3]);
    Box {
        x0: v[0],
        y0: v[1],
        x1: v[0] + v[2],
        y1: v[1] + v[3],
    }
}

/// Every text inside the chart, and no two texts overlapping.
fn check_texts(what: &str, doc: &Document<'_>) {
    let frame = view_box(doc);
    let texts: Vec<(Node<'_, '_>, Box)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| (t, text_box(t)))
        .collect();
    assert!(!texts.is_empty(), "{what}: no text");
    for (t, b) in &texts {
        assert!(
            b.inside(&frame, 0.01),
            "{what}: {:?} outside the chart: {b:?}",
            content(*t)
        );
        assert!(!content(*t).trim().is_empty(), "{what}: empty text");
    }
    for (i, (a, ba)) in texts.iter().enumerate() {
        for (b, bb) in &texts[i + 1..] {
            assert!(
                ba.overlap(bb) < 0.01,
                "{what}: {:?} {ba:?} overlaps {:?} {bb:?}",
                content(*a),
                content(*b)
            );
        }
    }
}

/// No text over the given marks.
fn check_texts_clear_of(what: &str, doc: &Document<'_>, marks: &[Node<'_, '_>]) {
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let b = text_box(t);
        for m in marks {
            let r = Box::of_rect(*m);
            assert!(
                b.overlap(&r) < 0.01,
                "{what}: {:?} over {:?}",
                content(t),
                m.attribute("data-code")
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// All charts

#[test]
fn every_chart_is_a_standalone_svg_readable_at_a4_width() {
    for (name, fs) in all() {
        for (chart, render) in CHARTS {
            let what = format!("{name} {chart}");
            let svg = render(&fs);
            let doc = Document::parse(&svg).unwrap_or_else(|e| panic!("{what}: {e}"));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(
                root.tag_name().namespace(),
                Some("http://www.w3.org/2000/svg")
            );
            assert_eq!(
                root.attribute("font-family"),
                Some("Marianne, Arial, 'Liberation Sans', Helvetica, sans-serif")
            );
            let frame = view_box(&doc);
            assert_eq!(frame.x1, 800.0, "{what}");
            assert!(
                frame.y1 > 60.0 && frame.y1 < 2000.0,
                "{what}: height {}",
                frame.y1
            );
            let title = root.first_element_child().unwrap();
            assert!(title.has_tag_name("title"), "{what}");
            assert!(
                title.text().unwrap().contains(&fs.year.to_string()),
                "{what}"
            );
            // No stylesheet (it would leak into an HTML page) and no ids (several charts
            // share a page).
            assert!(
                doc.descendants().all(|n| !n.has_tag_name("style")),
                "{what}"
            );
            assert!(
                doc.descendants().all(|n| n.attribute("id").is_none()),
                "{what}"
            );
            // Coordinates with at most two decimals.
            for n in doc.descendants().filter(|n| n.is_element()) {
                for a in ["x", "y", "width", "height", "x1", "y1", "x2", "y2"] {
                    if let Some(v) = n.attribute(a) {
                        let decimals = v.split('.').nth(1).map_or(0, str::len);
                        assert!(decimals <= 2, "{what}: {a}={v}");
                        assert!(!v.starts_with("-0.00"), "{what}: {a}={v}");
                    }
                }
            }
            check_texts(&what, &doc);
        }
    }
}

#[test]
fn charts_are_deterministic() {
    // The same figures reached by other paths give the same bytes: read back from their
    // JSON, and computed by the streaming summary rather than from the rows (other threads,
    // other hash-map orders).
    let summary = tradeflows::Summary::demo(tradeflows::Level::A129).unwrap();
    let streamed = summary
        .factsheet(&"22".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    for (name, fs) in all() {
        let back = Factsheet::from_json(&fs.to_json().unwrap()).unwrap();
        for (chart, render) in CHARTS {
            assert_eq!(render(&fs), render(&back), "{name} {chart}");
        }
    }
    for (chart, render) in CHARTS {
        assert_eq!(render(&streamed), render(&demo()[0]), "{chart}");
    }
}

/// The charts of the hand-made factsheet, byte for byte as reviewed (`cargo insta review`
/// after a deliberate change of the drawing).
#[test]
fn charts_match_their_reviewed_snapshots() {
    let fs = handmade();
    for (chart, render) in CHARTS {
        insta::assert_snapshot!(format!("handmade_{chart}"), render(&fs));
    }
}

#[test]
fn the_source_line_says_demo_and_partial_years() {
    let svg = charts::balance(&demo()[0]);
    assert!(svg.contains("Données de démonstration"), "{svg}");
    let svg = charts::exports(&handmade());
    assert!(
        svg.contains("Source : DGDDI (test), 2024 (T1, T2, T3)"),
        "{svg}"
    );
}

// ---------------------------------------------------------------------------------------
// Balance

#[test]
fn balance_has_one_bar_pair_per_partner_on_one_scale() {
    for (name, fs) in all() {
        let svg = charts::balance(&fs);
        let doc = Document::parse(&svg).unwrap();
        let imports = elements(&doc, "rect", "import");
        let exports = elements(&doc, "rect", "export");
        assert_eq!(imports.len(), fs.partners.len(), "{name}");
        assert_eq!(exports.len(), fs.partners.len(), "{name}");
        let largest = fs
            .partners
            .iter()
            .flat_map(|p| [p.imports_eur, p.exports_eur])
            .max()
            .unwrap_or(0) as f64;
        if largest == 0.0 {
            assert!(imports
                .iter()
                .chain(&exports)
                .all(|r| num(*r, "width") == 0.0));
            continue;
        }
        let longest = imports
            .iter()
            .chain(&exports)
            .map(|r| num(*r, "width"))
            .fold(0.0, f64::max);
        let scale = longest / largest;
        assert!(longest > 150.0, "{name}: the longest bar is {longest} px");
        let mut last_y = f64::NEG_INFINITY;
        let left_axis = Box::of_rect(imports[0]).x1;
        let right_axis = Box::of_rect(exports[0]).x0;
        assert!(
            right_axis - left_axis > 60.0,
            "{name}: no room for the names"
        );
        for ((p, i), e) in fs.partners.iter().zip(&imports).zip(&exports) {
            for (bar, v) in [(i, p.imports_eur), (e, p.exports_eur)] {
                assert_eq!(bar.attribute("data-code"), Some(p.code.code()), "{name}");
                assert_eq!(value(*bar), v, "{name}");
                let w = num(*bar, "width");
                assert!(
                    (w - v as f64 * scale).abs() <= 0.02,
                    "{name} {}: {w} for {v}",
                    p.code
                );
            }
            // Imports end at the left axis, exports start at the right one, rows in order.
            let (bi, be) = (Box::of_rect(*i), Box::of_rect(*e));
            assert!((bi.x1 - left_axis).abs() < 0.011 && (be.x0 - right_axis).abs() < 0.011);
            assert_eq!(bi.y0, be.y0);
            assert!(bi.y0 > last_y, "{name}: rows out of order");
            last_y = bi.y0;
            assert_eq!(i.attribute("fill"), Some("#2f5597"));
            assert_eq!(e.attribute("fill"), Some("#7030a0"));
        }
        let bars: Vec<Node<'_, '_>> = imports.iter().chain(&exports).copied().collect();
        check_texts_clear_of(&name, &doc, &bars);
    }
}

#[test]
fn balance_sign_and_colour() {
    for (name, fs) in all() {
        let svg = charts::balance(&fs);
        let doc = Document::parse(&svg).unwrap();
        let balances = elements(&doc, "g", "balance");
        assert_eq!(balances.len(), fs.partners.len(), "{name}");
        for (p, g) in fs.partners.iter().zip(&balances) {
            assert_eq!(g.attribute("data-code"), Some(p.code.code()));
            assert_eq!(value(*g), p.exports_eur - p.imports_eur);
            let t = g.children().find(|n| n.has_tag_name("text")).unwrap();
            let written = content(t);
            let magnitude = millions(p.balance_eur().abs());
            let (text, fill) = match p.balance_eur().signum() {
                1 => (format!("+{magnitude}"), "#2e7d32"),
                -1 => (format!("\u{2212}{magnitude}"), "#c00000"),
                _ => (magnitude, "#595959"),
            };
            assert_eq!(written, text, "{name} {}", p.code);
            assert_eq!(t.attribute("fill"), Some(fill), "{name} {}", p.code);
        }
    }
    // The hand-made one has all three cases.
    let svg = charts::balance(&handmade());
    assert!(svg.contains(">+150.0<") && svg.contains(">\u{2212}40.0<") && svg.contains(">0.0<"));
    for head in ["Importations (M€)", "Exportations (M€)", "Solde (M€)"] {
        assert!(svg.contains(head), "{head}");
    }
}

// ---------------------------------------------------------------------------------------
// Treemap

#[test]
fn treemap_areas_are_proportional_to_values_across_both_blocks() {
    for (name, fs) in all() {
        let svg = charts::activities(&fs);
        let doc = Document::parse(&svg).unwrap();
        let cells = elements(&doc, "rect", "cell");
        let items: Vec<_> = fs
            .imports
            .top_products
            .iter()
            .chain(&fs.exports.top_products)
            .filter(|r| r.value_eur > 0)
            .collect();
        assert_eq!(cells.len(), items.len(), "{name}");
        let grand: i64 = items.iter().map(|r| r.value_eur).sum();
        assert_eq!(grand, fs.imports.total_eur + fs.exports.total_eur, "{name}");
        let whole: f64 = cells.iter().map(|c| Box::of_rect(*c).area()).sum();
        for (c, r) in cells.iter().zip(&items) {
            assert_eq!(
                c.attribute("data-code"),
                Some(r.code.to_string().as_str()),
                "{name}"
            );
            assert_eq!(value(*c), r.value_eur, "{name}");
            let b = Box::of_rect(*c);
            let expected = whole * r.value_eur as f64 / grand as f64;
            // 1 %, and the rounding of the coordinates to 0.01 px.
            let tol = 0.01 * expected + 0.01 * (b.x1 - b.x0 + b.y1 - b.y0);
            assert!(
                (b.area() - expected).abs() <= tol,
                "{name} {}: area {} for {expected}",
                r.code,
                b.area()
            );
            assert_eq!(has_class(*c, "autres"), r.code == Slot::Others);
            if r.code == Slot::Others {
                assert_eq!(c.attribute("fill"), Some("#a6a6a6"));
            }
            assert_eq!(c.attribute("stroke"), Some("#ffffff"));
        }
        // Each block is tiled by its cells, without overlaps; the blocks have one height
        // and widths proportional to their totals.
        let blocks = elements(&doc, "g", "block");
        let nonzero = [fs.imports.total_eur, fs.exports.total_eur]
            .iter()
            .filter(|t| **t > 0)
            .count();
        assert_eq!(blocks.len(), nonzero, "{name}");
        let mut frames = Vec::new();
        for block in &blocks {
            let rects: Vec<Box> = block
                .descendants()
                .filter(|n| n.has_tag_name("rect"))
                .map(Box::of_rect)
                .collect();
            let frame = Box {
                x0: rects.iter().map(|b| b.x0).fold(f64::INFINITY, f64::min),
                y0: rects.iter().map(|b| b.y0).fold(f64::INFINITY, f64::min),
                x1: rects.iter().map(|b| b.x1).fold(0.0, f64::max),
                y1: rects.iter().map(|b| b.y1).fold(0.0, f64::max),
            };
            let sum: f64 = rects.iter().map(Box::area).sum();
            assert!((sum - frame.area()).abs() < 1e-3 * frame.area(), "{name}");
            for (i, a) in rects.iter().enumerate() {
                for b in &rects[i + 1..] {
                    assert!(a.overlap(b) < 0.05, "{name}: {a:?} {b:?}");
                }
            }
            let total: i64 = block.attribute("data-total").unwrap().parse().unwrap();
            frames.push((total, frame));
        }
        if let [(ta, a), (tb, b)] = frames[..] {
            assert_eq!(a.y0, b.y0);
            assert_eq!(a.y1, b.y1);
            let ratio = (a.x1 - a.x0) / (b.x1 - b.x0);
            assert!(
                (ratio / (ta as f64 / tb as f64) - 1.0).abs() < 1e-3,
                "{name}"
            );
            assert!(a.x1 < b.x0, "{name}: imports left of exports");
        }
    }
}

#[test]
fn treemap_labels_stay_inside_their_cells() {
    for (name, fs) in all() {
        let svg = charts::activities(&fs);
        let doc = Document::parse(&svg).unwrap();
        let mut labelled = 0;
        for cell in elements(&doc, "rect", "cell") {
            let frame = Box::of_rect(cell);
            let texts: Vec<_> = cell
                .parent()
                .unwrap()
                .children()
                .filter(|n| n.has_tag_name("text"))
                .collect();
            for t in &texts {
                assert!(
                    text_box(*t).inside(&frame, 0.01),
                    "{name}: {:?} outside its cell",
                    content(*t)
                );
            }
            if let Some(last) = texts.last() {
                // The last line is the value.
                assert_eq!(
                    content(*last),
                    format!("{} M€", millions(value(cell))),
                    "{name}"
                );
                assert!(texts.len() >= 2, "{name}: a value without its label");
                labelled += 1;
            }
        }
        if ["22", "53", "FR"].contains(&name.as_str()) {
            assert!(labelled >= 10, "{name}: only {labelled} cells labelled");
        }
    }
    let svg = charts::activities(&demo()[0]);
    assert!(svg.contains("Importations : ") && svg.contains("Exportations : "));
}

#[test]
fn treemap_with_a_zero_total() {
    let svg = charts::activities(&no_imports());
    let doc = Document::parse(&svg).unwrap();
    assert_eq!(elements(&doc, "g", "block").len(), 1);
    assert!(svg.contains("Importations : 0.0 M€"));
    let mut nothing = no_imports();
    nothing.exports = nothing.imports.clone();
    let svg = charts::activities(&nothing);
    assert!(svg.contains("Aucun échange"));
    let doc = Document::parse(&svg).unwrap();
    assert!(elements(&doc, "rect", "cell").is_empty());
    let svg = charts::exports(&nothing);
    assert!(svg.contains("Aucun échange"));
    check_texts("nothing", &Document::parse(&svg).unwrap());
}

// ---------------------------------------------------------------------------------------
// Sankeys

/// The numbers of a band's path: `M x0,y0 C … x1,y1 L x1,y1' C … x0,y0' Z`.
fn path_numbers(d: &str) -> Vec<f64> {
    d.split([' ', ','])
        .map(|t| t.trim_start_matches(['M', 'C', 'L']))
        .filter(|t| !t.is_empty() && *t != "Z")
        .map(|t| t.parse().unwrap())
        .collect()
}

#[test]
fn sankey_bands_and_nodes_share_one_scale() {
    for (name, fs) in all() {
        for (flow, chart) in [
            ("exports", charts::exports as Chart),
            ("imports", charts::imports),
        ] {
            let what = format!("{name} {flow}");
            let figures = if flow == "exports" {
                &fs.exports
            } else {
                &fs.imports
            };
            let svg = chart(&fs);
            let doc = Document::parse(&svg).unwrap();
            let bands = elements(&doc, "path", "band");
            let cells: Vec<_> = figures.flows.iter().filter(|c| c.value_eur > 0).collect();
            assert_eq!(bands.len(), cells.len(), "{what}");
            fn codes<K: std::fmt::Display>(list: &[Ranked<K>]) -> Vec<String> {
                list.iter()
                    .filter(|r| r.value_eur > 0)
                    .map(|r| r.code.to_string())
                    .collect()
            }
            let (products, partners) = (codes(&figures.top_products), codes(&figures.top_partners));
            let (left_items, right_items) = if flow == "exports" {
                (&products, &partners)
            } else {
                (&partners, &products)
            };
            let lefts = elements(&doc, "rect", "left");
            let rights = elements(&doc, "rect", "right");
            // Nodes in the top lists' order, `autres` last.
            for (nodes, items) in [(&lefts, left_items), (&rights, right_items)] {
                let codes: Vec<_> = nodes
                    .iter()
                    .map(|n| n.attribute("data-code").unwrap())
                    .collect();
                let expected: Vec<&str> = items.iter().map(String::as_str).collect();
                assert_eq!(codes, expected, "{what}");
                for w in nodes.windows(2) {
                    assert!(
                        Box::of_rect(w[0]).y1 < Box::of_rect(w[1]).y0,
                        "{what}: nodes overlap"
                    );
                }
            }
            if cells.is_empty() {
                continue;
            }
            // The scale from the largest node.
            let largest = lefts
                .iter()
                .chain(&rights)
                .max_by_key(|n| value(**n))
                .unwrap();
            let scale = num(*largest, "height") / value(*largest) as f64;
            assert!(scale > 0.0);
            for n in lefts.iter().chain(&rights) {
                let h = num(*n, "height");
                assert!(
                    (h - value(*n) as f64 * scale).abs() <= 0.02,
                    "{what}: node height {h}"
                );
            }
            let node_of = |nodes: &[Node<'_, '_>], code: &str| -> Box {
                Box::of_rect(
                    *nodes
                        .iter()
                        .find(|n| n.attribute("data-code") == Some(code))
                        .unwrap(),
                )
            };
            let mut used_left = vec![0.0; lefts.len()];
            for band in &bands {
                let p = path_numbers(band.attribute("d").unwrap());
                assert_eq!(p.len(), 16, "{what}");
                let (left_w, right_w) = (p[15] - p[1], p[9] - p[7]);
                let v = value(*band) as f64;
                assert!(
                    (left_w - right_w).abs() <= 0.021,
                    "{what}: {left_w} ≠ {right_w}"
                );
                assert!(
                    (left_w - v * scale).abs() <= 0.03,
                    "{what}: width {left_w} for {v}"
                );
                // Each end on its node.
                let (product, partner) = (
                    band.attribute("data-product").unwrap(),
                    band.attribute("data-partner").unwrap(),
                );
                let (from, to) = if flow == "exports" {
                    (product, partner)
                } else {
                    (partner, product)
                };
                let (l, r) = (node_of(&lefts, from), node_of(&rights, to));
                assert!(
                    p[1] >= l.y0 - 0.02 && p[15] <= l.y1 + 0.02,
                    "{what}: band off its node"
                );
                assert!(
                    p[7] >= r.y0 - 0.02 && p[9] <= r.y1 + 0.02,
                    "{what}: band off its node"
                );
                assert!(
                    (p[0] - l.x1).abs() < 0.011 && (p[6] - r.x0).abs() < 0.011,
                    "{what}"
                );
                let i = lefts
                    .iter()
                    .position(|n| n.attribute("data-code") == Some(from))
                    .unwrap();
                used_left[i] += left_w;
                let cell = cells
                    .iter()
                    .find(|c| c.product.to_string() == product && c.partner.to_string() == partner)
                    .unwrap();
                assert_eq!(cell.value_eur, value(*band));
            }
            for (n, used) in lefts.iter().zip(&used_left) {
                assert!(*used <= num(*n, "height") + 0.1, "{what}: node overfull");
            }
        }
    }
}

#[test]
fn sankey_highlights_exactly_the_highlighted_flows() {
    for (name, fs) in all() {
        for (flow, chart) in [
            ("exports", charts::exports as Chart),
            ("imports", charts::imports),
        ] {
            let what = format!("{name} {flow}");
            let figures = if flow == "exports" {
                &fs.exports
            } else {
                &fs.imports
            };
            let svg = chart(&fs);
            let doc = Document::parse(&svg).unwrap();
            let red = elements(&doc, "path", "highlight");
            let expected: Vec<_> = figures
                .flows
                .iter()
                .filter(|c| c.highlight && c.value_eur > 0)
                .collect();
            assert_eq!(red.len(), expected.len(), "{what}");
            assert_eq!(
                red.len(),
                figures.flows.iter().filter(|c| c.highlight).count(),
                "{what}"
            );
            for band in elements(&doc, "path", "band") {
                let product = band.attribute("data-product").unwrap();
                let partner = band.attribute("data-partner").unwrap();
                let cell = figures
                    .flows
                    .iter()
                    .find(|c| c.product.to_string() == product && c.partner.to_string() == partner)
                    .unwrap();
                let is_red = band.attribute("fill") == Some("#d62728");
                assert_eq!(is_red, cell.highlight, "{what} {product} {partner}");
                assert_eq!(has_class(band, "highlight"), cell.highlight);
            }
            if !expected.is_empty() {
                // Drawn last, over the grey ones.
                let bands = elements(&doc, "path", "band");
                let first_red = bands
                    .iter()
                    .position(|b| has_class(*b, "highlight"))
                    .unwrap();
                assert!(
                    bands[first_red..]
                        .iter()
                        .all(|b| has_class(*b, "highlight")),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn sankey_labels_name_their_nodes_and_stay_clear_of_them() {
    for (name, fs) in all() {
        for (flow, chart) in [
            ("exports", charts::exports as Chart),
            ("imports", charts::imports),
        ] {
            let what = format!("{name} {flow}");
            let svg = chart(&fs);
            let doc = Document::parse(&svg).unwrap();
            let nodes = elements(&doc, "rect", "node");
            check_texts_clear_of(&what, &doc, &nodes);
            let bands = elements(&doc, "path", "band");
            let (x0, x1) = bands.first().map_or((0.0, 0.0), |b| {
                let p = path_numbers(b.attribute("d").unwrap());
                (p[0], p[6])
            });
            for node in &nodes {
                let texts: Vec<_> = node
                    .parent()
                    .unwrap()
                    .children()
                    .filter(|n| n.has_tag_name("text"))
                    .collect();
                assert!(!texts.is_empty(), "{what}: a node without a label");
                let last = content(*texts.last().unwrap());
                let v = format!("{} M€", millions(value(*node)));
                assert!(last.ends_with(&v), "{what}: {last:?} should end with {v:?}");
                // Labels outside the bands' span.
                for t in &texts {
                    let b = text_box(*t);
                    assert!(
                        b.x1 <= x0 + 0.01 || b.x0 >= x1 - 0.01,
                        "{what}: label over the bands"
                    );
                }
            }
        }
    }
    let svg = charts::exports(&demo()[0]);
    assert!(svg.contains(">Biens exportés<") && svg.contains(">Pays de destination<"));
}

// ---------------------------------------------------------------------------------------
// A page to look at: `cargo test --test charts preview -- --ignored` writes
// /tmp/charts.html (the four charts of the demo's Côtes-d'Armor, then the other factsheets).

#[test]
#[ignore = "writes /tmp/charts.html and /tmp/charts-all.html, to look at the charts"]
fn preview() {
    let page = |sheets: &[(String, Factsheet)]| {
        let mut html = String::from(
            "<!doctype html><meta charset=\"utf-8\"><title>tradeflows charts</title>\
             <body style=\"margin:8px;font-family:sans-serif\">",
        );
        for (name, fs) in sheets {
            for (chart, render) in CHARTS {
                html.push_str(&format!("<p>{name} — {chart}</p>{}", render(fs)));
            }
        }
        html
    };
    let sheets = all();
    std::fs::write("/tmp/charts.html", page(&sheets[..1])).unwrap();
    std::fs::write("/tmp/charts-all.html", page(&sheets)).unwrap();
}

// ---------------------------------------------------------------------------------------
// Evolution

/// The demo's Côtes-d'Armor with a partial year after its four full ones.
fn with_partial_year() -> Factsheet {
    let mut fs = demo()[0].clone();
    let q1: tradeflows::Quarters = [1].into_iter().collect();
    fs.history.push(tradeflows::compute::YearFigures {
        year: 2025,
        quarters: q1,
        exports_eur: 300 * M,
        imports_eur: 260 * M,
    });
    fs.quarterly.push(tradeflows::compute::QuarterFigures {
        year: 2025,
        quarter: 1,
        exports_eur: 300 * M,
        imports_eur: 260 * M,
    });
    fs
}

#[test]
fn evolution_bars_points_and_balances_are_the_figures() {
    for fs in [demo()[0].clone(), demo()[2].clone(), with_partial_year()] {
        let svg = charts::evolution(&fs);
        let doc = Document::parse(&svg).unwrap();
        let name = fs.territory.to_string();
        // One bar per flow and year, heights on one scale, partial years marked.
        for (class, value) in [
            (
                "export",
                (|y: &tradeflows::compute::YearFigures| y.exports_eur) as fn(&_) -> i64,
            ),
            ("import", |y: &tradeflows::compute::YearFigures| {
                y.imports_eur
            }),
        ] {
            let bars = elements(&doc, "rect", class);
            assert_eq!(bars.len(), fs.history.len(), "{name}");
            let scale = num(bars[0], "height") / value(&fs.history[0]) as f64;
            for (bar, y) in bars.iter().zip(&fs.history) {
                assert_eq!(self::value(*bar), value(y), "{name}");
                assert_eq!(
                    bar.attribute("data-year"),
                    Some(y.year.to_string().as_str())
                );
                let h = num(*bar, "height");
                assert!(
                    (h - value(y) as f64 * scale).abs() <= 0.02,
                    "{name} {}: {h}",
                    y.year
                );
                assert_eq!(has_class(*bar, "partial"), !y.quarters.is_full(), "{name}");
            }
            let points = elements(&doc, "circle", class);
            assert_eq!(points.len(), fs.quarterly.len(), "{name}");
        }
        let balances = elements(&doc, "g", "balance");
        assert_eq!(balances.len(), fs.history.len());
        for (g, y) in balances.iter().zip(&fs.history) {
            assert_eq!(value(*g), y.exports_eur - y.imports_eur);
            let t = g.children().find(|n| n.has_tag_name("text")).unwrap();
            let sign = if y.balance_eur() < 0 {
                "#c00000"
            } else {
                "#2e7d32"
            };
            assert_eq!(t.attribute("fill"), Some(sign), "{name} {}", y.year);
        }
        check_texts(&name, &doc);
    }
    let svg = charts::evolution(&with_partial_year());
    assert!(svg.contains(">(T1)<") && svg.contains("Année partielle"));
    assert!(!charts::evolution(&demo()[0]).contains("Année partielle"));
}
