//! Products rolled up from CPF4 to A129, A38 and A17, with their French labels: France's
//! exports at each level, and the ten main CPF4 products with their parents.
//!
//!     cargo run --example rollup              # demonstration data
//!     cargo run --example rollup -- DIR       # DGDDI files in DIR

use tradeflows::{Dataset, Flow, Level, Product, Territory};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = match args.first() {
        Some(dir) => Dataset::load(dir)?,
        None => Dataset::demo()?,
    };
    let france = Territory::France;

    println!("France, exports: the ten main CPF4 products and their parents");
    let cpf4 = data.cube(None, Level::Cpf4)?;
    for (product, value) in cpf4.flows(&france, Flow::Export).top_products(10).named {
        let label = data.labels().product(product).unwrap_or("?");
        println!("  {product} {label} — {value} €");
        if let Product::Cpf4(code) = product {
            // A CPF4 that is a NAF class has a listed A129, which has every parent.
            let parents = code.a129().and_then(|a| Some((a, a.a38()?, a.a17()?)));
            match parents {
                Some((a, a38, a17)) => println!(
                    "        A129 {a} {} → A38 {a38} {} → A17 {a17} {}",
                    a.label().unwrap_or("?"),
                    a38.label(),
                    a17.label()
                ),
                None => println!("        (not a NAF class: DGDDI gives its A129 on each row)"),
            }
        }
    }
    for level in [Level::A129, Level::A38, Level::A17] {
        let cube = data.cube(None, level)?;
        let exports = cube.flows(&france, Flow::Export);
        let by = exports.by_product();
        println!(
            "\nFrance, exports by {level}: {} products, total {} €",
            by.len(),
            exports.total()
        );
        let top = exports.top_products(5);
        for (p, v) in &top.named {
            println!(
                "  {:<5} {:<70} {:>16} €",
                p.to_string(),
                p.label().unwrap_or(""),
                v
            );
        }
        if let Some(rest) = top.others {
            println!("  {:<5} {:<70} {:>16} €", "", "autres", rest);
        }
        // Every level adds up to the same total.
        assert_eq!(by.iter().map(|x| x.1).sum::<i64>(), exports.total());
    }
    Ok(())
}
