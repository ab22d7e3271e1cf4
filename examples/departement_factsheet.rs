//! The figures and the totals sentences of one département, as the factsheet states them.
//!
//!     cargo run --example departement_factsheet              # Côtes-d'Armor, demonstration data
//!     cargo run --example departement_factsheet -- DIR 29    # Finistère, DGDDI files in DIR

use tradeflows::page::totals_sentences;
use tradeflows::{Dataset, FactsheetOptions, Flow, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = match args.first() {
        Some(dir) => Dataset::load(dir)?,
        None => Dataset::demo()?,
    };
    let territory: Territory = args.get(1).map_or("22", String::as_str).parse()?;
    let fs = data.factsheet(&territory, &FactsheetOptions::default())?;

    println!(
        "Les indicateurs clés : commerce extérieur — {} ({})",
        fs.territory.name(),
        fs.period()
    );
    if fs.source.demo {
        println!("[{}]", fs.source.description);
    }
    for flow in [Flow::Export, Flow::Import] {
        let f = fs.flow(flow);
        println!();
        for sentence in totals_sentences(&fs, flow) {
            println!("{sentence}");
        }
        let what = if flow == Flow::Export {
            "destination"
        } else {
            "origine"
        };
        println!("  Principaux pays ({what}) :");
        for p in &f.top_partners {
            println!("    {:<36} {:>12.1} M€", p.label, p.value_eur as f64 / 1e6);
        }
        println!("  Principaux produits :");
        for p in &f.top_products {
            println!(
                "    {:<6} {:<60} {:>10.1} M€",
                p.code,
                truncate(&p.label, 60),
                p.value_eur as f64 / 1e6
            );
        }
        println!("  Flux en rouge (les plus importants) :");
        for c in f.flows.iter().filter(|c| c.highlight) {
            println!(
                "    {} → {} : {:.1} M€",
                c.product,
                c.partner,
                c.value_eur as f64 / 1e6
            );
        }
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}
