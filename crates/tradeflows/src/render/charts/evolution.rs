//! Évolution: a territory's exports and imports year by year (bars, with the balance under
//! each year), then quarter by quarter (lines). Partial years are drawn lighter, outlined
//! with dashes and labelled with their quarters.

use super::svg::{
    meur, territory_name, tint, Anchor, Svg, Text, EXPORT, FOOTER_HEIGHT, IMPORT, INK, MUTED, N,
    NEGATIVE, PAD, POSITIVE, RULE, WIDTH,
};
use super::text;
use crate::compute::{QuarterFigures, YearFigures};
use crate::format::{escape, millions};
use crate::model::factsheet::Factsheet;

/// Top of the bars' panel (below the legend).
const BARS_TOP: f64 = 58.0;
/// Height of the bars' panel.
const BARS_HEIGHT: f64 = 180.0;
/// Room under the bars: year, quarters of a partial year, balance.
const UNDER_BARS: f64 = 58.0;
/// Height of the quarters' panel.
const LINES_HEIGHT: f64 = 150.0;
/// Room for the quarters' panel title.
const LINES_TITLE: f64 = 30.0;
/// Room under the quarters' panel: quarter and year labels.
const UNDER_LINES: f64 = 36.0;
/// Width of the value axis' labels.
const AXIS: f64 = 58.0;
/// Labels.
const SIZE: f64 = 11.0;

/// A value axis: euros at its top, the step between ticks, the height it spans.
#[derive(Clone, Copy)]
struct Scale {
    top_eur: f64,
    step_eur: f64,
    height: f64,
}

impl Scale {
    /// An axis from 0 to at least `max` euros with 3 to 6 round ticks (1, 2, 2.5 or 5 × 10ⁿ).
    fn new(max: i64, height: f64) -> Scale {
        let max = (max.max(1)) as f64;
        let raw = max / 4.0;
        let mut unit = 1.0;
        while unit * 10.0 <= raw {
            unit *= 10.0;
        }
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * unit)
            .find(|s| s * 5.0 >= max)
            .unwrap_or(10.0 * unit);
        Scale {
            top_eur: (max / step).ceil() * step,
            step_eur: step,
            height,
        }
    }

    /// Pixels above the baseline for `eur`.
    fn px(&self, eur: i64) -> f64 {
        eur.max(0) as f64 / self.top_eur * self.height
    }

    /// The ticks, 0 first.
    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let n = (self.top_eur / self.step_eur).round() as usize;
        (0..=n).map(move |i| i as f64 * self.step_eur)
    }

    /// A tick's label in millions of euros: no decimal when the steps are whole millions.
    fn label(&self, eur: f64) -> String {
        let m = millions(eur.round() as i64);
        if self.step_eur >= 1e6 && (self.step_eur / 1e6).fract() == 0.0 {
            m.trim_end_matches(".0").to_owned()
        } else {
            m
        }
    }
}

/// Gridlines and labels of a value axis whose baseline is at `base`.
fn draw_axis(svg: &mut Svg, scale: &Scale, base: f64) {
    for tick in scale.ticks() {
        let y = base - tick / scale.top_eur * scale.height;
        svg.put(format_args!(
            "<line class=\"grid\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            N(PAD + AXIS),
            N(WIDTH - PAD),
            if tick == 0.0 { RULE } else { "#e3e3e3" },
            if tick == 0.0 { 1.0 } else { 0.8 },
            y = N(y),
        ));
        let t = Text {
            x: PAD + AXIS - 6.0,
            y: Text::centred(y, 10.0),
            size: 10.0,
            anchor: Anchor::End,
            bold: false,
            fill: MUTED,
        };
        svg.text(&t, &scale.label(tick));
    }
}

/// "+123.4" / "−45.6" M€ (a true minus sign).
fn signed(eur: i64) -> String {
    let m = millions(eur.abs());
    match eur.signum() {
        1 => format!("+{m}"),
        -1 => format!("\u{2212}{m}"),
        _ => m,
    }
}

/// The legend: exports, imports, and what a partial year looks like.
fn draw_legend(svg: &mut Svg, partial: bool) {
    let mut x = PAD + AXIS;
    let mut items: Vec<(&str, String, &str)> = vec![
        ("Exportations", EXPORT.to_owned(), ""),
        ("Importations", IMPORT.to_owned(), ""),
    ];
    if partial {
        items.push((
            "Année partielle (trimestres indiqués)",
            tint(MUTED, 0.6),
            " stroke=\"#595959\" stroke-dasharray=\"3 2\"",
        ));
    }
    for (label, fill, stroke) in items {
        x = svg.legend_entry(x, label, &fill, stroke, 22.0);
    }
}

/// One year: its two bars, its name (and quarters when partial) and its balance.
fn draw_year(svg: &mut Svg, y: &YearFigures, centre: f64, slot: f64, scale: &Scale) {
    let base = BARS_TOP + BARS_HEIGHT;
    let bar = (slot * 0.3).clamp(4.0, 30.0);
    let partial = !y.quarters.is_full();
    for (class, colour, value, x) in [
        ("import", IMPORT, y.imports_eur, centre - bar - 1.0),
        ("export", EXPORT, y.exports_eur, centre + 1.0),
    ] {
        let h = scale.px(value);
        let (fill, stroke) = if partial {
            (
                tint(colour, 0.55),
                format!(" stroke=\"{colour}\" stroke-dasharray=\"3 2\""),
            )
        } else {
            (colour.to_owned(), String::new())
        };
        svg.put(format_args!(
            "<rect class=\"bar {class}{}\" data-year=\"{}\" data-value=\"{value}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"{fill}\"{stroke}><title>{} {} : {}</title></rect>",
            if partial { " partial" } else { "" },
            y.year,
            N(x),
            N(base - h),
            N(bar),
            N(h),
            if class == "export" { "Exportations" } else { "Importations" },
            escape(&y.quarters.period(y.year)),
            meur(value),
        ));
    }
    let label = |dy: f64, size: f64, bold: bool, fill: &'static str| Text {
        x: centre,
        y: base + dy,
        size,
        anchor: Anchor::Middle,
        bold,
        fill,
    };
    svg.text(&label(15.0, SIZE, true, INK), &y.year.to_string());
    if partial {
        svg.text(
            &label(28.0, 10.0, false, MUTED),
            &format!("({})", y.quarters.range()),
        );
    }
    let balance = y.balance_eur();
    let colour = match balance.signum() {
        1 => POSITIVE,
        -1 => NEGATIVE,
        _ => MUTED,
    };
    let text = signed(balance);
    let shown = if text::width(&format!("Solde {text}"), 10.0, true) <= slot - 4.0 {
        format!("Solde {text}")
    } else {
        text
    };
    svg.put(format_args!(
        "<g class=\"balance\" data-year=\"{}\" data-value=\"{balance}\">",
        y.year
    ));
    svg.text(
        &label(if partial { 43.0 } else { 30.0 }, 10.0, true, colour),
        &shown,
    );
    svg.raw("</g>");
}

/// The quarters' panel: a line per flow, years separated, partial years simply shorter.
fn draw_quarters(svg: &mut Svg, quarters: &[QuarterFigures], top: f64) {
    let base = top + LINES_HEIGHT;
    let max = quarters
        .iter()
        .flat_map(|q| [q.exports_eur, q.imports_eur])
        .max()
        .unwrap_or(0);
    let scale = Scale::new(max, LINES_HEIGHT);
    draw_axis(svg, &scale, base);
    let (left, right) = (PAD + AXIS + 12.0, WIDTH - PAD - 12.0);
    let step = (right - left) / quarters.len().saturating_sub(1).max(1) as f64;
    let x = |i: usize| {
        if quarters.len() == 1 {
            (left + right) / 2.0
        } else {
            left + step * i as f64
        }
    };
    draw_quarter_labels(svg, quarters, base, step, &x);
    for (class, colour, value) in [
        (
            "import",
            IMPORT,
            (|q: &QuarterFigures| q.imports_eur) as fn(&QuarterFigures) -> i64,
        ),
        ("export", EXPORT, |q: &QuarterFigures| q.exports_eur),
    ] {
        let points: Vec<String> = quarters
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{},{}", N(x(i)), N(base - scale.px(value(q)))))
            .collect();
        svg.put(format_args!(
            "<polyline class=\"series {class}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            points.join(" ")
        ));
        for (i, q) in quarters.iter().enumerate() {
            svg.put(format_args!(
                "<circle class=\"point {class}\" data-year=\"{}\" data-quarter=\"{}\" data-value=\"{}\" \
                 cx=\"{}\" cy=\"{}\" r=\"2.8\" fill=\"{colour}\"><title>{} T{} {} : {}</title></circle>",
                q.year,
                q.quarter,
                value(q),
                N(x(i)),
                N(base - scale.px(value(q))),
                if class == "export" { "Exportations" } else { "Importations" },
                q.quarter,
                q.year,
                meur(value(q)),
            ));
        }
    }
}

/// Under the quarters: `T1`…`T4` when there is room, each year's name centred under its
/// quarters, and a dashed line between years.
fn draw_quarter_labels(
    svg: &mut Svg,
    quarters: &[QuarterFigures],
    base: f64,
    step: f64,
    x: &dyn Fn(usize) -> f64,
) {
    let mut start = 0;
    while start < quarters.len() {
        let year = quarters[start].year;
        let end = start
            + quarters[start..]
                .iter()
                .take_while(|q| q.year == year)
                .count();
        if start > 0 {
            let sep = (x(start - 1) + x(start)) / 2.0;
            svg.put(format_args!(
                "<line class=\"year-separator\" x1=\"{s}\" y1=\"{}\" x2=\"{s}\" y2=\"{}\" stroke=\"{RULE}\" stroke-dasharray=\"2 3\"/>",
                N(base - LINES_HEIGHT),
                N(base + 30.0),
                s = N(sep),
            ));
        }
        if step >= 20.0 {
            for (i, q) in quarters.iter().enumerate().take(end).skip(start) {
                let t = Text {
                    x: x(i),
                    y: base + 14.0,
                    size: 9.5,
                    anchor: Anchor::Middle,
                    bold: false,
                    fill: MUTED,
                };
                svg.text(&t, &format!("T{}", q.quarter));
            }
        }
        let t = Text {
            x: (x(start) + x(end - 1)) / 2.0,
            y: base + 28.0,
            size: SIZE,
            anchor: Anchor::Middle,
            bold: true,
            fill: INK,
        };
        svg.text(&t, &year.to_string());
        start = end;
    }
}

pub(crate) fn render(fs: &Factsheet) -> String {
    let lines_top = BARS_TOP + BARS_HEIGHT + UNDER_BARS + LINES_TITLE;
    let height = lines_top + LINES_HEIGHT + UNDER_LINES + FOOTER_HEIGHT;
    let title = format!(
        "Évolution des exportations et des importations, {} ({}–{})",
        territory_name(fs),
        fs.history.first().map_or(fs.year, |y| y.year),
        fs.history.last().map_or(fs.year, |y| y.year),
    );
    let desc = "En haut, les exportations (violet) et les importations (bleu) de chaque année, \
                en millions d'euros, avec le solde sous chaque année ; les années partielles \
                sont plus claires et indiquent leurs trimestres. En bas, les mêmes flux \
                trimestre par trimestre.";
    let mut svg = Svg::new(height, &title, desc);
    draw_legend(&mut svg, fs.history.iter().any(|y| !y.quarters.is_full()));
    if fs.history.is_empty() {
        let t = Text {
            x: WIDTH / 2.0,
            y: Text::centred(BARS_TOP + BARS_HEIGHT / 2.0, 14.0),
            size: 14.0,
            anchor: Anchor::Middle,
            bold: false,
            fill: MUTED,
        };
        svg.text(&t, "Aucun échange");
    } else {
        let max = fs
            .history
            .iter()
            .flat_map(|y| [y.exports_eur, y.imports_eur])
            .max()
            .unwrap_or(0);
        let scale = Scale::new(max, BARS_HEIGHT);
        draw_axis(&mut svg, &scale, BARS_TOP + BARS_HEIGHT);
        let slot = (WIDTH - 2.0 * PAD - AXIS) / fs.history.len() as f64;
        for (i, y) in fs.history.iter().enumerate() {
            draw_year(
                &mut svg,
                y,
                PAD + AXIS + slot * (i as f64 + 0.5),
                slot,
                &scale,
            );
        }
        let t = Text {
            x: PAD,
            y: lines_top - 12.0,
            size: 12.0,
            anchor: Anchor::Start,
            bold: true,
            fill: INK,
        };
        svg.text(&t, "Par trimestre (M€)");
        draw_quarters(&mut svg, &fs.quarterly, lines_top);
    }
    let t = Text {
        x: PAD,
        y: BARS_TOP - 10.0,
        size: 12.0,
        anchor: Anchor::Start,
        bold: true,
        fill: INK,
    };
    svg.text(&t, "Par année (M€)");
    svg.footer(fs, height);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_scales() {
        let s = Scale::new(1_241_609_601, 100.0);
        assert_eq!((s.step_eur, s.top_eur), (250e6, 1_250e6));
        assert_eq!(s.ticks().count(), 6);
        assert_eq!(s.label(500e6), "500");
        let s = Scale::new(3_500, 100.0);
        assert_eq!((s.step_eur, s.top_eur), (1_000.0, 4_000.0));
        assert_eq!(s.label(1_000.0), "0.0");
        let s = Scale::new(0, 100.0);
        assert!(s.top_eur > 0.0 && s.px(0) == 0.0);
    }
}
