//! `tradeflows`: the command line. Argument parsing, progress and exit codes only: every
//! figure, name and file comes from the library's application layer
//! ([`tradeflows::publish`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tradeflows::check::Severity;
use tradeflows::demo::DemoOptions;
use tradeflows::publish::{find_ti_list, write_atomic, Format, Plan, Request, Spec};
use tradeflows::read::{LoadOptions, LoadReport, OnError};
use tradeflows::{Country, Error, FactsheetOptions, Level, Origin, Summary};

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
    /// Check DGDDI files against themselves: sums, codes, flows and years; exits non-zero on a
    /// discrepancy.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Folder (or zip) of DGDDI files as downloaded.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Relative difference allowed between the regional and national totals of a quarter.
    #[arg(long, default_value_t = 0.0)]
    tolerance: f64,
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
    /// Territory: `22` or `dep:22` (2A, 2B, 971… accepted), `reg:53` (INSEE), `fr`,
    /// `ti:ti-8413` (a Territoire d'industrie: its départements' figures). Repeatable.
    #[arg(long = "territory", value_name = "SPEC")]
    territories: Vec<Spec>,
    /// Every département, région and France.
    #[arg(long)]
    all: bool,
    /// Product level: cpf4, a129, a88, a64, a38, a21, a17, a10.
    #[arg(long, default_value = "a129")]
    level: Level,
    /// Number of named products and partners.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Number of highlighted flows.
    #[arg(long, default_value_t = 5)]
    highlight: usize,
    /// Countries whose share of the exports and imports the exposure gives, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "US,CN,GB", value_parser = Country::parse_listed)]
    watch: Vec<Country>,
    /// Output formats, comma-separated: json, svg, html.
    #[arg(long, value_delimiter = ',', default_value = "json")]
    format: Vec<Format>,
    /// What to do with a malformed row: stop (fail) or report it in OUT/rejected.csv (skip).
    #[arg(long, default_value = "fail")]
    on_error: OnError,
    /// ANCT's list of the communes of the Territoires d'industrie (liste-ti-com2023-*.csv);
    /// default: a liste-ti-com*.csv in the data folder, or the demonstration list.
    #[arg(long, value_name = "FILE")]
    ti: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct DemoArgs {
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The latest year written (the reference year of the factsheets).
    #[arg(long, default_value_t = tradeflows::demo::DEMO_YEAR)]
    year: u16,
    /// How many full years before it are written too (0: one year only).
    #[arg(long, default_value_t = 3)]
    history: u16,
    /// Size (1.0 ≈ 130 000 rows; 7 ≈ the 2 million rows of a real year).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Also write the national files (by month and synthetic NC8 code).
    #[arg(long)]
    national: bool,
    /// `compact`: 70 partners, most flows every quarter; `real`: every country, many small
    /// flows in one or two quarters, as in DGDDI's files (for benchmarks).
    #[arg(long, default_value = "compact")]
    spread: tradeflows::demo::Spread,
}

fn main() -> ExitCode {
    // A short run with the machine to itself: the threads of each step kept on their CPUs.
    tradeflows::pin_threads();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Factsheet(args) => factsheet(&args),
        Command::Demo(args) => demo(&args),
        Command::Check(args) => check(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                // 128 + SIGINT, as shells report an interrupted command.
                Error::Cancelled { .. } => ExitCode::from(130),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn demo(args: &DemoArgs) -> Result<(), Error> {
    let options = DemoOptions {
        year: args.year,
        history: args.history,
        scale: args.scale,
        national: args.national,
        spread: args.spread,
        ..DemoOptions::default()
    };
    for f in tradeflows::demo::write(&args.out, &options)? {
        eprintln!("wrote {}", f.display());
    }
    eprintln!("(synthetic demonstration data, not official DGDDI figures)");
    Ok(())
}

fn check(args: &CheckArgs) -> Result<(), Error> {
    let data = tradeflows::Dataset::load(&args.data)?;
    let r = data.report();
    println!(
        "{} files, {} rows read = {} loaded + {} rejected + {} set aside",
        r.files.len(),
        r.rows_read(),
        r.rows_loaded(),
        r.rows_rejected(),
        r.rows_superseded()
    );
    let report = tradeflows::check::check(&data, args.tolerance);
    for line in &report.passed {
        println!("ok    {line}");
    }
    for f in &report.findings {
        let tag = match f.severity {
            Severity::Info => "note ",
            Severity::Discrepancy => "FAIL ",
        };
        println!("{tag} {}", f.message);
    }
    let n = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Discrepancy)
        .count();
    if n > 0 {
        let s = if n == 1 { "y" } else { "ies" };
        return Err(Error::Request(format!(
            "{n} discrepanc{s} in {}",
            args.data.display()
        )));
    }
    println!("no discrepancy");
    Ok(())
}

fn factsheet(args: &FactsheetArgs) -> Result<(), Error> {
    let request = Request {
        specs: args.territories.clone(),
        all: args.all,
        options: FactsheetOptions {
            level: args.level,
            top: args.top,
            highlight: args.highlight,
            watch: args.watch.clone(),
        },
        year: args.year,
        formats: args.format.clone(),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .map_err(|e| Error::Request(format!("cannot catch Ctrl-C: {e}")))?;

    // The rows are aggregated as they are read and not kept: memory stays small.
    let load = LoadOptions {
        on_error: args.on_error,
    };
    let mut data = match &args.data {
        Some(dir) => Summary::load(dir, &load, args.level, args.year)?,
        None => Summary::demo(args.level)?,
    };
    report_load(data.report(), data.origin(), args.on_error, &args.out)?;
    // The aggregates hand their detail over to the cube: memory peaks once.
    data.keep_cube(args.year, args.level)?;
    let list = if request.needs_ti_list() {
        find_ti_list(args.ti.as_deref(), data.origin())?
    } else {
        None
    };
    let plan = Plan::new(&data, &request, list.as_ref())?;
    let progress = ProgressBar::new(plan.documents().len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let written = plan.write(&args.out, &|_| progress.inc(1), &cancel);
    progress.finish_and_clear();
    written?;
    let n = plan.count();
    let formats: Vec<&str> = args.format.iter().map(|f| f.name()).collect();
    say(format!(
        "wrote {n} factsheet{} ({}) to {} (year {}, {}, level {}){}",
        if n == 1 { "" } else { "s" },
        formats.join(", "),
        args.out.display(),
        plan.year(),
        plan.quarters(),
        args.level,
        if data.is_demo() {
            " — demonstration data (synthetic), not official figures"
        } else {
            ""
        }
    ));
    // The process ends here: leave the aggregates to the OS rather than freeing a few
    // hundred thousand hash-map entries one by one (a measurable part of a 0.1 s run).
    std::mem::forget(plan);
    std::mem::forget(data);
    Ok(())
}

/// Writes a line on stderr in one write: `eprintln!` writes each piece of its format
/// apart, unbuffered (about 30 system calls for the summary of a run, each a few
/// microseconds when stderr is a file).
fn say(mut line: String) {
    use std::io::Write;
    line.push('\n');
    // Nothing to do if stderr is closed: the files are written already.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Prints the account of the load on stderr; in skip mode writes OUT/rejected.csv.
fn report_load(
    r: &LoadReport,
    origin: &Origin,
    on_error: OnError,
    out: &Path,
) -> Result<(), Error> {
    if *origin == Origin::Demo {
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
        say(format!(
            "read {files} file{}: {} rows read = {} loaded + {} rejected{superseded}",
            if files == 1 { "" } else { "s" },
            r.rows_read(),
            r.rows_loaded(),
            r.rows_rejected()
        ));
        for line in r.notes() {
            eprintln!("  {line}");
        }
    }
    if on_error == OnError::Skip {
        std::fs::create_dir_all(out).map_err(|source| Error::Write {
            path: out.to_owned(),
            source,
        })?;
        let path = out.join("rejected.csv");
        write_atomic(&path, &r.rejections_csv()?)?;
        eprintln!(
            "{} rejected rows listed in {}",
            r.rows_rejected(),
            path.display()
        );
    }
    Ok(())
}
