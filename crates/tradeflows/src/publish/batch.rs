//! The batch of the command line: every factsheet asked for (and those their pages compare
//! them with) computed once, then rendered and written, on every core.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use super::output::{create_dir, write_atomic, Document};
use super::sheet::{compared_with, territoires_of};
use super::spec::{Format, Spec};
use crate::codes::{Country, Flow, Quarters};
use crate::data::{Loaded, Store};
use crate::error::{Error, Result};
use crate::model::{
    Factsheet, FactsheetOptions, TerritoireIndustrie, TerritoiresIndustrie, Territory,
    TerritoryIndicators, TiId,
};
use crate::render::charts::ChartKind;
use crate::render::page::{self, PageContext};

/// What to publish.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The territories asked for.
    pub specs: Vec<Spec>,
    /// Every département, région and France too.
    pub all: bool,
    /// Level, top and highlight counts.
    pub options: FactsheetOptions,
    /// The year (default: the latest).
    pub year: Option<u16>,
    /// The formats to write.
    pub formats: Vec<Format>,
}

impl Request {
    /// Whether the list of Territoires d'industrie is needed: for `ti:` specs, and for the
    /// pages of départements (which list their territories).
    pub fn needs_ti_list(&self) -> bool {
        let pages = self.formats.contains(&Format::Html);
        self.specs.iter().any(|s| match s {
            Spec::Ti(_) => true,
            Spec::Territory(t) => pages && matches!(t, Territory::Departement(_)),
        }) || (pages && self.all)
    }
}

/// A Territoire d'industrie of the list, or an error saying why there is none.
pub(crate) fn find_ti<'a>(
    list: Option<&'a TerritoiresIndustrie>,
    id: &TiId,
) -> Result<&'a TerritoireIndustrie> {
    let list = list.ok_or_else(|| {
        Error::Request(format!(
            "ti:{id}: no list of Territoires d'industrie (give --ti liste-ti-com2023-….csv, or put it in the data folder)"
        ))
    })?;
    list.get(id).ok_or_else(|| {
        Error::Request(format!(
            "ti:{id}: not in the list of Territoires d'industrie"
        ))
    })
}

/// The JSON of a Territoire d'industrie (`tradeflows.ti/1`); keys in alphabetical order.
#[derive(Serialize)]
struct TiJson<'a> {
    departements: Vec<TiDepartement>,
    factsheets: Vec<&'a Factsheet>,
    id: &'a TiId,
    name: &'a str,
    schema: &'static str,
}

#[derive(Serialize)]
struct TiDepartement {
    code: &'static str,
    communes: u32,
    name: &'static str,
}

/// Everything a `factsheet` run writes, with the factsheets computed once.
#[derive(Debug)]
pub struct Plan<'a> {
    territories: Vec<Territory>,
    tis: Vec<&'a TerritoireIndustrie>,
    list: Option<&'a TerritoiresIndustrie>,
    sheets: BTreeMap<Territory, Factsheet>,
    formats: Vec<Format>,
    all: bool,
    year: u16,
    quarters: Quarters,
    /// The exports to the United States of every territory, for the explorer, when the
    /// factsheets do not watch them.
    us_exports: BTreeMap<Territory, i64>,
}

impl<'a> Plan<'a> {
    /// Checks the request against the data and the list, and computes every factsheet needed:
    /// those asked for, the départements of the Territoires d'industrie, and for pages the
    /// régions and France they are compared with.
    pub fn new<S: Store>(
        data: &Loaded<S>,
        request: &Request,
        list: Option<&'a TerritoiresIndustrie>,
    ) -> Result<Plan<'a>> {
        let mut territories: Vec<Territory> = Vec::new();
        if request.all {
            territories.extend(Territory::all());
        }
        let mut tis: Vec<&TerritoireIndustrie> = Vec::new();
        for spec in &request.specs {
            match spec {
                Spec::Territory(t) if !territories.contains(t) => territories.push(*t),
                Spec::Territory(_) => {}
                Spec::Ti(id) => {
                    let ti = find_ti(list, id)?;
                    if !tis.iter().any(|x| x.id == ti.id) {
                        tis.push(ti);
                    }
                }
            }
        }
        if territories.is_empty() && tis.is_empty() {
            return Err(Error::Request(
                "no territory: give --territory SPEC (e.g. 22, reg:53, fr, ti:ti-8413) or --all"
                    .into(),
            ));
        }
        let pages = request.formats.contains(&Format::Html);
        let mut needed: Vec<Territory> = territories.clone();
        needed.extend(
            tis.iter()
                .flat_map(|ti| ti.departements())
                .map(Territory::Departement),
        );
        if pages {
            let compared: Vec<Territory> = needed.iter().flat_map(|t| compared_with(*t)).collect();
            needed.extend(compared);
        }
        needed.sort();
        needed.dedup();
        // The largest first (France, then the régions: the last in territory order), so that
        // the cores finish together.
        needed.reverse();
        let cube = data.cube(request.year, request.options.level)?;
        let sheets = parallel(&needed, |t| {
            Ok((*t, data.factsheet_from(&cube, t, &request.options)))
        })?
        .into_iter()
        .collect();
        let us = Country::from_bytes(b"US").map_err(|_| Error::Internal("US is a country"))?;
        let us_exports = if request.all && pages && !request.options.watch.contains(&us) {
            Territory::all()
                .map(|t| {
                    let partners = cube.flows(&t, Flow::Export).by_partner();
                    let v = partners.iter().find(|x| x.0 == us).map_or(0, |x| x.1);
                    (t, v)
                })
                .collect()
        } else {
            BTreeMap::new()
        };
        Ok(Plan {
            territories,
            tis,
            list,
            sheets,
            formats: request.formats.clone(),
            all: request.all,
            year: cube.year(),
            quarters: cube.quarters(),
            us_exports,
        })
    }

    /// The year of the figures.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The quarters the year's data cover.
    pub fn quarters(&self) -> Quarters {
        self.quarters
    }

    /// How many factsheets are published (territories and Territoires d'industrie).
    pub fn count(&self) -> usize {
        self.territories.len() + self.tis.len()
    }

    /// The factsheet of a territory of the plan.
    pub fn factsheet(&self, t: &Territory) -> Result<&Factsheet> {
        self.sheets
            .get(t)
            .ok_or(Error::Internal("a factsheet of the plan was not computed"))
    }

    /// Every file to write, in a stable order.
    pub fn documents(&self) -> Vec<Document> {
        let mut docs = Vec::new();
        for &t in &self.territories {
            for format in &self.formats {
                match format {
                    Format::Json => docs.push(Document::Json(t)),
                    Format::Svg => docs.extend(ChartKind::ALL.map(|k| Document::Chart(t, k))),
                    Format::Html => docs.push(Document::Page(t)),
                }
            }
        }
        for ti in &self.tis {
            for format in &self.formats {
                match format {
                    Format::Json => docs.push(Document::TiJson(ti.id.clone())),
                    Format::Svg => {}
                    Format::Html => docs.push(Document::TiPage(ti.id.clone())),
                }
            }
        }
        if self.all && self.formats.contains(&Format::Html) {
            docs.push(Document::Index);
        }
        docs
    }

    /// The bytes of a file.
    pub fn render(&self, doc: &Document) -> Result<Vec<u8>> {
        let text = match doc {
            Document::Json(t) => self.factsheet(t)?.to_json()?,
            Document::Chart(t, kind) => kind.render(self.factsheet(t)?),
            Document::Page(t) => self.page(*t)?,
            Document::TiJson(id) => self.ti_json(find_ti(self.list, id)?)?,
            Document::TiPage(id) => self.ti_page(find_ti(self.list, id)?)?,
            Document::Index => self.index()?,
        };
        Ok(text.into_bytes())
    }

    fn context(&self, t: Territory) -> Result<PageContext<'_>> {
        let (mut region, mut france) = (None, None);
        for other in compared_with(t) {
            let fs = Some(self.factsheet(&other)?);
            match other {
                Territory::France => france = fs,
                _ => region = fs,
            }
        }
        Ok(PageContext {
            region,
            france,
            territoires: None,
        })
    }

    fn page(&self, t: Territory) -> Result<String> {
        let tis = territoires_of(t, self.list);
        let ctx = PageContext {
            territoires: tis.as_deref(),
            ..self.context(t)?
        };
        Ok(page::render(self.factsheet(&t)?, &ctx))
    }

    fn ti_departements(&self, ti: &TerritoireIndustrie) -> Result<Vec<&Factsheet>> {
        ti.departements()
            .into_iter()
            .map(|d| self.factsheet(&Territory::Departement(d)))
            .collect()
    }

    fn ti_json(&self, ti: &TerritoireIndustrie) -> Result<String> {
        let json = TiJson {
            departements: ti
                .departements()
                .into_iter()
                .map(|d| TiDepartement {
                    code: d.code(),
                    communes: ti.communes.get(&d).copied().unwrap_or(0),
                    name: d.name(),
                })
                .collect(),
            factsheets: self.ti_departements(ti)?,
            id: &ti.id,
            name: &ti.name,
            schema: "tradeflows.ti/1",
        };
        serde_json::to_string_pretty(&json).map_err(|e| Error::Json(e.to_string()))
    }

    fn ti_page(&self, ti: &TerritoireIndustrie) -> Result<String> {
        let with_ctx: Vec<(&Factsheet, PageContext<'_>)> = self
            .ti_departements(ti)?
            .into_iter()
            .map(|fs| Ok((fs, self.context(fs.territory)?)))
            .collect::<Result<_>>()?;
        Ok(page::render_ti(ti, &with_ctx))
    }

    /// The explorer of every territory (`--all --format html`).
    fn index(&self) -> Result<String> {
        let rows = Territory::all()
            .map(|t| {
                let fs = self.factsheet(&t)?;
                Ok(TerritoryIndicators::of(
                    fs,
                    self.us_exports.get(&t).copied(),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let france = self.factsheet(&Territory::France)?;
        let tis: Vec<(String, String)> = self
            .tis
            .iter()
            .map(|ti| (ti.id.key(), ti.name.clone()))
            .collect();
        let source = if france.source.demo {
            france.source.description.clone()
        } else {
            format!(
                "Source : {}, {}.",
                france.source.description,
                france.period()
            )
        };
        Ok(page::explorer(
            &rows,
            &france.period(),
            france
                .source
                .demo
                .then_some(france.source.description.as_str()),
            &source,
            &tis,
        ))
    }

    /// Renders and writes every file under `out`, on every core, each atomically; calls
    /// `progress` after each file. Stops at the first error (the files written before stay,
    /// complete) or when `cancel` is set ([`Error::Cancelled`]). Returns how many files
    /// were written.
    pub fn write(
        &self,
        out: &Path,
        progress: &(dyn Fn(&Document) + Sync),
        cancel: &AtomicBool,
    ) -> Result<usize> {
        for format in &self.formats {
            create_dir(&out.join(format.name()))?;
        }
        let docs = self.documents();
        let next = AtomicUsize::new(0);
        let written = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let first_error: Mutex<Option<(usize, Error)>> = Mutex::new(None);
        let work = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= docs.len() || stop.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed) {
                break;
            }
            let result = self
                .render(&docs[i])
                .and_then(|bytes| write_atomic(&out.join(docs[i].path()), &bytes));
            match result {
                Ok(()) => {
                    written.fetch_add(1, Ordering::Relaxed);
                    progress(&docs[i]);
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    if let Ok(mut first) = first_error.lock() {
                        if first.as_ref().is_none_or(|(j, _)| i < *j) {
                            *first = Some((i, e));
                        }
                    }
                }
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads() {
                scope.spawn(work);
            }
            work();
        });
        let written = written.into_inner();
        match first_error.into_inner() {
            Ok(Some((_, e))) => Err(e),
            Err(_) => Err(Error::Internal("a writer thread failed")),
            Ok(None) if cancel.load(Ordering::Relaxed) && written < docs.len() => {
                Err(Error::Cancelled { written })
            }
            Ok(None) => Ok(written),
        }
    }
}

/// The number of worker threads: one per core.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `f` on every item, the items shared among the cores (each core takes the next item
/// when it is done, so uneven items still finish together); results in item order; the
/// first error (in item order) wins.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut results: Vec<(usize, Result<R>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads()).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            match h.join() {
                Ok(done) => all.extend(done),
                Err(_) => all.push((0, Err(Error::Internal("a worker thread failed")))),
            }
        }
        all
    });
    results.sort_by_key(|r| r.0);
    results.into_iter().map(|r| r.1).collect()
}
