#!/usr/bin/env python3
"""Generate `crates/tradeflows/data/map-departements.txt` (outlines of the 100 DGDDI départements
as SVG path data, for a choropleth map) from the france-geojson boundaries.

Usage: python3 tools/gen_map.py [GEOJSON]

GEOJSON defaults to `../shared/reference/geo/departements-avec-outre-mer.geojson` relative to the
repository root (the parent of this script's directory). Standard library only; the output is
deterministic (same input, same bytes: no timestamps, fixed iteration order).

What is done:
  * metropolitan France (Corsica included) is projected in Lambert-93 (EPSG:2154; formulas
    implemented below) and scaled into the viewBox; each overseas département is projected on
    its own (equirectangular around the centre latitude of its bounding box) and fitted into its
    own inset rectangle along the left edge, below Brittany;
  * rings are simplified with Douglas–Peucker in viewBox units, arc by arc: every ring is cut at
    the vertices where the set of neighbouring départements changes (the input's shared borders
    use identical vertices), and each arc is simplified once, in a canonical direction, so two
    neighbours get exactly the same border (no gaps, no slivers);
  * rings smaller than MIN_AREA (islands, holes) are dropped, except the largest ring of each
    département; coordinates are rounded to integers; repeated points, zero-area spikes and
    collinear points left by rounding are removed; rings left with fewer than 3 points go;
  * Corsica (INSEE 2A + 2B) becomes DGDDI `20`, dissolved into one outline before
    simplification: the edges 2A and 2B share are dropped and the remaining ones chained back
    into rings (no border line through the island when the path is stroked). Junctions are
    still taken from the input as it is, so the coast is cut and simplified exactly as with 2A
    and 2B apart. 971..976 become 9A..9E. Monaco (DGDDI 99) has no outline.

Output format (UTF-8, LF): `#` comment lines, then `viewbox;W;H`, then `inset;CODE;x;y;w;h` for
the five overseas départements, then `dep;CODE;d` for the 100 départements sorted by code (byte
order), `d` being SVG path data with relative commands (m, l, h, v, z) and integer coordinates.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "crates" / "tradeflows" / "data" / "map-departements.txt"
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "reference" / "geo" / "departements-avec-outre-mer.geojson"
SOURCE_COMMIT = "5d34ee6"

# ---- Layout (viewBox units) -------------------------------------------------------------------
VIEW_W = 1000
VIEW_H = 960
MARGIN = 10  # around metropolitan France (left, top, right; the bottom is derived)
# Inset rectangles (x, y, w, h), top to bottom along the left edge, below Brittany and west of
# the Atlantic coast. Geometry is fitted inside with INSET_PAD on each side.
INSETS = {
    "9A": (8, 376, 150, 108),  # Guadeloupe (971)
    "9B": (8, 492, 150, 108),  # Martinique (972)
    "9C": (8, 608, 150, 108),  # Guyane (973)
    "9D": (8, 724, 150, 108),  # La Réunion (974)
    "9E": (8, 840, 150, 108),  # Mayotte (976)
}
INSET_PAD = 6

# ---- Simplification ---------------------------------------------------------------------------
EPSILON = 0.5  # Douglas–Peucker tolerance, viewBox units
MIN_AREA = 1.5  # rings (islands, holes) smaller than this many square viewBox units are dropped

# INSEE code -> DGDDI code (identity for 01..95).
INSEE_TO_DGDDI = {"2A": "20", "2B": "20", "971": "9A", "972": "9B", "973": "9C", "974": "9D",
                  "976": "9E"}
EXPECTED_INSEE = ({f"{i:02d}" for i in range(1, 96)} - {"20"}) | {"2A", "2B"} | set(
    k for k in INSEE_TO_DGDDI if len(k) == 3)
EXPECTED_DGDDI = [f"{i:02d}" for i in range(1, 96)] + ["9A", "9B", "9C", "9D", "9E"]

# ---- Lambert-93 (EPSG:2154): Lambert conformal conic 2SP on GRS80 -----------------------------
GRS80_A = 6378137.0
GRS80_F = 1 / 298.257222101
GRS80_E = math.sqrt(2 * GRS80_F - GRS80_F * GRS80_F)
L93_PHI1, L93_PHI2, L93_PHI0 = math.radians(49.0), math.radians(44.0), math.radians(46.5)
L93_LAMBDA0 = math.radians(3.0)
L93_E0, L93_N0 = 700000.0, 6600000.0


def _lcc_m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (GRS80_E * math.sin(phi)) ** 2)


def _lcc_t(phi: float) -> float:
    es = GRS80_E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - es) / (1 + es)) ** (GRS80_E / 2)


L93_N = (math.log(_lcc_m(L93_PHI1)) - math.log(_lcc_m(L93_PHI2))) / (
    math.log(_lcc_t(L93_PHI1)) - math.log(_lcc_t(L93_PHI2)))
L93_F = _lcc_m(L93_PHI1) / (L93_N * _lcc_t(L93_PHI1) ** L93_N)
L93_R0 = GRS80_A * L93_F * _lcc_t(L93_PHI0) ** L93_N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 / RGF93 longitude, latitude (degrees) -> Lambert-93 easting, northing (metres)."""
    r = GRS80_A * L93_F * _lcc_t(math.radians(lat)) ** L93_N
    theta = L93_N * (math.radians(lon) - L93_LAMBDA0)
    return L93_E0 + r * math.sin(theta), L93_N0 + L93_R0 - r * math.cos(theta)


# --------------------------------------------------------------------------------------------
# Geometry helpers

Pt = tuple[float, float]


def ring_area(pts: list[Pt]) -> float:
    """Signed shoelace area of a closed ring given without its closing point."""
    s = 0.0
    for i in range(len(pts)):
        x1, y1 = pts[i - 1]
        x2, y2 = pts[i]
        s += x1 * y2 - x2 * y1
    return s / 2


def seg_dist2(p: Pt, a: Pt, b: Pt) -> float:
    """Squared distance from p to the segment ab."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    den = dx * dx + dy * dy
    if den == 0:
        return (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / den))
    qx, qy = a[0] + t * dx, a[1] + t * dy
    return (p[0] - qx) ** 2 + (p[1] - qy) ** 2


def douglas_peucker(pts: list[Pt], eps: float) -> list[int]:
    """Indices kept by Douglas–Peucker (endpoints always kept; ties go to the first index)."""
    n = len(pts)
    if n <= 2:
        return list(range(n))
    keep = [False] * n
    keep[0] = keep[-1] = True
    eps2 = eps * eps
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            d = seg_dist2(pts[k], pts[i], pts[j])
            if d > best:
                best, best_k = d, k
        if best > eps2:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [k for k in range(n) if keep[k]]


def clean_ring(pts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Remove repeated points, zero-area spikes and collinear points from a closed integer ring."""
    pts = list(pts)
    changed = True
    while changed and len(pts) >= 3:
        changed = False
        out: list[tuple[int, int]] = []
        for p in pts:
            if out and out[-1] == p:
                changed = True
                continue
            out.append(p)
        while len(out) > 1 and out[-1] == out[0]:
            out.pop()
            changed = True
        # Collinear middle points (straight run or back-and-forth spike), cyclically.
        n = len(out)
        if n >= 3:
            for i in range(n):
                a, b, c = out[i - 1], out[i], out[(i + 1) % n]
                cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
                if cross == 0:
                    del out[i]
                    changed = True
                    break
        pts = out
    return pts


# --------------------------------------------------------------------------------------------
# Topology: cut rings into arcs at the vertices where the neighbourhood changes


def junctions(rings: list[list[Pt]]) -> set[Pt]:
    """Vertices (source coordinates) at which a ring must be cut so that shared borders become
    identical arcs: a vertex used more than once whose neighbours are not the same every time."""
    seen: dict[Pt, frozenset] = {}
    count: dict[Pt, int] = {}
    out: set[Pt] = set()
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            nb = frozenset((ring[i - 1], ring[(i + 1) % n]))
            count[p] = count.get(p, 0) + 1
            if p in seen:
                if seen[p] != nb or count[p] > 2:
                    out.add(p)
            else:
                seen[p] = nb
    return out


class Simplifier:
    """Douglas–Peucker on arcs, each arc simplified once in a canonical direction."""

    def __init__(self, junction_set: set[Pt], to_view: dict[Pt, Pt], eps: float) -> None:
        self.junctions = junction_set
        self.to_view = to_view
        self.eps = eps

    def arc(self, arc: list[Pt]) -> list[Pt]:
        rev = arc[::-1]
        if rev < arc:
            return self._simplify(rev)[::-1]
        return self._simplify(arc)

    def _simplify(self, arc: list[Pt]) -> list[Pt]:
        view = [self.to_view[p] for p in arc]
        return [arc[k] for k in douglas_peucker(view, self.eps)]

    def ring(self, ring: list[Pt]) -> list[Pt]:
        n = len(ring)
        cuts = [i for i, p in enumerate(ring) if p in self.junctions]
        if not cuts:
            # A ring that shares no junction (an island, or an enclave and the hole around it):
            # cut it at its smallest vertex and at the vertex farthest from that one, which
            # both copies of a shared ring agree on.
            i0 = min(range(n), key=lambda i: ring[i])
            a = self.to_view[ring[i0]]
            i1 = min(range(n), key=lambda i: (-((self.to_view[ring[i]][0] - a[0]) ** 2
                                                 + (self.to_view[ring[i]][1] - a[1]) ** 2), ring[i]))
            cuts = sorted({i0, i1})
        out: list[Pt] = []
        for c, start in enumerate(cuts):
            end = cuts[(c + 1) % len(cuts)]
            if end <= start:
                end += n
            arc = [ring[k % n] for k in range(start, end + 1)]
            out.extend(self.arc(arc)[:-1])
        return out


def dissolve(rings: list[list[Pt]]) -> list[list[Pt]]:
    """Merge the rings of several départements that become one (Corsica: 2A + 2B) into one
    outline: the edges they share (used by two of these rings) are dropped and the remaining
    edges, kept in their rings' direction, are chained back into rings. Rings sharing no edge
    are returned unchanged, in place; a merged ring takes the place of the first ring it
    absorbs and starts where that ring's first kept edge starts."""
    use: dict[frozenset, int] = {}
    for ring in rings:
        for i in range(len(ring)):
            e = frozenset((ring[i - 1], ring[i]))
            use[e] = use.get(e, 0) + 1
    shared = {e for e, v in use.items() if v == 2}
    touched = [any(frozenset((r[i - 1], r[i])) in shared for i in range(len(r))) for r in rings]
    if not shared:
        return [list(r) for r in rings]
    # Directed kept edges of the touched rings: the shared ones are walked in opposite directions
    # by the two rings (same orientation on both sides), the others once.
    succ: dict[Pt, Pt] = {}
    order: list[Pt] = []  # kept-edge origins, ring by ring, for a deterministic start
    for ring, t in zip(rings, touched):
        if not t:
            continue
        for i in range(len(ring)):
            a, b = ring[i - 1], ring[i]
            if frozenset((a, b)) in shared:
                continue
            assert a not in succ, f"dissolve: vertex {a} starts two boundary edges"
            succ[a] = b
            order.append(a)
    merged: list[list[Pt]] = []
    done: set[Pt] = set()
    for start in order:
        if start in done:
            continue
        ring, p = [], start
        while p not in done:
            done.add(p)
            ring.append(p)
            assert p in succ, f"dissolve: boundary open at {p}"
            p = succ[p]
        assert p == start, f"dissolve: boundary chains into itself at {p}, not at {start}"
        merged.append(ring)
    assert len(done) == len(succ)
    out: list[list[Pt]] = []
    placed = False
    for ring, t in zip(rings, touched):
        if not t:
            out.append(list(ring))
        elif not placed:
            out.extend(merged)
            placed = True
    return out


# --------------------------------------------------------------------------------------------
# SVG path data


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Relative SVG path: `m` (relative to the previous subpath's start; the first one is
    absolute), then `l`/`h`/`v`, then `z`, one subpath per ring; minimal separators."""
    out: list[str] = []

    def num(v: int) -> None:
        if v >= 0 and out and out[-1][-1].isdigit():
            out.append(" ")
        out.append(str(v))

    start = (0, 0)
    for ring in rings:
        x0, y0 = ring[0]
        out.append("m")
        num(x0 - start[0])
        num(y0 - start[1])
        start = (x0, y0)
        cur, cmd = (x0, y0), ""
        for x, y in ring[1:]:
            dx, dy = x - cur[0], y - cur[1]
            c = "h" if dy == 0 else "v" if dx == 0 else "l"
            if c != cmd:
                out.append(c)
                cmd = c
            if c == "h":
                num(dx)
            elif c == "v":
                num(dy)
            else:
                num(dx)
                num(dy)
            cur = (x, y)
        out.append("z")
    return "".join(out)


def parse_path(d: str) -> list[list[tuple[int, int]]]:
    """Inverse of path_data (check only)."""
    assert re.fullmatch(r"(?:[mlhvz]|-?\d+| )+", d), d[:80]
    tokens = re.findall(r"[mlhvz]|-?\d+", d)
    rings: list[list[tuple[int, int]]] = []
    start = cur = (0, 0)
    i, cmd = 0, ""
    while i < len(tokens):
        t = tokens[i]
        if t in "mlhvz":
            cmd = t
            i += 1
            if cmd == "z":
                cur = start
                continue
        if cmd == "m":
            cur = start = (start[0] + int(tokens[i]), start[1] + int(tokens[i + 1]))
            rings.append([cur])
            i += 2
            cmd = ""  # the brief's format always spells out the next command
        elif cmd == "l":
            cur = (cur[0] + int(tokens[i]), cur[1] + int(tokens[i + 1]))
            rings[-1].append(cur)
            i += 2
        elif cmd == "h":
            cur = (cur[0] + int(tokens[i]), cur[1])
            rings[-1].append(cur)
            i += 1
        elif cmd == "v":
            cur = (cur[0], cur[1] + int(tokens[i]))
            rings[-1].append(cur)
            i += 1
        else:
            raise AssertionError(f"unexpected token {t!r} in {d[:80]!r}")
    return rings


# --------------------------------------------------------------------------------------------


def load(path: Path) -> dict[str, list[list[list[Pt]]]]:
    """INSEE code -> polygons -> rings (lon/lat tuples, closing point dropped), file order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection", data["type"]
    out: dict[str, list[list[list[Pt]]]] = {}
    for f in data["features"]:
        code = f["properties"]["code"]
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        assert g["type"] in ("Polygon", "MultiPolygon"), (code, g["type"])
        assert code not in out, f"duplicate feature {code}"
        rings_of: list[list[list[Pt]]] = []
        for poly in polys:
            rs = []
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4, code
                rs.append([(float(x), float(y)) for x, y in ring[:-1]])
            rings_of.append(rs)
        out[code] = rings_of
    assert set(out) == EXPECTED_INSEE, set(out) ^ EXPECTED_INSEE
    return out


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INPUT
    src = src.resolve()
    assert src.is_file(), f"no geojson at {src}"
    deps = load(src)
    notes: list[str] = []

    # ---- Projection to viewBox units -----------------------------------------------------------
    to_view: dict[Pt, Pt] = {}
    metro = [c for c in deps if len(c) == 2]
    l93 = {p: lambert93(*p) for c in metro for poly in deps[c] for ring in poly for p in ring}
    xmin = min(x for x, _ in l93.values())
    xmax = max(x for x, _ in l93.values())
    ymin = min(y for _, y in l93.values())
    ymax = max(y for _, y in l93.values())
    scale = (VIEW_W - 2 * MARGIN) / (xmax - xmin)
    metro_bottom = MARGIN + (ymax - ymin) * scale
    assert metro_bottom <= VIEW_H - 2, (metro_bottom, VIEW_H)
    for p, (x, y) in l93.items():
        to_view[p] = (MARGIN + (x - xmin) * scale, MARGIN + (ymax - y) * scale)
    inset_scale = {}
    for code in sorted(c for c in deps if len(c) == 3):
        pts = [p for poly in deps[code] for ring in poly for p in ring]
        lat_c = (min(p[1] for p in pts) + max(p[1] for p in pts)) / 2
        k = math.cos(math.radians(lat_c))
        proj = {p: (p[0] * k, p[1]) for p in pts}
        x0 = min(x for x, _ in proj.values())
        x1 = max(x for x, _ in proj.values())
        y0 = min(y for _, y in proj.values())
        y1 = max(y for _, y in proj.values())
        bx, by, bw, bh = INSETS[INSEE_TO_DGDDI[code]]
        s = min((bw - 2 * INSET_PAD) / (x1 - x0), (bh - 2 * INSET_PAD) / (y1 - y0))
        ox = bx + (bw - (x1 - x0) * s) / 2
        oy = by + (bh - (y1 - y0) * s) / 2
        inset_scale[code] = (s, lat_c)
        for p, (x, y) in proj.items():
            assert p not in to_view, f"{code}: vertex shared with another département"
            to_view[p] = (ox + (x - x0) * s, oy + (y1 - y) * s)

    # ---- Simplification -------------------------------------------------------------------------
    all_rings = [ring for c in deps for poly in deps[c] for ring in poly]
    # The input is topologically clean: a border between two départements is the same vertices
    # in both (every edge used once, on the coast or a national border, or twice).
    edge_use: dict[frozenset, int] = {}
    for ring in all_rings:
        for i in range(len(ring)):
            e = frozenset((ring[i - 1], ring[i]))
            edge_use[e] = edge_use.get(e, 0) + 1
    assert max(edge_use.values()) <= 2, "an edge used by more than two rings"
    n_shared = sum(1 for v in edge_use.values() if v == 2)
    # Junctions come from the input as it is (2A and 2B apart), so that the dissolved Corsica is
    # cut where 2A and 2B used to be: its coast arcs, hence its simplified coast, stay the same.
    simp = Simplifier(junctions(all_rings), to_view, EPSILON)
    # INSEE départements grouped by DGDDI code (2A then 2B for 20), rings in file order; the
    # parts of a group are dissolved into one outline (their common border dropped).
    groups: dict[str, list[list[Pt]]] = {}
    for code in sorted(deps, key=str.encode):
        groups.setdefault(INSEE_TO_DGDDI.get(code, code), []).extend(
            ring for poly in deps[code] for ring in poly)
    n_in = len(all_rings)
    n_dissolved = 0
    dissolved: list[str] = []
    for dg in groups:
        parts = [c for c in deps if INSEE_TO_DGDDI.get(c, c) == dg]
        if len(parts) > 1:
            before = len(groups[dg])
            groups[dg] = dissolve(groups[dg])
            n_dissolved += before - len(groups[dg])
            dissolved.append(f"{dg} = {' + '.join(sorted(parts))}: {before} rings -> {len(groups[dg])}")
    out_rings: dict[str, list[list[tuple[int, int]]]] = {c: [] for c in EXPECTED_DGDDI}
    n_out = n_dropped_small = n_dropped_degenerate = 0
    for dg in sorted(groups, key=str.encode):
        rings = groups[dg]
        areas = [abs(ring_area([to_view[p] for p in ring])) for ring in rings]
        largest = max(range(len(rings)), key=lambda i: areas[i])
        for i, ring in enumerate(rings):
            if areas[i] < MIN_AREA and i != largest:
                n_dropped_small += 1
                continue
            simplified = simp.ring(ring)
            q = [(math.floor(to_view[p][0] + 0.5), math.floor(to_view[p][1] + 0.5)) for p in simplified]
            q = clean_ring(q)
            if len(q) < 3:
                assert i != largest, f"{dg}: largest ring degenerated"
                n_dropped_degenerate += 1
                continue
            out_rings[dg].append(q)
            n_out += 1

    # ---- Checks ---------------------------------------------------------------------------------
    assert sorted(out_rings, key=str.encode) == EXPECTED_DGDDI and len(EXPECTED_DGDDI) == 100
    for code, rings in out_rings.items():
        assert rings, f"{code}: no outline"
        for ring in rings:
            for x, y in ring:
                assert 0 <= x <= VIEW_W and 0 <= y <= VIEW_H, (code, x, y)
    boxes = sorted(INSETS.values())
    for a, b in zip(boxes, boxes[1:]):
        assert a[1] + a[3] <= b[1] or a[0] + a[2] <= b[0], ("insets overlap", a, b)
    for dg, (bx, by, bw, bh) in INSETS.items():
        assert 0 <= bx and bx + bw <= VIEW_W and 0 <= by and by + bh <= VIEW_H, dg
        for code in metro:
            for ring in out_rings[INSEE_TO_DGDDI.get(code, code)]:
                for x, y in ring:
                    assert not (bx - 2 <= x <= bx + bw + 2 and by - 2 <= y <= by + bh + 2), (
                        f"{code} point {(x, y)} inside inset {dg}")

    # ---- Output ---------------------------------------------------------------------------------
    lines = [
        "# Outlines of the 100 DGDDI départements (01..95, 20 = Corse = INSEE 2A + 2B dissolved, 9A..9E = 971..976;",
        "# 99 Monaco has none) as SVG path data, for a choropleth map. Do not edit: generated by tools/gen_map.py.",
        "# Source: IGN — via france-geojson (github.com/gregoiredavid/france-geojson, commit "
        f"{SOURCE_COMMIT}, {src.name}).",
        "# Licence: Licence Ouverte / Open Licence 2.0 (Etalab). Attribution: \"IGN — via france-geojson\".",
        "# Projection: metropolitan France in Lambert-93 (EPSG:2154, LCC on GRS80, parallels 44°N and 49°N,",
        f"# origin 46.5°N 3°E), 1 unit = {1 / scale:.0f} m; overseas départements: equirectangular around",
        "# their own centre latitude, each fitted into its inset rectangle (independent scales).",
        f"# Simplification: Douglas–Peucker, tolerance {EPSILON} unit, shared borders simplified once;",
        f"# rings under {MIN_AREA} square units dropped (the largest ring of each département kept);",
        "# coordinates rounded to integers. One subpath per ring (holes included: use fill-rule evenodd).",
        "# Lines: viewbox;W;H / inset;CODE;x;y;w;h (frame of an overseas inset) / dep;CODE;d (sorted by code).",
        f"viewbox;{VIEW_W};{VIEW_H}",
    ]
    for dg in sorted(INSETS, key=str.encode):
        lines.append("inset;" + dg + ";" + ";".join(str(v) for v in INSETS[dg]))
    for code in EXPECTED_DGDDI:
        d = path_data(out_rings[code])
        assert parse_path(d) == out_rings[code], code
        lines.append(f"dep;{code};{d}")
    text = "\n".join(lines) + "\n"
    dep_lines = [l for l in text.splitlines() if l.startswith("dep;")]
    codes = [l.split(";")[1] for l in dep_lines]
    assert codes == EXPECTED_DGDDI and len(set(codes)) == 100, codes
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")

    size = len(text.encode("utf-8"))
    n_pts = sum(len(r) for rs in out_rings.values() for r in rs)
    print(f"scale: 1 unit = {1 / scale:.1f} m (Lambert-93); mainland bottom at y = {metro_bottom:.1f}")
    for code, (s, lat_c) in inset_scale.items():
        print(f"inset {INSEE_TO_DGDDI[code]} ({code}): centre latitude {lat_c:.3f}, "
              f"{s:.1f} units per degree of latitude")
    print(f"edges: {len(edge_use)} distinct in the input, {n_shared} shared by two rings")
    print("dissolved: " + "; ".join(dissolved))
    print(f"rings: {n_in} in, {n_dissolved} merged away by dissolving, {n_out} out, "
          f"{n_dropped_small} under {MIN_AREA} units², {n_dropped_degenerate} degenerate; "
          f"{n_pts} points")
    if not 60_000 <= size <= 150_000:
        notes.append(f"size {size} bytes outside the 60-150 KB target")
    for n in notes:
        print("note:", n)
    print(f"wrote {OUTPUT} ({size} bytes)")


if __name__ == "__main__":
    main()
