//! The parts of the main job, on generated DGDDI files: parse, aggregate, factsheet figures.
//!
//! `cargo bench -p tradeflows --bench factsheet` (set `TRADEFLOWS_BENCH_SCALE`, default 2.0 ≈
//! 260 000 rows; 15 ≈ the 2 million rows of a real year). The end-to-end comparison with
//! DuckDB and polars is `benches/compare.py`.

use std::sync::OnceLock;

use tradeflows::data::Store;
use tradeflows::demo::{generate, DemoOptions};
use tradeflows::read::{Input, LoadOptions};
use tradeflows::{Dataset, FactsheetOptions, Level, Origin, Territory};

fn main() {
    divan::main();
}

fn scale() -> f64 {
    std::env::var("TRADEFLOWS_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0)
}

fn inputs() -> &'static [Input] {
    static INPUTS: OnceLock<Vec<Input>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        generate(&DemoOptions {
            scale: scale(),
            ..DemoOptions::default()
        })
    })
}

fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(load)
}

fn load() -> Dataset {
    match Dataset::from_inputs(inputs(), &LoadOptions::default(), Origin::Demo) {
        Ok(d) => d,
        Err(e) => panic!("generated data do not load: {e}"),
    }
}

/// Parsing the bytes of both files into the columnar table.
#[divan::bench(sample_count = 10)]
fn parse(bencher: divan::Bencher) {
    let bytes: usize = inputs()
        .iter()
        .map(|i| i.bytes().map_or(0, <[u8]>::len))
        .sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(load);
}

/// Aggregating a year at A129 (from the store: `Dataset::cube` keeps what it built).
#[divan::bench(sample_count = 10)]
fn aggregate() -> tradeflows::compute::Cube {
    let data = dataset();
    let year = data.latest_year().unwrap_or(tradeflows::demo::DEMO_YEAR);
    match data.store().build_cube(year, Level::A129) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// The figures of all 120 factsheets from an aggregated year, as JSON text.
#[divan::bench(sample_count = 10)]
fn all_factsheets(bencher: divan::Bencher) {
    let data = dataset();
    let cube = aggregate();
    bencher.bench(|| {
        Territory::all()
            .map(|t| {
                data.factsheet_from(&cube, &t, &FactsheetOptions::default())
                    .to_json()
                    .map_or(0, |j| j.len())
            })
            .sum::<usize>()
    });
}
