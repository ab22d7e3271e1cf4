//! The JSON form of a factsheet read back: codes as strings, turned into types with the
//! factsheet's level (a product code alone does not say its level: `AZ` is A38, A17 and A10).

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serializer};

use super::evolution as ev;
use super::exposure as ex;
use super::factsheet::{self as fs, Schema, SourceInfo};
use super::territory::Territory;
use crate::codes::{Country, Departement, Level, Product, Quarters, Region};
use crate::compute::rank::Slot;
use crate::error::CodeError;

/// Writes a territory as the contract's object: `kind`, `code`, `name`, `region`.
pub(crate) fn territory_object<S: Serializer>(
    t: &Territory,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(serde::Serialize)]
    struct Named<'a> {
        code: &'a str,
        name: &'a str,
    }
    let mut st = s.serialize_struct("Territory", 4)?;
    st.serialize_field("kind", t.kind())?;
    st.serialize_field("code", t.code())?;
    st.serialize_field("name", t.name())?;
    st.serialize_field(
        "region",
        &t.region().map(|r| Named {
            code: r.code(),
            name: r.name(),
        }),
    )?;
    st.end()
}

#[derive(Deserialize)]
pub(crate) struct TerritoryInfo {
    kind: String,
    code: String,
}

impl TerritoryInfo {
    fn territory(&self) -> Result<Territory, CodeError> {
        match self.kind.as_str() {
            "departement" => Ok(Territory::Departement(self.code.parse::<Departement>()?)),
            "region" => Ok(Territory::Region(self.code.parse::<Region>()?)),
            "france" if self.code == "FR" => Ok(Territory::France),
            _ => Err(CodeError::new(
                "territory",
                format!("{} {}", self.kind, self.code),
                "expected departement, region or france (FR)",
            )),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Ranked {
    code: String,
    label: String,
    value_eur: i64,
}

#[derive(Deserialize)]
pub(crate) struct FlowCell {
    product: String,
    partner: String,
    value_eur: i64,
    highlight: bool,
}

#[derive(Deserialize)]
pub(crate) struct FlowFigures {
    total_eur: i64,
    share_of_region: Option<f64>,
    share_of_nation: Option<f64>,
    top_partners: Vec<Ranked>,
    top_products: Vec<Ranked>,
    flows: Vec<FlowCell>,
}

#[derive(Deserialize)]
pub(crate) struct PartnerFigures {
    code: Country,
    label: String,
    imports_eur: i64,
    exports_eur: i64,
    balance_eur: i64,
}

/// A factsheet as its JSON text gives it.
#[derive(Deserialize)]
pub(crate) struct Factsheet {
    schema: Schema,
    year: u16,
    level: Level,
    quarters: Quarters,
    source: SourceInfo,
    territory: TerritoryInfo,
    exports: FlowFigures,
    imports: FlowFigures,
    partners: Vec<PartnerFigures>,
    #[serde(default)]
    history: Vec<YearFigures>,
    #[serde(default)]
    quarterly: Vec<QuarterFigures>,
    #[serde(default)]
    change: Option<ChangeFigures>,
    #[serde(default)]
    exposure: Option<Exposure>,
}

#[derive(Deserialize)]
pub(crate) struct Specialisation {
    product: String,
    label: String,
    value_eur: i64,
    share: f64,
    national_share: f64,
}

#[derive(Deserialize)]
pub(crate) struct Exposure {
    exports: ex::FlowExposureFigures,
    imports: ex::FlowExposureFigures,
    specialisation: Vec<Specialisation>,
}

impl Exposure {
    fn typed(self, level: Level) -> Result<ex::ExposureFigures, String> {
        Ok(ex::ExposureFigures {
            exports: self.exports,
            imports: self.imports,
            specialisation: self
                .specialisation
                .into_iter()
                .map(|s| {
                    Ok(ex::SpecialisationFigures {
                        product: Product::parse(level, &s.product).map_err(|e| e.to_string())?,
                        label: s.label,
                        value_eur: s.value_eur,
                        share: s.share,
                        national_share: s.national_share,
                    })
                })
                .collect::<Result<_, String>>()?,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct YearFigures {
    year: u16,
    quarters: Quarters,
    exports_eur: i64,
    imports_eur: i64,
    balance_eur: i64,
}

#[derive(Deserialize)]
pub(crate) struct QuarterFigures {
    year: u16,
    quarter: u8,
    exports_eur: i64,
    imports_eur: i64,
}

#[derive(Deserialize)]
pub(crate) struct Driver {
    code: String,
    label: String,
    previous_eur: i64,
    value_eur: i64,
    change_eur: i64,
    contribution: Option<f64>,
}

#[derive(Deserialize)]
pub(crate) struct FlowChange {
    previous_eur: i64,
    value_eur: i64,
    partners: Vec<Driver>,
    products: Vec<Driver>,
}

#[derive(Deserialize)]
pub(crate) struct ChangeFigures {
    previous_year: u16,
    quarters: Quarters,
    exports: FlowChange,
    imports: FlowChange,
}

fn drivers<K>(
    list: Vec<Driver>,
    parse: impl Fn(&str) -> Result<K, CodeError>,
) -> Result<Vec<ev::Driver<K>>, String> {
    list.into_iter()
        .map(|d| {
            if d.change_eur != d.value_eur - d.previous_eur {
                return Err(format!(
                    "{}: change_eur is not value_eur − previous_eur",
                    d.code
                ));
            }
            Ok(ev::Driver {
                code: parse(&d.code).map_err(|e| e.to_string())?,
                label: d.label,
                previous_eur: d.previous_eur,
                value_eur: d.value_eur,
                contribution: d.contribution,
            })
        })
        .collect()
}

impl ChangeFigures {
    fn typed(self, level: Level) -> Result<ev::ChangeFigures, String> {
        let flow = |f: FlowChange| -> Result<ev::FlowChangeFigures, String> {
            Ok(ev::FlowChangeFigures {
                previous_eur: f.previous_eur,
                value_eur: f.value_eur,
                partners: drivers(f.partners, |s| s.parse::<Country>())?,
                products: drivers(f.products, |s| Product::parse(level, s))?,
            })
        };
        Ok(ev::ChangeFigures {
            previous_year: self.previous_year,
            quarters: self.quarters,
            exports: flow(self.exports)?,
            imports: flow(self.imports)?,
        })
    }
}

fn slot<K>(s: &str, parse: impl Fn(&str) -> Result<K, CodeError>) -> Result<Slot<K>, CodeError> {
    if s == crate::compute::OTHERS_CODE {
        Ok(Slot::Others)
    } else {
        parse(s).map(Slot::Named)
    }
}

impl FlowFigures {
    fn typed(self, level: Level) -> Result<fs::FlowFigures, CodeError> {
        let product = |s: &str| slot(s, |s| Product::parse(level, s));
        let country = |s: &str| slot(s, |s| s.parse::<Country>());
        Ok(fs::FlowFigures {
            total_eur: self.total_eur,
            share_of_region: self.share_of_region,
            share_of_nation: self.share_of_nation,
            top_partners: ranked(self.top_partners, country)?,
            top_products: ranked(self.top_products, product)?,
            flows: self
                .flows
                .into_iter()
                .map(|c| {
                    Ok(fs::FlowCell {
                        product: product(&c.product)?,
                        partner: country(&c.partner)?,
                        value_eur: c.value_eur,
                        highlight: c.highlight,
                    })
                })
                .collect::<Result<_, CodeError>>()?,
        })
    }
}

fn ranked<K>(
    list: Vec<Ranked>,
    parse: impl Fn(&str) -> Result<Slot<K>, CodeError>,
) -> Result<Vec<fs::Ranked<K>>, CodeError> {
    list.into_iter()
        .map(|r| {
            Ok(fs::Ranked {
                code: parse(&r.code)?,
                label: r.label,
                value_eur: r.value_eur,
            })
        })
        .collect()
}

impl TryFrom<Factsheet> for fs::Factsheet {
    type Error = String;

    fn try_from(w: Factsheet) -> Result<Self, String> {
        let err = |e: CodeError| e.to_string();
        let partners = w
            .partners
            .into_iter()
            .map(|p| {
                if p.balance_eur != p.exports_eur - p.imports_eur {
                    return Err(format!(
                        "partner {}: balance_eur {} is not exports_eur − imports_eur",
                        p.code, p.balance_eur
                    ));
                }
                Ok(fs::PartnerFigures {
                    code: p.code,
                    label: p.label,
                    imports_eur: p.imports_eur,
                    exports_eur: p.exports_eur,
                })
            })
            .collect::<Result<_, String>>()?;
        let history = w
            .history
            .into_iter()
            .map(|y| {
                let typed = crate::compute::YearFigures {
                    year: y.year,
                    quarters: y.quarters,
                    exports_eur: y.exports_eur,
                    imports_eur: y.imports_eur,
                };
                if typed.balance_eur() == y.balance_eur {
                    Ok(typed)
                } else {
                    Err(format!(
                        "history {}: balance_eur is not exports − imports",
                        y.year
                    ))
                }
            })
            .collect::<Result<_, String>>()?;
        let quarterly = w
            .quarterly
            .into_iter()
            .map(|q| crate::compute::QuarterFigures {
                year: q.year,
                quarter: q.quarter,
                exports_eur: q.exports_eur,
                imports_eur: q.imports_eur,
            })
            .collect();
        let change = w.change.map(|c| c.typed(w.level)).transpose()?;
        let exposure = match w.exposure {
            Some(e) => e.typed(w.level)?,
            None => {
                return Err(
                    "no exposure field: the JSON of an earlier version of the factsheet".into(),
                )
            }
        };
        Ok(fs::Factsheet {
            schema: w.schema,
            year: w.year,
            level: w.level,
            quarters: w.quarters,
            source: w.source,
            territory: w.territory.territory().map_err(err)?,
            exports: w.exports.typed(w.level).map_err(err)?,
            imports: w.imports.typed(w.level).map_err(err)?,
            partners,
            history,
            quarterly,
            change,
            exposure,
        })
    }
}
