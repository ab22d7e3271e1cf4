//! Balance commerciale territoriale: a butterfly chart of the main partner countries.
//!
//! One row per partner, in the factsheet's order: imports to the left of the country's name,
//! exports to its right, both on one scale; each value written at its bar's end; the
//! balance (exports − imports) in a last column, green when positive, red when negative.

use super::svg::{
    meur, territory_name, Anchor, Svg, Text, EXPORT, FOOTER_HEIGHT, IMPORT, INK, MUTED, N,
    NEGATIVE, PAD, POSITIVE, RULE, WIDTH,
};
use super::text;
use crate::format::{escape, millions};
use crate::model::factsheet::{Factsheet, PartnerFigures};

/// Height of a row.
const ROW: f64 = 24.0;
/// Thickness of a bar.
const BAR: f64 = 16.0;
/// Country names.
const LABEL_SIZE: f64 = 12.0;
/// Values at the bars' ends and balances.
const VALUE_SIZE: f64 = 11.0;
/// Column headers.
const HEAD_SIZE: f64 = 11.0;
/// Height of the header band.
const HEAD: f64 = 30.0;
/// Gap between a bar's end and its value, and between an axis and the names.
const GAP: f64 = 5.0;
/// Gap between the exports' values and the balance column.
const BALANCE_GAP: f64 = 18.0;
/// Widest the names' column may be.
const MAX_LABEL: f64 = 220.0;

/// "+123.4" / "−45.6" (a true minus sign), in millions of euros.
fn signed(eur: i64) -> String {
    let m = millions(eur.abs());
    match eur.signum() {
        1 => format!("+{m}"),
        -1 => format!("\u{2212}{m}"),
        _ => m,
    }
}

fn max_width<'a>(texts: impl Iterator<Item = &'a str>, size: f64, bold: bool) -> f64 {
    texts
        .map(|t| text::width(t, size, bold))
        .fold(0.0, f64::max)
}

/// The columns of the chart and the texts of its rows.
struct Layout {
    imports: Vec<String>,
    exports: Vec<String>,
    balances: Vec<String>,
    label_w: f64,
    bar_max: f64,
    left_axis: f64,
    label_x: f64,
    right_axis: f64,
    balance_x: f64,
    export_w: f64,
    scale: f64,
}

const HEAD_BALANCE: &str = "Solde (M€)";

impl Layout {
    fn new(rows: &[PartnerFigures]) -> Layout {
        let imports: Vec<String> = rows.iter().map(|p| millions(p.imports_eur)).collect();
        let exports: Vec<String> = rows.iter().map(|p| millions(p.exports_eur)).collect();
        let balances: Vec<String> = rows.iter().map(|p| signed(p.balance_eur())).collect();
        let import_w = max_width(imports.iter().map(String::as_str), VALUE_SIZE, false);
        let export_w = max_width(exports.iter().map(String::as_str), VALUE_SIZE, false);
        let balance_w = max_width(balances.iter().map(String::as_str), VALUE_SIZE, true)
            .max(text::width(HEAD_BALANCE, HEAD_SIZE, true));
        let label_w = max_width(rows.iter().map(|p| p.label.as_str()), LABEL_SIZE, false)
            .clamp(60.0, MAX_LABEL);
        // What is left for the two bars, shared equally: one scale for both sides.
        let fixed = 2.0 * PAD + import_w + export_w + 2.0 * GAP + label_w + 4.0 * GAP;
        let bar_max = ((WIDTH - fixed - BALANCE_GAP - balance_w) / 2.0).max(20.0);
        let left_axis = PAD + import_w + GAP + bar_max;
        let largest = rows
            .iter()
            .flat_map(|p| [p.imports_eur, p.exports_eur])
            .max()
            .unwrap_or(0)
            .max(1);
        Layout {
            imports,
            exports,
            balances,
            label_w,
            bar_max,
            left_axis,
            label_x: left_axis + 2.0 * GAP + label_w / 2.0,
            right_axis: left_axis + 4.0 * GAP + label_w,
            balance_x: WIDTH - PAD,
            export_w,
            scale: bar_max / largest as f64,
        }
    }
}

pub(crate) fn render(fs: &Factsheet) -> String {
    let rows: &[PartnerFigures] = &fs.partners;
    let height = HEAD + ROW * rows.len().max(1) as f64 + 8.0 + FOOTER_HEIGHT;
    let title = format!(
        "Principaux pays à l'import et à l'export, {} ({})",
        territory_name(fs),
        fs.year
    );
    let desc = "Pour chaque pays, à gauche les importations, à droite les exportations, en \
                millions d'euros ; en dernière colonne le solde (exportations − importations), \
                en vert s'il est positif, en rouge s'il est négatif.";
    let mut svg = Svg::new(height, &title, desc);
    let layout = Layout::new(rows);
    draw_heads(&mut svg, &layout);
    if rows.is_empty() {
        let t = Text {
            x: WIDTH / 2.0,
            y: Text::centred(HEAD + ROW / 2.0, LABEL_SIZE),
            size: LABEL_SIZE,
            anchor: Anchor::Middle,
            bold: false,
            fill: MUTED,
        };
        svg.text(&t, "Aucun échange");
    }
    for (i, p) in rows.iter().enumerate() {
        draw_row(&mut svg, &layout, i, p);
    }
    // The two axes, over the rows' backgrounds.
    let axis_bottom = HEAD + ROW * rows.len() as f64;
    for x in [layout.left_axis, layout.right_axis] {
        svg.put(format_args!(
            "<line class=\"axis\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\" stroke=\"{RULE}\" \
             stroke-width=\"1\"/>",
            x = N(x),
            y1 = N(HEAD - 4.0),
            y2 = N(axis_bottom + 2.0),
        ));
    }
    svg.footer(fs, height);
    svg.finish()
}

/// Headers: each over its side's bars, the balance's over its column.
fn draw_heads(svg: &mut Svg, l: &Layout) {
    let heads = [
        (
            "Importations (M€)",
            (PAD + l.left_axis) / 2.0,
            Anchor::Middle,
            IMPORT,
        ),
        (
            "Exportations (M€)",
            (l.right_axis + l.right_axis + l.bar_max + GAP + l.export_w) / 2.0,
            Anchor::Middle,
            EXPORT,
        ),
        (HEAD_BALANCE, l.balance_x, Anchor::End, INK),
    ];
    for (label, x, anchor, fill) in heads {
        let t = Text {
            x,
            y: HEAD - 12.0,
            size: HEAD_SIZE,
            anchor,
            bold: true,
            fill,
        };
        svg.text(&t, label);
    }
}

/// Row `i`: its background, the two bars with their values, the balance and the name.
fn draw_row(svg: &mut Svg, l: &Layout, i: usize, p: &PartnerFigures) {
    let top = HEAD + ROW * i as f64;
    let mid = top + ROW / 2.0;
    let code = escape(p.code.code());
    svg.put(format_args!(
        "<g class=\"row\" data-code=\"{code}\"><title>{} : importations {}, exportations {}, \
         solde {} M€</title>",
        escape(&p.label),
        meur(p.imports_eur),
        meur(p.exports_eur),
        l.balances[i],
    ));
    if i % 2 == 1 {
        svg.put(format_args!(
            "<rect class=\"zebra\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f3f3f3\"/>",
            N(PAD / 2.0),
            N(top),
            N(WIDTH - PAD),
            N(ROW)
        ));
    }
    let import_len = p.imports_eur.max(0) as f64 * l.scale;
    let export_len = p.exports_eur.max(0) as f64 * l.scale;
    svg.put(format_args!(
        "<rect class=\"bar import\" data-code=\"{code}\" data-value=\"{iv}\" x=\"{ix}\" y=\"{y}\" \
         width=\"{iw}\" height=\"{h}\" fill=\"{IMPORT}\"/>\
         <rect class=\"bar export\" data-code=\"{code}\" data-value=\"{ev}\" x=\"{ex}\" y=\"{y}\" \
         width=\"{ew}\" height=\"{h}\" fill=\"{EXPORT}\"/>",
        iv = p.imports_eur,
        ev = p.exports_eur,
        ix = N(l.left_axis - import_len),
        iw = N(import_len),
        ex = N(l.right_axis),
        ew = N(export_len),
        y = N(top + (ROW - BAR) / 2.0),
        h = N(BAR),
    ));
    let value = |x, anchor, bold, fill| Text {
        x,
        y: Text::centred(mid, VALUE_SIZE),
        size: VALUE_SIZE,
        anchor,
        bold,
        fill,
    };
    svg.text(
        &value(l.left_axis - import_len - GAP, Anchor::End, false, INK),
        &l.imports[i],
    );
    svg.text(
        &value(l.right_axis + export_len + GAP, Anchor::Start, false, INK),
        &l.exports[i],
    );
    let colour = match p.balance_eur().signum() {
        1 => POSITIVE,
        -1 => NEGATIVE,
        _ => MUTED,
    };
    svg.put(format_args!(
        "<g class=\"balance\" data-code=\"{code}\" data-value=\"{}\">",
        p.balance_eur()
    ));
    svg.text(
        &value(l.balance_x, Anchor::End, true, colour),
        &l.balances[i],
    );
    svg.raw("</g>");
    if let Some(label) = text::fit(&p.label, LABEL_SIZE, false, l.label_w) {
        let t = Text {
            x: l.label_x,
            y: Text::centred(mid, LABEL_SIZE),
            size: LABEL_SIZE,
            anchor: Anchor::Middle,
            bold: false,
            fill: INK,
        };
        svg.text(&t, &label);
    }
    svg.raw("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs() {
        assert_eq!(signed(123_400_000), "+123.4");
        assert_eq!(signed(-45_600_000), "\u{2212}45.6");
        assert_eq!(signed(0), "0.0");
        assert_eq!(signed(-20_000), "\u{2212}0.0");
    }
}
