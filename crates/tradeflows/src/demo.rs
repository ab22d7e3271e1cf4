//! The built-in demonstration dataset: synthetic, deterministic, in the DGDDI layout.
//!
//! It is generated as the text of `Region_YYYY_Export.txt` and `Region_YYYY_Import.txt` and
//! read by the regular reader, so the demo goes through exactly the path real files take.
//! Trade is concentrated like real trade: a few partners (Germany, Belgium, Italy, Spain,
//! the United States …) and products take most of the value (Zipf-like weights), each
//! département has its own specialisations, and national totals are of the real order of
//! magnitude (about 600 billion euros of exports). **These are not official figures**, and
//! every output made from them says so.
//!
//! Only `+ − × ÷` are used on floating point numbers (no `exp`/`ln`), so the output is the
//! same on every platform.

use std::path::{Path, PathBuf};

use crate::codes::{Departement, Flow};
use crate::error::{Error, Result};
use crate::nomenclature::tables;
use crate::read::{FileKind, Input};

/// The year of the demonstration data.
pub const DEMO_YEAR: u16 = 2024;

/// Parameters of the generator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoOptions {
    /// The latest year (the reference year of the factsheets).
    pub year: u16,
    /// How many full years before `year` are written too (default 3), each drawn from the
    /// latest with a plausible, deterministic growth: the evolution of every territory.
    pub history: u16,
    /// Size: 1.0 gives about 100 000 rows; the row count grows about linearly.
    pub scale: f64,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// Also write the national files (`National_YYYY_{Export,Import}.txt`): the same trade
    /// by month, synthetic NC8 code and country.
    pub national: bool,
    /// How the trade spreads over partners and quarters.
    pub spread: Spread,
}

/// How widely the demonstration trade spreads over partner countries and quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spread {
    /// 70 main partners, most flows in every quarter: small and quick (the built-in data).
    #[default]
    Compact,
    /// Like real files: every country the géonomenclature lists today, Zipf-weighted, many
    /// small flows present in one or two quarters only (about 1.4 distinct
    /// flow × département × CPF4 × country cells per 2 rows, as in DGDDI's files).
    Real,
}

impl std::str::FromStr for Spread {
    type Err = crate::CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "compact" => Ok(Spread::Compact),
            "real" => Ok(Spread::Real),
            _ => Err(crate::CodeError::new(
                "spread",
                s,
                "expected compact or real",
            )),
        }
    }
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            year: DEMO_YEAR,
            history: 3,
            scale: 1.0,
            seed: 0x7472_6164_6566_6c6f,
            national: true,
            spread: Spread::Compact,
        }
    }
}

/// SplitMix64: a tiny, well-known generator whose output is fixed forever by its
/// definition (a crate's generator may change between versions, and the demo figures must
/// not).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// A positive multiplier with a long right tail (median ≈ 1).
    fn noise(&mut self) -> f64 {
        let u = 0.3 + 1.4 * self.unit();
        u * u * u
    }
    /// Draws `k` distinct indices with probability proportional to `weights`.
    fn sample(&mut self, weights: &[f64], k: usize) -> Vec<usize> {
        let mut w = weights.to_vec();
        let mut out = Vec::with_capacity(k);
        for _ in 0..k.min(w.len()) {
            let total: f64 = w.iter().sum();
            if total <= 0.0 {
                break;
            }
            let mut x = self.unit() * total;
            let mut pick = w.len() - 1;
            for (i, &wi) in w.iter().enumerate() {
                if x < wi {
                    pick = i;
                    break;
                }
                x -= wi;
            }
            out.push(pick);
            w[pick] = 0.0;
        }
        out
    }
}

/// Partner countries, main ones first (their rank sets their weight).
const PARTNERS: &[&str] = &[
    "DE", "BE", "IT", "ES", "US", "NL", "GB", "CN", "CH", "PL", "JP", "TR", "SE", "AT", "IE", "PT",
    "CZ", "RO", "DK", "HU", "SG", "KR", "IN", "AE", "SA", "MA", "DZ", "TN", "BR", "CA", "MX", "AU",
    "HK", "TW", "GR", "FI", "NO", "SK", "SI", "HR", "BG", "LT", "LU", "NG", "ZA", "EG", "IL", "QA",
    "VN", "TH", "MY", "ID", "CL", "AR", "CO", "CI", "SN", "CM", "UA", "KZ", "XS", "LV", "EE", "PH",
    "PE", "BD", "PK", "NZ", "MU", "QU",
];

/// Products that weigh most in French trade (CPF4), with an extra weight.
const HEAD_PRODUCTS: &[(u16, f64)] = &[
    (3030, 9.0), // aéronautique
    (2120, 7.0), // médicaments
    (2910, 7.0), // automobiles
    (610, 6.0),  // pétrole brut (imports surtout)
    (1920, 5.0), // produits pétroliers raffinés
    (1102, 4.0), // vins
    (2042, 4.0), // parfums
    (2932, 3.5), // équipements automobiles
    (2014, 3.0), // chimie organique
    (1101, 3.0), // spiritueux
    (1011, 2.5), // viande de boucherie
    (2611, 2.0), // composants électroniques
    (2620, 2.0), // ordinateurs
    (111, 2.0),  // céréales
    (1412, 1.5), // vêtements
];

/// Départements with a marked specialisation: (DGDDI code, size, specialities (CPF4)).
const SPECIALITIES: &[(&str, f64, &[u16])] = &[
    ("75", 9.0, &[2042, 2120, 3212]),
    ("92", 8.0, &[2120, 2042, 2620]),
    ("31", 8.0, &[3030, 2651]),
    ("13", 7.0, &[1920, 610, 2014]),
    ("69", 6.0, &[2014, 2120, 2059]),
    ("59", 6.0, &[2910, 2410, 1089]),
    ("76", 6.0, &[1920, 610, 2016]),
    ("67", 4.0, &[2120, 2932, 1105]),
    ("33", 4.0, &[1102, 3030, 1101]),
    ("44", 4.0, &[3011, 3030, 1020]),
    ("22", 1.2, &[1011, 1012, 1091, 1013, 1051]),
    ("29", 1.3, &[1020, 1013, 1011, 3011]),
    ("35", 2.0, &[2910, 1011, 2611]),
    ("56", 1.1, &[1013, 1020, 1089]),
    ("16", 1.3, &[1101, 1102]),
    ("51", 2.0, &[1102, 111]),
    ("99", 0.2, &[2042, 1412]),
];

/// The products and partners of the generator, with their weights.
struct Universe {
    /// (CPF4, A129 index) of every goods CPF4 that is a NAF class, in a random order.
    products: Vec<(u16, u8)>,
    product_weight: Vec<f64>,
    partners: Vec<&'static str>,
    partner_weight: Vec<f64>,
    spread: Spread,
}

impl Universe {
    /// Every goods CPF4 that is a NAF class, weighted by a random Zipf rank; the partners of
    /// the spread, weighted by their Zipf rank.
    fn new(rng: &mut Rng, spread: Spread) -> Universe {
        let mut products: Vec<(u16, u8)> = tables::CPF4
            .iter()
            .filter_map(|e| {
                e.a129
                    .filter(|&a| tables::A129[usize::from(a)].goods)
                    .map(|a| (e.code, a))
            })
            .collect();
        for i in (1..products.len()).rev() {
            let j = rng.below(i + 1);
            products.swap(i, j);
        }
        let product_weight: Vec<f64> = products
            .iter()
            .enumerate()
            .map(|(rank, &(code, _))| {
                let head = HEAD_PRODUCTS
                    .iter()
                    .find(|h| h.0 == code)
                    .map_or(1.0, |h| h.1 * 4.0);
                head / (rank as f64 + 3.0)
            })
            .collect();
        let mut partners = PARTNERS.to_vec();
        if spread == Spread::Real {
            // The main partners first, then every other country listed today, in a
            // deterministic random order.
            let mut rest: Vec<&'static str> = tables::COUNTRIES
                .iter()
                .filter(|e| e.to == 999_912 && e.code != "FR" && !partners.contains(&e.code))
                .map(|e| e.code)
                .collect();
            rest.dedup();
            for i in (1..rest.len()).rev() {
                rest.swap(i, rng.below(i + 1));
            }
            partners.extend(rest);
        }
        let partner_weight: Vec<f64> = (0..partners.len())
            .map(|r| 1.0 / (r as f64 + 1.5))
            .collect();
        Universe {
            products,
            product_weight,
            partners,
            partner_weight,
            spread,
        }
    }
}

/// A row before scaling: (département, cpf4, a129 index, partner index, quarter, value).
type RawRow = (Departement, u16, u8, usize, u8, f64);

/// The rows of one flow, values not yet scaled to the national total.
fn raw_rows(rng: &mut Rng, u: &Universe, scale: f64) -> Vec<RawRow> {
    let mut rows: Vec<RawRow> = Vec::new();
    for dep in Departement::all() {
        let spec = SPECIALITIES.iter().find(|s| s.0 == dep.code());
        let size = spec.map_or_else(|| 0.4 + rng.unit(), |s| s.1);
        let boosted: Vec<f64> = u
            .products
            .iter()
            .zip(&u.product_weight)
            .map(|(&(code, _), &w)| match spec {
                Some(s) if s.2.contains(&code) => w * 40.0,
                _ => w * rng.noise(),
            })
            .collect();
        let n_products = ((10.0 + 20.0 * size.sqrt()) * scale) as usize;
        for p in rng.sample(&boosted, n_products) {
            let (cpf4, a129) = u.products[p];
            let pw = boosted[p];
            let (breadth, presence) = match u.spread {
                Spread::Compact => (3.0 + 6.0 * size.sqrt(), 0.85),
                Spread::Real => (8.0 + 24.0 * size.sqrt(), 0.25),
            };
            let n_partners = 1 + rng.below((breadth * scale.sqrt()) as usize + 1);
            // Imports of crude oil come from other partners than exports of wine: shuffle
            // the partner weights a little per flow and product.
            let weights: Vec<f64> = u.partner_weight.iter().map(|w| w * rng.noise()).collect();
            for c in rng.sample(&weights, n_partners) {
                let cell = size * pw * weights[c] * rng.noise();
                for quarter in 1..=4u8 {
                    if rng.unit() < presence {
                        rows.push((dep, cpf4, a129, c, quarter, cell * (0.7 + 0.6 * rng.unit())));
                    }
                }
            }
        }
    }
    rows
}

/// National aggregates: (quarter, cpf4, a129 index, partner index) → (value, mass).
type National = std::collections::BTreeMap<(u8, u16, u8, usize), (i64, i64)>;

/// The text of a regional file from its rows, scaled so that they sum to about `target`
/// euros, sorted as DGDDI sorts; and the same trade by quarter, product and country.
fn regional_text(
    flow: Flow,
    year: u16,
    mut rows: Vec<RawRow>,
    target: f64,
    partners: &[&str],
) -> (String, National) {
    let raw_total: f64 = rows.iter().map(|r| r.5).sum();
    let factor = target / raw_total;
    rows.sort_by_key(|a| (a.4, a.0, a.2, a.1, partners[a.3]));
    let mut text = String::with_capacity(rows.len() * 40);
    let mut national = National::new();
    for (dep, cpf4, a129, c, quarter, raw) in rows {
        let value = ((raw * factor).round() as i64).max(1);
        // A plausible price per kilogram for the product: 0.5 to 200 €/kg.
        let price = 0.5 + f64::from(cpf4 % 97) * f64::from(cpf4 % 89) / 40.0;
        let mass = ((value as f64 / price).round() as i64).max(1);
        let letter = flow.letter();
        let reg = dep.region().dgddi_code();
        let a = tables::A129[usize::from(a129)].code;
        let country = partners[c];
        text.push_str(&format!(
            "{letter};{quarter};{year};{dep};{reg};{a};{cpf4:04};{country};{value};{mass}\n"
        ));
        let n = national.entry((quarter, cpf4, a129, c)).or_default();
        n.0 += value;
        n.1 += mass;
    }
    (text, national)
}

/// The text of a national file: one row per quarter, product and country, in one month of
/// the quarter; the NC8 code is synthetic (two digits, then the CPF6): the national totals
/// equal the regional ones.
fn national_text(flow: Flow, year: u16, national: National, partners: &[&str]) -> String {
    let mut text = String::with_capacity(national.len() * 48);
    for ((quarter, cpf4, a129, c), (value, mass)) in national {
        let month = (quarter - 1) * 3 + 1 + (c % 3) as u8;
        let cpf6 = u32::from(cpf4) * 100 + 10 * (1 + (c % 2) as u32);
        let nc8 = (1 + u32::from(cpf4) % 97) * 1_000_000 + cpf6;
        let a = tables::A129[usize::from(a129)].code;
        let usup = if cpf4 % 3 == 0 { value / 1000 } else { 0 };
        text.push_str(&format!(
            "{};{month:02};{year};{cpf6:06};{a};{nc8:08};{};{value};{mass};{usup}\n",
            flow.letter(),
            partners[c]
        ));
    }
    text
}

/// An annual file of the demo, named as DGDDI names it.
fn annual(kind: &str, flow: Flow, year: u16, text: String) -> Input {
    let word = match flow {
        Flow::Export => "Export",
        Flow::Import => "Import",
    };
    let name = format!("{kind}_{year}_{word}.txt");
    let kind = match kind {
        "National" => FileKind::National {
            flow,
            year: Some(year),
        },
        _ => FileKind::Regional {
            flow,
            year: Some(year),
        },
    };
    Input::from_bytes(PathBuf::from("demo").join(name), kind, text.into_bytes())
}

/// How trade grew from each year to the next, by flow (exports, imports): the year-on-year
/// factors of the demonstration data, latest last. Plausible orders of magnitude (a rebound,
/// then slower years), not official figures.
const GROWTH: [(f64, f64); 5] = [
    (1.17, 1.21),
    (1.08, 1.12),
    (1.02, 0.95),
    (0.99, 0.96),
    (1.03, 1.02),
];

/// A deterministic number in [0, 1) from integers (SplitMix64's finaliser): the same cell of
/// the same year always gets the same draw, whatever the order of generation.
fn draw(parts: &[u64]) -> f64 {
    let mut z: u64 = 0x243F_6A88_85A3_08D3;
    for &p in parts {
        z = z.wrapping_add(p).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The rows of a year `back` years before the latest, drawn from the latest year's: each cell
/// scaled by the flow's growth and its own deterministic variation; a few cells absent (trade
/// that started since). The total is about the latest's divided by the years' growth.
fn earlier(rows: &[RawRow], flow: Flow, back: u16, seed: u64) -> (Vec<RawRow>, f64) {
    let mut trend = 1.0;
    for k in 0..usize::from(back) {
        let g = GROWTH[GROWTH.len() - 1 - k % GROWTH.len()];
        trend /= if flow == Flow::Export { g.0 } else { g.1 };
    }
    let out = rows
        .iter()
        .filter_map(|&(dep, cpf4, a129, c, q, v)| {
            let cell = [
                seed,
                u64::from(back),
                dep.index() as u64,
                u64::from(cpf4),
                c as u64,
            ];
            if draw(&cell) < 0.04 * f64::from(back) {
                return None;
            }
            let quarter = [
                seed,
                u64::from(back),
                dep.index() as u64,
                u64::from(cpf4),
                c as u64,
                u64::from(q),
            ];
            let variation = 0.8 + 0.4 * draw(&cell[1..]) + 0.1 * draw(&quarter);
            Some((dep, cpf4, a129, c, q, v * trend * variation))
        })
        .collect();
    (out, trend)
}

/// Generates the annual files of the regional dataset, year by year (exports, then imports),
/// each preceded by the national file of its flow when asked for. The latest year is drawn
/// first; the earlier ones are derived from it, so the latest year's files do not depend on
/// how many earlier years are written.
pub fn generate(options: &DemoOptions) -> Vec<Input> {
    let mut rng = Rng(options.seed);
    let universe = Universe::new(&mut rng, options.spread);
    let mut by_year: Vec<(u16, Vec<Input>)> = Vec::new();
    let mut latest = Vec::new();
    for (flow, target) in [(Flow::Export, 600e9), (Flow::Import, 680e9)] {
        let rows = raw_rows(&mut rng, &universe, options.scale);
        for back in 1..=options.history.min(options.year - 1900) {
            let (rows, trend) = earlier(&rows, flow, back, options.seed);
            let year = options.year - back;
            let files = year_files(
                &universe,
                flow,
                year,
                rows,
                target * trend,
                options.national,
            );
            match by_year.iter_mut().find(|x| x.0 == year) {
                Some(x) => x.1.extend(files),
                None => by_year.push((year, files)),
            }
        }
        latest.extend(year_files(
            &universe,
            flow,
            options.year,
            rows,
            target,
            options.national,
        ));
    }
    by_year.sort_by_key(|x| x.0);
    by_year
        .into_iter()
        .flat_map(|x| x.1)
        .chain(latest)
        .collect()
}

/// The regional file of a flow and year, preceded by its national file when asked for.
fn year_files(
    u: &Universe,
    flow: Flow,
    year: u16,
    rows: Vec<RawRow>,
    target: f64,
    national: bool,
) -> Vec<Input> {
    let (text, by_quarter) = regional_text(flow, year, rows, target, &u.partners);
    let mut files = Vec::new();
    if national {
        files.push(annual(
            "National",
            flow,
            year,
            national_text(flow, year, by_quarter, &u.partners),
        ));
    }
    files.push(annual("Region", flow, year, text));
    files
}

/// The file [`write()`] puts beside the demonstration files: a folder holding it is read as
/// demonstration data, and every output made from it says so.
pub const MARKER: &str = "DEMONSTRATION.txt";

/// Whether `path` is a folder written by [`write()`] (it holds the [`MARKER`] file).
pub fn is_demo_folder(path: &Path) -> bool {
    path.is_dir() && path.join(MARKER).is_file()
}

/// Writes the demonstration files into `dir` (created if needed), with the [`MARKER`] file;
/// returns the paths of the data files.
pub fn write(dir: &Path, options: &DemoOptions) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let marker = dir.join(MARKER);
    std::fs::write(
        &marker,
        "Données de démonstration synthétiques, générées par tradeflows (tradeflows demo) :\n\
         ce ne sont pas des chiffres officiels de la DGDDI.\n\
         Synthetic demonstration data written by tradeflows: not official DGDDI figures.\n",
    )
    .map_err(|e| Error::io(&marker, e))?;
    let mut out = Vec::new();
    for input in generate(options) {
        let (Some(name), Some(bytes)) = (input.path.file_name(), input.bytes()) else {
            return Err(Error::Internal("a generated file has no name or no bytes"));
        };
        let path = dir.join(name);
        crate::publish::write_atomic(&path, bytes)?;
        out.push(path);
    }
    Ok(out)
}
