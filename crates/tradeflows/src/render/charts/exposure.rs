//! Exposition: the shares of each zone (the EU of 27, the rest of Europe, the continents) in
//! the territory's exports and imports, as pairs of horizontal bars on one scale.

use super::svg::{
    meur, territory_name, Anchor, Svg, Text, EXPORT, FOOTER_HEIGHT, IMPORT, INK, MUTED, N, PAD,
    RULE, WIDTH,
};
use crate::codes::Flow;
use crate::format::{escape, percent};
use crate::model::exposure::FlowExposureFigures;
use crate::model::factsheet::Factsheet;

/// Top of the first zone (below the legend).
const TOP: f64 = 44.0;
/// Height of a zone's row (two bars and the gap).
const ROW: f64 = 40.0;
/// Thickness of a bar.
const BAR: f64 = 14.0;
/// Width of the zones' names.
const NAMES: f64 = 170.0;
/// Room kept after the longest bar for its label.
const LABEL_ROOM: f64 = 150.0;

/// The two flows, exports first, with their colours.
fn flows(fs: &Factsheet) -> [(Flow, &FlowExposureFigures, &'static str); 2] {
    [
        (Flow::Export, &fs.exposure.exports, EXPORT),
        (Flow::Import, &fs.exposure.imports, IMPORT),
    ]
}

fn draw_legend(svg: &mut Svg) {
    let mut x = PAD + NAMES;
    for (label, fill) in [
        ("Part des exportations", EXPORT),
        ("Part des importations", IMPORT),
    ] {
        x = svg.legend_entry(x, label, fill, "", 24.0);
    }
}

/// Zone `i`: its name, then a bar per flow with its share.
fn draw_zone(svg: &mut Svg, fs: &Factsheet, i: usize, scale: f64) {
    let top = TOP + ROW * i as f64;
    let zone = &fs.exposure.exports.zones[i];
    let name = Text {
        x: PAD + NAMES - 10.0,
        y: Text::centred(top + BAR, 12.0),
        size: 12.0,
        anchor: Anchor::End,
        bold: false,
        fill: INK,
    };
    svg.put(format_args!(
        "<g class=\"zone\" data-code=\"{}\">",
        zone.code
    ));
    svg.text(&name, &zone.label);
    for (k, (flow, figures, colour)) in flows(fs).into_iter().enumerate() {
        let part = &figures.zones[i];
        let y = top + k as f64 * (BAR + 2.0);
        let w = part.share.unwrap_or(0.0) * scale;
        let class = if flow == Flow::Export {
            "export"
        } else {
            "import"
        };
        svg.put(format_args!(
            "<rect class=\"bar {class}\" data-code=\"{}\" data-value=\"{}\" data-share=\"{}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"{colour}\"><title>{} — {} : {}</title></rect>",
            part.code,
            part.value_eur,
            part.share.map_or_else(|| "".to_owned(), |s| s.to_string()),
            N(PAD + NAMES),
            N(y),
            N(w),
            N(BAR),
            escape(&part.label),
            if flow == Flow::Export { "exportations" } else { "importations" },
            meur(part.value_eur),
        ));
        let label = Text {
            x: PAD + NAMES + w + 5.0,
            y: Text::centred(y + BAR / 2.0, 10.5),
            size: 10.5,
            anchor: Anchor::Start,
            bold: false,
            fill: if part.value_eur == 0 { MUTED } else { INK },
        };
        let shown = match part.share {
            Some(s) => format!("{} · {}", percent(s, 1), meur(part.value_eur)),
            None => "—".to_owned(),
        };
        svg.text(&label, &shown);
    }
    svg.raw("</g>");
}

pub(crate) fn render(fs: &Factsheet) -> String {
    let zones = fs.exposure.exports.zones.len();
    let height = TOP + ROW * zones as f64 + 10.0 + FOOTER_HEIGHT;
    let title = format!(
        "Échanges par zone géographique, {} ({})",
        territory_name(fs),
        fs.year
    );
    let desc = "Pour chaque zone (Union européenne à 27, reste de l'Europe, continents selon la \
                norme M49 de l'ONU), la part des exportations (violet) et des importations \
                (bleu) du territoire, sur une même échelle.";
    let mut svg = Svg::new(height, &title, desc);
    draw_legend(&mut svg);
    let largest = flows(fs)
        .iter()
        .flat_map(|(_, f, _)| f.zones.iter().filter_map(|z| z.share))
        .fold(0.0_f64, f64::max);
    let room = WIDTH - 2.0 * PAD - NAMES - LABEL_ROOM;
    let scale = if largest > 0.0 { room / largest } else { 0.0 };
    svg.put(format_args!(
        "<line class=\"axis\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{RULE}\" stroke-width=\"1\"/>",
        N(TOP - 6.0),
        N(TOP + ROW * zones as f64 - 6.0),
        x = N(PAD + NAMES),
    ));
    for i in 0..zones {
        draw_zone(&mut svg, fs, i, scale);
    }
    svg.footer(fs, height);
    svg.finish()
}
