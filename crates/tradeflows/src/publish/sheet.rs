//! A factsheet with what its page shows beside it: the région's and France's factsheets
//! for the comparisons, and the département's Territoires d'industrie.

use std::path::Path;

use crate::data::{Loaded, Origin, Store};
use crate::error::Result;
use crate::model::{
    Factsheet, FactsheetOptions, TerritoireIndustrie, TerritoiresIndustrie, Territory, TiId,
};
use crate::render::page::{self, PageContext};

/// The territories whose factsheets a page of `t` compares it with: its région (a
/// département's), and France (but on France's own page).
pub fn compared_with(t: Territory) -> impl Iterator<Item = Territory> {
    let region = t.region().map(Territory::Region);
    let france = (t != Territory::France).then_some(Territory::France);
    region.into_iter().chain(france)
}

/// The list of Territoires d'industrie to use: the file given, else a `liste-ti-com*.csv`
/// beside the data files, else the demonstration list for the built-in demonstration data;
/// `None` for files without a list (pages then say nothing of the territories).
pub fn find_ti_list(file: Option<&Path>, origin: &Origin) -> Result<Option<TerritoiresIndustrie>> {
    if let Some(file) = file {
        return TerritoiresIndustrie::load(file).map(Some);
    }
    let found = match origin.path() {
        Some(dir) => TerritoiresIndustrie::find_in(dir)?,
        None => None,
    };
    match found {
        None if *origin == Origin::Demo => TerritoiresIndustrie::demo().map(Some),
        found => Ok(found),
    }
}

/// The Territoires d'industrie a département's page lists (`None` when there is no list or
/// the territory is not a département).
pub fn territoires_of(
    t: Territory,
    list: Option<&TerritoiresIndustrie>,
) -> Option<Vec<&TerritoireIndustrie>> {
    match (t, list) {
        (Territory::Departement(d), Some(list)) => Some(list.of_departement(d)),
        _ => None,
    }
}

/// A factsheet and the factsheets and list its page shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The territory's factsheet.
    pub factsheet: Factsheet,
    /// Its région's (départements).
    pub region: Option<Factsheet>,
    /// France's (départements and régions).
    pub france: Option<Factsheet>,
    /// The département's Territoires d'industrie (`None`: no list, or not a département).
    pub territoires: Option<Vec<TerritoireIndustrie>>,
}

impl Sheet {
    /// Computes the factsheet of `territory` for `year` (default: the latest) and those it is
    /// compared with.
    pub fn compute<S: Store>(
        data: &Loaded<S>,
        territory: Territory,
        options: &FactsheetOptions,
        year: Option<u16>,
        list: Option<&TerritoiresIndustrie>,
    ) -> Result<Sheet> {
        let cube = data.cube(year, options.level)?;
        let sheet = |t: Territory| data.factsheet_from(&cube, &t, options);
        let (mut region, mut france) = (None, None);
        for other in compared_with(territory) {
            match other {
                Territory::France => france = Some(sheet(other)),
                _ => region = Some(sheet(other)),
            }
        }
        Ok(Sheet {
            factsheet: sheet(territory),
            region,
            france,
            territoires: territoires_of(territory, list).map(|v| v.into_iter().cloned().collect()),
        })
    }

    /// The sheets of a Territoire d'industrie's départements, most communes first.
    pub fn of_ti<S: Store>(
        data: &Loaded<S>,
        id: &TiId,
        options: &FactsheetOptions,
        year: Option<u16>,
        list: Option<&TerritoiresIndustrie>,
    ) -> Result<Vec<Sheet>> {
        let ti = super::batch::find_ti(list, id)?;
        ti.departements()
            .into_iter()
            .map(|d| Sheet::compute(data, Territory::Departement(d), options, year, list))
            .collect()
    }

    /// The page (self-contained HTML), as the command line writes it.
    pub fn page(&self) -> String {
        let tis: Option<Vec<&TerritoireIndustrie>> =
            self.territoires.as_ref().map(|v| v.iter().collect());
        let ctx = PageContext {
            region: self.region.as_ref(),
            france: self.france.as_ref(),
            territoires: tis.as_deref(),
        };
        page::render(&self.factsheet, &ctx)
    }
}
