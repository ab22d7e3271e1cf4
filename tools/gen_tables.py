#!/usr/bin/env python3
"""Generate `crates/tradeflows/src/nomenclature/tables.rs` from public reference files.

Usage: python3 tools/gen_tables.py [REFERENCE_DIR]

REFERENCE_DIR defaults to `../shared/reference` relative to the repository root (the parent of
this script's directory). Standard library only; the output is deterministic (no timestamps, every
table sorted by code in byte order).

Inputs (relative to REFERENCE_DIR):
  dgddi/Libelle_A129.txt          UTF-8 with BOM  code;label;from;to   (the 76 "goods" A129 codes)
  dgddi/Libelle_CPF4_rev2.1.txt   Windows-1252    code;label;from;to   (576 CPF4 codes)
  dgddi/Libelle_PAYS.txt          UTF-8           code;label;from;to   (countries, validity ranges)
  dgddi/Departement_region.txt    UTF-8           dep;label;region;label (101 DGDDI départements)
  insee/table_NAF2-NA.csv         Windows-1252    NAF sous-classe -> class, A129, A88 .. A10
  insee/int_eng_na_2008_aNN.csv   Windows-1252    code lists + French labels of A10..A88
  insee/niv_agreg_naf_rev_2.csv   Windows-1252    all levels incl. A129 labels
  cog/departements_101_insee_vs_dgddi.csv  UTF-8  INSEE <-> DGDDI département / région crosswalk
  cog/regions.json                UTF-8           INSEE régions
Cross-check only:
  nomenclature_CPF4_to_A129.csv, nomenclature_A129_goods_to_A88_A64_A38_A21_A17_A10.csv (UTF-8)
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "crates" / "tradeflows" / "src" / "nomenclature" / "tables.rs"

F_A129 = "dgddi/Libelle_A129.txt"
F_CPF4 = "dgddi/Libelle_CPF4_rev2.1.txt"
F_PAYS = "dgddi/Libelle_PAYS.txt"
F_DEPREG = "dgddi/Departement_region.txt"
F_NAF = "insee/table_NAF2-NA.csv"
F_LEVEL = "insee/int_eng_na_2008_{}.csv"
F_NIV = "insee/niv_agreg_naf_rev_2.csv"
F_XWALK = "cog/departements_101_insee_vs_dgddi.csv"
F_REGIONS = "cog/regions.json"
F_CHK_CPF4 = "nomenclature_CPF4_to_A129.csv"
F_CHK_A129 = "nomenclature_A129_goods_to_A88_A64_A38_A21_A17_A10.csv"

N_GOODS_A129 = 76  # A129 codes in Libelle_A129.txt (goods)

LEVELS = ["a10", "a17", "a21", "a38", "a64", "a88"]

# The 18 INSEE régions (metropolitan France + 5 DROM).
REGION_CODES = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53",
                "75", "76", "84", "93", "94"]

# DGDDI CPF4 codes that are not NAF classes (aggregates used by DGDDI): no A129.
NON_NAF_CPF4 = {"0300", "3100", "4100", "4700", "7200"}

# A38 -> A17 (INSEE rule); any A38 code not listed maps to itself.
A38_TO_A17 = {
    "BZ": "DE", "DZ": "DE", "EZ": "DE",
    "CA": "C1", "CD": "C2",
    "CI": "C3", "CJ": "C3", "CK": "C3",
    "CL": "C4",
    "CB": "C5", "CC": "C5", "CE": "C5", "CF": "C5", "CG": "C5", "CH": "C5", "CM": "C5",
    "JA": "JZ", "JB": "JZ", "JC": "JZ",
    "MA": "MN", "MB": "MN", "MC": "MN", "NZ": "MN",
    "OZ": "OQ", "PZ": "OQ", "QA": "OQ", "QB": "OQ",
    "RZ": "RU", "SZ": "RU", "TZ": "RU", "UZ": "RU",
}

# Known errors in the INSEE int_eng files, fixed from niv_agreg_naf_rev_2.csv.
# (level, code) -> (erroneous label found in the source, corrected label)
LABEL_FIXES = {
    # HZ3 (air transport) carries GZ1's French label in int_eng_na_2008_a64.csv.
    ("a64", "HZ3"): ("Commerce et réparation d'automobiles et de motocycles", "Transports aériens"),
}

# DGDDI départements that are not a single INSEE département.
DEP_SPECIAL_NAMES = {"20": "Corse", "99": "Monaco"}
MONACO_REGION = "93"  # Monaco is attached to Provence-Alpes-Côte d'Azur.


# --------------------------------------------------------------------------------------------
# Reading helpers


def read_text(ref: Path, rel: str, encoding: str) -> str:
    """Decode a whole file strictly, dropping a UTF-8 BOM if present."""
    raw = (ref / rel).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        assert encoding == "utf-8", f"{rel}: unexpected UTF-8 BOM in a {encoding} file"
        raw = raw[3:]
    text = raw.decode(encoding)  # strict
    if encoding == "cp1252":
        # A UTF-8 file misread as Windows-1252 would show mojibake such as "Ã©".
        assert not re.search("Ã[\x80-\xbf©¨ª«§ ]|â€", text), f"{rel}: looks like UTF-8, not cp1252"
    assert "\ufffd" not in text, f"{rel}: replacement character"
    return text


def read_rows(ref: Path, rel: str, encoding: str) -> list[list[str]]:
    """Parse a `;`-separated file (quoted fields allowed, CRLF or LF), stripping every field."""
    text = read_text(ref, rel, encoding)
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'):
        row = [clean(f) for f in row]
        if any(row):
            rows.append(row)
    return rows


def clean(s: str) -> str:
    """Strip surrounding ASCII whitespace and collapse internal runs of ASCII spaces (labels,
    codes). Non-breaking spaces (French typography before `;`) are kept as DGDDI wrote them."""
    return re.sub(r"[ \t]+", " ", s.replace("\r", " ").replace("\n", " ")).strip(" \t")


def read_dgddi_labels(ref: Path, rel: str, encoding: str) -> list[tuple[str, str, int, int]]:
    out = []
    for row in read_rows(ref, rel, encoding):
        assert len(row) == 4, f"{rel}: bad row {row!r}"
        code, label, frm, to = row
        assert code and label, f"{rel}: empty field in {row!r}"
        assert re.fullmatch(r"\d{6}", frm) and re.fullmatch(r"\d{6}", to), f"{rel}: {row!r}"
        frm_i, to_i = int(frm), int(to)
        assert frm_i <= to_i and 1 <= frm_i % 100 <= 12 and 1 <= to_i % 100 <= 12, f"{rel}: {row!r}"
        out.append((code, label, frm_i, to_i))
    return out


def unique_map(pairs, what: str) -> dict:
    out: dict = {}
    for k, v in pairs:
        assert out.setdefault(k, v) == v, f"{what}: {k!r} -> {out[k]!r} and {v!r}"
    return out


# --------------------------------------------------------------------------------------------
# INSEE levels


def read_level(ref: Path, level: str) -> dict[str, str]:
    """Code -> French label for one INSEE aggregation level (file order kept)."""
    rel = F_LEVEL.format(level)
    rows = read_rows(ref, rel, "cp1252")
    header, body = rows[0], rows[1:]
    assert header[-1].startswith("Description") and "Fran" in header[-1], f"{rel}: {header!r}"
    assert header[-2].startswith("Description") and "English" in header[-2], f"{rel}: {header!r}"
    code_col = {"a10": 1, "a17": 1, "a21": 1, "a38": 0, "a64": 0, "a88": 2}[level]
    assert "Code" in header[code_col], f"{rel}: {header!r}"
    out: dict[str, str] = {}
    for row in body:
        if not any(row[:-1]):
            continue  # trailing blank lines like ";;;   "
        assert len(row) == len(header), f"{rel}: {row!r}"
        code, english, french = row[code_col].replace(" ", ""), row[-2], row[-1]
        if english.lower().startswith("of which"):
            continue  # "dont :" memo lines (CZ, LI, LI0) are not codes of the level
        assert code and french, f"{rel}: {row!r}"
        fix = LABEL_FIXES.get((level, code))
        if fix is not None:
            assert french == fix[0], f"{rel}: {code} label changed upstream: {french!r}"
            french = fix[1]
        assert code not in out, f"{rel}: duplicate {code}"
        out[code] = french
    if level == "a17":
        # The two code columns agree.
        for row in body:
            if any(row[:-1]) and not row[-2].lower().startswith("of which"):
                assert row[0] == row[1], f"{rel}: {row!r}"
    return out


def expand_a38_ranges(spec: str, a38_order: list[str]) -> set[str]:
    """'CB-CC, CE-CH, CM' -> {'CB','CC','CE','CF','CG','CH','CM'} using INSEE A38 order."""
    out: set[str] = set()
    for part in spec.split(","):
        part = part.strip()
        lo, _, hi = part.partition("-")
        hi = hi or lo
        i, j = a38_order.index(lo), a38_order.index(hi)
        assert i <= j, spec
        out.update(a38_order[i:j + 1])
    return out


# --------------------------------------------------------------------------------------------
# Rust output


def rs_str(s: str) -> str:
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in s), repr(s)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rs_table(name: str, ty: str, lines: list[str]) -> str:
    body = "".join(f"    {line},\n" for line in lines)
    return f"pub(crate) static {name}: &[{ty}] = &[\n{body}];\n"


def main() -> None:
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / ".." / "shared" / "reference"
    ref = ref.resolve()
    assert ref.is_dir(), f"no reference directory at {ref}"
    notes: list[str] = []

    # ---- NAF table: class -> A129 and A129 -> parents --------------------------------------
    naf_rows = read_rows(ref, F_NAF, "cp1252")
    assert naf_rows[0][0] == "SOUS CLASSE" and naf_rows[1][:10] == [
        "A 732", "", "A 615", "A 272", "A 129", "A 88", "A 64", "A 38", "A 21", "A 10"], naf_rows[:2]
    naf_rows = naf_rows[2:]
    assert len(naf_rows) == 732, len(naf_rows)
    class_to_a129 = unique_map(((r[2], r[4]) for r in naf_rows), "NAF class -> A129")
    a129_parents = unique_map(((r[4], tuple(r[5:10])) for r in naf_rows), "A129 -> parents")
    assert len(a129_parents) == 129, len(a129_parents)
    for cls in class_to_a129:
        assert re.fullmatch(r"\d\d\.\d\d", cls), cls
    naf_level_codes = {lvl: {p[i] for p in a129_parents.values()}
                       for i, lvl in enumerate(["a88", "a64", "a38", "a21", "a10"])}

    # ---- INSEE levels ------------------------------------------------------------------------
    levels = {lvl: read_level(ref, lvl) for lvl in LEVELS}
    expected = {"a10": 10, "a17": 17, "a21": 21, "a38": 38, "a64": 64, "a88": 88}
    for lvl, n in expected.items():
        assert len(levels[lvl]) == n, (lvl, len(levels[lvl]))
        if lvl != "a17":
            assert set(levels[lvl]) == naf_level_codes[lvl], (lvl, set(levels[lvl]) ^ naf_level_codes[lvl])
    a38_order = list(levels["a38"])
    assert set(A38_TO_A17) <= set(a38_order)
    a17_of = {c: A38_TO_A17.get(c, c) for c in a38_order}
    assert set(a17_of.values()) == set(levels["a17"]), set(a17_of.values()) ^ set(levels["a17"])
    # Cross-check the A38 -> A17 rule with the "Code A 38" column of the A17 file.
    for row in read_rows(ref, F_LEVEL.format("a17"), "cp1252")[1:]:
        if row[3]:
            members = expand_a38_ranges(row[3], a38_order)
            assert members == {c for c, t in a17_of.items() if t == row[1]}, row
    # Cross-check labels with niv_agreg_naf_rev_2.csv (report only; apostrophes/case differ).
    niv_rows = read_rows(ref, F_NIV, "cp1252")
    assert niv_rows[0][:8] == ["tri", "A 10", "A21", "A38", "A64", "A88", "A129", "A138"], niv_rows[0]
    niv_cols = {"a10": 1, "a21": 2, "a38": 3, "a64": 4, "a88": 5, "a129": 6}
    niv_labels: dict[str, dict[str, str]] = {k: {} for k in niv_cols}
    for row in niv_rows[1:]:
        for lvl, col in niv_cols.items():
            code = row[col].replace(" ", "")
            if code:
                niv_labels[lvl].setdefault(code, row[-1])

    def norm(s: str) -> str:
        return s.replace("’", "'").replace(" ;", ";").casefold().replace("é", "e")

    for lvl in ["a10", "a21", "a38", "a64", "a88"]:
        for code, label in levels[lvl].items():
            other = niv_labels[lvl].get(code)
            assert other is not None, (lvl, code)
            if norm(other) != norm(label):
                notes.append(f"{lvl} {code}: int_eng {label!r} vs niv_agreg {other!r} (kept int_eng)")

    # ---- A129 ----------------------------------------------------------------------------------
    dgddi_a129 = read_dgddi_labels(ref, F_A129, "utf-8")
    # The brief said 75, but the file (and the derived goods csv) hold 76 distinct codes.
    assert len(dgddi_a129) == N_GOODS_A129, len(dgddi_a129)
    dgddi_a129_label = unique_map(((c, l) for c, l, _, _ in dgddi_a129), "Libelle_A129")
    assert len(dgddi_a129_label) == N_GOODS_A129
    assert set(dgddi_a129_label) <= set(a129_parents), set(dgddi_a129_label) - set(a129_parents)
    assert set(niv_labels["a129"]) == set(a129_parents), set(niv_labels["a129"]) ^ set(a129_parents)

    idx = {lvl: {c: i for i, c in enumerate(sorted(levels[lvl]))} for lvl in LEVELS}
    a129_codes = sorted(a129_parents)
    a129_idx = {c: i for i, c in enumerate(a129_codes)}
    a129_lines = []
    a129_full = {}
    for code in a129_codes:
        a88, a64, a38, a21, a10 = a129_parents[code]
        a17 = a17_of[a38]
        a129_full[code] = (a88, a64, a38, a17, a21, a10)
        goods = code in dgddi_a129_label
        label = dgddi_a129_label[code] if goods else niv_labels["a129"][code]
        a129_lines.append(
            f"A129Entry {{ code: {rs_str(code)}, label: {rs_str(label)}, goods: {'true' if goods else 'false'}, "
            f"a88: {idx['a88'][a88]}, a64: {idx['a64'][a64]}, a38: {idx['a38'][a38]}, "
            f"a21: {idx['a21'][a21]}, a17: {idx['a17'][a17]}, a10: {idx['a10'][a10]} }}")
    # Cross-check with the derived goods table.
    chk = read_rows(ref, F_CHK_A129, "utf-8")
    assert chk[0] == ["A129", "A129_label_dgddi", "A88", "A64", "A38", "A17", "A21", "A10"], chk[0]
    assert len(chk) - 1 == N_GOODS_A129, len(chk)
    for code, label, *parents in chk[1:]:
        assert dgddi_a129_label.get(code) == label, (code, label)
        assert a129_full[code] == tuple(parents), (code, a129_full[code], parents)

    # ---- CPF4 ----------------------------------------------------------------------------------
    cpf4 = read_dgddi_labels(ref, F_CPF4, "cp1252")
    assert len(cpf4) == 576, len(cpf4)
    cpf4_label = unique_map(((c, l) for c, l, _, _ in cpf4), "Libelle_CPF4")
    assert len(cpf4_label) == 576
    cpf4_a129: dict[str, str | None] = {}
    for code in cpf4_label:
        assert re.fullmatch(r"\d{4}", code), code
        cls = f"{code[:2]}.{code[2:]}"
        if code in NON_NAF_CPF4:
            assert cls not in class_to_a129, code
            cpf4_a129[code] = None
        else:
            assert cls in class_to_a129, f"CPF4 {code} is not a NAF class"
            cpf4_a129[code] = class_to_a129[cls]
    assert NON_NAF_CPF4 <= set(cpf4_label)
    chk = read_rows(ref, F_CHK_CPF4, "utf-8")
    assert chk[0] == ["CPF4", "CPF4_label_dgddi", "A129_from_INSEE_table_NAF2-NA"], chk[0]
    chk_map = {}
    for row in chk[1:]:
        row = row + [""] * (3 - len(row))
        chk_map[row[0]] = (row[1], row[2] or None)
    assert chk_map == {c: (cpf4_label[c], cpf4_a129[c]) for c in cpf4_label}, "CPF4 cross-check failed"
    not_goods = sorted({a for a in cpf4_a129.values() if a is not None} - set(dgddi_a129_label))
    if not_goods:
        notes.append(f"CPF4 codes map to non-goods A129 {not_goods}")
    cpf4_lines = []
    for code in sorted(cpf4_label):
        a = cpf4_a129[code]
        a_rs = "None" if a is None else f"Some({a129_idx[a]})"
        cpf4_lines.append(f"Cpf4Entry {{ code: {int(code)}, label: {rs_str(cpf4_label[code])}, a129: {a_rs} }}")

    # ---- Countries -----------------------------------------------------------------------------
    pays = read_dgddi_labels(ref, F_PAYS, "utf-8")
    pays.sort(key=lambda r: (r[0].encode(), r[2]))
    by_code: dict[str, list] = {}
    for code, label, frm, to in pays:
        assert re.fullmatch(r"[A-Z0-9]{2}", code), code
        by_code.setdefault(code, []).append((frm, to, label))
    dups = sorted(c for c, v in by_code.items() if len(v) > 1)
    assert dups == ["QU", "XK", "XS"], dups
    for code, ranges in by_code.items():
        for (f1, t1, _), (f2, _, _) in zip(ranges, ranges[1:]):
            assert t1 < f2, f"overlapping validity for {code}"
    country_lines = [
        f"CountryEntry {{ code: {rs_str(c)}, label: {rs_str(l)}, from: {f}, to: {t} }}"
        for c, l, f, t in pays]

    # ---- Régions / départements ----------------------------------------------------------------
    regions_json = json.loads(read_text(ref, F_REGIONS, "utf-8"))
    region_name = {r["code"]: r["nom"] for r in regions_json if r["code"] in REGION_CODES}
    assert sorted(region_name) == REGION_CODES, sorted(region_name)
    region_idx = {c: i for i, c in enumerate(REGION_CODES)}

    xw = read_rows(ref, F_XWALK, "utf-8")
    assert xw[0] == ["dep_insee", "dep_nom", "reg_insee", "reg_nom_insee", "dep_dgddi", "reg_dgddi",
                     "reg_nom_dgddi"], xw[0]
    xw = xw[1:]
    assert len(xw) == 101, len(xw)
    unique_map(((r[0], r) for r in xw), "crosswalk dep_insee")
    for r in xw:
        assert region_name[r[2]] == r[3], r  # INSEE région names agree with regions.json
    reg_dgddi = unique_map(((r[2], r[5]) for r in xw), "INSEE région -> DGDDI région")
    assert sorted(reg_dgddi) == REGION_CODES, sorted(reg_dgddi)
    dgddi_reg_to_insee: dict[str, set[str]] = {}
    for ri, rd in reg_dgddi.items():
        dgddi_reg_to_insee.setdefault(rd, set()).add(ri)
    for rd, ris in dgddi_reg_to_insee.items():
        assert len(ris) == 1 or rd == "24", (rd, ris)  # only the DOM share a DGDDI région
    assert dgddi_reg_to_insee["24"] == {"01", "02", "03", "04", "06"}

    deps = read_rows(ref, F_DEPREG, "utf-8")
    assert all(len(r) == 4 for r in deps)
    assert len(deps) == 101, len(deps)
    dep_dgddi = unique_map(((r[0], (r[1], r[2])) for r in deps), "Departement_region")
    assert len(dep_dgddi) == 101
    expected_deps = ({f"{i:02d}" for i in range(1, 96)} | {"99", "9A", "9B", "9C", "9D", "9E"})
    assert set(dep_dgddi) == expected_deps, set(dep_dgddi) ^ expected_deps
    insee_of: dict[str, list[str]] = {c: [] for c in dep_dgddi}
    for r in xw:
        assert r[4] in insee_of, r
        insee_of[r[4]].append(r[0])
    dep_lines = []
    for code in sorted(dep_dgddi, key=str.encode):
        dgddi_label, dgddi_region = dep_dgddi[code]
        rows_ = [r for r in xw if r[4] == code]
        if code in DEP_SPECIAL_NAMES:
            name = DEP_SPECIAL_NAMES[code]
        else:
            assert len(rows_) == 1, code
            name = rows_[0][1]
        if rows_:
            regs = {r[2] for r in rows_}
            assert len(regs) == 1 and {r[5] for r in rows_} == {dgddi_region}, (code, rows_)
            region = regs.pop()
        else:
            assert code == "99", code
            region = MONACO_REGION
            assert dgddi_reg_to_insee[dgddi_region] == {region}, (code, dgddi_region)
        if name.casefold() != dgddi_label.casefold():
            notes.append(f"département {code}: DGDDI label {dgddi_label!r}, INSEE name {name!r} (kept INSEE)")
        insee = sorted(insee_of[code], key=str.encode)
        insee_rs = "&[" + ", ".join(rs_str(c) for c in insee) + "]"
        dep_lines.append(f"DepartementEntry {{ code: {rs_str(code)}, insee: {insee_rs}, "
                         f"name: {rs_str(name)}, region: {region_idx[region]} }}")
    assert [l.split('"')[1] for l in dep_lines if '"20"' in l or '"99"' in l] == ["20", "99"]
    assert insee_of["20"] == ["2A", "2B"] and insee_of["99"] == [] and insee_of["9A"] == ["971"]
    assert [insee_of[c] for c in ["9A", "9B", "9C", "9D", "9E"]] == [["971"], ["972"], ["973"], ["974"], ["976"]]

    region_lines = [
        f"RegionEntry {{ code: {rs_str(c)}, name: {rs_str(region_name[c])}, dgddi: {rs_str(reg_dgddi[c])} }}"
        for c in REGION_CODES]

    # ---- Output --------------------------------------------------------------------------------
    def entries(lvl: str) -> list[str]:
        return [f"Entry {{ code: {rs_str(c)}, label: {rs_str(levels[lvl][c])} }}"
                for c in sorted(levels[lvl], key=str.encode)]

    inputs = [F_A129, F_CPF4, F_PAYS, F_DEPREG, F_NAF] + [F_LEVEL.format(l) for l in LEVELS] + [
        F_NIV, F_XWALK, F_REGIONS]
    out = [
        "//! Nomenclature tables built by `tools/gen_tables.py` from public reference files; do not edit.\n",
        "//!\n",
        "//! Sources: INSEE (NAF rév. 2 / CPF rév. 2.1 aggregation levels, Licence Ouverte 2.0), DGDDI\n",
        "//! (label files of the foreign-trade open data, Licence Ouverte 2.0), etalab découpage\n",
        "//! administratif (MIT). Inputs: " + ", ".join(Path(p).name for p in inputs) + ".\n",
        "use super::rows::{A129Entry, CountryEntry, Cpf4Entry, DepartementEntry, Entry, RegionEntry};\n",
    ]
    tables = [
        ("A10", "Entry", entries("a10")),
        ("A17", "Entry", entries("a17")),
        ("A21", "Entry", entries("a21")),
        ("A38", "Entry", entries("a38")),
        ("A64", "Entry", entries("a64")),
        ("A88", "Entry", entries("a88")),
        ("A129", "A129Entry", a129_lines),
        ("CPF4", "Cpf4Entry", cpf4_lines),
        ("COUNTRIES", "CountryEntry", country_lines),
        ("REGIONS", "RegionEntry", region_lines),
        ("DEPARTEMENTS", "DepartementEntry", dep_lines),
    ]
    for name, ty, lines in tables:
        out.append("\n")
        out.append(rs_table(name, ty, lines))
    text = "".join(out)
    # Sorted-by-code check on the emitted text (byte order; countries by code then from).
    for name, _, lines in tables:
        keys = [re.search(r"code: (\"[^\"]*\"|\d+)", l).group(1) for l in lines]
        keys = [int(k) if k.isdigit() else k.encode() for k in keys]
        assert keys == sorted(keys), name
        if name != "COUNTRIES":
            assert len(set(keys)) == len(keys), name
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")

    for name, _, lines in tables:
        print(f"{name}: {len(lines)}")
    for n in notes:
        print("note:", n)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
