//! The batch of the command line: every factsheet asked for (and those their pages compare
//! them with) computed once, then rendered and written, on every core.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::output::{create_dir, write_atomic, write_unless_same, Document};
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

/// Computes the factsheet of a territory of the plan.
type MakeSheet<'a> = Box<dyn Fn(&Territory) -> Factsheet + Send + Sync + 'a>;

/// Everything a `factsheet` run writes, with the factsheets computed once: each when a file
/// first needs it, so that a core computes factsheets while another writes files.
pub struct Plan<'a> {
    territories: Vec<Territory>,
    tis: Vec<&'a TerritoireIndustrie>,
    list: Option<&'a TerritoiresIndustrie>,
    /// The factsheets needed, each computed once, by the first file that needs it.
    sheets: BTreeMap<Territory, OnceLock<Factsheet>>,
    make: MakeSheet<'a>,
    formats: Vec<Format>,
    all: bool,
    year: u16,
    quarters: Quarters,
    /// The exports to the United States of every territory, for the explorer, when the
    /// factsheets do not watch them.
    us_exports: BTreeMap<Territory, i64>,
}

impl std::fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("territories", &self.territories)
            .field("tis", &self.tis.iter().map(|t| &t.id).collect::<Vec<_>>())
            .field("sheets", &self.sheets.keys().collect::<Vec<_>>())
            .field("formats", &self.formats)
            .field("year", &self.year)
            .finish_non_exhaustive()
    }
}

impl<'a> Plan<'a> {
    /// Checks the request against the data and the list, builds the cube, and lists every
    /// factsheet needed: those asked for, the départements of the Territoires d'industrie,
    /// and for pages the régions and France they are compared with. Each is computed once,
    /// when a file (or [`Plan::factsheet`]) first needs it.
    pub fn new<S: Store>(
        data: &'a Loaded<S>,
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
        let cube = data.cube(request.year, request.options.level)?;
        let sheets = needed.into_iter().map(|t| (t, OnceLock::new())).collect();
        let (options, sheet_cube) = (request.options.clone(), cube.clone());
        let make: MakeSheet<'a> =
            Box::new(move |t: &Territory| data.factsheet_from(&sheet_cube, t, &options));
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
            make,
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

    /// The factsheet of a territory of the plan (computed at the first call).
    pub fn factsheet(&self, t: &Territory) -> Result<&Factsheet> {
        self.sheets
            .get(t)
            .map(|sheet| sheet.get_or_init(|| (self.make)(t)))
            .ok_or(Error::Internal("a factsheet not in the plan"))
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
            Document::Json(t) => return self.factsheet(t)?.to_json_bytes(),
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
        crate::format::pretty_json(&json).map_err(|e| Error::Json(e.to_string()))
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
    /// were written. In a folder that was there before, a file that already holds the
    /// bytes to write is left as it is, dates included, and counts as written (replacing it
    /// would free an inode that ext4 makes the next creations skip for minutes).
    ///
    /// The cores compute the factsheets and render the files, the largest first; one core at
    /// a time creates files (whichever finds the file system free takes the rendered files
    /// waiting): creating a file locks its folder, and a core waiting for that lock would
    /// spin instead of rendering.
    pub fn write(
        &self,
        out: &Path,
        progress: &(dyn Fn(&Document) + Sync),
        cancel: &AtomicBool,
    ) -> Result<usize> {
        // The folders of an earlier run: their files are compared before being replaced.
        let mut earlier = Vec::new();
        for format in &self.formats {
            let dir = out.join(format.name());
            if dir.is_dir() {
                earlier.push(Path::new(format.name()));
            }
            create_dir(&dir)?;
        }
        let docs = self.documents();
        let order = work_order(&docs);
        let next = AtomicUsize::new(0);
        let writer = Writer {
            out,
            earlier: &earlier,
            docs: &docs,
            progress,
            cancel,
            rendered: Mutex::new(Vec::new()),
            files: Mutex::new(()),
            written: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            first_error: Mutex::new(None),
        };
        let work = || {
            while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                if writer.stop.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed) {
                    break;
                }
                match self.render(&docs[i]) {
                    Ok(bytes) => writer.submit(i, bytes),
                    Err(e) => writer.fail(i, e),
                }
            }
        };
        let ended = crate::cores::each_core(work);
        writer.drain(true);
        if ended.iter().any(Option::is_none) {
            return Err(Error::Internal("a writer thread failed"));
        }
        let written = writer.written.into_inner();
        match writer.first_error.into_inner() {
            Ok(Some((_, e))) => Err(e),
            Err(_) => Err(Error::Internal("a writer thread failed")),
            Ok(None) if cancel.load(Ordering::Relaxed) && written < docs.len() => {
                Err(Error::Cancelled { written })
            }
            Ok(None) => Ok(written),
        }
    }
}

/// The files rendered and not yet written, and who writes them: one thread at a time.
struct Writer<'w> {
    out: &'w Path,
    /// The folders (under `out`) that were there before the run.
    earlier: &'w [&'w Path],
    docs: &'w [Document],
    progress: &'w (dyn Fn(&Document) + Sync),
    cancel: &'w AtomicBool,
    /// (index in `docs`, bytes) of the files rendered, waiting.
    rendered: Mutex<Vec<(usize, Vec<u8>)>>,
    /// Held by the thread that creates files.
    files: Mutex<()>,
    written: AtomicUsize,
    stop: AtomicBool,
    first_error: Mutex<Option<(usize, Error)>>,
}

/// Beyond this many rendered files waiting, a thread waits to write them itself (memory
/// stays bounded when files are created more slowly than they are rendered).
const MAX_WAITING: usize = 8;

impl Writer<'_> {
    /// Hands a rendered file over, and writes the files waiting if no thread is.
    fn submit(&self, i: usize, bytes: Vec<u8>) {
        let waiting = match self.rendered.lock() {
            Ok(mut rendered) => {
                rendered.push((i, bytes));
                rendered.len()
            }
            Err(_) => return self.fail(i, Error::Internal("a writer thread failed")),
        };
        self.drain(waiting > MAX_WAITING);
    }

    /// Writes the files waiting, until none is left: if no other thread is writing, or
    /// (`wait`) once it is done. The lock on the files is given back before the list is
    /// looked at again, so a file handed over meanwhile is written by one thread or the
    /// other.
    fn drain(&self, wait: bool) {
        loop {
            let guard = match (wait, self.files.try_lock()) {
                (_, Ok(g)) => g,
                (true, Err(std::sync::TryLockError::WouldBlock)) => match self.files.lock() {
                    Ok(g) => g,
                    Err(_) => return,
                },
                _ => return,
            };
            let batch = match self.rendered.lock() {
                Ok(mut rendered) => std::mem::take(&mut *rendered),
                Err(_) => return,
            };
            if batch.is_empty() {
                return;
            }
            for (i, bytes) in batch {
                if self.stop.load(Ordering::Relaxed) || self.cancel.load(Ordering::Relaxed) {
                    break;
                }
                let doc = &self.docs[i];
                let path = doc.path();
                let written = match path.parent() {
                    Some(dir) if self.earlier.contains(&dir) => {
                        write_unless_same(&self.out.join(&path), &bytes).map(|_| ())
                    }
                    _ => write_atomic(&self.out.join(&path), &bytes),
                };
                match written {
                    Ok(()) => {
                        self.written.fetch_add(1, Ordering::Relaxed);
                        (self.progress)(doc);
                    }
                    Err(e) => self.fail(i, e),
                }
            }
            drop(guard);
        }
    }

    /// Records a failure (the first in file order wins) and stops the work.
    fn fail(&self, i: usize, e: Error) {
        self.stop.store(true, Ordering::Relaxed);
        if let Ok(mut first) = self.first_error.lock() {
            if first.as_ref().is_none_or(|(j, _)| i < *j) {
                *first = Some((i, e));
            }
        }
    }
}

/// The order in which the cores take the files (which keep their indices in `docs`): the
/// largest factsheets first (France, then the régions: the last in territory order) so that
/// the cores end together, and the files that gather others' factsheets (Territoires
/// d'industrie, the explorer) last.
fn work_order(docs: &[Document]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| match &docs[i] {
        Document::Json(t) | Document::Chart(t, _) | Document::Page(t) => {
            (0, Some(std::cmp::Reverse(*t)))
        }
        Document::TiJson(_) | Document::TiPage(_) => (1, None),
        Document::Index => (2, None),
    });
    order
}
