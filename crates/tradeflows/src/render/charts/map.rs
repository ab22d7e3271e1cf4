//! The map of the départements: outlines, classes of values and their colours, the legend,
//! and the SVG (a choropleth chart of its own, and the explorer's map).
//!
//! The outlines are the project's table `data/map-departements.txt` (IGN — via
//! france-geojson, Licence Ouverte 2.0; see its PROVENANCE file): the 96 metropolitan
//! départements in Lambert-93 (Corsica as `20`), the five overseas ones in insets.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use super::svg::{tint, N, NEGATIVE, POSITIVE};
use crate::codes::Departement;
use crate::format::escape as esc;

/// The attribution every map shows.
pub const ATTRIBUTION: &str = "Fond de carte : IGN — via france-geojson (Licence Ouverte 2.0)";

/// Colour of a département without a value.
pub const MISSING: &str = "#e3e3e3";

/// The outlines table, as committed (see `data/map-departements.PROVENANCE.md`).
const TABLE: &str = include_str!("../../../data/map-departements.txt");

/// The départements of the Paris zoom (too small on the map of France).
const ZOOM: [&str; 4] = ["75", "92", "93", "94"];

/// The outlines, parsed once.
pub(crate) struct Outlines {
    /// Width and height of the map, in its units.
    pub size: (f64, f64),
    /// The overseas insets' frames: x, y, width, height.
    pub insets: Vec<(Departement, [f64; 4])>,
    /// Path data by département, in code order.
    pub paths: Vec<(Departement, &'static str)>,
}

/// The outlines of the 100 départements that have one (Monaco `99` has none).
pub(crate) fn outlines() -> &'static Outlines {
    static OUTLINES: OnceLock<Outlines> = OnceLock::new();
    OUTLINES.get_or_init(|| {
        let mut o = Outlines {
            size: (1000.0, 960.0),
            insets: Vec::new(),
            paths: Vec::new(),
        };
        // The table is the project's own, checked by its tests: a line that does not read is
        // skipped rather than failing a chart.
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.splitn(3, ';').collect();
            let num = |s: &str| s.parse::<f64>().ok();
            match f.as_slice() {
                ["viewbox", w, h] => {
                    if let (Some(w), Some(h)) = (num(w), num(h)) {
                        o.size = (w, h);
                    }
                }
                ["inset", code, rest] => {
                    let v: Vec<f64> = rest.split(';').filter_map(num).collect();
                    if let (Ok(d), [x, y, w, h]) = (code.parse::<Departement>(), v.as_slice()) {
                        o.insets.push((d, [*x, *y, *w, *h]));
                    }
                }
                ["dep", code, d] => {
                    if let Ok(dep) = code.parse::<Departement>() {
                        o.paths.push((dep, d));
                    }
                }
                _ => {}
            }
        }
        o
    })
}

/// The bounding box (min x, min y, max x, max y) of SVG path data made of `m`, `l`, `h`,
/// `v`, `z` commands, relative after the first `m` (the outlines' format).
pub(crate) fn bbox(d: &str) -> Option<[f64; 4]> {
    let mut numbers: Vec<(char, Vec<f64>)> = Vec::new();
    let mut token = String::new();
    let flush = |token: &mut String, numbers: &mut Vec<(char, Vec<f64>)>| {
        if let (Ok(v), Some(last)) = (token.parse::<f64>(), numbers.last_mut()) {
            last.1.push(v);
        }
        token.clear();
    };
    for ch in d.chars() {
        match ch {
            'm' | 'l' | 'h' | 'v' | 'z' | 'M' | 'L' | 'H' | 'V' | 'Z' => {
                flush(&mut token, &mut numbers);
                numbers.push((ch, Vec::new()));
            }
            '-' => {
                flush(&mut token, &mut numbers);
                token.push('-');
            }
            ' ' | ',' => flush(&mut token, &mut numbers),
            c => token.push(c),
        }
    }
    flush(&mut token, &mut numbers);
    let (mut x, mut y, mut start) = (0.0, 0.0, (0.0, 0.0));
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut see = |x: f64, y: f64| {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    };
    for (cmd, args) in &numbers {
        match cmd {
            'm' | 'l' | 'M' | 'L' => {
                for (i, p) in args.chunks(2).enumerate() {
                    let [dx, dy] = [p[0], *p.get(1)?];
                    if cmd.is_ascii_uppercase() {
                        (x, y) = (dx, dy);
                    } else {
                        (x, y) = (x + dx, y + dy);
                    }
                    if i == 0 && matches!(cmd, 'm' | 'M') {
                        start = (x, y);
                    }
                    see(x, y);
                }
            }
            'h' => args.iter().for_each(|dx| {
                x += dx;
                see(x, y);
            }),
            'v' => args.iter().for_each(|dy| {
                y += dy;
                see(x, y);
            }),
            'z' | 'Z' => (x, y) = start,
            _ => {}
        }
    }
    (b[0] <= b[2]).then_some(b)
}

/// How values are written in the legend and the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapUnit {
    /// Euros: `1 400.3 M€`, `1.2 Md€`.
    Euros,
    /// A share, written as a percentage: `12.3%`.
    Share,
    /// A change, written as a signed percentage: `+3.1%`.
    Change,
    /// A plain number.
    Number,
}

impl MapUnit {
    /// A value as a label (a département's value).
    pub fn label(self, v: f64) -> String {
        match self {
            MapUnit::Euros => format!("{} M€", crate::format::millions(v.round() as i64)),
            MapUnit::Share => format!("{:.1}%", v * 100.0),
            MapUnit::Change => format!("{:+.1}%", v * 100.0),
            MapUnit::Number => short_number(v),
        }
    }

    /// A class bound, shorter.
    fn bound(self, v: f64) -> String {
        match self {
            MapUnit::Euros => {
                let m = v / 1e6;
                if m.abs() >= 1000.0 {
                    format!("{:.1} Md€", m / 1000.0)
                } else if m.abs() >= 10.0 {
                    format!("{m:.0} M€")
                } else {
                    format!("{m:.1} M€")
                }
            }
            MapUnit::Share => short_percent(v),
            MapUnit::Change => {
                let p = short_percent(v);
                if v > 0.0 {
                    format!("+{p}")
                } else {
                    p
                }
            }
            MapUnit::Number => short_number(v),
        }
    }
}

fn short_percent(v: f64) -> String {
    let p = v * 100.0;
    if p.abs() >= 10.0 || p == p.round() {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn short_number(v: f64) -> String {
    if v == v.round() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// How values map to colours.
#[derive(Debug, Clone, PartialEq)]
pub enum MapScale {
    /// Light to dark shades of one colour, in quantile classes (up to six).
    Sequential {
        /// The darkest shade (`#rrggbb`).
        color: String,
    },
    /// Red below `center`, green above, in quantile classes on each side (up to three).
    Diverging {
        /// The value between the two sides (0 for a balance or a change, 1 for a ratio).
        center: f64,
    },
}

/// A classification: `breaks` ascending, one more colour than breaks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Classes {
    pub breaks: Vec<f64>,
    pub colors: Vec<String>,
}

impl Classes {
    /// The classes of `values` (the non-finite ones are ignored).
    pub fn new(values: &[f64], scale: &MapScale) -> Classes {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        match scale {
            MapScale::Sequential { color } => {
                let breaks = quantile_breaks(&v, 6);
                let n = breaks.len() + 1;
                let colors = (0..n).map(|i| shade(color, i, n, true)).collect();
                Classes { breaks, colors }
            }
            MapScale::Diverging { center } => {
                let below: Vec<f64> = v.iter().copied().filter(|x| x < center).collect();
                let above: Vec<f64> = v.iter().copied().filter(|x| x >= center).collect();
                let mut breaks = quantile_breaks(&below, 3);
                let n_below = if below.is_empty() {
                    0
                } else {
                    breaks.len() + 1
                };
                let upper = quantile_breaks(&above, 3);
                let n_above = if above.is_empty() { 0 } else { upper.len() + 1 };
                if n_below > 0 && n_above > 0 {
                    breaks.push(*center);
                }
                breaks.extend(upper);
                let mut colors: Vec<String> = (0..n_below)
                    .map(|i| shade(NEGATIVE, i, n_below, false))
                    .collect();
                colors.extend((0..n_above).map(|i| shade(POSITIVE, i, n_above, true)));
                if colors.is_empty() {
                    colors.push(MISSING.to_owned());
                }
                Classes { breaks, colors }
            }
        }
    }

    /// The class of a value.
    pub fn class_of(&self, v: f64) -> usize {
        self.breaks
            .partition_point(|&b| b <= v)
            .min(self.colors.len() - 1)
    }

    /// The colour of a value (`MISSING` for none).
    pub fn color(&self, v: Option<f64>) -> &str {
        match v {
            Some(v) if v.is_finite() => &self.colors[self.class_of(v)],
            _ => MISSING,
        }
    }

    /// The legend's lines: the colour and the range of each class.
    pub fn legend(&self, unit: MapUnit) -> Vec<(String, String)> {
        let n = self.colors.len();
        (0..n)
            .map(|i| {
                let text = match (i.checked_sub(1).map(|j| self.breaks[j]), self.breaks.get(i)) {
                    (None, None) => "Toutes les valeurs".to_owned(),
                    (None, Some(&hi)) => format!("moins de {}", unit.bound(hi)),
                    (Some(lo), None) => format!("{} et plus", unit.bound(lo)),
                    (Some(lo), Some(&hi)) => {
                        format!("de {} à {}", unit.bound(lo), unit.bound(hi))
                    }
                };
                (self.colors[i].clone(), text)
            })
            .collect()
    }
}

/// The `i`-th of `n` shades of `color`: light to dark (`rising`) or dark to light.
fn shade(color: &str, i: usize, n: usize, rising: bool) -> String {
    let step = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        1.0
    };
    let darkness = if rising { step } else { 1.0 - step };
    tint(color, 0.82 * (1.0 - darkness))
}

/// Up to `k − 1` breaks cutting sorted `v` into `k` classes of about as many values,
/// rounded to two significant digits; strictly ascending, each above the smallest value.
fn quantile_breaks(v: &[f64], k: usize) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    let (Some(&lo), Some(&hi)) = (v.first(), v.last()) else {
        return out;
    };
    for i in 1..k {
        let q = v[(i * v.len() / k).min(v.len() - 1)];
        let b = round2(q);
        if b > lo && b <= hi && out.last().is_none_or(|&last| b > last) {
            out.push(b);
        }
    }
    out
}

/// `x` rounded to two significant digits.
fn round2(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let m = 10f64.powf(x.abs().log10().floor() - 1.0);
    (x / m).round() * m
}

/// What a map shows: its title, its unit and scale, and its source line.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// The title above the map.
    pub title: String,
    /// How values are written.
    pub unit: MapUnit,
    /// How values map to colours.
    pub scale: MapScale,
    /// The source line under the map (the attribution of the outlines is added).
    pub source: String,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            title: String::new(),
            unit: MapUnit::Number,
            scale: MapScale::Sequential {
                color: super::svg::EXPORT.to_owned(),
            },
            source: String::new(),
        }
    }
}

/// The map of one layer: each département's fill and label, and the legend.
pub(crate) struct Layer {
    pub fills: BTreeMap<Departement, String>,
    pub labels: BTreeMap<Departement, String>,
    pub legend: Vec<(String, String)>,
    pub any_missing: bool,
}

impl Layer {
    /// The layer of `values` (départements without an outline or a value are left out).
    pub fn new(values: &[(Departement, Option<f64>)], unit: MapUnit, scale: &MapScale) -> Layer {
        let drawn = |d: &Departement| outlines().paths.iter().any(|p| p.0 == *d);
        let numbers: Vec<f64> = values
            .iter()
            .filter(|x| drawn(&x.0))
            .filter_map(|x| x.1)
            .collect();
        let classes = Classes::new(&numbers, scale);
        let mut fills = BTreeMap::new();
        let mut labels = BTreeMap::new();
        for &(d, v) in values.iter().filter(|x| drawn(&x.0)) {
            fills.insert(d, classes.color(v).to_owned());
            if let Some(v) = v.filter(|v| v.is_finite()) {
                labels.insert(d, unit.label(v));
            }
        }
        let any_missing = outlines()
            .paths
            .iter()
            .any(|(d, _)| !labels.contains_key(d));
        Layer {
            fills,
            labels,
            legend: if numbers.is_empty() {
                Vec::new()
            } else {
                classes.legend(unit)
            },
            any_missing,
        }
    }

    fn fill(&self, d: Departement) -> &str {
        self.fills.get(&d).map_or(MISSING, String::as_str)
    }
}

/// Font sizes of the map, in its units (1000 units wide).
const TEXT: f64 = 17.0;

/// The outlines filled by a layer: `<path data-code>` for the explorer (wrapped in links to
/// the pages when `links`), each with its name and value in a `<title>` otherwise.
pub(crate) fn departements(layer: &Layer, links: bool) -> String {
    let mut out = String::with_capacity(80 * 1024);
    out.push_str("<g class=\"departements\" stroke=\"#ffffff\" stroke-width=\"0.8\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">");
    for &(d, path) in &outlines().paths {
        outline(&mut out, layer, d, path, links, "data-code", "");
    }
    out.push_str("</g>");
    out.push_str(&insets());
    out.push_str(&zoom(layer, links));
    out
}

/// One département's outline, filled by the layer, marked with `attr` (`data-code`, or
/// `data-zoom` for the enlarged copy): a link to its page (`link_attrs` added to the `<a>`)
/// when `links`, else with its name and value in a `<title>`.
fn outline(
    out: &mut String,
    layer: &Layer,
    d: Departement,
    path: &str,
    links: bool,
    attr: &str,
    link_attrs: &str,
) {
    let name = esc(&format!("{} ({})", d.name(), d.code()));
    let (code, fill) = (d.code(), layer.fill(d));
    let _ = if links {
        write!(
            out,
            "<a href=\"dep-{code}.html\" aria-label=\"{name}\"{link_attrs}><path {attr}=\"{code}\" fill=\"{fill}\" d=\"{path}\"/></a>"
        )
    } else {
        let value = layer
            .labels
            .get(&d)
            .map_or("non disponible", String::as_str);
        write!(
            out,
            "<path {attr}=\"{code}\" fill=\"{fill}\" d=\"{path}\"><title>{name} : {}</title></path>",
            esc(value)
        )
    };
}

/// The overseas insets' frames and names.
fn insets() -> String {
    let mut out =
        String::from("<g class=\"insets\" fill=\"none\" stroke=\"#9a9a9a\" stroke-width=\"0.8\">");
    for (d, [x, y, w, h]) in &outlines().insets {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#595959\" stroke=\"none\">{}</text>",
            N(*x),
            N(*y),
            N(*w),
            N(*h),
            N(x + w + 5.0),
            N(y + h - 4.0),
            TEXT - 3.0,
            esc(d.name())
        );
    }
    out.push_str("</g>");
    out
}

/// Paris and the petite couronne, enlarged in a frame at the top right, off the coast of
/// nothing but Germany (copies marked `data-zoom`, so that the outlines keep one
/// `data-code` each).
fn zoom(layer: &Layer, links: bool) -> String {
    let o = outlines();
    let parts: Vec<(Departement, &str, [f64; 4])> = o
        .paths
        .iter()
        .filter(|(d, _)| ZOOM.contains(&d.code()))
        .filter_map(|&(d, p)| Some((d, p, bbox(p)?)))
        .collect();
    let Some(b) = parts.iter().map(|x| x.2).reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    }) else {
        return String::new();
    };
    let (fx, fy, fw, fh) = (805.0, 12.0, 185.0, 150.0);
    let scale = ((fw - 16.0) / (b[2] - b[0])).min((fh - 34.0) / (b[3] - b[1]));
    let (tx, ty) = (
        fx + (fw - scale * (b[2] - b[0])) / 2.0 - scale * b[0],
        fy + 26.0 - scale * b[1],
    );
    let mut out = format!(
        "<g class=\"zoom\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"#9a9a9a\" stroke-width=\"0.8\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#595959\">Paris et petite couronne</text><g transform=\"translate({} {}) scale({})\" stroke=\"#ffffff\" stroke-width=\"{}\" fill-rule=\"evenodd\">",
        N(fx),
        N(fy),
        N(fw),
        N(fh),
        N(fx + 6.0),
        N(fy + 18.0),
        TEXT - 3.0,
        N(tx),
        N(ty),
        N(scale),
        N(0.8 / scale),
    );
    for (d, path, _) in parts {
        // Out of the tab order: the same département is reached in the main map.
        outline(
            &mut out,
            layer,
            d,
            path,
            links,
            "data-zoom",
            " tabindex=\"-1\"",
        );
    }
    out.push_str("</g></g>");
    out
}

/// Where the legend goes: the sea south of the Pyrenees, between the insets and Corsica.
pub(crate) const LEGEND_AT: (f64, f64) = (262.0, 852.0);

/// The legend of a layer at (x, y): a title, then a swatch and a range per class (and « non
/// disponible » when some département has no value), in two columns beyond four lines.
pub(crate) fn legend(layer: &Layer, title: &str, x: f64, y: f64) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
        N(x),
        N(y),
        TEXT,
        esc(title)
    );
    let mut lines: Vec<(&str, &str)> = layer
        .legend
        .iter()
        .map(|(c, t)| (c.as_str(), t.as_str()))
        .collect();
    if layer.any_missing {
        lines.push((MISSING, "non disponible"));
    }
    let rows = if lines.len() > 4 {
        lines.len().div_ceil(2)
    } else {
        lines.len()
    };
    for (i, (color, text)) in lines.into_iter().enumerate() {
        let left = x + 215.0 * (i / rows.max(1)) as f64;
        let top = y + 10.0 + 24.0 * (i % rows.max(1)) as f64;
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"26\" height=\"18\" fill=\"{color}\" stroke=\"#8c8c8c\" stroke-width=\"0.6\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#1a1a1a\">{}</text>",
            N(left),
            N(top),
            N(left + 34.0),
            N(top + 14.5),
            TEXT - 1.0,
            esc(text)
        );
    }
    out
}

/// The map of the départements coloured by `values` (Monaco and départements without a value
/// are grey): a complete SVG document with its title, legend, source line and the
/// attribution of the outlines; each département's name and value in a `<title>`.
///
/// ```
/// use tradeflows::charts::{map, MapOptions, MapScale, MapUnit};
/// use tradeflows::Departement;
/// let values: Vec<(Departement, f64)> = Departement::all()
///     .map(|d| (d, d.code().bytes().map(f64::from).sum()))
///     .collect();
/// let options = MapOptions { title: "Un indicateur".into(), unit: MapUnit::Number, ..Default::default() };
/// let svg = map(&values, &options);
/// assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
/// assert_eq!(svg.matches("<path data-code=").count(), 100);
/// assert!(svg.contains("IGN — via france-geojson"));
/// # let _ = MapScale::Diverging { center: 0.0 };
/// ```
pub fn map(values: &[(Departement, f64)], options: &MapOptions) -> String {
    let values: Vec<(Departement, Option<f64>)> =
        values.iter().map(|&(d, v)| (d, Some(v))).collect();
    let layer = Layer::new(&values, options.unit, &options.scale);
    let (w, h) = outlines().size;
    let top = 50.0;
    let height = top + h + 40.0;
    let mut out = String::with_capacity(96 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" width=\"800\" height=\"{}\" role=\"img\" font-family=\"{font}\"><title>{title}</title><desc>Carte des départements colorés selon la valeur ; les départements sans valeur sont en gris.</desc><rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{height}\" fill=\"#ffffff\"/>",
        N(800.0 * height / w),
        w = N(w),
        height = N(height),
        font = esc(super::svg::FONT),
        title = esc(&options.title),
    );
    let _ = write!(
        out,
        "<text x=\"12\" y=\"32\" font-size=\"26\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text><g transform=\"translate(0 {top})\">",
        esc(&options.title)
    );
    out.push_str(&departements(&layer, false));
    out.push_str(&legend(&layer, "Légende", LEGEND_AT.0, LEGEND_AT.1));
    out.push_str("</g>");
    let source = if options.source.is_empty() {
        ATTRIBUTION.to_owned()
    } else {
        format!("{} — {ATTRIBUTION}", options.source)
    };
    let _ = write!(
        out,
        "<text x=\"12\" y=\"{}\" font-size=\"14\" fill=\"#595959\">{}</text></svg>",
        N(height - 14.0),
        esc(&source)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_100_outlines_and_5_insets_inside_the_map() {
        let o = outlines();
        assert_eq!(o.paths.len(), 100);
        assert_eq!(o.insets.len(), 5);
        assert!(o.paths.iter().all(|(d, _)| d.code() != "99"));
        for (d, p) in &o.paths {
            let b = bbox(p).unwrap_or_else(|| panic!("{d}: no box"));
            assert!(
                b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= o.size.0 && b[3] <= o.size.1,
                "{d} {b:?}"
            );
        }
        // Corsica in the south-east, Guadeloupe in its inset.
        let corse = bbox(o.paths.iter().find(|x| x.0.code() == "20").unwrap().1).unwrap();
        assert!(corse[0] > 850.0 && corse[1] > 650.0, "{corse:?}");
        let inset = o.insets[0].1;
        let gp = bbox(o.paths.iter().find(|x| x.0.code() == "9A").unwrap().1).unwrap();
        assert!(
            gp[0] >= inset[0] && gp[2] <= inset[0] + inset[2],
            "{gp:?} {inset:?}"
        );
    }

    #[test]
    fn bbox_follows_relative_commands() {
        assert_eq!(bbox("m10 20l5-5h-10v20z"), Some([5.0, 15.0, 15.0, 35.0]));
        assert_eq!(bbox("m1 1zm2 2l1 1"), Some([1.0, 1.0, 4.0, 4.0]));
        assert_eq!(bbox(""), None);
    }

    #[test]
    fn quantile_classes_and_their_legend() {
        let v: Vec<f64> = (1..=100).map(|i| f64::from(i) * 1e6).collect();
        let c = Classes::new(
            &v,
            &MapScale::Sequential {
                color: "#7030a0".into(),
            },
        );
        assert_eq!(c.colors.len(), 6);
        assert_eq!(c.breaks, vec![17e6, 34e6, 51e6, 67e6, 84e6]);
        assert_eq!(c.class_of(1e6), 0);
        assert_eq!(c.class_of(16.9e6), 0);
        assert_eq!(c.class_of(17e6), 1);
        assert_eq!(c.class_of(100e6), 5);
        let legend = c.legend(MapUnit::Euros);
        assert_eq!(legend[0].1, "moins de 17 M€");
        assert_eq!(legend[1].1, "de 17 M€ à 34 M€");
        assert_eq!(legend[5].1, "84 M€ et plus");
        // Darker for larger values.
        assert_eq!(c.colors[5], "#7030a0");
        // One value: one class, "every value".
        let one = Classes::new(
            &[5.0, 5.0],
            &MapScale::Sequential {
                color: "#7030a0".into(),
            },
        );
        assert_eq!((one.breaks.len(), one.colors.len()), (0, 1));
        assert_eq!(one.legend(MapUnit::Number)[0].1, "Toutes les valeurs");
    }

    #[test]
    fn diverging_classes_split_at_the_centre() {
        let v = [-30.0, -20.0, -10.0, -1.0, 0.0, 5.0, 10.0, 50.0, 100.0];
        let c = Classes::new(&v, &MapScale::Diverging { center: 0.0 });
        assert!(c.breaks.contains(&0.0));
        let neg = c.class_of(-5.0);
        let pos = c.class_of(5.0);
        assert!(neg < pos);
        assert!(c.colors[..=neg].iter().all(|x| x != MISSING));
        // Only positive values: green only.
        let p = Classes::new(&[1.0, 2.0, 3.0], &MapScale::Diverging { center: 0.0 });
        assert!(p.colors.iter().all(|c| c.starts_with('#')));
        assert!(!p.breaks.contains(&0.0));
        assert_eq!(c.color(None), MISSING);
        assert_eq!(c.color(Some(f64::NAN)), MISSING);
    }

    #[test]
    fn units_write_values_as_the_factsheet_does() {
        assert_eq!(MapUnit::Euros.label(1_400_300_000.0), "1 400.3 M€");
        assert_eq!(MapUnit::Share.label(0.1234), "12.3%");
        assert_eq!(MapUnit::Change.label(0.031), "+3.1%");
        assert_eq!(MapUnit::Change.label(-0.02), "-2.0%");
        assert_eq!(MapUnit::Euros.bound(2.34e9), "2.3 Md€");
        assert_eq!(MapUnit::Euros.bound(4.5e6), "4.5 M€");
        assert_eq!(MapUnit::Change.bound(0.05), "+5%");
        assert_eq!(MapUnit::Number.label(1.5), "1.5");
    }
}
