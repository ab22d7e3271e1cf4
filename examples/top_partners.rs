//! A région's ten main partners for imports and exports, with the balance, as a plain table.
//!
//!     cargo run --example top_partners                # Bretagne, demonstration data
//!     cargo run --example top_partners -- DIR 84      # Auvergne-Rhône-Alpes, DGDDI files in DIR

use tradeflows::compute::balances;
use tradeflows::{Dataset, Flow, Level, Region, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = match args.first() {
        Some(dir) => Dataset::load(dir)?,
        None => Dataset::demo()?,
    };
    let region: Region = args.get(1).map_or("53", String::as_str).parse()?;
    let territory = Territory::Region(region);
    // The product level does not matter for partners: A10 is the cheapest.
    let cube = data.cube(None, Level::A10)?;
    let imports = cube.flows(&territory, Flow::Import);
    let exports = cube.flows(&territory, Flow::Export);

    println!(
        "{} ({}), {}: ten main partners",
        region.name(),
        region.code(),
        cube.year()
    );
    if data.is_demo() {
        println!("(demonstration data, not official figures)");
    }
    for (title, flow) in [("Imports", &imports), ("Exports", &exports)] {
        let top = flow.top_partners(10);
        println!("\n{title}: total {} €", flow.total());
        for (country, value) in &top.named {
            let name = data
                .labels()
                .country(*country, cube.year())
                .unwrap_or(country.code());
            println!("  {country}  {name:<36} {value:>16} €");
        }
        if let Some(rest) = top.others {
            println!("      {:<36} {rest:>16} €", "autres");
        }
    }
    println!("\nBalance (exports − imports) with the main partners of either flow:");
    println!(
        "  {:<4}{:<36}{:>16}{:>16}{:>16}",
        "", "", "imports €", "exports €", "balance €"
    );
    let main: Vec<_> = imports
        .top_partners(10)
        .keys()
        .chain(exports.top_partners(10).keys())
        .collect();
    let mut rows: Vec<_> = balances(&imports.by_partner(), &exports.by_partner())
        .into_iter()
        .filter(|b| main.contains(&b.partner))
        .collect();
    rows.sort_by_key(|b| std::cmp::Reverse(b.imports + b.exports));
    for b in rows {
        let name = data
            .labels()
            .country(b.partner, cube.year())
            .unwrap_or(b.partner.code());
        println!(
            "  {:<4}{name:<36}{:>16}{:>16}{:>+16}",
            b.partner.code(),
            b.imports,
            b.exports,
            b.balance()
        );
    }
    Ok(())
}
