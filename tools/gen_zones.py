#!/usr/bin/env python3
"""Generate the country-group tables `crates/tradeflows/data/zones.csv` and `eu.csv`.

Usage: python tools/gen_zones.py [--check] [REFERENCE_DIR]

REFERENCE_DIR defaults to `../shared/reference` relative to the repository root (the parent of
this script's directory), as for tools/gen_tables.py; the input is REFERENCE_DIR/dgddi/
Libelle_PAYS.txt (UTF-8, CRLF, `code;label;from(AAAAMM);to(AAAAMM)`). With `--check` nothing is
written: the script fails if the files in the repository differ from what it would write.

The M49 data comes from PyPI packages, so run it from a scratch virtual environment (only the
packages' data files are read; `--no-deps` keeps the environment small):

    python3 -m venv /tmp/zones-venv
    /tmp/zones-venv/bin/pip install --no-deps hdx-python-country==4.2.5 \
        country-converter==1.3.2 pyicu-wheels==2.15.2
    /tmp/zones-venv/bin/python tools/gen_zones.py

Sources (see crates/tradeflows/data/zones.PROVENANCE.md for licences and every decision):
  hdx-python-country 4.2.5  "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv" (UN OCHA
                            HDX): its 248 rows that carry an official M49 name are the UNSD M49
                            overview; "Region Code" is the M49 region. PRIMARY SOURCE.
  country-converter 1.3.2   country_data.tsv, column UNregion (M49 sub-region names) and the
                            EU/EURO membership columns. CROSS-CHECK.
  pyicu-wheels 2.15.2       ICU 77.1 = Unicode CLDR 47: territory containment (CLDR's copy of the
                            M49 grouping) and the successors of deprecated ISO codes. CROSS-CHECK.
Every disagreement between the three is listed (stdout); an unexpected one makes the script fail,
and so does a Libelle_PAYS.txt code that gets no zone: decide it below, in one of the tables.

The output is deterministic (no timestamps; rows sorted by code in byte order; UTF-8, LF).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.metadata as md
import io
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "crates" / "tradeflows" / "data"
OUT_ZONES = DATA_DIR / "zones.csv"
OUT_EU = DATA_DIR / "eu.csv"
F_PAYS = "dgddi/Libelle_PAYS.txt"

# Versions the published tables were made with (a different one only warns: re-read the diff).
PINNED = {"hdx-python-country": "4.2.5", "country-converter": "1.3.2", "pyicu-wheels": "2.15.2"}
HDX_CSV = "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
COCO_TSV = "country_converter/country_data.tsv"

# The zones, in the order of the design document.
ZONES = ["UE27", "EUROPE_HORS_UE", "AFRIQUE", "AMERIQUE", "ASIE", "OCEANIE", "NON_DETERMINE"]
# UN M49 regions (continents) -> zone, for every country that is not one of the 27.
M49_REGION_ZONE = {"150": "EUROPE_HORS_UE", "002": "AFRIQUE", "019": "AMERIQUE",
                   "142": "ASIE", "009": "OCEANIE"}

# Eurostat's EU27_2020, with DGDDI's GR for Greece (Eurostat writes EL).
EU27_2020 = set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI "
                "SK".split())
assert len(EU27_2020) == 27

# Rules of the design document (shared/DESIGN.md, "Exposure and dependence"), applied before M49.
# code -> (zone, why). `m49` stays empty for these unless M49 gives the code the same continent.
DESIGN_RULES = {
    "GB": ("EUROPE_HORS_UE", "design: United Kingdom (left the EU 2020-01-31; M49 150 agrees)"),
    "XI": ("EUROPE_HORS_UE", "design: XI = Northern Ireland (EU code since 2021); Libelle_PAYS.txt "
                             "only has XI = Saint-Martin, partie meridionale, 190001-200512"),
    "XK": ("EUROPE_HORS_UE", "design: Kosovo (200506-); also Yougoslavie 199206-199212; not in M49"),
    "XS": ("EUROPE_HORS_UE", "design: Serbia (200506-); was Saba (Caribbean) until 200505"),
    "XC": ("AFRIQUE", "design: Ceuta (outside the EU customs territory); part of ES in M49"),
    "XL": ("AFRIQUE", "design: Melilla (outside the EU customs territory); part of ES in M49"),
    "TW": ("ASIE", "design: Taiwan is not in the UNSD M49 table"),
    "EU": ("NON_DETERMINE", "design: 'Union europeenne', an unallocated EU partner"),
    "AQ": ("NON_DETERMINE", "design: Antarctica, M49 010 with no region"),
}
# ISO 3166 user-assigned codes QM..QZ are DGDDI/Eurostat statistical codes (QA is Qatar!).
Q_CODE = re.compile(r"Q[M-Z]")

# DGDDI codes that are not (or no longer) in M49: historical countries, DGDDI's own aggregates.
# code -> (successor codes, why); the zone is the zone the successors share (computed and
# checked). Where they do not share one, MIXED_SUCCESSORS says which zone is taken.
SUCCESSORS = {
    "AN": ("CW SX BQ", "Netherlands Antilles, dissolved 2010 (DGDDI code to 201212)"),
    "CS": ("RS ME", "Serbia and Montenegro (200401-200505)"),
    "YU": ("RS ME", "Federal Republic of Yugoslavia (199301-200312)"),
    "XM": ("ME", "Montenegro (200506-200612), ME from 200701"),
    "DD": ("DE", "German Democratic Republic (to 199012), now part of DE"),
    "XD": ("CZ SK", "Czechoslovakia (to 199212)"),
    "XU": ("BE LU", "Belgium-Luxembourg Economic Union (to 199812; BE and LU from 199901)"),
    "XF": ("ES", "Canary Islands (to 199612), reported within ES since; EU customs territory"),
    "XG": ("XC XL", "Ceuta and Melilla (to 199812), split into XC and XL from 199901"),
    "XH": ("CH LI", "Switzerland and Liechtenstein (to 199412; CH and LI from 199501)"),
    "XQ": ("ZA NA", "South Africa and Namibia (to 198912)"),
    "XW": ("VG MS", "British Virgin Islands and Montserrat (to 199412)"),
    "XY": ("YE", "North Yemen (to 199012)"),
    "YD": ("YE", "South Yemen (to 199012)"),
    "XP": ("PS", "West Bank and Gaza (199501-200012), PS from 200101"),
    "TP": ("TL", "East Timor (200101-200212), TL from 200301"),
    "FA": ("FO", "Faroe Islands, old DGDDI code (to 199212), FO from 199301"),
    "XB": ("BL", "Saint-Barthelemy (to 201212), BL from 201301"),
    "XE": ("BQ", "Sint Eustatius (to 200512), part of BQ"),
    "XN": ("BQ", "Bonaire (to 200512), part of BQ"),
    "XV": ("CW", "Curacao (to 200512), CW from 201301"),
    "XT": ("MF", "Saint-Martin, French part (to 201312); M49 663 Saint Martin"),
    # The Oceania aggregates end in 200012; AS GU UM CX CC HM NF CK NU TK all start in 200101
    # (FM MH in 199201, MP in 199401, PW in 199501): their exact content is inferred from that.
    "XA": ("AS GU MP PW UM", "'Oceanie americaine' (199201-200012): US territories of Oceania"),
    "XX": ("AS FM GU MH MP PW UM", "'Oceanie americaine' (to 199112): US Pacific territories"),
    "XO": ("CX CC HM NF", "'Oceanie australienne' (to 200012): Australian external territories"),
    "XZ": ("CK NU TK", "'Oceanie neo-zelandaise' (to 200012): New Zealand's realm"),
    "SU": ("RU AM AZ BY EE GE KZ KG LV LT MD TJ TM UA UZ", "USSR (to 199205)"),
    "XJ": ("SI HR BA MK RS ME XK", "SFR Yugoslavia (to 199205)"),
}
# Successors in several zones: the zone taken, and why.
MIXED_SUCCESSORS = {
    "SU": ("EUROPE_HORS_UE", "Russia, the continuing state and the bulk of the trade, is in M49 "
                             "Europe (CLDR lists RU first; country-converter puts SU in Eastern "
                             "Europe); EE LV LT are UE27, the Caucasus and Central Asia ASIE"),
    "XJ": ("EUROPE_HORS_UE", "all successors are M49 Europe; five of seven (BA ME MK RS XK) are "
                             "outside the EU, SI and HR are UE27 today"),
}
# DGDDI codes with no territory of their own (or a polar one): NON_DETERMINE.
NO_TERRITORY = {
    "XR": "'Regions polaires' (to 200012): presumably AQ BV GS TF, which start in 200101 (zones "
          "NON_DETERMINE, AMERIQUE, AFRIQUE): like AQ",
}

# Expected disagreements between the sources, on the codes of Libelle_PAYS.txt.
# (code, source) -> value that source gives; any other disagreement fails the script.
KNOWN_DISAGREEMENTS = {
    ("AQ", "cldr"): "009",   # CLDR puts Antarctica in QO "Outlying Oceania"; M49 gives no region
    ("TW", "coco"): "142",   # not in M49; country-converter and CLDR add it to Eastern Asia
    ("TW", "cldr"): "142",
    ("XK", "coco"): "150",   # not in M49; country-converter and CLDR add Kosovo to Southern Europe
    ("XK", "cldr"): "150",
    ("SU", "coco"): "150",   # historical row of country-converter, Eastern Europe
}

# EU membership (EEC/EC before 1993) and euro-area membership; `to` is the last day, inclusive.
EU_JOINED = [
    ("1958-01-01", "BE DE FR IT LU NL"),
    ("1973-01-01", "DK IE GB"),
    ("1981-01-01", "GR"),
    ("1986-01-01", "ES PT"),
    ("1995-01-01", "AT FI SE"),
    ("2004-05-01", "CY CZ EE HU LT LV MT PL SI SK"),
    ("2007-01-01", "BG RO"),
    ("2013-07-01", "HR"),
]
EU_LEFT = {"GB": "2020-01-31"}
EURO_JOINED = [
    ("1999-01-01", "AT BE DE ES FI FR IE IT LU NL PT"),
    ("2001-01-01", "GR"),
    ("2007-01-01", "SI"),
    ("2008-01-01", "CY MT"),
    ("2009-01-01", "SK"),
    ("2011-01-01", "EE"),
    ("2014-01-01", "LV"),
    ("2015-01-01", "LT"),
    ("2023-01-01", "HR"),
    ("2026-01-01", "BG"),
]
# country-converter 1.3.2 does not have Bulgaria's euro (decided by the Council on 2025-07-08).
KNOWN_EURO_GAPS_COCO = {"BG"}


# --------------------------------------------------------------------------------------------
# Inputs


def read_pays(ref: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Code -> [(label, from, to)] in file order; strict UTF-8, CRLF, 4 fields."""
    raw = (ref / F_PAYS).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{F_PAYS}: unexpected BOM"
    text = raw.decode("utf-8")  # strict
    out: dict[str, list[tuple[str, int, int]]] = {}
    for n, line in enumerate(text.split("\r\n"), 1):
        if not line:
            continue
        assert "\n" not in line and "\r" not in line, f"{F_PAYS}:{n}: not CRLF"
        fields = line.split(";")
        assert len(fields) == 4, f"{F_PAYS}:{n}: {line!r}"
        code, label, frm, to = (f.strip() for f in fields)
        assert re.fullmatch(r"[A-Z]{2}", code) and label, f"{F_PAYS}:{n}: {line!r}"
        assert re.fullmatch(r"\d{6}", frm) and re.fullmatch(r"\d{6}", to), f"{F_PAYS}:{n}"
        assert int(frm) <= int(to) and 1 <= int(frm) % 100 <= 12 and 1 <= int(to) % 100 <= 12
        out.setdefault(code, []).append((label, int(frm), int(to)))
    return out


def package_file(dist: str, rel: str) -> Path:
    try:
        d = md.distribution(dist)
    except md.PackageNotFoundError:
        sys.exit(f"package {dist} is not installed: see the usage at the top of {__file__}")
    if d.version != PINNED[dist]:
        print(f"warning: {dist} {d.version} installed, tables were made with {PINNED[dist]}")
    path = Path(d.locate_file(rel))
    assert path.is_file(), f"{dist}: no {rel}"
    return path


def read_m49() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 -> (M49 country code, M49 region code or '') for the UNSD M49 countries."""
    path = package_file("hdx-python-country", HDX_CSV)
    out: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            # Rows with an official M49 name are the UNSD table (248); the others are HDX's own
            # additions (Taiwan, Kosovo, Canary Islands, ...), not M49.
            if not r["M49 English"] or r["Deprecated"] != "N":
                continue
            a2, num, reg = r["ISO 3166-1 Alpha 2-Codes"], r["m49 numerical code"], r["Region Code"]
            assert re.fullmatch(r"[A-Z]{2}", a2) and num.isdigit(), r
            reg = reg.zfill(3) if reg else ""
            assert reg in M49_REGION_ZONE or reg == "", (a2, reg)
            assert a2 not in out, a2
            out[a2] = (num.zfill(3), reg)
    assert len(out) == 248, len(out)
    return out


COCO_SUBREGION = {
    **{n: "019" for n in ["Caribbean", "Central America", "South America", "Northern America"]},
    **{n: "009" for n in ["Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"]},
}


def read_coco() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """country-converter: ISO2 -> M49 region derived from UNregion; ISO2 -> EU/EURO columns."""
    path = package_file("country-converter", COCO_TSV)
    regions: dict[str, str] = {}
    groups: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            sub = r["UNregion"]
            reg = COCO_SUBREGION.get(sub) or next(
                (c for s, c in [("Africa", "002"), ("Asia", "142"), ("Europe", "150")]
                 if sub.endswith(s)), "")
            # ISO2 is a regex for a few rows ("^GB$|^UK$", "^GR$|^EL$").
            for a2 in re.findall(r"[A-Z]{2}", r["ISO2"]):
                regions[a2] = reg
                groups[a2] = r
    return regions, groups


def cldr_continents(codes) -> tuple[dict[str, str], dict[str, list[str]], str]:
    """ICU/CLDR: code -> continent ('' if none), code -> successors of a deprecated code."""
    package_file("pyicu-wheels", "icu/__init__.py")
    import icu  # noqa: PLC0415  (from the scratch venv)

    cont: dict[str, str] = {}
    succ: dict[str, list[str]] = {}
    for c in codes:
        try:
            reg = icu.Region.getInstance(c)
        except icu.ICUError:
            continue
        if reg.getRegionCode() != c:
            succ[c] = [reg.getRegionCode()]  # a one-to-one alias (DD -> DE, TP -> TL, ...)
            continue
        pref = reg.getPreferredValues()
        if pref:
            succ[c] = list(pref)
        x = reg.getContainingRegion(icu.URegionType.CONTINENT)
        cont[c] = x.getRegionCode() if x else ""
    return cont, succ, icu.ICU_VERSION


# --------------------------------------------------------------------------------------------
# Zones


def zone_of_iso(code: str, m49: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(zone, m49 region) of a current code, without the historical tables."""
    if code in EU27_2020:
        # Not from M49 (which puts CY in Western Asia): m49 stays empty.
        assert m49[code][1] in ("150", "142"), code
        return "UE27", ""
    if code in DESIGN_RULES:
        zone = DESIGN_RULES[code][0]
        reg = m49.get(code, ("", ""))[1]
        return zone, reg if M49_REGION_ZONE.get(reg) == zone else ""
    reg = m49[code][1] if code in m49 else ""
    assert reg, f"{code}: no M49 region"
    return M49_REGION_ZONE[reg], reg


def decide(code: str, m49: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """(zone, m49 region or '', how) for one Libelle_PAYS.txt code."""
    if Q_CODE.fullmatch(code):
        return "NON_DETERMINE", "", "DGDDI statistical Q code"
    if code in NO_TERRITORY:
        return "NON_DETERMINE", "", NO_TERRITORY[code]
    if code in SUCCESSORS:
        assert code not in m49, f"{code}: now in M49, drop it from SUCCESSORS"
        succ, why = SUCCESSORS[code]
        zones = {zone_of_iso(s, m49)[0] for s in succ.split()}
        if len(zones) == 1:
            return zones.pop(), "", f"{why}; successors {succ}"
        zone, reason = MIXED_SUCCESSORS[code]
        assert zone in zones, code
        return zone, "", f"{why}; successors {succ} in {'/'.join(sorted(zones))}: {reason}"
    if code in EU27_2020 or code in DESIGN_RULES or code in m49:
        zone, reg = zone_of_iso(code, m49)
        how = ("EU27_2020 member" if code in EU27_2020 else
               DESIGN_RULES[code][1] if code in DESIGN_RULES else "M49 region")
        return zone, reg, how
    raise SystemExit(f"{code}: no M49 region and no decision; add it to a table of {__file__}")


# --------------------------------------------------------------------------------------------
# EU and euro area


def eu_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for group, table in [("UE", EU_JOINED), ("EURO", EURO_JOINED)]:
        seen = set()
        for frm, codes in table:
            dt.date.fromisoformat(frm)
            for c in codes.split():
                assert c not in seen, (group, c)
                seen.add(c)
                to = EU_LEFT.get(c, "") if group == "UE" else ""
                rows.append((c, group, frm, to))
        if group == "UE":
            assert seen - set(EU_LEFT) == EU27_2020, seen ^ EU27_2020
        else:
            assert seen <= EU27_2020
    eu = {c: (f, t) for c, g, f, t in rows if g == "UE"}
    for c, g, f, t in rows:
        if g == "EURO":  # in the euro area only while in the EU
            assert eu[c][0] <= f and not eu[c][1], c
    return sorted(rows, key=lambda r: (r[0].encode(), r[1]))


def check_eu_with_coco(rows, coco_groups: dict[str, dict[str, str]]) -> list[str]:
    """country-converter's EU12 .. EU28, EU27 and EURO columns against our dates."""
    notes = []
    member = {c: (f, t) for c, g, f, t in rows if g == "UE"}

    def members_at(day: str) -> set[str]:
        return {c for c, (f, t) in member.items() if f <= day and (not t or day <= t)}

    snapshots = {"EU12": "1986-01-01", "EU15": "1995-01-01", "EU25": "2004-05-01",
                 "EU27_2007": "2007-01-01", "EU28": "2013-07-01", "EU27": "2020-02-01"}
    for col, day in snapshots.items():
        theirs = {c for c, r in coco_groups.items() if r[col] and c not in ("UK", "EL")}
        assert theirs == members_at(day), (col, theirs ^ members_at(day))
        notes.append(f"country-converter {col} = our members on {day} ({len(theirs)})")
    euro = {c: f[:4] for c, g, f, t in rows if g == "EURO"}
    theirs = {c: r["EURO"] for c, r in coco_groups.items() if r["EURO"] and c != "EL"}
    for c in sorted(set(euro) | set(theirs)):
        if euro.get(c) != theirs.get(c):
            assert c in KNOWN_EURO_GAPS_COCO, (c, euro.get(c), theirs.get(c))
            notes.append(f"country-converter EURO: {c} {theirs.get(c)!r}, ours {euro.get(c)!r} (known)")
    return notes


# --------------------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows, check: bool) -> bool:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    text = buf.getvalue()
    if check:
        same = path.is_file() and path.read_bytes() == text.encode("utf-8")
        print(f"{'up to date' if same else 'DIFFERS'}: {path}")
        return same
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    print(f"wrote {path}")
    return True


def main() -> None:
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    ref = Path(args[0]) if args else REPO_ROOT / ".." / "shared" / "reference"
    ref = ref.resolve()
    assert ref.is_dir(), f"no reference directory at {ref}"

    pays = read_pays(ref)
    m49 = read_m49()
    coco, coco_groups = read_coco()
    cldr, cldr_succ, icu_version = cldr_continents(sorted(set(pays) | set(m49)))
    notes: list[str] = [f"ICU {icu_version} (CLDR territory containment)"]

    # Tables say nothing about codes that are not in the file (they would be stale).
    for table in (DESIGN_RULES, SUCCESSORS, NO_TERRITORY):
        stale = set(table) - set(pays)
        if stale:
            notes.append(f"decided but not in {F_PAYS}: {' '.join(sorted(stale))}")
    assert not set(SUCCESSORS) & set(DESIGN_RULES) and not set(NO_TERRITORY) & set(SUCCESSORS)

    rows = []
    for code in sorted(pays, key=str.encode):
        zone, reg, how = decide(code, m49)
        assert zone in ZONES and (reg == "" or M49_REGION_ZONE.get(reg) == zone), (code, zone, reg)
        rows.append((code, zone, reg, how))

    # Cross-checks: M49 (HDX) vs country-converter vs CLDR, on every code of the file.
    disagreements = []
    for code, zone, reg, how in rows:
        if Q_CODE.fullmatch(code) or code in SUCCESSORS or code in NO_TERRITORY or code == "EU":
            continue
        ours = m49.get(code, ("", ""))[1]
        for src, theirs in [("coco", coco.get(code, "")), ("cldr", cldr.get(code, ""))]:
            if theirs != ours:
                expected = KNOWN_DISAGREEMENTS.get((code, src))
                assert expected == theirs, f"{code}: M49 {ours!r}, {src} {theirs!r} ({how})"
                disagreements.append(f"{code}: M49 region {ours or 'none'}, {src} {theirs or 'none'}")
    for (code, src), val in KNOWN_DISAGREEMENTS.items():
        if code in SUCCESSORS:  # a historical row of country-converter
            assert coco.get(code) == val, (code, coco.get(code))
            disagreements.append(f"{code}: country-converter (historical row) {val}; "
                                 f"ours {dict((r[0], r[1]) for r in rows)[code]}")
    # Whole M49 table, for the record (codes that DGDDI does not use).
    for a2, (_, reg) in sorted(m49.items()):
        if a2 not in pays and (coco.get(a2) != reg or cldr.get(a2) != reg):
            disagreements.append(f"{a2} (not in {F_PAYS}): M49 {reg or 'none'}, "
                                 f"coco {coco.get(a2)}, cldr {cldr.get(a2)}")
    # Successor lists against CLDR's deprecated-code data, where CLDR has the code.
    for code, (succ, _) in SUCCESSORS.items():
        if code in cldr_succ:
            assert cldr_succ[code] == succ.split(), (code, cldr_succ[code], succ)
            notes.append(f"{code}: successors agree with CLDR ({succ})")

    counts = {z: sum(1 for r in rows if r[1] == z) for z in ZONES}
    ok = write_csv(OUT_ZONES, ["code", "zone", "m49"], [r[:3] for r in rows], check)

    eu = eu_rows()
    notes += check_eu_with_coco(eu, coco_groups)
    ok &= write_csv(OUT_EU, ["code", "group", "from", "to"], eu, check)

    print(f"{len(rows)} codes: " + ", ".join(f"{z} {n}" for z, n in counts.items()))
    for code, zone, reg, how in rows:
        if not how.startswith(("M49 region", "EU27_2020")):
            print(f"decision: {code} {zone} ({how})")
    for d in disagreements:
        print("disagreement:", d)
    for n in notes:
        print("note:", n)
    if not ok:
        sys.exit("tables out of date: run tools/gen_zones.py")


if __name__ == "__main__":
    main()
