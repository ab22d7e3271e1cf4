//! `tradeflows`: the command line. `tradeflows factsheet` writes the factsheet figures of
//! territories as JSON (`tradeflows.factsheet/1`); `tradeflows demo` writes the built-in
//! demonstration data as DGDDI files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tradeflows::demo::DemoOptions;
use tradeflows::read::{LoadOptions, OnError};
use tradeflows::{FactsheetOptions, Level, Summary, Territory};

/// French customs (DGDDI) foreign-trade data → the ANCT factsheet "Les indicateurs clés :
/// commerce extérieur", for every département, région and France.
#[derive(Parser, Debug)]
#[command(name = "tradeflows", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compute the factsheets of territories and write them to OUT.
    Factsheet(FactsheetArgs),
    /// Write the built-in demonstration data (synthetic) as DGDDI files into a folder.
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
struct FactsheetArgs {
    /// Folder (or zip) of DGDDI files as downloaded; without it, the built-in demonstration
    /// data (synthetic, said so in every output).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Year (default: the latest year of the regional file).
    #[arg(long, value_name = "YYYY")]
    year: Option<u16>,
    /// Territory: `22` or `dep:22` (2A, 2B, 971… accepted), `reg:53` (INSEE), `fr`. Repeatable.
    #[arg(long = "territory", value_name = "SPEC")]
    territories: Vec<String>,
    /// Every département, région and France.
    #[arg(long)]
    all: bool,
    /// Product level: cpf4, a129, a88, a64, a38, a21, a17, a10.
    #[arg(long, default_value = "a129")]
    level: String,
    /// Number of named products and partners.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Number of highlighted flows.
    #[arg(long, default_value_t = 5)]
    highlight: usize,
    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "json")]
    format: Vec<Format>,
    /// What to do with a malformed row: stop (fail) or report it in OUT/rejected.csv (skip).
    #[arg(long, default_value = "fail")]
    on_error: String,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Svg,
    Html,
}

#[derive(clap::Args, Debug)]
struct DemoArgs {
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Year written in the rows.
    #[arg(long, default_value_t = tradeflows::demo::DEMO_YEAR)]
    year: u16,
    /// Size (1.0 ≈ 130 000 rows; 7 ≈ the 2 million rows of a real year).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Factsheet(args) => factsheet(&args),
        Command::Demo(args) => demo(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn demo(args: &DemoArgs) -> Result<(), String> {
    let options = DemoOptions {
        year: args.year,
        scale: args.scale,
        ..DemoOptions::default()
    };
    let files = tradeflows::demo::write(&args.out, &options).map_err(|e| e.to_string())?;
    for f in files {
        eprintln!("wrote {}", f.display());
    }
    eprintln!("(synthetic demonstration data, not official DGDDI figures)");
    Ok(())
}

fn factsheet(args: &FactsheetArgs) -> Result<(), String> {
    let level: Level = args
        .level
        .parse()
        .map_err(|e: tradeflows::CodeError| e.to_string())?;
    let on_error: OnError = args
        .on_error
        .parse()
        .map_err(|e: tradeflows::CodeError| e.to_string())?;
    if let Some(f) = args.format.iter().find(|f| **f != Format::Json) {
        return Err(format!(
            "--format {}: only json is available in this version",
            if *f == Format::Svg { "svg" } else { "html" }
        ));
    }
    let mut territories: Vec<Territory> = Vec::new();
    if args.all {
        territories.extend(Territory::all());
    }
    for spec in &args.territories {
        let t: Territory = spec
            .parse()
            .map_err(|e: tradeflows::CodeError| e.to_string())?;
        if !territories.contains(&t) {
            territories.push(t);
        }
    }
    if territories.is_empty() {
        return Err("no territory: give --territory SPEC (e.g. 22, reg:53, fr) or --all".into());
    }

    // The rows are aggregated as they are read and not kept: memory stays small.
    let data = match &args.data {
        Some(dir) => Summary::load(dir, &LoadOptions { on_error }, level).map_err(|e| e.to_string())?,
        None => Summary::demo(level).map_err(|e| e.to_string())?,
    };
    report_load(&data, on_error, &args.out)?;

    let cube = data.cube(args.year).map_err(|e| e.to_string())?;
    let options = FactsheetOptions {
        level,
        top: args.top,
        highlight: args.highlight,
    };
    let json_dir = args.out.join("json");
    std::fs::create_dir_all(&json_dir).map_err(|e| format!("{}: {e}", json_dir.display()))?;
    // Territories are independent: share them among the cores; each factsheet is written
    // as soon as it is computed, so memory does not grow with their number.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = territories.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = territories
            .chunks(chunk)
            .map(|part| {
                let (data, cube, options, json_dir) = (&data, &cube, &options, &json_dir);
                scope.spawn(move || -> Result<(), String> {
                    for t in part {
                        let fs = data.factsheet_from(cube, t, options);
                        write(&json_dir.join(format!("{}.json", t.key())), fs.to_json().as_bytes())?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err("a worker thread failed".into())))
    })?;
    let quarters = cube
        .quarters()
        .iter()
        .map(|q| format!("T{q}"))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!(
        "wrote {} factsheet{} to {} (year {}, {}, level {}){}",
        territories.len(),
        if territories.len() == 1 { "" } else { "s" },
        json_dir.display(),
        cube.year(),
        quarters,
        level,
        if data.is_demo() {
            " — demonstration data (synthetic), not official figures"
        } else {
            ""
        }
    );
    Ok(())
}

/// Prints the account of the load on stderr; in skip mode writes OUT/rejected.csv.
fn report_load(data: &Summary, on_error: OnError, out: &Path) -> Result<(), String> {
    let r = data.report();
    if data.is_demo() {
        eprintln!(
            "demonstration data (synthetic, not official figures): {} rows",
            r.rows_loaded()
        );
    } else {
        let files = r.files.len();
        let superseded = match r.rows_superseded() {
            0 => String::new(),
            n => format!(" + {n} set aside"),
        };
        eprintln!(
            "read {files} file{}: {} rows read = {} loaded + {} rejected{superseded}",
            if files == 1 { "" } else { "s" },
            r.rows_read(),
            r.rows_loaded(),
            r.rows_rejected()
        );
        for s in &r.superseded {
            eprintln!(
                "  {} rows of {} ({} {} T{}) set aside: {} gives that year",
                s.rows,
                r.files[s.file].path.display(),
                if s.flow == tradeflows::Flow::Import {
                    "imports"
                } else {
                    "exports"
                },
                s.year,
                s.quarter,
                r.files[s.by].path.display()
            );
        }
        for d in &r.duplicates {
            eprintln!(
                "  {} skipped: same content as a file already read",
                d.display()
            );
        }
    }
    if on_error == OnError::Skip {
        std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
        let path = out.join("rejected.csv");
        let mut buf = Vec::new();
        r.write_rejections_csv(&mut buf)
            .map_err(|e| e.to_string())?;
        write(&path, &buf)?;
        eprintln!(
            "{} rejected rows listed in {}",
            r.rows_rejected(),
            path.display()
        );
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
