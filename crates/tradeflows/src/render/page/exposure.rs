//! The page's block « Exposition et dépendances »: the zones chart, the countries watched in
//! a sentence, the concentration, the dependencies and the specialisation, with a method
//! note citing the rules.

use super::{esc, figure};
use crate::codes::Country;
use crate::compute::exposure::criteria;
use crate::format::{millions, percent};
use crate::model::exposure::{DependencyFigures, ExposureFigures, SpecialisationFigures};
use crate::model::{Factsheet, Territory};
use crate::render::charts;

/// How a sentence names a country: the subject with its article, and whether it is plural.
/// The main partners of French trade; any other country is named by its label.
const SUBJECTS: &[(&str, &str, bool)] = &[
    ("AE", "Les Émirats arabes unis", true),
    ("AT", "L'Autriche", false),
    ("AU", "L'Australie", false),
    ("BE", "La Belgique", false),
    ("BR", "Le Brésil", false),
    ("CA", "Le Canada", false),
    ("CH", "La Suisse", false),
    ("CN", "La Chine", false),
    ("CZ", "La Tchéquie", false),
    ("DE", "L'Allemagne", false),
    ("DK", "Le Danemark", false),
    ("DZ", "L'Algérie", false),
    ("ES", "L'Espagne", false),
    ("FI", "La Finlande", false),
    ("GB", "Le Royaume-Uni", false),
    ("GR", "La Grèce", false),
    ("HK", "Hong Kong", false),
    ("HU", "La Hongrie", false),
    ("IE", "L'Irlande", false),
    ("IL", "Israël", false),
    ("IN", "L'Inde", false),
    ("IT", "L'Italie", false),
    ("JP", "Le Japon", false),
    ("KR", "La Corée du Sud", false),
    ("LU", "Le Luxembourg", false),
    ("MA", "Le Maroc", false),
    ("MX", "Le Mexique", false),
    ("NL", "Les Pays-Bas", true),
    ("NO", "La Norvège", false),
    ("PL", "La Pologne", false),
    ("PT", "Le Portugal", false),
    ("QA", "Le Qatar", false),
    ("RO", "La Roumanie", false),
    ("RU", "La Russie", false),
    ("SA", "L'Arabie saoudite", false),
    ("SE", "La Suède", false),
    ("SG", "Singapour", false),
    ("TN", "La Tunisie", false),
    ("TR", "La Turquie", false),
    ("TW", "Taïwan", false),
    ("UA", "L'Ukraine", false),
    ("US", "Les États-Unis", true),
    ("VN", "Le Viêt Nam", false),
    ("ZA", "L'Afrique du Sud", false),
];

/// The territory as a sentence names it: `du département`, `de la région`, `de la France`.
fn of_territory(t: Territory) -> &'static str {
    match t {
        Territory::Departement(_) => "du département",
        Territory::Region(_) => "de la région",
        Territory::France => "de la France",
    }
}

/// One sentence per country watched: `Les États-Unis reçoivent 8.2% des exportations du
/// département et fournissent 3.1% de ses importations.`
///
/// ```
/// use tradeflows::page::watch_sentences;
/// let data = tradeflows::Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let s = watch_sentences(&fs);
/// assert_eq!(s.len(), 3);
/// assert!(s[0].starts_with("Les États-Unis reçoivent ") && s[0].contains("% des exportations du département"));
/// assert!(s[1].starts_with("La Chine reçoit "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn watch_sentences(fs: &Factsheet) -> Vec<String> {
    let e = &fs.exposure;
    let of = of_territory(fs.territory);
    e.exports
        .watch
        .iter()
        .zip(&e.imports.watch)
        .filter_map(|(x, m)| {
            let shares = (x.share, m.share);
            let subject = SUBJECTS.iter().find(|s| s.0 == x.code.code());
            let (exports, imports) = match subject {
                Some(&(_, _, plural)) => (
                    shares.0.map(|s| {
                        format!(
                            "{} {} des exportations {of}",
                            if plural { "reçoivent" } else { "reçoit" },
                            percent(s, 1)
                        )
                    }),
                    shares.1.map(|s| {
                        format!(
                            "{} {} de ses importations",
                            if plural { "fournissent" } else { "fournit" },
                            percent(s, 1)
                        )
                    }),
                ),
                None => (
                    shares
                        .0
                        .map(|s| format!("{} des exportations {of}", percent(s, 1))),
                    shares
                        .1
                        .map(|s| format!("{} de ses importations", percent(s, 1))),
                ),
            };
            let what = match (exports, imports) {
                (Some(a), Some(b)) => format!("{a} et {b}"),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => return None,
            };
            Some(match subject {
                Some(&(_, name, _)) => format!("{name} {what}."),
                None => format!("{} : {what}.", x.label),
            })
        })
        .collect()
}

/// The concentration of the partners, in words.
fn concentration(fs: &Factsheet, labels: &dyn Fn(Country) -> String) -> String {
    let e = &fs.exposure;
    let mut out = String::new();
    for (flow, f, who) in [
        ("Exportations", &e.exports, "clients"),
        ("Importations", &e.imports, "fournisseurs"),
    ] {
        if let (Some(top), Some(hhi)) = (f.top_partner, f.partners_hhi) {
            out.push_str(&format!(
                "<li>{} : {} pays {who} ; le premier, {}, pèse {} ; indice de concentration des pays (HHI) : {:.3}{}.</li>",
                flow,
                f.partners_count,
                esc(&labels(top.code)),
                percent(top.share, 1),
                hhi,
                f.products_hhi.map_or(String::new(), |p| format!(", des produits : {p:.3}")),
            ));
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"concentration\">{out}</ul>\n")
    }
}

fn dependencies_table(list: &[DependencyFigures], labels: &dyn Fn(Country) -> String) -> String {
    if list.is_empty() {
        return "<p>Aucun produit importé ne remplit les trois critères.</p>\n".to_owned();
    }
    let rows: String = list
        .iter()
        .map(|d| {
            format!(
                "<tr><td>{} <span class=\"code\">({})</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{} ({})</td></tr>",
                esc(&d.label),
                d.product,
                millions(d.value_eur),
                percent(d.extra_eu_share, 1),
                d.hhi_extra_eu,
                esc(&labels(d.top_supplier.code)),
                percent(d.top_supplier.share, 1),
            )
        })
        .collect();
    format!(
        "<table class=\"drivers\"><caption>Produits importés dépendant de peu de fournisseurs hors UE</caption><thead><tr><th>Produit (CPF4)</th><th class=\"num\">Importations (M€)</th><th class=\"num\">Part hors UE</th><th class=\"num\">Concentration hors UE (HHI)</th><th>Premier fournisseur hors UE (part)</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )
}

fn specialisation_table(list: &[SpecialisationFigures], of: &str) -> String {
    let rows: String = list
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{} <span class=\"code\">({})</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td></tr>",
                esc(&s.label),
                s.product,
                millions(s.value_eur),
                percent(s.share, 1),
                percent(s.national_share, 2),
                s.lq(),
            )
        })
        .collect();
    format!(
        "<table class=\"drivers\"><caption>Spécialisations à l'export</caption><thead><tr><th>Produit</th><th class=\"num\">Exportations (M€)</th><th class=\"num\">Part {of}</th><th class=\"num\">Part nationale</th><th class=\"num\">Indice de spécialisation</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )
}

fn method_note(e: &ExposureFigures) -> String {
    let watch: Vec<String> = e.exports.watch.iter().map(|w| esc(&w.label)).collect();
    format!(
        "<div class=\"box note\"><strong>Méthode.</strong> Zones : l'Union européenne à 27 (composition depuis le 1<sup>er</sup> février 2020, pour toutes les années, comme Eurostat), puis les continents de la norme M49 des Nations unies pour les autres pays ; « non déterminé » regroupe les codes sans pays (Q*, EU, Antarctique) et ceux que la géonomenclature ne connaît pas. Pays suivis : {}. \
Concentration : indice de Herfindahl-Hirschman (HHI), somme des carrés des parts des pays (ou des produits) ; 1 pour un seul partenaire, proche de 0 pour des échanges très dispersés. \
Dépendances : produits (CPF4) dont les importations atteignent au moins {} million d'euros, proviennent à plus de {:.0} % de pays hors UE, et dont les fournisseurs hors UE sont concentrés (HHI hors UE supérieur à {:.1}) — les critères de l'examen des dépendances stratégiques de la Commission européenne (<em>Strategic dependencies and capacities</em>, SWD(2021) 352, mai 2021), appliqués au territoire. \
Spécialisation : quotient de localisation, rapport entre la part d'un produit dans les exportations du territoire et sa part dans les exportations de la France, pour les produits pesant au moins {:.0} % des exportations du territoire.</div>\n",
        watch.join(", "),
        criteria::MIN_IMPORTS_EUR / 1_000_000,
        criteria::EXTRA_EU_SHARE * 100.0,
        criteria::HHI_EXTRA_EU,
        criteria::MIN_SPECIALISATION_SHARE * 100.0,
    )
}

/// The block: after the import flows.
pub(super) fn exposure_block(fs: &Factsheet) -> String {
    let name = fs.territory.name();
    let e = &fs.exposure;
    // The labels the factsheet already gives the countries it names.
    let labels = |c: Country| {
        e.exports
            .watch
            .iter()
            .chain(&e.imports.watch)
            .find(|w| w.code == c)
            .map(|w| w.label.clone())
            .or_else(|| {
                fs.partners
                    .iter()
                    .find(|p| p.code == c)
                    .map(|p| p.label.clone())
            })
            .or_else(|| c.label(fs.year).map(str::to_owned))
            .unwrap_or_else(|| c.to_string())
    };
    let mut h = String::from("<h2 class=\"page-break\">Exposition et dépendances</h2>\n");
    h.push_str(&format!(
        "<p>Dans un contexte de tensions commerciales internationales, les acteurs économiques s'interrogent sur leur exposition et leur dépendance aux chaînes de valeur mondiales. Le graphique suivant répartit les échanges {} par zone géographique ; les pays suivis et les produits importés auprès de peu de fournisseurs hors de l'Union européenne sont détaillés ensuite.</p>\n",
        of_territory(fs.territory)
    ));
    let watch: String = watch_sentences(fs)
        .iter()
        .map(|s| format!("<div>{}</div>", esc(s)))
        .collect();
    h.push_str(&figure(
        &format!("Échanges par zone géographique, {name} ({})", fs.period()),
        &charts::exposure(fs),
        &format!("<div class=\"totals\">{watch}</div>\n"),
    ));
    h.push_str(&concentration(fs, &labels));
    h.push_str(&dependencies_table(
        e.imports.dependencies.as_deref().unwrap_or(&[]),
        &labels,
    ));
    if !e.specialisation.is_empty() {
        let of = match fs.territory {
            Territory::Region(_) => "de la région",
            _ => "du département",
        };
        h.push_str(&specialisation_table(&e.specialisation, of));
    }
    h.push_str(&method_note(e));
    h
}
