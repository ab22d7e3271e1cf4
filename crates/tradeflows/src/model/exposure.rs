//! The factsheet's exposure and dependence, labelled, as the JSON contract's `exposure`
//! field writes it.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::codes::{Country, Cpf4, Flow, Product, Zone};
use crate::compute::exposure::{Exposure, FlowExposure};
use crate::compute::share;
use crate::nomenclature::Labels;

/// A zone or a country watched: its value and its share of the flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part<K> {
    /// The zone or the country.
    pub code: K,
    /// Its French name.
    pub label: String,
    /// Its value, euros.
    pub value_eur: i64,
    /// Its share of the flow (`None` when the flow is 0).
    pub share: Option<f64>,
}

/// A country and its share (the top partner, a product's top supplier).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CountryShare {
    /// The country.
    pub code: Country,
    /// Its share.
    pub share: f64,
}

/// An imported product that depends on few suppliers outside the EU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DependencyFigures {
    /// The CPF4 product.
    pub product: Cpf4,
    /// Its French label.
    pub label: String,
    /// Its imports, euros.
    pub value_eur: i64,
    /// The share of its imports from outside the EU of 27.
    pub extra_eu_share: f64,
    /// The concentration (HHI) of its extra-EU suppliers.
    pub hhi_extra_eu: f64,
    /// Its largest extra-EU supplier, with its share of all the product's imports.
    pub top_supplier: CountryShare,
}

/// One flow's exposure, labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowExposureFigures {
    /// The seven zones, in the order of [`Zone::ALL`].
    pub zones: Vec<Part<Zone>>,
    /// The countries watched, in the order asked.
    pub watch: Vec<Part<Country>>,
    /// HHI of the partner countries.
    pub partners_hhi: Option<f64>,
    /// HHI of the products, at the factsheet's level.
    pub products_hhi: Option<f64>,
    /// Partner countries with a positive value.
    pub partners_count: usize,
    /// The largest partner and its share.
    pub top_partner: Option<CountryShare>,
    /// Imports only: the dependencies (`None` for exports, and not written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<DependencyFigures>>,
}

/// A product of the specialisation, with its location quotient.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialisationFigures {
    /// The product, at the factsheet's level.
    pub product: Product,
    /// Its French label.
    pub label: String,
    /// The territory's exports of it, euros.
    pub value_eur: i64,
    /// Its share of the territory's exports.
    pub share: f64,
    /// Its share of France's exports.
    pub national_share: f64,
}

impl SpecialisationFigures {
    /// The location quotient: share / national share.
    pub fn lq(&self) -> f64 {
        self.share / self.national_share
    }
}

impl Serialize for SpecialisationFigures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Specialisation", 6)?;
        st.serialize_field("product", &self.product)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("value_eur", &self.value_eur)?;
        st.serialize_field("share", &self.share)?;
        st.serialize_field("national_share", &self.national_share)?;
        st.serialize_field("lq", &self.lq())?;
        st.end()
    }
}

/// A territory's exposure and dependence, labelled (the `exposure` field).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposureFigures {
    /// Exports.
    pub exports: FlowExposureFigures,
    /// Imports (with the dependencies).
    pub imports: FlowExposureFigures,
    /// The five products with the highest location quotient (empty for France).
    pub specialisation: Vec<SpecialisationFigures>,
}

impl ExposureFigures {
    /// The exposure of a flow.
    pub fn flow(&self, flow: Flow) -> &FlowExposureFigures {
        match flow {
            Flow::Export => &self.exports,
            Flow::Import => &self.imports,
        }
    }

    /// The exposure with labels (country names valid in `year`).
    pub fn labelled(e: &Exposure, labels: &Labels, year: u16) -> Self {
        let flow = |f: &FlowExposure, dependencies: Option<Vec<DependencyFigures>>| {
            let part_share = |v: i64| share(v, f.total_eur);
            FlowExposureFigures {
                zones: Zone::ALL
                    .iter()
                    .map(|&z| Part {
                        code: z,
                        label: z.label().to_owned(),
                        value_eur: f.zones[z.index()],
                        share: part_share(f.zones[z.index()]),
                    })
                    .collect(),
                watch: f
                    .watch
                    .iter()
                    .map(|&(c, v)| Part {
                        code: c,
                        label: labels.country_name(c, year),
                        value_eur: v,
                        share: part_share(v),
                    })
                    .collect(),
                partners_hhi: f.partners_hhi,
                products_hhi: f.products_hhi,
                partners_count: f.partners_count,
                top_partner: f.top_partner.and_then(|(c, v)| {
                    Some(CountryShare {
                        code: c,
                        share: part_share(v)?,
                    })
                }),
                dependencies,
            }
        };
        let dependencies = e
            .dependencies
            .iter()
            .map(|d| DependencyFigures {
                product: d.product,
                label: labels.product_name(Product::Cpf4(d.product)),
                value_eur: d.value_eur,
                extra_eu_share: d.extra_eu_share(),
                hhi_extra_eu: d.hhi_extra_eu,
                top_supplier: CountryShare {
                    code: d.top_supplier.0,
                    share: d.top_supplier.1 as f64 / d.value_eur as f64,
                },
            })
            .collect();
        ExposureFigures {
            exports: flow(&e.exports, None),
            imports: flow(&e.imports, Some(dependencies)),
            specialisation: e
                .specialisation
                .iter()
                .map(|s| SpecialisationFigures {
                    product: s.product,
                    label: labels.product_name(s.product),
                    value_eur: s.value_eur,
                    share: s.share,
                    national_share: s.national_share,
                })
                .collect(),
        }
    }
}
