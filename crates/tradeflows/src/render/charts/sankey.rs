//! Flux à l'export / à l'import: two-column sankeys.
//!
//! Exports: products (left, in the top list's order, `autres` last) → destination countries
//! (right). Imports: countries of origin (left) → products (right). One scale for the whole
//! chart: a node's height and a band's width are proportional to their values, and each
//! column spreads its nodes over the same height. On each node the bands are stacked in the
//! order of the nodes at their other end, which avoids needless crossings. The highlighted
//! flows are red and drawn last; the others grey and translucent. Labels sit beside the
//! nodes, on one or two lines, cut to the room they have, and are spread vertically so that
//! they never overlap while staying as close to their nodes as possible.

use std::collections::BTreeMap;

use super::svg::{
    meur, territory_name, Anchor, Svg, Text, EXPORT, FOOTER_HEIGHT, HIGHLIGHT, IMPORT, INK, MUTED,
    N, OTHERS, PAD, RULE, WIDTH,
};
use super::text;
use crate::codes::Flow;
use crate::format::escape;
use crate::model::factsheet::{Factsheet, FlowFigures, Ranked};

/// Width of a node.
const NODE: f64 = 12.0;
/// Gap between a node and its label.
const LABEL_GAP: f64 = 10.0;
/// Narrowest the bands' span may get to make room for the labels.
const MIN_RIBBON: f64 = 220.0;
/// Label size.
const SIZE: f64 = 11.5;
/// Line height of the labels.
const LINE: f64 = 13.8;
/// Vertical room between two labels.
const LABEL_SEP: f64 = 2.0;
/// Smallest gap between two nodes of the fuller column.
const NODE_GAP: f64 = 8.0;
/// Usual height of the nodes' span.
const NODES_HEIGHT: f64 = 440.0;
/// Column headers.
const HEAD_SIZE: f64 = 12.0;
/// Top of the nodes' span.
const TOP: f64 = 40.0;
/// Widest a label may be.
const MAX_LABEL: f64 = 380.0;

/// A node's item of a top list: its code (or `autres`), label and value.
struct Item {
    code: String,
    label: String,
    value_eur: i64,
    others: bool,
}

/// A node and its place.
struct Node {
    item: Item,
    y: f64,
    h: f64,
    /// Lines of the label: regular text, and the bold value at the end of the last.
    lines: Vec<(String, Option<String>)>,
    /// Centre of the label block.
    label_y: f64,
}

impl Node {
    fn label_height(&self) -> f64 {
        block_height(self.lines.len())
    }
}

/// Height of a label of `n` lines, from the top of the first to the bottom of the last.
fn block_height(n: usize) -> f64 {
    n.saturating_sub(1) as f64 * LINE + 1.02 * SIZE
}

/// A band from a left node to a right node.
struct Band {
    left: usize,
    right: usize,
    value: i64,
    highlight: bool,
    product: String,
    partner: String,
    y0: f64,
    y1: f64,
}

/// The width `label value` takes on one line.
fn one_line_width(item: &Item) -> f64 {
    text::width(&format!("{} ", item.label), SIZE, false)
        + text::width(&meur(item.value_eur), SIZE, true)
}

/// The label of a node in at most `max` px: one line "label value", else two lines with
/// the value at the end of the second, the label cut with an ellipsis if it must be.
fn label_lines(item: &Item, max: f64) -> Vec<(String, Option<String>)> {
    let value = meur(item.value_eur);
    let value_w = text::width(&value, SIZE, true);
    if one_line_width(item) <= max {
        return vec![(format!("{} ", item.label), Some(value))];
    }
    let space = text::width(" ", SIZE, false);
    let words = text::wrap(&item.label, SIZE, false, max);
    let Some(first) = words.first() else {
        return vec![(String::new(), Some(value))];
    };
    // A first line cut inside a word ends the label.
    let rest = if first.ends_with('…') {
        String::new()
    } else {
        words[1..].join(" ")
    };
    let second = if rest.is_empty() {
        None
    } else {
        text::fit(&rest, SIZE, false, max - value_w - space)
    };
    match second {
        Some(second) => vec![(first.clone(), None), (format!("{second} "), Some(value))],
        None if rest.is_empty() => vec![(first.clone(), None), (String::new(), Some(value))],
        None => {
            // No room for more words beside the value: the first line ends with an ellipsis.
            let cut = text::fit(&item.label, SIZE, false, max).unwrap_or_default();
            vec![(cut, None), (String::new(), Some(value))]
        }
    }
}

/// Least-squares isotonic regression (pool adjacent violators): the non-decreasing
/// sequence closest to `targets`.
fn isotonic(targets: &[f64]) -> Vec<f64> {
    let mut pools: Vec<(f64, usize)> = Vec::with_capacity(targets.len());
    for &t in targets {
        let mut pool = (t, 1_usize);
        while let Some(&(sum, n)) = pools.last() {
            if sum / n as f64 > pool.0 / pool.1 as f64 {
                pools.pop();
                pool = (sum + pool.0, n + pool.1);
            } else {
                break;
            }
        }
        pools.push(pool);
    }
    pools
        .iter()
        .flat_map(|&(sum, n)| std::iter::repeat_n(sum / n as f64, n))
        .collect()
}

/// Centres for label blocks of heights `heights`, wanted at `wanted` (in order), that keep
/// their order, never overlap, stay within `lo..hi`, and move as little as possible.
fn spread(wanted: &[f64], heights: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let n = wanted.len();
    if n == 0 {
        return Vec::new();
    }
    // c[i] − c[i−1] ≥ (h[i−1] + h[i]) / 2 + sep: with z[i] = c[i] − offset[i], z must only
    // not decrease.
    let mut offsets = vec![0.0; n];
    for i in 1..n {
        offsets[i] = offsets[i - 1] + (heights[i - 1] + heights[i]) / 2.0 + LABEL_SEP;
    }
    let targets: Vec<f64> = wanted.iter().zip(&offsets).map(|(w, o)| w - o).collect();
    let z_lo = lo + heights[0] / 2.0;
    let z_hi = (hi - heights[n - 1] / 2.0 - offsets[n - 1]).max(z_lo);
    isotonic(&targets)
        .iter()
        .zip(&offsets)
        .map(|(z, o)| z.clamp(z_lo, z_hi) + o)
        .collect()
}

/// Places a column's nodes over `top..top + span` with `scale` px per euro.
fn place(nodes: &mut [Node], top: f64, span: f64, scale: f64) {
    let used: f64 = nodes.iter().map(|n| n.item.value_eur as f64 * scale).sum();
    let gap = if nodes.len() > 1 {
        (span - used) / (nodes.len() - 1) as f64
    } else {
        0.0
    };
    let mut y = if nodes.len() == 1 {
        top + (span - used) / 2.0
    } else {
        top
    };
    for node in nodes.iter_mut() {
        node.y = y;
        node.h = node.item.value_eur as f64 * scale;
        y += node.h + gap;
    }
}

/// Max-min fair split of `avail` px between two wants.
fn share(want: [f64; 2], avail: f64) -> [f64; 2] {
    if want[0] + want[1] <= avail {
        return want;
    }
    let half = avail / 2.0;
    if want[0] <= half {
        [want[0], avail - want[0]]
    } else if want[1] <= half {
        [avail - want[1], want[1]]
    } else {
        [half, half]
    }
}

/// The words of a sankey: title, column headers, node colour and description.
struct Words {
    title: String,
    heads: [&'static str; 2],
    colour: &'static str,
    desc: &'static str,
}

fn words(fs: &Factsheet, flow: Flow) -> Words {
    let name = territory_name(fs);
    match flow {
        Flow::Export => Words {
            title: format!(
                "Flux à l'export par produit et par pays, {name} (en valeur, {})",
                fs.year
            ),
            heads: ["Biens exportés", "Pays de destination"],
            colour: EXPORT,
            desc: "À gauche les principaux biens exportés, à droite les pays de destination ; la \
                   largeur de chaque flux est proportionnelle à sa valeur, les principaux flux en rouge.",
        },
        Flow::Import => Words {
            title: format!(
                "Flux à l'import par pays et par produit, {name} (en valeur, {})",
                fs.year
            ),
            heads: ["Pays d'origine", "Biens importés"],
            colour: IMPORT,
            desc: "À gauche les principaux pays d'origine, à droite les biens importés ; la largeur de \
                   chaque flux est proportionnelle à sa valeur, les principaux flux en rouge.",
        },
    }
}

/// The nodes of a column: the items of a top list with a positive value.
fn column<K: std::fmt::Display>(list: &[Ranked<K>]) -> Vec<Node> {
    list.iter()
        .filter(|r| r.value_eur > 0)
        .map(|r| Node {
            item: Item {
                code: r.code.to_string(),
                label: r.label.clone(),
                value_eur: r.value_eur,
                others: !r.code.is_named(),
            },
            y: 0.0,
            h: 0.0,
            lines: Vec::new(),
            label_y: 0.0,
        })
        .collect()
}

/// The bands between the columns: the positive flows whose two ends are nodes.
fn bands(figures: &FlowFigures, flow: Flow, left: &[Node], right: &[Node]) -> Vec<Band> {
    let index = |nodes: &[Node]| -> BTreeMap<String, usize> {
        nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.item.code.clone(), i))
            .collect()
    };
    let (left_index, right_index) = (index(left), index(right));
    figures
        .flows
        .iter()
        .filter(|c| c.value_eur > 0)
        .filter_map(|c| {
            let (product, partner) = (c.product.to_string(), c.partner.to_string());
            let (from, to) = match flow {
                Flow::Export => (&product, &partner),
                Flow::Import => (&partner, &product),
            };
            Some(Band {
                left: *left_index.get(from)?,
                right: *right_index.get(to)?,
                value: c.value_eur,
                highlight: c.highlight,
                product: product.clone(),
                partner: partner.clone(),
                y0: 0.0,
                y1: 0.0,
            })
        })
        .collect()
}

/// Where everything goes.
struct Layout {
    left: Vec<Node>,
    right: Vec<Node>,
    bands: Vec<Band>,
    left_x: f64,
    right_x: f64,
    span: f64,
    scale: f64,
    total: f64,
}

impl Layout {
    fn new(fs: &Factsheet, flow: Flow, heads: [&str; 2]) -> Layout {
        let figures = fs.flow(flow);
        let (left, right) = match flow {
            Flow::Export => (column(&figures.top_products), column(&figures.top_partners)),
            Flow::Import => (column(&figures.top_partners), column(&figures.top_products)),
        };
        let bands = bands(figures, flow, &left, &right);
        let mut layout = Layout {
            left,
            right,
            bands,
            left_x: 0.0,
            right_x: 0.0,
            span: 0.0,
            scale: 0.0,
            total: 0.0,
        };
        layout.horizontal(heads);
        layout.vertical();
        layout.slices();
        layout.labels();
        layout
    }

    /// The labels' room, then the nodes and the bands between them.
    fn horizontal(&mut self, heads: [&str; 2]) {
        let want = [(&self.left, heads[0]), (&self.right, heads[1])].map(|(nodes, head)| {
            nodes
                .iter()
                .map(|n| one_line_width(&n.item))
                .fold(text::width(head, HEAD_SIZE, true), f64::max)
                .min(MAX_LABEL)
        });
        let avail = WIDTH - 2.0 * PAD - 2.0 * NODE - 2.0 * LABEL_GAP - MIN_RIBBON;
        let [left_room, right_room] = share(want, avail);
        self.left_x = PAD + left_room + LABEL_GAP;
        self.right_x = WIDTH - PAD - right_room - LABEL_GAP - NODE;
        for n in &mut self.left {
            n.lines = label_lines(&n.item, left_room);
        }
        for n in &mut self.right {
            n.lines = label_lines(&n.item, right_room);
        }
    }

    /// One scale, each column over the same span, tall enough for the labels to stay near
    /// their nodes.
    fn vertical(&mut self) {
        let labels_height = |nodes: &[Node]| {
            nodes
                .iter()
                .map(|n| n.label_height() + LABEL_SEP)
                .sum::<f64>()
        };
        let most = self.left.len().max(self.right.len());
        let sum = |nodes: &[Node]| nodes.iter().map(|n| n.item.value_eur as f64).sum::<f64>();
        self.total = sum(&self.left).max(sum(&self.right));
        // Nothing to draw: room for a message only.
        let usual = if self.total > 0.0 { NODES_HEIGHT } else { 60.0 };
        self.span = usual
            .max(1.2 * labels_height(&self.left))
            .max(1.2 * labels_height(&self.right))
            .max(most as f64 * NODE_GAP * 2.0);
        self.scale = if self.total > 0.0 {
            (self.span - most.saturating_sub(1) as f64 * NODE_GAP) / self.total
        } else {
            0.0
        };
        place(&mut self.left, TOP, self.span, self.scale);
        place(&mut self.right, TOP, self.span, self.scale);
    }

    /// On each node, the bands in the order of the nodes at their other end.
    fn slices(&mut self) {
        let (bands, scale) = (&mut self.bands, self.scale);
        let mut order: Vec<usize> = (0..bands.len()).collect();
        order.sort_by_key(|&b| (bands[b].left, bands[b].right));
        let mut offsets = vec![0.0; self.left.len()];
        for &b in &order {
            let band = &mut bands[b];
            band.y0 = self.left[band.left].y + offsets[band.left];
            offsets[band.left] += band.value as f64 * scale;
        }
        order.sort_by_key(|&b| (bands[b].right, bands[b].left));
        let mut offsets = vec![0.0; self.right.len()];
        for &b in &order {
            let band = &mut bands[b];
            band.y1 = self.right[band.right].y + offsets[band.right];
            offsets[band.right] += band.value as f64 * scale;
        }
    }

    /// The labels, spread so that they never overlap.
    fn labels(&mut self) {
        for nodes in [&mut self.left, &mut self.right] {
            let wanted: Vec<f64> = nodes.iter().map(|n| n.y + n.h / 2.0).collect();
            let heights: Vec<f64> = nodes.iter().map(Node::label_height).collect();
            let centres = spread(&wanted, &heights, TOP - 6.0, TOP + self.span + 6.0);
            for (n, c) in nodes.iter_mut().zip(centres) {
                n.label_y = c;
            }
        }
    }
}

pub(crate) fn render(fs: &Factsheet, flow: Flow) -> String {
    let words = words(fs, flow);
    let layout = Layout::new(fs, flow, words.heads);
    let height = TOP + layout.span + 14.0 + FOOTER_HEIGHT;
    let mut svg = Svg::new(height, &words.title, words.desc);
    draw_heads(&mut svg, &layout, words.heads);
    if layout.total <= 0.0 {
        let t = Text {
            x: WIDTH / 2.0,
            y: Text::centred(TOP + layout.span / 2.0, 14.0),
            size: 14.0,
            anchor: Anchor::Middle,
            bold: false,
            fill: MUTED,
        };
        svg.text(&t, "Aucun échange");
    }
    draw_bands(&mut svg, &layout);
    for (nodes, side, x) in [
        (&layout.left, Side::Left, layout.left_x),
        (&layout.right, Side::Right, layout.right_x),
    ] {
        for n in nodes {
            draw_node(&mut svg, n, side, x, words.colour);
        }
    }
    svg.footer(fs, height);
    svg.finish()
}

fn draw_heads(svg: &mut Svg, layout: &Layout, heads: [&str; 2]) {
    for (head, x, anchor) in [
        (heads[0], layout.left_x + NODE, Anchor::End),
        (heads[1], layout.right_x, Anchor::Start),
    ] {
        let t = Text {
            x,
            y: TOP - 16.0,
            size: HEAD_SIZE,
            anchor,
            bold: true,
            fill: INK,
        };
        svg.text(&t, head);
    }
}

/// The bands: grey ones first, the highlighted ones over them.
fn draw_bands(svg: &mut Svg, layout: &Layout) {
    let (x0, x1) = (layout.left_x + NODE, layout.right_x);
    let xm = (x0 + x1) / 2.0;
    svg.raw("<g class=\"bands\">");
    for highlight in [false, true] {
        for band in layout.bands.iter().filter(|b| b.highlight == highlight) {
            let t = band.value as f64 * layout.scale;
            let (y0, y1) = (band.y0, band.y1);
            let (fill, opacity, class) = if highlight {
                (HIGHLIGHT, "0.85", "band highlight")
            } else {
                ("#8c8c8c", "0.35", "band")
            };
            svg.put(format_args!(
                "<path class=\"{class}\" data-product=\"{}\" data-partner=\"{}\" data-value=\"{}\" \
                 d=\"M{},{} C{},{} {},{} {},{} L{},{} C{},{} {},{} {},{} Z\" fill=\"{fill}\" \
                 fill-opacity=\"{opacity}\"><title>{} → {} : {}</title></path>",
                escape(&band.product),
                escape(&band.partner),
                band.value,
                N(x0),
                N(y0),
                N(xm),
                N(y0),
                N(xm),
                N(y1),
                N(x1),
                N(y1),
                N(x1),
                N(y1 + t),
                N(xm),
                N(y1 + t),
                N(xm),
                N(y0 + t),
                N(x0),
                N(y0 + t),
                escape(&layout.left[band.left].item.label),
                escape(&layout.right[band.right].item.label),
                meur(band.value),
            ));
        }
    }
    svg.raw("</g>");
}

/// The side of a column.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// A node, its leader line when its label had to move, and its label.
fn draw_node(svg: &mut Svg, n: &Node, side: Side, x: f64, colour: &str) {
    let others = n.item.others;
    svg.put(format_args!(
        "<g class=\"node-group\"><title>{} : {}</title><rect class=\"node {}{}\" \
         data-code=\"{}\" data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
         fill=\"{}\"/>",
        escape(&n.item.label),
        meur(n.item.value_eur),
        if side == Side::Left { "left" } else { "right" },
        if others { " autres" } else { "" },
        escape(&n.item.code),
        n.item.value_eur,
        N(x),
        N(n.y),
        N(NODE),
        N(n.h),
        if others { OTHERS } else { colour },
    ));
    let centre = n.y + n.h / 2.0;
    let (edge, label_x, anchor) = match side {
        Side::Left => (x - 1.0, x - LABEL_GAP, Anchor::End),
        Side::Right => (x + NODE + 1.0, x + NODE + LABEL_GAP, Anchor::Start),
    };
    if (n.label_y - centre).abs() > 1.5 {
        let end = match side {
            Side::Left => label_x + 3.0,
            Side::Right => label_x - 3.0,
        };
        svg.put(format_args!(
            "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{RULE}\" \
             stroke-width=\"0.8\"/>",
            N(edge),
            N(centre),
            N(end),
            N(n.label_y)
        ));
    }
    let first = n.label_y - n.label_height() / 2.0 + 0.8 * SIZE;
    for (k, (label, value)) in n.lines.iter().enumerate() {
        let t = Text {
            x: label_x,
            y: first + k as f64 * LINE,
            size: SIZE,
            anchor,
            bold: false,
            fill: INK,
        };
        match value {
            Some(value) => svg.text_value(&t, label, value),
            None => svg.text(&t, label),
        }
    }
    svg.raw("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools() {
        assert_eq!(isotonic(&[1.0, 3.0, 2.0, 4.0]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(isotonic(&[3.0, 2.0, 1.0]), vec![2.0, 2.0, 2.0]);
        assert!(isotonic(&[]).is_empty());
    }

    #[test]
    fn spread_keeps_order_room_and_bounds() {
        let wanted = [10.0, 11.0, 12.0, 200.0, 395.0];
        let heights = [12.0, 26.0, 12.0, 12.0, 12.0];
        let c = spread(&wanted, &heights, 0.0, 400.0);
        for i in 1..c.len() {
            assert!(c[i] - c[i - 1] >= (heights[i] + heights[i - 1]) / 2.0 + LABEL_SEP - 1e-9);
        }
        assert!(c[0] - heights[0] / 2.0 >= -1e-9);
        assert!(c[4] + heights[4] / 2.0 <= 400.0 + 1e-9);
        assert_eq!(c[3], 200.0);
    }

    #[test]
    fn shares() {
        assert_eq!(share([100.0, 50.0], 300.0), [100.0, 50.0]);
        assert_eq!(share([400.0, 50.0], 300.0), [250.0, 50.0]);
        assert_eq!(share([400.0, 400.0], 300.0), [150.0, 150.0]);
    }
}
