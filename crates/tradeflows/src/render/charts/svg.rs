//! The SVG writer shared by the charts: document header, text and number formats, colours.
//!
//! Only presentation attributes, never a `<style>` element (an inline SVG's stylesheet
//! would apply to the whole HTML page) and never an `id` (several charts share a page).

use std::fmt::{self, Write};

use super::text;
use crate::format::{escape as esc, millions};
use crate::model::{Factsheet, Territory};

/// The font list of every chart (Marianne is the French State's typeface).
pub(crate) const FONT: &str = "Marianne, Arial, 'Liberation Sans', Helvetica, sans-serif";
/// Width of every chart, in px: an A4 page's text width at about 96 dpi.
pub(crate) const WIDTH: f64 = 800.0;
/// Outer margin.
pub(crate) const PAD: f64 = 12.0;

/// Imports (blue), in the balance, the treemap and the import sankey.
pub(crate) const IMPORT: &str = "#2f5597";
/// Exports (violet).
pub(crate) const EXPORT: &str = "#7030a0";
/// A negative balance.
pub(crate) const NEGATIVE: &str = "#c00000";
/// A positive balance.
pub(crate) const POSITIVE: &str = "#2e7d32";
/// The highlighted flows of the sankeys.
pub(crate) const HIGHLIGHT: &str = "#d62728";
/// Body text.
pub(crate) const INK: &str = "#1a1a1a";
/// Secondary text.
pub(crate) const MUTED: &str = "#595959";
/// The `autres` remainder.
pub(crate) const OTHERS: &str = "#a6a6a6";
/// Axes and leader lines.
pub(crate) const RULE: &str = "#8c8c8c";

/// Size of the source line at the bottom of each chart.
const FOOTER_SIZE: f64 = 10.0;
/// Height taken by the source line.
pub(crate) const FOOTER_HEIGHT: f64 = 22.0;

/// A coordinate or length written with two decimals (never `-0.00`, never `NaN`).
#[derive(Clone, Copy)]
pub(crate) struct N(pub f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = if self.0.is_finite() { self.0 } else { 0.0 };
        // Adding 0.0 turns -0.0 into 0.0; rounding first avoids "-0.00" for tiny negatives.
        let r = (x * 100.0).round() / 100.0 + 0.0;
        write!(f, "{r:.2}")
    }
}

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text: position of its anchor on the baseline, size, weight, colour.
pub(crate) struct Text<'a> {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub fill: &'a str,
}

impl Text<'_> {
    /// The baseline that centres a line of `size` px on `y`.
    pub(crate) fn centred(y: f64, size: f64) -> f64 {
        y + 0.35 * size
    }
}

/// A chart being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Opens the document: root element, accessible title and description.
    pub(crate) fn new(height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" font-family=\"{font}\">\
             <title>{title}</title><desc>{desc}</desc>\
             <rect class=\"background\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
            w = N(WIDTH),
            h = N(height),
            font = esc(FONT),
            title = esc(title),
            desc = esc(desc),
        );
        Svg { out }
    }

    /// Appends raw markup.
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Appends formatted markup.
    pub(crate) fn put(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.out.write_fmt(args);
    }

    fn text_open(&mut self, t: &Text<'_>) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"",
            N(t.x),
            N(t.y),
            t.size,
            t.fill
        );
        match t.anchor {
            Anchor::Start => {}
            Anchor::Middle => self.out.push_str(" text-anchor=\"middle\""),
            Anchor::End => self.out.push_str(" text-anchor=\"end\""),
        }
        if t.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        self.out.push('>');
    }

    /// A line of text.
    pub(crate) fn text(&mut self, t: &Text<'_>, content: &str) {
        self.text_open(t);
        self.out.push_str(&esc(content));
        self.out.push_str("</text>");
    }

    /// A line of text made of a regular part and a bold part (a label and its value).
    pub(crate) fn text_value(&mut self, t: &Text<'_>, label: &str, value: &str) {
        self.text_open(t);
        self.out.push_str(&esc(label));
        let _ = write!(
            self.out,
            "<tspan font-weight=\"bold\">{}</tspan>",
            esc(value)
        );
        self.out.push_str("</text>");
    }

    /// One entry of a legend along the top of a chart (at y 14–26): a 12 px swatch of `fill`
    /// (`attrs` adds to its `<rect>`, e.g. a dashed stroke) and its label at 11 px; returns
    /// where the next entry starts, `gap` after the label.
    pub(crate) fn legend_entry(
        &mut self,
        x: f64,
        label: &str,
        fill: &str,
        attrs: &str,
        gap: f64,
    ) -> f64 {
        let _ = write!(
            self.out,
            "<rect class=\"legend\" x=\"{}\" y=\"14\" width=\"12\" height=\"12\" fill=\"{fill}\"{attrs}/>",
            N(x)
        );
        let t = Text {
            x: x + 17.0,
            y: 24.0,
            size: 11.0,
            anchor: Anchor::Start,
            bold: false,
            fill: INK,
        };
        self.text(&t, label);
        x + 17.0 + text::width(label, 11.0, false) + gap
    }

    /// The source line at the bottom of a chart of `height` px.
    pub(crate) fn footer(&mut self, fs: &Factsheet, height: f64) {
        let line = source_line(fs);
        let max = WIDTH - 2.0 * PAD;
        if let Some(line) = text::fit(&line, FOOTER_SIZE, false, max) {
            let t = Text {
                x: PAD,
                y: height - 8.0,
                size: FOOTER_SIZE,
                anchor: Anchor::Start,
                bold: false,
                fill: MUTED,
            };
            self.text(&t, &line);
        }
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// "Source : …, 2024", with the quarters when the year is incomplete.
fn source_line(fs: &Factsheet) -> String {
    let period = fs.period();
    if fs.source.demo {
        format!("{} — {period}", fs.source.description)
    } else {
        format!("Source : {}, {period}", fs.source.description)
    }
}

/// The territory as the titles name it: "Côtes-d'Armor", "Bretagne", "France entière".
pub(crate) fn territory_name(fs: &Factsheet) -> &'static str {
    match fs.territory {
        Territory::France => "France entière",
        t => t.name(),
    }
}

/// A value in millions of euros with its unit: "1 400.3 M€".
pub(crate) fn meur(eur: i64) -> String {
    format!("{} M€", millions(eur))
}

/// `color` mixed with white: `t` = 0 gives `color`, 1 gives white.
pub(crate) fn tint(color: &str, t: f64) -> String {
    let [r, g, b] = rgb(color);
    let mix = |c: u8| {
        let v = f64::from(c) + (255.0 - f64::from(c)) * t.clamp(0.0, 1.0);
        v.round().clamp(0.0, 255.0) as u8
    };
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// Dark ink or white, whichever reads better on `background`.
pub(crate) fn ink_on(background: &str) -> &'static str {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(background);
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    // WCAG contrast against white (1.05 / (l + 0.05)) vs against #1a1a1a (≈ l + 0.05 / 0.06).
    let with_white = 1.05 / (l + 0.05);
    let with_ink = (l + 0.05) / 0.0603;
    if with_white >= with_ink {
        "#ffffff"
    } else {
        INK
    }
}

fn rgb(color: &str) -> [u8; 3] {
    let hex = color.trim_start_matches('#');
    let part = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    [part(0), part(2), part(4)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(N(-0.0).to_string(), "0.00");
        assert_eq!(N(-0.001).to_string(), "0.00");
        assert_eq!(N(12.345_67).to_string(), "12.35");
        assert_eq!(N(f64::NAN).to_string(), "0.00");
    }

    #[test]
    fn colours() {
        assert_eq!(tint("#2f5597", 0.0), "#2f5597");
        assert_eq!(tint("#2f5597", 1.0), "#ffffff");
        assert_eq!(ink_on(IMPORT), "#ffffff");
        assert_eq!(ink_on("#ffffff"), INK);
        assert_eq!(ink_on(OTHERS), INK);
    }
}
