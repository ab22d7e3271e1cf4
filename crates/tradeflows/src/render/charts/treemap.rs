//! Principales activités: imports (blue) and exports (violet) as two squarified treemaps side
//! by side, of one height, their widths proportional to the two totals, so that every cell's
//! area is proportional to its value across the whole chart.
//!
//! The layout is written here rather than taken from a crate: the squarified algorithm is a
//! few dozen lines, and the crates that have it (`treemap`, `streemap`) are unmaintained or
//! give no control over the order of the cells (`autres` last), the exact fill of the block
//! (no rounding of areas) or the determinism of the output.

use super::svg::{
    ink_on, meur, territory_name, tint, Anchor, Svg, Text, EXPORT, FOOTER_HEIGHT, IMPORT, MUTED, N,
    OTHERS, PAD, WIDTH,
};
use super::text;
use crate::codes::Product;
use crate::format::escape;
use crate::model::factsheet::{Factsheet, Ranked};

/// Height of the blocks.
const BLOCK_HEIGHT: f64 = 420.0;
/// Gap between the two blocks.
const BLOCK_GAP: f64 = 12.0;
/// Block headers.
const HEAD_SIZE: f64 = 13.0;
/// Line height of the headers.
const HEAD_LINE: f64 = 16.0;
/// Padding of the labels inside a cell.
const INSET: f64 = 5.0;
/// Label sizes, tried in turn.
const LABEL_SIZES: [f64; 2] = [11.0, 10.0];
/// Line height, in font sizes.
const LEADING: f64 = 1.2;
/// Narrowest cell that gets a label.
const MIN_LABEL_WIDTH: f64 = 36.0;
/// White borders between cells.
const BORDER: f64 = 1.5;

/// A rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The squarified treemap of Bruls, Huizing and van Wijk (2000): lays `values` out in
/// `area`, in their order, each rectangle's area proportional to its value, rows of cells
/// kept as close to squares as the greedy rule allows. Non-positive values get an empty
/// rectangle. The rectangles tile `area` exactly (the last of each row and the last row
/// take what is left, so rounding leaves no gap).
pub(crate) fn squarify(values: &[f64], area: Rect) -> Vec<Rect> {
    let empty = Rect {
        w: 0.0,
        h: 0.0,
        ..area
    };
    let mut out = vec![empty; values.len()];
    let total: f64 = values.iter().filter(|v| **v > 0.0).sum();
    if !(total > 0.0 && area.w > 0.0 && area.h > 0.0) {
        return out;
    }
    let scale = area.w * area.h / total;
    let items: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(i, v)| (i, v * scale))
        .collect();
    // The worst aspect ratio of a row of areas laid along a side of length `side`.
    let worst = |row: &[(usize, f64)], side: f64| {
        let sum: f64 = row.iter().map(|r| r.1).sum();
        let (min, max) = row.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), r| {
            (lo.min(r.1), hi.max(r.1))
        });
        let (s2, w2) = (sum * sum, side * side);
        (w2 * max / s2).max(s2 / (w2 * min))
    };
    let mut rest = area;
    let mut start = 0;
    while start < items.len() {
        let side = rest.w.min(rest.h);
        let mut end = start + 1;
        while end < items.len()
            && worst(&items[start..=end], side) <= worst(&items[start..end], side)
        {
            end += 1;
        }
        let row = &items[start..end];
        let last_row = end == items.len();
        let sum: f64 = row.iter().map(|r| r.1).sum();
        // The row is a column along the left side of a wide rectangle, a strip along the
        // top of a tall one.
        let vertical = rest.w >= rest.h;
        let along = if vertical { rest.h } else { rest.w };
        let across = if vertical { rest.w } else { rest.h };
        let thickness = if last_row { across } else { sum / along };
        let mut offset = 0.0;
        for (k, &(i, a)) in row.iter().enumerate() {
            let length = if k + 1 == row.len() {
                along - offset
            } else {
                a / thickness
            };
            out[i] = if vertical {
                Rect {
                    x: rest.x,
                    y: rest.y + offset,
                    w: thickness,
                    h: length,
                }
            } else {
                Rect {
                    x: rest.x + offset,
                    y: rest.y,
                    w: length,
                    h: thickness,
                }
            };
            offset += length;
        }
        rest = if vertical {
            Rect {
                x: rest.x + thickness,
                w: rest.w - thickness,
                ..rest
            }
        } else {
            Rect {
                y: rest.y + thickness,
                h: rest.h - thickness,
                ..rest
            }
        };
        start = end;
    }
    out
}

/// `r` with its edges rounded to the 0.01 px the SVG writes, so that neighbours share
/// their edges exactly.
fn snap(r: Rect) -> Rect {
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let (x0, y0, x1, y1) = (round(r.x), round(r.y), round(r.x + r.w), round(r.y + r.h));
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// One of the two blocks.
struct Block<'a> {
    name: &'static str,
    class: &'static str,
    colour: &'static str,
    items: &'a [Ranked<Product>],
    total: i64,
}

/// The lines of a cell's label at the first size that fits, or nothing.
fn cell_label(item: &Ranked<Product>, cell: Rect) -> Option<(f64, Vec<String>)> {
    let inner_w = cell.w - 2.0 * INSET;
    let inner_h = cell.h - 2.0 * INSET;
    if inner_w < MIN_LABEL_WIDTH {
        return None;
    }
    let value = meur(item.value_eur);
    for size in LABEL_SIZES {
        let line = size * LEADING;
        if text::width(&value, size, true) > inner_w || inner_h < 1.05 * size {
            continue;
        }
        // n lines take (n − 1) line heights plus one line's box.
        let max_lines = ((inner_h - 1.05 * size) / line).floor() as usize + 1;
        if max_lines < 2 {
            continue;
        }
        let mut lines = text::wrap(&item.label, size, false, inner_w);
        // A word cut short ends the label: "Équipem… pour automobi…" reads worse than
        // "Équipem…".
        if let Some(cut) = lines.iter().position(|l| l.ends_with('…')) {
            lines.truncate(cut + 1);
        }
        if lines.is_empty() {
            continue;
        }
        if lines.len() > max_lines - 1 {
            let keep = max_lines - 1;
            let cut = lines[keep - 1..].join(" ");
            lines.truncate(keep - 1);
            match text::fit(&cut, size, false, inner_w) {
                Some(last) => lines.push(last),
                None => continue,
            }
        }
        lines.push(value);
        return Some((size, lines));
    }
    None
}

fn render_block(svg: &mut Svg, block: &Block<'_>, area: Rect) {
    let values: Vec<f64> = block
        .items
        .iter()
        .map(|r| r.value_eur.max(0) as f64)
        .collect();
    let cells = squarify(&values, area).into_iter().map(snap);
    let named = block.items.iter().filter(|r| r.code.is_named()).count();
    svg.put(format_args!(
        "<g class=\"block {}\" data-total=\"{}\">",
        block.class, block.total
    ));
    let mut rank = 0;
    for (item, cell) in block.items.iter().zip(cells) {
        if item.value_eur <= 0 {
            continue;
        }
        let others = !item.code.is_named();
        let fill = if others {
            OTHERS.to_owned()
        } else {
            // The largest in the block's colour, the smallest about half-way to white.
            let t = 0.5 * rank as f64 / (named.max(2) - 1) as f64;
            rank += 1;
            tint(block.colour, t)
        };
        svg.put(format_args!(
            "<g class=\"cell-group\"><title>{} : {}</title>\
             <rect class=\"cell{}\" data-code=\"{}\" data-value=\"{}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"{}\"/>",
            escape(&item.label),
            meur(item.value_eur),
            if others { " autres" } else { "" },
            escape(&item.code.to_string()),
            item.value_eur,
            N(cell.x),
            N(cell.y),
            N(cell.w),
            N(cell.h),
            fill,
            BORDER,
        ));
        if let Some((size, lines)) = cell_label(item, cell) {
            let ink = ink_on(&fill);
            let last = lines.len() - 1;
            for (k, line) in lines.iter().enumerate() {
                let t = Text {
                    x: cell.x + INSET,
                    y: cell.y + INSET + 0.8 * size + k as f64 * size * LEADING,
                    size,
                    anchor: Anchor::Start,
                    bold: k == last,
                    fill: ink,
                };
                svg.text(&t, line);
            }
        }
        svg.raw("</g>");
    }
    svg.raw("</g>");
}

/// The two blocks: imports, then exports.
fn blocks(fs: &Factsheet) -> [Block<'_>; 2] {
    fn block<'a>(
        name: &'static str,
        class: &'static str,
        colour: &'static str,
        items: &'a [Ranked<Product>],
    ) -> Block<'a> {
        Block {
            name,
            class,
            colour,
            items,
            total: items.iter().map(|r| r.value_eur.max(0)).sum(),
        }
    }
    [
        block("Importations", "imports", IMPORT, &fs.imports.top_products),
        block("Exportations", "exports", EXPORT, &fs.exports.top_products),
    ]
}

/// The blocks' widths, proportional to their totals, and their headers: "Importations :
/// 1 483.8 M€" over each block, on two lines if the block is too narrow for one.
struct Heads {
    widths: Vec<f64>,
    lines: Vec<Vec<String>>,
    /// The most lines of a header.
    most: f64,
    grand: i64,
}

impl Heads {
    fn new(blocks: &[Block<'_>]) -> Heads {
        let full = WIDTH - 2.0 * PAD;
        let both = blocks.iter().all(|b| b.total > 0);
        let avail = if both { full - BLOCK_GAP } else { full };
        let grand: i64 = blocks.iter().map(|b| b.total).sum();
        let widths: Vec<f64> = blocks
            .iter()
            .map(|b| {
                if grand > 0 {
                    avail * b.total as f64 / grand as f64
                } else {
                    0.0
                }
            })
            .collect();
        let lines: Vec<Vec<String>> = blocks
            .iter()
            .zip(&widths)
            .map(|(b, &w)| {
                let one = format!("{} : {}", b.name, meur(b.total));
                if text::width(&one, HEAD_SIZE, true) <= w.max(full / 2.0 - BLOCK_GAP) {
                    vec![one]
                } else {
                    vec![format!("{} :", b.name), meur(b.total)]
                }
            })
            .collect();
        let most = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
        Heads {
            widths,
            lines,
            most,
            grand,
        }
    }

    /// Top of the blocks.
    fn top(&self) -> f64 {
        8.0 + self.most * HEAD_LINE + 4.0
    }
}

pub(crate) fn render(fs: &Factsheet) -> String {
    let blocks = blocks(fs);
    let heads = Heads::new(&blocks);
    let top = heads.top();
    let height = top + BLOCK_HEIGHT + 8.0 + FOOTER_HEIGHT;
    let title = format!(
        "Principales activités à l'import et à l'export, {} ({})",
        territory_name(fs),
        fs.year
    );
    let desc = "Importations en bleu, exportations en violet : l'aire de chaque compartiment est \
                proportionnelle à la valeur des échanges du produit, en millions d'euros.";
    let mut svg = Svg::new(height, &title, desc);
    let mut x = PAD;
    let mut head_x = PAD;
    for ((block, &w), head) in blocks.iter().zip(&heads.widths).zip(&heads.lines) {
        head_x = draw_head(&mut svg, block, head, x, head_x, heads.most);
        if block.total > 0 {
            let area = Rect {
                x,
                y: top,
                w,
                h: BLOCK_HEIGHT,
            };
            render_block(&mut svg, block, area);
            x += w + BLOCK_GAP;
        }
    }
    if heads.grand == 0 {
        let t = Text {
            x: WIDTH / 2.0,
            y: Text::centred(top + BLOCK_HEIGHT / 2.0, 14.0),
            size: 14.0,
            anchor: Anchor::Middle,
            bold: false,
            fill: MUTED,
        };
        svg.text(&t, "Aucun échange");
    }
    svg.footer(fs, height);
    svg.finish()
}

/// A block's header: over its block, after the previous header, inside the chart. Returns
/// where the next header may start.
fn draw_head(
    svg: &mut Svg,
    block: &Block<'_>,
    head: &[String],
    x: f64,
    head_x: f64,
    most: f64,
) -> f64 {
    let head_w = head
        .iter()
        .map(|l| text::width(l, HEAD_SIZE, true))
        .fold(0.0, f64::max);
    let hx = x.max(head_x).min(WIDTH - PAD - head_w);
    let fill = if block.total > 0 { block.colour } else { MUTED };
    for (k, line) in head.iter().enumerate() {
        let t = Text {
            x: hx,
            y: 8.0
                + HEAD_SIZE * 0.8
                + k as f64 * HEAD_LINE
                + (most - head.len() as f64) * HEAD_LINE,
            size: HEAD_SIZE,
            anchor: Anchor::Start,
            bold: true,
            fill,
        };
        svg.text(&t, line);
    }
    hx + head_w + 2.0 * BLOCK_GAP
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(r: &Rect) -> f64 {
        r.w * r.h
    }

    #[test]
    fn squarify_tiles_exactly() {
        let values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 6.0,
            h: 4.0,
        };
        let cells = squarify(&values, bounds);
        for (v, c) in values.iter().zip(&cells) {
            assert!((area(c) - v).abs() < 1e-9, "{v} {c:?}");
            assert!(c.x >= 0.0 && c.y >= 0.0 && c.x + c.w <= 6.0 + 1e-9 && c.y + c.h <= 4.0 + 1e-9);
        }
        // The paper's example: the first row is the two 6s side by side, in a column.
        assert!((cells[0].w - 3.0).abs() < 1e-9 && (cells[0].h - 2.0).abs() < 1e-9);
        assert!((cells[1].y - 2.0).abs() < 1e-9);
    }

    #[test]
    fn squarify_degenerate() {
        let bounds = Rect {
            x: 1.0,
            y: 2.0,
            w: 10.0,
            h: 5.0,
        };
        assert!(squarify(&[], bounds).is_empty());
        let cells = squarify(&[0.0, 3.0, -1.0], bounds);
        assert_eq!(area(&cells[0]), 0.0);
        assert_eq!(area(&cells[2]), 0.0);
        assert_eq!(cells[1], bounds);
        assert!(squarify(&[0.0], bounds).iter().all(|c| area(c) == 0.0));
    }
}
