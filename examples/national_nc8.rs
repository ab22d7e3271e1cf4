//! The national file: France's main NC8 lines of the year, with their CPF6 and A129 parents.
//!
//!     cargo run --example national_nc8              # demonstration data (synthetic NC8 codes)
//!     cargo run --example national_nc8 -- DIR       # National_YYYY_*.txt in DIR

use std::collections::BTreeMap;

use tradeflows::{Cpf6, Dataset, Flow, Nc8, A129};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = match args.first() {
        Some(dir) => Dataset::load(dir)?,
        None => Dataset::demo()?,
    };
    let rows = data.national().rows();
    let Some(year) = rows.iter().map(|r| r.year).max() else {
        println!("no national file in the data");
        return Ok(());
    };
    if data.is_demo() {
        println!("(demonstration data: synthetic NC8 codes, not official figures)");
    }
    for flow in [Flow::Export, Flow::Import] {
        // NC8 → (value, CPF6 and A129 as given on its rows).
        let mut by: BTreeMap<Nc8, (i64, Option<Cpf6>, Option<A129>)> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.year == year && r.flow == flow) {
            let e = by.entry(r.nc8).or_insert((0, r.cpf6, r.a129));
            e.0 += r.value;
        }
        let total: i64 = by.values().map(|v| v.0).sum();
        let mut lines: Vec<_> = by.into_iter().collect();
        lines.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let name = if flow == Flow::Export {
            "exports"
        } else {
            "imports"
        };
        println!(
            "\nFrance {year}, {name}: {} NC8 lines, total {total} €; the ten main ones:",
            lines.len()
        );
        for (nc8, (value, cpf6, a129)) in lines.iter().take(10) {
            let cpf6 = cpf6.map_or("—".to_owned(), |c| format!("{c} (CPF4 {})", c.cpf4()));
            let a129 = a129.map_or("—".to_owned(), |a| {
                format!("{a} {}", a.label().unwrap_or(""))
            });
            println!("  {nc8}  {value:>16} €   CPF6 {cpf6}   A129 {a129}");
        }
    }
    Ok(())
}
