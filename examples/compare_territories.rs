//! Two départements side by side: totals, shares and their top products; the typed codes at
//! work (INSEE aliases, régions, the A129 → A17 roll-up).
//!
//!     cargo run --example compare_territories                  # 22 and 29, demonstration data
//!     cargo run --example compare_territories -- DIR 2A 974    # Corse and La Réunion, real files

use tradeflows::{Dataset, Departement, FactsheetOptions, Flow, Level, Product, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = match args.first() {
        Some(dir) => Dataset::load(dir)?,
        None => Dataset::demo()?,
    };
    // Codes are types: `2A` and `974` parse as the DGDDI départements `20` and `9D`.
    let a: Departement = args.get(1).map_or("22", String::as_str).parse()?;
    let b: Departement = args.get(2).map_or("29", String::as_str).parse()?;
    let cube = data.cube(None, Level::A129)?;
    let options = FactsheetOptions::default();
    let sheets = [a, b].map(|d| data.factsheet_from(&cube, &Territory::Departement(d), &options));

    println!(
        "{:<34}{:>24}{:>24}",
        "",
        format!("{} ({})", a.name(), a),
        format!("{} ({})", b.name(), b)
    );
    println!(
        "{:<34}{:>24}{:>24}",
        "région",
        a.region().name(),
        b.region().name()
    );
    for flow in [Flow::Export, Flow::Import] {
        let name = if flow == Flow::Export {
            "exports"
        } else {
            "imports"
        };
        let f = sheets.each_ref().map(|s| s.flow(flow));
        println!(
            "{:<34}{:>22} €{:>22} €",
            format!("{name}, total"),
            f[0].total_eur,
            f[1].total_eur
        );
        let pct = |s: Option<f64>| s.map_or("–".to_owned(), |s| format!("{:.2} %", s * 100.0));
        println!(
            "{:<34}{:>24}{:>24}",
            format!("{name}, share of the région"),
            pct(f[0].share_of_region),
            pct(f[1].share_of_region)
        );
        println!(
            "{:<34}{:>24}{:>24}",
            format!("{name}, share of France"),
            pct(f[0].share_of_nation),
            pct(f[1].share_of_nation)
        );
    }
    println!("\nTop 5 exported products (A129, with their A17 group):");
    for (d, fs) in [a, b].iter().zip(&sheets) {
        println!("  {} :", d.name());
        for p in fs.exports.top_products.iter().take(5) {
            // The codes are typed: an A129 product gives its roll-up.
            let group = match p.code.named() {
                Some(Product::A129(code)) => code
                    .a17()
                    .map_or("—".to_owned(), |g| format!("{g} {}", g.label())),
                _ => "—".to_owned(),
            };
            println!(
                "    {:<6} {:<48} {:>14} €   [{group}]",
                p.code.to_string(),
                short(&p.label),
                p.value_eur
            );
        }
    }
    Ok(())
}

fn short(s: &str) -> String {
    s.chars().take(48).collect()
}
