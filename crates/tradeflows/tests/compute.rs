//! Invariants of the computations: top-N plus `autres` equals the total, shares in [0, 1],
//! balance = exports − imports, the matrix keeps the total and highlights what it says.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use proptest::prelude::*;
use std::collections::BTreeMap;
use tradeflows::compute::{balances, matrix, share, Ranking, Slot};
use tradeflows::{Country, Dataset, FactsheetOptions, Flow, Level, Territory};

fn breakdown() -> impl Strategy<Value = BTreeMap<u16, i64>> {
    prop::collection::btree_map(0u16..60, 0i64..1_000_000_000, 0..40)
}

/// The matrix of `cells` with the `n` first products and partners named, `k` highlighted.
fn matrix_of_cells(
    cells: &BTreeMap<(u16, u16), i64>,
    n: usize,
    k: usize,
) -> Vec<tradeflows::compute::MatrixCell<u16, u16>> {
    let mut by_p: BTreeMap<u16, i64> = BTreeMap::new();
    let mut by_c: BTreeMap<u16, i64> = BTreeMap::new();
    for (&(p, c), &v) in cells {
        *by_p.entry(p).or_default() += v;
        *by_c.entry(c).or_default() += v;
    }
    let products = Ranking::top_n(by_p, n);
    let partners = Ranking::top_n(by_c, n);
    matrix(
        cells.iter().map(|(&(p, c), &v)| (p, c, v)),
        &products,
        &partners,
        k,
    )
}

proptest! {
    #[test]
    fn top_n_plus_autres_is_the_total(items in breakdown(), n in 0usize..15) {
        let total: i64 = items.values().sum();
        let r = Ranking::top_n(items.clone(), n);
        prop_assert_eq!(r.total(), total);
        prop_assert!(r.named.len() <= n);
        let nonzero = items.values().filter(|v| **v != 0).count();
        prop_assert_eq!(r.others.is_some(), nonzero > n);
        // Sorted by value descending, then key ascending; nothing left out is larger.
        for w in r.named.windows(2) {
            prop_assert!(w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0));
        }
        if let Some(last) = r.named.last() {
            for (k, v) in &items {
                if !r.named.iter().any(|x| x.0 == *k) {
                    prop_assert!(*v < last.1 || (*v == last.1 && *k > last.0));
                }
            }
        }
    }

    #[test]
    fn top_n_is_the_head_of_the_full_order_even_with_ties(
        items in prop::collection::btree_map(0u16..60, -2i64..4, 0..40),
        n in 0usize..45,
    ) {
        // Few distinct values: many ties, broken by the key; negative values too.
        let mut all: Vec<(u16, i64)> = items.iter().map(|(&k, &v)| (k, v)).filter(|x| x.1 != 0).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let r = Ranking::top_n(items.clone(), n);
        prop_assert_eq!(&r.named[..], &all[..n.min(all.len())]);
        let rest: Vec<i64> = all.iter().skip(n).map(|x| x.1).collect();
        prop_assert_eq!(r.others, (!rest.is_empty()).then(|| rest.iter().sum::<i64>()));
    }

    #[test]
    fn largest_changes_are_the_head_of_the_full_order_even_with_ties(
        before in prop::collection::btree_map(0u16..40, -3i64..4, 0..30),
        after in prop::collection::btree_map(0u16..40, -3i64..4, 0..30),
        n in 0usize..45,
    ) {
        use tradeflows::compute::change::largest_changes;
        let b: Vec<(u16, i64)> = before.into_iter().collect();
        let a: Vec<(u16, i64)> = after.into_iter().collect();
        // Every code of either year with a non-zero value, its change; by size of the
        // change descending, then code (few distinct sizes: many ties).
        let mut all: BTreeMap<u16, (i64, i64)> = BTreeMap::new();
        for &(k, v) in &b { all.entry(k).or_default().0 += v; }
        for &(k, v) in &a { all.entry(k).or_default().1 += v; }
        let mut want: Vec<(u16, i64, i64)> = all.into_iter().filter(|x| x.1 != (0, 0)).map(|(k, (p, c))| (k, p, c)).collect();
        want.sort_by(|x, y| (y.2 - y.1).unsigned_abs().cmp(&(x.2 - x.1).unsigned_abs()).then(x.0.cmp(&y.0)));
        want.truncate(n);
        let got: Vec<(u16, i64, i64)> = largest_changes(&b, &a, n).iter().map(|c| (c.code, c.previous_eur, c.value_eur)).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn highlights_are_the_first_named_cells_even_with_ties(
        cells in prop::collection::btree_map((0u16..12, 0u16..12), 1i64..4, 0..100),
        n in 0usize..8,
        k in 0usize..12,
    ) {
        // Few distinct values: many ties, broken by product then partner.
        let m = matrix_of_cells(&cells, n, k);
        let mut named: Vec<_> = m.iter().filter(|c| matches!((c.product, c.partner), (Slot::Named(_), Slot::Named(_)))).collect();
        named.sort_by(|a, b| b.value.cmp(&a.value).then(a.product.cmp(&b.product)).then(a.partner.cmp(&b.partner)));
        let mut want: Vec<_> = named.iter().take(k).map(|c| (c.product, c.partner)).collect();
        let mut got: Vec<_> = m.iter().filter(|c| c.highlight).map(|c| (c.product, c.partner)).collect();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn matrix_keeps_the_total_and_highlights_k_named_cells(
        cells in prop::collection::btree_map((0u16..20, 0u16..20), 1i64..1_000_000, 0..120),
        n in 0usize..8,
        k in 0usize..8,
    ) {
        let m = matrix_of_cells(&cells, n, k);
        prop_assert_eq!(m.iter().map(|c| c.value).sum::<i64>(), cells.values().sum::<i64>());
        let named = m.iter().filter(|c| matches!((c.product, c.partner), (Slot::Named(_), Slot::Named(_)))).count();
        prop_assert_eq!(m.iter().filter(|c| c.highlight).count(), k.min(named));
        for w in m.windows(2) {
            prop_assert!((w[0].product, w[0].partner) < (w[1].product, w[1].partner));
        }
        // Every highlighted cell is at least as large as every other named cell.
        let min_hi = m.iter().filter(|c| c.highlight).map(|c| c.value).min();
        if let Some(min_hi) = min_hi {
            for c in m.iter().filter(|c| !c.highlight && matches!((c.product, c.partner), (Slot::Named(_), Slot::Named(_)))) {
                prop_assert!(c.value <= min_hi);
            }
        }
    }

    #[test]
    fn balance_is_exports_minus_imports(
        imports in prop::collection::btree_map(0usize..676, 0i64..1_000_000_000_000, 0..30),
        exports in prop::collection::btree_map(0usize..676, 0i64..1_000_000_000_000, 0..30),
    ) {
        let to = |m: &BTreeMap<usize, i64>| -> Vec<(Country, i64)> { m.iter().map(|(&i, &v)| (Country::from_index(i).unwrap(), v)).collect() };
        let b = balances(&to(&imports), &to(&exports));
        for p in &b {
            let i = imports.get(&p.partner.index()).copied().unwrap_or(0);
            let e = exports.get(&p.partner.index()).copied().unwrap_or(0);
            prop_assert_eq!((p.imports, p.exports, p.balance()), (i, e, e - i));
        }
        prop_assert_eq!(b.len(), imports.keys().chain(exports.keys()).collect::<std::collections::BTreeSet<_>>().len());
    }

    #[test]
    fn shares_of_parts_are_in_0_1(part in 0i64..1_000_000_000_000, rest in 0i64..1_000_000_000_000) {
        match share(part, part + rest) {
            Some(s) => prop_assert!((0.0..=1.0).contains(&s)),
            None => prop_assert_eq!(part + rest, 0),
        }
    }
}

#[test]
fn demo_factsheets_keep_every_invariant_at_every_level() {
    let data = Dataset::demo().unwrap();
    for level in Level::ALL {
        let cube = data.cube(None, level).unwrap();
        let options = FactsheetOptions {
            level,
            top: 10,
            highlight: 5,
            ..Default::default()
        };
        let france = cube.total(&Territory::France, Flow::Export);
        for t in Territory::all() {
            let fs = data.factsheet_from(&cube, &t, &options);
            for flow in Flow::ALL {
                let f = fs.flow(flow);
                assert_eq!(f.total_eur, cube.total(&t, flow));
                assert_eq!(
                    f.top_partners.iter().map(|x| x.value_eur).sum::<i64>(),
                    f.total_eur,
                    "{t} {level}"
                );
                assert_eq!(
                    f.top_products.iter().map(|x| x.value_eur).sum::<i64>(),
                    f.total_eur,
                    "{t} {level}"
                );
                assert_eq!(
                    f.flows.iter().map(|x| x.value_eur).sum::<i64>(),
                    f.total_eur,
                    "{t} {level}"
                );
                assert!(f.top_partners.len() <= 11 && f.top_products.len() <= 11);
                assert!(f.flows.iter().filter(|c| c.highlight).count() <= 5);
                for s in [f.share_of_region, f.share_of_nation].into_iter().flatten() {
                    assert!((0.0..=1.0).contains(&s), "{t}: {s}");
                }
                assert_eq!(
                    f.share_of_region.is_some(),
                    matches!(t, Territory::Departement(_))
                );
                assert_eq!(f.share_of_nation.is_some(), !matches!(t, Territory::France));
            }
        }
        // The départements add up to France, and the régions too.
        let deps: i64 = tradeflows::Departement::all()
            .map(|d| cube.total(&Territory::Departement(d), Flow::Export))
            .sum();
        let regs: i64 = tradeflows::Region::all()
            .map(|r| cube.total(&Territory::Region(r), Flow::Export))
            .sum();
        assert_eq!((deps, regs), (france, france));
    }
}

/// The specialisation of every territory of the demonstration data, at every level, is
/// the five products with the highest location quotient (then code) among those with a
/// share of at least 1% of the territory's exports, computed here from the sums by
/// product with a full sort.
#[test]
fn specialisation_is_the_five_highest_location_quotients() {
    use tradeflows::compute::exposure::criteria;
    let data = Dataset::demo().unwrap();
    for level in Level::ALL {
        let cube = data.cube(None, level).unwrap();
        let national = cube.flows(&Territory::France, Flow::Export).by_product();
        let national_total: i64 = national.iter().map(|x| x.1).sum();
        for t in Territory::all().filter(|t| *t != Territory::France) {
            let here = cube.flows(&t, Flow::Export).by_product();
            let total: i64 = here.iter().map(|x| x.1).sum();
            let mut want: Vec<(f64, _, i64)> = here
                .iter()
                .filter_map(|&(p, v)| {
                    let n = national.iter().find(|x| x.0 == p)?.1;
                    let (s, ns) = (share(v, total)?, share(n, national_total)?);
                    (s >= criteria::MIN_SPECIALISATION_SHARE && ns > 0.0).then_some((s / ns, p, v))
                })
                .collect();
            want.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            want.truncate(5);
            let got: Vec<(f64, _, i64)> = cube
                .exposure(&t, &[])
                .specialisation
                .iter()
                .map(|s| (s.lq(), s.product, s.value_eur))
                .collect();
            assert_eq!(got, want, "{t} {level}");
        }
    }
}

/// The sums by key of `(key, value)` pairs, zero sums left out, in key order.
fn sums_by<K: Ord>(pairs: impl Iterator<Item = (K, i64)>) -> Vec<(K, i64)> {
    let mut sums: BTreeMap<K, i64> = BTreeMap::new();
    for (k, v) in pairs {
        *sums.entry(k).or_insert(0) += v;
    }
    sums.into_iter().filter(|x| x.1 != 0).collect()
}

#[test]
fn the_cube_matrix_and_sums_equal_those_of_the_cells() {
    let data = Dataset::demo().unwrap();
    for level in [Level::Cpf4, Level::A129, Level::A10] {
        let cube = data.cube(None, level).unwrap();
        for t in Territory::all() {
            for flow in Flow::ALL {
                let tf = cube.flows(&t, flow);
                let cells: Vec<_> = tf.cells().collect();
                // The sums a territory adds from its places' are those of its cells.
                let by_product = sums_by(cells.iter().map(|c| (c.0, c.2)));
                assert_eq!(tf.by_product(), by_product, "{t} {level}");
                assert_eq!(tf.by_partner(), sums_by(cells.iter().map(|c| (c.1, c.2))));
                assert_eq!(tf.total(), cells.iter().map(|c| c.2).sum::<i64>());
                for (n, k) in [(10, 5), (3, 20), (0, 1), (50, 50)] {
                    let generic =
                        matrix(cells.clone(), &tf.top_products(n), &tf.top_partners(n), k);
                    assert_eq!(tf.matrix(n, k), generic, "{t} {level} {n} {k}");
                }
                // Top lists drawn elsewhere (France's other flow): keys the territory may
                // not hold, in another order; and a key named twice.
                let other = cube.flows(&Territory::France, Flow::ALL[1 - flow.index()]);
                let (mut products, partners) = (other.top_products(8), other.top_partners(8));
                if let Some(&first) = products.named.first() {
                    products.named.push(first);
                }
                let generic = matrix(cells.clone(), &products, &partners, 6);
                assert_eq!(
                    tf.matrix_of(&products, &partners, 6),
                    generic,
                    "{t} {level}"
                );
            }
        }
    }
}

#[test]
fn the_streaming_summary_gives_the_same_factsheets_as_the_rows() {
    let data = Dataset::demo().unwrap();
    for level in [Level::Cpf4, Level::A129, Level::A38] {
        let summary = tradeflows::Summary::demo(level).unwrap();
        // The same regional rows (the summary's demo leaves the national file out).
        let regional = |r: &tradeflows::read::LoadReport| -> Vec<(String, u64)> {
            r.files
                .iter()
                .filter(|f| matches!(f.kind, tradeflows::read::FileKind::Regional { .. }))
                .map(|f| (f.path.display().to_string(), f.rows_loaded))
                .collect()
        };
        assert_eq!(regional(summary.report()), regional(data.report()));
        let (a, b) = (
            data.cube(None, level).unwrap(),
            summary.cube(None, level).unwrap(),
        );
        for t in Territory::all() {
            let options = FactsheetOptions {
                level,
                top: 10,
                highlight: 5,
                ..Default::default()
            };
            assert_eq!(
                data.factsheet_from(&a, &t, &options),
                summary.factsheet_from(&b, &t, &options),
                "{t} {level}"
            );
        }
    }
}

#[test]
fn dom_departements_are_their_own_region() {
    let data = Dataset::demo().unwrap();
    let fs = data
        .factsheet(&"974".parse().unwrap(), &FactsheetOptions::default())
        .unwrap();
    assert_eq!(fs.territory.code(), "9D");
    assert_eq!(fs.territory.region().map(|r| r.code()), Some("04"));
    assert_eq!(fs.exports.share_of_region, Some(1.0));
}

/// The CPF4 imports and the year before's margins are gathered in structures that are
/// fastest on DGDDI's order: the same rows shuffled, or split between two builders merged,
/// give the same cube (cells, exposure, dependencies and the change on the year before
/// included) as in file order.
#[test]
fn row_order_and_merging_do_not_change_the_cube() {
    use tradeflows::compute::builder::CubeBuilder;
    use tradeflows::read::Sink;
    let data = Dataset::demo().unwrap();
    let rows: Vec<_> = data.regional().rows().collect();
    let year = data.latest_year().unwrap();
    let build = |rows: &[tradeflows::read::regional::RegionalRow]| {
        let mut b = CubeBuilder::new(Level::A129);
        for r in rows {
            b.add(r);
        }
        b.take_cube(year).unwrap()
    };
    let in_order = build(&rows);
    // A deterministic shuffle (an LCG permutation of the indices).
    let mut shuffled = rows.clone();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in (1..shuffled.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        shuffled.swap(i, (state >> 33) as usize % (i + 1));
    }
    let (first, second) = shuffled.split_at(shuffled.len() / 3);
    let merged = {
        let (mut a, mut b) = (CubeBuilder::new(Level::A129), CubeBuilder::new(Level::A129));
        first.iter().for_each(|r| a.add(r));
        second.iter().for_each(|r| b.add(r));
        a.merge(b);
        a.take_cube(year).unwrap()
    };
    // Kept for a known year (no margins for it: its rows go straight to the dense detail).
    let for_year = {
        let mut b = CubeBuilder::for_year(Level::A129, year);
        shuffled.iter().for_each(|r| b.add(r));
        b.take_cube(year).unwrap()
    };
    let watch = tradeflows::factsheet::default_watch();
    let (mut dependencies, mut changes) = (0, 0);
    for cube in [build(&shuffled), merged, for_year] {
        for t in Territory::all() {
            for flow in Flow::ALL {
                let cells =
                    |c: &tradeflows::compute::Cube| c.flows(&t, flow).cells().collect::<Vec<_>>();
                assert_eq!(cells(&cube), cells(&in_order), "{t} {flow:?}");
            }
            let want = in_order.exposure(&t, &watch);
            assert_eq!(cube.exposure(&t, &watch), want, "{t}");
            dependencies += want.dependencies.len();
            let change = in_order.change(&t, 5);
            assert_eq!(cube.change(&t, 5), change, "{t}");
            changes += change.map_or(0, |c| c.exports.partners.len() + c.imports.products.len());
        }
    }
    assert!(
        dependencies > 0 && changes > 0,
        "the demonstration data have dependencies and changes to compare"
    );
}

/// A country whose rows cancel out at the cube's level (A129) still has its CPF4 imports:
/// the dependency is found, and nothing fails.
#[test]
fn cpf4_imports_of_a_partner_that_cancels_out_at_the_level() {
    use tradeflows::compute::builder::CubeBuilder;
    use tradeflows::read::regional::RegionalRow;
    use tradeflows::Place;
    let row = |cpf4: &str, value: i64| RegionalRow {
        flow: Flow::Import,
        quarter: 1,
        year: 2024,
        place: Place::Listed("22".parse().unwrap()),
        a129: "C10A".parse().unwrap(),
        cpf4: cpf4.parse().unwrap(),
        country: "US".parse().unwrap(),
        value,
        mass: 1,
    };
    let mut b = CubeBuilder::new(Level::A129);
    b.add(&row("1011", 2_000_000));
    b.add(&row("1012", -2_000_000));
    let cube = b.take_cube(2024).unwrap();
    let t: Territory = "22".parse().unwrap();
    assert_eq!(cube.total(&t, Flow::Import), 0);
    let e = cube.exposure(&t, &[]);
    assert_eq!(e.imports.partners_hhi, None);
    let products: Vec<String> = e
        .dependencies
        .iter()
        .map(|d| d.product.to_string())
        .collect();
    assert_eq!(products, ["1011"]);
    assert_eq!(e.dependencies[0].top_supplier.0.to_string(), "US");
}

/// Cells beyond 32 bits (the sums hold values in 32 bits and the larger ones aside) are
/// exact in every figure: totals, partners, cells and dependencies.
#[test]
fn cells_beyond_two_billion_euros_are_exact() {
    use tradeflows::compute::builder::CubeBuilder;
    use tradeflows::read::regional::RegionalRow;
    use tradeflows::Place;
    let row = |quarter: u8, cpf4: &str, country: &str, value: i64| RegionalRow {
        flow: Flow::Import,
        quarter,
        year: 2024,
        place: Place::Listed("22".parse().unwrap()),
        a129: "C10A".parse().unwrap(),
        cpf4: cpf4.parse().unwrap(),
        country: country.parse().unwrap(),
        value,
        mass: 1,
    };
    let big = i64::from(i32::MAX);
    let mut b = CubeBuilder::new(Level::A129);
    for q in 1..=4 {
        b.add(&row(q, "1011", "CN", big));
        b.add(&row(q, "1011", "DE", 7));
        b.add(&row(q, "1012", "US", i64::from(i32::MIN)));
    }
    // Back under 32 bits in the last quarter for one cell.
    b.add(&row(4, "1013", "BR", 5_000_000_000));
    b.add(&row(4, "1013", "BR", -4_999_999_000));
    let cube = b.take_cube(2024).unwrap();
    let t: Territory = "22".parse().unwrap();
    let cn = 4 * big;
    let us = 4 * i64::from(i32::MIN);
    let total = cn + 28 + us + 1000;
    assert_eq!(cube.total(&t, Flow::Import), total);
    assert_eq!(cube.total(&Territory::France, Flow::Import), total);
    let tf = cube.flows(&t, Flow::Import);
    let partners: Vec<(String, i64)> = tf
        .by_partner()
        .into_iter()
        .map(|(c, v)| (c.to_string(), v))
        .collect();
    let want = [("BR", 1000), ("CN", cn), ("DE", 28), ("US", us)];
    assert_eq!(partners, want.map(|(c, v)| (c.to_string(), v)));
    assert_eq!(tf.cells().map(|c| c.2).sum::<i64>(), total);
    let e = cube.exposure(&t, &[]);
    let d = &e.dependencies[0];
    assert_eq!(
        (
            d.product.to_string(),
            d.value_eur,
            d.top_supplier.0.to_string()
        ),
        ("1011".to_string(), cn + 28, "CN".to_string())
    );
    assert_eq!((d.extra_eu_eur, d.top_supplier.1), (cn, cn));
}

/// The dependencies as the criteria define them, from the rows: per territory and CPF4
/// code, the total over every partner, the extra-EU sum and the extra-EU suppliers.
fn naive_dependencies(
    rows: &[tradeflows::read::regional::RegionalRow],
    territory: &Territory,
) -> Vec<(String, i64, i64, f64, String, i64)> {
    use tradeflows::compute::exposure::{criteria, hhi};
    use tradeflows::Zone;
    let mut by_product: BTreeMap<String, (i64, BTreeMap<String, i64>)> = BTreeMap::new();
    let counts = |p: tradeflows::Place| match p {
        tradeflows::Place::Listed(d) => territory.contains(d),
        _ => false,
    };
    for r in rows.iter().filter(|r| counts(r.place)) {
        let e = by_product.entry(r.cpf4.to_string()).or_default();
        e.0 += r.value;
        if r.country.zone() != Zone::Ue27 {
            *e.1.entry(r.country.to_string()).or_default() += r.value;
        }
    }
    let mut out = Vec::new();
    for (product, (total, suppliers)) in by_product {
        let suppliers: Vec<(String, i64)> = suppliers.into_iter().filter(|s| s.1 != 0).collect();
        let extra: i64 = suppliers.iter().map(|s| s.1).sum();
        if total < criteria::MIN_IMPORTS_EUR
            || total <= 0
            || extra as f64 / total as f64 <= criteria::EXTRA_EU_SHARE
        {
            continue;
        }
        let Some(h) = hhi(suppliers.iter().map(|s| s.1)) else {
            continue;
        };
        if h <= criteria::HHI_EXTRA_EU {
            continue;
        }
        let mut top: Option<&(String, i64)> = None;
        for s in &suppliers {
            if top.is_none_or(|t| s.1 > t.1) {
                top = Some(s);
            }
        }
        let Some(top) = top else { continue };
        out.push((product, total, extra, h, top.0.clone(), top.1));
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The dependencies of the cube (tested on the sums of each product, the suppliers read
    /// for the products that pass; codes of DGDDI's table and extra-EU countries of the
    /// zone table summed densely, the others aside) are the criteria applied to the rows,
    /// in any order of the rows, for a département, its région and France.
    #[test]
    fn dependencies_are_the_criteria_applied_to_the_rows(
        picks in prop::collection::vec(
            (0usize..3, 1u8..=4, 0usize..5, 0usize..7, -2_000_000i64..6_000_000),
            1..120,
        ),
        shuffle in any::<bool>(),
    ) {
        use tradeflows::compute::builder::CubeBuilder;
        use tradeflows::read::regional::RegionalRow;
        use tradeflows::Place;
        // 9999 is not in DGDDI's CPF4 table; JJ is in no zone, QQ is "non déterminé".
        let deps = ["22", "29", "75"];
        let cpf4s = ["1011", "1012", "2910", "9999", "0111"];
        let countries = ["US", "CN", "DE", "QQ", "JJ", "BR", "IT"];
        let mut rows: Vec<RegionalRow> = picks
            .iter()
            .map(|&(d, q, p, c, value)| RegionalRow {
                flow: Flow::Import,
                quarter: q,
                year: 2024,
                place: Place::Listed(deps[d].parse().unwrap()),
                a129: "C10A".parse().unwrap(),
                cpf4: cpf4s[p].parse().unwrap(),
                country: countries[c].parse().unwrap(),
                value,
                mass: 1,
            })
            .collect();
        if shuffle {
            rows.reverse();
        } else {
            rows.sort_by_key(|r| (r.quarter, r.place, r.cpf4, r.country));
        }
        let mut b = CubeBuilder::new(Level::A129);
        for r in &rows {
            b.add(r);
        }
        let cube = b.take_cube(2024).unwrap();
        for t in ["22", "reg:53", "fr"] {
            let t: Territory = t.parse().unwrap();
            let got: Vec<(String, i64, i64, f64, String, i64)> = cube
                .exposure(&t, &[])
                .dependencies
                .iter()
                .map(|d| {
                    (
                        d.product.to_string(),
                        d.value_eur,
                        d.extra_eu_eur,
                        d.hhi_extra_eu,
                        d.top_supplier.0.to_string(),
                        d.top_supplier.1,
                    )
                })
                .collect();
            prop_assert_eq!(got, naive_dependencies(&rows, &t), "{}", t);
        }
    }
}
