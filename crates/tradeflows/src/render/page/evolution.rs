//! The page's block « Évolution »: the evolution chart, the change against the year before in
//! the seed's register, and the partners and products that drove it.

use super::{esc, figure};
use crate::codes::Flow;
use crate::format::{millions, percent};
use crate::model::evolution::{Driver, FlowChangeFigures};
use crate::model::Factsheet;
use crate::render::charts;

/// The sentences of the change, one per flow: `Les exportations ont augmenté de 3.1% par
/// rapport à 2023 (T1–T4)` (`diminué` when negative); or why there is no comparison.
///
/// ```
/// use tradeflows::page::evolution_sentences;
/// let data = tradeflows::Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let s = evolution_sentences(&fs);
/// assert!(s[0].starts_with("Les exportations ont ") && s[0].ends_with("par rapport à 2023 (T1–T4)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evolution_sentences(fs: &Factsheet) -> Vec<String> {
    let previous = fs.year.saturating_sub(1);
    let Some(change) = &fs.change else {
        let why = match fs.history.iter().find(|y| y.year == previous) {
            None => format!("les données de {previous} ne sont pas dans les fichiers"),
            Some(y) => format!(
                "les données de {previous} ne couvrent que {} et celles de {} couvrent {}",
                y.quarters.range(),
                fs.year,
                fs.quarters.range()
            ),
        };
        return vec![format!(
            "La comparaison avec {previous} sur les mêmes trimestres n'est pas possible : {why}."
        )];
    };
    let when = format!("{} ({})", change.previous_year, change.quarters.range());
    [Flow::Export, Flow::Import]
        .iter()
        .map(|&flow| {
            let noun = match flow {
                Flow::Export => "Les exportations",
                Flow::Import => "Les importations",
            };
            let f = change.flow(flow);
            match f.growth() {
                Some(g) if g > 0.0 => format!(
                    "{noun} ont augmenté de {} par rapport à {when}",
                    percent(g, 1)
                ),
                Some(g) if g < 0.0 => format!(
                    "{noun} ont diminué de {} par rapport à {when}",
                    percent(-g, 1)
                ),
                Some(_) => format!("{noun} sont stables par rapport à {when}"),
                None => format!(
                    "{noun} étaient nulles en {when} : {} millions d'euros en {}",
                    millions(f.value_eur),
                    fs.period()
                ),
            }
        })
        .collect()
}

/// A contribution in points: `+1.2 pt`, `−0.4 pt` (a true minus sign), `—` when unknown.
fn points(contribution: Option<f64>) -> String {
    match contribution {
        None => "—".to_owned(),
        Some(c) => {
            let p = format!("{:.1}", (c * 100.0).abs());
            if p == "0.0" {
                "0.0 pt".to_owned()
            } else if c > 0.0 {
                format!("+{p} pt")
            } else {
                format!("\u{2212}{p} pt")
            }
        }
    }
}

/// Signed millions of euros: `+12.3`, `−4.5`.
fn signed_millions(eur: i64) -> String {
    match eur.signum() {
        1 => format!("+{}", millions(eur)),
        -1 => format!("\u{2212}{}", millions(-eur)),
        _ => millions(0),
    }
}

/// The rows of one table of drivers.
fn rows<K: std::fmt::Display>(list: &[Driver<K>]) -> String {
    list.iter()
        .map(|d| {
            format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&d.label),
                millions(d.previous_eur),
                millions(d.value_eur),
                signed_millions(d.change_eur()),
                points(d.contribution)
            )
        })
        .collect()
}

/// The table of the partners and products that drove one flow's change.
fn drivers_table(title: &str, f: &FlowChangeFigures, previous: &str, now: &str) -> String {
    let head = |what: &str| {
        format!(
            "<tr><th>{what}</th><th class=\"num\">{previous} (M€)</th><th class=\"num\">{now} (M€)</th><th class=\"num\">Variation (M€)</th><th class=\"num\">Contribution</th></tr>"
        )
    };
    format!(
        "<table class=\"drivers\"><caption>{}</caption><thead>{}</thead><tbody>{}</tbody><thead>{}</thead><tbody>{}</tbody></table>\n",
        esc(title),
        head("Pays"),
        rows(&f.partners),
        head("Produit"),
        rows(&f.products),
    )
}

/// The block: after the balance and the activities, before the flows.
pub(super) fn evolution_block(fs: &Factsheet) -> String {
    let name = fs.territory.name();
    let first = fs.history.first().map_or(fs.year, |y| y.year);
    let mut h = String::from("<h2>Évolution</h2>\n");
    h.push_str(&format!(
        "<p>Le graphique suivant retrace les exportations et les importations {} depuis {first}, année par année puis trimestre par trimestre. Les années incomplètes sont indiquées avec leurs trimestres.</p>\n",
        match fs.territory {
            crate::model::Territory::Departement(_) => "du département",
            crate::model::Territory::Region(_) => "de la région",
            crate::model::Territory::France => "de la France",
        }
    ));
    let sentences: String = evolution_sentences(fs)
        .iter()
        .map(|s| format!("<div>{}</div>", esc(s)))
        .collect();
    h.push_str(&figure(
        &format!("Évolution des échanges, {name} ({first}–{})", fs.year),
        &charts::evolution(fs),
        &format!("<div class=\"totals\">{sentences}</div>\n"),
    ));
    if let Some(change) = &fs.change {
        let previous = format!("{} ({})", change.previous_year, change.quarters.range());
        let now = fs.period();
        h.push_str(&format!(
            "<p>Les pays et les produits dont les échanges ont le plus varié entre {previous} et {now} ; la contribution est la variation rapportée au total de {}, en points de pourcentage.</p>\n",
            change.previous_year
        ));
        h.push_str(&drivers_table(
            "Exportations : ce qui a le plus varié",
            &change.exports,
            &previous,
            &now,
        ));
        h.push_str(&drivers_table(
            "Importations : ce qui a le plus varié",
            &change.imports,
            &previous,
            &now,
        ));
    }
    h
}
