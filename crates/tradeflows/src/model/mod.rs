//! The typed model of the outputs: the [`Factsheet`] of a [`Territory`], the Territoires
//! d'industrie, and the labelled tables every front end shows.

pub mod evolution;
pub mod exposure;
pub mod factsheet;
pub mod indicators;
pub mod tables;
pub mod territory;
pub mod ti;
mod wire;

pub use evolution::{ChangeFigures, Driver, FlowChangeFigures};
pub use exposure::{
    DependencyFigures, ExposureFigures, FlowExposureFigures, SpecialisationFigures,
};
pub use factsheet::{
    Factsheet, FactsheetOptions, FlowCell, FlowFigures, PartnerFigures, Ranked, SourceInfo,
};
pub use indicators::{Indicator, TerritoryIndicators};
pub use tables::{Labelled, TerritoryTotal};
pub use territory::Territory;
pub use ti::{TerritoireIndustrie, TerritoiresIndustrie, TiId};
