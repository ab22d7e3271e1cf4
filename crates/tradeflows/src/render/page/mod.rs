//! The factsheet as a self-contained HTML page (inline SVG and CSS, nothing fetched),
//! printable on A4, in French, with every block of ANCT's document in its order.
//!
//! Charts and sentences are drawn from the [`Factsheet`] figures only; the région and
//! France pages have the blocks that apply to them.

mod evolution;
mod explorer;
mod exposure;

pub use evolution::evolution_sentences;
pub use explorer::explorer;
pub use exposure::watch_sentences;

use super::charts;
use crate::codes::Flow;
use crate::format::{escape as esc, millions, percent};
use crate::model::ti::{TerritoireIndustrie, MIN_COMMUNES};
use crate::model::{Factsheet, FlowFigures, Territory};

/// What a page shows beside its territory's own figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageContext<'a> {
    /// The factsheet of the territory's région (département pages).
    pub region: Option<&'a Factsheet>,
    /// The factsheet of France (département and région pages).
    pub france: Option<&'a Factsheet>,
    /// The Territoires d'industrie of a département's page (`None`: no list was given).
    pub territoires: Option<&'a [&'a TerritoireIndustrie]>,
}

/// The sentences under a sankey, exactly as the factsheet writes them:
/// `Total des exportations : 1 400.3 millions d'euros`,
/// `soit 11.4% de la valeur exportée par la région Bretagne`,
/// `soit 0.24% de la valeur exportée au niveau national`.
///
/// ```
/// use tradeflows::page::totals_sentences;
/// use tradeflows::{Dataset, Flow};
/// let data = Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let s = totals_sentences(&fs, Flow::Export);
/// assert!(s[0].starts_with("Total des exportations : "));
/// assert!(s[1].ends_with("de la valeur exportée par la région Bretagne"));
/// assert!(s[2].ends_with("de la valeur exportée au niveau national"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn totals_sentences(fs: &Factsheet, flow: Flow) -> Vec<String> {
    let f = fs.flow(flow);
    let (noun, adjective) = match flow {
        Flow::Export => ("exportations", "exportée"),
        Flow::Import => ("importations", "importée"),
    };
    let mut out = vec![format!(
        "Total des {noun} : {} millions d'euros",
        millions(f.total_eur)
    )];
    if let (Some(share), Some(region)) = (f.share_of_region, fs.territory.region()) {
        out.push(format!(
            "soit {} de la valeur {adjective} par la région {}",
            percent(share, 1),
            region.name()
        ));
    }
    if let Some(share) = f.share_of_nation {
        out.push(format!(
            "soit {} de la valeur {adjective} au niveau national",
            percent(share, 2)
        ));
    }
    out
}

const CSS: &str = r#"
@page { size: A4; margin: 14mm 13mm; }
* { box-sizing: border-box; }
body { font-family: Marianne, Arial, "Liberation Sans", Helvetica, sans-serif; color: #1e1e1e;
       max-width: 820px; margin: 0 auto; padding: 16px; line-height: 1.45; font-size: 14px; }
header { border-bottom: 3px solid #000091; padding-bottom: 10px; margin-bottom: 18px; }
header .kicker { font-size: 12px; letter-spacing: .06em; text-transform: uppercase; color: #000091; }
h1 { font-size: 26px; margin: 4px 0 2px; color: #000091; }
header .subtitle { font-size: 18px; font-weight: bold; }
h2 { font-size: 19px; color: #000091; border-bottom: 1px solid #c8c8e6; padding-bottom: 3px; margin-top: 26px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.figure-title { font-weight: bold; text-align: center; margin: 14px 0 6px; }
figure { margin: 0 0 8px; }
.figure-block { break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
.box { background: #f0f0fa; border-left: 4px solid #000091; padding: 8px 14px; margin: 12px 0; break-inside: avoid; }
.note { font-size: 12px; color: #555; }
.totals { font-weight: bold; margin: 8px 0 10px; padding: 8px 14px; background: #f6f6f6; break-inside: avoid; }
.totals div + div { font-weight: normal; }
.demo { border: 2px solid #c62828; color: #c62828; padding: 6px 12px; margin-bottom: 14px; font-weight: bold; }
.page-break { break-before: page; }
a { color: #000091; }
ul.index { columns: 3 220px; column-gap: 24px; padding-left: 18px; }
ul.index li { break-inside: avoid; }
table.drivers { width: 100%; border-collapse: collapse; margin: 10px 0 16px; font-size: 12.5px; break-inside: avoid; }
table.drivers caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
table.drivers th, table.drivers td { padding: 3px 6px; border-bottom: 1px solid #e0e0e0; text-align: left; }
table.drivers th { background: #f0f0fa; }
table.drivers .num { text-align: right; white-space: nowrap; }
table.drivers .code { color: #666; font-size: 11px; }
ul.concentration { font-size: 13px; }
footer { margin-top: 28px; border-top: 1px solid #ccc; padding-top: 8px; font-size: 12px; color: #555; }
@media print { body { padding: 0; max-width: none; } .no-print { display: none; } }
"#;

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    )
}

fn demo_banner(fs: &Factsheet) -> String {
    if fs.source.demo {
        format!(
            "<div class=\"demo\">{}</div>\n",
            esc(&fs.source.description)
        )
    } else {
        String::new()
    }
}

/// A chart with its title and what follows it (its totals), kept on one printed page.
fn figure(title: &str, svg: &str, after: &str) -> String {
    format!(
        "<div class=\"figure-block\">\n<p class=\"figure-title\">{}</p>\n<figure>{svg}</figure>\n{after}</div>\n",
        esc(title)
    )
}

fn totals_block(sentences: &[String]) -> String {
    let lines: String = sentences
        .iter()
        .map(|s| format!("<div>{}</div>", esc(s)))
        .collect();
    format!("<div class=\"totals\">{lines}</div>\n")
}

fn flow_total_only(fs: &Factsheet, flow: Flow) -> String {
    totals_block(&totals_sentences(fs, flow)[..1])
}

fn sankey(fs: &Factsheet, flow: Flow) -> String {
    match flow {
        Flow::Export => charts::exports(fs),
        Flow::Import => charts::imports(fs),
    }
}

/// How the page names the territory's scale and the territory itself.
fn scale_words(t: Territory) -> (&'static str, &'static str) {
    match t {
        Territory::Departement(_) => ("départementale", "le département"),
        Territory::Region(_) => ("régionale", "la région"),
        Territory::France => ("nationale", "le pays"),
    }
}

/// The blocks of one territory's figures: balance, activities, export and import flows with
/// their totals, and the comparisons the context allows.
fn figures(fs: &Factsheet, ctx: &PageContext<'_>) -> String {
    let mut h = balance_block(fs);
    h.push_str(&activities_block(fs));
    h.push_str(&evolution::evolution_block(fs));
    for flow in [Flow::Export, Flow::Import] {
        h.push_str(&flow_block(fs, flow));
        h.push_str(&comparisons(fs, flow, ctx));
    }
    h.push_str(&exposure::exposure_block(fs));
    h
}

fn balance_block(fs: &Factsheet) -> String {
    let (name, year) = (fs.territory.name(), fs.period());
    let (_, here) = scale_words(fs.territory);
    let mut h = String::from("<h2>Balance commerciale territoriale</h2>\n");
    h.push_str(&format!(
        "<p>Cette première infographie identifie les principaux pays concernés par des relations commerciales avec {}, en prenant en compte les principaux pays à l'import et à l'export. Cette vision d'ensemble permet d'apprécier les grands équilibres commerciaux locaux vis-à-vis de l'extérieur.</p>\n",
        esc(here)
    ));
    h.push_str(&figure(
        &format!("Principaux pays à l'import et à l'export, {name} ({year})"),
        &charts::balance(fs),
        "",
    ));
    h.push_str("<p class=\"note\"><strong>Clé de lecture :</strong> pour chaque pays, figurent à gauche le montant des importations et à droite celui des exportations. Le delta constitue la balance commerciale, indiquée en rouge ou en vert selon qu'elle est négative ou positive.</p>\n");
    h
}

fn activities_block(fs: &Factsheet) -> String {
    let (name, year) = (fs.territory.name(), fs.period());
    let (scale, _) = scale_words(fs.territory);
    let mut h = format!(
        "<p>Le graphique suivant représente les principales activités concernées par les échanges commerciaux internationaux à l'échelle {scale}. Figurent en bleu <strong>les biens importés</strong>, en violet <strong>les biens exportés</strong>. L'aire des compartiments est proportionnelle à l'importance du bien concerné dans sa catégorie d'échange, ce qui permet d'identifier les principales activités concernées à l'import et à l'export, ainsi que la balance globale.</p>\n"
    );
    h.push_str(&figure(
        &format!("Principales activités à l'import et à l'export, {name} ({year})"),
        &charts::activities(fs),
        "",
    ));
    h
}

/// The block of one flow: its sankey with its totals.
fn flow_block(fs: &Factsheet, flow: Flow) -> String {
    let (name, year) = (fs.territory.name(), fs.period());
    let f: &FlowFigures = fs.flow(flow);
    let (products, partners, red) = (f.named_products(), f.named_partners(), f.highlighted());
    let (title, intro, figure_title, caption) = match flow {
        Flow::Export => (
            "Exportations",
            format!("Pour aller plus loin dans l'analyse, le graphique suivant représente les flux d'exportations (quel produit est exporté vers quel pays). Sont représentés les {products} premiers biens exportés ainsi que les {partners} principaux pays acheteurs. La catégorie « autres » comprend les biens et les pays au-delà de ce classement. Pour faciliter la lecture, les {red} principaux flux (tel produit vers telle destination) sont représentés en <strong>rouge</strong>."),
            format!("Flux à l'export par produit et par pays, {name} (en valeur, {year})"),
            "Figurent à gauche <strong>les principaux biens exportés</strong>, à droite <strong>les pays de destination</strong>.",
        ),
        Flow::Import => (
            "Importations",
            format!("De manière similaire, le graphique suivant représente les flux d'importations (quel pays vend quel produit). Sont représentés les {partners} principaux pays vendeurs ainsi que les {products} premiers biens importés. La catégorie « autres » comprend les pays et les biens au-delà de ce classement. Pour faciliter la lecture, les {red} principaux flux (telle origine pour tel produit) sont représentés en <strong>rouge</strong>."),
            format!("Flux à l'import par pays et par produit, {name} (en valeur, {year})"),
            "Figurent à gauche <strong>les principaux pays d'origine</strong>, à droite <strong>les biens importés</strong>.",
        ),
    };
    let mut h = format!("<h2 class=\"page-break\">{title}</h2>\n<p>{intro}</p>\n");
    h.push_str(&figure(
        &figure_title,
        &sankey(fs, flow),
        &totals_block(&totals_sentences(fs, flow)),
    ));
    h.push_str(&format!("<p class=\"note\">{caption}</p>\n"));
    h
}

/// The same flow's sankeys for the région and France, when the context has them.
fn comparisons(fs: &Factsheet, flow: Flow, ctx: &PageContext<'_>) -> String {
    let others: Vec<&Factsheet> = [ctx.region, ctx.france].into_iter().flatten().collect();
    if others.is_empty() {
        return String::new();
    }
    let (scale, _) = scale_words(fs.territory);
    let what = match flow {
        Flow::Export => "exportations",
        Flow::Import => "importations",
    };
    let with = if ctx.region.is_some() {
        "de la région et du pays"
    } else {
        "du pays"
    };
    let mut h =
        format!("<p>La situation {scale} des {what} peut être comparée à celle {with} :</p>\n");
    for other in others {
        let label = match other.territory {
            Territory::France => "France entière",
            t => t.name(),
        };
        let kind = if flow == Flow::Export {
            "export"
        } else {
            "import"
        };
        h.push_str(&figure(
            &format!("Flux à l'{kind}, {label} (en valeur, {})", other.period()),
            &sankey(other, flow),
            &flow_total_only(other, flow),
        ));
    }
    h
}

fn context_and_method(fs: &Factsheet) -> String {
    let year = fs.year;
    format!(
        "<h2>Contexte et méthodologie</h2>\n<h3>Contexte</h3>\n\
<p>Face aux profondes mutations du commerce mondial, l'ouverture des industries et la nature des flux commerciaux exposent les territoires à de nouvelles menaces comme à de nouvelles opportunités.</p>\n\
<p>Dans un contexte de tensions commerciales internationales, l'incertitude s'accroît pour les industriels, qui s'interrogent sur leur exposition et leur dépendance aux chaînes de valeur mondiales, tant à l'importation qu'à l'exportation. Cette situation incite les acteurs économiques à diversifier leurs partenaires, sécuriser leurs approvisionnements et saisir de nouvelles opportunités de développement.</p>\n\
<p>Cette fiche, fondée sur les données douanières de {year}, propose un état des lieux territorial : elle met en lumière les principales activités exportatrices et importatrices, les pays partenaires les plus importants, et permet de situer le territoire par rapport à la moyenne nationale.</p>\n\
<h3>Précisions méthodologiques</h3>\n\
<p>Les infographies présentées permettent d'avoir des ordres de grandeur des grands équilibres actuels, mais comportent certaines limites :</p>\n<ul>\n\
<li>Les données sont établies selon le lieu de dédouanement, qui ne reflète pas toujours le lieu de production. Par exemple, un bien fabriqué dans un département A peut être exporté depuis un département B. Les chiffres dépendent ainsi des chaînes logistiques mises en place en interne par les entreprises.</li>\n\
<li>De manière similaire, la présence de grandes infrastructures de transport peut introduire des biais. Par exemple, les zones industrialo-portuaires concentrent les importations d'hydrocarbures, ce qui ne signifie pas que l'usage en est fait exclusivement dans les départements correspondants.</li>\n\
<li>Enfin, l'échelle infra-départementale, notamment celle des Territoires d'industrie, n'est pas accessible à ce jour. Pour les territoires interdépartementaux, il est recommandé de consulter les fiches des différents départements concernés.</li>\n</ul>\n\
<p>Les infographies reposent sur les données départementales et régionales du commerce extérieur pour {}, produites par la Direction générale des Douanes et Droits indirects et accessibles en open data.</p>\n",
        if fs.quarters.is_full() { format!("l'année {year}") } else { format!("la période {}", fs.period()) }
    )
}

fn sources(fs: &Factsheet) -> String {
    format!(
        "<h2>Sources et informations pratiques</h2>\n<ul>\n\
<li>Source : {}, {} ({}).</li>\n\
<li>Valeurs en euros : importations CAF (coût, assurance, fret compris jusqu'à la frontière), exportations FAB (franco à bord). Échanges de marchandises seulement, hors services.</li>\n\
<li>Importations : département de destination réelle des marchandises ; exportations : département d'où partent les marchandises. Les importations de gaz naturel et d'électricité sont attribuées par convention à Paris.</li>\n\
<li>Données brutes de collecte, sans correction de la non-réponse ; depuis 2022 (EMEBI), les séries des échanges avec l'Union européenne peuvent présenter des ruptures.</li>\n\
<li>Nomenclature de produits : {} (CPF rév. 2.1, INSEE) ; pays : géonomenclature de l'Union européenne.</li>\n</ul>\n\
<p>Pour en savoir plus : <a href=\"https://anct.gouv.fr/actualites\">l'actualité de l'ANCT</a>, <a href=\"https://www.entreprises.gouv.fr/la-dge/actualites\">l'actualité de la DGE</a> ; programme Territoires d'industrie : territoires-industrie@anct.gouv.fr.</p>\n",
        esc(&fs.source.description),
        fs.year,
        fs.quarters,
        fs.level.name().to_uppercase(),
    )
}

fn footer() -> String {
    "<footer>Fiche produite par tradeflows d'après le modèle « Les indicateurs clés : commerce extérieur » de l'ANCT. Données : DGDDI (Licence Ouverte 2.0) ; nomenclatures : INSEE (Licence Ouverte 2.0).</footer>\n</body>\n</html>\n".to_owned()
}

fn territoires_block(tis: Option<&[&TerritoireIndustrie]>) -> String {
    let Some(tis) = tis else { return String::new() };
    let items: String = if tis.is_empty() {
        format!("<li>Aucun Territoire d'industrie ne compte {MIN_COMMUNES} communes ou plus dans le département.</li>")
    } else {
        tis.iter()
            .map(|t| format!("<li>{}</li>", esc(&t.name)))
            .collect()
    };
    format!(
        "<div class=\"box\"><h3>Principaux Territoires d'industrie du département*</h3>\n<ul>{items}</ul>\n<p class=\"note\">* Les Territoires d'industrie adjacents comptant moins de {MIN_COMMUNES} communes dans le département ont été retirés</p></div>\n"
    )
}

/// The page of one territory.
///
/// ```
/// use tradeflows::{page, Dataset, FactsheetOptions, Level};
/// let data = Dataset::demo()?;
/// let cube = data.cube(None, Level::A129)?;
/// let o = FactsheetOptions::default();
/// let fs = data.factsheet_from(&cube, &"22".parse()?, &o);
/// let region = data.factsheet_from(&cube, &"reg:53".parse()?, &o);
/// let france = data.factsheet_from(&cube, &"fr".parse()?, &o);
/// let html = page::render(&fs, &page::PageContext { region: Some(&region), france: Some(&france), territoires: None });
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("Flux à l'export, Bretagne (en valeur, 2024)"));
/// assert!(!html.contains("src=\"http"), "nothing is fetched");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(fs: &Factsheet, ctx: &PageContext<'_>) -> String {
    let name = fs.territory.name();
    let mut h = head(&format!(
        "Les indicateurs clés : commerce extérieur — {name} ({})",
        fs.period()
    ));
    h.push_str("<header>\n<div class=\"kicker\">Territoires d'industrie</div>\n<h1>Les indicateurs clés : commerce extérieur</h1>\n");
    let subtitle = match fs.territory {
        Territory::Departement(_) => format!("Territoires d'industrie - {name}"),
        Territory::Region(_) => format!("Région {name}"),
        Territory::France => "France entière".to_owned(),
    };
    h.push_str(&format!(
        "<div class=\"subtitle\">{} — {}</div>\n</header>\n",
        esc(&subtitle),
        esc(&fs.period())
    ));
    h.push_str(&demo_banner(fs));
    h.push_str("<h2>Introduction</h2>\n<p>Dans le cadre du programme Territoires d'industrie, copiloté par l'ANCT et la DGE, des portraits socio-économiques territoriaux ont été publiés en partenariat avec l'INSEE. Ce format se prolonge par des publications thématiques, en lien avec les enjeux identifiés dans les territoires. Ce numéro est consacré au commerce extérieur, un sujet au cœur de l'actualité économique.</p>\n<p>Souvent analysé à l'échelle nationale, le commerce extérieur est ici regardé à l'échelle ");
    h.push_str(match fs.territory {
        Territory::Departement(_) => "départementale — l'échelon le plus fin disponible —",
        Territory::Region(_) => "régionale",
        Territory::France => "de la France entière",
    });
    h.push_str(" à travers une sélection d'indicateurs et d'infographies, fondés sur les statistiques établies par les Douanes.</p>\n");
    if matches!(fs.territory, Territory::Departement(_)) {
        h.push_str(&territoires_block(ctx.territoires));
    }
    h.push_str(&context_and_method(fs));
    h.push_str(&figures(fs, ctx));
    h.push_str(&sources(fs));
    h.push_str(&footer());
    h
}

/// The page of a Territoire d'industrie: its départements' figures, one after the other
/// (customs figures stop at the département).
pub fn render_ti(
    ti: &TerritoireIndustrie,
    departements: &[(&Factsheet, PageContext<'_>)],
) -> String {
    let Some((first, _)) = departements.first() else {
        return format!(
            "{}<h1>{}</h1><p>Aucun département.</p>{}",
            head(&ti.name),
            esc(&ti.name),
            footer()
        );
    };
    let mut h = head(&format!(
        "Les indicateurs clés : commerce extérieur — {} ({})",
        ti.name,
        first.period()
    ));
    h.push_str(&format!(
        "<header>\n<div class=\"kicker\">Territoires d'industrie</div>\n<h1>Les indicateurs clés : commerce extérieur</h1>\n<div class=\"subtitle\">{} — {}</div>\n</header>\n",
        esc(&ti.name),
        esc(&first.period())
    ));
    h.push_str(&demo_banner(first));
    let list: String = ti
        .departements()
        .iter()
        .map(|d| {
            format!(
                "<li>{} ({}) : {} commune(s)</li>",
                esc(d.name()),
                d.code(),
                ti.communes.get(d).copied().unwrap_or(0)
            )
        })
        .collect();
    h.push_str(&format!(
        "<div class=\"box\"><p>Les données douanières s'arrêtent au département : les chiffres présentés sont ceux des départements du territoire.</p><ul>{list}</ul></div>\n"
    ));
    h.push_str(&context_and_method(first));
    for (fs, ctx) in departements {
        h.push_str(&format!(
            "<h2 class=\"page-break\">{} ({})</h2>\n",
            esc(fs.territory.name()),
            esc(fs.territory.code())
        ));
        h.push_str(&figures(fs, ctx));
    }
    h.push_str(&sources(first));
    h.push_str(&footer());
    h
}

/// The factsheet as a notebook shows it (Jupyter's rich display): the title, the demo
/// warning, the totals and evolution sentences and the charts, in a fragment of HTML.
///
/// ```
/// let data = tradeflows::Dataset::demo()?;
/// let fs = data.factsheet(&"22".parse()?, &Default::default())?;
/// let html = tradeflows::page::notebook(&fs);
/// assert!(html.starts_with("<div") && html.matches("<svg").count() == 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn notebook(fs: &Factsheet) -> String {
    let mut h = String::from("<div style=\"max-width:820px;font-family:Arial,sans-serif\">");
    h.push_str(&format!(
        "<h3 style=\"color:#000091\">Les indicateurs clés : commerce extérieur — {} ({})</h3>",
        esc(fs.territory.name()),
        esc(&fs.period())
    ));
    if fs.source.demo {
        h.push_str(&format!(
            "<p style=\"color:#c62828\"><b>{}</b></p>",
            esc(&fs.source.description)
        ));
    }
    for flow in [Flow::Export, Flow::Import] {
        let lines: Vec<String> = totals_sentences(fs, flow).iter().map(|s| esc(s)).collect();
        h.push_str(&format!("<p>{}</p>", lines.join("<br>")));
    }
    for sentences in [evolution_sentences(fs), watch_sentences(fs)] {
        let lines: Vec<String> = sentences.iter().map(|s| esc(s)).collect();
        h.push_str(&format!("<p>{}</p>", lines.join("<br>")));
    }
    for kind in charts::ChartKind::ALL {
        h.push_str(&kind.render(fs));
    }
    h.push_str("</div>");
    h
}
