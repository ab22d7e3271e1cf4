//! Territoires d'industrie: ANCT's list of the communes of each territory, and which
//! territories a département's factsheet names.
//!
//! Customs figures stop at the département, so a Territoire d'industrie's figures are those
//! of its départements; the factsheet of a département lists its territories, leaving out
//! the adjacent ones with fewer than [`MIN_COMMUNES`] communes in it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::codes::Departement;
use crate::error::{CodeError, Error, Position, Result};

/// A territory with fewer communes than this in a département is not listed on its page.
pub const MIN_COMMUNES: u32 = 5;

/// The demonstration list (synthetic communes, in ANCT's format), used with the built-in
/// demonstration data.
pub const DEMO_CSV: &str = include_str!("../../data/liste-ti-com2023-demo.csv");

/// The id of a Territoire d'industrie in ANCT's list (`ti-8413`): 1 to 64 ASCII letters,
/// digits, `-` or `_`. Validated when read, so that a file named after it stays in its
/// folder whatever the list holds.
///
/// ```
/// use tradeflows::TiId;
/// let id: TiId = "ti-8413".parse()?;
/// assert_eq!(id.key(), "ti-8413");
/// assert_eq!("8413".parse::<TiId>()?.key(), "ti-8413");
/// assert!("../../etc/passwd".parse::<TiId>().is_err());
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TiId(String);

impl TiId {
    /// The id as written in the list.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file key: the id, prefixed with `ti-` when it does not start with it.
    pub fn key(&self) -> String {
        if self.0.starts_with("ti-") {
            self.0.clone()
        } else {
            format!("ti-{}", self.0)
        }
    }
}

impl std::fmt::Display for TiId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TiId {
    type Err = CodeError;
    fn from_str(s: &str) -> std::result::Result<Self, CodeError> {
        let ok = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(TiId(s.to_owned()))
        } else {
            Err(CodeError::new(
                "Territoire d'industrie id",
                s,
                "expected 1 to 64 letters, digits, - or _ (ti-8413)",
            ))
        }
    }
}
crate::codes::serde_via_str!(TiId);

/// One Territoire d'industrie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoireIndustrie {
    /// Its id, e.g. `ti-8413`.
    pub id: TiId,
    /// Its name.
    pub name: String,
    /// Number of its communes in each département.
    pub communes: BTreeMap<Departement, u32>,
}

impl TerritoireIndustrie {
    /// Its départements, most communes first (then code).
    pub fn departements(&self) -> Vec<Departement> {
        let mut d: Vec<(Departement, u32)> = self.communes.iter().map(|(d, n)| (*d, *n)).collect();
        d.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        d.into_iter().map(|x| x.0).collect()
    }
}

/// The Territoires d'industrie of ANCT's commune list (`liste-ti-com2023-*.csv`).
///
/// ```
/// use tradeflows::ti::TerritoiresIndustrie;
/// let csv = "insee_com,lib_com,id_ti,lib_ti\n\
///            22001,A,ti-1,Baie\n22002,B,ti-1,Baie\n22003,C,ti-1 ; ti-2,Baie ; Mer\n";
/// let tis = TerritoiresIndustrie::parse("liste.csv".as_ref(), csv.as_bytes())?;
/// let d22: tradeflows::Departement = "22".parse()?;
/// assert_eq!(tis.get(&"ti-1".parse()?).map(|t| t.communes[&d22]), Some(3));
/// assert_eq!(tis.get(&"ti-2".parse()?).map(|t| t.name.as_str()), Some("Mer"));
/// // Fewer than 5 communes in the département: not listed on its page.
/// assert!(tis.of_departement("22".parse()?).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerritoiresIndustrie {
    tis: BTreeMap<TiId, TerritoireIndustrie>,
}

impl TerritoiresIndustrie {
    /// The demonstration list.
    pub fn demo() -> Result<Self> {
        TerritoiresIndustrie::parse("liste-ti-com2023-demo.csv".as_ref(), DEMO_CSV.as_bytes())
    }

    /// Reads a list from a file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        TerritoiresIndustrie::parse(path, &bytes)
    }

    /// Finds `liste-ti-com*.csv` in a folder (not recursively); `None` if there is none.
    pub fn find_in(dir: &Path) -> Result<Option<Self>> {
        if !dir.is_dir() {
            return Ok(None);
        }
        let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.to_ascii_lowercase().starts_with("liste-ti-com")
                        && n.to_ascii_lowercase().ends_with(".csv")
                })
            })
            .collect();
        found.sort();
        match found.last() {
            Some(p) => TerritoiresIndustrie::load(p).map(Some),
            None => Ok(None),
        }
    }

    /// Parses the list: a header naming `insee_com`, `lib_com`, `id_ti`, `lib_ti` (any order),
    /// separator `,` or `;` (detected from the header), UTF-8 or Windows-1252. A commune in
    /// several territories lists their ids (and names) separated by ` ; `.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self> {
        let text = crate::nomenclature::labels::decode(bytes);
        let header = text.lines().next().unwrap_or_default();
        let delimiter = if header.matches(';').count() > header.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(text.as_bytes());
        let bad_file = |message: String| Error::File {
            path: path.to_owned(),
            message,
        };
        let headers = reader
            .headers()
            .map_err(|e| bad_file(format!("not a Territoires d'industrie list: {e}")))?
            .clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    bad_file(format!(
                        "no column {name} (expected insee_com, lib_com, id_ti, lib_ti)"
                    ))
                })
        };
        let (c_com, c_id, c_name) = (column("insee_com")?, column("id_ti")?, column("lib_ti")?);
        let mut tis: BTreeMap<TiId, TerritoireIndustrie> = BTreeMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| bad_file(e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| record.get(i).unwrap_or_default().trim();
            let at = |column: usize, name: &'static str, value: &str, message: &str| Error::Parse {
                position: Position {
                    path: path.to_owned(),
                    line,
                    column: column as u32 + 1,
                    field: name,
                },
                value: value.to_owned(),
                message: message.to_owned(),
            };
            let commune = field(c_com);
            if commune.is_empty() && field(c_id).is_empty() {
                continue;
            }
            let dep = commune_departement(commune).ok_or_else(|| {
                at(
                    c_com,
                    "insee_com",
                    commune,
                    "not an INSEE commune code (5 characters: 22278, 2A004, 97101)",
                )
            })?;
            let ids: Vec<&str> = field(c_id)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let names: Vec<&str> = field(c_name).split(';').map(str::trim).collect();
            for (k, id) in ids.iter().enumerate() {
                let id: TiId = id
                    .parse()
                    .map_err(|e: CodeError| at(c_id, "id_ti", id, e.reason))?;
                let name = if names.len() == ids.len() {
                    names[k]
                } else {
                    field(c_name)
                };
                let ti = tis
                    .entry(id.clone())
                    .or_insert_with(|| TerritoireIndustrie {
                        id,
                        name: name.to_owned(),
                        communes: BTreeMap::new(),
                    });
                *ti.communes.entry(dep).or_default() += 1;
            }
        }
        if tis.is_empty() {
            return Err(bad_file("no Territoire d'industrie in the list".into()));
        }
        Ok(TerritoiresIndustrie { tis })
    }

    /// A territory by id (`ti-8413`).
    pub fn get(&self, id: &TiId) -> Option<&TerritoireIndustrie> {
        self.tis.get(id)
    }

    /// Every territory, by id.
    pub fn all(&self) -> impl Iterator<Item = &TerritoireIndustrie> {
        self.tis.values()
    }

    /// The territories a département's page lists: those with at least [`MIN_COMMUNES`]
    /// communes in it, by name.
    pub fn of_departement(&self, d: Departement) -> Vec<&TerritoireIndustrie> {
        let mut out: Vec<&TerritoireIndustrie> = self
            .tis
            .values()
            .filter(|t| t.communes.get(&d).copied().unwrap_or(0) >= MIN_COMMUNES)
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        out
    }
}

/// The DGDDI département of an INSEE commune code: `22278` → 22, `2A004` → 20, `97101` → 9A.
pub fn commune_departement(code: &str) -> Option<Departement> {
    if code.len() != 5 || !code.is_ascii() {
        return None;
    }
    let dep = if code.starts_with("97") {
        &code[..3]
    } else {
        &code[..2]
    };
    dep.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communes_map_to_dgddi_departements() {
        assert_eq!(commune_departement("22278").map(|d| d.code()), Some("22"));
        assert_eq!(commune_departement("2A004").map(|d| d.code()), Some("20"));
        assert_eq!(commune_departement("2B033").map(|d| d.code()), Some("20"));
        assert_eq!(commune_departement("97411").map(|d| d.code()), Some("9D"));
        assert_eq!(commune_departement("97502"), None);
        assert_eq!(commune_departement("2278"), None);
    }

    #[test]
    fn both_separators_and_windows_1252() {
        let comma = "insee_com,lib_com,id_ti,lib_ti\n22001,A,ti-1,Baie\n";
        let semi = "id_ti;lib_ti;insee_com;lib_com\nti-1;Baie;22001;A\n";
        for csv in [comma, semi] {
            let t = TerritoiresIndustrie::parse("x.csv".as_ref(), csv.as_bytes()).unwrap();
            assert_eq!(t.get(&"ti-1".parse().unwrap()).unwrap().name, "Baie");
        }
        let cp1252 = b"insee_com;lib_com;id_ti;lib_ti\r\n22001;A;ti-1;Lann\xe9on\r\n";
        let t = TerritoiresIndustrie::parse("x.csv".as_ref(), cp1252).unwrap();
        assert_eq!(t.get(&"ti-1".parse().unwrap()).unwrap().name, "Lannéon");
        let err = TerritoiresIndustrie::parse(
            "x.csv".as_ref(),
            b"insee_com;lib_com;id_ti;lib_ti\n2201;A;ti-1;B\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("x.csv, line 2, column 1 (insee_com)"),
            "{err}"
        );
    }

    #[test]
    fn the_demo_list_gives_the_seed_territories_of_cotes_darmor() {
        let tis = TerritoiresIndustrie::demo().unwrap();
        let names: Vec<&str> = tis
            .of_departement("22".parse().unwrap())
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Baie d'Armor Industrie",
                "Dinan Agglomération",
                "Lannion-Trégor Communauté"
            ]
        );
    }
}
