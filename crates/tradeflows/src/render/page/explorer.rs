//! The index of `--all --format html`: an explorer of every territory in one offline page —
//! a map of the départements coloured by an indicator chosen in a list, with a legend and
//! the value under the pointer; a table of the 120 territories sortable by every column and
//! filtered by a search that ignores case and accents; every name and outline opens the
//! territory's page. Inline SVG, CSS and a small script; nothing is fetched.

use std::fmt::Write;

use super::{esc, head};
use crate::charts::{
    map_departements, map_legend, map_outlines, MapLayer, MapScale, MapUnit, ATTRIBUTION,
    LEGEND_AT, MISSING,
};
use crate::codes::Departement;
use crate::format::millions;
use crate::model::{Indicator, Territory, TerritoryIndicators};

/// The explorer's own styles (added to the pages').
const CSS_EXPLORER: &str = r#"
body { max-width: 1040px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { position: static; display: inline-block; margin-bottom: 8px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin: 12px 0; padding: 10px 12px; background: #f0f0fa; }
.controls label { font-weight: bold; }
.controls select, .controls input { font: inherit; padding: 4px 6px; border: 1px solid #8c8c8c; border-radius: 3px; background: #fff; }
.controls input { min-width: 260px; }
figure.explorer-map { position: relative; margin: 0 0 16px; }
figure.explorer-map svg { width: 100%; height: auto; display: block; }
#map path { cursor: pointer; transition: opacity .15s; }
#map a:focus { outline: none; }
#map a:focus path, #map path:hover { stroke: #1a1a1a; stroke-width: 2.2; }
#map path.dim { opacity: .22; }
#tooltip { position: absolute; pointer-events: none; background: #1a1a1a; color: #fff; padding: 5px 9px; border-radius: 3px; font-size: 13px; max-width: 320px; z-index: 2; }
#territories { width: 100%; border-collapse: collapse; font-size: 13px; }
#territories caption { text-align: left; padding-bottom: 6px; color: #555; font-size: 12.5px; }
#territories th { position: sticky; top: 0; background: #f0f0fa; border-bottom: 2px solid #000091; padding: 0; text-align: left; }
#territories th button { font: inherit; font-weight: bold; color: #000091; background: none; border: 0; width: 100%; padding: 6px 6px; text-align: inherit; cursor: pointer; }
#territories th.num button { text-align: right; }
#territories th[aria-sort="ascending"] button::after { content: " ▲"; }
#territories th[aria-sort="descending"] button::after { content: " ▼"; }
#territories td { padding: 4px 6px; border-bottom: 1px solid #e4e4e4; }
#territories td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
#territories td.na { color: #8c8c8c; }
#territories tr[data-kind="région"] td:first-child, #territories tr[data-kind="pays"] td:first-child { font-weight: bold; }
#territories .code, #territories .kind { color: #666; font-size: 11.5px; }
#territories .kind { font-style: italic; }
#territories tbody tr:hover { background: #f6f6fb; }
"#;

/// How an indicator is drawn: its unit and its scale.
fn style(indicator: Indicator) -> (MapUnit, MapScale) {
    let seq = |c: &str| MapScale::Sequential {
        color: c.to_owned(),
    };
    match indicator {
        Indicator::Exports => (MapUnit::Euros, seq("#7030a0")),
        Indicator::Imports => (MapUnit::Euros, seq("#2f5597")),
        Indicator::Balance => (MapUnit::Euros, MapScale::Diverging { center: 0.0 }),
        Indicator::Coverage => (MapUnit::Share, MapScale::Diverging { center: 1.0 }),
        Indicator::Growth => (MapUnit::Change, MapScale::Diverging { center: 0.0 }),
        Indicator::ExtraEu => (MapUnit::Share, seq("#00695c")),
        Indicator::Us => (MapUnit::Share, seq("#b34700")),
    }
}

/// The layers of the map, one per indicator, from the départements' indicators.
fn layers(rows: &[TerritoryIndicators]) -> Vec<(Indicator, MapLayer)> {
    Indicator::ALL
        .into_iter()
        .map(|i| {
            let values: Vec<(Departement, Option<f64>)> = rows
                .iter()
                .filter_map(|r| match r.territory {
                    Territory::Departement(d) => Some((d, r.value(i))),
                    _ => None,
                })
                .collect();
            let (unit, scale) = style(i);
            (i, MapLayer::new(&values, unit, &scale))
        })
        .collect()
}

/// A JSON string literal that is safe inside `<script>` (no `</`).
fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".to_owned())
        .replace("</", "<\\/")
}

/// The data the script recolours the map with: per indicator its label, and each
/// département's fill and value as written.
fn script_data(layers: &[(Indicator, MapLayer)]) -> String {
    let mut out = String::from("{\"missing\":");
    out.push_str(&js_string(MISSING));
    out.push_str(",\"names\":{");
    let names: Vec<String> = map_outlines()
        .paths
        .iter()
        .map(|(d, _)| format!("{}:{}", js_string(d.code()), js_string(d.name())))
        .collect();
    out.push_str(&names.join(","));
    out.push_str("},\"indicators\":{");
    let parts: Vec<String> = layers
        .iter()
        .map(|(i, layer)| {
            let fills: Vec<String> = layer
                .fills
                .iter()
                .map(|(d, c)| format!("{}:{}", js_string(d.code()), js_string(c)))
                .collect();
            let texts: Vec<String> = layer
                .labels
                .iter()
                .map(|(d, t)| format!("{}:{}", js_string(d.code()), js_string(t)))
                .collect();
            format!(
                "{}:{{\"label\":{},\"fill\":{{{}}},\"text\":{{{}}}}}",
                js_string(i.name()),
                js_string(i.label()),
                fills.join(","),
                texts.join(",")
            )
        })
        .collect();
    out.push_str(&parts.join(","));
    out.push_str("}}");
    out
}

/// The map: every layer's legend (the first shown), the outlines filled by the first layer
/// and linked to the pages.
fn map_svg(layers: &[(Indicator, MapLayer)]) -> String {
    let (w, h) = map_outlines().size;
    let first = &layers[0];
    let mut out = format!(
        "<svg id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"Carte des départements : {}\" font-family=\"Marianne, Arial, 'Liberation Sans', Helvetica, sans-serif\">",
        esc(first.0.label())
    );
    out.push_str(&map_departements(&first.1, true));
    for (k, (i, layer)) in layers.iter().enumerate() {
        let _ = write!(
            out,
            "<g class=\"legend\" data-indicator=\"{}\" display=\"{}\">{}</g>",
            i.name(),
            if k == 0 { "inline" } else { "none" },
            map_legend(layer, i.label(), LEGEND_AT.0, LEGEND_AT.1)
        );
    }
    out.push_str("</svg>");
    out
}

/// A number cell: the value as written, and as a number for sorting (empty: none).
fn num_cell(value: Option<f64>, text: String) -> String {
    match value {
        Some(v) if v.is_finite() => {
            format!("<td class=\"num\" data-value=\"{v}\">{}</td>", esc(&text))
        }
        _ => "<td class=\"num na\" data-value=\"\">n.d.</td>".to_owned(),
    }
}

fn kind_word(t: Territory) -> &'static str {
    match t {
        Territory::Departement(_) => "département",
        Territory::Region(_) => "région",
        Territory::France => "pays",
    }
}

/// One row of the table.
fn row(r: &TerritoryIndicators) -> String {
    let t = r.territory;
    let key = t.key();
    let code = t.code();
    let pct =
        |v: Option<f64>, unit: MapUnit| num_cell(v, v.map_or(String::new(), |v| unit.label(v)));
    let partner = match &r.partner {
        Some((c, name)) => format!(
            "<td data-value=\"{}\">{} <span class=\"code\">{}</span></td>",
            esc(name),
            esc(name),
            c
        ),
        None => "<td class=\"na\" data-value=\"\">n.d.</td>".to_owned(),
    };
    format!(
        "<tr data-key=\"{key}\" data-kind=\"{kind}\"><td data-value=\"{name}\"><a href=\"{key}.html\">{name}</a> <span class=\"code\">{code}</span> <span class=\"kind\">{kind}</span></td>{}{}{}{}{}{partner}</tr>\n",
        num_cell(Some(r.exports_eur as f64), millions(r.exports_eur)),
        num_cell(Some(r.imports_eur as f64), millions(r.imports_eur)),
        num_cell(Some(r.balance_eur() as f64), millions(r.balance_eur())),
        pct(r.coverage, MapUnit::Share),
        pct(r.growth, MapUnit::Change),
        kind = kind_word(t),
        name = esc(t.name()),
        code = esc(code),
    )
}

/// The table of the territories: France, the régions, the départements.
fn table(rows: &[TerritoryIndicators], period: &str) -> String {
    let headers = [
        ("name", "Territoire", ""),
        ("exports", "Exportations (M€)", " class=\"num\""),
        ("imports", "Importations (M€)", " class=\"num\""),
        ("balance", "Solde (M€)", " class=\"num\""),
        ("coverage", "Couverture", " class=\"num\""),
        ("growth", "Évolution des exportations", " class=\"num\""),
        ("partner", "Premier partenaire", ""),
    ];
    let mut out = format!(
        "<table id=\"territories\">\n<caption>Les {} territoires, {}. Cliquer sur un en-tête trie le tableau (une seconde fois, en sens inverse).</caption>\n<thead><tr>",
        rows.len(),
        esc(period)
    );
    for (col, label, class) in headers {
        let _ = write!(
            out,
            "<th data-col=\"{col}\" aria-sort=\"none\" scope=\"col\"{class}><button type=\"button\">{label}</button></th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let order = |t: &Territory| match t {
        Territory::France => 0,
        Territory::Region(_) => 1,
        _ => 2,
    };
    let mut sorted: Vec<&TerritoryIndicators> = rows.iter().collect();
    sorted.sort_by_key(|r| (order(&r.territory), r.territory));
    for r in sorted {
        out.push_str(&row(r));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The explorer's script: recolours the map, shows the value under the pointer (or the
/// keyboard focus), sorts and filters the table. Vanilla, no dependency.
const SCRIPT: &str = r#"(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explorer-data").textContent);
  var map = document.getElementById("map");
  var select = document.getElementById("indicator");
  var tip = document.getElementById("tooltip");
  var search = document.getElementById("search");
  var table = document.getElementById("territories");
  var count = document.getElementById("count");
  var body = table.tBodies[0];
  var shapes = Array.prototype.slice.call(map.querySelectorAll("path[data-code], path[data-zoom]"));
  var rows = Array.prototype.slice.call(body.rows);
  function norm(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }
  function codeOf(p) { return p.getAttribute("data-code") || p.getAttribute("data-zoom"); }
  function recolour() {
    var ind = data.indicators[select.value];
    shapes.forEach(function (p) { p.setAttribute("fill", ind.fill[codeOf(p)] || data.missing); });
    map.querySelectorAll("g.legend").forEach(function (g) {
      g.setAttribute("display", g.getAttribute("data-indicator") === select.value ? "inline" : "none");
    });
    map.setAttribute("aria-label", "Carte des départements : " + ind.label);
    hide();
  }
  function show(p, x, y) {
    var c = codeOf(p), ind = data.indicators[select.value];
    tip.textContent = data.names[c] + " (" + c + ") — " + ind.label + " : " + (ind.text[c] || "non disponible");
    tip.hidden = false;
    var box = map.parentNode.getBoundingClientRect();
    var left = Math.min(x - box.left + 14, box.width - tip.offsetWidth - 4);
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = (y - box.top + 16) + "px";
  }
  function hide() { tip.hidden = true; }
  map.addEventListener("mousemove", function (e) {
    var p = e.target.closest ? e.target.closest("path[data-code], path[data-zoom]") : null;
    if (p) { show(p, e.clientX, e.clientY); } else { hide(); }
  });
  map.addEventListener("mouseleave", hide);
  map.addEventListener("focusin", function (e) {
    var p = e.target.querySelector ? e.target.querySelector("path") : null;
    if (p) { var r = p.getBoundingClientRect(); show(p, r.left + r.width / 2, r.top + r.height / 2); }
  });
  map.addEventListener("focusout", hide);
  select.addEventListener("change", recolour);
  rows.forEach(function (r, i) {
    r.setAttribute("data-index", i);
    r.setAttribute("data-search", norm(r.cells[0].textContent));
  });
  function sortBy(th) {
    var col = th.cellIndex, key = th.getAttribute("data-col");
    var text = key === "name" || key === "partner";
    var now = th.getAttribute("aria-sort");
    var dir = now === "descending" ? "ascending" : now === "ascending" ? "descending" : (text ? "ascending" : "descending");
    table.querySelectorAll("th[data-col]").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-value"), y = b.cells[col].getAttribute("data-value");
      if (x === "" || y === "") { return (x === "") - (y === "") || a.getAttribute("data-index") - b.getAttribute("data-index"); }
      var d = text ? x.localeCompare(y, "fr") : parseFloat(x) - parseFloat(y);
      return sign * d || a.getAttribute("data-index") - b.getAttribute("data-index");
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  table.querySelectorAll("th[data-col]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  function filter() {
    var q = norm(search.value), shown = 0, kept = {};
    rows.forEach(function (r) {
      var ok = q === "" || r.getAttribute("data-search").indexOf(q) >= 0;
      r.hidden = !ok;
      if (ok) {
        shown += 1;
        var k = r.getAttribute("data-key");
        if (k.indexOf("dep-") === 0) { kept[k.slice(4)] = true; }
      }
    });
    shapes.forEach(function (p) { p.classList.toggle("dim", q !== "" && !kept[codeOf(p)]); });
    count.textContent = shown + (shown > 1 ? " territoires" : " territoire");
  }
  search.addEventListener("input", filter);
  recolour();
  filter();
})();
"#;

/// The explorer page: `rows` are the territories' indicators (the 101 départements, the
/// 18 régions and France), `period` the year as the pages write it, `tis` the Territoires
/// d'industrie written (key, name).
pub fn explorer(
    rows: &[TerritoryIndicators],
    period: &str,
    demo: Option<&str>,
    source: &str,
    tis: &[(String, String)],
) -> String {
    let layers = layers(rows);
    let mut h = head(&format!(
        "Les indicateurs clés : commerce extérieur — {period}"
    ));
    h = h.replacen("</style>", &format!("{CSS_EXPLORER}</style>"), 1);
    h.push_str("<a class=\"skip\" href=\"#territories\">Aller au tableau des territoires</a>\n");
    let _ = write!(
        h,
        "<header>\n<div class=\"kicker\">Explorer les territoires</div>\n<h1>Les indicateurs clés : commerce extérieur</h1>\n<div class=\"subtitle\">{}</div>\n</header>\n",
        esc(period)
    );
    if let Some(text) = demo {
        let _ = writeln!(h, "<div class=\"demo\">{}</div>", esc(text));
    }
    h.push_str("<p>La carte colore les départements selon l'indicateur choisi ; le survol donne la valeur, le clic ouvre la fiche. Le tableau compare les 101 départements, les 18 régions et la France ; la recherche ignore les majuscules et les accents.</p>\n");
    h.push_str("<div class=\"controls\"><label for=\"indicator\">Indicateur</label> <select id=\"indicator\">");
    for i in Indicator::ALL {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            i.name(),
            esc(i.label())
        );
    }
    h.push_str("</select> <label for=\"search\">Rechercher</label> <input id=\"search\" type=\"search\" placeholder=\"nom ou code : armor, 22, bretagne\" autocomplete=\"off\"></div>\n");
    let _ = writeln!(
        h,
        "<figure class=\"explorer-map\">{}<div id=\"tooltip\" role=\"status\" hidden></div><figcaption class=\"note\">Les départements d'outre-mer sont en médaillon, Paris et la petite couronne agrandis. {}.</figcaption></figure>",
        map_svg(&layers),
        esc(ATTRIBUTION)
    );
    h.push_str(&table(rows, period));
    h.push_str("<p id=\"count\" class=\"note\" aria-live=\"polite\"></p>\n");
    if !tis.is_empty() {
        let items: String = tis
            .iter()
            .map(|(k, n)| format!("<li><a href=\"{k}.html\">{}</a></li>", esc(n)))
            .collect();
        let _ = write!(
            h,
            "<h2>Territoires d'industrie</h2>\n<ul class=\"index\">{items}</ul>\n"
        );
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">{} Couverture : exportations / importations. Évolution : exportations de l'année rapportées à celles de l'année précédente sur les mêmes trimestres. Part hors UE : exportations vers les pays hors de l'Union européenne à 27.</p>",
        esc(source)
    );
    let _ = write!(
        h,
        "<script type=\"application/json\" id=\"explorer-data\">{}</script>\n<script>{SCRIPT}</script>\n",
        script_data(&layers)
    );
    h.push_str(&super::footer());
    h
}
