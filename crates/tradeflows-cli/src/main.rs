//! `tradeflows`: the command line. `tradeflows factsheet` writes the factsheets of
//! territories as JSON (`tradeflows.factsheet/1`), SVG charts and self-contained HTML pages;
//! `tradeflows demo` writes the built-in demonstration data as DGDDI files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tradeflows::demo::DemoOptions;
use tradeflows::page::{self, PageContext};
use tradeflows::read::{LoadOptions, OnError};
use tradeflows::ti::{TerritoireIndustrie, TerritoiresIndustrie};
use tradeflows::{charts, Factsheet, FactsheetOptions, Level, Summary, Territory};

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
    /// Output formats, comma-separated: json, svg, html.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "json")]
    format: Vec<Format>,
    /// What to do with a malformed row: stop (fail) or report it in OUT/rejected.csv (skip).
    #[arg(long, default_value = "fail")]
    on_error: String,
    /// ANCT's list of the communes of the Territoires d'industrie (liste-ti-com2023-*.csv);
    /// default: a liste-ti-com*.csv in the data folder, or the demonstration list.
    #[arg(long, value_name = "FILE")]
    ti: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    /// Also write the national files (by month and synthetic NC8 code).
    #[arg(long)]
    national: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Factsheet(args) => factsheet(&args),
        Command::Demo(args) => demo(&args),
        Command::Check(args) => check(&args),
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
        national: args.national,
        ..DemoOptions::default()
    };
    let files = tradeflows::demo::write(&args.out, &options).map_err(|e| e.to_string())?;
    for f in files {
        eprintln!("wrote {}", f.display());
    }
    eprintln!("(synthetic demonstration data, not official DGDDI figures)");
    Ok(())
}

fn check(args: &CheckArgs) -> Result<(), String> {
    let data = tradeflows::Dataset::load(&args.data).map_err(err)?;
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
            tradeflows::check::Severity::Info => "note ",
            tradeflows::check::Severity::Discrepancy => "FAIL ",
        };
        println!("{tag} {}", f.message);
    }
    if report.has_discrepancy() {
        Err(format!(
            "{} discrepanc{} in {}",
            report
                .findings
                .iter()
                .filter(|f| f.severity == tradeflows::check::Severity::Discrepancy)
                .count(),
            if report
                .findings
                .iter()
                .filter(|f| f.severity == tradeflows::check::Severity::Discrepancy)
                .count()
                == 1
            {
                "y"
            } else {
                "ies"
            },
            args.data.display()
        ))
    } else {
        println!("no discrepancy");
        Ok(())
    }
}

/// The file-name key of a Territoire d'industrie: `ti-8413`.
fn ti_key(id: &str) -> String {
    if id.starts_with("ti-") {
        id.to_owned()
    } else {
        format!("ti-{id}")
    }
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn factsheet(args: &FactsheetArgs) -> Result<(), String> {
    let level: Level = args.level.parse().map_err(err)?;
    let on_error: OnError = args.on_error.parse().map_err(err)?;
    let html = args.format.contains(&Format::Html);

    // What to write: territories, and Territoires d'industrie by id.
    let mut territories: Vec<Territory> = Vec::new();
    let mut ti_ids: Vec<String> = Vec::new();
    if args.all {
        territories.extend(Territory::all());
    }
    for spec in &args.territories {
        if let Some(id) = spec.trim().strip_prefix("ti:") {
            if !ti_ids.iter().any(|x| x == id) {
                ti_ids.push(id.to_owned());
            }
            continue;
        }
        let t: Territory = spec.parse().map_err(err)?;
        if !territories.contains(&t) {
            territories.push(t);
        }
    }
    if territories.is_empty() && ti_ids.is_empty() {
        return Err(
            "no territory: give --territory SPEC (e.g. 22, reg:53, fr, ti:ti-8413) or --all".into(),
        );
    }

    // The list of Territoires d'industrie, when something needs it.
    let needs_tis = !ti_ids.is_empty()
        || (html
            && territories
                .iter()
                .any(|t| matches!(t, Territory::Departement(_))));
    let tis: Option<TerritoiresIndustrie> = if !needs_tis {
        None
    } else if let Some(file) = &args.ti {
        Some(TerritoiresIndustrie::load(file).map_err(err)?)
    } else if let Some(dir) = &args.data {
        TerritoiresIndustrie::find_in(dir).map_err(err)?
    } else {
        Some(TerritoiresIndustrie::demo().map_err(err)?)
    };
    let mut tis_wanted: Vec<&TerritoireIndustrie> = Vec::new();
    for id in &ti_ids {
        let list = tis.as_ref().ok_or_else(|| {
            format!("ti:{id}: no list of Territoires d'industrie (give --ti liste-ti-com2023-….csv, or put it in the data folder)")
        })?;
        let ti = list
            .get(id)
            .ok_or_else(|| format!("ti:{id}: not in the list of Territoires d'industrie"))?;
        tis_wanted.push(ti);
    }

    // The rows are aggregated as they are read and not kept: memory stays small.
    let data = match &args.data {
        Some(dir) => {
            Summary::load_year(dir, &LoadOptions { on_error }, level, args.year).map_err(err)?
        }
        None => Summary::demo(level).map_err(err)?,
    };
    report_load(&data, on_error, &args.out)?;
    let cube = data.cube(args.year).map_err(err)?;
    let options = FactsheetOptions {
        level,
        top: args.top,
        highlight: args.highlight,
    };

    // Every factsheet needed: those asked for, the départements of the Territoires
    // d'industrie, and (for pages) the régions and France they are compared with.
    let mut needed: Vec<Territory> = territories.clone();
    for ti in &tis_wanted {
        needed.extend(ti.departements().into_iter().map(Territory::Departement));
    }
    if html {
        let extra: Vec<Territory> = needed
            .iter()
            .filter_map(|t| t.region().map(Territory::Region))
            .chain(
                needed
                    .iter()
                    .filter(|t| !matches!(t, Territory::France))
                    .map(|_| Territory::France),
            )
            .collect();
        needed.extend(extra);
    }
    needed.sort();
    needed.dedup();
    let sheets: BTreeMap<Territory, Factsheet> = parallel(&needed, |t| {
        Ok((*t, data.factsheet_from(&cube, t, &options)))
    })?
    .into_iter()
    .collect();
    let sheet = |t: &Territory| {
        sheets
            .get(t)
            .ok_or_else(|| format!("{t}: factsheet missing"))
    };

    for (format, dir) in [
        (Format::Json, "json"),
        (Format::Svg, "svg"),
        (Format::Html, "html"),
    ] {
        if args.format.contains(&format) {
            let path = args.out.join(dir);
            std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let progress = ProgressBar::new((territories.len() + tis_wanted.len()) as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let context = |t: &Territory| -> Result<PageContext<'_>, String> {
        Ok(match t {
            Territory::Departement(d) => PageContext {
                region: Some(sheet(&Territory::Region(d.region()))?),
                france: Some(sheet(&Territory::France)?),
                territoires: None,
            },
            Territory::Region(_) => PageContext {
                region: None,
                france: Some(sheet(&Territory::France)?),
                territoires: None,
            },
            Territory::France => PageContext::default(),
        })
    };
    // Territories are independent: share them among the cores; each is written as soon as
    // it is rendered.
    parallel(&territories, |t| {
        let fs = sheet(t)?;
        let key = t.key();
        if args.format.contains(&Format::Json) {
            write(
                &args.out.join("json").join(format!("{key}.json")),
                fs.to_json().as_bytes(),
            )?;
        }
        if args.format.contains(&Format::Svg) {
            for (name, svg) in [
                ("balance", charts::balance(fs)),
                ("activities", charts::activities(fs)),
                ("exports", charts::exports(fs)),
                ("imports", charts::imports(fs)),
            ] {
                write(
                    &args.out.join("svg").join(format!("{key}-{name}.svg")),
                    svg.as_bytes(),
                )?;
            }
        }
        if html {
            let tis_here: Option<Vec<&TerritoireIndustrie>> = match (t, &tis) {
                (Territory::Departement(d), Some(list)) => Some(list.of_departement(*d)),
                _ => None,
            };
            let mut ctx = context(t)?;
            ctx.territoires = tis_here.as_deref();
            write(
                &args.out.join("html").join(format!("{key}.html")),
                page::render(fs, &ctx).as_bytes(),
            )?;
        }
        progress.inc(1);
        Ok(())
    })?;
    for ti in &tis_wanted {
        let key = ti_key(&ti.id);
        let deps: Vec<&Factsheet> = ti
            .departements()
            .into_iter()
            .map(|d| sheet(&Territory::Departement(d)))
            .collect::<Result<_, _>>()?;
        if args.format.contains(&Format::Json) {
            let json = serde_json::json!({
                "schema": "tradeflows.ti/1",
                "id": ti.id,
                "name": ti.name,
                "departements": ti.departements().iter().map(|d| serde_json::json!({
                    "code": d.code(), "name": d.name(), "communes": ti.communes.get(d).copied().unwrap_or(0)
                })).collect::<Vec<_>>(),
                "factsheets": deps,
            });
            let text = serde_json::to_string_pretty(&json).map_err(err)?;
            write(
                &args.out.join("json").join(format!("{key}.json")),
                text.as_bytes(),
            )?;
        }
        if html {
            let with_ctx: Vec<(&Factsheet, PageContext<'_>)> = deps
                .iter()
                .map(|fs| {
                    let t: Territory = fs.territory.code.parse().map_err(err)?;
                    Ok((*fs, context(&t)?))
                })
                .collect::<Result<_, String>>()?;
            write(
                &args.out.join("html").join(format!("{key}.html")),
                page::render_ti(ti, &with_ctx).as_bytes(),
            )?;
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    if html && args.all {
        let mut entries: Vec<(String, String)> = territories
            .iter()
            .map(|t| {
                let name = match t {
                    Territory::Departement(d) => format!("{} ({})", d.name(), d.code()),
                    _ => t.name().to_owned(),
                };
                (t.key(), name)
            })
            .collect();
        entries.extend(
            tis_wanted
                .iter()
                .map(|ti| (ti_key(&ti.id), ti.name.clone())),
        );
        let index = page::index(cube.year(), data.is_demo(), &entries);
        write(&args.out.join("html").join("index.html"), index.as_bytes())?;
    }

    let quarters = cube
        .quarters()
        .iter()
        .map(|q| format!("T{q}"))
        .collect::<Vec<_>>()
        .join(", ");
    let formats: Vec<&str> = args
        .format
        .iter()
        .map(|f| match f {
            Format::Json => "json",
            Format::Svg => "svg",
            Format::Html => "html",
        })
        .collect();
    let n = territories.len() + tis_wanted.len();
    let (year, demo) = (cube.year(), data.is_demo());
    // The process ends here: leave the aggregates to the OS rather than freeing a few
    // hundred thousand hash-map entries one by one (a measurable part of a 0.1 s run).
    std::mem::forget(sheets);
    std::mem::forget(cube);
    std::mem::forget(data);
    eprintln!(
        "wrote {n} factsheet{} ({}) to {} (year {}, {quarters}, level {level}){}",
        if n == 1 { "" } else { "s" },
        formats.join(", "),
        args.out.display(),
        year,
        if demo {
            " — demonstration data (synthetic), not official figures"
        } else {
            ""
        }
    );
    Ok(())
}

/// Runs `f` on every item, the items shared among the cores; results in item order; the
/// first error (in item order) wins.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, String> + Sync,
) -> Result<Vec<R>, String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                scope.spawn(move || part.iter().map(f).collect::<Result<Vec<R>, String>>())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(
                h.join()
                    .unwrap_or_else(|_| Err("a worker thread failed".into()))?,
            );
        }
        Ok(out)
    })
}

/// Prints the account of the load on stderr; in skip mode writes OUT/rejected.csv.
fn report_load(data: &Summary, on_error: OnError, out: &Path) -> Result<(), String> {
    let r = data.report();
    if *data.origin() == tradeflows::Origin::Demo {
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
        r.write_rejections_csv(&mut buf).map_err(err)?;
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
